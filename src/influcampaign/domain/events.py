"""Domain events: past-tense, frozen facts, one per state change, written to the outbox."""

from __future__ import annotations

from typing import TypeVar

import attrs
import pendulum

__all__ = [
    "CampaignCancelled",
    "CampaignCreated",
    "CampaignEnded",
    "CampaignOpened",
    "CampaignReviewed",
    "CampaignStarted",
    "CampaignUpdated",
    "CreatorRegistered",
    "CreatorUpdated",
    "DomainEvent",
    "GroupCreated",
    "GroupMembersChanged",
    "event_types",
]

_REGISTRY: dict[str, type[DomainEvent]] = {}

E = TypeVar("E", bound="type[DomainEvent]")


def _event(cls: E) -> E:
    """Register an event class under its name, the tag used in the outbox and in JSON."""
    _REGISTRY[cls.__name__] = cls
    return cls


def event_types() -> dict[str, type[DomainEvent]]:
    """Every registered event class by name."""
    return dict(_REGISTRY)


@attrs.frozen(kw_only=True)
class DomainEvent:
    """Base of every event: when it happened (UTC, from the injected clock)."""

    occurred_at: pendulum.DateTime

    @property
    def type(self) -> str:
        """The event's tag: its class name."""
        return type(self).__name__


# -- creators --------------------------------------------------------------------------


@_event
@attrs.frozen(kw_only=True)
class CreatorRegistered(DomainEvent):
    """A creator was added."""

    creator_id: str
    display_name: str


@_event
@attrs.frozen(kw_only=True)
class CreatorUpdated(DomainEvent):
    """Some of a creator's fields changed (their names, never their personal values)."""

    creator_id: str
    fields: tuple[str, ...]


# -- groups ----------------------------------------------------------------------------


@_event
@attrs.frozen(kw_only=True)
class GroupCreated(DomainEvent):
    """A brand created a group of creators."""

    group_id: str
    brand_id: str
    name: str
    creator_ids: tuple[str, ...]


@_event
@attrs.frozen(kw_only=True)
class GroupMembersChanged(DomainEvent):
    """Creators were added to or removed from a group."""

    group_id: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


# -- campaigns -------------------------------------------------------------------------


@_event
@attrs.frozen(kw_only=True)
class CampaignCreated(DomainEvent):
    """A campaign was created, as a draft."""

    campaign_id: str
    brand_id: str
    name: str
    mode: str
    kind: str


@_event
@attrs.frozen(kw_only=True)
class CampaignUpdated(DomainEvent):
    """Some of a campaign's fields (brief, dates, hashtags ...) changed."""

    campaign_id: str
    fields: tuple[str, ...]


@attrs.frozen(kw_only=True)
class _CampaignStatusEvent(DomainEvent):
    campaign_id: str
    previous_status: str


@_event
@attrs.frozen(kw_only=True)
class CampaignOpened(_CampaignStatusEvent):
    """A marketplace offer opened to applications."""


@_event
@attrs.frozen(kw_only=True)
class CampaignStarted(_CampaignStatusEvent):
    """A campaign started running."""


@_event
@attrs.frozen(kw_only=True)
class CampaignEnded(_CampaignStatusEvent):
    """A campaign ended."""


@_event
@attrs.frozen(kw_only=True)
class CampaignReviewed(_CampaignStatusEvent):
    """The brand closed the campaign's review."""


@_event
@attrs.frozen(kw_only=True)
class CampaignCancelled(_CampaignStatusEvent):
    """A campaign was cancelled before its end."""
