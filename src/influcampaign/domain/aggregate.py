"""The base of aggregates: they decide, change their own fields and record what happened.

A state change is a method of its aggregate, taking ``now``: it enforces the rule, sets the
fields and records a past-tense :class:`~influcampaign.domain.events.DomainEvent`. The unit
of work collects the recorded events when the aggregate is added or saved and writes them to
the outbox in the same transaction, so a service only loads, calls and saves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypedDict

import attrs

from influcampaign.domain._validate import valid_id
from influcampaign.errors import ValidationError

if TYPE_CHECKING:
    from influcampaign.domain.events import DomainEvent

__all__ = [
    "Aggregate",
    "EventRefs",
    "OfParticipation",
    "apply_changes",
    "check_editable",
    "pull_events",
]


class Aggregate:
    """Mixin of every aggregate: a list of recorded events, outside its attrs fields (so they
    are never stored in its document, compared, or shown in its repr)."""

    __slots__ = ("_recorded",)

    def record(self, event: DomainEvent) -> None:
        """Record that ``event`` happened to this aggregate (collected when it is saved)."""
        try:
            self._recorded.append(event)
        except AttributeError:
            self._recorded: list[DomainEvent] = [event]

    def pull_events(self) -> list[DomainEvent]:
        """The events recorded since the last pull, oldest first; forgets them."""
        try:
            events = self._recorded
        except AttributeError:
            return []
        del self._recorded
        return events

    @property
    def recorded(self) -> tuple[DomainEvent, ...]:
        """The events recorded and not yet collected (for tests and callers that inspect)."""
        return tuple(getattr(self, "_recorded", ()))


class EventRefs(TypedDict):
    """The ids an event about something of a participation carries beside the thing's own."""

    participation_id: str
    campaign_id: str
    creator_id: str


@attrs.define
class OfParticipation(Aggregate):
    """Base of the aggregates that belong to one participation (its deliverables,
    submissions, messages, shipments and tracked links): their own id, then the ids each
    of them carries (what ``Participation.refs()`` gives)."""

    id: str = attrs.field(validator=valid_id)
    participation_id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    creator_id: str = attrs.field(validator=valid_id)

    def event_refs(self) -> EventRefs:
        """The ids its events carry beside its own: its participation's, campaign's and
        creator's."""
        return EventRefs(
            participation_id=self.participation_id,
            campaign_id=self.campaign_id,
            creator_id=self.creator_id,
        )


def pull_events(aggregate: object) -> list[DomainEvent]:
    """The events ``aggregate`` recorded since the last pull (none for other objects): what a
    unit of work writes to the outbox with the aggregate's write."""
    return aggregate.pull_events() if isinstance(aggregate, Aggregate) else []


def apply_changes(
    aggregate: Any, changes: Mapping[str, Any], *, editable: frozenset[str]
) -> tuple[str, ...]:
    """Set ``changes`` on an attrs aggregate: a copy is built with them first (so every field
    and the whole are validated before anything is set), then those that differ are set.
    Returns the names of the fields that changed, sorted."""
    check_editable(changes, editable)
    updated = attrs.evolve(aggregate, **changes)
    fields = tuple(sorted(k for k in changes if getattr(aggregate, k) != getattr(updated, k)))
    for name in fields:
        setattr(aggregate, name, getattr(updated, name))
    return fields


def check_editable(changes: Mapping[str, Any], editable: frozenset[str]) -> None:
    """Raise ValidationError naming the fields of ``changes`` that are not ``editable``."""
    unknown = set(changes) - editable
    if unknown:
        raise ValidationError("changes", sorted(unknown), f"only {sorted(editable)} can be changed")
