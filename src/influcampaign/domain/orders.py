"""Shop orders and refunds, as the attribution of sales sees them.

An :class:`Order` is built from whatever the shop tells, in whatever order it arrives: the
placement (``orders/create``, ``orders/paid``, ``orders/cancelled`` and the CSV export all
carry the whole order), refunds, and a cancellation. Merging is idempotent and does not
depend on the arrival order — a refund may come before its order — so retries and
reordered webhooks give the same order as delivering each event once, in order.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import check_datetime, check_text, parse_enum, valid_id
from influcampaign.domain.aggregate import Aggregate
from influcampaign.domain.event import DomainEvent, register
from influcampaign.domain.money import Money, check_currency
from influcampaign.domain.policies import RevenueBasis
from influcampaign.errors import CurrencyMismatch, ValidationError

__all__ = [
    "Attribution",
    "Order",
    "OrderAttributed",
    "OrderCancelled",
    "OrderLine",
    "OrderPlacement",
    "OrderRefunded",
    "RateUsed",
    "Refund",
    "ShopEvent",
    "ShopTopic",
    "TouchKind",
    "WebhookReceipt",
]


class TouchKind(enum.StrEnum):
    """How an order reached a creator: a promo code, a click (its signed id came back with
    the order), or the landing page of the checkout session (its UTM parameters)."""

    CODE = "code"
    CLICK = "click"
    LANDING = "landing"


def _created_at(value: Any) -> pendulum.DateTime:
    return check_datetime("created_at", value)


def _updated_at(value: Any) -> pendulum.DateTime:
    return check_datetime("updated_at", value)


def _cancelled_at(value: Any) -> pendulum.DateTime | None:
    return None if value is None else check_datetime("cancelled_at", value)


def _non_negative(field: str) -> Any:
    def check(_instance: Any, _attribute: Any, value: Any) -> None:
        if not isinstance(value, Money):
            raise ValidationError(field, value, "must be Money")
        if value.amount < 0:
            raise ValidationError(field, str(value), "must not be negative")

    return check


@attrs.frozen
class Refund:
    """Money given back on an order (the sum of its successful refund transactions)."""

    id: str = attrs.field(validator=valid_id)
    amount: Money = attrs.field(validator=_non_negative("refund.amount"))
    created_at: pendulum.DateTime = attrs.field(converter=_created_at)


def _codes(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ValidationError("discount_codes", value, "must be a list of codes")
    codes: list[str] = []
    for code in value:
        text = check_text("discount_codes", code, max_length=255).upper()
        if text not in codes:
            codes.append(text)
    return tuple(codes)


def _collections(value: Any) -> frozenset[str]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ValidationError("line.collections", value, "must be a list of collection ids")
    return frozenset(check_text("line.collections", c, max_length=255) for c in value)


@attrs.frozen
class OrderLine:
    """One line item of an order, as far as commissions need it: the product, the
    collections it belongs to (as the host's shop knows them) and its amount after discounts."""

    product_id: str = attrs.field(validator=valid_id)
    amount: Money = attrs.field(validator=_non_negative("line.amount"))
    collections: frozenset[str] = attrs.field(factory=frozenset, converter=_collections)


def _lines(value: Any) -> tuple[OrderLine, ...]:
    lines = tuple(value)
    for line in lines:
        if not isinstance(line, OrderLine):
            raise ValidationError("lines", line, "must be OrderLine values")
    return lines


@attrs.frozen
class OrderPlacement:
    """What the shop says of an order as a whole (a webhook's order, or a CSV export's).

    ``subtotal`` is the line items after discounts, without shipping; ``total`` what the
    buyer paid. ``click_token`` is the signed click id found in the order's attributes.
    ``lines`` (optional) let commission rules exclude products or collections;
    ``new_customer`` (None: unknown) lets them pay on a buyer's first order only.
    """

    external_id: str = attrs.field(validator=valid_id)
    name: str
    created_at: pendulum.DateTime = attrs.field(converter=_created_at)
    updated_at: pendulum.DateTime = attrs.field(converter=_updated_at)
    subtotal: Money = attrs.field(validator=_non_negative("subtotal_price"))
    total: Money = attrs.field(validator=_non_negative("total_price"))
    discount_codes: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    landing_site: str | None = None
    click_token: str | None = None
    source_name: str | None = None
    financial_status: str | None = None
    cancelled_at: pendulum.DateTime | None = attrs.field(default=None, converter=_cancelled_at)
    test: bool = False
    lines: tuple[OrderLine, ...] = attrs.field(default=(), converter=_lines)
    new_customer: bool | None = None  # the shop says it is the buyer's first order

    def __attrs_post_init__(self) -> None:
        if self.subtotal.currency != self.total.currency:
            raise CurrencyMismatch("total_price", self.subtotal.currency, self.total.currency)
        for line in self.lines:
            if line.amount.currency != self.total.currency:
                raise CurrencyMismatch("line.amount", self.total.currency, line.amount.currency)

    @property
    def currency(self) -> str:
        """The shop currency the order's amounts are in."""
        return self.total.currency


_STATUS_RANK = {"pending": 1, "authorized": 2, "partially_paid": 3, "paid": 4}


def _newness(placement: OrderPlacement) -> tuple[Any, ...]:
    """A total order on versions of one order: the latest update, then the furthest payment
    status, then the content itself, so that merging never depends on arrival order."""
    return (
        placement.updated_at,
        _STATUS_RANK.get(placement.financial_status or "", 0),
        placement.cancelled_at is not None,
        placement.total.amount,
        placement.subtotal.amount,
        placement.name,
        placement.discount_codes,
        placement.landing_site or "",
        placement.click_token or "",
        placement.source_name or "",
        placement.financial_status or "",
        tuple(
            sorted(
                (x.product_id, x.amount.amount, tuple(sorted(x.collections)))
                for x in placement.lines
            )
        ),
        {None: 0, False: 1, True: 2}[placement.new_customer],
    )


@attrs.frozen
class RateUsed:
    """The exchange rate an order was converted with: 1 ``base`` = ``rate`` ``quote``."""

    base: str
    quote: str
    rate: Decimal
    on: _dt.date
    source: str

    def convert(self, money: Money) -> Money:
        """``money`` (in ``base``) in ``quote``, rounded to the quote's minor units."""
        if money.currency != self.base:
            raise CurrencyMismatch("currency", self.base, money.currency)
        return Money(money.amount * self.rate, self.quote).rounded()


@attrs.frozen
class Attribution:
    """Who an order is credited to (``participation_id`` None: nobody), through which touch,
    and why — decided once, when the order is first known as placed."""

    participation_id: str | None
    campaign_id: str | None
    creator_id: str | None
    via: TouchKind | None
    detail: str
    reason: str
    decided_at: pendulum.DateTime
    currency: str | None = None
    rate: RateUsed | None = None


# -- what happens to an order (recorded by Order, written to the outbox) ----------------------


@register
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


@register
@attrs.frozen(kw_only=True)
class OrderRefunded(DomainEvent):
    """Money was refunded on an order (once per refund)."""

    order_id: str
    refund_id: str
    amount: Money
    campaign_id: str | None


@register
@attrs.frozen(kw_only=True)
class OrderCancelled(DomainEvent):
    """An order was cancelled; it no longer counts as a sale."""

    order_id: str
    campaign_id: str | None


@attrs.define
class Order(Aggregate):
    """An order of a brand's shop, merged from every event about it. Aggregate.

    ``placement`` is None while only refunds are known. Amounts are in the shop currency.
    """

    id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    shop: str
    external_id: str
    currency: str
    placement: OrderPlacement | None = None
    refunds: tuple[Refund, ...] = ()
    exported_refunded: Money | None = None
    cancelled_at: pendulum.DateTime | None = None
    attribution: Attribution | None = None
    participation_id: str | None = None
    campaign_id: str | None = None
    version: int = 0

    # -- merging -------------------------------------------------------------------------

    def _same_currency(self, money: Money, field: str) -> None:
        if money.currency != self.currency:
            raise CurrencyMismatch(field, self.currency, money.currency)

    def merge(
        self,
        now: pendulum.DateTime,
        event: ShopEvent,
        attribute: Callable[[OrderPlacement], Attribution],
    ) -> Attribution | None:
        """Merge one shop event at ``now``: the placement (credited by ``attribute`` when it
        is the first), the refunds, an export's refunded total and a cancellation, recording
        OrderAttributed, then OrderRefunded per new refund, then OrderCancelled if the order
        became cancelled. Returns the attribution decided now, if any."""
        attribution = None
        if event.placement is not None and self.place(event.placement):
            attribution = attribute(event.placement)
            self.credit(attribution)
        for refund in event.refunds:
            self.add_refund(refund, now)
        if event.refunded_total is not None:
            self.refunded_per_export(event.refunded_total)
        if event.placement is not None and event.placement.cancelled_at is not None:
            self.cancel(event.placement.cancelled_at, now)
        if event.topic is ShopTopic.ORDER_CANCELLED and event.placement is not None:
            self.cancel(event.placement.cancelled_at or event.placement.updated_at, now)
        return attribution

    def place(self, placement: OrderPlacement) -> bool:
        """Merge the whole order; the most recently updated version wins (its cancellation is
        merged by :meth:`cancel`). Returns whether the order became placed by this call (it
        was only known by its refunds before)."""
        self._same_currency(placement.total, "total_price")
        first = self.placement is None
        if first or _newness(placement) > _newness(self.placement):  # type: ignore[arg-type]
            self.placement = placement
        return first

    def add_refund(self, refund: Refund, now: pendulum.DateTime) -> bool:
        """Merge a refund (once per refund id); returns whether it was new, and then records
        OrderRefunded."""
        self._same_currency(refund.amount, "refund.amount")
        if any(r.id == refund.id for r in self.refunds):
            return False
        self.refunds = tuple(sorted((*self.refunds, refund), key=lambda r: (r.created_at, r.id)))
        self.record(
            OrderRefunded(
                occurred_at=now,
                order_id=self.id,
                refund_id=refund.id,
                amount=refund.amount,
                campaign_id=self.campaign_id,
            )
        )
        return True

    def refunded_per_export(self, amount: Money) -> bool:
        """Merge the refunded total an orders export shows (a lower bound of what was
        refunded: refunds known one by one are not counted twice); returns whether it rose."""
        self._same_currency(amount, "Refunded Amount")
        if amount.amount < 0:
            raise ValidationError("Refunded Amount", str(amount), "must not be negative")
        if self.exported_refunded is not None and amount <= self.exported_refunded:
            return False
        self.exported_refunded = amount
        return True

    def cancel(self, at: pendulum.DateTime, now: pendulum.DateTime) -> bool:
        """Merge a cancellation at ``at`` (the earliest time is kept); returns whether it was
        new, and then records OrderCancelled."""
        new = self.cancelled_at is None
        if new or at < self.cancelled_at:  # type: ignore[operator]
            self.cancelled_at = at
        if new:
            self.record(
                OrderCancelled(occurred_at=now, order_id=self.id, campaign_id=self.campaign_id)
            )
        return new

    def credit(self, attribution: Attribution) -> None:
        """Record who the order is credited to (once), recording OrderAttributed at the
        attribution's time."""
        if self.attribution is not None:
            raise ValidationError("attribution", self.id, "an order is attributed only once")
        self.attribution = attribution
        self.participation_id = attribution.participation_id
        self.campaign_id = attribution.campaign_id
        self.record(
            OrderAttributed(
                occurred_at=attribution.decided_at,
                order_id=self.id,
                external_id=self.external_id,
                participation_id=attribution.participation_id,
                campaign_id=attribution.campaign_id,
                creator_id=attribution.creator_id,
                via=None if attribution.via is None else attribution.via.value,
                reason=attribution.reason,
            )
        )

    # -- figures -------------------------------------------------------------------------

    @property
    def is_placed(self) -> bool:
        """Whether the order itself is known (not only its refunds)."""
        return self.placement is not None

    @property
    def is_cancelled(self) -> bool:
        """Whether the order was cancelled."""
        return self.cancelled_at is not None

    def gross(self, basis: RevenueBasis) -> Money:
        """The order's revenue on ``basis`` (zero while not placed or once cancelled)."""
        if self.placement is None or self.is_cancelled:
            return Money.zero(self.currency)
        return self.placement.subtotal if basis is RevenueBasis.SUBTOTAL else self.placement.total

    def refunded(self) -> Money:
        """Everything refunded on the order: its refunds, or the refunded total of an
        orders export when that is larger."""
        total = Money.sum([r.amount for r in self.refunds], self.currency)
        if self.exported_refunded is not None and self.exported_refunded > total:
            return self.exported_refunded
        return total

    def net(self, basis: RevenueBasis) -> Money:
        """Revenue after refunds and cancellation, never below zero."""
        gross = self.gross(basis)
        left = gross - self.refunded()
        return left if left.amount > 0 else Money.zero(self.currency)

    def figures(self, basis: RevenueBasis) -> Mapping[str, Money]:
        """Gross, refunded (as far as it reduced the gross) and net, in the shop currency."""
        gross, net = self.gross(basis), self.net(basis)
        return {"gross": gross, "refunded": gross - net, "net": net}


@attrs.define
class WebhookReceipt(Aggregate):
    """A shop event already applied, kept so that a retry is applied only once. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    shop: str
    key: str
    topic: str
    order_id: str
    received_at: pendulum.DateTime
    version: int = 0


class ShopTopic(enum.StrEnum):
    """What a shop event says; the Shopify webhook topics, plus a CSV export's rows."""

    ORDER_CREATED = "orders/create"
    ORDER_PAID = "orders/paid"
    ORDER_CANCELLED = "orders/cancelled"
    REFUND_CREATED = "refunds/create"
    CSV_EXPORT = "csv/orders"


def _topic(value: Any) -> ShopTopic:
    return parse_enum(ShopTopic, "topic", value)


@attrs.frozen
class ShopEvent:
    """One thing a shop told about an order, whatever the channel (webhook or CSV).

    ``event_id`` is the shop's id of the delivery (``X-Shopify-Event-Id``), the same across
    its retries. The event is applied once per event id and once per (topic, resource):
    the order for order topics, the refund for refunds.
    """

    topic: ShopTopic = attrs.field(converter=_topic)
    external_order_id: str = attrs.field(validator=valid_id)
    currency: str = attrs.field()
    placement: OrderPlacement | None = None
    refunds: tuple[Refund, ...] = ()
    refunded_total: Money | None = None
    event_id: str | None = None

    @currency.validator
    def _check_currency(self, _attribute: Any, value: Any) -> None:
        check_currency("currency", value)

    def __attrs_post_init__(self) -> None:
        if self.topic is ShopTopic.REFUND_CREATED:
            if len(self.refunds) != 1:
                raise ValidationError("refunds", self.refunds, "a refund event carries one refund")
        elif self.placement is None:
            raise ValidationError("order", None, f"a {self.topic.value} event carries its order")
        if self.placement is not None and self.placement.external_id != self.external_order_id:
            raise ValidationError(
                "order.id", self.placement.external_id, "is not the event's order"
            )

    @property
    def resource_id(self) -> str:
        """What the event is about: the refund for a refund, else the order."""
        if self.topic is ShopTopic.REFUND_CREATED:
            return self.refunds[0].id
        return self.external_order_id
