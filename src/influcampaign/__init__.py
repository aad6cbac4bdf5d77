"""influcampaign: the rules of influencer campaign management, as an embeddable SDK.

>>> import influcampaign as ic
>>> ws = ic.open("memory://")
>>> ws.store
MemoryStore()
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from influcampaign.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    ConfigurationError,
    CurrencyMismatch,
    InflucampaignError,
    InvalidTransition,
    LimitReached,
    NotFound,
    PermissionDenied,
    SignatureError,
    StorageError,
    ValidationError,
)

# A library logs, the host decides where it goes: nothing is printed unless it configures
# logging (rejected webhooks and refused click ids are logged as warnings).
logging.getLogger("influcampaign").addHandler(logging.NullHandler())

if TYPE_CHECKING:
    from influcampaign.adapters.bots import KnownBots
    from influcampaign.adapters.clock import FrozenClock, SystemClock
    from influcampaign.adapters.frames import to_frame
    from influcampaign.adapters.ids import RandomIds, SequentialIds
    from influcampaign.adapters.memory import MemoryStore
    from influcampaign.adapters.rates import FixedRates
    from influcampaign.adapters.shopify import ShopifyShop, ShopifyWebhooks
    from influcampaign.adapters.sql import SqlStore
    from influcampaign.analytics.audiences import AudienceDirectory, ExactAudience, ThetaAudience
    from influcampaign.analytics.forecast import Estimate, ForecastInput, ForecastModel, simulate
    from influcampaign.analytics.history import (
        Adjustment,
        AdjustmentTopic,
        CampaignLine,
        CampaignRecord,
        CreatorHistory,
        LateDelivery,
        LowCompliance,
        Retrospective,
        RetrospectivePolicy,
        creator_histories,
        retrospective,
    )
    from influcampaign.analytics.matching import (
        CreatorPool,
        Criterion,
        CriterionKind,
        Match,
        Outcome,
        PastPerformance,
        Ranking,
        RefusalSignal,
        rank,
        score_creator,
    )
    from influcampaign.analytics.overlap import OverlapReport, overlap_report
    from influcampaign.analytics.planner import ReachPlan, plan_reach
    from influcampaign.analytics.report import (
        Budget,
        BudgetLine,
        CampaignReport,
        ContentEmv,
        CostBasis,
        EmvReport,
        ForecastCheck,
        ForecastLine,
        ForecastReport,
        RoiLine,
        SalesFigures,
        SegmentLine,
        campaign_report,
        roi_line,
    )
    from influcampaign.domain.access import AccessPolicy, Permission
    from influcampaign.domain.application import Application, ApplicationStatus, RefusalReason
    from influcampaign.domain.brief import (
        BriefReport,
        BriefRequirements,
        BriefVerdict,
        BriefWeights,
        Jurisdiction,
        MandatoryElement,
        RequirementKind,
        RequirementResult,
    )
    from influcampaign.domain.calendar import CalendarEntry, ContentCalendar
    from influcampaign.domain.campaign import (
        Campaign,
        CampaignKind,
        CampaignMode,
        CampaignPolicies,
        CampaignStatus,
        Compensation,
        DateWindow,
    )
    from influcampaign.domain.content import (
        ContentFormat,
        Deliverable,
        DeliverableStatus,
        Metrics,
        MetricsSnapshot,
        Submission,
        SubmissionStatus,
        Validation,
    )
    from influcampaign.domain.costs import Cost, CostKind, CostStatus
    from influcampaign.domain.creator import (
        AudienceDataState,
        AudienceShares,
        AudienceStats,
        ContactDetails,
        Creator,
        Platform,
        Tier,
        TierPolicy,
    )
    from influcampaign.domain.emv import (
        DEFAULT_RATE_CARD,
        DEFAULT_RATE_CARDS,
        EmvAction,
        EmvRate,
        EmvValue,
        RateCard,
        RateCardBook,
    )
    from influcampaign.domain.events import DomainEvent
    from influcampaign.domain.group import Group
    from influcampaign.domain.messaging import Message, MessageTemplate, TemplateKind
    from influcampaign.domain.money import Money
    from influcampaign.domain.orders import (
        Attribution,
        Order,
        OrderPlacement,
        RateUsed,
        Refund,
        ShopEvent,
        ShopTopic,
        TouchKind,
    )
    from influcampaign.domain.participation import Participation, ParticipationStatus, Verdict
    from influcampaign.domain.policies import (
        ApplicationPolicy,
        AttributionPolicy,
        AttributionRule,
        ClickPolicy,
        EmvPolicy,
        ListApprovalPolicy,
        ReminderPolicy,
        RevenueBasis,
        ValidationPolicy,
    )
    from influcampaign.domain.principals import (
        BrandMember,
        BrandRole,
        ClientReviewer,
        CreatorUser,
        Principal,
        SystemActor,
    )
    from influcampaign.domain.review import RATING_SCALE, CreatorReview, Ratings, ReactivationTag
    from influcampaign.domain.scheduling import Job, JobStatus
    from influcampaign.domain.shipment import Shipment, ShipmentItem, ShipmentStatus
    from influcampaign.domain.targeting import (
        Collaboration,
        FollowerRange,
        MatchingPolicy,
        MatchWeights,
        Targeting,
    )
    from influcampaign.domain.tokens import SigningKeys
    from influcampaign.domain.tracking import Click, PromoCode, TrackedLink
    from influcampaign.ports import (
        BotFilter,
        Clock,
        IdGenerator,
        OutboxMessage,
        Rate,
        RateProvider,
        Store,
        UnitOfWork,
    )
    from influcampaign.rules.brief_check import BriefCheck
    from influcampaign.rules.disclosure import DisclosureRule
    from influcampaign.rules.promo_codes import CodeRules
    from influcampaign.serialization import make_converter
    from influcampaign.services.applications import ResponseStats
    from influcampaign.services.deliverables import DeliveryLine, DeliveryProgress
    from influcampaign.services.participations import CreatorListStatus
    from influcampaign.services.reviews import ReactivationLine
    from influcampaign.services.sales import Applied, ClickCount, SalesLine, SalesReport
    from influcampaign.services.scheduler import SchedulerRun
    from influcampaign.services.submissions import ValidationDeadlines
    from influcampaign.services.tracking import ClickOutcome
    from influcampaign.services.workspace import Workspace

__all__ = [
    "AccessPolicy",
    "Adjustment",
    "AdjustmentTopic",
    "AlreadyExists",
    "Application",
    "ApplicationPolicy",
    "ApplicationStatus",
    "Applied",
    "Attribution",
    "AttributionPolicy",
    "AttributionRule",
    "AudienceDataState",
    "AudienceDirectory",
    "AudienceShares",
    "AudienceStats",
    "BotFilter",
    "BrandMember",
    "BrandRole",
    "BriefCheck",
    "BriefReport",
    "BriefRequirements",
    "BriefVerdict",
    "BriefWeights",
    "Budget",
    "BudgetLine",
    "CalendarEntry",
    "Campaign",
    "CampaignKind",
    "CampaignLine",
    "CampaignMode",
    "CampaignPolicies",
    "CampaignRecord",
    "CampaignReport",
    "CampaignStatus",
    "Click",
    "ClickCount",
    "ClickOutcome",
    "ClickPolicy",
    "ClientReviewer",
    "Clock",
    "CodeRules",
    "Collaboration",
    "Compensation",
    "ConcurrencyConflict",
    "ConfigurationError",
    "ContactDetails",
    "ContentCalendar",
    "ContentEmv",
    "ContentFormat",
    "Cost",
    "CostBasis",
    "CostKind",
    "CostStatus",
    "Creator",
    "CreatorHistory",
    "CreatorListStatus",
    "CreatorPool",
    "CreatorReview",
    "CreatorUser",
    "Criterion",
    "CriterionKind",
    "CurrencyMismatch",
    "DEFAULT_RATE_CARD",
    "DEFAULT_RATE_CARDS",
    "DateWindow",
    "Deliverable",
    "DeliverableStatus",
    "DeliveryLine",
    "DeliveryProgress",
    "DisclosureRule",
    "DomainEvent",
    "EmvAction",
    "EmvPolicy",
    "EmvRate",
    "EmvReport",
    "EmvValue",
    "Estimate",
    "ExactAudience",
    "FixedRates",
    "FollowerRange",
    "ForecastCheck",
    "ForecastInput",
    "ForecastLine",
    "ForecastModel",
    "ForecastReport",
    "FrozenClock",
    "Group",
    "IdGenerator",
    "InflucampaignError",
    "InvalidTransition",
    "Job",
    "JobStatus",
    "Jurisdiction",
    "KnownBots",
    "LateDelivery",
    "LimitReached",
    "ListApprovalPolicy",
    "LowCompliance",
    "MandatoryElement",
    "Match",
    "MatchWeights",
    "MatchingPolicy",
    "MemoryStore",
    "Message",
    "MessageTemplate",
    "Metrics",
    "MetricsSnapshot",
    "Money",
    "NotFound",
    "Order",
    "OrderPlacement",
    "OutboxMessage",
    "Outcome",
    "OverlapReport",
    "Participation",
    "ParticipationStatus",
    "PastPerformance",
    "Permission",
    "PermissionDenied",
    "Platform",
    "Principal",
    "PromoCode",
    "RATING_SCALE",
    "RandomIds",
    "Ranking",
    "Rate",
    "RateCard",
    "RateCardBook",
    "RateProvider",
    "RateUsed",
    "Ratings",
    "ReachPlan",
    "ReactivationLine",
    "ReactivationTag",
    "Refund",
    "RefusalReason",
    "RefusalSignal",
    "ReminderPolicy",
    "RequirementKind",
    "RequirementResult",
    "ResponseStats",
    "Retrospective",
    "RetrospectivePolicy",
    "RevenueBasis",
    "RoiLine",
    "SalesFigures",
    "SalesLine",
    "SalesReport",
    "SchedulerRun",
    "SegmentLine",
    "SequentialIds",
    "Shipment",
    "ShipmentItem",
    "ShipmentStatus",
    "ShopEvent",
    "ShopTopic",
    "ShopifyShop",
    "ShopifyWebhooks",
    "SignatureError",
    "SigningKeys",
    "SqlStore",
    "StorageError",
    "Store",
    "Submission",
    "SubmissionStatus",
    "SystemActor",
    "SystemClock",
    "Targeting",
    "TemplateKind",
    "ThetaAudience",
    "Tier",
    "TierPolicy",
    "TouchKind",
    "TrackedLink",
    "UnitOfWork",
    "Validation",
    "ValidationDeadlines",
    "ValidationError",
    "ValidationPolicy",
    "Verdict",
    "Workspace",
    "campaign_report",
    "creator_histories",
    "make_converter",
    "open",
    "overlap_report",
    "plan_reach",
    "rank",
    "retrospective",
    "roi_line",
    "score_creator",
    "simulate",
    "to_frame",
]

_LAZY: dict[str, str] = {
    "AccessPolicy": "influcampaign.domain.access",
    "Adjustment": "influcampaign.analytics.history",
    "AdjustmentTopic": "influcampaign.analytics.history",
    "Application": "influcampaign.domain.application",
    "ApplicationPolicy": "influcampaign.domain.policies",
    "ApplicationStatus": "influcampaign.domain.application",
    "Applied": "influcampaign.services.sales",
    "Attribution": "influcampaign.domain.orders",
    "AttributionPolicy": "influcampaign.domain.policies",
    "AttributionRule": "influcampaign.domain.policies",
    "AudienceDataState": "influcampaign.domain.creator",
    "AudienceDirectory": "influcampaign.analytics.audiences",
    "AudienceShares": "influcampaign.domain.creator",
    "AudienceStats": "influcampaign.domain.creator",
    "BotFilter": "influcampaign.ports",
    "BrandMember": "influcampaign.domain.principals",
    "BrandRole": "influcampaign.domain.principals",
    "BriefCheck": "influcampaign.rules.brief_check",
    "BriefReport": "influcampaign.domain.brief",
    "BriefRequirements": "influcampaign.domain.brief",
    "BriefVerdict": "influcampaign.domain.brief",
    "BriefWeights": "influcampaign.domain.brief",
    "Budget": "influcampaign.analytics.report",
    "BudgetLine": "influcampaign.analytics.report",
    "CalendarEntry": "influcampaign.domain.calendar",
    "Campaign": "influcampaign.domain.campaign",
    "CampaignKind": "influcampaign.domain.campaign",
    "CampaignLine": "influcampaign.analytics.history",
    "CampaignMode": "influcampaign.domain.campaign",
    "CampaignPolicies": "influcampaign.domain.campaign",
    "CampaignRecord": "influcampaign.analytics.history",
    "CampaignReport": "influcampaign.analytics.report",
    "CampaignStatus": "influcampaign.domain.campaign",
    "Click": "influcampaign.domain.tracking",
    "ClickCount": "influcampaign.services.sales",
    "ClickOutcome": "influcampaign.services.tracking",
    "ClickPolicy": "influcampaign.domain.policies",
    "ClientReviewer": "influcampaign.domain.principals",
    "Clock": "influcampaign.ports",
    "CodeRules": "influcampaign.rules.promo_codes",
    "Collaboration": "influcampaign.domain.targeting",
    "Compensation": "influcampaign.domain.campaign",
    "ContactDetails": "influcampaign.domain.creator",
    "ContentCalendar": "influcampaign.domain.calendar",
    "ContentEmv": "influcampaign.analytics.report",
    "ContentFormat": "influcampaign.domain.content",
    "Cost": "influcampaign.domain.costs",
    "CostBasis": "influcampaign.analytics.report",
    "CostKind": "influcampaign.domain.costs",
    "CostStatus": "influcampaign.domain.costs",
    "Creator": "influcampaign.domain.creator",
    "CreatorHistory": "influcampaign.analytics.history",
    "CreatorListStatus": "influcampaign.services.participations",
    "CreatorPool": "influcampaign.analytics.matching",
    "CreatorReview": "influcampaign.domain.review",
    "CreatorUser": "influcampaign.domain.principals",
    "Criterion": "influcampaign.analytics.matching",
    "CriterionKind": "influcampaign.analytics.matching",
    "DEFAULT_RATE_CARD": "influcampaign.domain.emv",
    "DEFAULT_RATE_CARDS": "influcampaign.domain.emv",
    "DateWindow": "influcampaign.domain.campaign",
    "Deliverable": "influcampaign.domain.content",
    "DeliverableStatus": "influcampaign.domain.content",
    "DeliveryLine": "influcampaign.services.deliverables",
    "DeliveryProgress": "influcampaign.services.deliverables",
    "DisclosureRule": "influcampaign.rules.disclosure",
    "DomainEvent": "influcampaign.domain.events",
    "EmvAction": "influcampaign.domain.emv",
    "EmvPolicy": "influcampaign.domain.policies",
    "EmvRate": "influcampaign.domain.emv",
    "EmvReport": "influcampaign.analytics.report",
    "EmvValue": "influcampaign.domain.emv",
    "Estimate": "influcampaign.analytics.forecast",
    "ExactAudience": "influcampaign.analytics.audiences",
    "FixedRates": "influcampaign.adapters.rates",
    "FollowerRange": "influcampaign.domain.targeting",
    "ForecastCheck": "influcampaign.analytics.report",
    "ForecastInput": "influcampaign.analytics.forecast",
    "ForecastLine": "influcampaign.analytics.report",
    "ForecastModel": "influcampaign.analytics.forecast",
    "ForecastReport": "influcampaign.analytics.report",
    "FrozenClock": "influcampaign.adapters.clock",
    "Group": "influcampaign.domain.group",
    "IdGenerator": "influcampaign.ports",
    "Job": "influcampaign.domain.scheduling",
    "JobStatus": "influcampaign.domain.scheduling",
    "Jurisdiction": "influcampaign.domain.brief",
    "KnownBots": "influcampaign.adapters.bots",
    "LateDelivery": "influcampaign.analytics.history",
    "ListApprovalPolicy": "influcampaign.domain.policies",
    "LowCompliance": "influcampaign.analytics.history",
    "MandatoryElement": "influcampaign.domain.brief",
    "Match": "influcampaign.analytics.matching",
    "MatchWeights": "influcampaign.domain.targeting",
    "MatchingPolicy": "influcampaign.domain.targeting",
    "MemoryStore": "influcampaign.adapters.memory",
    "Message": "influcampaign.domain.messaging",
    "MessageTemplate": "influcampaign.domain.messaging",
    "Metrics": "influcampaign.domain.content",
    "MetricsSnapshot": "influcampaign.domain.content",
    "Money": "influcampaign.domain.money",
    "Order": "influcampaign.domain.orders",
    "OrderPlacement": "influcampaign.domain.orders",
    "OutboxMessage": "influcampaign.ports",
    "Outcome": "influcampaign.analytics.matching",
    "OverlapReport": "influcampaign.analytics.overlap",
    "Participation": "influcampaign.domain.participation",
    "ParticipationStatus": "influcampaign.domain.participation",
    "PastPerformance": "influcampaign.analytics.matching",
    "Permission": "influcampaign.domain.access",
    "Platform": "influcampaign.domain.creator",
    "Principal": "influcampaign.domain.principals",
    "PromoCode": "influcampaign.domain.tracking",
    "RATING_SCALE": "influcampaign.domain.review",
    "RandomIds": "influcampaign.adapters.ids",
    "Ranking": "influcampaign.analytics.matching",
    "Rate": "influcampaign.ports",
    "RateCard": "influcampaign.domain.emv",
    "RateCardBook": "influcampaign.domain.emv",
    "RateProvider": "influcampaign.ports",
    "RateUsed": "influcampaign.domain.orders",
    "Ratings": "influcampaign.domain.review",
    "ReachPlan": "influcampaign.analytics.planner",
    "ReactivationLine": "influcampaign.services.reviews",
    "ReactivationTag": "influcampaign.domain.review",
    "Refund": "influcampaign.domain.orders",
    "RefusalReason": "influcampaign.domain.application",
    "RefusalSignal": "influcampaign.analytics.matching",
    "ReminderPolicy": "influcampaign.domain.policies",
    "RequirementKind": "influcampaign.domain.brief",
    "RequirementResult": "influcampaign.domain.brief",
    "ResponseStats": "influcampaign.services.applications",
    "Retrospective": "influcampaign.analytics.history",
    "RetrospectivePolicy": "influcampaign.analytics.history",
    "RevenueBasis": "influcampaign.domain.policies",
    "RoiLine": "influcampaign.analytics.report",
    "SalesFigures": "influcampaign.analytics.report",
    "SalesLine": "influcampaign.services.sales",
    "SalesReport": "influcampaign.services.sales",
    "SchedulerRun": "influcampaign.services.scheduler",
    "SegmentLine": "influcampaign.analytics.report",
    "SequentialIds": "influcampaign.adapters.ids",
    "Shipment": "influcampaign.domain.shipment",
    "ShipmentItem": "influcampaign.domain.shipment",
    "ShipmentStatus": "influcampaign.domain.shipment",
    "ShopEvent": "influcampaign.domain.orders",
    "ShopTopic": "influcampaign.domain.orders",
    "ShopifyShop": "influcampaign.adapters.shopify",
    "ShopifyWebhooks": "influcampaign.adapters.shopify",
    "SigningKeys": "influcampaign.domain.tokens",
    "SqlStore": "influcampaign.adapters.sql",
    "Store": "influcampaign.ports",
    "Submission": "influcampaign.domain.content",
    "SubmissionStatus": "influcampaign.domain.content",
    "SystemActor": "influcampaign.domain.principals",
    "SystemClock": "influcampaign.adapters.clock",
    "Targeting": "influcampaign.domain.targeting",
    "TemplateKind": "influcampaign.domain.messaging",
    "ThetaAudience": "influcampaign.analytics.audiences",
    "Tier": "influcampaign.domain.creator",
    "TierPolicy": "influcampaign.domain.creator",
    "TouchKind": "influcampaign.domain.orders",
    "TrackedLink": "influcampaign.domain.tracking",
    "UnitOfWork": "influcampaign.ports",
    "Validation": "influcampaign.domain.content",
    "ValidationDeadlines": "influcampaign.services.submissions",
    "ValidationPolicy": "influcampaign.domain.policies",
    "Verdict": "influcampaign.domain.participation",
    "Workspace": "influcampaign.services.workspace",
    "campaign_report": "influcampaign.analytics.report",
    "creator_histories": "influcampaign.analytics.history",
    "make_converter": "influcampaign.serialization",
    "overlap_report": "influcampaign.analytics.overlap",
    "plan_reach": "influcampaign.analytics.planner",
    "rank": "influcampaign.analytics.matching",
    "retrospective": "influcampaign.analytics.history",
    "roi_line": "influcampaign.analytics.report",
    "score_creator": "influcampaign.analytics.matching",
    "simulate": "influcampaign.analytics.forecast",
    "to_frame": "influcampaign.adapters.frames",
}


def __getattr__(name: str) -> Any:
    """Import public names on first use, so that ``import influcampaign`` does no work."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'influcampaign' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def open(
    url: str,
    *,
    clock: Clock | None = None,
    ids: IdGenerator | None = None,
    access: AccessPolicy | None = None,
    keys: SigningKeys | None = None,
    rates: RateProvider | None = None,
    migrate: bool = True,
) -> Workspace:
    """A Workspace over the store at ``url``: ``memory://``, ``sqlite:///path.db`` or ``postgresql://…``.

    The SQL schema is created or upgraded unless ``migrate=False``. Without ``clock``, the
    system clock is used. ``keys`` sign tracked links' click ids; ``rates`` convert orders
    in another currency (see :class:`Workspace`).
    """
    if not isinstance(url, str):
        raise ValidationError("url", url, "must be a string such as 'sqlite:///campaigns.db'")
    from influcampaign.services.workspace import Workspace

    store: Store
    if url.startswith("memory:"):
        from influcampaign.adapters.memory import MemoryStore

        store = MemoryStore(ids=ids)
    elif url.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
        from influcampaign.adapters.sql import SqlStore

        store = SqlStore(url, ids=ids)
        if migrate:
            store.migrate()
    else:
        raise ValidationError("url", url, "must start with memory://, sqlite:/// or postgresql://")
    return Workspace(store, clock, ids=ids, access=access, keys=keys, rates=rates)
