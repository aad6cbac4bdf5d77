"""Domain events: past-tense, frozen facts, one per state change, written to the outbox.

This module is their one namespace: every event class is importable from here, whether it
is defined here or beside the aggregate that records it.
"""

from __future__ import annotations

import attrs

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
    "CommissionApproved",
    "CommissionClawedBack",
    "CommissionEarned",
    "CommissionRevised",
    "CommissionSettled",
    "ContentSubmitted",
    "ContestCreated",
    "ContestDrawn",
    "ContestEntryReceived",
    "ContestSeedCommitted",
    "ContestWinnerNotified",
    "CostCancelled",
    "CostCommitted",
    "CostPaid",
    "CostPlanned",
    "CostPutOnStatement",
    "CreatorListSubmitted",
    "CreatorErased",
    "CreatorRated",
    "CreatorRegistered",
    "CreatorReviewed",
    "CreatorUpdated",
    "DeliverableCancelled",
    "DeliverablePlanned",
    "DeliverableRescheduled",
    "DomainEvent",
    "DraftApproved",
    "DraftChangesRequested",
    "DraftPublished",
    "DraftSubmitted",
    "EarnedMentionCaptured",
    "ExchangeLogged",
    "EarnedMentionUpdated",
    "EventReminderSent",
    "EventScheduled",
    "GroupCreated",
    "GroupMembersChanged",
    "GuestCheckedIn",
    "GuestInvited",
    "GuestPromoted",
    "LinkCreated",
    "MessageSent",
    "MessagesRead",
    "MetricsRecorded",
    "OrderAttributed",
    "OrderCancelled",
    "OrderRefunded",
    "PersonalDataErased",
    "ParticipationAdded",
    "ParticipationStatusChanged",
    "PromoCodeCreated",
    "PublicationReminderSent",
    "ProjectCopied",
    "RateCardDefined",
    "RsvpReceived",
    "ShipmentCreated",
    "ShipmentDelivered",
    "ShipmentLost",
    "ShipmentReturned",
    "ShipmentShipped",
    "StatementIssued",
    "StatementPaid",
    "SubmissionReopened",
    "SubmissionValidated",
    "TemplateSaved",
    "UsageRightsExpiring",
    "UsageRightsGranted",
    "UsageRightsRevoked",
    "ValidationDue",
    "event_types",
]

from influcampaign.domain.application import (
    ApplicationAccepted,
    ApplicationRefused,
    ApplicationSubmitted,
    ApplicationWithdrawn,
)
from influcampaign.domain.brand_event import (
    EventScheduled,
    GuestCheckedIn,
    GuestInvited,
    GuestPromoted,
    RsvpReceived,
)
from influcampaign.domain.campaign import (
    CampaignCancelled,
    CampaignCreated,
    CampaignEnded,
    CampaignOpened,
    CampaignReviewed,
    CampaignStarted,
    CampaignUpdated,
    ProjectCopied,
)
from influcampaign.domain.capture import EarnedMentionCaptured, EarnedMentionUpdated
from influcampaign.domain.commission import (
    CommissionApproved,
    CommissionClawedBack,
    CommissionEarned,
    CommissionRevised,
    CommissionSettled,
)

# -- applications ----------------------------------------------------------------------
from influcampaign.domain.content import (
    ContentSubmitted,
    MetricsRecorded,
    SubmissionReopened,
    SubmissionValidated,
)
from influcampaign.domain.contest import (
    ContestCreated,
    ContestDrawn,
    ContestEntryReceived,
    ContestSeedCommitted,
    ContestWinnerNotified,
)
from influcampaign.domain.costs import (
    CostCancelled,
    CostCommitted,
    CostPaid,
    CostPlanned,
    CostPutOnStatement,
)
from influcampaign.domain.creator import CreatorRegistered, CreatorUpdated
from influcampaign.domain.deliverable import (
    DeliverableCancelled,
    DeliverablePlanned,
    DeliverableRescheduled,
)
from influcampaign.domain.drafts import (
    DraftApproved,
    DraftChangesRequested,
    DraftPublished,
    DraftSubmitted,
)
from influcampaign.domain.emv import RateCardDefined
from influcampaign.domain.event import DomainEvent, event_types
from influcampaign.domain.event import register as _event
from influcampaign.domain.exchanges import ExchangeLogged
from influcampaign.domain.group import GroupCreated, GroupMembersChanged
from influcampaign.domain.messaging import MessageSent, MessagesRead, TemplateSaved
from influcampaign.domain.orders import OrderAttributed, OrderCancelled, OrderRefunded
from influcampaign.domain.participation import (
    CreatorReviewed,
    ParticipationAdded,
    ParticipationStatusChanged,
)
from influcampaign.domain.payout import StatementIssued, StatementPaid
from influcampaign.domain.privacy import CreatorErased, PersonalDataErased
from influcampaign.domain.review import CreatorRated
from influcampaign.domain.rights import (
    UsageRightsExpiring,
    UsageRightsGranted,
    UsageRightsRevoked,
)
from influcampaign.domain.scheduling import (
    ApplicationPendingTooLong,
    EventReminderSent,
    PublicationReminderSent,
    ValidationDue,
)
from influcampaign.domain.shipment import (
    ShipmentCreated,
    ShipmentDelivered,
    ShipmentLost,
    ShipmentReturned,
    ShipmentShipped,
)
from influcampaign.domain.tracking import LinkCreated, PromoCodeCreated

# -- events that belong to no aggregate ------------------------------------------------


@_event
@attrs.frozen(kw_only=True)
class CreatorListSubmitted(DomainEvent):
    """The creator list was sent to colleagues or a client for approval."""

    campaign_id: str
    participation_ids: tuple[str, ...]
    reviewer_ids: tuple[str, ...]
