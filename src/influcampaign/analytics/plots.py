"""Overlap plots as PNG bytes, for notebooks and reports (the ``plot`` extra: matplotlib).

Figures are drawn with matplotlib's non-interactive Agg canvas, so nothing touches a
display or the global pyplot state.
"""

from __future__ import annotations

import io
from typing import Any

from influcampaign.analytics.overlap import OverlapReport

__all__ = ["overlap_heatmap", "reach_bar_chart"]


def _figure(width: float, height: float) -> Any:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as e:  # pragma: no cover - the extra is installed in tests
        raise ImportError("plots need the 'plot' extra: pip install influcampaign[plot]") from e
    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def overlap_heatmap(report: OverlapReport, *, figure: str = "share_of_a") -> bytes:
    """A K x K heat map of a pair figure (row creator's share shared with the column creator,
    by default), annotated, as PNG."""
    names = report.creator_ids
    matrix = report.matrix(figure)
    size = max(3.0, 0.5 * len(names) + 2)
    fig = _figure(size + 1, size)
    ax = fig.add_subplot()
    top = max(1.0, float(matrix.max()))
    image = ax.imshow(matrix, cmap="viridis", vmin=0, vmax=top)
    ax.set_xticks(range(len(names)), labels=names, rotation=45, ha="right")
    ax.set_yticks(range(len(names)), labels=names)
    if len(names) <= 15:
        for i in range(len(names)):
            for j in range(len(names)):
                value = matrix[i, j]
                text = f"{value:.0%}" if figure != "shared" else f"{value:,.0f}"
                colour = "k" if value / top > 0.6 else "w"  # readable on yellow and on blue
                ax.text(j, i, text, ha="center", va="center", color=colour, fontsize=7)
    ax.set_title(f"Audience overlap ({figure.replace('_', ' ')}, {report.engine})")
    fig.colorbar(image, ax=ax)
    return _png(fig)


def reach_bar_chart(report: OverlapReport) -> bytes:
    """Each creator's followers split into exclusive and shared with the selection, as PNG."""
    names = report.creator_ids
    exclusive = [c.exclusive.value for c in report.creators]
    shared = [c.followers.value - c.exclusive.value for c in report.creators]
    fig = _figure(max(4.0, 0.6 * len(names) + 2), 4)
    ax = fig.add_subplot()
    ax.bar(names, exclusive, label="exclusive")
    ax.bar(names, shared, bottom=exclusive, label="also follow others")
    ax.set_ylabel("followers")
    ax.set_title(f"Reach by creator (distinct reach {report.distinct_reach})")
    ax.tick_params(axis="x", rotation=45)
    ax.legend()
    return _png(fig)
