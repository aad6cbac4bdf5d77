"""The budget of a campaign with priced deliverables and commissions, and what the report and
its segments make of them."""

from __future__ import annotations

from decimal import Decimal

import pytest

import influcampaign as ic
from influcampaign.analytics.report import budget_of
from tests.conftest import MANAGER
from tests.services.test_pay import Shop, only_creator, open_shop

EUR = "EUR"


def _no_rates(base: str, quote: str, on: object) -> Decimal:
    raise AssertionError(f"no conversion expected ({base}->{quote})")


def _plan(shop: Shop, creator: str, **fields: object) -> ic.Deliverable:
    [p] = [
        p for p in shop.ws.participations.list(MANAGER, shop.campaign.id) if p.creator_id == creator
    ]
    return shop.ws.deliverables.plan(MANAGER, p.id, **fields)  # type: ignore[arg-type]


class TestDeliverablePrice:
    def test_price_is_unit_price_times_quantity(self) -> None:
        """Three stories at 90 EUR cost 270 EUR; an unpriced deliverable has no price."""
        shop = open_shop()
        creator = only_creator(shop)
        stories = _plan(
            shop,
            creator,
            platform="instagram",
            format="story",
            quantity=3,
            unit_price=ic.Money.of(90, EUR),
        )
        assert stories.price == ic.Money.of(270, EUR)
        assert _plan(shop, creator, platform="tiktok", format="video").price is None

    def test_the_creators_rate_prices_a_deliverable_given_no_price(self) -> None:
        """A platform-specific rate wins over a rate for the format on any platform."""
        shop = open_shop()
        creator = only_creator(shop)
        shop.ws.creators.update(
            MANAGER,
            creator,
            rates=(
                ic.CreatorRate("reel", ic.Money.of(200, EUR)),
                ic.CreatorRate("reel", ic.Money.of(320, EUR), platform="instagram"),
            ),
        )
        assert _plan(shop, creator, platform="instagram", format="reel").unit_price == (
            ic.Money.of(320, EUR)
        )
        assert _plan(shop, creator, platform="tiktok", format="reel").unit_price == (
            ic.Money.of(200, EUR)
        )

    def test_bad_prices_and_rates_are_refused_naming_the_field(self) -> None:
        """A negative price, or two rates for one platform and format, are refused."""
        shop = open_shop()
        creator = only_creator(shop)
        with pytest.raises(ic.ValidationError, match="unit_price"):
            _plan(
                shop,
                creator,
                platform="instagram",
                format="post",
                unit_price=ic.Money.of(-1, EUR),
            )
        with pytest.raises(ic.ValidationError, match="rates"):
            ic.Creator(
                id="cre_x",
                display_name="X",
                rates=(
                    ic.CreatorRate("post", ic.Money.of(1, EUR)),
                    ic.CreatorRate("post", ic.Money.of(2, EUR)),
                ),
            )


class TestEstimatedBudget:
    def test_deliverables_alone_estimate_the_budget_and_the_forecast(self) -> None:
        """With priced deliverables and no cost the estimate is their price (not 0.00), and
        the forecast's budget and ROI come from it."""
        shop = open_shop()
        creator = only_creator(shop)
        _plan(shop, creator, platform="instagram", format="reel", unit_price=ic.Money.of(300, EUR))
        _plan(shop, creator, platform="instagram", format="post", unit_price=ic.Money.of(100, EUR))
        budget = shop.ws.costs.budget(MANAGER, shop.campaign.id)
        assert budget.total.planned == ic.Money.zero(EUR)
        assert budget.estimate == ic.Money.of(400, EUR)
        report = shop.ws.reports.campaign(MANAGER, shop.campaign.id, draws=200, seed=1)
        assert report.forecast.total.budget == ic.Money.of(400, EUR)
        assert report.forecast.total.roi is not None
        per_deliverable = sorted(
            line.budget.amount for line in report.forecast.per_deliverable.values()
        )
        assert per_deliverable == [Decimal(100), Decimal(300)]

    def test_planned_costs_win_over_deliverable_prices(self) -> None:
        """Once fees are planned from the deliverables, the estimate is the planned costs, the
        same amount; planning again adds nothing."""
        shop = open_shop()
        creator = only_creator(shop)
        _plan(shop, creator, platform="instagram", format="reel", unit_price=ic.Money.of(300, EUR))
        fees = shop.ws.costs.plan_deliverables(MANAGER, shop.campaign.id)
        assert [(f.kind, f.amount) for f in fees] == [(ic.CostKind.FEE, ic.Money.of(300, EUR))]
        assert shop.ws.costs.plan_deliverables(MANAGER, shop.campaign.id) == []
        budget = shop.ws.costs.budget(MANAGER, shop.campaign.id)
        assert budget.total.planned == budget.estimate == ic.Money.of(300, EUR)

    def test_commissions_count_as_their_own_kind_of_cost(self) -> None:
        """A pending commission is planned, an approved one committed, and paid once its
        statement is; the totals still reconcile with the kinds and the creators."""
        shop = open_shop()
        creator = only_creator(shop)
        shop.sell(creator, "250.00")
        shop.ws.pay.sync(MANAGER, shop.campaign.id)
        line = shop.ws.costs.budget(MANAGER, shop.campaign.id).per_kind[ic.CostKind.COMMISSION]
        assert (line.planned, line.committed) == (ic.Money.of(25, EUR), ic.Money.zero(EUR))
        shop.clock.advance(days=31)
        statement = shop.ws.pay.issue(MANAGER, "acme", creator, period_end=shop.clock.now().date())
        budget = shop.ws.costs.budget(MANAGER, shop.campaign.id)
        assert budget.per_kind[ic.CostKind.COMMISSION].committed == ic.Money.of(25, EUR)
        assert budget.per_kind[ic.CostKind.COMMISSION].paid == ic.Money.zero(EUR)
        shop.ws.pay.pay(MANAGER, statement.id)
        budget = shop.ws.costs.budget(MANAGER, shop.campaign.id)
        assert budget.commissions[creator].paid == ic.Money.of(25, EUR)
        assert sum(budget.per_kind.values(), ic.BudgetLine.zero(EUR)) == budget.total
        assert budget.per_creator[creator] == budget.total

    def test_reversed_commissions_cost_nothing(self) -> None:
        """budget_of leaves reversed commissions out."""
        shop = open_shop()
        creator = only_creator(shop)
        external = shop.sell(creator, "40.00")
        shop.ws.pay.sync(MANAGER, shop.campaign.id)
        shop.refund(external, "40.00")
        ledger = shop.ws.pay.sync(MANAGER, shop.campaign.id)
        assert ledger[0].status is ic.CommissionStatus.REVERSED
        budget = budget_of([], EUR, _no_rates, [creator], commissions=ledger)
        assert budget.total == ic.BudgetLine.zero(EUR)


class TestCommissionsInTheReport:
    def test_roi_lines_show_the_commission_and_segments_split_by_compensation(self) -> None:
        """A creator paid by commission has it in its cost and its ROI line; the segments
        compare fee, commission and gifted."""
        shop = open_shop(creators=2)
        emma, zoe = list(shop.codes)
        per_creator = ic.CommissionRule(
            "only Emma", "percent", percent=Decimal(10), creator_id=emma
        )
        policies = ic.CampaignPolicies(
            attribution=ic.AttributionPolicy(currency=EUR),
            commission=ic.CommissionPolicy((per_creator,)),
        )
        shop.ws.campaigns.update(MANAGER, shop.campaign.id, policies=policies)
        [zoe_p] = [
            p for p in shop.ws.participations.list(MANAGER, shop.campaign.id) if p.creator_id == zoe
        ]
        shop.ws.costs.plan(
            MANAGER, shop.campaign.id, "fee", ic.Money.of(100, EUR), participation_id=zoe_p.id
        )
        shop.sell(emma, "300.00")
        shop.clock.advance(days=31)
        shop.ws.pay.sync(MANAGER, shop.campaign.id)
        report = shop.ws.reports.campaign(MANAGER, shop.campaign.id, draws=50)
        assert report.roi_per_creator[emma].commission == ic.Money.of(30, EUR)
        assert report.roi_per_creator[emma].cost == ic.Money.of(30, EUR)
        assert report.roi_total.commission == ic.Money.of(30, EUR)
        assert report.records("roi")[0]["commission"] == Decimal(30)
        segments = {(s.dimension, s.value): s for s in report.segments}
        assert segments[("compensation", "commission")].count == 1
        assert segments[("compensation", "fee")].count == 1
        assert ("compensation", "gifted") not in segments
