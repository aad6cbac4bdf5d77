"""EMV rate cards and their book (influcampaign.domain.emv)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import influcampaign as ic
from influcampaign.domain.content import ContentFormat, Metrics
from influcampaign.domain.creator import Platform
from tests.conftest import MANAGER
from tests.helpers import ANALYST, at, card, money_join, money_project, publish, usd_card

E = ic.EmvAction


def rate_value(
    card: ic.RateCard, action: ic.EmvAction, platform: Platform, fmt: ContentFormat
) -> Decimal:
    """The value of the card's rate for ``action`` on that platform and format."""
    rate = card.rate_for(action, platform, fmt)
    assert rate is not None, (action, platform, fmt)
    return rate.value


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
        """A rate for the platform and format beats one for the platform, which beats one for the
        format, which beats the generic one."""
        rates = [
            ic.EmvRate(E.LIKES, "0.10"),
            ic.EmvRate(E.LIKES, "0.20", format="reel"),
            ic.EmvRate(E.LIKES, "0.30", platform="tiktok"),
            ic.EmvRate(E.LIKES, "0.40", platform="tiktok", format="reel"),
        ]
        c = ic.RateCard("c", 1, "EUR", dt.date(2026, 1, 1), rates, "test")
        assert rate_value(c, E.LIKES, Platform.INSTAGRAM, ContentFormat.POST) == Decimal("0.10")
        assert rate_value(c, E.LIKES, Platform.INSTAGRAM, ContentFormat.REEL) == Decimal("0.20")
        assert rate_value(c, E.LIKES, Platform.TIKTOK, ContentFormat.POST) == Decimal("0.30")
        assert rate_value(c, E.LIKES, Platform.TIKTOK, ContentFormat.REEL) == Decimal("0.40")

    def test_unknown_emv_says_why(self) -> None:
        """Without metrics, or with none the card values, the EMV is None with the reason."""
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
        """A brand adds card versions with successive validity; an overlapping version or an
        analyst's definition is refused."""
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
        cmp = money_project(mws, policies=ic.CampaignPolicies(emv=ic.EmvPolicy("acme")))
        p = money_join(mws, cmp, "Lea")
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
        cmp = money_project(mws, policies=usd_card(mws))
        p = money_join(mws, cmp, "Lea")
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
        cmp = money_project(ws)
        p = money_join(ws, cmp, "Lea")
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
        cmp = money_project(ws, policies=usd_card(ws))
        p = money_join(ws, cmp, "Lea")
        ws.deliverables.plan(MANAGER, p.id, platform="instagram", format="reel", quantity=2)
        forecast = ws.reports.campaign(MANAGER, cmp.id, draws=50).forecast
        assert forecast.total.emv is None
        assert forecast.total.roi is None
        assert forecast.per_creator[p.creator_id].emv is None
        assert "no exchange rate to EUR" in forecast.total.notes["emv"]
        assert forecast.total.reach.p50 > 0
        assert all(c.figure != "emv" for c in forecast.checks)
