"""The money report of a campaign: budget, EMV, sales, ROI by EMV and by sales, forecast vs
actual, and the comparison of segments of creators. Pure functions over loaded data; the
``workspace.reports`` service loads it and calls them.

Formulas (cost = the costs committed or paid, unless another basis is asked for):

- ROI by EMV = (EMV - cost) / cost; ROI by sales = (net revenue - cost) / cost;
- ROAS = net revenue / cost; EMV per cost = EMV / cost;
- cost per engagement = cost / engagements; per click = cost / clicks; per order = cost ÷
  orders.

A ratio whose denominator is zero, or whose numerator is unknown, is None, and ``notes``
says why: never 0, never infinity. Ratios are Decimals rounded to 4 decimals.
"""

from __future__ import annotations

import datetime as _dt
import enum
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs
import numpy as np

from influcampaign.analytics.emv import bulk_emv, metrics_matrix
from influcampaign.analytics.forecast import (
    VIDEO_FORMATS,
    Estimate,
    ForecastInput,
    ForecastModel,
    count_estimate,
    money_estimate,
    simulate,
)
from influcampaign.domain.campaign import Campaign
from influcampaign.domain.content import ContentFormat, Deliverable, DeliverableStatus, Submission
from influcampaign.domain.costs import Cost, CostKind, CostStatus
from influcampaign.domain.creator import Creator, Platform, Tier
from influcampaign.domain.emv import EmvAction, RateCard, RateCardBook, emv_reason
from influcampaign.domain.money import Money, currency_minor_units
from influcampaign.errors import ValidationError
from influcampaign.rules.delivery import delivered_by_deliverable, delivery_progress

__all__ = [
    "Budget",
    "BudgetLine",
    "CampaignReport",
    "ContentEmv",
    "ContentFigures",
    "CostBasis",
    "CreatorProfile",
    "EmvReport",
    "ForecastCheck",
    "ForecastLine",
    "ForecastReport",
    "RoiLine",
    "SalesFigures",
    "SegmentLine",
    "budget_of",
    "campaign_report",
    "emv_of",
    "forecast_of",
    "mean_compliance",
    "roi_line",
    "segments_of",
]

Rates = Callable[[str, str, _dt.date], Decimal]
"""The value of 1 ``base`` in ``quote`` on a day; raises ValidationError when unknown."""

RATIO = Decimal("0.0001")


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    return (numerator / denominator).quantize(RATIO, ROUND_HALF_EVEN)


def _flat(prefix: str, money: Money | None) -> dict[str, Any]:
    return {prefix: None if money is None else money.amount}


class CostBasis(enum.StrEnum):
    """Which costs a ratio divides by."""

    PLANNED = "planned"  # every cost not cancelled
    COMMITTED = "committed"  # agreed or paid
    PAID = "paid"


# -- budget ------------------------------------------------------------------------------


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
    such as an agency's), per kind of cost, and in total."""

    currency: str
    per_creator: Mapping[str, BudgetLine]
    campaign_wide: BudgetLine
    per_kind: Mapping[CostKind, BudgetLine]
    total: BudgetLine

    def records(self) -> list[dict[str, Any]]:
        """One row per creator, one for the campaign-wide costs, one for the total."""
        rows = [
            {"scope": "creator", "creator_id": c, **line.record()}
            for c, line in self.per_creator.items()
        ]
        rows.append({"scope": "campaign", "creator_id": None, **self.campaign_wide.record()})
        rows.append({"scope": "total", "creator_id": None, **self.total.record()})
        return rows


def budget_of(
    costs: Iterable[Cost],
    currency: str,
    rates: Rates,
    creators: Iterable[str] = (),
) -> Budget:
    """The budget of ``costs`` in ``currency``; a cost in another currency is converted at
    its day (payment, else due date, else creation) with ``rates``."""
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

    def line(sums: Sequence[Decimal]) -> BudgetLine:
        return BudgetLine(currency, *(Money(v, currency) for v in sums))

    totals = [
        sum(stage, zero) for stage in zip(campaign_sums, *creators_sums.values(), strict=True)
    ]
    return Budget(
        currency,
        {c: line(v) for c, v in sorted(creators_sums.items())},
        line(campaign_sums),
        {k: line(v) for k, v in sorted(kind_sums.items())},
        line(totals),
    )


def convert(money: Money, currency: str, day: _dt.date | None, rates: Rates, what: str) -> Money:
    """``money`` in ``currency`` at ``day``'s rate, rounded to the minor units."""
    if money.currency == currency:
        return money
    if day is None:
        raise ValidationError("currency", money.currency, f"{what} has no date to convert at")
    return Money(money.amount * rates(money.currency, currency, day), currency).rounded()


# -- EMV ---------------------------------------------------------------------------------


@attrs.frozen
class ContentEmv:
    """The EMV of one content in the report's currency (None: unknown, with the reason)."""

    submission_id: str
    creator_id: str
    platform: Platform
    format: ContentFormat
    published_on: _dt.date
    card: str
    emv: Money | None
    engagements: int | None
    reason: str = ""

    def record(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "submission_id": self.submission_id,
            "creator_id": self.creator_id,
            "platform": self.platform.value,
            "format": self.format.value,
            "published_on": self.published_on,
            "card": self.card,
            "currency": None if self.emv is None else self.emv.currency,
            **_flat("emv", self.emv),
            "engagements": self.engagements,
            "reason": self.reason,
        }


@attrs.frozen
class EmvReport:
    """EMV per content, per creator (sum of its contents' known EMV; None when none is
    known) and in total, with the rate cards used."""

    currency: str
    contents: Sequence[ContentEmv]
    per_creator: Mapping[str, Money | None]
    total: Money | None
    cards: tuple[str, ...]

    def records(self) -> list[dict[str, Any]]:
        """One row per content."""
        return [c.record() for c in self.contents]


def emv_of(
    submissions: Sequence[Submission],
    book: RateCardBook,
    currency: str,
    rates: Rates,
) -> EmvReport:
    """The EMV of ``submissions`` (their latest metrics) under the card version in force at
    each one's publication date, in ``currency``: exact per content, then rounded half to
    even to the currency's minor units; creators' and the campaign's EMV add these up."""
    places = currency_minor_units(currency)
    ordered = sorted(submissions, key=lambda s: (s.published_at, s.id))
    days = [s.published_at.in_timezone("UTC").date() for s in ordered]
    cards: list[RateCard | None] = [book.card_for(day) for day in days]
    tables: list[Mapping[EmvAction, Decimal]] = []
    index: dict[tuple[str, Platform, ContentFormat], int] = {}
    rows = np.zeros(len(ordered), dtype=np.intp)
    for i, (s, card) in enumerate(zip(ordered, cards, strict=True)):
        if card is None:
            continue
        key = (card.label, s.platform, s.format)
        if key not in index:
            index[key] = len(tables)
            tables.append(card.unit_values(s.platform, s.format))
        rows[i] = index[key]
    bulk = bulk_emv(metrics_matrix([s.metrics for s in ordered]), rows, tables)
    same = [card is not None and card.currency == currency for card in cards]
    minor = bulk.minor(places)
    contents: list[ContentEmv] = []
    per_creator_minor: dict[str, int] = defaultdict(int)
    known_creators: set[str] = set()
    for i, (s, card, day) in enumerate(zip(ordered, cards, days, strict=True)):
        metrics = s.metrics
        engagements = None if metrics is None else metrics.engagements

        base: dict[str, Any] = {
            "submission_id": s.id,
            "creator_id": s.creator_id,
            "platform": s.platform,
            "format": s.format,
            "published_on": day,
            "engagements": engagements,
        }
        if card is None:
            reason = f"no version of {book.name} is in force on {day}"
            contents.append(ContentEmv(card=book.name, emv=None, reason=reason, **base))
            continue
        missing = bulk.missing_actions(i)
        reason = emv_reason(metrics is not None, bool(bulk.known[i]), missing)
        if not bulk.known[i]:
            contents.append(ContentEmv(card=card.label, emv=None, reason=reason, **base))
            continue
        if same[i]:
            value_minor = int(minor[i])
            value = Money.from_minor(value_minor, currency)
        else:
            exact = bulk.exact(i)
            assert exact is not None  # known[i] holds
            try:
                value = convert(
                    Money(exact, card.currency), currency, day, rates, f"content {s.id}"
                )
            except ValidationError as e:
                unknown = f"{card.currency} cannot be converted: {e.reason}"
                contents.append(ContentEmv(card=card.label, emv=None, reason=unknown, **base))
                continue
            value_minor = value.to_minor()
        contents.append(ContentEmv(card=card.label, emv=value, reason=reason, **base))
        per_creator_minor[s.creator_id] += value_minor
        known_creators.add(s.creator_id)
    per_creator: dict[str, Money | None] = {c.creator_id: None for c in contents}
    for creator in known_creators:
        per_creator[creator] = Money.from_minor(per_creator_minor[creator], currency)
    total = Money.from_minor(sum(per_creator_minor.values()), currency) if known_creators else None
    used = tuple(sorted({c.card for c in contents}))
    return EmvReport(currency, contents, dict(sorted(per_creator.items())), total, used)


# -- ROI ---------------------------------------------------------------------------------


@attrs.frozen
class SalesFigures:
    """What a creator's tracked links and codes brought: net revenue, clicks, orders."""

    net: Money
    clicks: int = 0
    orders: int = 0


@attrs.frozen
class RoiLine:
    """Cost, value and return of one creator (``creator_id``) or of the campaign (None).

    Ratios are None when undefined, and ``notes`` maps each such figure to why.
    """

    creator_id: str | None
    currency: str
    cost: Money
    emv: Money | None
    net_revenue: Money
    engagements: int | None
    clicks: int
    orders: int
    roi_emv: Decimal | None
    roi_sales: Decimal | None
    roas: Decimal | None
    emv_per_cost: Decimal | None
    cost_per_engagement: Money | None
    cost_per_click: Money | None
    cost_per_order: Money | None
    notes: Mapping[str, str]

    def record(self) -> dict[str, Any]:
        """Plain values; ``notes`` joined as ``figure: why`` lines."""
        return {
            "creator_id": self.creator_id,
            "currency": self.currency,
            "cost": self.cost.amount,
            **_flat("emv", self.emv),
            "net_revenue": self.net_revenue.amount,
            "engagements": self.engagements,
            "clicks": self.clicks,
            "orders": self.orders,
            "roi_emv": self.roi_emv,
            "roi_sales": self.roi_sales,
            "roas": self.roas,
            "emv_per_cost": self.emv_per_cost,
            **_flat("cost_per_engagement", self.cost_per_engagement),
            **_flat("cost_per_click", self.cost_per_click),
            **_flat("cost_per_order", self.cost_per_order),
            "notes": "; ".join(f"{k}: {v}" for k, v in self.notes.items()),
        }


def roi_line(
    creator_id: str | None,
    cost: Money,
    emv: Money | None,
    sales: SalesFigures,
    engagements: int | None,
    *,
    emv_reason: str = "no content with a known EMV",
) -> RoiLine:
    """The ratios of one line (see the module for the formulas)."""
    currency = cost.currency
    notes: dict[str, str] = {}
    c = cost.amount

    def per(count: int | None, name: str, what: str) -> Money | None:
        if not count:
            notes[name] = f"no {what}" if count == 0 else f"{what} not reported"
            return None
        if c == 0:
            notes[name] = "no cost"
            return None
        return Money(c / count, currency).rounded()

    if c == 0:
        for name in ("roi_emv", "roi_sales", "roas", "emv_per_cost"):
            notes[name] = "no cost: the ratio is undefined"
        roi_emv = roi_sales = roas = emv_per_cost = None
    else:
        roi_sales = _ratio(sales.net.amount - c, c)
        roas = _ratio(sales.net.amount, c)
        if emv is None:
            notes["roi_emv"] = notes["emv_per_cost"] = f"EMV unknown: {emv_reason}"
            roi_emv = emv_per_cost = None
        else:
            roi_emv = _ratio(emv.amount - c, c)
            emv_per_cost = _ratio(emv.amount, c)
    return RoiLine(
        creator_id,
        currency,
        cost,
        emv,
        sales.net,
        engagements,
        sales.clicks,
        sales.orders,
        roi_emv,
        roi_sales,
        roas,
        emv_per_cost,
        per(engagements, "cost_per_engagement", "engagement"),
        per(sales.clicks, "cost_per_click", "click"),
        per(sales.orders, "cost_per_order", "order"),
        notes,
    )


# -- segments ----------------------------------------------------------------------------


@attrs.frozen
class CreatorProfile:
    """What segments a creator by, and its figures in one campaign."""

    creator_id: str
    tier: Tier
    paid: bool
    themes: frozenset[str]
    roi: RoiLine
    compliance: Decimal | None  # mean validated brief percentage
    on_time_rate: Decimal | None


@attrs.frozen
class SegmentLine:
    """Figures of one segment (``dimension`` = ``value``): how many creators (or contents,
    for platform and format), totals, and medians over its members (None when no member
    has the figure)."""

    dimension: str
    value: str
    count: int
    currency: str
    cost: Money
    emv: Money
    emv_per_cost: Decimal | None  # total EMV / total cost
    median_emv_per_cost: Decimal | None
    median_roi_emv: Decimal | None
    median_roi_sales: Decimal | None
    median_compliance: Decimal | None
    median_on_time_rate: Decimal | None

    def record(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "dimension": self.dimension,
            "value": self.value,
            "count": self.count,
            "currency": self.currency,
            "cost": self.cost.amount,
            "emv": self.emv.amount,
            "emv_per_cost": self.emv_per_cost,
            "median_emv_per_cost": self.median_emv_per_cost,
            "median_roi_emv": self.median_roi_emv,
            "median_roi_sales": self.median_roi_sales,
            "median_compliance": self.median_compliance,
            "median_on_time_rate": self.median_on_time_rate,
        }


def mean_compliance(submissions: Iterable[Submission]) -> Decimal | None:
    """The mean validated brief percentage of ``submissions`` (None before any validation)."""
    values = [s.validation.compliance for s in submissions if s.validation is not None]
    return None if not values else Decimal(sum(values)) / len(values)


def _median(values: Iterable[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    return Decimal(statistics.median(known)).quantize(RATIO, ROUND_HALF_EVEN)


@attrs.frozen
class _Member:
    cost: Money
    emv: Money | None
    roi_emv: Decimal | None
    roi_sales: Decimal | None
    emv_per_cost: Decimal | None
    compliance: Decimal | None
    on_time: Decimal | None


def _segment(dimension: str, value: str, members: Sequence[_Member], currency: str) -> SegmentLine:
    cost = Money(sum((m.cost.amount for m in members), Decimal(0)), currency)
    emv = Money(sum((m.emv.amount for m in members if m.emv is not None), Decimal(0)), currency)
    return SegmentLine(
        dimension,
        value,
        len(members),
        currency,
        cost,
        emv,
        None if cost.is_zero() else _ratio(emv.amount, cost.amount),
        _median(m.emv_per_cost for m in members),
        _median(m.roi_emv for m in members),
        _median(m.roi_sales for m in members),
        _median(m.compliance for m in members),
        _median(m.on_time for m in members),
    )


@attrs.frozen
class ContentFigures:
    """A content's share in a segment by platform or format: its EMV, the creator's cost
    split evenly over the creator's contents, its compliance and whether it was on time."""

    creator_id: str
    platform: Platform
    format: ContentFormat
    emv: Money | None
    cost: Money
    compliance: int | None
    on_time: bool | None


def segments_of(
    profiles: Sequence[CreatorProfile], contents: Sequence[ContentFigures], currency: str
) -> list[SegmentLine]:
    """Compare segments: by tier, paid vs gifted and theme (members are creators; a creator
    counts in each of its themes), and by platform and format (members are contents)."""
    groups: dict[tuple[str, str], list[_Member]] = defaultdict(list)
    for p in profiles:
        member = _Member(
            p.roi.cost,
            p.roi.emv,
            p.roi.roi_emv,
            p.roi.roi_sales,
            p.roi.emv_per_cost,
            p.compliance,
            p.on_time_rate,
        )
        groups[("tier", p.tier.value)].append(member)
        groups[("compensation", "paid" if p.paid else "gifted")].append(member)
        for theme in sorted(p.themes) or ["(none)"]:
            groups[("theme", theme)].append(member)
    for c in contents:
        defined = not c.cost.is_zero() and c.emv is not None
        member = _Member(
            c.cost,
            c.emv,
            _ratio(c.emv.amount - c.cost.amount, c.cost.amount) if defined and c.emv else None,
            None,
            _ratio(c.emv.amount, c.cost.amount) if defined and c.emv else None,
            None if c.compliance is None else Decimal(c.compliance),
            None if c.on_time is None else Decimal(int(c.on_time)),
        )
        groups[("platform", c.platform.value)].append(member)
        groups[("format", c.format.value)].append(member)
    order = {"tier": 0, "compensation": 1, "theme": 2, "platform": 3, "format": 4}
    tiers = {t.value: i for i, t in enumerate(Tier)}
    return [
        _segment(dimension, value, members, currency)
        for (dimension, value), members in sorted(
            groups.items(),
            key=lambda kv: (order[kv[0][0]], tiers.get(kv[0][1], 0), kv[0][1]),
        )
    ]


# -- forecast ----------------------------------------------------------------------------


@attrs.frozen
class ForecastLine:
    """The forecast of a deliverable (``key``), a creator, or the campaign (``key`` "total"):
    P10/P50/P90 of reach, impressions, engagements and EMV, the budget, and the estimated
    ROI by EMV at each quantile (None without a budget)."""

    key: str
    creator_id: str | None
    currency: str
    reach: Estimate
    impressions: Estimate
    engagements: Estimate
    emv: Estimate | None  # None: a card's values could not be converted (see the notes)
    budget: Money
    roi: Estimate | None

    def record(self) -> dict[str, Any]:
        """Plain values, one column per figure and quantile."""
        row: dict[str, Any] = {"key": self.key, "creator_id": self.creator_id}
        for name in ("reach", "impressions", "engagements", "emv", "roi"):
            estimate = getattr(self, name)
            for q in ("p10", "p50", "p90"):
                row[f"{name}_{q}"] = None if estimate is None else getattr(estimate, q)
        row["budget"] = self.budget.amount
        row["currency"] = self.currency
        return row


@attrs.frozen
class ForecastCheck:
    """A forecast figure against what happened: ``verdict`` is ``below`` P10, ``within``,
    ``above`` P90, or ``not delivered`` (no content yet, or its metrics not reported)."""

    key: str
    figure: str
    forecast: Estimate
    actual: Decimal | None
    verdict: str

    def record(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "key": self.key,
            "figure": self.figure,
            "p10": self.forecast.p10,
            "p50": self.forecast.p50,
            "p90": self.forecast.p90,
            "actual": self.actual,
            "verdict": self.verdict,
        }


@attrs.frozen
class ForecastReport:
    """A campaign's forecast per deliverable, creator and in total, with the draws and seed
    that reproduce it, the model, and the comparison with actuals."""

    currency: str
    draws: int
    seed: int
    model: ForecastModel
    per_deliverable: Mapping[str, ForecastLine]
    per_creator: Mapping[str, ForecastLine]
    total: ForecastLine
    checks: Sequence[ForecastCheck]
    notes: Mapping[str, str] = attrs.field(factory=dict)  # key -> why its EMV is None

    def records(self) -> list[dict[str, Any]]:
        """One row per deliverable, then per creator, then the total."""
        return [
            line.record()
            for line in [*self.per_deliverable.values(), *self.per_creator.values(), self.total]
        ]


def _roi_estimate(emv: Estimate | None, budget: Money) -> Estimate | None:
    if emv is None or budget.is_zero():
        return None
    b = budget.amount
    return Estimate(_ratio(emv.p10 - b, b), _ratio(emv.p50 - b, b), _ratio(emv.p90 - b, b))


def forecast_of(
    items: Sequence[ForecastInput],
    currency: str,
    *,
    model: ForecastModel | None = None,
    draws: int = 10_000,
    seed: int = 0,
    actuals: Mapping[str, Mapping[str, Decimal | None]] | None = None,
    unknown_emv: Mapping[str, str] | None = None,
) -> ForecastReport:
    """Forecast ``items`` (budgets in ``currency``) and compare with ``actuals``: a mapping
    from a deliverable key, a creator id or ``"total"`` to figures (reach, impressions,
    engagements, emv) observed so far (None: not reported). ``unknown_emv`` maps the keys of
    items whose unit values are unknown to why: their EMV, their creator's and the total's
    are None, with that reason in ``notes``."""
    model = model or ForecastModel()
    notes: dict[str, str] = {}
    for it in sorted(items, key=lambda it: it.key):
        why = (unknown_emv or {}).get(it.key)
        if why is not None:
            notes[it.key] = why
            notes.setdefault(it.creator_id, f"the EMV of {it.key} is unknown: {why}")
            notes.setdefault("total", f"the EMV of {it.key} is unknown: {why}")
    places = currency_minor_units(currency)
    sim = simulate(items, model, draws=draws, seed=seed)
    budgets: dict[str, Decimal] = {it.key: it.budget for it in items}
    creator_budget: dict[str, Decimal] = defaultdict(Decimal)
    for it in items:
        creator_budget[it.creator_id] += it.budget

    def line(key: str, creator: str | None, q: Mapping[str, Any], budget: Decimal) -> ForecastLine:
        emv = None if key in notes else money_estimate(q["emv"], places)
        money = Money(budget, currency).rounded()
        return ForecastLine(
            key,
            creator,
            currency,
            count_estimate(q["reach"]),
            count_estimate(q["impressions"]),
            count_estimate(q["engagements"]),
            emv,
            money,
            _roi_estimate(emv, money),
        )

    per_deliverable = {
        it.key: line(it.key, it.creator_id, sim.per_key[it.key], budgets[it.key])
        for it in sorted(items, key=lambda it: (it.creator_id, it.key))
    }
    per_creator = {c: line(c, c, q, creator_budget[c]) for c, q in sorted(sim.per_creator.items())}
    total = line("total", None, sim.total, sum(budgets.values(), Decimal(0)))
    checks: list[ForecastCheck] = []
    for key, observed in (actuals or {}).items():
        target = total if key == "total" else per_deliverable.get(key) or per_creator.get(key)
        if target is None:
            continue
        for figure in ("reach", "impressions", "engagements", "emv"):
            estimate: Estimate | None = getattr(target, figure)
            if estimate is None:
                continue  # not forecast: the reason is in the notes
            actual = observed.get(figure)
            verdict = "not delivered" if actual is None else estimate.verdict(actual)
            checks.append(ForecastCheck(key, figure, estimate, actual, verdict))
    return ForecastReport(
        currency, draws, seed, model, per_deliverable, per_creator, total, checks, notes
    )


# -- the whole report --------------------------------------------------------------------


@attrs.frozen
class CampaignReport:
    """Everything a brand reads at the end of a campaign, in one currency."""

    campaign_id: str
    currency: str
    cost_basis: CostBasis
    budget: Budget
    emv: EmvReport
    sales: Mapping[str, SalesFigures]
    roi_per_creator: Mapping[str, RoiLine]
    roi_total: RoiLine
    forecast: ForecastReport
    segments: Sequence[SegmentLine]
    profiles: Sequence[CreatorProfile] = ()
    content_figures: Sequence[ContentFigures] = ()

    def records(self, table: str) -> list[dict[str, Any]]:
        """One table as plain records: ``budget``, ``emv`` (per content), ``roi`` (per
        creator, then the campaign), ``forecast``, ``forecast_vs_actual`` or ``segments``."""
        tables: dict[str, Callable[[], list[dict[str, Any]]]] = {
            "budget": self.budget.records,
            "emv": self.emv.records,
            "roi": lambda: [
                line.record() for line in [*self.roi_per_creator.values(), self.roi_total]
            ],
            "forecast": self.forecast.records,
            "forecast_vs_actual": lambda: [c.record() for c in self.forecast.checks],
            "segments": lambda: [s.record() for s in self.segments],
        }
        if table not in tables:
            raise ValidationError("table", table, f"is not one of {', '.join(tables)}")
        return tables[table]()

    def frame(self, table: str, library: str = "pandas") -> Any:
        """One table as a pandas or polars DataFrame (the ``frames`` extra), decimals kept
        exact."""
        from influcampaign.adapters.frames import to_frame

        return to_frame(self.records(table), library)


_IMPRESSION_FIGURES = ("reach", "impressions", "engagements", "emv")


def _observed(
    contents: Sequence[Submission], emv: Mapping[str, ContentEmv]
) -> dict[str, Decimal | None]:
    """Figures of delivered contents, added up (None when one of them did not report it)."""
    sums: dict[str, Decimal | None] = dict.fromkeys(_IMPRESSION_FIGURES, Decimal(0))
    for s in contents:
        m = s.metrics
        video = s.format in VIDEO_FORMATS
        impressions = None
        if m is not None:
            impressions = m.views if video and m.views is not None else m.impressions
        value = emv[s.id].emv if s.id in emv else None
        figures = {
            "reach": None if m is None else m.reach,
            "impressions": impressions,
            "engagements": None if m is None else m.engagements,
            "emv": None if value is None else value.amount,
        }
        for name, figure in figures.items():
            total = sums[name]
            sums[name] = None if total is None or figure is None else total + figure
    return sums


def campaign_report(
    campaign: Campaign,
    creators: Mapping[str, Creator],
    costs: Sequence[Cost],
    deliverables: Sequence[Deliverable],
    submissions: Sequence[Submission],
    book: RateCardBook,
    sales: Mapping[str, SalesFigures],
    rates: Rates,
    *,
    currency: str,
    cost_basis: CostBasis = CostBasis.COMMITTED,
    draws: int = 10_000,
    seed: int = 0,
    model: ForecastModel | None = None,
) -> CampaignReport:
    """The money report of one campaign from its loaded objects. ``creators`` are the
    creators taking part; ``sales`` their credited sales (missing: none)."""
    timezone = campaign.window.timezone
    planned = [d for d in deliverables if d.status is DeliverableStatus.PLANNED]
    contents = [s for s in submissions if s.creator_id in creators]
    budget = budget_of(costs, currency, rates, creators)
    emv = emv_of(contents, book, currency, rates)
    progress, on_time = delivery_progress(campaign.id, planned, contents, timezone)
    nothing = Money.zero(currency)
    by_creator: dict[str, list[Submission]] = defaultdict(list)
    for s in contents:
        by_creator[s.creator_id].append(s)
    content_emv = {c.submission_id: c for c in emv.contents}

    def engagements(items: Iterable[Submission]) -> int | None:
        known = [
            e for s in items if s.metrics is not None and (e := s.metrics.engagements) is not None
        ]
        return sum(known) if known else None

    roi_per_creator: dict[str, RoiLine] = {}
    profiles: list[CreatorProfile] = []
    paid_kinds = (CostKind.FEE, CostKind.BONUS)
    with_costs: set[str] = set()
    with_fees: set[str] = set()
    for c in costs:
        if c.creator_id is not None:
            with_costs.add(c.creator_id)
            if (
                c.kind in paid_kinds
                and c.status is not CostStatus.CANCELLED
                and not c.amount.is_zero()
            ):
                with_fees.add(c.creator_id)
    for creator_id in sorted(creators):
        line = budget.per_creator.get(creator_id, BudgetLine.zero(currency))
        figures = sales.get(creator_id, SalesFigures(nothing))
        reason = "no content" if not by_creator[creator_id] else "no content with a known EMV"
        roi = roi_line(
            creator_id,
            line.cost(cost_basis),
            emv.per_creator.get(creator_id),
            figures,
            engagements(by_creator[creator_id]),
            emv_reason=reason,
        )
        roi_per_creator[creator_id] = roi
        paid = creator_id in with_fees or (
            creator_id not in with_costs and campaign.compensation.is_paid
        )
        compliance = mean_compliance(by_creator[creator_id])
        rate = progress.per_creator.get(creator_id)
        on_time_rate = None if rate is None or rate.on_time_rate is None else rate.on_time_rate
        profiles.append(
            CreatorProfile(
                creator_id,
                creators[creator_id].tier(campaign.policies.tiers),
                paid,
                creators[creator_id].themes,
                roi,
                None if compliance is None else compliance.quantize(RATIO, ROUND_HALF_EVEN),
                None if on_time_rate is None else Decimal(on_time_rate).quantize(RATIO),
            )
        )
    total_sales = SalesFigures(
        Money.sum([f.net for c, f in sales.items() if c in creators], currency),
        sum(f.clicks for c, f in sales.items() if c in creators),
        sum(f.orders for c, f in sales.items() if c in creators),
    )
    roi_total = roi_line(
        None,
        budget.total.cost(cost_basis),
        emv.total,
        total_sales,
        engagements(contents),
        emv_reason="no content with a known EMV",
    )
    content_rows: list[ContentFigures] = []
    for creator_id, items in by_creator.items():
        if not items:
            continue  # a cost and no content yet: no content carries a share of it
        shares = (
            roi_per_creator[creator_id].cost.allocate([1] * len(items))
            if not roi_per_creator[creator_id].cost.is_zero()
            else [nothing] * len(items)
        )
        for s, share in zip(
            sorted(items, key=lambda s: (s.published_at, s.id)), shares, strict=True
        ):
            validation = s.validation
            content_rows.append(
                ContentFigures(
                    creator_id,
                    s.platform,
                    s.format,
                    content_emv[s.id].emv,
                    share,
                    None if validation is None else validation.compliance,
                    on_time.get(s.id),
                )
            )
    segments = segments_of(profiles, content_rows, currency)
    forecast = _forecast(
        campaign,
        creators,
        planned,
        contents,
        budget,
        book,
        rates,
        content_emv,
        currency=currency,
        draws=draws,
        seed=seed,
        model=model,
    )
    return CampaignReport(
        campaign.id,
        currency,
        cost_basis,
        budget,
        emv,
        {c: sales.get(c, SalesFigures(nothing)) for c in sorted(creators)},
        roi_per_creator,
        roi_total,
        forecast,
        segments,
        tuple(profiles),
        tuple(content_rows),
    )


def _forecast(
    campaign: Campaign,
    creators: Mapping[str, Creator],
    planned: Sequence[Deliverable],
    contents: Sequence[Submission],
    budget: Budget,
    book: RateCardBook,
    rates: Rates,
    content_emv: Mapping[str, ContentEmv],
    *,
    currency: str,
    draws: int,
    seed: int,
    model: ForecastModel | None,
) -> ForecastReport:
    """Forecast the planned deliverables of the taking-part creators: each creator's planned
    budget is split over its deliverables by quantity; the card in force on the planned
    date (else the campaign's start) values them, converted to ``currency`` that day."""
    own = [d for d in planned if d.creator_id in creators]
    quantities: dict[str, list[Deliverable]] = defaultdict(list)
    for d in sorted(own, key=lambda d: d.id):
        quantities[d.creator_id].append(d)
    budgets: dict[str, Decimal] = {}
    for creator_id, items in quantities.items():
        line = budget.per_creator.get(creator_id)
        planned_cost = Money.zero(currency) if line is None else line.planned
        if planned_cost.is_zero():
            shares = [Money.zero(currency)] * len(items)
        else:
            shares = planned_cost.allocate([d.quantity for d in items])
        for d, share in zip(items, shares, strict=True):
            budgets[d.id] = share.amount
    inputs: list[ForecastInput] = []
    unknown_emv: dict[str, str] = {}
    for d in own:
        day = d.planned_on or campaign.window.local(campaign.window.start).date()
        card = book.card_for(day) or book.cards[-1]
        values = card.unit_values(d.platform, d.format)
        if card.currency != currency:
            try:
                rate = rates(card.currency, currency, day)
            except ValidationError as e:
                unknown_emv[d.id] = f"{card.currency} cannot be converted: {e.reason}"
                rate = Decimal(0)
            values = {a: v * rate for a, v in values.items()}
        stats = creators[d.creator_id].audience.get(d.platform)
        inputs.append(
            ForecastInput(
                key=d.id,
                creator_id=d.creator_id,
                platform=d.platform,
                format=d.format,
                quantity=d.quantity,
                followers=0 if stats is None else stats.followers,
                engagement_rate=None if stats is None else stats.engagement_rate,
                average_views=None if stats is None else stats.average_views,
                unit_values=values,
                budget=budgets[d.id],
            )
        )
    fulfilled, _extra = delivered_by_deliverable(own, contents)
    actuals: dict[str, dict[str, Decimal | None]] = {}
    complete: dict[str, bool] = defaultdict(lambda: True)
    for d in own:
        done = fulfilled[d.id]
        delivered = len(done) >= d.quantity
        complete[d.creator_id] &= delivered
        complete["total"] &= delivered
        if delivered:
            actuals[d.id] = _observed(done, content_emv)
        else:
            actuals[d.id] = dict.fromkeys(_IMPRESSION_FIGURES)
    for creator_id in quantities:
        done = [s for d in quantities[creator_id] for s in fulfilled[d.id]]
        actuals[creator_id] = (
            _observed(done, content_emv)
            if complete[creator_id]
            else dict.fromkeys(_IMPRESSION_FIGURES)
        )
    everything = [s for d in own for s in fulfilled[d.id]]
    actuals["total"] = (
        _observed(everything, content_emv)
        if own and complete["total"]
        else dict.fromkeys(_IMPRESSION_FIGURES)
    )
    report = forecast_of(
        inputs,
        currency,
        model=model,
        draws=draws,
        seed=seed,
        actuals=actuals,
        unknown_emv=unknown_emv,
    )
    total_budget = budget.total.planned
    return attrs.evolve(
        report,
        total=attrs.evolve(
            report.total, budget=total_budget, roi=_roi_estimate(report.total.emv, total_budget)
        ),
    )
