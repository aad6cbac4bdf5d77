"""What every storage backend needs to know about each kind of aggregate.

One :class:`AggregateSpec` per aggregate: its kind, class, table, the indexed fields that
queries may filter on, the ones that must be unique, and the named finders its repository
offers. Backends are generic over these specs; the finders are written once, here, on top
of the generic ``find`` every backend implements, so column names stay inside adapters.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import attrs
import pendulum

from influcampaign.domain._validate import check_storable, to_micros
from influcampaign.domain.application import Application, ApplicationStatus
from influcampaign.domain.brand_event import BrandEvent
from influcampaign.domain.campaign import Campaign
from influcampaign.domain.capture import EarnedMention
from influcampaign.domain.commission import Commission
from influcampaign.domain.content import Submission
from influcampaign.domain.contest import Contest, ContestEntry
from influcampaign.domain.costs import Cost
from influcampaign.domain.creator import Creator
from influcampaign.domain.deliverable import Deliverable
from influcampaign.domain.drafts import Draft
from influcampaign.domain.emv import BrandRateCard
from influcampaign.domain.exchanges import Exchange
from influcampaign.domain.group import Group
from influcampaign.domain.messaging import Message, MessageTemplate
from influcampaign.domain.orders import Order, WebhookReceipt
from influcampaign.domain.participation import Participation
from influcampaign.domain.payout import PayoutStatement
from influcampaign.domain.privacy import AuditEntry, scrub
from influcampaign.domain.review import CreatorReview
from influcampaign.domain.rights import UsageRights
from influcampaign.domain.scheduling import Job, JobKind, JobStatus
from influcampaign.domain.shipment import Shipment
from influcampaign.domain.tracking import Click, PromoCode, TrackedLink
from influcampaign.errors import ValidationError
from influcampaign.ports import (
    ApplicationRepository,
    JobRepository,
    MessageRepository,
    Repository,
)

T = TypeVar("T")

__all__ = [
    "SPECS",
    "AggregateSpec",
    "ApplicationFinders",
    "JobFinders",
    "MessageFinders",
    "Query",
    "Repositories",
    "redact_document",
    "repository_class",
    "storable_document",
]


@attrs.frozen
class Query:
    """What :meth:`_Finding.find` was asked, as each backend's ``_find`` receives it."""

    equals: dict[str, Any]
    at_most: Mapping[str, Any] | None
    order_by: str | None
    limit: int | None


class _Finding(Generic[T]):
    """The generic query of every backend's repository, declared once: a backend implements
    :meth:`_find`, and the named finders (mixed in) are written on top of :meth:`find`."""

    def find(
        self,
        *,
        limit: int | None = None,
        order_by: str | None = None,
        at_most: Mapping[str, Any] | None = None,
        **equals: Any,
    ) -> list[T]:
        """Aggregates matching every filter, ordered by ``order_by`` (an indexed field) then id."""
        return self._find(Query(equals, at_most, order_by, limit))

    def _find(self, q: Query) -> list[T]:
        raise NotImplementedError


class JobFinders(_Finding[Job]):
    """Named queries on scheduled jobs."""

    def due(self, now: pendulum.DateTime, *, limit: int | None = None) -> list[Job]:
        """Pending jobs due at ``now`` or before, soonest first (then by id)."""
        return self.find(
            status=JobStatus.PENDING.value,
            at_most={"due_at_us": to_micros(now)},
            order_by="due_at_us",
            limit=limit,
        )

    def pending_for(
        self,
        subject_id: str,
        *,
        kind: JobKind | None = None,
        due_by: pendulum.DateTime | None = None,
    ) -> list[Job]:
        """Pending jobs about one subject (of one ``kind``, due by ``due_by``), soonest first."""
        filters: dict[str, Any] = {"subject_id": subject_id, "status": JobStatus.PENDING.value}
        if kind is not None:
            filters["kind"] = kind.value
        bound = None if due_by is None else {"due_at_us": to_micros(due_by)}
        return self.find(order_by="due_at_us", at_most=bound, **filters)


class MessageFinders(_Finding[Message]):
    """Named queries on messages."""

    def thread(self, participation_id: str) -> list[Message]:
        """The messages of one participation's thread, in the order they were written: by
        time, then by their sequence in the thread (messages written at the same instant)."""
        found = self.find(participation_id=participation_id, order_by="sent_at_us")
        return sorted(found, key=lambda m: m.thread_order)


class ApplicationFinders(_Finding[Application]):
    """Named queries on applications."""

    def to_offer(
        self, campaign_id: str, *, status: ApplicationStatus | None = None
    ) -> list[Application]:
        """The applications to one offer (in one ``status``), oldest first."""
        filters: dict[str, Any] = {} if status is None else {"status": status.value}
        return self.find(campaign_id=campaign_id, order_by="applied_at_us", **filters)


@attrs.frozen
class AggregateSpec(Generic[T]):
    """An aggregate kind: its class, repository attribute, table, indexed fields, the indexed
    fields whose non-None values are unique, and the mixin of its named finders."""

    kind: str
    cls: type[T]
    attribute: str
    table: str
    index: Mapping[str, Callable[[T], Any]]
    unique: tuple[str, ...] = ()
    finders: type | None = None

    def index_values(self, aggregate: T) -> dict[str, Any]:
        """The indexed field values of ``aggregate``."""
        return {name: get(aggregate) for name, get in self.index.items()}

    def check_filters(
        self, filters: Mapping[str, Any], at_most: Mapping[str, Any] | None = None
    ) -> None:
        """Refuse filters (and bounds) on fields that are not indexed."""
        for name in [*filters, *(at_most or {})]:
            if name not in self.index:
                known = ", ".join(sorted(self.index)) or "none"
                raise ValidationError(
                    f"{self.kind}.find", name, f"is not an indexed field ({known})"
                )


def _read(field: str) -> Callable[[Any], Any]:
    """The index value of attribute ``field``: an enum by its value, ``x_us`` the instant
    ``x`` in microseconds."""
    if field.endswith("_us"):
        instant = field.removesuffix("_us")
        return lambda aggregate: to_micros(getattr(aggregate, instant))

    def read(aggregate: Any) -> Any:
        value = getattr(aggregate, field)
        return value.value if isinstance(value, enum.Enum) else value

    return read


def _index(*fields: str, **computed: Callable[[Any], Any]) -> dict[str, Callable[[Any], Any]]:
    """An ``AggregateSpec.index``: each of ``fields`` read from the attribute of that name
    (see :func:`_read`), then the ``computed`` ones, in that order."""
    return {**{field: _read(field) for field in fields}, **computed}


def _spec(
    cls: type[T],
    kind: str,
    attribute: str,
    index: Mapping[str, Callable[[T], Any]],
    *,
    unique: tuple[str, ...] = (),
    finders: type | None = None,
) -> AggregateSpec[T]:
    """The spec of ``cls`` stating only what differs between kinds: its table is named
    ``ic_<attribute>``."""
    return AggregateSpec(
        kind=kind,
        cls=cls,
        attribute=attribute,
        table=f"ic_{attribute}",
        index=index,
        unique=unique,
        finders=finders,
    )


CREATORS = _spec(Creator, "creator", "creators", _index("country", "audience_data"))
GROUPS = _spec(Group, "group", "groups", _index("brand_id"))
CAMPAIGNS = _spec(Campaign, "campaign", "campaigns", _index("brand_id", "status", "mode"))

_LIVE = frozenset({ApplicationStatus.PENDING, ApplicationStatus.ACCEPTED})


def _live_key(application: Application) -> str | None:
    """One key per (offer, creator) while the application is live (pending or accepted): a
    unique index on it keeps one live application per pair, whatever the writers. The SQL
    backfill of schema version 7 computes the same value."""
    if application.status not in _LIVE:
        return None
    return f"{application.campaign_id}/{application.creator_id}"


APPLICATIONS = _spec(
    Application,
    "application",
    "applications",
    _index("campaign_id", "creator_id", "status", "applied_at_us", live_key=_live_key),
    unique=("live_key",),
    finders=ApplicationFinders,
)


def _pair_key(participation: Participation) -> str:
    """One key per (campaign, creator): a unique index on it keeps one participation per
    pair on every backend (memory included), and a clash is an AlreadyExists naming the
    holder. The SQL backfill of schema version 7 computes the same value."""
    return f"{participation.campaign_id}/{participation.creator_id}"


PARTICIPATIONS = _spec(
    Participation,
    "participation",
    "participations",
    _index("campaign_id", "creator_id", "status", pair_key=_pair_key),
    unique=("pair_key",),
)
SHIPMENTS = _spec(
    Shipment, "shipment", "shipments", _index("campaign_id", "participation_id", "status")
)
MESSAGES = _spec(
    Message,
    "message",
    "messages",
    _index("participation_id", "campaign_id", "sent_at_us", "unread_by_brand", "unread_by_creator"),
    finders=MessageFinders,
)
TEMPLATES = _spec(MessageTemplate, "template", "templates", _index("brand_id", "kind"))
SUBMISSIONS = _spec(
    Submission, "submission", "submissions", _index("participation_id", "campaign_id")
)
DELIVERABLES = _spec(
    Deliverable, "deliverable", "deliverables", _index("participation_id", "campaign_id", "status")
)
JOBS = _spec(
    Job, "job", "jobs", _index("status", "due_at_us", "kind", "subject_id"), finders=JobFinders
)

LINKS = _spec(TrackedLink, "link", "links", _index("participation_id", "campaign_id", "brand_id"))
CLICKS = _spec(Click, "click", "clicks", _index("link_id", "campaign_id", "visitor", "at_us"))
PROMO_CODES = _spec(
    PromoCode, "promo code", "promo_codes", _index("participation_id", "campaign_id", "brand_id")
)
ORDERS = _spec(Order, "order", "orders", _index("brand_id", "campaign_id", "participation_id"))
RECEIPTS = _spec(WebhookReceipt, "webhook receipt", "receipts", _index("order_id"))

COSTS = _spec(Cost, "cost", "costs", _index("campaign_id", "participation_id", "status"))
RATE_CARDS = _spec(
    BrandRateCard, "rate card", "rate_cards", _index("brand_id", name=lambda r: r.card.name)
)

REVIEWS = _spec(CreatorReview, "review", "reviews", _index("brand_id", "campaign_id", "creator_id"))

COMMISSIONS = AggregateSpec[Commission](
    kind="commission",
    cls=Commission,
    attribute="commissions",
    table="ic_commissions",
    index={
        "brand_id": lambda c: c.brand_id,
        "campaign_id": lambda c: c.campaign_id,
        "creator_id": lambda c: c.creator_id,
        "status": lambda c: c.status.value,
    },
)


def _number_key(statement: PayoutStatement) -> str:
    """One statement per (brand, number): a unique index keeps numbers unrepeated."""
    return f"{statement.brand_id}/{statement.number:09d}"


def _sequence_key(statement: PayoutStatement) -> str:
    """One statement per (brand, creator, rank): two issuers never both take the same rank,
    so each statement carries in exactly what the one before it carried forward."""
    return f"{statement.brand_id}/{statement.creator_id}/{statement.sequence:09d}"


STATEMENTS = AggregateSpec[PayoutStatement](
    kind="payout statement",
    cls=PayoutStatement,
    attribute="statements",
    table="ic_statements",
    index={
        "brand_id": lambda s: s.brand_id,
        "creator_id": lambda s: s.creator_id,
        "number_key": _number_key,
        "sequence_key": _sequence_key,
    },
    unique=("number_key", "sequence_key"),
)

AUDIT = AggregateSpec[AuditEntry](  # issue 20
    kind="audit entry",
    cls=AuditEntry,
    attribute="audit",
    table="ic_audit",
    index={
        "creator_id": lambda a: a.creator_id,
        "action": lambda a: a.action.value,
        "brand_id": lambda a: a.brand_id,
        "at_us": lambda a: to_micros(a.at),
    },
)
# issue 17: drafts before publication, earned mentions found by capture, usage rights
DRAFTS = AggregateSpec[Draft](
    kind="draft",
    cls=Draft,
    attribute="drafts",
    table="ic_drafts",
    index=_index("participation_id", "campaign_id", "status"),
)
EARNED_MENTIONS = AggregateSpec[EarnedMention](
    kind="earned mention",
    cls=EarnedMention,
    attribute="earned_mentions",
    table="ic_earned_mentions",
    index=_index("campaign_id", "published_at_us"),
)
USAGE_RIGHTS = AggregateSpec[UsageRights](
    kind="usage rights",
    cls=UsageRights,
    attribute="usage_rights",
    table="ic_usage_rights",
    index=_index("submission_id", "campaign_id", "brand_id"),
)

# -- campaign kinds with their own mechanics (issue 23) ------------------------------------

CONTESTS = AggregateSpec[Contest](
    kind="contest",
    cls=Contest,
    attribute="contests",
    table="ic_contests",
    index={"campaign_id": lambda c: c.campaign_id, "brand_id": lambda c: c.brand_id},
)
CONTEST_ENTRIES = AggregateSpec[ContestEntry](
    kind="contest entry",
    cls=ContestEntry,
    attribute="contest_entries",
    table="ic_contest_entries",
    index={
        "contest_id": lambda e: e.contest_id,
        "campaign_id": lambda e: e.campaign_id,
        "status": lambda e: e.status.value,
        # one eligible entry per person (or per entry key): a unique index holds it
        "unique_key": lambda e: e.unique_key,
    },
    unique=("unique_key",),
)
BRAND_EVENTS = AggregateSpec[BrandEvent](
    kind="brand event",
    cls=BrandEvent,
    attribute="brand_events",
    table="ic_brand_events",
    index={
        "campaign_id": lambda e: e.campaign_id,
        "brand_id": lambda e: e.brand_id,
        "starts_at_us": lambda e: to_micros(e.starts_at),
    },
)
# issue 17: the brand's log of contacts with a creator outside the thread
EXCHANGES = _spec(
    Exchange,
    "exchange",
    "exchanges",
    _index("brand_id", "creator_id", "campaign_id", "happened_at_us"),
)

SPECS: tuple[AggregateSpec[Any], ...] = (
    CREATORS,
    GROUPS,
    CAMPAIGNS,
    APPLICATIONS,
    PARTICIPATIONS,
    SHIPMENTS,
    MESSAGES,
    TEMPLATES,
    SUBMISSIONS,
    JOBS,
    DELIVERABLES,
    LINKS,
    CLICKS,
    PROMO_CODES,
    ORDERS,
    RECEIPTS,
    COSTS,
    RATE_CARDS,
    REVIEWS,
    COMMISSIONS,
    STATEMENTS,
    AUDIT,
    DRAFTS,
    EARNED_MENTIONS,
    USAGE_RIGHTS,
    CONTESTS,
    CONTEST_ENTRIES,
    BRAND_EVENTS,
    EXCHANGES,
)


class Repositories:
    """The repositories of a unit of work, one attribute per spec, typed as the port says;
    a backend calls :meth:`_open_repositories` with its way of making one, and lists none."""

    creators: Repository[Creator]
    groups: Repository[Group]
    campaigns: Repository[Campaign]
    applications: ApplicationRepository
    participations: Repository[Participation]
    shipments: Repository[Shipment]
    messages: MessageRepository
    templates: Repository[MessageTemplate]
    submissions: Repository[Submission]
    jobs: JobRepository
    deliverables: Repository[Deliverable]
    links: Repository[TrackedLink]
    clicks: Repository[Click]
    promo_codes: Repository[PromoCode]
    costs: Repository[Cost]
    rate_cards: Repository[BrandRateCard]
    reviews: Repository[CreatorReview]
    orders: Repository[Order]
    receipts: Repository[WebhookReceipt]
    commissions: Repository[Commission]
    statements: Repository[PayoutStatement]
    audit: Repository[AuditEntry]
    drafts: Repository[Draft]
    earned_mentions: Repository[EarnedMention]
    usage_rights: Repository[UsageRights]
    contests: Repository[Contest]
    contest_entries: Repository[ContestEntry]
    brand_events: Repository[BrandEvent]
    exchanges: Repository[Exchange]

    def _open_repositories(self, base: type, *args: Any) -> None:
        """Make one ``base`` repository per spec (with its finders), as ``base(*args, spec)``."""
        for spec in SPECS:
            setattr(self, spec.attribute, repository_class(base, spec.finders)(*args, spec))


@functools.cache
def repository_class(base: type, finders: type | None) -> type:
    """A backend's generic repository class with an aggregate's named finders mixed in (after
    it, so that a backend's own ``find`` comes before the generic one of the finders' base)."""
    if finders is None:
        return base
    return type(f"{base.__name__}With{finders.__name__}", (base, finders), {})


def storable_document(converter: Any, aggregate: Any) -> dict[str, Any]:
    """``aggregate`` as the document every backend stores, after checking that each string in
    it can be stored by every backend (so they all answer alike)."""
    doc: dict[str, Any] = converter.unstructure(aggregate)
    check_storable(type(aggregate).__name__, doc)
    return doc


def _mentions(value: Any, ids: frozenset[str]) -> bool:
    if isinstance(value, str):
        return value in ids
    if isinstance(value, dict):
        return any(_mentions(v, ids) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_mentions(v, ids) for v in value)
    return False


def _scrubbed(value: Any, personal: frozenset[str]) -> Any:
    if isinstance(value, str):
        return scrub(value, personal)
    if isinstance(value, dict):
        return {k: _scrubbed(v, personal) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrubbed(v, personal) for v in value]
    return value


def redact_document(
    doc: dict[str, Any], ids: frozenset[str], personal: frozenset[str]
) -> dict[str, Any] | None:
    """An outbox event's document with every ``personal`` string replaced, when it mentions
    one of ``ids`` (the erased creator's records) and holds one; None when it is unchanged.
    Backends call it on each outbox row when a creator is erased."""
    if not _mentions(doc, ids):
        return None
    redacted: dict[str, Any] = _scrubbed(doc, personal)
    return None if redacted == doc else redacted
