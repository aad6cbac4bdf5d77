"""Cost, value and return of a creator or of the campaign: ROI by EMV and by sales, ROAS, EMV
per cost, and the cost per engagement, click and order (formulas in the package's docstring).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from influcampaign.analytics.report._common import flat, ratio
from influcampaign.domain.money import Money

__all__ = ["RoiLine", "SalesFigures", "roi_line"]


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
    commission: Money | None = None  # the part of ``cost`` that is commission on sales

    def record(self) -> dict[str, Any]:
        """Plain values; ``notes`` joined as ``figure: why`` lines."""
        return {
            "creator_id": self.creator_id,
            "currency": self.currency,
            "cost": self.cost.amount,
            **flat("commission", self.commission),
            **flat("emv", self.emv),
            "net_revenue": self.net_revenue.amount,
            "engagements": self.engagements,
            "clicks": self.clicks,
            "orders": self.orders,
            "roi_emv": self.roi_emv,
            "roi_sales": self.roi_sales,
            "roas": self.roas,
            "emv_per_cost": self.emv_per_cost,
            **flat("cost_per_engagement", self.cost_per_engagement),
            **flat("cost_per_click", self.cost_per_click),
            **flat("cost_per_order", self.cost_per_order),
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
    commission: Money | None = None,
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
        roi_sales = ratio(sales.net.amount - c, c)
        roas = ratio(sales.net.amount, c)
        if emv is None:
            notes["roi_emv"] = notes["emv_per_cost"] = f"EMV unknown: {emv_reason}"
            roi_emv = emv_per_cost = None
        else:
            roi_emv = ratio(emv.amount - c, c)
            emv_per_cost = ratio(emv.amount, c)
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
        commission,
    )
