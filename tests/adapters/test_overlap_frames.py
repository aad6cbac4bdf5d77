"""Overlap and reach plans for analysts: tables with names, DataFrames, and plans that cost
each creator what the campaign spends on it (analytics/overlap.py, analytics/planner.py,
services/overlap.py, adapters/frames.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

import influcampaign as ic
from influcampaign.adapters.frames import to_frame
from tests.conftest import MANAGER
from tests.services.test_overlap import TestCampaignOverlap


def _directory(c: dict[str, ic.Creator]) -> ic.AudienceDirectory:
    return ic.AudienceDirectory(
        {
            (c["Léa"].id, "instagram"): range(600),
            (c["Tom"].id, "instagram"): range(400, 900),
            (c["Zoé"].id, "instagram"): range(2_000, 2_100),
        }
    )


class TestPlanCosts:
    """ws.overlap.plan costs each creator what the campaign plans to spend on it."""

    def test_a_creators_own_fee_counts(self, ws: ic.Workspace) -> None:
        """Tom's 300 EUR fee (a planned cost) keeps him out of a 200 EUR plan, where the
        campaign's 100 EUR compensation alone would have picked him (it did before)."""
        campaign, c = TestCampaignOverlap()._campaign(ws)
        tom = ws.participations.list(MANAGER, campaign.id)
        tom_participation = next(p for p in tom if p.creator_id == c["Tom"].id)
        ws.costs.plan(
            MANAGER,
            campaign.id,
            "fee",
            ic.Money.of("300", "EUR"),
            participation_id=tom_participation.id,
        )
        _, plan = ws.overlap.plan(
            MANAGER, campaign.id, _directory(c), budget=ic.Money.of("200", "EUR")
        )
        assert plan.creator_ids == (c["Léa"].id, c["Zoé"].id)
        assert plan.reach == 700
        assert plan.cost == ic.Money.of("200", "EUR")

    def test_cancelled_costs_do_not_count(self, ws: ic.Workspace) -> None:
        """A cancelled fee is not spent: the creator costs the compensation again."""
        campaign, c = TestCampaignOverlap()._campaign(ws)
        p = next(
            p for p in ws.participations.list(MANAGER, campaign.id) if p.creator_id == c["Tom"].id
        )
        fee = ws.costs.plan(
            MANAGER, campaign.id, "fee", ic.Money.of("300", "EUR"), participation_id=p.id
        )
        ws.costs.cancel(MANAGER, fee.id, reason="dropped")
        _, plan = ws.overlap.plan(
            MANAGER, campaign.id, _directory(c), budget=ic.Money.of("200", "EUR")
        )
        assert plan.creator_ids == (c["Léa"].id, c["Tom"].id)


class TestTables:
    """Overlap reports and reach plans as records and DataFrames, with names."""

    def test_overlap_tables_name_the_creators(self, ws: ic.Workspace) -> None:
        """The creators and pairs tables carry display names; pandas and polars agree."""
        campaign, c = TestCampaignOverlap()._campaign(ws)
        report = ws.overlap.for_campaign(MANAGER, campaign.id, _directory(c))
        creators = report.frame("creators")
        assert list(creators["creator"]) == ["Léa", "Tom", "Zoé"]
        assert list(creators["followers"]) == [600, 500, 100]
        pairs = report.frame("pairs", "polars")
        lea_tom = pairs.filter((pairs["creator_a"] == "Léa") & (pairs["creator_b"] == "Tom"))
        assert lea_tom["shared"].to_list() == [200]
        with pytest.raises(ic.ValidationError, match="table"):
            report.records("nope")

    def test_plan_table_with_running_cost(self, ws: ic.Workspace) -> None:
        """One row per step with the reach so far and the running cost; floats on request."""
        campaign, c = TestCampaignOverlap()._campaign(ws)
        report, plan = ws.overlap.plan(
            MANAGER, campaign.id, _directory(c), budget=ic.Money.of("300", "EUR")
        )
        exact = plan.frame(report.names)
        assert list(exact["creator"]) == ["Léa", "Tom", "Zoé"]
        assert list(exact["reach"]) == [600, 900, 1000]
        assert list(exact["cumulative_cost"]) == [
            Decimal("100.00"),
            Decimal("200.00"),
            Decimal("300.00"),
        ]
        numeric = plan.frame(report.names, floats=True)
        assert numeric["cost"].dtype.kind == "f"
        assert numeric.describe().loc["mean", "cost"] == 100.0


class TestFloats:
    """to_frame(floats=True) turns Decimal columns numeric."""

    def test_describe_is_numeric_with_floats(self) -> None:
        """With floats, describe() summarises money columns; without, they stay exact objects."""
        records = [{"cost": Decimal("10.50")}, {"cost": Decimal("20.25")}]
        assert to_frame(records)["cost"].dtype == object
        described = to_frame(records, floats=True).describe()
        assert described.loc["mean", "cost"] == pytest.approx(15.375)
        polars = to_frame(records, "polars", floats=True)
        assert str(polars["cost"].dtype) == "Float64"
