"""Use cases on groups: a brand's named lists of creators."""

from __future__ import annotations

from collections.abc import Iterable

from influcampaign.domain.access import Permission, Resource
from influcampaign.domain.group import Group
from influcampaign.domain.principals import Principal
from influcampaign.errors import NotFound
from influcampaign.ports import UnitOfWork
from influcampaign.services._base import Service

__all__ = ["GroupService"]


def _resource(group: Group) -> Resource:
    return Resource("group", group.id, brand_id=group.brand_id)


def _require_creators(uow: UnitOfWork, creator_ids: Iterable[str]) -> None:
    for creator_id in creator_ids:
        if not uow.creators.exists(creator_id):
            raise NotFound("creator", creator_id)


class GroupService(Service):
    """``workspace.groups``: named lists of creators a campaign can be built from."""

    def create(
        self,
        actor: Principal,
        *,
        brand_id: str,
        name: str,
        creator_ids: Iterable[str] = (),
        id: str | None = None,
    ) -> Group:
        """Create a group; every creator must exist."""
        group = Group.create(
            self._now(),
            id=id or self._new_id("grp"),
            brand_id=brand_id,
            name=name,
            creator_ids=tuple(creator_ids),
        )
        self._check(actor, Permission.GROUP_WRITE, _resource(group))
        with self._write() as uow:
            _require_creators(uow, group.creator_ids)
            uow.groups.add(group)
        return group

    def get(self, actor: Principal, group_id: str) -> Group:
        """A group by id."""
        with self._read() as uow:
            group = uow.groups.get(group_id)
        self._check(actor, Permission.GROUP_READ, _resource(group))
        return group

    def list(self, actor: Principal, brand_id: str) -> list[Group]:
        """A brand's groups, by id."""
        self._check(actor, Permission.GROUP_READ, Resource("groups", brand_id, brand_id=brand_id))
        with self._read() as uow:
            return uow.groups.find(brand_id=brand_id)

    def add_creators(self, actor: Principal, group_id: str, creator_ids: Iterable[str]) -> Group:
        """Add creators (already-present ones are ignored)."""
        wanted = tuple(creator_ids)
        with self._write() as uow:
            group = uow.groups.get(group_id)
            self._check(actor, Permission.GROUP_WRITE, _resource(group))
            _require_creators(uow, wanted)
            if group.add_members(self._now(), wanted):
                uow.groups.save(group)
        return group

    def remove_creators(self, actor: Principal, group_id: str, creator_ids: Iterable[str]) -> Group:
        """Remove creators (absent ones are ignored)."""
        with self._write() as uow:
            group = uow.groups.get(group_id)
            self._check(actor, Permission.GROUP_WRITE, _resource(group))
            if group.remove_members(self._now(), tuple(creator_ids)):
                uow.groups.save(group)
        return group
