"""influcampaign: the rules of influencer campaign management, as an embeddable SDK.

>>> import influcampaign as ic
>>> ws = ic.open("memory://")
>>> ws.store
MemoryStore()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from influcampaign.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    CurrencyMismatch,
    InflucampaignError,
    InvalidTransition,
    LimitReached,
    NotFound,
    PermissionDenied,
    StorageError,
    ValidationError,
)

if TYPE_CHECKING:
    from influcampaign.adapters.clock import FrozenClock, SystemClock
    from influcampaign.adapters.ids import RandomIds, SequentialIds
    from influcampaign.adapters.memory import MemoryStore
    from influcampaign.adapters.sql import SqlStore
    from influcampaign.analytics.audiences import AudienceDirectory, ExactAudience, ThetaAudience
    from influcampaign.analytics.overlap import OverlapReport, overlap_report
    from influcampaign.analytics.planner import ReachPlan, plan_reach
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
    from influcampaign.domain.creator import (
        AudienceDataState,
        AudienceStats,
        ContactDetails,
        Creator,
        Platform,
        Tier,
        TierPolicy,
    )
    from influcampaign.domain.events import DomainEvent
    from influcampaign.domain.group import Group
    from influcampaign.domain.messaging import Message, MessageTemplate, TemplateKind
    from influcampaign.domain.money import Money
    from influcampaign.domain.participation import Participation, ParticipationStatus, Verdict
    from influcampaign.domain.policies import (
        ApplicationPolicy,
        ListApprovalPolicy,
        ReminderPolicy,
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
    from influcampaign.domain.scheduling import Job, JobStatus
    from influcampaign.domain.shipment import Shipment, ShipmentItem, ShipmentStatus
    from influcampaign.ports import Clock, IdGenerator, OutboxMessage, Store, UnitOfWork
    from influcampaign.rules.brief_check import BriefCheck
    from influcampaign.rules.disclosure import DisclosureRule
    from influcampaign.serialization import make_converter
    from influcampaign.services.applications import ResponseStats
    from influcampaign.services.deliverables import DeliveryLine, DeliveryProgress
    from influcampaign.services.participations import CreatorListStatus
    from influcampaign.services.scheduler import SchedulerRun
    from influcampaign.services.submissions import ValidationDeadlines
    from influcampaign.services.workspace import Workspace

__all__ = [
    "AccessPolicy",
    "AlreadyExists",
    "Application",
    "ApplicationPolicy",
    "ApplicationStatus",
    "AudienceDataState",
    "AudienceDirectory",
    "AudienceStats",
    "BrandMember",
    "BrandRole",
    "BriefCheck",
    "BriefReport",
    "BriefRequirements",
    "BriefVerdict",
    "BriefWeights",
    "CalendarEntry",
    "Campaign",
    "CampaignKind",
    "CampaignMode",
    "CampaignPolicies",
    "CampaignStatus",
    "ClientReviewer",
    "Clock",
    "Compensation",
    "ConcurrencyConflict",
    "ContactDetails",
    "ContentCalendar",
    "ContentFormat",
    "Creator",
    "CreatorListStatus",
    "CreatorUser",
    "CurrencyMismatch",
    "DateWindow",
    "Deliverable",
    "DeliverableStatus",
    "DeliveryLine",
    "DeliveryProgress",
    "DisclosureRule",
    "DomainEvent",
    "ExactAudience",
    "FrozenClock",
    "Group",
    "IdGenerator",
    "InflucampaignError",
    "InvalidTransition",
    "Job",
    "JobStatus",
    "Jurisdiction",
    "LimitReached",
    "ListApprovalPolicy",
    "MandatoryElement",
    "MemoryStore",
    "Message",
    "MessageTemplate",
    "Metrics",
    "MetricsSnapshot",
    "Money",
    "NotFound",
    "OutboxMessage",
    "OverlapReport",
    "Participation",
    "ParticipationStatus",
    "Permission",
    "PermissionDenied",
    "Platform",
    "Principal",
    "RandomIds",
    "ReachPlan",
    "RefusalReason",
    "ReminderPolicy",
    "RequirementKind",
    "RequirementResult",
    "ResponseStats",
    "SchedulerRun",
    "SequentialIds",
    "Shipment",
    "ShipmentItem",
    "ShipmentStatus",
    "SqlStore",
    "StorageError",
    "Store",
    "Submission",
    "SubmissionStatus",
    "SystemActor",
    "SystemClock",
    "TemplateKind",
    "ThetaAudience",
    "Tier",
    "TierPolicy",
    "UnitOfWork",
    "Validation",
    "ValidationDeadlines",
    "ValidationError",
    "ValidationPolicy",
    "Verdict",
    "Workspace",
    "make_converter",
    "open",
    "overlap_report",
    "plan_reach",
]

_LAZY: dict[str, str] = {
    "AccessPolicy": "influcampaign.domain.access",
    "Application": "influcampaign.domain.application",
    "ApplicationPolicy": "influcampaign.domain.policies",
    "ApplicationStatus": "influcampaign.domain.application",
    "AudienceDataState": "influcampaign.domain.creator",
    "AudienceDirectory": "influcampaign.analytics.audiences",
    "AudienceStats": "influcampaign.domain.creator",
    "BrandMember": "influcampaign.domain.principals",
    "BrandRole": "influcampaign.domain.principals",
    "BriefCheck": "influcampaign.rules.brief_check",
    "BriefReport": "influcampaign.domain.brief",
    "BriefRequirements": "influcampaign.domain.brief",
    "BriefVerdict": "influcampaign.domain.brief",
    "BriefWeights": "influcampaign.domain.brief",
    "CalendarEntry": "influcampaign.domain.calendar",
    "Campaign": "influcampaign.domain.campaign",
    "CampaignKind": "influcampaign.domain.campaign",
    "CampaignMode": "influcampaign.domain.campaign",
    "CampaignPolicies": "influcampaign.domain.campaign",
    "CampaignStatus": "influcampaign.domain.campaign",
    "ClientReviewer": "influcampaign.domain.principals",
    "Clock": "influcampaign.ports",
    "Compensation": "influcampaign.domain.campaign",
    "ContactDetails": "influcampaign.domain.creator",
    "ContentCalendar": "influcampaign.domain.calendar",
    "ContentFormat": "influcampaign.domain.content",
    "Creator": "influcampaign.domain.creator",
    "CreatorListStatus": "influcampaign.services.participations",
    "CreatorUser": "influcampaign.domain.principals",
    "DateWindow": "influcampaign.domain.campaign",
    "Deliverable": "influcampaign.domain.content",
    "DeliverableStatus": "influcampaign.domain.content",
    "DeliveryLine": "influcampaign.services.deliverables",
    "DeliveryProgress": "influcampaign.services.deliverables",
    "DisclosureRule": "influcampaign.rules.disclosure",
    "DomainEvent": "influcampaign.domain.events",
    "ExactAudience": "influcampaign.analytics.audiences",
    "FrozenClock": "influcampaign.adapters.clock",
    "Group": "influcampaign.domain.group",
    "IdGenerator": "influcampaign.ports",
    "Job": "influcampaign.domain.scheduling",
    "JobStatus": "influcampaign.domain.scheduling",
    "Jurisdiction": "influcampaign.domain.brief",
    "ListApprovalPolicy": "influcampaign.domain.policies",
    "MandatoryElement": "influcampaign.domain.brief",
    "MemoryStore": "influcampaign.adapters.memory",
    "Message": "influcampaign.domain.messaging",
    "MessageTemplate": "influcampaign.domain.messaging",
    "Metrics": "influcampaign.domain.content",
    "MetricsSnapshot": "influcampaign.domain.content",
    "Money": "influcampaign.domain.money",
    "OutboxMessage": "influcampaign.ports",
    "OverlapReport": "influcampaign.analytics.overlap",
    "Participation": "influcampaign.domain.participation",
    "ParticipationStatus": "influcampaign.domain.participation",
    "Permission": "influcampaign.domain.access",
    "Platform": "influcampaign.domain.creator",
    "Principal": "influcampaign.domain.principals",
    "RandomIds": "influcampaign.adapters.ids",
    "ReachPlan": "influcampaign.analytics.planner",
    "RefusalReason": "influcampaign.domain.application",
    "ReminderPolicy": "influcampaign.domain.policies",
    "RequirementKind": "influcampaign.domain.brief",
    "RequirementResult": "influcampaign.domain.brief",
    "ResponseStats": "influcampaign.services.applications",
    "SchedulerRun": "influcampaign.services.scheduler",
    "SequentialIds": "influcampaign.adapters.ids",
    "Shipment": "influcampaign.domain.shipment",
    "ShipmentItem": "influcampaign.domain.shipment",
    "ShipmentStatus": "influcampaign.domain.shipment",
    "SqlStore": "influcampaign.adapters.sql",
    "Store": "influcampaign.ports",
    "Submission": "influcampaign.domain.content",
    "SubmissionStatus": "influcampaign.domain.content",
    "SystemActor": "influcampaign.domain.principals",
    "SystemClock": "influcampaign.adapters.clock",
    "TemplateKind": "influcampaign.domain.messaging",
    "ThetaAudience": "influcampaign.analytics.audiences",
    "Tier": "influcampaign.domain.creator",
    "TierPolicy": "influcampaign.domain.creator",
    "UnitOfWork": "influcampaign.ports",
    "Validation": "influcampaign.domain.content",
    "ValidationDeadlines": "influcampaign.services.submissions",
    "ValidationPolicy": "influcampaign.domain.policies",
    "Verdict": "influcampaign.domain.participation",
    "Workspace": "influcampaign.services.workspace",
    "adapters": "influcampaign.adapters.memory",
    "from": "influcampaign.adapters.memory",
    "import": "influcampaign.adapters.memory",
    "influcampaign": "influcampaign.adapters.memory",
    "make_converter": "influcampaign.serialization",
    "overlap_report": "influcampaign.analytics.overlap",
    "plan_reach": "influcampaign.analytics.planner",
    "serialization": "influcampaign.adapters.memory",
    "sql": "influcampaign.adapters.memory",
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
    migrate: bool = True,
) -> Workspace:
    """A Workspace over the store at ``url``: ``memory://``, ``sqlite:///path.db`` or ``postgresql://…``.

    The SQL schema is created or upgraded unless ``migrate=False``. Without ``clock``, the
    system clock is used.
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
    return Workspace(store, clock, ids=ids, access=access)
