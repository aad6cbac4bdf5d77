"""Domain events: past-tense, frozen facts, one per state change, written to the outbox.

This module is their one namespace: every event class is importable from here, whether it
is defined here or beside the aggregate that records it.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import pendulum

from influcampaign.domain.money import Money

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

from influcampaign.domain.application import (
    ApplicationAccepted,
    ApplicationRefused,
    ApplicationSubmitted,
    ApplicationWithdrawn,
)
from influcampaign.domain.campaign import (
    CampaignCancelled,
    CampaignCreated,
    CampaignEnded,
    CampaignOpened,
    CampaignReviewed,
    CampaignStarted,
    CampaignUpdated,
)
from influcampaign.domain.costs import CostCancelled, CostCommitted, CostPaid, CostPlanned
from influcampaign.domain.creator import CreatorRegistered, CreatorUpdated
from influcampaign.domain.event import DomainEvent, event_types
from influcampaign.domain.event import register as _event
from influcampaign.domain.group import GroupCreated, GroupMembersChanged
from influcampaign.domain.messaging import MessageSent, MessagesRead, TemplateSaved
from influcampaign.domain.participation import (
    CreatorReviewed,
    ParticipationAdded,
    ParticipationStatusChanged,
)
from influcampaign.domain.shipment import (
    ShipmentCreated,
    ShipmentDelivered,
    ShipmentLost,
    ShipmentReturned,
    ShipmentShipped,
)

# -- applications ----------------------------------------------------------------------


@_event
@attrs.frozen(kw_only=True)
class ApplicationPendingTooLong(DomainEvent):
    """Reminder to the brand: an application has waited longer than the offer's policy allows."""

    application_id: str
    campaign_id: str
    creator_id: str
    waiting_days: int


# -- the creator list sent for approval (no aggregate changes: the service emits it) ----


@_event
@attrs.frozen(kw_only=True)
class CreatorListSubmitted(DomainEvent):
    """The creator list was sent to colleagues or a client for approval."""

    campaign_id: str
    participation_ids: tuple[str, ...]
    reviewer_ids: tuple[str, ...]


# -- content and automation --------------------------------------------------------------


@_event
@attrs.frozen(kw_only=True)
class ContentSubmitted(DomainEvent):
    """A creator submitted a published content; its publication reminders stop."""

    submission_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    url: str
    deliverable_id: str = ""
    suggested_compliance: int | None = None


@_event
@attrs.frozen(kw_only=True)
class DeliverablePlanned(DomainEvent):
    """A content a creator owes was added to the plan."""

    deliverable_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    platform: str
    format: str
    quantity: int
    planned_on: str  # ISO date, or "" when not planned yet
    due_on: str


@_event
@attrs.frozen(kw_only=True)
class DeliverableRescheduled(DomainEvent):
    """A deliverable's planned or due date moved (its calendar SEQUENCE rose)."""

    deliverable_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    planned_on: str
    due_on: str
    sequence: int


@_event
@attrs.frozen(kw_only=True)
class DeliverableCancelled(DomainEvent):
    """A deliverable is no longer expected."""

    deliverable_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    reason: str


@_event
@attrs.frozen(kw_only=True)
class MetricsRecorded(DomainEvent):
    """New metrics of a content were recorded (the history keeps every snapshot)."""

    submission_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    snapshot: int  # its number in the history, from 1


@_event
@attrs.frozen(kw_only=True)
class SubmissionValidated(DomainEvent):
    """The brand validated a content at a compliance percentage, or the scheduler did
    (``automatic``) because the brand had not within the policy's days."""

    submission_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    compliance: int
    automatic: bool
    late: bool


@_event
@attrs.frozen(kw_only=True)
class SubmissionReopened(DomainEvent):
    """A validated content was opened again, with a reason; its validation clock restarts."""

    submission_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    reason: str


@_event
@attrs.frozen(kw_only=True)
class ValidationDue(DomainEvent):
    """The brand has a content to validate before ``deadline`` (after it, it is late)."""

    submission_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    deadline: pendulum.DateTime
    auto_validation_at: pendulum.DateTime


@_event
@attrs.frozen(kw_only=True)
class PublicationReminderSent(DomainEvent):
    """The scheduler reminded a creator to publish (once per scheduled reminder)."""

    participation_id: str
    campaign_id: str
    creator_id: str
    shipment_id: str
    number: int
    job_id: str


# -- links, codes and sales --------------------------------------------------------------


@_event
@attrs.frozen(kw_only=True)
class LinkCreated(DomainEvent):
    """A tracked link was made for a participation."""

    link_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    slug: str


@_event
@attrs.frozen(kw_only=True)
class PromoCodeCreated(DomainEvent):
    """A promo code was made for a participation (create it in the shop with this code)."""

    promo_code_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    code: str
    percent_off: int | None


@_event
@attrs.frozen(kw_only=True)
class OrderAttributed(DomainEvent):
    """A shop order was credited to a participation (``participation_id`` None: to nobody,
    with the reason)."""

    order_id: str
    external_id: str
    participation_id: str | None
    campaign_id: str | None
    creator_id: str | None
    via: str | None
    reason: str


@_event
@attrs.frozen(kw_only=True)
class OrderRefunded(DomainEvent):
    """Money was refunded on an order (once per refund)."""

    order_id: str
    refund_id: str
    amount: Money
    campaign_id: str | None


@_event
@attrs.frozen(kw_only=True)
class OrderCancelled(DomainEvent):
    """An order was cancelled; it no longer counts as a sale."""

    order_id: str
    campaign_id: str | None


@_event
@attrs.frozen(kw_only=True)
class RateCardDefined(DomainEvent):
    """A brand defined a version of an EMV rate card."""

    brand_id: str
    name: str
    card_version: int
    valid_from: str


@_event
@attrs.frozen(kw_only=True)
class CreatorRated(DomainEvent):
    """A brand reviewed a creator at the end of a campaign (or changed its review): the
    overall rating, whether to work again, and the reactivation tags. The note stays
    private and is not in the event."""

    review_id: str
    campaign_id: str
    creator_id: str
    overall: Decimal
    work_again: bool
    tags: tuple[str, ...]
