"""Use cases of shop sales: apply what a shop says about orders (once), credit each order
to at most one participation, and report clicks and sales per creator and per campaign."""

from __future__ import annotations

import copy
import datetime as _dt
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from influcampaign.domain.access import Permission, Resource
from influcampaign.domain.campaign import Campaign
from influcampaign.domain.money import Money
from influcampaign.domain.orders import (
    Attribution,
    Order,
    OrderPlacement,
    RateUsed,
    ShopEvent,
    ShopTopic,
    TouchKind,
    WebhookReceipt,
)
from influcampaign.domain.principals import Principal
from influcampaign.domain.tokens import SigningKeys
from influcampaign.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    ConfigurationError,
    CurrencyMismatch,
    ValidationError,
)
from influcampaign.ports import UnitOfWork
from influcampaign.rules.attribution import Touch, decide
from influcampaign.services._base import (
    Service,
    campaign_resource,
    participation_resource,
    stable_id,
)
from influcampaign.services._context import ExchangeRates, ServiceContext
from influcampaign.services._touches import StoreTouches, order_touches

__all__ = [
    "Applied",
    "ClickCount",
    "SalesLine",
    "SalesReport",
    "SalesService",
    "order_id",
    "sales_currency",
]

log = logging.getLogger("influcampaign.sales")

_MERGE_ATTEMPTS = 5
"""How often one shop event (or one chunk of an import) is merged again when concurrent
deliveries about its orders win."""

_FIRST_CHUNK = 500
"""Events in an import's first chunk; the next ones are sized to the lock budget."""

NO_CURRENCY = "XXX"
"""ISO 4217's code for "no currency": a campaign's sales currency before anything is known."""


def order_id(brand_id: str, shop: str, external_id: str) -> str:
    """The id of a shop order in the store (one per brand, shop and shop order id)."""
    return stable_id("ord", brand_id, shop, external_id)


def sales_currency(campaign: Campaign) -> str | None:
    """The currency a campaign's sales are reported in: its attribution policy's, else its
    compensation's (None when neither says)."""
    policy = campaign.policies.attribution.currency
    if policy is not None:
        return policy
    for money in (campaign.compensation.fee, campaign.compensation.product_value):
        if money is not None:
            return money.currency
    return None


@attrs.frozen
class Applied:
    """What became of a shop event: ``applied``, or ``duplicate`` (already applied once:
    nothing changed), with the order and, when it was decided now, its attribution."""

    status: str
    order_id: str
    attribution: Attribution | None = None


@attrs.frozen
class ClickCount:
    """Clicks, and unique clicks (first of a visitor on a link within the window)."""

    clicks: int = 0
    unique: int = 0

    def __add__(self, other: ClickCount) -> ClickCount:
        return ClickCount(self.clicks + other.clicks, self.unique + other.unique)


def _ratio(numerator: Decimal, denominator: int) -> Decimal | None:
    return None if denominator == 0 else numerator / denominator


@attrs.frozen
class SalesLine:
    """Clicks and credited sales of one creator, or of a whole campaign, in one currency.

    ``orders`` counts credited orders not cancelled (``cancelled`` the others), and
    ``orders_via_link`` those of them credited through a click or a tracked landing page;
    ``gross`` is their revenue, ``refunded`` what refunds took back, ``net`` what is left.
    Ratios are None when their denominator is zero, never 0 or infinity.
    """

    currency: str
    clicks: int = 0
    unique_clicks: int = 0
    orders: int = 0
    cancelled: int = 0
    orders_via_link: int = 0
    gross: Money | None = None
    refunded: Money | None = None
    net: Money | None = None

    def __attrs_post_init__(self) -> None:
        for name in ("gross", "refunded", "net"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, Money.zero(self.currency))

    @property
    def conversion_rate(self) -> Decimal | None:
        """Orders that came through a link, per unique click (orders by promo code alone
        are not conversions of a click)."""
        return _ratio(Decimal(self.orders_via_link), self.unique_clicks)

    @property
    def average_order_value(self) -> Money | None:
        """Gross revenue per order."""
        if self.orders == 0 or self.gross is None:
            return None
        return Money(self.gross.amount / self.orders, self.currency).rounded()

    @property
    def revenue_per_click(self) -> Money | None:
        """Net revenue per click."""
        if self.clicks == 0 or self.net is None:
            return None
        return Money(self.net.amount / self.clicks, self.currency).rounded()

    def __add__(self, other: SalesLine) -> SalesLine:
        if other.currency != self.currency:
            raise CurrencyMismatch("currency", self.currency, other.currency)
        return SalesLine(
            self.currency,
            self.clicks + other.clicks,
            self.unique_clicks + other.unique_clicks,
            self.orders + other.orders,
            self.cancelled + other.cancelled,
            self.orders_via_link + other.orders_via_link,
            self.gross + other.gross,  # type: ignore[operator]
            self.refunded + other.refunded,  # type: ignore[operator]
            self.net + other.net,  # type: ignore[operator]
        )


_COUNTS = ("clicks", "unique_clicks", "orders", "orders_via_link", "cancelled")


@attrs.frozen
class SalesReport:
    """Clicks and sales of one campaign: per creator, per link, per local day, in total."""

    campaign_id: str
    currency: str
    per_creator: Mapping[str, SalesLine]
    per_link: Mapping[str, ClickCount]
    per_day: Mapping[_dt.date, ClickCount]
    total: SalesLine

    def records(self, table: str = "creators") -> list[dict[str, Any]]:
        """``creators`` (one sales line each, then the total) or ``days`` (clicks per day)."""
        if table == "days":
            return [{"day": d, **attrs.asdict(c)} for d, c in self.per_day.items()]
        if table != "creators":
            raise ValidationError("table", table, "is not one of creators, days")
        lines = [*self.per_creator.items(), (None, self.total)]
        return [
            {
                "creator_id": who,
                "currency": self.currency,
                **{k: getattr(line, k) for k in _COUNTS},
                **{k: getattr(line, k).amount for k in ("gross", "refunded", "net")},
                "conversion_rate": line.conversion_rate,
            }
            for who, line in lines
        ]

    def frame(
        self, table: str = "creators", library: str = "pandas", *, floats: bool = False
    ) -> Any:
        """:meth:`records` as a pandas or polars DataFrame (the ``frames`` extra)."""
        from influcampaign.adapters.frames import to_frame

        return to_frame(self.records(table), library, floats=floats)


class SalesService(Service):
    """``workspace.sales``: shop orders and refunds, their attribution, and the figures.

    ``keys`` verify the click ids carried by orders; ``rates`` convert an order in another
    currency into the campaign's."""

    def __init__(
        self, context: ServiceContext, *, keys: SigningKeys | None, rates: ExchangeRates
    ) -> None:
        super().__init__(context)
        self._keys = keys
        self._rates = rates

    # -- applying shop events ------------------------------------------------------------

    def apply(self, actor: Principal, brand_id: str, shop: str, event: ShopEvent) -> Applied:
        """Apply one shop event, once: a retry (same event id) or a second delivery of the
        same topic for the same order or refund changes nothing and says ``duplicate``.
        A refund before its order is kept and counts when the order comes."""
        if not isinstance(event, ShopEvent):
            raise ValidationError("event", event, "must be a ShopEvent")
        self._check(actor, Permission.SALES_WRITE, _brand_resource(brand_id))
        oid = order_id(brand_id, shop, event.external_order_id)
        keys = self._receipt_keys(shop, event)
        # A concurrent delivery about the same order (a retry, or another topic of it) may
        # add or change the order first: this one then conflicts, writes nothing, and runs
        # again on the order as it now stands (and answers "duplicate" if it was the same).
        for attempt in range(_MERGE_ATTEMPTS):
            try:
                return self._apply_once(brand_id, shop, event, oid, keys)
            except AlreadyExists as e:
                if e.kind == "webhook receipt":
                    return Applied("duplicate", oid)
                if e.kind != "order" or attempt == _MERGE_ATTEMPTS - 1:
                    raise
            except ConcurrencyConflict as e:
                if e.kind != "order" or attempt == _MERGE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _apply_once(
        self, brand_id: str, shop: str, event: ShopEvent, oid: str, keys: list[str]
    ) -> Applied:
        with self._write() as uow:
            if any(uow.receipts.exists(k) for k in keys):
                return Applied("duplicate", oid)
            attribution = self._merge(uow, brand_id, shop, oid, event)
            for key in keys:
                uow.receipts.add(
                    WebhookReceipt(
                        id=key,
                        shop=shop,
                        key=event.event_id or event.resource_id,
                        topic=event.topic.value,
                        order_id=oid,
                        received_at=self._now(),
                    )
                )
        return Applied("applied", oid, attribution)

    @staticmethod
    def _receipt_keys(shop: str, event: ShopEvent) -> list[str]:
        if event.topic is ShopTopic.CSV_EXPORT:
            return []  # an export is a snapshot: merging it again changes nothing
        keys = [stable_id("rcp", shop, event.topic.value, event.resource_id)]
        if event.event_id:
            keys.append(stable_id("rcp", shop, "event", event.event_id))
        return keys

    def apply_all(
        self,
        actor: Principal,
        brand_id: str,
        shop: str,
        events: Iterable[ShopEvent],
        *,
        chunk: int = 20_000,
        chunk_seconds: float = 1.0,
    ) -> list[Applied]:
        """Apply many events (a CSV import, a webhook backlog) in bulk, committed in chunks of
        at most ``chunk`` events, each sized to take about ``chunk_seconds`` so that other
        writers never wait long for the database. A chunk reads what it needs at once,
        credits its new orders with the vectorised engine and writes in bulk; the orders,
        receipts, events and attributions are those :meth:`apply` gives one by one.

        Every event is checked before anything is written. Applying is idempotent, so after
        a failure or a crash, applying the same events again finishes the job: those already
        applied answer ``duplicate`` (an export's rows merge again to the same orders). Inside
        :meth:`Workspace.atomic` (or a host's transaction) it is all one transaction.
        """
        for name, value in (("chunk", chunk), ("chunk_seconds", chunk_seconds)):
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ValidationError(name, value, "must be a positive number")
        batch = list(events)
        for i, event in enumerate(batch):
            if not isinstance(event, ShopEvent):
                raise ValidationError(f"events[{i}]", event, "must be a ShopEvent")
        self._check(actor, Permission.SALES_WRITE, _brand_resource(brand_id))
        work = [
            (e, order_id(brand_id, shop, e.external_order_id), self._receipt_keys(shop, e))
            for e in batch
        ]
        applied: list[Applied] = []
        size = min(int(chunk), _FIRST_CHUNK)
        while len(applied) < len(work):
            part = work[len(applied) : len(applied) + size]
            started = time.monotonic()  # a lock budget, not the domain's time
            applied.extend(self._import_chunk(brand_id, shop, part))
            spent = max(time.monotonic() - started, 1e-3)
            # the next chunk as large as the budget allows (with a margin), never above chunk
            size = max(1, min(int(chunk), int(len(part) * 0.8 * chunk_seconds / spent)))
        return applied

    def _import_chunk(
        self, brand_id: str, shop: str, part: list[tuple[ShopEvent, str, list[str]]]
    ) -> list[Applied]:
        """One chunk in one transaction; run again on the store as it now stands when a
        concurrent writer added or changed one of its orders or receipts first."""
        from influcampaign.services._order_import import apply_chunk

        for attempt in range(_MERGE_ATTEMPTS):
            try:
                now = self._now()
                with self._write() as uow:
                    credit = self._crediting(uow, now)
                    done = apply_chunk(uow, now, self._keys, credit, brand_id, shop, part)
                return [Applied(status, oid, attribution) for status, oid, attribution in done]
            except (AlreadyExists, ConcurrencyConflict) as e:
                if e.kind not in ("order", "webhook receipt") or attempt == _MERGE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _merge(
        self, uow: UnitOfWork, brand_id: str, shop: str, oid: str, event: ShopEvent
    ) -> Attribution | None:
        now = self._now()
        if uow.orders.exists(oid):
            order = uow.orders.get(oid)
            if order.currency != event.currency:
                raise CurrencyMismatch("currency", order.currency, event.currency)
            new = False
        else:
            order = Order(
                id=oid,
                brand_id=brand_id,
                shop=shop,
                external_id=event.external_order_id,
                currency=event.currency,
            )
            new = True
        unchanged = copy.deepcopy(order)
        attribution = order.merge(
            now, event, lambda placement: self._attribute(uow, order, placement, now)
        )
        if new:
            uow.orders.add(order)
        elif order != unchanged:  # an export imported again changes nothing: no write
            uow.orders.save(order)
        return attribution

    # -- attribution ---------------------------------------------------------------------

    def _touches(
        self, uow: UnitOfWork, order: Order, placement: OrderPlacement
    ) -> tuple[list[Touch], list[str]]:
        return order_touches(StoreTouches(uow), self._keys, order.id, order.brand_id, placement)

    def _attribute(
        self, uow: UnitOfWork, order: Order, placement: OrderPlacement, now: pendulum.DateTime
    ) -> Attribution:
        if placement.test:
            return Attribution(None, None, None, None, "", "a test order is never credited", now)
        touches, notes = self._touches(uow, order, placement)
        decision = decide(placement.created_at, touches)
        reason = "; ".join([decision.reason, *notes])
        return self._crediting(uow, now)(order, placement, decision.touch, reason)

    def _crediting(
        self, uow: UnitOfWork, now: pendulum.DateTime
    ) -> Callable[[Order, OrderPlacement, Touch | None, str], Attribution]:
        """The attribution of an order to the winning touch (None: nobody), in the winning
        campaign's sales currency at the rate of the order's day."""
        campaigns: dict[str, Campaign] = {}

        def credit(
            order: Order, placement: OrderPlacement, winner: Touch | None, reason: str
        ) -> Attribution:
            if winner is None:
                return Attribution(None, None, None, None, "", reason, now)
            if winner.campaign_id not in campaigns:
                campaigns[winner.campaign_id] = uow.campaigns.get(winner.campaign_id)
            currency = sales_currency(campaigns[winner.campaign_id]) or order.currency
            rate = self._rate(order.currency, currency, placement.created_at.date())
            return Attribution(
                winner.participation_id,
                winner.campaign_id,
                winner.creator_id,
                winner.kind,
                winner.detail,
                reason,
                now,
                currency,
                rate,
            )

        return credit

    def _rate(self, base: str, quote: str, on: _dt.date) -> RateUsed | None:
        if base == quote:
            return None
        found = self._rates.rate(base, quote, on)
        if found is None:
            # Not bad input: the same order applies once the rate is known, so a shop retries.
            raise ConfigurationError(
                f"currency: no exchange rate from {base} to {quote} on {on.isoformat()}: give "
                "the workspace a rate provider that knows it (the order is not applied; apply "
                "it again)"
            )
        return RateUsed(base, quote, found.value, on, found.source)

    # -- reading -------------------------------------------------------------------------

    def order(self, actor: Principal, brand_id: str, shop: str, external_id: str) -> Order:
        """A shop order as merged so far, with its attribution."""
        self._check(actor, Permission.SALES_READ, _brand_resource(brand_id))
        with self._read() as uow:
            return uow.orders.get(order_id(brand_id, shop, external_id))

    def orders(
        self,
        actor: Principal,
        brand_id: str,
        *,
        campaign_id: str | None = None,
        shop: str | None = None,
    ) -> list[Order]:
        """A brand's stored orders, credited or not; only those of ``campaign_id``/``shop``."""
        self._check(actor, Permission.SALES_READ, _brand_resource(brand_id))
        filters: dict[str, Any] = {} if campaign_id is None else {"campaign_id": campaign_id}
        with self._read() as uow:
            found = uow.orders.find(brand_id=brand_id, **filters)
        return [o for o in found if shop is None or o.shop == shop]

    def receipts(
        self, actor: Principal, brand_id: str, shop: str, external_id: str
    ) -> list[WebhookReceipt]:
        """The shop events applied to one order (topic, event id, when received), oldest first."""
        self._check(actor, Permission.SALES_READ, _brand_resource(brand_id))
        with self._read() as uow:
            found = uow.receipts.find(order_id=order_id(brand_id, shop, external_id))
        return sorted(found, key=lambda r: (r.received_at, r.id))

    def report(self, actor: Principal, campaign_id: str) -> SalesReport:
        """Clicks and credited sales of a campaign, per creator, link and day, as of now.

        Amounts are in the campaign's sales currency, each order converted at the rate
        recorded when it was attributed. A creator sees only its own line.
        """
        with self._read() as uow:
            campaign = uow.campaigns.get(campaign_id)
            everything = self._allowed(actor, Permission.SALES_READ, campaign_resource(campaign))
            participations = uow.participations.find(campaign_id=campaign_id)
            visible = {
                p.id: p
                for p in participations
                if everything
                or self._allowed(actor, Permission.SALES_READ, participation_resource(p))
            }
            if not visible and not everything:
                self._check(actor, Permission.SALES_READ, campaign_resource(campaign))
            orders = [
                o for o in uow.orders.find(campaign_id=campaign_id) if o.participation_id in visible
            ]
            clicks = [
                c for c in uow.clicks.find(campaign_id=campaign_id) if c.participation_id in visible
            ]
        currency = sales_currency(campaign) or _orders_currency(orders)
        basis = campaign.policies.attribution.basis
        lines: dict[str, SalesLine] = {p.creator_id: SalesLine(currency) for p in visible.values()}
        per_link: dict[str, ClickCount] = defaultdict(ClickCount)
        per_day: dict[_dt.date, ClickCount] = defaultdict(ClickCount)
        for click in clicks:
            one = ClickCount(1, int(click.unique))
            per_link[click.link_id] += one
            per_day[click.day] += one
            lines[click.creator_id] += SalesLine(currency, 1, int(click.unique))
        for order in orders:
            if order.attribution is None or order.attribution.creator_id is None:
                continue  # pragma: no cover - only credited orders carry a campaign id
            figures = order.figures(basis)
            rate = order.attribution.rate
            gross, net = figures["gross"], figures["net"]
            if rate is not None:
                gross, net = rate.convert(gross), rate.convert(net)
            if gross.currency != currency:
                raise CurrencyMismatch("currency", currency, gross.currency)
            line = SalesLine(
                currency,
                orders=0 if order.is_cancelled else 1,
                cancelled=1 if order.is_cancelled else 0,
                orders_via_link=int(
                    not order.is_cancelled
                    and order.attribution.via in (TouchKind.CLICK, TouchKind.LANDING)
                ),
                gross=gross,
                refunded=gross - net,
                net=net,
            )
            lines[order.attribution.creator_id] += line
        total = SalesLine(currency)
        for line in lines.values():
            total += line
        return SalesReport(
            campaign_id,
            currency,
            dict(sorted(lines.items())),
            dict(sorted(per_link.items())),
            dict(sorted(per_day.items())),
            total,
        )


def _brand_resource(brand_id: str) -> Resource:
    return Resource("shop orders", brand_id, brand_id=brand_id)


def _orders_currency(orders: Iterable[Order]) -> str:
    """The one currency a campaign without a declared one was credited in (ISO 4217's
    "no currency" code before any order)."""
    currencies = {o.attribution.currency for o in orders if o.attribution is not None}
    if len(currencies) > 1:
        raise ValidationError(
            "policies.attribution.currency",
            sorted(c or "" for c in currencies),
            "the campaign's orders are in several currencies: set its sales currency",
        )
    return (currencies.pop() or NO_CURRENCY) if currencies else NO_CURRENCY
