"""The base of domain events and their registry (the tag of each event in JSON and the outbox).

Events are defined beside the aggregate that records them and registered with
:func:`register`; :mod:`influcampaign.domain.events` is the namespace that gathers them all.
"""

from __future__ import annotations

from typing import TypeVar

import attrs
import pendulum

__all__ = ["DomainEvent", "event_types", "register"]


@attrs.frozen(kw_only=True)
class DomainEvent:
    """Base of every event: when it happened (UTC, from the injected clock)."""

    occurred_at: pendulum.DateTime

    @property
    def type(self) -> str:
        """The event's tag: its class name."""
        return type(self).__name__


_REGISTRY: dict[str, type[DomainEvent]] = {}

E = TypeVar("E", bound="type[DomainEvent]")


def register(cls: E) -> E:
    """Register an event class under its name, the tag used in the outbox and in JSON."""
    _REGISTRY[cls.__name__] = cls
    return cls


def event_types() -> dict[str, type[DomainEvent]]:
    """Every registered event class by name (all of them: the events namespace is loaded)."""
    import influcampaign.domain.events  # noqa: F401 - imports every module that defines events

    return dict(_REGISTRY)
