"""The budget of a campaign: costs planned, committed and paid, per creator, for the campaign
as a whole, per kind of cost and in total, in the report's currency."""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from influcampaign.analytics.report._common import Rates, convert
from influcampaign.domain.commission import Commission, CommissionStatus
from influcampaign.domain.content import Deliverable
from influcampaign.domain.costs import Cost, CostKind, CostStatus
from influcampaign.domain.money import Money

__all__ = ["Budget", "BudgetLine", "CostBasis", "budget_of"]


class CostBasis(enum.StrEnum):
    """Which costs a ratio divides by."""

    PLANNED = "planned"  # every cost not cancelled
    COMMITTED = "committed"  # agreed or paid
    PAID = "paid"


@attrs.frozen
class BudgetLine:
    """Costs planned (not cancelled), committed (agreed or paid) and paid, in one currency.

    A paid cost counts at what was paid; the others at their amount.
    """

    currency: str
    planned: Money
    committed: Money
    paid: Money

    @classmethod
    def zero(cls, currency: str) -> BudgetLine:
        """No cost."""
        nothing = Money.zero(currency)
        return cls(currency, nothing, nothing, nothing)

    @property
    def to_pay(self) -> Money:
        """Committed but not paid yet."""
        return self.committed - self.paid

    def cost(self, basis: CostBasis) -> Money:
        """The total on ``basis``."""
        return {
            CostBasis.PLANNED: self.planned,
            CostBasis.COMMITTED: self.committed,
            CostBasis.PAID: self.paid,
        }[basis]

    def __add__(self, other: BudgetLine) -> BudgetLine:
        return BudgetLine(
            self.currency,
            self.planned + other.planned,
            self.committed + other.committed,
            self.paid + other.paid,
        )

    def record(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "currency": self.currency,
            "planned": self.planned.amount,
            "committed": self.committed.amount,
            "paid": self.paid.amount,
            "to_pay": self.to_pay.amount,
        }


@attrs.frozen
class Budget:
    """A campaign's budget per creator, for the campaign as a whole (costs of no creator,
    such as an agency's), per kind of cost, and in total.

    Commissions count as the kind ``commission``: pending ones as planned, approved ones as
    committed, paid once every entry of theirs is on a paid statement (``commissions`` holds
    each creator's part). ``estimated`` is each creator's budget as planned: its planned
    costs, else the price of its planned deliverables, plus its commissions;
    ``estimated_total`` adds the campaign-wide costs."""

    currency: str
    per_creator: Mapping[str, BudgetLine]
    campaign_wide: BudgetLine
    per_kind: Mapping[CostKind, BudgetLine]
    total: BudgetLine
    commissions: Mapping[str, BudgetLine] = attrs.field(factory=dict)
    estimated: Mapping[str, Money] = attrs.field(factory=dict)
    estimated_total: Money | None = None

    @property
    def estimate(self) -> Money:
        """The estimated total (the planned total when nothing was estimated)."""
        return self.total.planned if self.estimated_total is None else self.estimated_total

    def records(self) -> list[dict[str, Any]]:
        """One row per creator, one for the campaign-wide costs, one for the total."""
        rows = [
            {"scope": "creator", "creator_id": c, **line.record()}
            for c, line in self.per_creator.items()
        ]
        rows.append({"scope": "campaign", "creator_id": None, **self.campaign_wide.record()})
        rows.append({"scope": "total", "creator_id": None, **self.total.record()})
        return rows


def _commission_stages(
    commission: Commission, currency: str, rates: Rates, paid_statements: Collection[str]
) -> tuple[Decimal, Decimal, Decimal]:
    amount = convert(
        commission.amount, currency, commission.earned_on, rates, f"commission {commission.id}"
    ).amount
    approved = commission.status is CommissionStatus.APPROVED
    paid = (
        approved
        and bool(commission.entries)
        and all(e.statement_id in paid_statements for e in commission.entries)
    )
    zero = Decimal(0)
    return amount, amount if approved else zero, amount if paid else zero


def budget_of(
    costs: Iterable[Cost],
    currency: str,
    rates: Rates,
    creators: Iterable[str] = (),
    *,
    commissions: Iterable[Commission] = (),
    paid_statements: Collection[str] = frozenset(),
    deliverables: Iterable[Deliverable] = (),
) -> Budget:
    """The budget of ``costs`` and ``commissions`` in ``currency``; a cost in another
    currency is converted at its day (payment, else due date, else creation), a commission
    at its order's day, with ``rates``. ``deliverables`` (the planned ones) estimate the
    budget of creators with no planned cost by their price."""
    # Exact Decimal sums per scope and stage; Money objects are made once per line.
    zero = Decimal(0)
    creators_sums: dict[str, list[Decimal]] = {c: [zero, zero, zero] for c in creators}
    campaign_sums = [zero, zero, zero]
    kind_sums: dict[CostKind, list[Decimal]] = {}
    for cost in costs:
        if cost.status is CostStatus.CANCELLED:
            continue
        amount = convert(cost.effective, currency, cost.day, rates, f"cost {cost.id}").amount
        stages = (
            amount,
            amount if cost.status in (CostStatus.COMMITTED, CostStatus.PAID) else zero,
            amount if cost.status is CostStatus.PAID else zero,
        )
        scope = (
            campaign_sums
            if cost.creator_id is None
            else creators_sums.setdefault(cost.creator_id, [zero, zero, zero])
        )
        by_kind = kind_sums.setdefault(cost.kind, [zero, zero, zero])
        for i, value in enumerate(stages):
            scope[i] += value
            by_kind[i] += value
    commission_sums: dict[str, list[Decimal]] = {}
    for commission in commissions:
        if commission.status is CommissionStatus.REVERSED:
            continue
        stages = _commission_stages(commission, currency, rates, paid_statements)
        scope = creators_sums.setdefault(commission.creator_id, [zero, zero, zero])
        by_kind = kind_sums.setdefault(CostKind.COMMISSION, [zero, zero, zero])
        own = commission_sums.setdefault(commission.creator_id, [zero, zero, zero])
        for i, value in enumerate(stages):
            scope[i] += value
            by_kind[i] += value
            own[i] += value
    priced: dict[str, Decimal] = {}
    for d in deliverables:
        if d.price is not None:
            day = d.planned_on or (None if d.created_at is None else d.created_at.date())
            price = convert(d.price, currency, day, rates, f"deliverable {d.id}").amount
            priced[d.creator_id] = priced.get(d.creator_id, zero) + price

    def line(sums: Sequence[Decimal]) -> BudgetLine:
        return BudgetLine(currency, *(Money(v, currency) for v in sums))

    totals = [
        sum(stage, zero) for stage in zip(campaign_sums, *creators_sums.values(), strict=True)
    ]
    estimated: dict[str, Money] = {}
    for c in sorted({*priced, *creators_sums}):
        planned = creators_sums.get(c, [zero])[0]
        earned = commission_sums.get(c, [zero])[0]
        costs_only = planned - earned
        base = costs_only if costs_only != 0 else priced.get(c, zero)
        estimated[c] = Money(base + earned, currency)
    return Budget(
        currency,
        {c: line(v) for c, v in sorted(creators_sums.items())},
        line(campaign_sums),
        {k: line(v) for k, v in sorted(kind_sums.items())},
        line(totals),
        {c: line(v) for c, v in sorted(commission_sums.items())},
        estimated,
        Money(campaign_sums[0] + sum((m.amount for m in estimated.values()), zero), currency),
    )
