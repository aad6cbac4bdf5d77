"""Commissions on attributed sales: the rules a campaign pays them by, and the ledger of what
each credited order earned — pending during the lock period, then approved, reversed or
clawed back.

Rounding (stated once, tested): a commission is computed exactly from the order's
commissionable net, converted at the rate its attribution recorded, and rounded **once**,
half to even, to the minor units of the commission's currency; a cap is applied after that
rounding. Its amount in the creator's payout currency is that rounded commission times the
rate recorded when it was earned, rounded once, half to even. Everything after (approvals,
clawbacks, statement lines and totals) adds whole minor units, so no cent is lost or made.
"""

from __future__ import annotations

import datetime as _dt
import enum
import hashlib
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import check_text, in_utc, parse_enum, valid_id
from influcampaign.domain.aggregate import Aggregate
from influcampaign.domain.event import DomainEvent, register
from influcampaign.domain.lifecycle import Lifecycle
from influcampaign.domain.money import Money
from influcampaign.domain.orders import RateUsed
from influcampaign.errors import CurrencyMismatch, ValidationError

__all__ = [
    "COMMISSION_LIFECYCLE",
    "Commission",
    "CommissionAction",
    "CommissionApproved",
    "CommissionChange",
    "CommissionClawedBack",
    "CommissionEarned",
    "CommissionKind",
    "CommissionPolicy",
    "CommissionRevised",
    "CommissionRule",
    "CommissionSettled",
    "CommissionStatus",
    "CommissionTier",
    "EntryKind",
    "LedgerEntry",
]


class CommissionKind(enum.StrEnum):
    """How a rule pays: a percentage of the attributed net sales, or a fixed amount per order."""

    PERCENT = "percent"
    FIXED = "fixed"


def _kind(value: Any) -> CommissionKind:
    return parse_enum(CommissionKind, "kind", value)


def _percent(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, Decimal | int) or isinstance(value, bool):
        raise ValidationError(attribute.name, value, "must be a Decimal percentage, never a float")
    if not Decimal(0) <= Decimal(value) <= Decimal(100):
        raise ValidationError(attribute.name, value, "must be a percentage from 0 to 100")


def _money(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, Money):
        raise ValidationError(attribute.name, value, "must be Money")
    if value.amount < 0:
        raise ValidationError(attribute.name, str(value), "must not be negative")


def _decimal(value: Any) -> Any:
    return Decimal(value) if isinstance(value, int) and not isinstance(value, bool) else value


@attrs.frozen
class CommissionTier:
    """From the ``from_order``-th credited order of a creator in a period on, the rule pays
    ``percent`` (a percent rule) or ``amount`` (a fixed rule) instead of its base value."""

    from_order: int
    percent: Decimal | None = attrs.field(default=None, converter=_decimal, validator=_percent)
    amount: Money | None = attrs.field(default=None, validator=_money)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.from_order, bool) or not isinstance(self.from_order, int):
            raise ValidationError("tier.from_order", self.from_order, "must be a whole number")
        if self.from_order < 2:
            raise ValidationError("tier.from_order", self.from_order, "must be 2 or more")
        if (self.percent is None) == (self.amount is None):
            raise ValidationError("tier", self.from_order, "give a percent or an amount")


def _tiers(value: Any) -> tuple[CommissionTier, ...]:
    tiers = tuple(value)
    for tier in tiers:
        if not isinstance(tier, CommissionTier):
            raise ValidationError("tiers", tier, "must be CommissionTier values")
    starts = [t.from_order for t in tiers]
    if len(set(starts)) != len(starts):
        raise ValidationError("tiers", starts, "two tiers start at the same order")
    return tuple(sorted(tiers, key=lambda t: t.from_order))


def _ids(field: str, value: Any) -> frozenset[str]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ValidationError(field, value, "must be a list of ids")
    return frozenset(check_text(field, v, max_length=255) for v in value)


def _products(value: Any) -> frozenset[str]:
    return _ids("excluded_products", value)


def _collections(value: Any) -> frozenset[str]:
    return _ids("excluded_collections", value)


def _name(value: Any) -> str:
    return check_text("name", value, max_length=100)


def _optional_id(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        valid_id(_instance, attribute, value)


@attrs.frozen
class CommissionRule:
    """How a campaign (``creator_id`` None) or one creator of it is paid on credited sales.

    A ``percent`` rule pays ``percent`` % of the order's commissionable net (the attributed
    revenue after refunds, less the lines of ``excluded_products`` or
    ``excluded_collections``); a ``fixed`` rule pays ``amount`` per order. ``tiers`` change
    the value from the n-th credited order of the creator in a period (a calendar month in
    the campaign's time zone); ``cap`` bounds what a creator earns in a period;
    ``first_order_only`` pays only on orders the shop marks as a buyer's first.
    """

    name: str = attrs.field(converter=_name)
    kind: CommissionKind = attrs.field(converter=_kind)
    percent: Decimal | None = attrs.field(default=None, converter=_decimal, validator=_percent)
    amount: Money | None = attrs.field(default=None, validator=_money)
    creator_id: str | None = attrs.field(default=None, validator=_optional_id)
    tiers: tuple[CommissionTier, ...] = attrs.field(default=(), converter=_tiers)
    cap: Money | None = attrs.field(default=None, validator=_money)
    excluded_products: frozenset[str] = attrs.field(factory=frozenset, converter=_products)
    excluded_collections: frozenset[str] = attrs.field(factory=frozenset, converter=_collections)
    first_order_only: bool = False

    def __attrs_post_init__(self) -> None:
        if self.kind is CommissionKind.PERCENT:
            if self.percent is None or self.amount is not None:
                raise ValidationError("percent", self.percent, "a percent rule gives a percent")
            if any(t.percent is None for t in self.tiers):
                raise ValidationError("tiers", self.name, "a percent rule's tiers give percents")
        else:
            if self.amount is None or self.percent is not None:
                raise ValidationError("amount", self.amount, "a fixed rule gives an amount")
            for tier in self.tiers:
                if tier.amount is None or tier.amount.currency != self.amount.currency:
                    raise ValidationError(
                        "tiers", self.name, f"a fixed rule's tiers give amounts in {self.currency}"
                    )
        if (
            self.cap is not None
            and self.amount is not None
            and self.cap.currency != self.amount.currency
        ):
            raise CurrencyMismatch("cap", self.amount.currency, self.cap.currency)

    @property
    def currency(self) -> str | None:
        """The currency of a fixed amount or a cap (None: the campaign's sales currency)."""
        for money in (self.amount, self.cap):
            if money is not None:
                return money.currency
        return None

    @property
    def fingerprint(self) -> str:
        """A text that changes whenever the rule's terms do (sets in sorted order)."""
        terms = (
            self.name,
            self.kind.value,
            self.percent,
            self.amount,
            self.tiers,
            self.cap,
            sorted(self.excluded_products),
            sorted(self.excluded_collections),
            self.first_order_only,
        )
        return hashlib.sha256(repr(terms).encode()).hexdigest()[:16]

    def value_at(self, rank: int) -> Decimal | Money:
        """The percent (or fixed amount) that pays the ``rank``-th order of a period."""
        value: Decimal | Money = self.percent if self.percent is not None else self.amount  # type: ignore[assignment]
        for tier in self.tiers:
            if rank >= tier.from_order:
                value = tier.percent if tier.percent is not None else tier.amount  # type: ignore[assignment]
        return value


def _rules(value: Any) -> tuple[CommissionRule, ...]:
    rules = tuple(value)
    seen: set[str | None] = set()
    for rule in rules:
        if not isinstance(rule, CommissionRule):
            raise ValidationError("commission.rules", rule, "must be CommissionRule values")
        if rule.creator_id in seen:
            raise ValidationError(
                "commission.rules",
                rule.creator_id or "(campaign)",
                "has two rules: one for the campaign, and at most one per creator",
            )
        seen.add(rule.creator_id)
    return rules


def _lock_days(_instance: Any, _attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 366:
        raise ValidationError("commission.lock_days", value, "must be a whole number of days 0-366")


@attrs.frozen
class CommissionPolicy:
    """A campaign's commission rules (one campaign-wide, one per creator at most) and its lock
    period: a commission stays pending ``lock_days`` calendar days after its order (the refund
    window), then is approved."""

    rules: tuple[CommissionRule, ...] = attrs.field(default=(), converter=_rules)
    lock_days: int = attrs.field(default=30, validator=_lock_days)

    def rule_for(self, creator_id: str) -> CommissionRule | None:
        """The creator's own rule, else the campaign's, else None (no commission)."""
        own = [r for r in self.rules if r.creator_id == creator_id]
        wide = [r for r in self.rules if r.creator_id is None]
        found = own or wide
        return found[0] if found else None


# -- the ledger ----------------------------------------------------------------------------


class CommissionStatus(enum.StrEnum):
    """Pending (in the lock period), approved (payable), or reversed (refunded in the window)."""

    PENDING = "pending"
    APPROVED = "approved"
    REVERSED = "reversed"


class CommissionAction(enum.StrEnum):
    """What can happen to a commission."""

    APPROVE = "approve"
    REVERSE = "reverse"


_S, _A = CommissionStatus, CommissionAction

COMMISSION_LIFECYCLE: Lifecycle[CommissionStatus, CommissionAction] = Lifecycle(
    "commission",
    {(_S.PENDING, _A.APPROVE): _S.APPROVED, (_S.PENDING, _A.REVERSE): _S.REVERSED},
)
"""pending → approved once the lock period is over; pending → reversed by a refund or a
cancellation inside it. After approval a drop is clawed back, never reversed."""


class EntryKind(enum.StrEnum):
    """A payable movement of the ledger: the approved commission, or a clawback."""

    APPROVED = "approved"
    CLAWBACK = "clawback"


def _status(value: Any) -> CommissionStatus:
    return parse_enum(CommissionStatus, "status", value)


def _entry_kind(value: Any) -> EntryKind:
    return parse_enum(EntryKind, "kind", value)


@attrs.frozen
class LedgerEntry:
    """One payable movement in the payout currency, dated ``on`` (a local day), put on the
    statement ``statement_id`` once issued."""

    kind: EntryKind = attrs.field(converter=_entry_kind)
    amount: Money
    on: _dt.date
    reason: str
    statement_id: str | None = None


@attrs.frozen
class CommissionChange:
    """A rewrite of the commission while pending (or a drop after approval), with why."""

    at: pendulum.DateTime = attrs.field(converter=in_utc)
    amount: Money
    reason: str


@register
@attrs.frozen(kw_only=True)
class CommissionEarned(DomainEvent):
    """A credited order earned a commission, pending until ``lock_until``."""

    commission_id: str
    order_id: str
    campaign_id: str
    creator_id: str
    amount: Money
    payout: Money
    lock_until: pendulum.DateTime


@register
@attrs.frozen(kw_only=True)
class CommissionRevised(DomainEvent):
    """A pending commission was rewritten (a refund in the window, a policy change), with why;
    ``reversed`` when it fell to nothing."""

    commission_id: str
    campaign_id: str
    creator_id: str
    amount: Money
    reason: str
    reversed: bool


@register
@attrs.frozen(kw_only=True)
class CommissionApproved(DomainEvent):
    """The lock period is over: the commission is payable."""

    commission_id: str
    campaign_id: str
    creator_id: str
    payout: Money


@register
@attrs.frozen(kw_only=True)
class CommissionClawedBack(DomainEvent):
    """An approved commission fell (a late refund): the drop comes off the next statement."""

    commission_id: str
    campaign_id: str
    creator_id: str
    clawback: Money
    reason: str


@register
@attrs.frozen(kw_only=True)
class CommissionSettled(DomainEvent):
    """Ledger entries of a commission were put on a payout statement."""

    commission_id: str
    statement_id: str
    amount: Money


@attrs.define
class Commission(Aggregate):
    """What one credited order earns its creator. Aggregate.

    ``amount`` is in the commission currency (the campaign's sales currency), ``payout`` the
    same in the creator's payout currency at the recorded ``rate``. ``entries`` are the
    payable movements: the approved payout, then any clawbacks; their sum is always what is
    payable now, and each is settled on exactly one statement.
    """

    id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    participation_id: str = attrs.field(validator=valid_id)
    creator_id: str = attrs.field(validator=valid_id)
    order_id: str = attrs.field(validator=valid_id)
    rule: str  # the rule's name
    amount: Money
    payout: Money
    rate: RateUsed | None
    earned_on: _dt.date
    period: str  # YYYY-MM of earned_on
    lock_until: pendulum.DateTime = attrs.field(converter=in_utc)
    status: CommissionStatus = attrs.field(default=CommissionStatus.PENDING, converter=_status)
    entries: tuple[LedgerEntry, ...] = ()
    changes: tuple[CommissionChange, ...] = ()
    created_at: pendulum.DateTime | None = attrs.field(default=None, converter=in_utc)
    rule_key: str = ""  # the rule's fingerprint: a change of rule shows in the reason
    version: int = 0

    @property
    def currency(self) -> str:
        """The commission currency."""
        return self.amount.currency

    @property
    def payout_currency(self) -> str:
        """The currency the creator is paid in."""
        return self.payout.currency

    def to_payout(self, amount: Money) -> Money:
        """``amount`` (commission currency) in the payout currency at the recorded rate."""
        if amount.currency != self.currency:
            raise CurrencyMismatch("amount", self.currency, amount.currency)
        return amount if self.rate is None else self.rate.convert(amount)

    @classmethod
    def earn(cls, now: pendulum.DateTime, *, reason: str, **fields: Any) -> Commission:
        """A new pending commission, recording CommissionEarned (and its first change)."""
        commission = cls(**fields, created_at=now)
        commission.changes = (CommissionChange(now, commission.amount, reason),)
        commission.record(
            CommissionEarned(
                occurred_at=now,
                commission_id=commission.id,
                order_id=commission.order_id,
                campaign_id=commission.campaign_id,
                creator_id=commission.creator_id,
                amount=commission.amount,
                payout=commission.payout,
                lock_until=commission.lock_until,
            )
        )
        return commission

    def follow_rule(self, rule: str, rule_key: str) -> None:
        """Remember the rule the commission is now computed by (a pending one is rewritten
        by the same call to :meth:`revise`)."""
        self.rule, self.rule_key = rule, rule_key

    def revise(self, now: pendulum.DateTime, amount: Money, *, on: _dt.date, reason: str) -> bool:
        """The order's figures (or the rule) now give ``amount``: a pending commission is
        rewritten (reversed when it falls to nothing); an approved one only falls, and the
        drop is a clawback entry dated ``on``; a reversed one stays reversed. Returns whether
        anything changed."""
        if self.status is CommissionStatus.REVERSED or amount == self.amount:
            return False
        payout = self.to_payout(amount)
        if self.status is CommissionStatus.PENDING:
            self.amount, self.payout = amount, payout
            self.changes = (*self.changes, CommissionChange(now, amount, reason))
            gone = amount.is_zero()
            if gone:
                self.status = COMMISSION_LIFECYCLE.next(self.id, self.status, _A.REVERSE)
            self.record(
                CommissionRevised(
                    occurred_at=now,
                    commission_id=self.id,
                    campaign_id=self.campaign_id,
                    creator_id=self.creator_id,
                    amount=amount,
                    reason=reason,
                    reversed=gone,
                )
            )
            return True
        if amount > self.amount:
            return False  # after approval a commission only falls (refunds never shrink)
        drop = payout - self.payout
        self.amount, self.payout = amount, payout
        self.changes = (*self.changes, CommissionChange(now, amount, reason))
        self.entries = (*self.entries, LedgerEntry(EntryKind.CLAWBACK, drop, on, reason))
        self.record(
            CommissionClawedBack(
                occurred_at=now,
                commission_id=self.id,
                campaign_id=self.campaign_id,
                creator_id=self.creator_id,
                clawback=drop,
                reason=reason,
            )
        )
        return True

    def approve(self, now: pendulum.DateTime, *, on: _dt.date) -> None:
        """The lock period is over: the payout becomes payable (an entry dated ``on``)."""
        if now < self.lock_until:
            raise ValidationError(
                "lock_until", self.lock_until.isoformat(), "the lock period is not over"
            )
        self.status = COMMISSION_LIFECYCLE.next(self.id, self.status, _A.APPROVE)
        self.entries = (
            *self.entries,
            LedgerEntry(EntryKind.APPROVED, self.payout, on, "the lock period is over"),
        )
        self.record(
            CommissionApproved(
                occurred_at=now,
                commission_id=self.id,
                campaign_id=self.campaign_id,
                creator_id=self.creator_id,
                payout=self.payout,
            )
        )

    def unsettled(self, up_to: _dt.date) -> list[LedgerEntry]:
        """The entries dated ``up_to`` or before that no statement holds yet."""
        return [e for e in self.entries if e.statement_id is None and e.on <= up_to]

    def settle(self, now: pendulum.DateTime, statement_id: str, up_to: _dt.date) -> Money:
        """Put the unsettled entries up to ``up_to`` on a statement; returns their sum."""
        total = Money.zero(self.payout_currency)
        entries: list[LedgerEntry] = []
        for entry in self.entries:
            if entry.statement_id is None and entry.on <= up_to:
                entry = attrs.evolve(entry, statement_id=statement_id)
                total = total + entry.amount
            entries.append(entry)
        self.entries = tuple(entries)
        self.record(
            CommissionSettled(
                occurred_at=now, commission_id=self.id, statement_id=statement_id, amount=total
            )
        )
        return total

    @property
    def payable(self) -> Money:
        """Everything payable on the ledger: the sum of the entries (the payout once approved)."""
        return Money.sum([e.amount for e in self.entries], self.payout_currency)
