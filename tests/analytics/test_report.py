"""The campaign report (influcampaign.analytics.report): budget, ROI, forecasts, frames."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.analytics.report import (
    Actuals,
    BudgetLine,
    ForecastLine,
    Observed,
    ReportInputs,
    SalesFigures,
    budget_of,
    campaign_report,
    forecast_of,
    report_of,
)
from influcampaign.domain.content import ContentFormat, Submission
from influcampaign.domain.creator import Platform
from tests.conftest import MANAGER
from tests.helpers import RATES, at, money_join, money_project, publish, rates_fn, usd_card

T = TypeVar("T")


class _Loaded(NamedTuple):
    """What ``campaign_report`` reads from the store, in its parameter order."""

    campaign: ic.Campaign
    creators: Mapping[str, ic.Creator]
    costs: Sequence[ic.Cost]
    deliverables: Sequence[ic.Deliverable]
    submissions: Sequence[Submission]
    book: ic.RateCardBook
    sales: Mapping[str, SalesFigures]


def _report_inputs() -> _Loaded:
    ws = ic.Workspace(ic.MemoryStore(), ic.FrozenClock(at(1)), ids=ic.SequentialIds(), rates=RATES)
    cmp = money_project(ws)
    people = [
        money_join(ws, cmp, n, followers=f)
        for n, f in (("Ana", 3_000), ("Ben", 40_000), ("Cy", 200_000))
    ]
    for c in ws.costs.plan_compensation(ws_actor(), cmp.id):
        ws.costs.commit(MANAGER, c.id)
    ws.costs.plan(
        MANAGER,
        cmp.id,
        "shipping",
        ic.Money.of(12, "USD"),
        participation_id=people[0].id,
        due_on=dt.date(2026, 3, 3),
    )
    for i, p in enumerate(people):
        d = ws.deliverables.plan(MANAGER, p.id, platform="instagram", format="reel", quantity=2)
        publish(
            ws,
            p,
            at(5 + i),
            {"views": 1000 * (i + 1), "likes": 50 * i},
            fmt="reel",
            deliverable_id=d.id,
            compliance=70 + i,
        )
    with ws.store.unit_of_work(read_only=True) as uow:
        creators = {p.creator_id: uow.creators.get(p.creator_id) for p in people}
        costs = uow.costs.find(campaign_id=cmp.id)
        deliverables = uow.deliverables.find(campaign_id=cmp.id)
        submissions = uow.submissions.find(campaign_id=cmp.id)
        got = uow.campaigns.get(cmp.id)
    sales = {people[1].creator_id: SalesFigures(ic.Money.of(400, "EUR"), 30, 3)}
    return _Loaded(
        got,
        creators,
        costs,
        deliverables,
        submissions,
        ic.RateCardBook(ic.DEFAULT_RATE_CARD),
        sales,
    )


def ws_actor() -> ic.BrandMember:
    return MANAGER


def item(key: str, creator: str, **more: Any) -> ic.ForecastInput:
    values: dict[str, Any] = {
        "platform": Platform.INSTAGRAM,
        "format": ContentFormat.POST,
        "quantity": 1,
        "followers": 10_000,
        "engagement_rate": 0.05,
        "average_views": None,
        "unit_values": ic.DEFAULT_RATE_CARD.unit_values(Platform.INSTAGRAM, ContentFormat.POST),
        "budget": Decimal(64),
    }
    values.update(more)
    return ic.ForecastInput(key=key, creator_id=creator, **values)


def emv_estimate(line: ForecastLine) -> ic.Estimate:
    """The line's EMV estimate, which these tests' cards always let the forecast convert."""
    assert line.emv is not None, line.notes
    return line.emv


class TestRoi:
    def test_ratios_by_hand(self) -> None:
        """Cost 200, EMV 500, net revenue 300, 400 engagements, 50 clicks, 4 orders."""
        line = ic.roi_line(
            "c",
            ic.Money.of(200, "EUR"),
            ic.Money.of(500, "EUR"),
            SalesFigures(ic.Money.of(300, "EUR"), 50, 4),
            400,
        )
        assert line.roi_emv == Decimal("1.5")
        assert line.roi_sales == Decimal("0.5")
        assert line.roas == Decimal("1.5")
        assert line.emv_per_cost == Decimal("2.5")
        assert line.cost_per_engagement == ic.Money.of("0.50", "EUR")
        assert line.cost_per_click == ic.Money.of(4, "EUR")
        assert line.cost_per_order == ic.Money.of(50, "EUR")
        assert line.notes == {}

    def test_zero_cost_and_missing_data_are_reported_as_such(self) -> None:
        """A zero cost or missing figures leave the ratios None with a note saying why, never a
        division by zero."""
        free = ic.roi_line(
            "c", ic.Money.zero("EUR"), None, SalesFigures(ic.Money.zero("EUR")), None
        )
        assert free.roi_emv is None
        assert free.roi_sales is None
        assert free.roas is None
        assert free.notes["roi_sales"] == "no cost: the ratio is undefined"
        assert free.notes["cost_per_engagement"] == "engagement not reported"
        assert free.notes["cost_per_click"] == "no click"
        unknown = ic.roi_line(
            "c",
            ic.Money.of(10, "EUR"),
            None,
            SalesFigures(ic.Money.zero("EUR")),
            0,
            emv_reason="no metrics recorded",
        )
        assert unknown.roi_emv is None
        assert unknown.notes["roi_emv"] == "EMV unknown: no metrics recorded"
        assert unknown.roi_sales == Decimal(-1)
        assert unknown.notes["cost_per_engagement"] == "no engagement"

    def test_a_campaign_report_by_hand(self, mws: ic.Workspace) -> None:
        """Two creators; Lea costs 150 EUR (fee 100 + product 50), Tom 100 EUR; their posts
        are worth 162 and 81 EUR under the default card converted at 0.9; agency costs 50 EUR
        more for the campaign: ROI by EMV of the campaign is (243 - 300) / 300 = -0.19."""
        cmp = money_project(
            mws,
            compensation=ic.Compensation(fee=ic.Money.of(100, "EUR")),
            policies=usd_card(mws),
        )
        lea, tom = (
            money_join(mws, cmp, "Lea"),
            money_join(mws, cmp, "Tom", followers=5_000, themes=()),
        )
        for c in mws.costs.plan_compensation(MANAGER, cmp.id):
            mws.costs.commit(MANAGER, c.id)
        product = mws.costs.plan(
            MANAGER, cmp.id, "product", ic.Money.of(50, "EUR"), participation_id=lea.id
        )
        mws.costs.pay(MANAGER, product.id)
        agency = mws.costs.plan(MANAGER, cmp.id, "agency", ic.Money.of(50, "EUR"))
        mws.costs.commit(MANAGER, agency.id)
        big = {"impressions": 10_000, "likes": 500, "comments": 20, "shares": 10, "saves": 30}
        small = {"impressions": 5_000, "likes": 250, "comments": 10, "shares": 5, "saves": 15}
        publish(mws, lea, at(10), big, compliance=90)
        publish(mws, tom, at(11), small, compliance=60)
        report = mws.reports.campaign(MANAGER, cmp.id, draws=200)
        assert report.currency == "EUR"
        lea_line = report.roi_per_creator[lea.creator_id]
        assert lea_line.cost == ic.Money.of(150, "EUR")
        assert lea_line.emv == ic.Money.of(162, "EUR")
        assert lea_line.roi_emv == Decimal("0.08")
        assert lea_line.engagements == 560
        assert lea_line.roi_sales == Decimal(-1)  # no sales: the money spent is lost
        assert lea_line.notes["cost_per_click"] == "no click"
        assert report.roi_total.cost == ic.Money.of(300, "EUR")
        assert report.roi_total.emv == ic.Money.of(243, "EUR")
        assert report.roi_total.roi_emv == Decimal("-0.19")
        paid_basis = mws.reports.campaign(MANAGER, cmp.id, cost_basis="paid", draws=10)
        assert paid_basis.roi_total.cost == ic.Money.of(50, "EUR")
        segments = {(s.dimension, s.value): s for s in report.segments}
        assert segments[("tier", "micro")].count == 1
        assert segments[("tier", "nano")].count == 1
        assert segments[("compensation", "paid")].count == 2
        assert segments[("theme", "beauty")].median_compliance == Decimal(90)
        assert segments[("theme", "(none)")].emv == ic.Money.of(81, "EUR")
        assert segments[("format", "post")].count == 2
        assert segments[("format", "post")].emv_per_cost == Decimal("0.972")  # 243 / 250
        rows = report.records("roi")
        assert rows[-1]["creator_id"] is None
        assert rows[-1]["roi_emv"] == Decimal("-0.19")
        with pytest.raises(ic.ValidationError):
            report.records("nope")

    @pytest.mark.parametrize("basis", ["planned", "committed", "paid"])
    def test_a_cost_without_content_leaves_the_report_and_segments_defined(
        self, ws: ic.Workspace, basis: str
    ) -> None:
        """A fee agreed before anyone posts (or a creator who never publishes) spreads over
        no content: the report and the segments compute, that creator's ratios are None."""
        cmp = money_project(ws)
        lea, tom = money_join(ws, cmp, "Lea"), money_join(ws, cmp, "Tom")
        for cost in ws.costs.plan_compensation(MANAGER, cmp.id):
            if cost.creator_id == tom.creator_id:
                ws.costs.pay(MANAGER, cost.id)
            else:
                ws.costs.commit(MANAGER, cost.id)
        publish(ws, lea, at(10), {"impressions": 1_000, "likes": 10})
        report = ws.reports.campaign(MANAGER, cmp.id, cost_basis=basis, draws=10)
        tom_line = report.roi_per_creator[tom.creator_id]
        assert tom_line.cost == ic.Money.of(100, "EUR")
        assert tom_line.emv is None
        assert tom_line.notes["roi_emv"] == "EMV unknown: no content"
        assert [c.creator_id for c in report.content_figures] == [lea.creator_id]
        assert ws.reports.segments(MANAGER, [cmp.id], cost_basis=basis)

    @given(st.randoms(use_true_random=False))
    def test_roi_is_invariant_to_listing_order(self, rnd: random.Random) -> None:
        """Shuffling costs, contents and creators changes no figure of the report."""
        inputs = _report_inputs()
        first = campaign_report(*inputs, rates_fn, currency="EUR", draws=50)

        def shuffled(items: Iterable[T]) -> list[T]:
            listed = list(items)
            rnd.shuffle(listed)
            return listed

        shuffled_inputs = inputs._replace(
            creators=dict(shuffled(inputs.creators.items())),
            costs=shuffled(inputs.costs),
            deliverables=shuffled(inputs.deliverables),
            submissions=shuffled(inputs.submissions),
        )
        second = campaign_report(*shuffled_inputs, rates_fn, currency="EUR", draws=50)
        assert first.records("roi") == second.records("roi")
        assert first.records("segments") == second.records("segments")
        assert first.records("budget") == second.records("budget")
        assert first.records("forecast") == second.records("forecast")

    def test_the_inputs_record_and_the_parameters_give_the_same_report(self) -> None:
        """``report_of(ReportInputs(...))`` is ``campaign_report(...)`` with the same values."""
        campaign, creators, costs, deliverables, submissions, book, sales = _report_inputs()
        loaded = (campaign, creators, costs, deliverables, submissions, book, sales, rates_fn)
        record = ReportInputs(
            *loaded, currency="EUR", cost_basis=ic.CostBasis.PAID, draws=50, seed=4
        )
        assert record.model is None
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            record.draws = 1  # type: ignore[misc]
        by_record = report_of(record)
        by_parameters = campaign_report(
            *loaded, currency="EUR", cost_basis=ic.CostBasis.PAID, draws=50, seed=4
        )
        for table in ("budget", "emv", "roi", "forecast", "forecast_vs_actual", "segments"):
            assert by_record.records(table) == by_parameters.records(table)
        assert ic.report_of is report_of
        assert ic.ReportInputs is ReportInputs


class TestForecast:
    def test_without_uncertainty_the_forecast_is_the_hand_computed_one(self) -> None:
        """10,000 followers, a post seen by 30 %: 3,000 impressions, 2,400 reached; 5 % ER:
        500 engagements. EMV = 3,000 * 0.008 + 500 * (0.88 * 0.10 + 0.05 * 0.50 + 0.03 *
        2.50 + 0.04 * 0.50) = 24 + 104 = 128 USD; with a 64 USD budget the ROI is 1."""
        from influcampaign.analytics.report import forecast_of

        model = ic.ForecastModel(reach_sigma=0, engagement_sigma=0)
        report = forecast_of([item("d1", "c1")], "USD", model=model, draws=50, seed=1)
        line = report.per_deliverable["d1"]
        assert line.impressions == ic.Estimate(Decimal(3000), Decimal(3000), Decimal(3000))
        assert line.reach.p50 == 2400
        assert line.engagements.p50 == 500
        assert emv_estimate(line).p10 == emv_estimate(line).p90 == Decimal("128.00")
        assert line.roi == ic.Estimate(Decimal(1), Decimal(1), Decimal(1))

    def test_videos_use_average_views_and_quantity(self) -> None:
        """A video's impressions are its average views times the quantity; engagements follow
        followers, rate and quantity."""
        from influcampaign.analytics.report import forecast_of

        model = ic.ForecastModel(reach_sigma=0, engagement_sigma=0)
        reel = item(
            "d1",
            "c1",
            format=ContentFormat.REEL,
            quantity=3,
            average_views=8_000,
            unit_values=ic.DEFAULT_RATE_CARD.unit_values(Platform.INSTAGRAM, ContentFormat.REEL),
        )
        line = forecast_of([reel], "USD", model=model, draws=10).per_deliverable["d1"]
        assert line.impressions.p50 == 24_000  # 3 * 8,000 views
        assert line.engagements.p50 == 1_800  # 3 * 10,000 * 5 % * 1.2

    @given(
        st.lists(
            st.tuples(
                st.integers(0, 2_000_000), st.sampled_from(list(ContentFormat)), st.integers(1, 5)
            ),
            min_size=1,
            max_size=12,
        ),
        st.integers(0, 2**32),
    )
    def test_quantiles_are_ordered_and_the_seed_reproduces(
        self, specs: list[Any], seed: int
    ) -> None:
        """P10 ≀ P50 ≀ P90 everywhere, and the same seed gives the same forecast."""
        from influcampaign.analytics.report import forecast_of

        items = [
            item(f"d{i}", f"c{i % 3}", followers=f, format=fmt, quantity=q)
            for i, (f, fmt, q) in enumerate(specs)
        ]
        first = forecast_of(items, "USD", draws=200, seed=seed)
        for line in [*first.per_deliverable.values(), *first.per_creator.values(), first.total]:
            for est in (line.reach, line.impressions, line.engagements, emv_estimate(line)):
                assert est.p10 <= est.p50 <= est.p90
        again = forecast_of(list(reversed(items)), "USD", draws=200, seed=seed)
        assert first.records() == again.records()

    def test_campaign_quantiles_come_from_summed_draws(self) -> None:
        """The campaign's P90 is below the sum of its deliverables' P90 (they do not all do
        well in the same draw)."""
        from influcampaign.analytics.report import forecast_of

        items = [item(f"d{i}", f"c{i}") for i in range(20)]
        report = forecast_of(items, "USD", draws=2_000, seed=7)
        lines = report.per_deliverable.values()
        assert emv_estimate(report.total).p90 < sum(emv_estimate(line).p90 for line in lines)
        assert emv_estimate(report.total).p10 > sum(emv_estimate(line).p10 for line in lines)

    def test_actuals_are_compared_per_deliverable_creator_and_campaign(self) -> None:
        """Checks follow the actuals: deliverables, then creators, then the campaign; a key
        the forecast does not know is skipped, and an unreported figure is not delivered."""
        model = ic.ForecastModel(reach_sigma=0, engagement_sigma=0)
        seen = Observed(reach=Decimal(100), impressions=Decimal(3000), engagements=Decimal(9000))
        actuals = Actuals(
            per_deliverable={"d1": seen, "nope": seen},
            per_creator={"c1": Observed()},
            total=seen,
        )
        report = forecast_of([item("d1", "c1")], "USD", model=model, draws=10, actuals=actuals)
        verdicts = {(c.key, c.figure): c.verdict for c in report.checks}
        assert [key for key, _figure in verdicts][::4] == ["d1", "c1", "total"]
        assert verdicts[("d1", "reach")] == "below"  # 100 vs 2,400
        assert verdicts[("d1", "impressions")] == "within"
        assert verdicts[("d1", "engagements")] == "above"  # 9,000 vs 500
        assert verdicts[("d1", "emv")] == verdicts[("c1", "reach")] == "not delivered"
        assert verdicts[("total", "impressions")] == "within"
        assert not forecast_of([item("d1", "c1")], "USD", draws=10).checks

    def test_an_unknown_emv_is_noted_on_its_line_its_creator_and_the_total(self) -> None:
        """A deliverable whose unit values are unknown has no EMV nor ROI; its line, its
        creator's and the campaign's say why, and other creators' lines are unaffected."""
        items = [item("d1", "c1"), item("d2", "c1"), item("d3", "c2")]
        report = forecast_of(items, "USD", draws=20, unknown_emv={"d2": "no rate"})
        assert report.per_deliverable["d2"].emv is None
        assert report.per_deliverable["d2"].roi is None
        assert report.per_deliverable["d2"].notes == {"emv": "no rate"}
        assert report.per_deliverable["d1"].notes == {}
        assert report.per_deliverable["d1"].emv is not None
        why = "the EMV of d2 is unknown: no rate"
        assert report.per_creator["c1"].notes == report.total.notes == {"emv": why}
        assert report.per_creator["c1"].emv is report.total.emv is None
        assert report.per_creator["c2"].notes == {}
        assert report.per_creator["c2"].emv is not None

    def test_bad_draws_and_seed(self) -> None:
        """Zero draws, a negative seed or a negative sigma is a ValidationError naming the field."""
        with pytest.raises(ic.ValidationError) as e:
            ic.simulate([item("d", "c")], draws=0)
        assert e.value.field == "draws"
        with pytest.raises(ic.ValidationError) as e:
            ic.simulate([item("d", "c")], seed=-1)
        assert e.value.field == "seed"
        with pytest.raises(ic.ValidationError):
            ic.ForecastModel(reach_sigma=-1)

    def test_forecast_vs_actual_in_a_campaign(self, mws: ic.Workspace) -> None:
        """Delivered deliverables are compared with their P10-P90 range; others are not
        delivered yet."""
        cmp = money_project(mws)
        lea, tom = (
            money_join(mws, cmp, "Lea", followers=10_000, rate=0.05),
            money_join(mws, cmp, "Tom"),
        )
        mws.costs.plan_compensation(MANAGER, cmp.id)
        d1 = mws.deliverables.plan(
            MANAGER, lea.id, platform="instagram", format="post", planned_on=dt.date(2026, 3, 10)
        )
        mws.deliverables.plan(MANAGER, tom.id, platform="instagram", format="post")
        publish(
            mws,
            lea,
            at(10),
            {
                "impressions": 100_000,
                "reach": 80_000,
                "likes": 400,
                "comments": 30,
                "shares": 10,
                "saves": 20,
            },
            deliverable_id=d1.id,
        )
        report = mws.reports.campaign(MANAGER, cmp.id, draws=2_000, seed=3)
        checks = {(c.key, c.figure): c for c in report.forecast.checks}
        assert checks[(d1.id, "impressions")].verdict == "above"  # 100,000 vs about 3,000
        assert checks[(d1.id, "impressions")].actual == 100_000
        assert checks[(d1.id, "engagements")].verdict == "within"  # 460 vs about 500
        assert checks[(lea.creator_id, "reach")].actual == 80_000
        assert checks[("total", "emv")].verdict == "not delivered"
        assert report.forecast.per_creator[lea.creator_id].budget == ic.Money.of(100, "EUR")
        assert report.forecast.total.budget == ic.Money.of(200, "EUR")
        assert report.forecast.seed == 3
        assert report.forecast.draws == 2_000
        again = mws.reports.campaign(MANAGER, cmp.id, draws=2_000, seed=3)
        assert again.records("forecast") == report.records("forecast")
        assert {r["verdict"] for r in report.records("forecast_vs_actual")} >= {"above", "within"}


class TestFrames:
    def test_pandas_and_polars_keep_exact_decimals(self) -> None:
        """Report frames in pandas and polars keep amounts as exact Decimals; an unknown library is
        refused."""
        inputs = _report_inputs()
        report = campaign_report(*inputs, rates_fn, currency="EUR", draws=20)
        pdf = report.frame("roi")
        assert isinstance(pdf["cost"].iloc[0], Decimal)
        assert pdf["cost"].sum() == sum(r["cost"] for r in report.records("roi"))
        plf = report.frame("emv", library="polars")
        assert str(plf.schema["emv"]).startswith("Decimal")
        assert plf["emv"].to_list() == [r["emv"] for r in report.records("emv")]
        with pytest.raises(ic.ValidationError):
            report.frame("roi", library="excel")


class TestBudget:
    """Budget lines of the campaign report."""

    def test_budget_line_addition_and_basis(self) -> None:
        """Budget lines add field by field, read the cost of a basis, and no cost gives a zero
        total."""
        line = BudgetLine(
            "EUR", ic.Money.of(3, "EUR"), ic.Money.of(2, "EUR"), ic.Money.of(1, "EUR")
        )
        assert (line + line).cost(ic.CostBasis.PAID) == ic.Money.of(2, "EUR")
        assert budget_of([], "EUR", rates_fn).total == BudgetLine.zero("EUR")
