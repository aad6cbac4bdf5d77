"""Every plot of analytics/plots.py renders, at a few creators and at a hundred, and keeps its
readability rules: names as labels, the diagonal masked, sorted bars, nothing silently dropped."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest

import influcampaign as ic
from influcampaign.analytics import plots

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
from analyst_data import build

PNG = b"\x89PNG"


def _report(k: int, seed: int = 7) -> ic.OverlapReport:
    """An exact overlap report of ``k`` creators in four audience clusters, with names."""
    rnd = random.Random(seed)
    audiences: dict[str, list[int]] = {}
    for i in range(k):
        size = int(rnd.lognormvariate(7, 1.5)) + 10
        base = (i % 4) * 10**6
        audiences[f"cre_{i:03d}"] = rnd.sample(range(base, base + size * 3), size)
    report = ic.overlap_report(audiences, engine="exact")
    return attrs.evolve(report, names={c: f"Creator {c[-3:]}" for c in audiences})


class TestSimilarityOrder:
    """similarity_order puts creators of one cluster side by side."""

    def test_two_blocks_stay_together(self) -> None:
        """With two disjoint groups shuffled, each group is contiguous in the order."""
        groups = [0, 1, 0, 1, 0, 1]
        m = np.array([[1.0 if a == b else 0.0 for b in groups] for a in groups])
        m += 0.01 * np.eye(6)
        order = plots.similarity_order(m)
        seen = [groups[i] for i in order]
        assert seen in ([0, 0, 0, 1, 1, 1], [1, 1, 1, 0, 0, 0])


class TestOverlapPlots:
    """The heat map and the bar chart at 5 and at 100 creators."""

    @pytest.mark.parametrize("k", [5, 100])
    def test_heatmap_and_bars_render(self, k: int) -> None:
        """Both render as PNG at every size, with every figure the heat map offers."""
        report = _report(k)
        assert plots.overlap_heatmap(report).startswith(PNG)
        assert plots.overlap_heatmap(report, figure="jaccard", order="report").startswith(PNG)
        assert plots.reach_bar_chart(report).startswith(PNG)

    def test_labels_are_names_and_the_diagonal_is_masked(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The heat map draws names, masks the diagonal and scales on the other cells only."""
        drawn: dict[str, Any] = {}
        original = plots._png

        def capture(figure: Any) -> bytes:
            ax = figure.axes[0]
            drawn["labels"] = [t.get_text() for t in ax.get_yticklabels()]
            drawn["image"] = ax.images[0]
            drawn["texts"] = [t.get_text() for t in ax.texts]
            drawn["title"] = ax.get_title()
            return original(figure)

        monkeypatch.setattr(plots, "_png", capture)
        report = _report(5)
        plots.overlap_heatmap(report)
        assert sorted(drawn["labels"]) == sorted(report.names.values())
        data = drawn["image"].get_array()
        assert all(np.ma.is_masked(data[i, i]) for i in range(5))
        off = [float(data[i, j]) for i in range(5) for j in range(5) if i != j]
        assert drawn["image"].get_clim() == (0, max(off))
        assert len(drawn["texts"]) == 20  # every off-diagonal cell is written
        plots.overlap_heatmap(_report(60))
        assert drawn["texts"] == []
        assert "cells are not labelled" in drawn["title"]  # said, not silently dropped

    def test_bars_are_sorted_largest_first(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The bar chart lists creators by followers, largest at the top."""
        drawn: dict[str, Any] = {}
        original = plots._png

        def capture(figure: Any) -> bytes:
            drawn["labels"] = [t.get_text() for t in figure.axes[0].get_yticklabels()]
            return original(figure)

        monkeypatch.setattr(plots, "_png", capture)
        report = _report(12)
        plots.reach_bar_chart(report)
        by_size = sorted(report.creators, key=lambda c: -c.followers.value)
        assert drawn["labels"] == [report.name(c.creator_id) for c in by_size]


@pytest.fixture(scope="module")
def campaign() -> Iterator[dict[str, Any]]:
    """A simulated campaign of 12 creators with content, clicks and orders."""
    made = build(12, seed=11)
    ws, me, cmp = made["ws"], made["me"], made["campaign"]
    made["report"] = ws.reports.campaign(me, cmp.id, draws=500, seed=1)
    made["sales"] = ws.sales.report(me, cmp.id)
    made["orders"] = ws.sales.orders(me, "maison-verte", campaign_id=cmp.id)
    yield made
    ws.close()


class TestCampaignPlots:
    """The plots of a campaign report render."""

    def test_roi_forecast_segments_and_sales(self, campaign: dict[str, Any]) -> None:
        """ROI scatter, forecast fan, segments and sales over time all render as PNG."""
        report = campaign["report"]
        assert plots.roi_scatter(report).startswith(PNG)
        assert plots.forecast_fan(report).startswith(PNG)
        assert plots.forecast_fan(report, figure="emv").startswith(PNG)
        assert plots.segment_chart(report).startswith(PNG)
        assert plots.segment_chart(report, dimension="tier").startswith(PNG)
        assert plots.sales_over_time(campaign["sales"], campaign["orders"]).startswith(PNG)

    def test_bad_arguments_name_the_field(self, campaign: dict[str, Any]) -> None:
        """An unknown figure or dimension is a ValidationError naming it."""
        with pytest.raises(ic.ValidationError, match="dimension"):
            plots.segment_chart(campaign["report"], dimension="zodiac")
        with pytest.raises(ic.ValidationError, match="figure"):
            plots.overlap_heatmap(_report(3), figure="vibes")
