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
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs
import pendulum

from influcampaign.domain._validate import check_storable, to_micros
from influcampaign.domain.application import Application, ApplicationStatus
from influcampaign.domain.brand_event import BrandEvent
from influcampaign.domain.campaign import Campaign
from influcampaign.domain.content import Submission
from influcampaign.domain.contest import Contest, ContestEntry
from influcampaign.domain.costs import Cost
from influcampaign.domain.creator import Creator
from influcampaign.domain.deliverable import Deliverable
from influcampaign.domain.emv import BrandRateCard
from influcampaign.domain.group import Group
from influcampaign.domain.messaging import Message, MessageTemplate
from influcampaign.domain.orders import Order, WebhookReceipt
from influcampaign.domain.participation import Participation
from influcampaign.domain.review import CreatorReview
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
    "Repositories",
    "repository_class",
    "storable_document",
]


class _Finding(Generic[T]):
    """What a finder mixin needs from the repository it is mixed into (its ``find``)."""

    if TYPE_CHECKING:  # the repository provides it; declared here for the type checker only

        def find(
            self,
            *,
            limit: int | None = None,
            order_by: str | None = None,
            at_most: Mapping[str, Any] | None = None,
            **equals: Any,
        ) -> list[T]: ...


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


CREATORS = AggregateSpec[Creator](
    kind="creator",
    cls=Creator,
    attribute="creators",
    table="ic_creators",
    index=_index("country", "audience_data"),
)
GROUPS = AggregateSpec[Group](
    kind="group",
    cls=Group,
    attribute="groups",
    table="ic_groups",
    index=_index("brand_id"),
)
CAMPAIGNS = AggregateSpec[Campaign](
    kind="campaign",
    cls=Campaign,
    attribute="campaigns",
    table="ic_campaigns",
    index=_index("brand_id", "status", "mode"),
)

_LIVE = frozenset({ApplicationStatus.PENDING, ApplicationStatus.ACCEPTED})


def _live_key(application: Application) -> str | None:
    """One key per (offer, creator) while the application is live (pending or accepted): a
    unique index on it keeps one live application per pair, whatever the writers. The SQL
    backfill of schema version 7 computes the same value."""
    if application.status not in _LIVE:
        return None
    return f"{application.campaign_id}/{application.creator_id}"


APPLICATIONS = AggregateSpec[Application](
    kind="application",
    cls=Application,
    attribute="applications",
    table="ic_applications",
    index=_index("campaign_id", "creator_id", "status", "applied_at_us", live_key=_live_key),
    unique=("live_key",),
    finders=ApplicationFinders,
)


def _pair_key(participation: Participation) -> str:
    """One key per (campaign, creator): a unique index on it keeps one participation per
    pair on every backend (memory included), and a clash is an AlreadyExists naming the
    holder. The SQL backfill of schema version 7 computes the same value."""
    return f"{participation.campaign_id}/{participation.creator_id}"


PARTICIPATIONS = AggregateSpec[Participation](
    kind="participation",
    cls=Participation,
    attribute="participations",
    table="ic_participations",
    index=_index("campaign_id", "creator_id", "status", pair_key=_pair_key),
    unique=("pair_key",),
)
SHIPMENTS = AggregateSpec[Shipment](
    kind="shipment",
    cls=Shipment,
    attribute="shipments",
    table="ic_shipments",
    index=_index("campaign_id", "participation_id", "status"),
)
MESSAGES = AggregateSpec[Message](
    kind="message",
    cls=Message,
    attribute="messages",
    table="ic_messages",
    index=_index(
        "participation_id", "campaign_id", "sent_at_us", "unread_by_brand", "unread_by_creator"
    ),
    finders=MessageFinders,
)
TEMPLATES = AggregateSpec[MessageTemplate](
    kind="template",
    cls=MessageTemplate,
    attribute="templates",
    table="ic_templates",
    index=_index("brand_id", "kind"),
)
SUBMISSIONS = AggregateSpec[Submission](
    kind="submission",
    cls=Submission,
    attribute="submissions",
    table="ic_submissions",
    index=_index("participation_id", "campaign_id"),
)
DELIVERABLES = AggregateSpec[Deliverable](
    kind="deliverable",
    cls=Deliverable,
    attribute="deliverables",
    table="ic_deliverables",
    index=_index("participation_id", "campaign_id", "status"),
)
JOBS = AggregateSpec[Job](
    kind="job",
    cls=Job,
    attribute="jobs",
    table="ic_jobs",
    index=_index("status", "due_at_us", "kind", "subject_id"),
    finders=JobFinders,
)

LINKS = AggregateSpec[TrackedLink](
    kind="link",
    cls=TrackedLink,
    attribute="links",
    table="ic_links",
    index=_index("participation_id", "campaign_id", "brand_id"),
)
CLICKS = AggregateSpec[Click](
    kind="click",
    cls=Click,
    attribute="clicks",
    table="ic_clicks",
    index=_index("link_id", "campaign_id", "visitor", "at_us"),
)
PROMO_CODES = AggregateSpec[PromoCode](
    kind="promo code",
    cls=PromoCode,
    attribute="promo_codes",
    table="ic_promo_codes",
    index=_index("participation_id", "campaign_id", "brand_id"),
)
ORDERS = AggregateSpec[Order](
    kind="order",
    cls=Order,
    attribute="orders",
    table="ic_orders",
    index=_index("brand_id", "campaign_id", "participation_id"),
)
RECEIPTS = AggregateSpec[WebhookReceipt](
    kind="webhook receipt",
    cls=WebhookReceipt,
    attribute="receipts",
    table="ic_receipts",
    index=_index("order_id"),
)

COSTS = AggregateSpec[Cost](
    kind="cost",
    cls=Cost,
    attribute="costs",
    table="ic_costs",
    index=_index("campaign_id", "participation_id", "status"),
)
RATE_CARDS = AggregateSpec[BrandRateCard](
    kind="rate card",
    cls=BrandRateCard,
    attribute="rate_cards",
    table="ic_rate_cards",
    index=_index("brand_id", name=lambda r: r.card.name),
)

REVIEWS = AggregateSpec[CreatorReview](
    kind="review",
    cls=CreatorReview,
    attribute="reviews",
    table="ic_reviews",
    index=_index("brand_id", "campaign_id", "creator_id"),
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
    CONTESTS,
    CONTEST_ENTRIES,
    BRAND_EVENTS,
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
    contests: Repository[Contest]
    contest_entries: Repository[ContestEntry]
    brand_events: Repository[BrandEvent]

    def _open_repositories(self, base: type, *args: Any) -> None:
        """Make one ``base`` repository per spec (with its finders), as ``base(*args, spec)``."""
        for spec in SPECS:
            setattr(self, spec.attribute, repository_class(base, spec.finders)(*args, spec))


@functools.cache
def repository_class(base: type, finders: type | None) -> type:
    """A backend's generic repository class with an aggregate's named finders mixed in."""
    if finders is None:
        return base
    return type(f"{base.__name__}With{finders.__name__}", (finders, base), {})


def storable_document(converter: Any, aggregate: Any) -> dict[str, Any]:
    """``aggregate`` as the document every backend stores, after checking that each string in
    it can be stored by every backend (so they all answer alike)."""
    doc: dict[str, Any] = converter.unstructure(aggregate)
    check_storable(type(aggregate).__name__, doc)
    return doc
