"""The ports: what influcampaign needs from the outside world, as Protocols.

Adapters implement them (``influcampaign.adapters``); hosts may bring their own.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import attrs
import pendulum

if TYPE_CHECKING:
    from influcampaign.domain.application import Application, ApplicationStatus
    from influcampaign.domain.brand_event import BrandEvent
    from influcampaign.domain.campaign import Campaign
    from influcampaign.domain.capture import CapturedPost, EarnedMention, FeedProblem
    from influcampaign.domain.commission import Commission
    from influcampaign.domain.content import Submission
    from influcampaign.domain.contest import Contest, ContestEntry, ContestEntryRecord
    from influcampaign.domain.costs import Cost
    from influcampaign.domain.creator import Creator
    from influcampaign.domain.deliverable import Deliverable
    from influcampaign.domain.drafts import Draft
    from influcampaign.domain.emv import BrandRateCard
    from influcampaign.domain.events import DomainEvent
    from influcampaign.domain.exchanges import Exchange
    from influcampaign.domain.group import Group
    from influcampaign.domain.messaging import Message, MessageTemplate
    from influcampaign.domain.money import Money
    from influcampaign.domain.orders import Order, WebhookReceipt
    from influcampaign.domain.participation import Participation
    from influcampaign.domain.payout import PayoutStatement
    from influcampaign.domain.privacy import AuditEntry
    from influcampaign.domain.review import CreatorReview
    from influcampaign.domain.rights import UsageRights
    from influcampaign.domain.scheduling import Job, JobKind
    from influcampaign.domain.shipment import Shipment
    from influcampaign.domain.tracking import Click, PromoCode, TrackedLink

__all__ = [
    "ApplicationRepository",
    "BotFilter",
    "Clock",
    "ContestEntrySource",
    "IdGenerator",
    "JobRepository",
    "MessageRepository",
    "Outbox",
    "OutboxMessage",
    "PostSource",
    "PayoutGateway",
    "PayoutRequest",
    "Rate",
    "RateProvider",
    "Repository",
    "Store",
    "UnitOfWork",
]

T = TypeVar("T")


class Clock(Protocol):
    """The only source of time."""

    def now(self) -> pendulum.DateTime:
        """The current instant, aware, in UTC."""
        ...


class IdGenerator(Protocol):
    """Makes new ids for objects the SDK creates."""

    def new(self, prefix: str) -> str:
        """A new unique id starting with ``prefix`` (``cre``, ``cmp`` ...)."""
        ...


@attrs.frozen
class Rate:
    """An exchange rate: 1 unit of the base currency is worth ``value`` of the quote one,
    with where it comes from (recorded with every conversion)."""

    value: Decimal
    source: str


class RateProvider(Protocol):
    """Exchange rates, injected: influcampaign never converts money implicitly."""

    def rate(self, base: str, quote: str, on: _dt.date) -> Rate | None:
        """The rate from ``base`` to ``quote`` on a day, or None when unknown."""
        ...


@attrs.frozen
class PayoutRequest:
    """What the host is asked to pay: one issued statement's total to one creator.
    ``statement_id`` is the idempotency key: asking twice must pay once."""

    statement_id: str
    number: str
    brand_id: str
    creator_id: str
    amount: Money


class PayoutGateway(Protocol):
    """The host's way of paying creators (Stripe, PayPal, a bank transfer file): the SDK
    records statements and payment references, the host moves the money."""

    def pay(self, request: PayoutRequest) -> str:
        """Pay ``request`` (once per statement id, however often asked); returns the
        payment's reference (a transfer id)."""
        ...


class BotFilter(Protocol):
    """Tells robots and link-preview fetchers from people, by user agent."""

    def bot_name(self, user_agent: str) -> str | None:
        """The robot's pattern when ``user_agent`` is one (None for a person)."""
        ...


class PostSource(Protocol):
    """Published posts from the platforms (an API client, a webhook buffer, a file): each
    post the feed holds now, or the problem of a line it could not read."""

    def posts(self) -> Iterable[CapturedPost | FeedProblem]:
        """The posts of the feed, in its order; a bad line is a FeedProblem, never an
        exception, so one bad line does not stop the batch."""
        ...


class ContestEntrySource(Protocol):
    """Where a contest's entries come from: a comments or likes export, a platform's API, the
    host's own form. :class:`~influcampaign.adapters.entries.ListEntrySource` is the memory
    adapter, :class:`~influcampaign.adapters.entries.CsvEntrySource` reads an export."""

    def entries(self) -> Iterable[ContestEntryRecord]:
        """The entries, in any order (each is judged on its own time)."""
        ...


class Repository(Protocol[T]):
    """Load and save one kind of aggregate inside a unit of work."""

    def get(self, id: str) -> T:
        """The aggregate with this id; raises NotFound."""
        ...

    def find(
        self,
        *,
        limit: int | None = None,
        order_by: str | None = None,
        at_most: Mapping[str, Any] | None = None,
        **equals: Any,
    ) -> list[T]:
        """Aggregates whose indexed fields equal ``equals`` and are ≀ ``at_most``.

        Ordered by ``order_by`` (an indexed field; None last) then id.
        """
        ...

    def count(self, *, at_most: Mapping[str, Any] | None = None, **equals: Any) -> int:
        """How many aggregates match, as :meth:`find` would list them."""
        ...

    def exists(self, id: str) -> bool:
        """Whether an aggregate with this id is stored."""
        ...

    def add(self, aggregate: T) -> None:
        """Store a new aggregate (version 0 → 1); raises AlreadyExists."""
        ...

    def get_many(self, ids: Sequence[str]) -> dict[str, T]:
        """The stored aggregates among ``ids``, by id (the others are left out), in bulk."""
        ...

    def add_many(self, aggregates: Sequence[T]) -> None:
        """Store new aggregates, as :meth:`add` would one by one, in bulk; raises
        AlreadyExists (and stores none) if one of them is taken."""
        ...

    def save(self, aggregate: T) -> None:
        """Store a changed aggregate; raises ConcurrencyConflict if it is stale."""
        ...


class JobRepository(Repository["Job"], Protocol):
    """Scheduled jobs, with the queries the scheduler needs."""

    def due(self, now: pendulum.DateTime, *, limit: int | None = None) -> list[Job]:
        """Pending jobs due at ``now`` or before, soonest first (then by id)."""
        ...

    def pending_for(
        self,
        subject_id: str,
        *,
        kind: JobKind | None = None,
        due_by: pendulum.DateTime | None = None,
    ) -> list[Job]:
        """Pending jobs about one subject (of one ``kind``, due by ``due_by``), soonest first."""
        ...


class MessageRepository(Repository["Message"], Protocol):
    """Messages, read by thread."""

    def thread(self, participation_id: str) -> list[Message]:
        """The messages of one participation's thread, in the order they were written."""
        ...


class ApplicationRepository(Repository["Application"], Protocol):
    """Applications, read by offer."""

    def to_offer(
        self, campaign_id: str, *, status: ApplicationStatus | None = None
    ) -> list[Application]:
        """The applications to one offer (in one ``status``), oldest first."""
        ...


@attrs.frozen
class OutboxMessage:
    """An event waiting to be delivered, with a stable id for de-duplication."""

    id: str
    position: int
    event: DomainEvent


class UnitOfWork(Protocol):
    """One transaction: repositories, the outbox, commit and rollback.

    Leaving the ``with`` block without :meth:`commit` rolls everything back.
    """

    @property
    def creators(self) -> Repository[Creator]:
        """Creators."""
        ...

    @property
    def groups(self) -> Repository[Group]:
        """Groups of creators."""
        ...

    @property
    def campaigns(self) -> Repository[Campaign]:
        """Campaigns."""
        ...

    @property
    def applications(self) -> ApplicationRepository:
        """Applications to marketplace offers."""
        ...

    @property
    def participations(self) -> Repository[Participation]:
        """Creators in campaigns."""
        ...

    @property
    def shipments(self) -> Repository[Shipment]:
        """Parcels sent to creators."""
        ...

    @property
    def messages(self) -> MessageRepository:
        """Messages of participation threads."""
        ...

    @property
    def templates(self) -> Repository[MessageTemplate]:
        """Brands' message templates."""
        ...

    @property
    def submissions(self) -> Repository[Submission]:
        """Published content submitted by creators."""
        ...

    @property
    def jobs(self) -> JobRepository:
        """Scheduled work."""
        ...

    @property
    def deliverables(self) -> Repository[Deliverable]:
        """Contents creators owe."""
        ...

    @property
    def links(self) -> Repository[TrackedLink]:
        """Tracked links."""
        ...

    @property
    def clicks(self) -> Repository[Click]:
        """Counted clicks on tracked links."""
        ...

    @property
    def promo_codes(self) -> Repository[PromoCode]:
        """Creators' promo codes."""
        ...

    @property
    def orders(self) -> Repository[Order]:
        """Shop orders, with their refunds and attribution."""
        ...

    @property
    def receipts(self) -> Repository[WebhookReceipt]:
        """Shop events already applied (idempotency keys)."""
        ...

    @property
    def costs(self) -> Repository[Cost]:
        """Costs and payments of campaigns."""
        ...

    @property
    def rate_cards(self) -> Repository[BrandRateCard]:
        """The EMV rate cards brands defined."""
        ...

    @property
    def reviews(self) -> Repository[CreatorReview]:
        """The brands' end-of-campaign reviews of creators."""
        ...

    @property
    def commissions(self) -> Repository[Commission]:
        """The commission ledger: what each credited order earned its creator."""
        ...

    @property
    def statements(self) -> Repository[PayoutStatement]:
        """Payout statements issued to creators."""
        ...

    @property
    def audit(self) -> Repository[AuditEntry]:
        """Who read, exported or erased creators' personal data."""
        ...

    @property
    def drafts(self) -> Repository[Draft]:
        """Drafts submitted for approval before publication."""
        ...

    @property
    def earned_mentions(self) -> Repository[EarnedMention]:
        """Posts by people outside a campaign that carry its hashtags or mentions."""
        ...

    @property
    def usage_rights(self) -> Repository[UsageRights]:
        """Usage rights on creators' contents."""
        ...

    @property
    def contests(self) -> Repository[Contest]:
        """Contests of contest campaigns."""
        ...

    @property
    def contest_entries(self) -> Repository[ContestEntry]:
        """Entries of contests, eligible or rejected."""
        ...

    @property
    def brand_events(self) -> Repository[BrandEvent]:
        """Brand events of event campaigns, with their guest lists."""
        ...

    @property
    def exchanges(self) -> Repository[Exchange]:
        """The brand's log of contacts with creators outside the thread."""
        ...

    def emit(self, *events: DomainEvent) -> None:
        """Write events to the outbox, in this transaction."""
        ...

    def redact_outbox(self, ids: frozenset[str], personal: frozenset[str]) -> int:
        """In this transaction, replace each ``personal`` string in every outbox event
        (delivered or not) that mentions one of ``ids``; returns how many events changed."""
        ...

    def savepoint(self) -> AbstractContextManager[None]:
        """A nested block: if it raises, only its own writes are undone."""
        ...

    def commit(self) -> None:
        """Make every write of this unit of work durable, atomically."""
        ...

    def rollback(self) -> None:
        """Forget every write since the last commit."""
        ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, *exc: object) -> None: ...


class Outbox(Protocol):
    """Events written by committed units of work, for the host to deliver at least once."""

    def pending(self, limit: int = 100) -> Sequence[OutboxMessage]:
        """Undelivered messages, oldest first."""
        ...

    def mark_delivered(self, ids: Sequence[str]) -> None:
        """Mark messages delivered; unknown or already delivered ids are ignored."""
        ...

    def all(self) -> Iterator[OutboxMessage]:
        """Every message ever written, oldest first (delivered or not)."""
        ...


class Store(Protocol):
    """A storage backend: opens units of work and holds the outbox."""

    @property
    def outbox(self) -> Outbox:
        """The outbox of events."""
        ...

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        """A new unit of work; use it as a context manager."""
        ...

    def migrate(self) -> int:
        """Create or upgrade the schema; returns the schema version now in force."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
