"""influcampaign: the rules of influencer campaign management, as an embeddable SDK.

>>> import influcampaign as ic
>>> ws = ic.open("memory://")
>>> ws.store
MemoryStore()
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import influcampaign._public as _public_table

# The public face is declared once, in ``_PUBLIC`` below (module → the names it exports);
# ``__all__``, ``__dir__`` and the lazy ``__getattr__`` are derived from it. Type checkers
# cannot run that derivation, so they read the explicit re-exports (``import X as X``, the
# PEP 484 spelling that mypy --strict and pyright honour) of the two blocks that follow: the
# cheap names imported eagerly, and a ``TYPE_CHECKING`` block for the lazy ones.
# tests/test_package.py checks that these imports and ``_PUBLIC`` name exactly the same
# objects, so they cannot drift apart. Only the exceptions and ``retry`` are eager: they are
# cheap, ``open`` raises one, and a host catches them without loading anything else.
from influcampaign.errors import HTTP_STATUS as HTTP_STATUS
from influcampaign.errors import AlreadyExists as AlreadyExists
from influcampaign.errors import ConcurrencyConflict as ConcurrencyConflict
from influcampaign.errors import ConfigurationError as ConfigurationError
from influcampaign.errors import CorruptDocument as CorruptDocument
from influcampaign.errors import CurrencyMismatch as CurrencyMismatch
from influcampaign.errors import InflucampaignError as InflucampaignError
from influcampaign.errors import InvalidTransition as InvalidTransition
from influcampaign.errors import LimitReached as LimitReached
from influcampaign.errors import NotFound as NotFound
from influcampaign.errors import PermissionDenied as PermissionDenied
from influcampaign.errors import SignatureError as SignatureError
from influcampaign.errors import StorageBusy as StorageBusy
from influcampaign.errors import StorageError as StorageError
from influcampaign.errors import StorageIntegrityError as StorageIntegrityError
from influcampaign.errors import StorageUnavailable as StorageUnavailable
from influcampaign.errors import TransientError as TransientError
from influcampaign.errors import ValidationError as ValidationError
from influcampaign.errors import http_status as http_status
from influcampaign.retrying import retry as retry

# A library logs, the host decides where it goes: nothing is printed unless it configures
# logging (rejected webhooks and refused click ids are logged as warnings).
logging.getLogger("influcampaign").addHandler(logging.NullHandler())

__version__ = "0.1.0"
"""The version of this package (as in pyproject.toml; a test keeps them equal)."""

if TYPE_CHECKING:
    from influcampaign.adapters.bots import KnownBots as KnownBots
    from influcampaign.adapters.clock import FrozenClock as FrozenClock
    from influcampaign.adapters.clock import SystemClock as SystemClock
    from influcampaign.adapters.entries import CsvEntrySource as CsvEntrySource
    from influcampaign.adapters.entries import ListEntrySource as ListEntrySource
    from influcampaign.adapters.frames import to_frame as to_frame
    from influcampaign.adapters.ids import RandomIds as RandomIds
    from influcampaign.adapters.ids import SequentialIds as SequentialIds
    from influcampaign.adapters.memory import MemoryStore as MemoryStore
    from influcampaign.adapters.payouts import MemoryPayouts as MemoryPayouts
    from influcampaign.adapters.posts import JsonLinesPostSource as JsonLinesPostSource
    from influcampaign.adapters.posts import MemoryPostSource as MemoryPostSource
    from influcampaign.adapters.rates import FixedRates as FixedRates
    from influcampaign.adapters.shopify import ShopifyShop as ShopifyShop
    from influcampaign.adapters.shopify import ShopifyWebhooks as ShopifyWebhooks
    from influcampaign.adapters.shopify import WebhookResponse as WebhookResponse
    from influcampaign.adapters.sql import SqlStore as SqlStore
    from influcampaign.analytics.audiences import AudienceDirectory as AudienceDirectory
    from influcampaign.analytics.audiences import ExactAudience as ExactAudience
    from influcampaign.analytics.audiences import ThetaAudience as ThetaAudience
    from influcampaign.analytics.forecast import Estimate as Estimate
    from influcampaign.analytics.forecast import ForecastInput as ForecastInput
    from influcampaign.analytics.forecast import ForecastModel as ForecastModel
    from influcampaign.analytics.forecast import simulate as simulate
    from influcampaign.analytics.history import Adjustment as Adjustment
    from influcampaign.analytics.history import AdjustmentTopic as AdjustmentTopic
    from influcampaign.analytics.history import CampaignLine as CampaignLine
    from influcampaign.analytics.history import CampaignRecord as CampaignRecord
    from influcampaign.analytics.history import CreatorHistory as CreatorHistory
    from influcampaign.analytics.history import LateDelivery as LateDelivery
    from influcampaign.analytics.history import LowCompliance as LowCompliance
    from influcampaign.analytics.history import Retrospective as Retrospective
    from influcampaign.analytics.history import RetrospectivePolicy as RetrospectivePolicy
    from influcampaign.analytics.history import creator_histories as creator_histories
    from influcampaign.analytics.history import retrospective as retrospective
    from influcampaign.analytics.matching import CreatorPool as CreatorPool
    from influcampaign.analytics.matching import Criterion as Criterion
    from influcampaign.analytics.matching import CriterionKind as CriterionKind
    from influcampaign.analytics.matching import Match as Match
    from influcampaign.analytics.matching import Outcome as Outcome
    from influcampaign.analytics.matching import PastPerformance as PastPerformance
    from influcampaign.analytics.matching import Ranking as Ranking
    from influcampaign.analytics.matching import RefusalSignal as RefusalSignal
    from influcampaign.analytics.matching import rank as rank
    from influcampaign.analytics.matching import score_creator as score_creator
    from influcampaign.analytics.overlap import OverlapReport as OverlapReport
    from influcampaign.analytics.overlap import overlap_report as overlap_report
    from influcampaign.analytics.planner import ReachPlan as ReachPlan
    from influcampaign.analytics.planner import plan_reach as plan_reach
    from influcampaign.analytics.report import Budget as Budget
    from influcampaign.analytics.report import BudgetLine as BudgetLine
    from influcampaign.analytics.report import CampaignReport as CampaignReport
    from influcampaign.analytics.report import ContentEmv as ContentEmv
    from influcampaign.analytics.report import CostBasis as CostBasis
    from influcampaign.analytics.report import EmvReport as EmvReport
    from influcampaign.analytics.report import ForecastCheck as ForecastCheck
    from influcampaign.analytics.report import ForecastLine as ForecastLine
    from influcampaign.analytics.report import ForecastReport as ForecastReport
    from influcampaign.analytics.report import ReportInputs as ReportInputs
    from influcampaign.analytics.report import RoiLine as RoiLine
    from influcampaign.analytics.report import SalesFigures as SalesFigures
    from influcampaign.analytics.report import SegmentLine as SegmentLine
    from influcampaign.analytics.report import campaign_report as campaign_report
    from influcampaign.analytics.report import report_of as report_of
    from influcampaign.analytics.report import roi_line as roi_line
    from influcampaign.domain import events as events
    from influcampaign.domain.access import AccessPolicy as AccessPolicy
    from influcampaign.domain.access import Permission as Permission
    from influcampaign.domain.application import Application as Application
    from influcampaign.domain.application import ApplicationStatus as ApplicationStatus
    from influcampaign.domain.application import RefusalReason as RefusalReason
    from influcampaign.domain.brand_event import BrandEvent as BrandEvent
    from influcampaign.domain.brand_event import Guest as Guest
    from influcampaign.domain.brand_event import RsvpStatus as RsvpStatus
    from influcampaign.domain.brand_event import Venue as Venue
    from influcampaign.domain.brief import BriefReport as BriefReport
    from influcampaign.domain.brief import BriefRequirements as BriefRequirements
    from influcampaign.domain.brief import BriefVerdict as BriefVerdict
    from influcampaign.domain.brief import BriefWeights as BriefWeights
    from influcampaign.domain.brief import Jurisdiction as Jurisdiction
    from influcampaign.domain.brief import MandatoryElement as MandatoryElement
    from influcampaign.domain.brief import RequirementKind as RequirementKind
    from influcampaign.domain.brief import RequirementResult as RequirementResult
    from influcampaign.domain.calendar import CalendarEntry as CalendarEntry
    from influcampaign.domain.calendar import ContentCalendar as ContentCalendar
    from influcampaign.domain.campaign import Campaign as Campaign
    from influcampaign.domain.campaign import CampaignKind as CampaignKind
    from influcampaign.domain.campaign import CampaignMode as CampaignMode
    from influcampaign.domain.campaign import CampaignPolicies as CampaignPolicies
    from influcampaign.domain.campaign import CampaignStatus as CampaignStatus
    from influcampaign.domain.campaign import Compensation as Compensation
    from influcampaign.domain.campaign import DateWindow as DateWindow
    from influcampaign.domain.capture import CapturedPost as CapturedPost
    from influcampaign.domain.capture import EarnedMention as EarnedMention
    from influcampaign.domain.capture import FeedProblem as FeedProblem
    from influcampaign.domain.commission import Commission as Commission
    from influcampaign.domain.commission import CommissionKind as CommissionKind
    from influcampaign.domain.commission import CommissionPolicy as CommissionPolicy
    from influcampaign.domain.commission import CommissionRule as CommissionRule
    from influcampaign.domain.commission import CommissionStatus as CommissionStatus
    from influcampaign.domain.commission import CommissionTier as CommissionTier
    from influcampaign.domain.commission import EntryKind as EntryKind
    from influcampaign.domain.commission import LedgerEntry as LedgerEntry
    from influcampaign.domain.content import Metrics as Metrics
    from influcampaign.domain.content import MetricsSnapshot as MetricsSnapshot
    from influcampaign.domain.content import Submission as Submission
    from influcampaign.domain.content import SubmissionStatus as SubmissionStatus
    from influcampaign.domain.content import Validation as Validation
    from influcampaign.domain.contest import Contest as Contest
    from influcampaign.domain.contest import ContestEntry as ContestEntry
    from influcampaign.domain.contest import ContestEntryRecord as ContestEntryRecord
    from influcampaign.domain.contest import EligibilityPolicy as EligibilityPolicy
    from influcampaign.domain.contest import EntryStatus as EntryStatus
    from influcampaign.domain.contest import RejectionReason as RejectionReason
    from influcampaign.domain.contest import RulesDocument as RulesDocument
    from influcampaign.domain.contest_draw import ContestDraw as ContestDraw
    from influcampaign.domain.contest_draw import draw_winners as draw_winners
    from influcampaign.domain.contest_draw import entry_list_digest as entry_list_digest
    from influcampaign.domain.contest_draw import seed_commitment as seed_commitment
    from influcampaign.domain.contest_report import ContestReport as ContestReport
    from influcampaign.domain.contest_report import ContestReportLine as ContestReportLine
    from influcampaign.domain.costs import Cost as Cost
    from influcampaign.domain.costs import CostKind as CostKind
    from influcampaign.domain.costs import CostStatus as CostStatus
    from influcampaign.domain.creator import AudienceDataState as AudienceDataState
    from influcampaign.domain.creator import AudienceShares as AudienceShares
    from influcampaign.domain.creator import AudienceStats as AudienceStats
    from influcampaign.domain.creator import ContactDetails as ContactDetails
    from influcampaign.domain.creator import Creator as Creator
    from influcampaign.domain.creator import CreatorRate as CreatorRate
    from influcampaign.domain.creator import Platform as Platform
    from influcampaign.domain.creator import Tier as Tier
    from influcampaign.domain.creator import TierPolicy as TierPolicy
    from influcampaign.domain.deliverable import ContentFormat as ContentFormat
    from influcampaign.domain.deliverable import Deliverable as Deliverable
    from influcampaign.domain.deliverable import DeliverableStatus as DeliverableStatus
    from influcampaign.domain.drafts import Draft as Draft
    from influcampaign.domain.drafts import DraftDifference as DraftDifference
    from influcampaign.domain.drafts import DraftReview as DraftReview
    from influcampaign.domain.drafts import DraftStatus as DraftStatus
    from influcampaign.domain.drafts import DraftVersion as DraftVersion
    from influcampaign.domain.emv import DEFAULT_RATE_CARD as DEFAULT_RATE_CARD
    from influcampaign.domain.emv import DEFAULT_RATE_CARDS as DEFAULT_RATE_CARDS
    from influcampaign.domain.emv import EmvAction as EmvAction
    from influcampaign.domain.emv import EmvRate as EmvRate
    from influcampaign.domain.emv import EmvValue as EmvValue
    from influcampaign.domain.emv import RateCard as RateCard
    from influcampaign.domain.emv import RateCardBook as RateCardBook
    from influcampaign.domain.event_report import Attendance as Attendance
    from influcampaign.domain.event_report import CoverageLine as CoverageLine
    from influcampaign.domain.events import DomainEvent as DomainEvent
    from influcampaign.domain.exchanges import Exchange as Exchange
    from influcampaign.domain.exchanges import ExchangeChannel as ExchangeChannel
    from influcampaign.domain.group import Group as Group
    from influcampaign.domain.kinds import CoverageItem as CoverageItem
    from influcampaign.domain.kinds import KindPolicy as KindPolicy
    from influcampaign.domain.messaging import Message as Message
    from influcampaign.domain.messaging import MessageTemplate as MessageTemplate
    from influcampaign.domain.messaging import TemplateKind as TemplateKind
    from influcampaign.domain.money import Money as Money
    from influcampaign.domain.orders import Attribution as Attribution
    from influcampaign.domain.orders import Order as Order
    from influcampaign.domain.orders import OrderLine as OrderLine
    from influcampaign.domain.orders import OrderPlacement as OrderPlacement
    from influcampaign.domain.orders import RateUsed as RateUsed
    from influcampaign.domain.orders import Refund as Refund
    from influcampaign.domain.orders import ShopEvent as ShopEvent
    from influcampaign.domain.orders import ShopTopic as ShopTopic
    from influcampaign.domain.orders import TouchKind as TouchKind
    from influcampaign.domain.orders import WebhookReceipt as WebhookReceipt
    from influcampaign.domain.participation import Participation as Participation
    from influcampaign.domain.participation import ParticipationStatus as ParticipationStatus
    from influcampaign.domain.participation import Verdict as Verdict
    from influcampaign.domain.payout import LineKind as LineKind
    from influcampaign.domain.payout import PayoutStatement as PayoutStatement
    from influcampaign.domain.payout import StatementLine as StatementLine
    from influcampaign.domain.payout import StatementStatus as StatementStatus
    from influcampaign.domain.payout import statements_csv as statements_csv
    from influcampaign.domain.policies import ApplicationPolicy as ApplicationPolicy
    from influcampaign.domain.policies import AttributionPolicy as AttributionPolicy
    from influcampaign.domain.policies import AttributionRule as AttributionRule
    from influcampaign.domain.policies import ClickPolicy as ClickPolicy
    from influcampaign.domain.policies import EmvPolicy as EmvPolicy
    from influcampaign.domain.policies import ListApprovalPolicy as ListApprovalPolicy
    from influcampaign.domain.policies import ReminderPolicy as ReminderPolicy
    from influcampaign.domain.policies import RevenueBasis as RevenueBasis
    from influcampaign.domain.policies import ValidationPolicy as ValidationPolicy
    from influcampaign.domain.principals import BrandMember as BrandMember
    from influcampaign.domain.principals import BrandRole as BrandRole
    from influcampaign.domain.principals import ClientReviewer as ClientReviewer
    from influcampaign.domain.principals import CreatorUser as CreatorUser
    from influcampaign.domain.principals import Principal as Principal
    from influcampaign.domain.principals import SystemActor as SystemActor
    from influcampaign.domain.privacy import AuditAction as AuditAction
    from influcampaign.domain.privacy import AuditEntry as AuditEntry
    from influcampaign.domain.privacy import RetentionPolicy as RetentionPolicy
    from influcampaign.domain.project_copy import HiddenCreators as HiddenCreators
    from influcampaign.domain.project_copy import OriginCreator as OriginCreator
    from influcampaign.domain.project_copy import ProjectOrigin as ProjectOrigin
    from influcampaign.domain.review import RATING_SCALE as RATING_SCALE
    from influcampaign.domain.review import CreatorReview as CreatorReview
    from influcampaign.domain.review import Ratings as Ratings
    from influcampaign.domain.review import ReactivationTag as ReactivationTag
    from influcampaign.domain.rights import RightsAnswer as RightsAnswer
    from influcampaign.domain.rights import UsageChannel as UsageChannel
    from influcampaign.domain.rights import UsageRights as UsageRights
    from influcampaign.domain.scheduling import Job as Job
    from influcampaign.domain.scheduling import JobStatus as JobStatus
    from influcampaign.domain.shipment import Shipment as Shipment
    from influcampaign.domain.shipment import ShipmentItem as ShipmentItem
    from influcampaign.domain.shipment import ShipmentStatus as ShipmentStatus
    from influcampaign.domain.system_messages import SYSTEM_MESSAGES as SYSTEM_MESSAGES
    from influcampaign.domain.system_messages import system_message as system_message
    from influcampaign.domain.targeting import Collaboration as Collaboration
    from influcampaign.domain.targeting import FollowerRange as FollowerRange
    from influcampaign.domain.targeting import MatchingPolicy as MatchingPolicy
    from influcampaign.domain.targeting import MatchWeights as MatchWeights
    from influcampaign.domain.targeting import Targeting as Targeting
    from influcampaign.domain.tokens import SigningKeys as SigningKeys
    from influcampaign.domain.tracking import Click as Click
    from influcampaign.domain.tracking import PromoCode as PromoCode
    from influcampaign.domain.tracking import TrackedLink as TrackedLink
    from influcampaign.ports import BotFilter as BotFilter
    from influcampaign.ports import Clock as Clock
    from influcampaign.ports import ContestEntrySource as ContestEntrySource
    from influcampaign.ports import IdGenerator as IdGenerator
    from influcampaign.ports import OutboxMessage as OutboxMessage
    from influcampaign.ports import PayoutGateway as PayoutGateway
    from influcampaign.ports import PayoutRequest as PayoutRequest
    from influcampaign.ports import PostSource as PostSource
    from influcampaign.ports import Rate as Rate
    from influcampaign.ports import RateProvider as RateProvider
    from influcampaign.ports import Store as Store
    from influcampaign.ports import UnitOfWork as UnitOfWork
    from influcampaign.rules.brief import BriefCheck as BriefCheck
    from influcampaign.rules.contest_frames import ContestFrame as ContestFrame
    from influcampaign.rules.contest_frames import LegalMention as LegalMention
    from influcampaign.rules.disclosure import DisclosureRule as DisclosureRule
    from influcampaign.rules.promo_codes import CodeRules as CodeRules
    from influcampaign.serialization import make_converter as make_converter
    from influcampaign.services.applications import ResponseStats as ResponseStats
    from influcampaign.services.capture import CaptureRun as CaptureRun
    from influcampaign.services.capture import EarnedMentions as EarnedMentions
    from influcampaign.services.contests import EntryImport as EntryImport
    from influcampaign.services.deliverables import DeliveryLine as DeliveryLine
    from influcampaign.services.deliverables import DeliveryProgress as DeliveryProgress
    from influcampaign.services.kinds import Equipped as Equipped
    from influcampaign.services.participations import CreatorListStatus as CreatorListStatus
    from influcampaign.services.privacy import EXPORT_VERSION as EXPORT_VERSION
    from influcampaign.services.reviews import ReactivationLine as ReactivationLine
    from influcampaign.services.sales import Applied as Applied
    from influcampaign.services.sales import ClickCount as ClickCount
    from influcampaign.services.sales import SalesLine as SalesLine
    from influcampaign.services.sales import SalesReport as SalesReport
    from influcampaign.services.scheduler import SchedulerRun as SchedulerRun
    from influcampaign.services.submissions import ValidationDeadlines as ValidationDeadlines
    from influcampaign.services.tracking import ClickOutcome as ClickOutcome
    from influcampaign.services.workspace import Workspace as Workspace

_PUBLIC = _public_table._PUBLIC
_EAGER = _public_table._EAGER

_MODULE_OF: dict[str, str] = {name: module for module, names in _PUBLIC.items() for name in names}

# ``open`` is the one public name defined here rather than in a module of ``_PUBLIC``.
__all__ = sorted([*_MODULE_OF, "open"])


if not TYPE_CHECKING:
    # Hidden from type checkers: they see every public name in the imports above, so a
    # misspelt ``ic.Worksapce`` is an error for them rather than ``Any``.

    def __getattr__(name: str) -> Any:
        """Import public names on first use, so that ``import influcampaign`` does no work."""
        module = _MODULE_OF.get(name)
        if module is None:
            raise AttributeError(f"module 'influcampaign' has no attribute {name!r}")
        import importlib

        value = getattr(importlib.import_module(module), name, None)
        if value is None:  # a public submodule, such as ``events`` (every event class)
            value = importlib.import_module(f"{module}.{name}")
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    """The public names (loaded or not) and the module's own dunders, for ``dir()`` and REPLs."""
    return sorted({*__all__, *(name for name in globals() if name.startswith("__"))})


def open(
    url: str,
    *,
    clock: Clock | None = None,
    ids: IdGenerator | None = None,
    access: AccessPolicy | None = None,
    keys: SigningKeys | None = None,
    rates: RateProvider | None = None,
    payouts: PayoutGateway | None = None,
    retention: RetentionPolicy | None = None,
    posts: PostSource | None = None,
    migrate: bool = True,
) -> Workspace:
    """A Workspace over the store at ``url``: ``memory://``, ``sqlite:///path.db`` or ``postgresql://…``.

    The SQL schema is created or upgraded unless ``migrate=False``. Without ``clock``, the
    system clock is used. ``keys`` sign tracked links' click ids; ``rates`` convert orders
    in another currency, ``payouts`` pays creators' statements; ``retention`` says how long
    personal data is kept; ``posts`` is the feed post capture reads (see :class:`Workspace`).
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
    return Workspace(
        store,
        clock,
        ids=ids,
        access=access,
        keys=keys,
        rates=rates,
        payouts=payouts,
        retention=retention,
        posts=posts,
    )
