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

One module per section: ``budget``, ``emv``, ``roi``, ``segments``, ``forecast`` (and
``campaign_forecast``, what a campaign's deliverables and contents feed it), and ``campaign``,
which assembles them from a :class:`ReportInputs` (``report_of``).
"""

from influcampaign.analytics.report._common import Rates, convert
from influcampaign.analytics.report.budget import Budget, BudgetLine, CostBasis, budget_of
from influcampaign.analytics.report.campaign import CampaignReport, campaign_report, report_of
from influcampaign.analytics.report.emv import ContentEmv, EmvReport, emv_of
from influcampaign.analytics.report.forecast import (
    Actuals,
    ForecastCheck,
    ForecastLine,
    ForecastReport,
    Observed,
    forecast_of,
)
from influcampaign.analytics.report.inputs import ReportInputs
from influcampaign.analytics.report.roi import RoiLine, SalesFigures, roi_line
from influcampaign.analytics.report.segments import (
    ContentFigures,
    CreatorProfile,
    SegmentLine,
    mean_compliance,
    segments_of,
)

__all__ = [
    "Actuals",
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
    "Observed",
    "Rates",
    "ReportInputs",
    "RoiLine",
    "SalesFigures",
    "SegmentLine",
    "budget_of",
    "campaign_report",
    "convert",
    "emv_of",
    "forecast_of",
    "mean_compliance",
    "report_of",
    "roi_line",
    "segments_of",
]
