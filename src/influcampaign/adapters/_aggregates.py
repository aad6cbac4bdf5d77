"""What every storage backend needs to know about each kind of aggregate.

One :class:`AggregateSpec` per aggregate: its kind, class, table and the indexed fields
that queries may filter on. Backends are generic over these specs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from influcampaign.domain.campaign import Campaign
from influcampaign.domain.creator import Creator
from influcampaign.domain.group import Group

T = TypeVar("T")

__all__ = ["CAMPAIGNS", "CREATORS", "GROUPS", "SPECS", "AggregateSpec"]


@attrs.frozen
class AggregateSpec(Generic[T]):
    """An aggregate kind: its class, repository attribute, table and indexed fields."""

    kind: str
    cls: type[T]
    attribute: str
    table: str
    index: Mapping[str, Callable[[T], Any]]

    def index_values(self, aggregate: T) -> dict[str, Any]:
        """The indexed field values of ``aggregate``."""
        return {name: get(aggregate) for name, get in self.index.items()}

    def check_filters(self, filters: Mapping[str, Any]) -> None:
        """Refuse filters on fields that are not indexed."""
        from influcampaign.errors import ValidationError

        for name in filters:
            if name not in self.index:
                known = ", ".join(sorted(self.index)) or "none"
                raise ValidationError(
                    f"{self.kind}.find", name, f"is not an indexed field ({known})"
                )


CREATORS = AggregateSpec[Creator](
    kind="creator",
    cls=Creator,
    attribute="creators",
    table="ic_creators",
    index={"country": lambda c: c.country, "audience_data": lambda c: c.audience_data.value},
)
GROUPS = AggregateSpec[Group](
    kind="group",
    cls=Group,
    attribute="groups",
    table="ic_groups",
    index={"brand_id": lambda g: g.brand_id},
)
CAMPAIGNS = AggregateSpec[Campaign](
    kind="campaign",
    cls=Campaign,
    attribute="campaigns",
    table="ic_campaigns",
    index={
        "brand_id": lambda c: c.brand_id,
        "status": lambda c: c.status.value,
        "mode": lambda c: c.mode.value,
    },
)

SPECS: tuple[AggregateSpec[Any], ...] = (CREATORS, GROUPS, CAMPAIGNS)
