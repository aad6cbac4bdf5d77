"""Groups: named lists of creators that campaigns are often created from."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import check_id, name_text, unique_tuple, valid_id
from influcampaign.domain.aggregate import Aggregate
from influcampaign.domain.event import DomainEvent, register

__all__ = ["Group", "GroupCreated", "GroupMembersChanged"]


def _members(values: Any) -> tuple[str, ...]:
    return unique_tuple("creator_ids", (check_id("creator_ids", v) for v in values))


# -- what happens to a group (recorded by Group, written to the outbox) ----------------------


@register
@attrs.frozen(kw_only=True)
class GroupCreated(DomainEvent):
    """A brand created a group of creators."""

    group_id: str
    brand_id: str
    name: str
    creator_ids: tuple[str, ...]


@register
@attrs.frozen(kw_only=True)
class GroupMembersChanged(DomainEvent):
    """Creators were added to or removed from a group."""

    group_id: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@attrs.define
class Group(Aggregate):
    """A brand's named, ordered list of creators (each once). Aggregate."""

    id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    name: str = attrs.field(converter=name_text)
    creator_ids: tuple[str, ...] = attrs.field(default=(), converter=_members)
    version: int = 0

    @classmethod
    def create(cls, now: pendulum.DateTime, **fields: Any) -> Group:
        """A new group, recording GroupCreated."""
        group = cls(**fields)
        group.record(
            GroupCreated(
                occurred_at=now,
                group_id=group.id,
                brand_id=group.brand_id,
                name=group.name,
                creator_ids=group.creator_ids,
            )
        )
        return group

    def add_members(self, now: pendulum.DateTime, creator_ids: Iterable[str]) -> tuple[str, ...]:
        """Add creators not yet in the group, recording GroupMembersChanged if any was;
        returns those added."""
        added = self.add(creator_ids)
        if added:
            self.record(GroupMembersChanged(occurred_at=now, group_id=self.id, added=added))
        return added

    def remove_members(self, now: pendulum.DateTime, creator_ids: Iterable[str]) -> tuple[str, ...]:
        """Remove creators, recording GroupMembersChanged if any was a member; returns those."""
        removed = self.remove(creator_ids)
        if removed:
            self.record(GroupMembersChanged(occurred_at=now, group_id=self.id, removed=removed))
        return removed

    def add(self, creator_ids: Iterable[str]) -> tuple[str, ...]:
        """Add creators not yet in the group; returns those actually added."""
        new = tuple(c for c in _members(creator_ids) if c not in self.creator_ids)
        self.creator_ids = self.creator_ids + new
        return new

    def remove(self, creator_ids: Iterable[str]) -> tuple[str, ...]:
        """Remove creators; returns those that were members."""
        gone = set(_members(creator_ids)) & set(self.creator_ids)
        self.creator_ids = tuple(c for c in self.creator_ids if c not in gone)
        return tuple(c for c in _members(creator_ids) if c in gone)
