"""The Workspace: the entry point hosts call use cases through. Built from a store and a clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from influcampaign.adapters.clock import SystemClock
from influcampaign.adapters.ids import RandomIds
from influcampaign.domain.access import AccessPolicy
from influcampaign.domain.privacy import RetentionPolicy
from influcampaign.domain.scheduling import JobKind
from influcampaign.domain.tokens import SigningKeys
from influcampaign.ports import (
    BotFilter,
    Clock,
    IdGenerator,
    PayoutGateway,
    PostSource,
    RateProvider,
    Store,
    UnitOfWork,
)
from influcampaign.services._context import ExchangeRates, ServiceContext, Units
from influcampaign.services.applications import ApplicationService
from influcampaign.services.calendar import CalendarService
from influcampaign.services.campaigns import CampaignService
from influcampaign.services.capture import CaptureService
from influcampaign.services.contests import ContestService
from influcampaign.services.costs import CostService
from influcampaign.services.creators import CreatorService
from influcampaign.services.deliverables import DeliverableService
from influcampaign.services.drafts import DraftService
from influcampaign.services.events import EventService
from influcampaign.services.exchanges import ExchangeService
from influcampaign.services.groups import GroupService
from influcampaign.services.kinds import KindService
from influcampaign.services.messages import MessageService
from influcampaign.services.overlap import OverlapService
from influcampaign.services.participations import ParticipationService
from influcampaign.services.pay import PayService
from influcampaign.services.privacy import PrivacyService
from influcampaign.services.reports import RateCardService, ReportService
from influcampaign.services.reviews import HistoryService, MatchingService, ReviewService
from influcampaign.services.rights import RightsService
from influcampaign.services.sales import SalesService
from influcampaign.services.scheduler import Scheduler
from influcampaign.services.shipments import ShipmentService
from influcampaign.services.submissions import SubmissionService
from influcampaign.services.tracking import LinkService, PromoCodeService

__all__ = ["Workspace"]


class Workspace:
    """Use cases over one store, with one clock, id generator and access policy. No globals.

    Each call runs in its own transaction; :meth:`atomic` groups several calls in one.
    ``keys`` sign click ids and hash visitors (tracked links need them), ``rates`` convert
    orders in another currency, ``bots`` tells robots from people (default: the maintained
    crawler list of the ``tracking`` extra), ``payouts`` pays creators' statements (the
    host's payment system; without it, payments are recorded by hand), ``retention`` the days
    each kind of personal data is kept (the scheduler expires it; None: kept until erasure),
    ``posts`` is the feed of published posts that ``capture`` reads (and the scheduler's
    periodic capture).
    """

    def __init__(
        self,
        store: Store,
        clock: Clock | None = None,
        *,
        ids: IdGenerator | None = None,
        access: AccessPolicy | None = None,
        keys: SigningKeys | None = None,
        rates: RateProvider | None = None,
        bots: BotFilter | None = None,
        payouts: PayoutGateway | None = None,
        retention: RetentionPolicy | None = None,
        posts: PostSource | None = None,
        _uow: UnitOfWork | None = None,
    ) -> None:
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self.ids: IdGenerator = ids or RandomIds()
        self.access = access or AccessPolicy()
        self.keys = keys
        self.rates = rates
        self.bots = bots
        self.payouts = payouts
        self.retention = retention
        self.posts = posts
        self._bound = _uow
        context = ServiceContext(Units(store, _uow), self.clock, self.ids, self.access)
        exchange = ExchangeRates(rates)
        self.creators = CreatorService(context)
        self.groups = GroupService(context)
        self.campaigns = CampaignService(context)
        self.applications = ApplicationService(context)
        self.participations = ParticipationService(context)
        self.messages = MessageService(context)
        self.shipments = ShipmentService(context)
        self.deliverables = DeliverableService(context)
        self.submissions = SubmissionService(context)
        self.calendar = CalendarService(context)
        self.overlap = OverlapService(context)
        self.links = LinkService(context, keys=keys, bots=bots)
        self.codes = PromoCodeService(context)
        self.sales = SalesService(context, keys=keys, rates=exchange)
        self.costs = CostService(context, rates=exchange)
        self.pay = PayService(context, rates=exchange, payouts=payouts)
        self.rate_cards = RateCardService(context)
        self.reports = ReportService(context, rates=exchange, sales=self.sales)
        self.reviews = ReviewService(context)
        self.history = HistoryService(context, rates=exchange, sales=self.sales)
        self.matching = MatchingService(context)
        self.privacy = PrivacyService(context)
        self.drafts = DraftService(context)
        self.capture = CaptureService(context, source=posts)
        self.rights = RightsService(context)
        self.contests = ContestService(context)
        self.events = EventService(context)
        self.kinds = KindService(context, links=self.links, codes=self.codes)
        self.exchanges = ExchangeService(context)
        self.scheduler = Scheduler(
            context,
            retention=retention,
            handlers={JobKind.POST_CAPTURE: self.capture.capture_job},
        )

    def __repr__(self) -> str:
        return f"Workspace({self.store!r}, {self.clock!r})"

    @contextmanager
    def atomic(self) -> Iterator[Workspace]:
        """A workspace whose calls share one transaction, committed when the block ends.

        If the block raises, nothing of it is kept. A call that raises inside the block
        undoes only its own writes (a savepoint), so the block may catch and go on.
        """
        if self._bound is not None:
            yield self
            return
        with self.store.unit_of_work() as uow:
            yield Workspace(
                self.store,
                self.clock,
                ids=self.ids,
                access=self.access,
                keys=self.keys,
                rates=self.rates,
                bots=self.bots,
                payouts=self.payouts,
                retention=self.retention,
                posts=self.posts,
                _uow=uow,
            )
            uow.commit()

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
