"""Groups: named lists of creators that campaigns are often created from."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from influcampaign.domain._validate import check_id, name_text, unique_tuple, valid_id
from influcampaign.domain.aggregate import Aggregate

__all__ = ["Group"]


def _members(values: Any) -> tuple[str, ...]:
    return unique_tuple("creator_ids", (check_id("creator_ids", v) for v in values))


@attrs.define
class Group(Aggregate):
    """A brand's named, ordered list of creators (each once). Aggregate."""

    id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    name: str = attrs.field(converter=name_text)
    creator_ids: tuple[str, ...] = attrs.field(default=(), converter=_members)
    version: int = 0

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
