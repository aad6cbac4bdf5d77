"""Use cases of privacy: a creator's data exported (GDPR Art. 15 and 20) and erased (Art. 17),
and the audit of who read it.

The export is one JSON document in the shape :data:`EXPORT_FORMAT` version
:data:`EXPORT_VERSION` (``docs/privacy.md`` describes it). Erasure pseudonymises the creator
and erases the personal data of every record about it, and of the outbox events that mention
them, in one transaction; what a brand must keep (costs, payments, credited orders) stays,
and the audit entry says so.
"""

from __future__ import annotations

import builtins
from collections import Counter
from collections.abc import Iterable
from typing import Any

import pendulum

from influcampaign.domain.access import Permission, Resource
from influcampaign.domain.application import Application
from influcampaign.domain.creator import Creator
from influcampaign.domain.participation import Participation
from influcampaign.domain.principals import BrandMember, CreatorUser, Principal
from influcampaign.domain.privacy import ERASED, AuditAction, AuditEntry
from influcampaign.ports import UnitOfWork
from influcampaign.serialization import make_converter
from influcampaign.services._base import Service, stable_id

__all__ = ["EXPORT_FORMAT", "EXPORT_VERSION", "PrivacyService"]

EXPORT_FORMAT = "influcampaign.creator-export"
"""The ``format`` of an export document."""
EXPORT_VERSION = 1
"""The ``version`` of the export shape this SDK writes (raised on any incompatible change)."""

_KEPT = (
    "kept under accounting law: {costs} costs and payments and {orders} credited orders "
    "(amounts, dates, references without the creator's name); kept without identity: "
    "audience figures, content metrics, ratings"
)


def _resource(creator_id: str) -> Resource:
    return Resource("creator", creator_id, creator_id=creator_id)


def _texts(*values: str | None) -> set[str]:
    """The free texts worth looking for elsewhere (not empty, not already erased)."""
    return {v for v in values if v and v != ERASED}


_PRIVATE = ("note", "reviewed_by")
"""What a review holds that only those who may read reviews see (a brand's private opinion)."""


class PrivacyService(Service):
    """``workspace.privacy``: export and erase a creator's data, and read its audit."""

    def export(self, actor: Principal, creator_id: str) -> dict[str, Any]:
        """Everything the store holds about a creator, as one JSON-ready document.

        The creator itself (and the system) gets every brand's records; a brand member
        allowed to export (and to read personal data) gets its own brand's. Brands' private
        review notes go only to those who may read reviews (not the creator). The export
        leaves an audit entry."""
        self._check(actor, Permission.PERSONAL_DATA_EXPORT, _resource(creator_id))
        self._check(actor, Permission.CONTACT_READ, _resource(creator_id))
        now = self._now()
        with self._write() as uow:
            creator = uow.creators.get(creator_id)
            document = self._document(uow, actor, creator, now)
            self._audit_reads(uow, now, actor, [creator.id], ("everything",), AuditAction.EXPORT)
        return document

    def erase(self, actor: Principal, creator_id: str) -> AuditEntry:
        """Erase a creator's personal data everywhere it lives; returns the audit entry (the
        same one, unchanged, when there was nothing more to erase)."""
        self._check(actor, Permission.PERSONAL_DATA_ERASE, _resource(creator_id))
        now = self._now()
        with self._write() as uow:
            creator = uow.creators.get(creator_id)
            entry_id = stable_id("aud", "erasure", creator_id)
            counts, kept = self._erase(uow, creator, now)
            if uow.audit.exists(entry_id):
                entry = uow.audit.get(entry_id)
                if entry.add_erased(now, counts):
                    uow.audit.save(entry)
                return entry
            entry = AuditEntry.erasure(
                now, id=entry_id, creator_id=creator_id, actor=str(actor), counts=counts, kept=kept
            )
            uow.audit.add(entry)
        return entry

    def audit(self, actor: Principal, creator_id: str) -> builtins.list[AuditEntry]:
        """Who read, exported or erased a creator's personal data, oldest first (a brand
        owner sees its own members' entries)."""
        self._check(actor, Permission.AUDIT_READ, _resource(creator_id))
        filters: dict[str, Any] = {"creator_id": creator_id}
        if isinstance(actor, BrandMember):
            filters["brand_id"] = actor.brand_id
        with self._read() as uow:
            return uow.audit.find(order_by="at_us", **filters)

    # -- export ---------------------------------------------------------------------------

    def _document(
        self, uow: UnitOfWork, actor: Principal, creator: Creator, now: pendulum.DateTime
    ) -> dict[str, Any]:
        converter = make_converter()

        def docs(items: Iterable[Any], drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
            found = []
            for item in items:
                doc = converter.unstructure(item)
                for name in (*drop, "version"):
                    doc.pop(name, None)
                found.append(doc)
            return found

        brand = actor.brand_id if isinstance(actor, BrandMember) else None

        def mine(items: Iterable[Any]) -> list[Any]:
            return [i for i in items if brand is None or i.brand_id == brand]

        participations: list[Participation] = mine(uow.participations.find(creator_id=creator.id))
        by_participation: dict[str, list[Any]] = {
            kind: [] for kind in ("messages", "shipments", "deliverables", "submissions")
        }
        links, codes, costs, orders = [], [], [], []
        clicks: dict[str, dict[str, int]] = {}
        for p in participations:
            by_participation["messages"] += uow.messages.thread(p.id)
            for kind in ("shipments", "deliverables", "submissions"):
                by_participation[kind] += getattr(uow, kind).find(participation_id=p.id)
            costs += uow.costs.find(participation_id=p.id)
            orders += uow.orders.find(campaign_id=p.campaign_id, participation_id=p.id)
            codes += uow.promo_codes.find(participation_id=p.id)
            for link in uow.links.find(participation_id=p.id):
                links.append(link)
                counted = uow.clicks.find(link_id=link.id)
                clicks[link.id] = {
                    "clicks": len(counted),
                    "unique": sum(1 for c in counted if c.unique),
                }
        own = isinstance(actor, CreatorUser)
        audit_filter: dict[str, Any] = {"creator_id": creator.id}
        if brand is not None:
            audit_filter["brand_id"] = brand
        reviews = mine(uow.reviews.find(creator_id=creator.id))
        applications: list[Application] = mine(uow.applications.find(creator_id=creator.id))
        exchanges = mine(uow.exchanges.find(order_by="happened_at_us", creator_id=creator.id))
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": now.isoformat(),
            "scope": "every brand" if brand is None else f"brand {brand}",
            "creator": docs([creator])[0],
            "applications": docs(applications),
            "participations": docs(participations, ("reviews",) if own else ()),
            **{kind: docs(items) for kind, items in by_participation.items()},
            "links": docs(links),
            "clicks": clicks,
            "promo_codes": docs(codes),
            "orders": [
                {
                    "id": o.id,
                    "campaign_id": o.campaign_id,
                    "placed_at": None
                    if o.placement is None
                    else o.placement.created_at.isoformat(),
                    "total": None if o.placement is None else str(o.placement.total),
                }
                for o in orders
            ],
            "costs": docs(costs),
            "exchanges": docs(exchanges),
            "reviews": [
                doc
                for review in reviews
                for doc in docs([review], () if self._notes(actor, review) else _PRIVATE)
            ],
            "audit": docs(uow.audit.find(order_by="at_us", **audit_filter)),
        }

    def _notes(self, actor: Principal, review: Any) -> bool:
        """Whether ``actor`` may read the brand's private note of a review."""
        history = Resource("relationship history", review.brand_id, brand_id=review.brand_id)
        return self._allowed(actor, Permission.REVIEW_READ, history)

    # -- erasure --------------------------------------------------------------------------

    def _erase(
        self, uow: UnitOfWork, creator: Creator, now: pendulum.DateTime
    ) -> tuple[dict[str, int], str]:
        """Erase every record about ``creator`` and the outbox events mentioning them; returns
        the counts of what was erased, and what was kept."""
        participations = uow.participations.find(creator_id=creator.id)
        applications = uow.applications.find(creator_id=creator.id)
        reviews = uow.reviews.find(creator_id=creator.id)
        exchanges = uow.exchanges.find(creator_id=creator.id)
        records: dict[str, list[Any]] = {
            kind: [
                x for p in participations for x in getattr(uow, kind).find(participation_id=p.id)
            ]
            for kind in ("messages", "shipments", "deliverables", "submissions", "costs")
        }
        kept_orders = sum(
            uow.orders.count(campaign_id=p.campaign_id, participation_id=p.id)
            for p in participations
        )
        personal = set(creator.personal_strings)
        for m in records["messages"]:
            personal |= _texts(m.body)
        for s in records["shipments"]:
            personal |= _texts(s.ship_to)
        for sub in records["submissions"]:
            personal |= _texts(sub.url, sub.caption, sub.first_comment, sub.on_screen_text)
        for a in applications:
            personal |= _texts(a.pitch, a.message)
        for r in reviews:
            personal |= _texts(r.note)
        for e in exchanges:
            personal |= _texts(e.summary, e.contact)
        for p in participations:
            personal |= _texts(*(lr.comment for lr in p.reviews))
        counts: Counter[str] = Counter()
        ids = {creator.id, *(a.id for a in applications), *(r.id for r in reviews)}

        def erased(kind: str, repository: Any, item: Any, changed: Any) -> None:
            ids.add(item.id)
            if changed:
                repository.save(item)
                counts[kind] += 1

        for p in participations:
            erased("participations", uow.participations, p, p.erase(now))
        for a in applications:
            erased("applications", uow.applications, a, a.erase(now))
        for r in reviews:
            erased("reviews", uow.reviews, r, r.erase(now))
        for m in records["messages"]:
            erased("messages", uow.messages, m, m.erase(now))
        for e in exchanges:
            erased("exchanges", uow.exchanges, e, e.erase(now))
        for s in records["shipments"]:
            erased("shipments", uow.shipments, s, s.erase_address(now))
        for d in records["deliverables"]:
            erased("deliverables", uow.deliverables, d, d.erase(now, personal))
        for sub in records["submissions"]:
            erased("submissions", uow.submissions, sub, sub.erase(now, personal))
        for c in records["costs"]:
            erased("costs", uow.costs, c, c.erase(now, personal))
        counts["outbox events"] += uow.redact_outbox(frozenset(ids), frozenset(personal))
        if creator.erase(now):
            uow.creators.save(creator)
            counts["creator"] += 1
        kept = _KEPT.format(costs=len(records["costs"]), orders=kept_orders)
        return dict(counts), kept
