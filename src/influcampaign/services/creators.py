"""Use cases on creators: register, read (personal data only for allowed roles), update."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from influcampaign.domain._validate import parse_enum
from influcampaign.domain.access import Permission, Resource
from influcampaign.domain.creator import (
    AudienceDataState,
    AudienceShares,
    AudienceStats,
    ContactDetails,
    Creator,
    Platform,
)
from influcampaign.domain.principals import Principal
from influcampaign.services._base import Service

__all__ = ["CreatorService"]


def _resource(creator_id: str) -> Resource:
    return Resource("creator", creator_id, creator_id=creator_id)


def _with_contact(creators: list[Creator]) -> list[str]:
    """The ids of the creators returned with their personal data (whose read is audited)."""
    return [c.id for c in creators if c.contact is not None]


class CreatorService(Service):
    """``workspace.creators``: the creators a brand works with, or who joined the marketplace."""

    def register(
        self,
        actor: Principal,
        display_name: str,
        *,
        handles: Mapping[Platform | str, str] | None = None,
        audience: Mapping[Platform | str, AudienceStats] | None = None,
        themes: Iterable[str] = (),
        country: str | None = None,
        language: str | None = None,
        contact: ContactDetails | None = None,
        audience_data: AudienceDataState | str = AudienceDataState.SHARED,
        audience_shares: AudienceShares | None = None,
        id: str | None = None,
    ) -> Creator:
        """Add a creator; a creator registering itself must give its own id."""
        creator_id = id or self._new_id("cre")
        self._check(actor, Permission.CREATOR_WRITE, _resource(creator_id))
        creator = Creator.register(
            self._now(),
            id=creator_id,
            display_name=display_name,
            handles=dict(handles or {}),
            audience=dict(audience or {}),
            themes=frozenset(themes),
            country=country,
            language=language,
            contact=contact,
            audience_data=audience_data,
            audience_shares=audience_shares,
        )
        with self._write() as uow:
            uow.creators.add(creator)
        return self._visible(actor, creator)

    def _visible(self, actor: Principal, creator: Creator) -> Creator:
        if self._allowed(actor, Permission.CONTACT_READ, _resource(creator.id)):
            return creator
        return creator.redacted()

    def get(self, actor: Principal, creator_id: str) -> Creator:
        """A creator; its personal data is left out unless ``actor`` may read it (a read of
        it leaves an audit entry)."""
        self._check(actor, Permission.CREATOR_READ, _resource(creator_id))
        with self._read() as uow:
            creator = self._visible(actor, uow.creators.get(creator_id))
        self._log_reads(actor, _with_contact([creator]), "contact")
        return creator

    def contact(self, actor: Principal, creator_id: str) -> ContactDetails | None:
        """A creator's personal data; PermissionDenied for roles that may not read it. The
        read leaves an audit entry."""
        self._check(actor, Permission.CONTACT_READ, _resource(creator_id))
        with self._read() as uow:
            contact = uow.creators.get(creator_id).contact
        if contact is not None:
            self._log_reads(actor, [creator_id], "contact")
        return contact

    def find(
        self,
        actor: Principal,
        *,
        country: str | None = None,
        audience_data: AudienceDataState | str | None = None,
    ) -> list[Creator]:
        """Creators matching the filters, ordered by id (personal data as ``get``)."""
        filters: dict[str, Any] = {}
        if country is not None:
            filters["country"] = country.upper()
        if audience_data is not None:
            filters["audience_data"] = parse_enum(
                AudienceDataState, "audience_data", audience_data
            ).value
        with self._read() as uow:
            found = uow.creators.find(**filters)
        visible = [
            self._visible(actor, c)
            for c in found
            if self._allowed(actor, Permission.CREATOR_READ, _resource(c.id))
        ]
        self._log_reads(actor, _with_contact(visible), "contact")
        return visible

    def update(self, actor: Principal, creator_id: str, **changes: Any) -> Creator:
        """Change some of a creator's fields (``display_name``, ``handles``, ``contact`` …)."""
        self._check(actor, Permission.CREATOR_WRITE, _resource(creator_id))
        if "contact" in changes:
            self._check(actor, Permission.CONTACT_READ, _resource(creator_id))
        now = self._now()
        with self._write() as uow:
            creator = uow.creators.get(creator_id)
            if creator.update(now, **changes):
                uow.creators.save(creator)
            visible = self._visible(actor, creator)
            if "contact" not in changes:
                self._audit_reads(uow, now, actor, _with_contact([visible]), ("contact",))
        return visible
