"""What a campaign's money report is computed from, in one record."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from influcampaign.analytics.forecast import ForecastModel
from influcampaign.analytics.report._common import Rates
from influcampaign.analytics.report.budget import CostBasis
from influcampaign.analytics.report.roi import SalesFigures
from influcampaign.domain.campaign import Campaign
from influcampaign.domain.content import Submission
from influcampaign.domain.costs import Cost
from influcampaign.domain.creator import Creator
from influcampaign.domain.deliverable import Deliverable
from influcampaign.domain.emv import RateCardBook

__all__ = ["ReportInputs"]


@attrs.frozen
class ReportInputs:
    """A campaign's loaded objects and the report's options: ``creators`` are the creators
    taking part (by id), ``sales`` their credited sales (missing: none), ``rates`` converts
    other currencies to ``currency``; ROI divides by the costs on ``cost_basis``, and the
    forecast runs ``draws`` draws seeded with ``seed`` under ``model`` (None: the default).
    """

    campaign: Campaign
    creators: Mapping[str, Creator]
    costs: Sequence[Cost]
    deliverables: Sequence[Deliverable]
    submissions: Sequence[Submission]
    book: RateCardBook
    sales: Mapping[str, SalesFigures]
    rates: Rates
    currency: str = attrs.field(kw_only=True)
    cost_basis: CostBasis = attrs.field(default=CostBasis.COMMITTED, kw_only=True)
    draws: int = attrs.field(default=10_000, kw_only=True)
    seed: int = attrs.field(default=0, kw_only=True)
    model: ForecastModel | None = attrs.field(default=None, kw_only=True)
