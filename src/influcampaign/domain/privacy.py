"""Privacy: what erasure and retention do to personal data, and the audit of who read it.

A creator's personal data is erased (GDPR Art. 17) or expires under a retention policy
through methods of the aggregates that hold it; each records :class:`PersonalDataErased`,
naming the fields, never their values. :class:`AuditEntry` is the record of a read, an
export or an erasure of personal data (who, what, when), itself without personal data.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import check_count, in_utc, parse_enum, valid_id
from influcampaign.domain.aggregate import Aggregate
from influcampaign.domain.event import DomainEvent, register
from influcampaign.errors import ValidationError

__all__ = [
    "ERASED",
    "AuditAction",
    "AuditEntry",
    "CreatorErased",
    "PersonalDataErased",
    "RetentionPolicy",
    "anonymous_name",
    "erase_fields",
    "scrub",
]

ERASED = "[erased]"
"""What an erased free text reads afterwards."""


def anonymous_name(creator_id: str) -> str:
    """The pseudonym an erased creator is shown under: stable per creator, not reversible."""
    return f"Anonymous creator {hashlib.sha256(creator_id.encode()).hexdigest()[:6]}"


def scrub(text: str, personal: Iterable[str], replacement: str = ERASED) -> str:
    """``text`` with every occurrence of each ``personal`` string (the longest first)
    replaced; strings shorter than 3 characters are left alone (they would hit anything)."""
    for value in sorted({p for p in personal if len(p) >= 3}, key=len, reverse=True):
        text = text.replace(value, replacement)
    return text


# -- events ------------------------------------------------------------------------------


@register
@attrs.frozen(kw_only=True)
class PersonalDataErased(DomainEvent):
    """Personal fields of an aggregate were erased (``reason``: ``erasure`` on the creator's
    request, or ``retention`` when a retention policy expired them). Names, never values."""

    kind: str
    aggregate_id: str
    creator_id: str | None
    fields: tuple[str, ...]
    reason: str


@register
@attrs.frozen(kw_only=True)
class CreatorErased(DomainEvent):
    """A creator's personal data was erased everywhere the store holds it."""

    creator_id: str
    audit_id: str


def erase_fields(
    aggregate: Aggregate,
    now: pendulum.DateTime,
    changes: Mapping[str, Any],
    *,
    kind: str,
    creator_id: str | None,
    reason: str,
) -> tuple[str, ...]:
    """Set the ``changes`` that differ on ``aggregate`` (its erased values) and record
    PersonalDataErased naming them; returns their names (none: nothing recorded). The
    aggregates' ``erase`` methods share it."""
    fields = tuple(sorted(k for k, v in changes.items() if getattr(aggregate, k) != v))
    for name in fields:
        setattr(aggregate, name, changes[name])
    if fields:
        aggregate.record(
            PersonalDataErased(
                occurred_at=now,
                kind=kind,
                aggregate_id=getattr(aggregate, "id"),  # noqa: B009 - every aggregate has one
                creator_id=creator_id,
                fields=fields,
                reason=reason,
            )
        )
    return fields


# -- retention ---------------------------------------------------------------------------


def _days(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    check_count(attribute.name, value)
    if value < 1:
        raise ValidationError(attribute.name, value, "must be at least 1 day (or None: kept)")


@attrs.frozen
class RetentionPolicy:
    """How many days each kind of personal data is kept (None: kept until erasure).

    - ``visitor_hashes``: the keyed visitor hash of a click (its count stays);
    - ``messages``: the text of a thread's messages, after they were sent;
    - ``shipment_addresses``: the address a parcel went to, after it arrived (or was lost or
      returned);
    - ``stale_applications``: the pitch and answer of an application refused or withdrawn.

    The scheduler applies it at each run, once per record.
    """

    visitor_hashes: int | None = attrs.field(default=30, validator=_days)
    messages: int | None = attrs.field(default=730, validator=_days)
    shipment_addresses: int | None = attrs.field(default=90, validator=_days)
    stale_applications: int | None = attrs.field(default=180, validator=_days)

    def cutoff(self, now: pendulum.DateTime, kind: str) -> pendulum.DateTime | None:
        """The instant before which data of ``kind`` (a field name) has expired, or None."""
        days: int | None = getattr(self, kind)
        return None if days is None else now.subtract(days=days)


# -- the audit ---------------------------------------------------------------------------


class AuditAction(enum.StrEnum):
    """What was done with a creator's personal data."""

    READ = "read"
    EXPORT = "export"
    ERASURE = "erasure"


def _action(value: Any) -> AuditAction:
    return parse_enum(AuditAction, "action", value)


def _what(value: Any) -> tuple[str, ...]:
    return tuple(sorted(set(value)))


def _counts(value: Mapping[str, int]) -> dict[str, int]:
    return {str(k): check_count(f"counts.{k}", v) for k, v in sorted(value.items())}


@attrs.define
class AuditEntry(Aggregate):
    """Who read, exported or erased which personal data of a creator, and when. Aggregate.

    ``actor`` describes the principal (never a creator's name); ``what`` names the kinds of
    data; ``counts`` (erasure only) says how many records of each kind were erased and how
    many were kept, and why (``kept``)."""

    id: str = attrs.field(validator=valid_id)
    creator_id: str = attrs.field(validator=valid_id)
    action: AuditAction = attrs.field(converter=_action)
    actor: str
    at: pendulum.DateTime = attrs.field(converter=in_utc)
    brand_id: str | None = None  # the acting member's brand, when a brand member acted
    what: tuple[str, ...] = attrs.field(default=(), converter=_what)
    counts: dict[str, int] = attrs.field(factory=dict, converter=_counts)
    kept: str = ""
    version: int = 0

    @classmethod
    def log(
        cls,
        now: pendulum.DateTime,
        *,
        id: str,
        creator_id: str,
        action: AuditAction | str,
        actor: str,
        brand_id: str | None = None,
        what: Iterable[str] = (),
    ) -> AuditEntry:
        """A read or an export of personal data. It records no event: the entry itself is the
        record, and an outbox event per read would drown the notifications hosts deliver."""
        return cls(
            id=id,
            creator_id=creator_id,
            action=action,
            actor=actor,
            at=now,
            brand_id=brand_id,
            what=tuple(what),
        )

    @classmethod
    def erasure(
        cls,
        now: pendulum.DateTime,
        *,
        id: str,
        creator_id: str,
        actor: str,
        counts: Mapping[str, int],
        kept: str,
    ) -> AuditEntry:
        """The record of a creator's erasure, recording CreatorErased."""
        entry = cls(
            id=id,
            creator_id=creator_id,
            action=AuditAction.ERASURE,
            actor=actor,
            at=now,
            what=tuple(k for k, n in counts.items() if n),
            counts=counts,
            kept=kept,
        )
        entry.record(CreatorErased(occurred_at=now, creator_id=creator_id, audit_id=id))
        return entry

    def add_erased(self, now: pendulum.DateTime, counts: Mapping[str, int]) -> bool:
        """A later erasure found more (written after the first): add its counts; records
        CreatorErased again. Returns whether anything was added."""
        if not any(counts.values()):
            return False
        merged = dict(self.counts)
        for kind, n in counts.items():
            merged[kind] = merged.get(kind, 0) + n
        self.counts = _counts(merged)
        self.what = _what((*self.what, *(k for k, n in counts.items() if n)))
        self.record(CreatorErased(occurred_at=now, creator_id=self.creator_id, audit_id=self.id))
        return True
