"""Overlap plots (influcampaign.analytics.plots)."""

from __future__ import annotations

import influcampaign as ic
from influcampaign.analytics.plots import overlap_heatmap, reach_bar_chart

PNG = b"\x89PNG\r\n\x1a\n"


class TestPlots:
    def test_png_heat_map_and_bar_chart(self) -> None:
        """Both plots are PNG images."""
        report = ic.overlap_report({"a": [1, 2, 3], "b": [2, 3, 4], "c": [9]})
        assert overlap_heatmap(report).startswith(PNG)
        assert overlap_heatmap(report, figure="shared").startswith(PNG)
        assert reach_bar_chart(report).startswith(PNG)
