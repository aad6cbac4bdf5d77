"""Costs and payments, EMV rate cards, forecasts, ROI and segments (issue #6)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import MANAGER, upgrade_old_database

import influcampaign as ic
from influcampaign.analytics.emv import bulk_emv, metrics_matrix
from influcampaign.analytics.report import (
    Actuals,
    BudgetLine,
    Observed,
    ReportInputs,
    SalesFigures,
    budget_of,
    campaign_report,
    emv_of,
    forecast_of,
    report_of,
)
from influcampaign.domain.content import ContentFormat, Metrics, Submission
from influcampaign.domain.creator import Platform
from influcampaign.domain.emv import ACTIONS

PARIS = "Europe/Paris"
E = ic.EmvAction
VIEWER = ic.BrandMember("u_vic", brand_id="acme", role="viewer")
ANALYST = ic.BrandMember("u_ana", brand_id="acme", role="analyst")
RATES = ic.FixedRates({("USD", "EUR"): "0.9"}, source="test table")


@pytest.fixture
def mws(make_workspace: Callable[[], ic.Workspace]) -> ic.Workspace:
    """A workspace with a USD→EUR rate, on each backend."""
    base = make_workspace()
    return ic.Workspace(base.store, base.clock, ids=base.ids, rates=RATES)


def campaign(ws: ic.Workspace, **changes: Any) -> ic.Campaign:
    made = ws.campaigns.create(
        MANAGER,
        brand_id="acme",
        name="Glow",
        kind="product_placement",
        mode="project",
        start=pendulum.datetime(2026, 3, 1, tz=PARIS),
        end=pendulum.datetime(2026, 6, 1, tz=PARIS),
        timezone=PARIS,
        compensation=changes.pop("compensation", ic.Compensation(fee=ic.Money.of(100, "EUR"))),
        **changes,
    )
    ws.campaigns.start(MANAGER, made.id)
    return made


def join(
    ws: ic.Workspace,
    cmp: ic.Campaign,
    name: str,
    *,
    followers: int = 25_000,
    rate: float | None = 0.04,
    themes: tuple[str, ...] = ("beauty",),
) -> ic.Participation:
    creator = ws.creators.register(
        MANAGER,
        name,
        handles={"instagram": name.lower()},
        audience={"instagram": ic.AudienceStats(followers, engagement_rate=rate)},
        themes=themes,
    )
    p = ws.participations.add(MANAGER, cmp.id, creator.id)
    ws.participations.confirm(MANAGER, p.id)
    return ws.participations.get(MANAGER, p.id)


def publish(
    ws: ic.Workspace,
    p: ic.Participation,
    when: pendulum.DateTime,
    metrics: dict[str, int] | None,
    *,
    fmt: str = "post",
    deliverable_id: str | None = None,
    compliance: int | None = None,
) -> Submission:
    clock = ws.clock
    assert isinstance(clock, ic.FrozenClock)
    if clock.now() < when.add(hours=1):
        clock.set(when.add(hours=1))
    s = ws.submissions.submit(
        MANAGER,
        p.id,
        url=f"https://instagram.com/p/{p.creator_id}{when.int_timestamp}",
        platform="instagram",
        format=fmt,
        published_at=when,
        deliverable_id=deliverable_id,
        metrics=metrics,
    )
    if compliance is not None:
        s = ws.submissions.validate(MANAGER, s.id, compliance=compliance)
    return s


def card(version: int, likes: str, start: dt.date, end: dt.date | None = None) -> ic.RateCard:
    return ic.RateCard(
        name="acme",
        version=version,
        currency="EUR",
        valid_from=start,
        valid_until=end,
        rates=[ic.EmvRate(E.LIKES, likes), ic.EmvRate(E.IMPRESSIONS, "5", per=1000)],
        source="acme media team, 2026",
    )


def at(day: int, month: int = 3) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, 12, tz=PARIS)


def usd_card(ws: ic.Workspace) -> ic.CampaignPolicies:
    """Policies valuing contents by the shipped USD card, defined by the brand as "acme US"
    (so that a EUR campaign converts each content at its publication date)."""
    ws.rate_cards.define(MANAGER, "acme", attrs.evolve(ic.DEFAULT_RATE_CARD, name="acme US"))
    return ic.CampaignPolicies(emv=ic.EmvPolicy("acme US"))


# -- rate cards and EMV ------------------------------------------------------------------


class TestRateCards:
    def test_default_card_values_a_post_by_hand(self) -> None:
        """10,000 impressions at an 8 USD CPM, 500 likes at 0.10, 20 comments at 0.50, 10
        shares at 2.50 and 30 saves at 0.50 are worth 180 USD; link clicks are missing."""
        metrics = Metrics(impressions=10_000, likes=500, comments=20, shares=10, saves=30)
        value = ic.DEFAULT_RATE_CARD.value(metrics, Platform.INSTAGRAM, ContentFormat.POST)
        assert value.value == ic.Money.of("180", "USD")
        assert value.breakdown[E.IMPRESSIONS] == ic.Money.of("80", "USD")
        assert value.missing == (E.LINK_CLICKS,)
        assert "link_clicks" in value.reason
        assert value.card == "influcampaign default v1"
        assert "2026" in ic.DEFAULT_RATE_CARD.source

    def test_video_formats_are_valued_on_views_not_impressions(self) -> None:
        """A TikTok video's 100,000 views at a 10 USD CPM are worth 1,000 USD, and its
        impressions count for nothing, so attention is not counted twice."""
        metrics = Metrics(impressions=100_000, views=100_000)
        value = ic.DEFAULT_RATE_CARD.value(metrics, Platform.TIKTOK, ContentFormat.SHORT)
        assert value.breakdown == {E.VIEWS: ic.Money.of(1000, "USD")}

    def test_the_most_specific_rate_applies(self) -> None:
        rates = [
            ic.EmvRate(E.LIKES, "0.10"),
            ic.EmvRate(E.LIKES, "0.20", format="reel"),
            ic.EmvRate(E.LIKES, "0.30", platform="tiktok"),
            ic.EmvRate(E.LIKES, "0.40", platform="tiktok", format="reel"),
        ]
        c = ic.RateCard("c", 1, "EUR", dt.date(2026, 1, 1), rates, "test")
        assert c.rate_for(E.LIKES, Platform.INSTAGRAM, ContentFormat.POST).value == Decimal("0.10")  # type: ignore[union-attr]
        assert c.rate_for(E.LIKES, Platform.INSTAGRAM, ContentFormat.REEL).value == Decimal("0.20")  # type: ignore[union-attr]
        assert c.rate_for(E.LIKES, Platform.TIKTOK, ContentFormat.POST).value == Decimal("0.30")  # type: ignore[union-attr]
        assert c.rate_for(E.LIKES, Platform.TIKTOK, ContentFormat.REEL).value == Decimal("0.40")  # type: ignore[union-attr]

    def test_unknown_emv_says_why(self) -> None:
        no_metrics = ic.DEFAULT_RATE_CARD.value(None, Platform.INSTAGRAM, ContentFormat.POST)
        assert no_metrics.value is None
        assert no_metrics.reason == "no metrics recorded"
        nothing_valued = ic.DEFAULT_RATE_CARD.value(
            Metrics(reach=10), Platform.INSTAGRAM, ContentFormat.POST
        )
        assert nothing_valued.value is None
        assert "none of the metrics" in nothing_valued.reason

    @pytest.mark.parametrize(
        ("build", "field"),
        [
            (lambda: ic.EmvRate(E.LIKES, "-0.1"), "value"),
            (lambda: ic.EmvRate(E.LIKES, 0.1), "value"),
            (lambda: ic.EmvRate(E.LIKES, "1", per=100), "per"),
            (lambda: ic.EmvRate("hugs", "1"), "action"),
            (lambda: card(0, "0.1", dt.date(2026, 1, 1)), "version"),
            (lambda: card(1, "0.1", dt.date(2026, 2, 1), dt.date(2026, 1, 1)), "valid_until"),
            (
                lambda: ic.RateCard(
                    "c",
                    1,
                    "EUR",
                    dt.date(2026, 1, 1),
                    [ic.EmvRate(E.LIKES, "1"), ic.EmvRate(E.LIKES, "2")],
                    "x",
                ),
                "rates",
            ),
            (
                lambda: ic.RateCardBook(
                    (card(1, "0.1", dt.date(2026, 1, 1)), card(2, "0.2", dt.date(2026, 3, 1)))
                ),
                "valid_from",
            ),
            (
                lambda: ic.RateCardBook(
                    (
                        card(1, "0.1", dt.date(2026, 1, 1), dt.date(2026, 4, 1)),
                        card(2, "0.2", dt.date(2026, 3, 1)),
                    )
                ),
                "valid_from",
            ),
            (
                lambda: ic.RateCardBook(
                    (
                        card(2, "0.1", dt.date(2026, 1, 1), dt.date(2026, 3, 1)),
                        card(1, "0.2", dt.date(2026, 3, 1)),
                    )
                ),
                "version",
            ),
        ],
    )
    def test_bad_cards_are_refused(self, build: Callable[[], Any], field: str) -> None:
        """Negative or float values, overlapping periods and bad versions name the field."""
        with pytest.raises(ic.ValidationError) as e:
            build()
        assert e.value.field == field

    def test_a_brand_defines_versions_and_overlaps_change_nothing(self, mws: ic.Workspace) -> None:
        mws.rate_cards.define(
            MANAGER, "acme", card(1, "0.10", dt.date(2026, 3, 1), dt.date(2026, 4, 1))
        )
        mws.rate_cards.define(MANAGER, "acme", card(2, "0.20", dt.date(2026, 4, 1)))
        with pytest.raises(ic.ValidationError, match="overlap"):
            mws.rate_cards.define(MANAGER, "acme", card(3, "0.30", dt.date(2026, 5, 1)))
        book = mws.rate_cards.book(MANAGER, "acme", "acme")
        assert [c.version for c in book.cards] == [1, 2]
        assert mws.rate_cards.names(MANAGER, "acme") == ["acme"]
        with pytest.raises(ic.PermissionDenied):
            mws.rate_cards.define(ANALYST, "acme", card(3, "0.30", dt.date(2027, 5, 1)))

    def test_a_card_that_changes_mid_campaign(self, mws: ic.Workspace) -> None:
        """Contents are valued by the version in force at their publication date: 500 likes
        on 20 March at 0.10 and 500 likes on 5 April at 0.20 are 50 + 100 = 150 EUR."""
        mws.rate_cards.define(
            MANAGER, "acme", card(1, "0.10", dt.date(2026, 3, 1), dt.date(2026, 4, 1))
        )
        mws.rate_cards.define(MANAGER, "acme", card(2, "0.20", dt.date(2026, 4, 1)))
        cmp = campaign(mws, policies=ic.CampaignPolicies(emv=ic.EmvPolicy("acme")))
        p = join(mws, cmp, "Lea")
        publish(mws, p, at(20), {"likes": 500})
        publish(mws, p, at(5, 4), {"likes": 500})
        report = mws.reports.campaign(MANAGER, cmp.id, draws=100)
        assert [c.emv for c in report.emv.contents] == [
            ic.Money.of(50, "EUR"),
            ic.Money.of(100, "EUR"),
        ]
        assert [c.card for c in report.emv.contents] == ["acme v1", "acme v2"]
        assert report.emv.cards == ("acme v1", "acme v2")
        assert report.emv.total == ic.Money.of(150, "EUR")

    def test_emv_is_converted_at_the_publication_date(self, mws: ic.Workspace) -> None:
        """180 USD under a USD card at 0.9 EUR per USD is 162 EUR; without the rate the EMV
        is None with the reason, and the report is still produced."""
        cmp = campaign(mws, policies=usd_card(mws))
        p = join(mws, cmp, "Lea")
        publish(
            mws,
            p,
            at(20),
            {"impressions": 10_000, "likes": 500, "comments": 20, "shares": 10, "saves": 30},
        )
        report = mws.reports.campaign(MANAGER, cmp.id, draws=100)
        assert report.emv.total == ic.Money.of(162, "EUR")
        bare = ic.Workspace(mws.store, mws.clock, ids=mws.ids)
        unconverted = bare.reports.campaign(MANAGER, cmp.id, draws=100)
        assert unconverted.emv.total is None
        (content,) = unconverted.emv.contents
        assert content.emv is None
        assert content.reason.startswith("USD cannot be converted: no exchange rate to EUR")
        line = unconverted.roi_per_creator[p.creator_id]
        assert line.emv is None
        assert line.roi_emv is None

    def test_a_eur_campaign_without_rates_uses_the_default_eur_card(self, ws: ic.Workspace) -> None:
        """A EUR campaign on a workspace without rates is valued by the shipped EUR card:
        180 USD of the USD card at its recorded 0.92 is 165.60 EUR, no rate needed."""
        cmp = campaign(ws)
        p = join(ws, cmp, "Lea")
        publish(
            ws,
            p,
            at(20),
            {"impressions": 10_000, "likes": 500, "comments": 20, "shares": 10, "saves": 30},
        )
        report = ws.reports.campaign(MANAGER, cmp.id, draws=100)
        assert report.emv.total == ic.Money.of("165.60", "EUR")
        assert report.emv.cards == ("influcampaign default EUR v1",)
        assert ws.reports.segments(MANAGER, [cmp.id])

    def test_default_cards_ship_in_usd_eur_and_gbp(self) -> None:
        """The EUR and GBP default cards are the USD card converted once at the rate their
        source records; every other currency falls back to the USD card."""
        from influcampaign.domain.emv import DEFAULT_CARD_RATES, default_rate_card

        assert set(ic.DEFAULT_RATE_CARDS) >= {"USD", "EUR", "GBP"}
        usd = ic.DEFAULT_RATE_CARD
        for currency, rate in DEFAULT_CARD_RATES.items():
            converted = ic.DEFAULT_RATE_CARDS[currency]
            assert converted.currency == currency
            assert default_rate_card(currency) == converted
            assert f"1 USD = {rate} {currency}" in converted.source
            assert [r.value for r in converted.rates] == [r.value * rate for r in usd.rates]
        assert default_rate_card("JPY") is usd

    def test_a_forecast_without_a_rate_has_an_unknown_emv(self, ws: ic.Workspace) -> None:
        """A deliverable valued by a card in another currency without a rate forecasts its
        reach but not its EMV: None with the reason, for it, its creator and the total."""
        cmp = campaign(ws, policies=usd_card(ws))
        p = join(ws, cmp, "Lea")
        ws.deliverables.plan(MANAGER, p.id, platform="instagram", format="reel", quantity=2)
        forecast = ws.reports.campaign(MANAGER, cmp.id, draws=50).forecast
        assert forecast.total.emv is None
        assert forecast.total.roi is None
        assert forecast.per_creator[p.creator_id].emv is None
        assert "no exchange rate to EUR" in forecast.total.notes["emv"]
        assert forecast.total.reach.p50 > 0
        assert all(c.figure != "emv" for c in forecast.checks)


metric_values = st.one_of(st.none(), st.integers(0, 10**9))
metrics_strategy = st.one_of(
    st.none(), st.builds(Metrics, **{a.value: metric_values for a in ACTIONS})
)
formats = st.sampled_from(list(ContentFormat))
platforms = st.sampled_from([Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE, Platform.X])


class TestEmvProperties:
    @given(st.lists(st.tuples(metrics_strategy, platforms, formats), max_size=30))
    def test_bulk_emv_equals_the_per_content_rule(self, contents: list[Any]) -> None:
        """The numpy path gives each content exactly the card's value, and the same missing
        actions."""
        card = ic.DEFAULT_RATE_CARD
        tables: list[Any] = []
        index: dict[Any, int] = {}
        rows = []
        for _m, p, f in contents:
            if (p, f) not in index:
                index[(p, f)] = len(tables)
                tables.append(card.unit_values(p, f))
            rows.append(index[(p, f)])
        bulk = bulk_emv(
            metrics_matrix([m for m, _, _ in contents]), np.array(rows, dtype=np.intp), tables
        )
        for i, (m, p, f) in enumerate(contents):
            expected = card.value(m, p, f)
            assert bulk.exact(i) == (None if expected.value is None else expected.value.amount)
            if m is not None:
                assert bulk.missing_actions(i) == expected.missing

    @given(st.lists(st.tuples(metrics_strategy, formats), max_size=20), st.data())
    def test_emv_is_additive_over_contents(self, contents: list[Any], data: st.DataObject) -> None:
        """The EMV of all contents is the sum of the EMV of any split of them."""
        subs = [
            Submission(
                id=f"s{i}",
                participation_id="p",
                campaign_id="c",
                brand_id="b",
                creator_id=f"cr{i % 3}",
                url=f"https://x.com/{i}",
                platform="instagram",
                format=f,
                published_at=pendulum.datetime(2026, 3, 1 + i % 20, tz="UTC"),
                submitted_at=pendulum.datetime(2026, 3, 1 + i % 20, tz="UTC"),
                metrics_history=() if m is None else (ic.MetricsSnapshot(at(1), m),),
            )
            for i, (m, f) in enumerate(contents)
        ]
        book = ic.RateCardBook(ic.DEFAULT_RATE_CARD)
        cut = data.draw(st.integers(0, len(subs)))
        whole = emv_of(subs, book, "USD", RATES_FN)
        parts = [
            emv_of(subs[:cut], book, "USD", RATES_FN),
            emv_of(subs[cut:], book, "USD", RATES_FN),
        ]
        known = [p.total for p in parts if p.total is not None]
        assert whole.total == (ic.Money.sum(known, "USD") if known else None)
        per_content = [c.emv for c in whole.contents if c.emv is not None]
        assert whole.total == (ic.Money.sum(per_content, "USD") if per_content else None)


def RATES_FN(base: str, quote: str, day: dt.date) -> Decimal:  # noqa: N802 - a constant function
    found = RATES.rate(base, quote, day)
    assert found is not None
    return found.value


# -- costs and budget --------------------------------------------------------------------


class TestCosts:
    def test_planned_committed_paid(self, mws: ic.Workspace) -> None:
        """Planned counts every cost not cancelled, committed those agreed or paid, paid
        what was paid; a shipping cost in USD is converted at its day's rate."""
        cmp = campaign(mws)
        p = join(mws, cmp, "Lea")
        fee = mws.costs.plan(MANAGER, cmp.id, "fee", ic.Money.of(300, "EUR"), participation_id=p.id)
        ship = mws.costs.plan(
            MANAGER,
            cmp.id,
            "shipping",
            ic.Money.of(20, "USD"),
            participation_id=p.id,
            due_on=dt.date(2026, 3, 10),
        )
        agency = mws.costs.plan(MANAGER, cmp.id, "agency", ic.Money.of(500, "EUR"))
        gift = mws.costs.plan(
            MANAGER, cmp.id, "gift", ic.Money.of(40, "EUR"), participation_id=p.id
        )
        mws.costs.commit(MANAGER, fee.id)
        mws.costs.pay(MANAGER, ship.id, reference="TR-1")
        mws.costs.commit(MANAGER, agency.id)
        mws.costs.cancel(MANAGER, gift.id, reason="out of stock")
        budget = mws.costs.budget(MANAGER, cmp.id)
        lea = budget.per_creator[p.creator_id]
        assert lea.planned == ic.Money.of(318, "EUR")  # 300 + 20 USD * 0.9
        assert lea.committed == ic.Money.of(318, "EUR")
        assert lea.paid == ic.Money.of(18, "EUR")
        assert lea.to_pay == ic.Money.of(300, "EUR")
        assert budget.campaign_wide.committed == ic.Money.of(500, "EUR")
        assert budget.total.planned == ic.Money.of(818, "EUR")
        assert budget.per_kind[ic.CostKind.SHIPPING].paid == ic.Money.of(18, "EUR")
        assert ic.CostKind.GIFT not in budget.per_kind
        assert [r["scope"] for r in budget.records()] == ["creator", "campaign", "total"]

    def test_costs_in_two_currencies_without_rates(self, ws: ic.Workspace) -> None:
        """Without a rate the budget is refused with the currency named; nothing changed."""
        cmp = campaign(ws)
        ws.costs.plan(
            MANAGER, cmp.id, "shipping", ic.Money.of(20, "USD"), due_on=dt.date(2026, 3, 2)
        )
        with pytest.raises(ic.ValidationError) as e:
            ws.costs.budget(MANAGER, cmp.id)
        assert e.value.field == "currency"
        assert e.value.value == "USD"
        assert len(ws.costs.list(MANAGER, cmp.id)) == 1

    def test_a_fee_paid_by_validated_compliance(self, mws: ic.Workspace) -> None:
        """A 100 EUR fee tied to compliance waits for a validation, then is paid at the mean
        validated percentage: 80 % and 95 % give 87.5 %, rounded half to even to 88 %, so
        88 EUR."""
        cmp = campaign(mws)
        p = join(mws, cmp, "Lea")
        (fee,) = mws.costs.plan_compensation(MANAGER, cmp.id, fee_by_compliance=True)
        assert mws.costs.plan_compensation(MANAGER, cmp.id) == []  # once
        with pytest.raises(ic.ValidationError, match="validate the creator's content first"):
            mws.costs.pay(MANAGER, fee.id)
        assert mws.costs.get(MANAGER, fee.id).status is ic.CostStatus.PLANNED
        publish(mws, p, at(10), {"likes": 10}, compliance=80)
        publish(mws, p, at(11), {"likes": 10}, compliance=95)
        paid = mws.costs.pay(MANAGER, fee.id, reference="SEPA-42")
        assert paid.compliance == 88
        assert paid.paid == ic.Money.of(88, "EUR")
        assert paid.status is ic.CostStatus.PAID
        assert mws.costs.budget(MANAGER, cmp.id).total.paid == ic.Money.of(88, "EUR")

    def test_bad_costs_change_nothing(self, mws: ic.Workspace) -> None:
        cmp = campaign(mws)
        with pytest.raises(ic.ValidationError) as e:
            mws.costs.plan(MANAGER, cmp.id, "fee", ic.Money.of(-5, "EUR"))
        assert e.value.field == "amount"
        with pytest.raises(ic.ValidationError) as e:
            mws.costs.plan(MANAGER, cmp.id, "bribe", ic.Money.of(5, "EUR"))
        assert e.value.field == "kind"
        with pytest.raises(ic.ValidationError, match="only a creator's cost"):
            mws.costs.plan(MANAGER, cmp.id, "fee", ic.Money.of(5, "EUR"), pay_by_compliance=True)
        assert mws.costs.list(MANAGER, cmp.id) == []
        cost = mws.costs.plan(MANAGER, cmp.id, "agency", ic.Money.of(5, "EUR"))
        mws.costs.pay(MANAGER, cost.id)
        with pytest.raises(ic.InvalidTransition):
            mws.costs.cancel(MANAGER, cost.id, reason="too late")
        with pytest.raises(ic.ValidationError):
            mws.costs.cancel(MANAGER, cost.id, reason=" ")

    def test_who_reads_costs(self, mws: ic.Workspace) -> None:
        """Analysts read costs; viewers do not; a creator reads only its own."""
        cmp = campaign(mws)
        lea, tom = join(mws, cmp, "Lea"), join(mws, cmp, "Tom")
        mws.costs.plan_compensation(MANAGER, cmp.id)
        assert len(mws.costs.list(ANALYST, cmp.id)) == 2
        with pytest.raises(ic.PermissionDenied):
            mws.costs.list(VIEWER, cmp.id)
        with pytest.raises(ic.PermissionDenied):
            mws.reports.campaign(VIEWER, cmp.id)
        own = mws.costs.list(ic.CreatorUser(lea.creator_id), cmp.id)
        assert [c.creator_id for c in own] == [lea.creator_id]
        assert tom.creator_id not in {c.creator_id for c in own}


# -- ROI ---------------------------------------------------------------------------------


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
        cmp = campaign(
            mws,
            compensation=ic.Compensation(fee=ic.Money.of(100, "EUR")),
            policies=usd_card(mws),
        )
        lea, tom = join(mws, cmp, "Lea"), join(mws, cmp, "Tom", followers=5_000, themes=())
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
        assert segments[("compensation", "fee")].count == 2
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
        cmp = campaign(ws)
        lea, tom = join(ws, cmp, "Lea"), join(ws, cmp, "Tom")
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
        first = campaign_report(*inputs, RATES_FN, currency="EUR", draws=50)
        shuffled = list(inputs)
        for i in (2, 3, 4):
            items = list(shuffled[i])
            rnd.shuffle(items)
            shuffled[i] = items
        creators = list(shuffled[1].items())
        rnd.shuffle(creators)
        shuffled[1] = dict(creators)
        second = campaign_report(*shuffled, RATES_FN, currency="EUR", draws=50)
        assert first.records("roi") == second.records("roi")
        assert first.records("segments") == second.records("segments")
        assert first.records("budget") == second.records("budget")
        assert first.records("forecast") == second.records("forecast")

    def test_the_inputs_record_and_the_parameters_give_the_same_report(self) -> None:
        """``report_of(ReportInputs(...))`` is ``campaign_report(...)`` with the same values."""
        campaign, creators, costs, deliverables, submissions, book, sales = _report_inputs()
        loaded = (campaign, creators, costs, deliverables, submissions, book, sales, RATES_FN)
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


def _report_inputs() -> tuple[Any, ...]:
    ws = ic.Workspace(ic.MemoryStore(), ic.FrozenClock(at(1)), ids=ic.SequentialIds(), rates=RATES)
    cmp = campaign(ws)
    people = [
        join(ws, cmp, n, followers=f) for n, f in (("Ana", 3_000), ("Ben", 40_000), ("Cy", 200_000))
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
    return (
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


# -- forecasts ---------------------------------------------------------------------------


def item(key: str, creator: str, **more: Any) -> ic.ForecastInput:
    values = {
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
        assert line.emv.p10 == line.emv.p90 == Decimal("128.00")
        assert line.roi == ic.Estimate(Decimal(1), Decimal(1), Decimal(1))

    def test_videos_use_average_views_and_quantity(self) -> None:
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
            for est in (line.reach, line.impressions, line.engagements, line.emv):
                assert est.p10 <= est.p50 <= est.p90
        again = forecast_of(list(reversed(items)), "USD", draws=200, seed=seed)
        assert first.records() == again.records()

    def test_campaign_quantiles_come_from_summed_draws(self) -> None:
        """The campaign's P90 is below the sum of its deliverables' P90 (they do not all do
        well in the same draw)."""
        from influcampaign.analytics.report import forecast_of

        items = [item(f"d{i}", f"c{i}") for i in range(20)]
        report = forecast_of(items, "USD", draws=2_000, seed=7)
        summed = sum(line.emv.p90 for line in report.per_deliverable.values())
        assert report.total.emv.p90 < summed
        assert report.total.emv.p10 > sum(line.emv.p10 for line in report.per_deliverable.values())

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
        cmp = campaign(mws)
        lea, tom = join(mws, cmp, "Lea", followers=10_000, rate=0.05), join(mws, cmp, "Tom")
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


# -- frames and storage ------------------------------------------------------------------


class TestFrames:
    def test_pandas_and_polars_keep_exact_decimals(self) -> None:
        inputs = _report_inputs()
        report = campaign_report(*inputs, RATES_FN, currency="EUR", draws=20)
        pdf = report.frame("roi")
        assert isinstance(pdf["cost"].iloc[0], Decimal)
        assert pdf["cost"].sum() == sum(r["cost"] for r in report.records("roi"))
        plf = report.frame("emv", library="polars")
        assert str(plf.schema["emv"]).startswith("Decimal")
        assert plf["emv"].to_list() == [r["emv"] for r in report.records("emv")]
        with pytest.raises(ic.ValidationError):
            report.frame("roi", library="excel")


def test_budget_line_addition_and_basis() -> None:
    line = BudgetLine("EUR", ic.Money.of(3, "EUR"), ic.Money.of(2, "EUR"), ic.Money.of(1, "EUR"))
    assert (line + line).cost(ic.CostBasis.PAID) == ic.Money.of(2, "EUR")
    assert budget_of([], "EUR", RATES_FN).total == BudgetLine.zero("EUR")


def test_a_version_4_database_upgrades_with_the_money_tables(tmp_path: object) -> None:
    """A v4 database (before costs and rate cards) upgrades; its campaigns take the default
    EMV policy, and costs and cards can be written."""

    source = ic.Workspace(ic.MemoryStore(), ic.FrozenClock(at(1)))
    made = campaign(source)
    doc = ic.make_converter().unstructure(source.campaigns.get(MANAGER, made.id))
    del doc["policies"]["emv"]
    url = f"sqlite:///{tmp_path}/v4.sqlite"
    ws = ic.Workspace(upgrade_old_database(url, 4, doc), ic.FrozenClock(at(1)))
    assert ws.campaigns.get(MANAGER, made.id).policies.emv == ic.EmvPolicy()
    ws.costs.plan(MANAGER, made.id, "agency", ic.Money.of(10, "EUR"))
    ws.rate_cards.define(MANAGER, "acme", card(1, "0.1", dt.date(2026, 1, 1)))
    assert ws.costs.budget(MANAGER, made.id).total.planned == ic.Money.of(10, "EUR")
    ws.close()


def test_costs_cards_and_events_round_trip_through_json() -> None:
    """The new stored types and events survive the project converter unchanged."""
    import json

    from influcampaign.domain.emv import BrandRateCard
    from influcampaign.domain.events import CostPaid
    from influcampaign.serialization import from_json, to_json

    cost = ic.Cost(
        "cost_1",
        "cmp_1",
        "acme",
        "fee",
        ic.Money.of("100.00", "EUR"),
        participation_id="par_1",
        creator_id="cre_1",
        due_on=dt.date(2026, 3, 1),
        pay_by_compliance=True,
        status="paid",
        paid=ic.Money.of("88.00", "EUR"),
        compliance=88,
        paid_at=at(2),
        reference="SEPA-1",
    )
    stored = BrandRateCard("emv_1", "acme", ic.DEFAULT_RATE_CARD, created_at=at(1))
    event = CostPaid(
        occurred_at=at(2),
        cost_id="cost_1",
        campaign_id="cmp_1",
        participation_id="par_1",
        creator_id="cre_1",
        amount=ic.Money.of("88.00", "EUR"),
        compliance=88,
        reference="",
    )
    for value, type_ in ((cost, ic.Cost), (stored, BrandRateCard), (event, CostPaid)):
        assert from_json(json.loads(json.dumps(to_json(value))), type_) == value
