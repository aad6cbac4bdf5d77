"""What a credited order earns under a commission rule, as of a moment: pure decisions over
the order's figures (see :mod:`influcampaign.domain.commission` for the rounding rules)."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pendulum

from influcampaign.domain.commission import CommissionRule
from influcampaign.domain.money import Money
from influcampaign.domain.orders import Order
from influcampaign.domain.policies import RevenueBasis
from influcampaign.errors import CurrencyMismatch, ValidationError

__all__ = ["Quote", "net_as_of", "quote"]


@attrs.frozen
class Quote:
    """A commission and how it was reached (the line's reason)."""

    amount: Money
    reason: str


def net_as_of(order: Order, basis: RevenueBasis, at: pendulum.DateTime | None) -> Money:
    """The order's revenue on ``basis`` after what was refunded or cancelled before ``at``
    (None: everything known), in the shop currency, never below zero. An export's refunded
    total beyond the dated refunds counts from the order's last update."""
    zero = Money.zero(order.currency)
    placement = order.placement
    if placement is None:
        return zero
    if order.cancelled_at is not None and (at is None or order.cancelled_at < at):
        return zero
    gross = placement.subtotal if basis is RevenueBasis.SUBTOTAL else placement.total
    dated = Money.sum([r.amount for r in order.refunds], order.currency)
    refunded = Money.sum(
        [r.amount for r in order.refunds if at is None or r.created_at < at], order.currency
    )
    surplus = order.refunded() - dated
    if not surplus.is_zero() and (at is None or placement.updated_at < at):
        refunded = refunded + surplus
    left = gross - refunded
    return left if left.amount > 0 else zero


def _included_share(order: Order, rule: CommissionRule) -> Decimal:
    """The part of the order's lines a rule pays on (1 when the shop sent no lines)."""
    lines = () if order.placement is None else order.placement.lines
    total = sum((line.amount.amount for line in lines), Decimal(0))
    if not lines or total == 0:
        return Decimal(1)
    kept = sum(
        (
            line.amount.amount
            for line in lines
            if line.product_id not in rule.excluded_products
            and not line.collections & rule.excluded_collections
        ),
        Decimal(0),
    )
    return kept / total


def quote(
    rule: CommissionRule,
    order: Order,
    basis: RevenueBasis,
    *,
    at: pendulum.DateTime | None,
    rank: int,
    earned_in_period: Money,
) -> Quote:
    """What ``order`` earns under ``rule`` as of ``at``: it is the creator's ``rank``-th
    credited order of the period, in which its other orders earned ``earned_in_period``
    (the room left under the cap). In the commission currency: the attribution's."""
    attribution = order.attribution
    if attribution is None or attribution.currency is None:
        raise ValidationError("order", order.id, "is not credited to a creator")
    currency = attribution.currency
    zero = Money.zero(currency)
    name = order.placement.name if order.placement is not None else order.external_id
    placement = order.placement
    if rule.first_order_only and (placement is None or placement.new_customer is not True):
        why = "unknown" if placement is None or placement.new_customer is None else "not"
        return Quote(zero, f"{name}: first orders only, and the buyer's first order is {why}")
    net = net_as_of(order, basis, at)
    share = _included_share(order, rule)
    if net.is_zero() or share == 0:
        why = "nothing left of the order" if net.is_zero() else "only excluded products"
        return Quote(zero, f"{name}: {why}")
    value = rule.value_at(rank)
    if isinstance(value, Money):
        if value.currency != currency:
            raise CurrencyMismatch("amount", currency, value.currency)
        amount, how = value.rounded(), f"{value} per order"
    else:
        base = net.amount * share * (attribution.rate.rate if attribution.rate else Decimal(1))
        amount = Money(base * value / 100, currency).rounded()
        shown = Money(base, currency).rounded()
        how = f"{value.normalize():f}% of {shown} net"
    if rank > 1 and rule.tiers and any(rank >= t.from_order for t in rule.tiers):
        how += f" (tier from order {max(t.from_order for t in rule.tiers if rank >= t.from_order)})"
    if rule.cap is not None:
        if rule.cap.currency != currency:
            raise CurrencyMismatch("cap", currency, rule.cap.currency)
        room = rule.cap - earned_in_period
        if room.amount < 0:
            room = zero
        if amount > room:
            amount, how = room, f"{how}, capped at {rule.cap} a month"
    return Quote(amount, f"{name}: {how}")
