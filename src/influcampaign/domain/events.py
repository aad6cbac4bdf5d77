"""Domain events: past-tense, frozen facts, one per state change, written to the outbox.

This module is their one namespace: every event class is importable from here, whether it
is defined here or beside the aggregate that records it.
"""

from __future__ import annotations

import attrs
import pendulum

__all__ = [
    "ApplicationAccepted",
    "ApplicationPendingTooLong",
    "ApplicationRefused",
    "ApplicationSubmitted",
    "ApplicationWithdrawn",
    "CampaignCancelled",
    "CampaignCreated",
    "CampaignEnded",
    "CampaignOpened",
    "CampaignReviewed",
    "CampaignStarted",
    "CampaignUpdated",
    "ContentSubmitted",
    "CostCancelled",
    "CostCommitted",
    "CostPaid",
    "CostPlanned",
    "CreatorListSubmitted",
    "CreatorRated",
    "CreatorRegistered",
    "CreatorReviewed",
    "CreatorUpdated",
    "DeliverableCancelled",
    "DeliverablePlanned",
    "DeliverableRescheduled",
    "DomainEvent",
    "GroupCreated",
    "GroupMembersChanged",
    "LinkCreated",
    "MessageSent",
    "MessagesRead",
    "MetricsRecorded",
    "OrderAttributed",
    "OrderCancelled",
    "OrderRefunded",
    "ParticipationAdded",
    "ParticipationStatusChanged",
    "PromoCodeCreated",
    "PublicationReminderSent",
    "RateCardDefined",
    "ShipmentCreated",
    "ShipmentDelivered",
    "ShipmentLost",
    "ShipmentReturned",
    "ShipmentShipped",
    "SubmissionReopened",
    "SubmissionValidated",
    "TemplateSaved",
    "ValidationDue",
    "event_types",
]

from influcampaign.domain.content import (
    ContentSubmitted,
    DeliverableCancelled,
    DeliverablePlanned,
    DeliverableRescheduled,
    MetricsRecorded,
    SubmissionReopened,
    SubmissionValidated,
)
from influcampaign.domain.costs import CostCancelled, CostCommitted, CostPaid, CostPlanned
from influcampaign.domain.emv import RateCardDefined
from influcampaign.domain.event import DomainEvent, event_types
from influcampaign.domain.event import register as _event
from influcampaign.domain.orders import OrderAttributed, OrderCancelled, OrderRefunded
from influcampaign.domain.review import CreatorRated
from influcampaign.domain.scheduling import (
    ApplicationPendingTooLong,
    PublicationReminderSent,
    ValidationDue,
)
from influcampaign.domain.tracking import LinkCreated, PromoCodeCreated

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


# -- applications ----------------------------------------------------------------------


@_event
@attrs.frozen(kw_only=True)
class ApplicationSubmitted(DomainEvent):
    """A creator applied to a marketplace offer."""

    application_id: str
    campaign_id: str
    creator_id: str


@_event
@attrs.frozen(kw_only=True)
class ApplicationAccepted(DomainEvent):
    """The brand accepted an application, with a personal message."""

    application_id: str
    campaign_id: str
    creator_id: str
    participation_id: str
    message: str
    waited_seconds: int


@_event
@attrs.frozen(kw_only=True)
class ApplicationRefused(DomainEvent):
    """The brand refused an application, with a personal message and maybe a reason."""

    application_id: str
    campaign_id: str
    creator_id: str
    message: str
    reason: str | None
    waited_seconds: int


@_event
@attrs.frozen(kw_only=True)
class ApplicationWithdrawn(DomainEvent):
    """The creator withdrew its application."""

    application_id: str
    campaign_id: str
    creator_id: str


# -- participations and the creator list -----------------------------------------------


@_event
@attrs.frozen(kw_only=True)
class ParticipationAdded(DomainEvent):
    """A creator was put on a campaign (from an application, a group or by hand)."""

    participation_id: str
    campaign_id: str
    creator_id: str
    source: str
    status: str


@_event
@attrs.frozen(kw_only=True)
class CreatorListSubmitted(DomainEvent):
    """The creator list was sent to colleagues or a client for approval."""

    campaign_id: str
    participation_ids: tuple[str, ...]
    reviewer_ids: tuple[str, ...]


@_event
@attrs.frozen(kw_only=True)
class CreatorReviewed(DomainEvent):
    """A reviewer approved or rejected a creator of the list, with a comment."""

    participation_id: str
    campaign_id: str
    creator_id: str
    reviewer_id: str
    verdict: str
    comment: str


@_event
@attrs.frozen(kw_only=True)
class ParticipationStatusChanged(DomainEvent):
    """A participation moved in its lifecycle (approved, confirmed, declined, dropped …)."""

    participation_id: str
    campaign_id: str
    creator_id: str
    previous_status: str
    status: str
    reason: str = ""


# -- messages ----------------------------------------------------------------------------


@_event
@attrs.frozen(kw_only=True)
class MessageSent(DomainEvent):
    """A message was added to a participation's thread (by the brand, the creator or the system)."""

    message_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    author: str


@_event
@attrs.frozen(kw_only=True)
class MessagesRead(DomainEvent):
    """One side read the messages of a thread."""

    participation_id: str
    reader: str
    count: int


@_event
@attrs.frozen(kw_only=True)
class TemplateSaved(DomainEvent):
    """A brand created or changed a message template."""

    template_id: str
    brand_id: str
    kind: str


# -- shipments ---------------------------------------------------------------------------


@_event
@attrs.frozen(kw_only=True)
class ShipmentCreated(DomainEvent):
    """A parcel is to be prepared for a creator."""

    shipment_id: str
    participation_id: str
    campaign_id: str
    creator_id: str


@_event
@attrs.frozen(kw_only=True)
class ShipmentShipped(DomainEvent):
    """A parcel left, with its carrier and tracking link: the creator is told."""

    shipment_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None


@_event
@attrs.frozen(kw_only=True)
class ShipmentDelivered(DomainEvent):
    """A parcel arrived: publication reminders are scheduled."""

    shipment_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    reminders_at: tuple[pendulum.DateTime, ...]


@_event
@attrs.frozen(kw_only=True)
class ShipmentLost(DomainEvent):
    """A parcel was declared lost."""

    shipment_id: str
    participation_id: str
    campaign_id: str


@_event
@attrs.frozen(kw_only=True)
class ShipmentReturned(DomainEvent):
    """A parcel came back to the brand."""

    shipment_id: str
    participation_id: str
    campaign_id: str
