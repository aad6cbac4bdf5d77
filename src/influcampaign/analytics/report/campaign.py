"""The campaign report: the budget, EMV, sales, ROI, forecast vs actual and segments of one
campaign, assembled from its loaded objects."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs

from influcampaign.analytics.forecast import ForecastModel
from influcampaign.analytics.report._common import RATIO, Rates
from influcampaign.analytics.report.budget import Budget, BudgetLine, CostBasis, budget_of
from influcampaign.analytics.report.campaign_forecast import campaign_forecast
from influcampaign.analytics.report.emv import ContentEmv, EmvReport, emv_of
from influcampaign.analytics.report.forecast import ForecastReport
from influcampaign.analytics.report.inputs import ReportInputs
from influcampaign.analytics.report.roi import RoiLine, SalesFigures, roi_line
from influcampaign.analytics.report.segments import (
    ContentFigures,
    CreatorProfile,
    SegmentLine,
    mean_compliance,
    segments_of,
)
from influcampaign.domain.campaign import Campaign
from influcampaign.domain.content import Submission
from influcampaign.domain.costs import Cost, CostKind, CostStatus
from influcampaign.domain.creator import Creator
from influcampaign.domain.deliverable import Deliverable, DeliverableStatus
from influcampaign.domain.emv import RateCardBook
from influcampaign.domain.money import Money
from influcampaign.errors import ValidationError
from influcampaign.rules.delivery import DeliveryProgress, delivery_progress

__all__ = ["CampaignReport", "campaign_report", "report_of"]


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

    def frame(self, table: str, library: str = "pandas", *, floats: bool = False) -> Any:
        """One table as a pandas or polars DataFrame (the ``frames`` extra), decimals kept
        exact (or as floats with ``floats=True``, numeric for ``describe()``)."""
        from influcampaign.adapters.frames import to_frame

        return to_frame(self.records(table), library, floats=floats)


def report_of(inputs: ReportInputs) -> CampaignReport:
    """The money report of one campaign from its loaded objects."""
    currency = inputs.currency
    creators = inputs.creators
    planned = [d for d in inputs.deliverables if d.status is DeliverableStatus.PLANNED]
    contents = [s for s in inputs.submissions if s.creator_id in creators]
    budget = budget_of(
        inputs.costs,
        currency,
        inputs.rates,
        creators,
        commissions=inputs.commissions,
        paid_statements=inputs.paid_statements,
        deliverables=[d for d in planned if d.creator_id in creators],
    )
    emv = emv_of(contents, inputs.book, currency, inputs.rates)
    progress, on_time = delivery_progress(
        inputs.campaign.id, planned, contents, inputs.campaign.window.timezone
    )
    by_creator: dict[str, list[Submission]] = {}  # creators in order of their first content
    for s in contents:
        by_creator.setdefault(s.creator_id, []).append(s)
    content_emv = {c.submission_id: c for c in emv.contents}
    nothing = Money.zero(currency)
    roi_per_creator: dict[str, RoiLine] = {}
    for creator_id in sorted(creators):
        line = budget.per_creator.get(creator_id, BudgetLine.zero(currency))
        own = by_creator.get(creator_id, [])
        roi_per_creator[creator_id] = roi_line(
            creator_id,
            line.cost(inputs.cost_basis),
            emv.per_creator.get(creator_id),
            inputs.sales.get(creator_id, SalesFigures(nothing)),
            _engagements(own),
            emv_reason="no content" if not own else _NO_KNOWN_EMV,
            commission=budget.commissions.get(creator_id, BudgetLine.zero(currency)).cost(
                inputs.cost_basis
            ),
        )
    profiles = _profiles(inputs, roi_per_creator, by_creator, progress)
    content_rows = _content_figures(by_creator, roi_per_creator, content_emv, on_time, nothing)
    return CampaignReport(
        inputs.campaign.id,
        currency,
        inputs.cost_basis,
        budget,
        emv,
        {c: inputs.sales.get(c, SalesFigures(nothing)) for c in sorted(creators)},
        roi_per_creator,
        roi_line(
            None,
            budget.total.cost(inputs.cost_basis),
            emv.total,
            _total_sales(inputs),
            _engagements(contents),
            emv_reason=_NO_KNOWN_EMV,
            commission=sum(
                (line.cost(inputs.cost_basis) for line in budget.commissions.values()), nothing
            ),
        ),
        campaign_forecast(inputs, planned, contents, budget, content_emv),
        segments_of(profiles, content_rows, currency),
        tuple(profiles),
        tuple(content_rows),
    )


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
    """``report_of`` the :class:`ReportInputs` these arguments make (kept for callers that
    pass them one by one)."""
    return report_of(
        ReportInputs(
            campaign,
            creators,
            costs,
            deliverables,
            submissions,
            book,
            sales,
            rates,
            currency=currency,
            cost_basis=cost_basis,
            draws=draws,
            seed=seed,
            model=model,
        )
    )


_NO_KNOWN_EMV = "no content with a known EMV"
_PAID_KINDS = (CostKind.FEE, CostKind.BONUS)


def _engagements(items: Iterable[Submission]) -> int | None:
    """The engagements of ``items`` that reported them, added up (None: none reported)."""
    known = [e for s in items if s.metrics is not None and (e := s.metrics.engagements) is not None]
    return sum(known) if known else None


def _paid(inputs: ReportInputs) -> set[str]:
    """The creators paid in the campaign: a fee or bonus not cancelled and not zero, or no
    cost at all in a paid campaign."""
    with_costs: set[str] = set()
    with_fees: set[str] = set()
    for c in inputs.costs:
        if c.creator_id is not None:
            with_costs.add(c.creator_id)
            if (
                c.kind in _PAID_KINDS
                and c.status is not CostStatus.CANCELLED
                and not c.amount.is_zero()
            ):
                with_fees.add(c.creator_id)
    paid_campaign = inputs.campaign.compensation.is_paid
    return {c for c in inputs.creators if c in with_fees or (c not in with_costs and paid_campaign)}


def _profiles(
    inputs: ReportInputs,
    roi_per_creator: Mapping[str, RoiLine],
    by_creator: Mapping[str, Sequence[Submission]],
    progress: DeliveryProgress,
) -> list[CreatorProfile]:
    """What segments each creator, in id order."""
    paid = _paid(inputs)
    rules = inputs.campaign.policies.commission
    tiers = inputs.campaign.policies.tiers
    profiles: list[CreatorProfile] = []
    for creator_id, roi in roi_per_creator.items():
        creator = inputs.creators[creator_id]
        compliance = mean_compliance(by_creator.get(creator_id, ()))
        rate = progress.per_creator.get(creator_id)
        on_time_rate = None if rate is None or rate.on_time_rate is None else rate.on_time_rate
        profiles.append(
            CreatorProfile(
                creator_id,
                creator.tier(tiers),
                creator_id in paid,
                creator.themes,
                roi,
                None if compliance is None else compliance.quantize(RATIO, ROUND_HALF_EVEN),
                None if on_time_rate is None else Decimal(on_time_rate).quantize(RATIO),
                commission=rules.rule_for(creator_id) is not None
                or any(c.creator_id == creator_id for c in inputs.commissions),
            )
        )
    return profiles


def _content_figures(
    by_creator: Mapping[str, Sequence[Submission]],
    roi_per_creator: Mapping[str, RoiLine],
    content_emv: Mapping[str, ContentEmv],
    on_time: Mapping[str, bool],
    nothing: Money,
) -> list[ContentFigures]:
    """Each content's figures, carrying an even share of its creator's cost (a cost of a
    creator without content is carried by no content)."""
    rows: list[ContentFigures] = []
    for creator_id, items in by_creator.items():  # a creator without content has no share
        cost = roi_per_creator[creator_id].cost
        shares = cost.allocate([1] * len(items)) if not cost.is_zero() else [nothing] * len(items)
        ordered = sorted(items, key=lambda s: (s.published_at, s.id))
        for s, share in zip(ordered, shares, strict=True):
            validation = s.validation
            rows.append(
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
    return rows


def _total_sales(inputs: ReportInputs) -> SalesFigures:
    """The credited sales of the creators taking part, added up."""
    own = [f for c, f in inputs.sales.items() if c in inputs.creators]
    return SalesFigures(
        Money.sum([f.net for f in own], inputs.currency),
        sum(f.clicks for f in own),
        sum(f.orders for f in own),
    )
