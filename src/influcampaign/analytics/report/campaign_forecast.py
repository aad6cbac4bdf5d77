"""The forecast of a campaign's planned deliverables and what its delivered contents show:
the inputs and actuals that ``forecast_of`` compares."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs

from influcampaign.analytics.forecast import VIDEO_FORMATS, ForecastInput
from influcampaign.analytics.report.budget import Budget
from influcampaign.analytics.report.emv import ContentEmv
from influcampaign.analytics.report.forecast import (
    FIGURES,
    Actuals,
    ForecastReport,
    Observed,
    forecast_of,
    roi_estimate,
)
from influcampaign.analytics.report.inputs import ReportInputs
from influcampaign.domain.content import Submission
from influcampaign.domain.deliverable import Deliverable
from influcampaign.domain.money import Money
from influcampaign.errors import ValidationError
from influcampaign.rules.delivery import delivered_by_deliverable

__all__ = ["campaign_forecast"]


def campaign_forecast(
    inputs: ReportInputs,
    planned: Sequence[Deliverable],
    contents: Sequence[Submission],
    budget: Budget,
    content_emv: Mapping[str, ContentEmv],
) -> ForecastReport:
    """Forecast the ``planned`` deliverables of the taking-part creators and compare them
    with their delivered ``contents``; the campaign's budget is its whole planned budget."""
    own = [d for d in planned if d.creator_id in inputs.creators]
    items, unknown_emv = _forecast_inputs(inputs, own, budget)
    report = forecast_of(
        items,
        inputs.currency,
        model=inputs.model,
        draws=inputs.draws,
        seed=inputs.seed,
        actuals=_actuals(own, contents, content_emv),
        unknown_emv=unknown_emv,
    )
    total_budget = budget.total.planned
    return attrs.evolve(
        report,
        total=attrs.evolve(
            report.total, budget=total_budget, roi=roi_estimate(report.total.emv, total_budget)
        ),
    )


def _by_creator(own: Sequence[Deliverable]) -> dict[str, list[Deliverable]]:
    """Each creator's deliverables in id order (creators in order of their first one)."""
    quantities: dict[str, list[Deliverable]] = defaultdict(list)
    for d in sorted(own, key=lambda d: d.id):
        quantities[d.creator_id].append(d)
    return quantities


def _budgets(own: Sequence[Deliverable], budget: Budget, currency: str) -> dict[str, Decimal]:
    """Each creator's planned budget split over its deliverables by quantity."""
    budgets: dict[str, Decimal] = {}
    for creator_id, items in _by_creator(own).items():
        line = budget.per_creator.get(creator_id)
        planned_cost = Money.zero(currency) if line is None else line.planned
        if planned_cost.is_zero():
            shares = [Money.zero(currency)] * len(items)
        else:
            shares = planned_cost.allocate([d.quantity for d in items])
        for d, share in zip(items, shares, strict=True):
            budgets[d.id] = share.amount
    return budgets


def _forecast_inputs(
    inputs: ReportInputs, own: Sequence[Deliverable], budget: Budget
) -> tuple[list[ForecastInput], dict[str, str]]:
    """What to forecast for each deliverable, valued by the card in force on its planned date
    (else the campaign's start) converted to the report's currency that day; and why the
    unit values of a deliverable are unknown (its card's currency has no rate)."""
    currency = inputs.currency
    budgets = _budgets(own, budget, currency)
    window = inputs.campaign.window
    items: list[ForecastInput] = []
    unknown_emv: dict[str, str] = {}
    for d in own:
        day = d.planned_on or window.local(window.start).date()
        card = inputs.book.card_for(day) or inputs.book.cards[-1]
        values = card.unit_values(d.platform, d.format)
        if card.currency != currency:
            try:
                rate = inputs.rates(card.currency, currency, day)
            except ValidationError as e:
                unknown_emv[d.id] = f"{card.currency} cannot be converted: {e.reason}"
                rate = Decimal(0)
            values = {a: v * rate for a, v in values.items()}
        stats = inputs.creators[d.creator_id].audience.get(d.platform)
        items.append(
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
    return items, unknown_emv


def _actuals(
    own: Sequence[Deliverable],
    contents: Sequence[Submission],
    content_emv: Mapping[str, ContentEmv],
) -> Actuals:
    """What the contents delivered for each deliverable, creator and the campaign show; a
    creator's (the campaign's) figures are compared only once all its deliverables are."""
    fulfilled, _extra = delivered_by_deliverable(own, contents)
    per_deliverable: dict[str, Observed] = {}
    complete: dict[str, bool] = defaultdict(lambda: True)
    all_complete = True
    for d in own:
        done = fulfilled[d.id]
        delivered = len(done) >= d.quantity
        complete[d.creator_id] &= delivered
        all_complete &= delivered
        per_deliverable[d.id] = _observed(done, content_emv) if delivered else Observed()
    per_creator: dict[str, Observed] = {}
    for creator_id, items in _by_creator(own).items():
        done = [s for d in items for s in fulfilled[d.id]]
        per_creator[creator_id] = (
            _observed(done, content_emv) if complete[creator_id] else Observed()
        )
    everything = [s for d in own for s in fulfilled[d.id]]
    total = _observed(everything, content_emv) if own and all_complete else Observed()
    return Actuals(per_deliverable, per_creator, total)


def _observed(contents: Sequence[Submission], emv: Mapping[str, ContentEmv]) -> Observed:
    """Figures of delivered contents, added up (None when one of them did not report it)."""
    sums: dict[str, Decimal | None] = dict.fromkeys(FIGURES, Decimal(0))
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
    return Observed(**sums)
