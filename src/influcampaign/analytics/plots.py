"""Plots as PNG bytes, for notebooks and reports (the ``plot`` extra: matplotlib).

Each plot is meant to be read by someone who did not write it, at 5 creators and at 100:
creators by name, plain titles and axis labels, units on the axes (followers as ``12k``,
shares as ``%``, money with its currency), bars sorted, a log scale where sizes span
decades, and any value not drawn said in the figure rather than dropped silently.

Figures are drawn with matplotlib's non-interactive Agg canvas, so nothing touches a
display or the global pyplot state.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from influcampaign.analytics.overlap import OverlapReport
from influcampaign.errors import ValidationError

if TYPE_CHECKING:
    from influcampaign.analytics.report import CampaignReport
    from influcampaign.domain.orders import Order
    from influcampaign.services.sales import SalesReport

__all__ = [
    "ANNOTATE_UP_TO",
    "forecast_fan",
    "overlap_heatmap",
    "reach_bar_chart",
    "roi_scatter",
    "sales_over_time",
    "segment_chart",
    "similarity_order",
]

ANNOTATE_UP_TO = 20
"""Heat maps write each cell's value up to this many creators; beyond, the colour bar reads
the values and the figure says so."""

_TITLES = {
    "share_of_a": "Share of the row creator's followers who also follow the column creator",
    "share_of_b": "Share of the column creator's followers who also follow the row creator",
    "share_of_smaller": "Share of the smaller audience followed by both creators",
    "jaccard": "Followers in common, as a share of both audiences together (Jaccard)",
    "shared": "Followers who follow both creators",
}


def _figure(width: float, height: float) -> Any:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as e:  # pragma: no cover - the extra is installed in tests
        raise ImportError("plots need the 'plot' extra: pip install influcampaign[plot]") from e
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _count(value: float, _position: Any = None) -> str:
    """12, 3.4k, 12k, 1.2M: follower counts as people read them."""
    for size, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            shown = value / size
            text = f"{shown:.1f}" if shown < 10 else f"{shown:.0f}"
            return text.removesuffix(".0") + suffix
    return f"{value:.0f}"


def _money_formatter() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: _count(v))


def _label_size(count: int) -> float:
    """Points: 10 for a few labels, down to 6.5 (still legible) for a hundred."""
    return max(6.5, min(10.0, 260 / max(count, 1)))


def similarity_order(matrix: npt.NDArray[np.float64]) -> list[int]:
    """An order of the rows that puts similar creators side by side: the spectral order
    (the Fiedler vector of the similarity graph), ties broken by position."""
    k = matrix.shape[0]
    if k < 3:
        return list(range(k))
    weights = np.nan_to_num((matrix + matrix.T) / 2)
    np.fill_diagonal(weights, 0)
    laplacian = np.diag(weights.sum(axis=1)) - weights
    _, vectors = np.linalg.eigh(laplacian)
    fiedler = vectors[:, 1]
    if fiedler[np.argmax(np.abs(fiedler))] < 0:  # a stable sign, so the order is stable
        fiedler = -fiedler
    return [int(i) for i in np.lexsort((np.arange(k), np.round(fiedler, 12)))]


def overlap_heatmap(
    report: OverlapReport,
    *,
    figure: str = "share_of_a",
    names: Mapping[str, str] | None = None,
    order: str = "similarity",
) -> bytes:
    """A K x K heat map of a pair figure (by default: the share of the row creator's
    followers who also follow the column creator), as PNG.

    Creators are labelled by name (``names``, else the report's), ordered by ``similarity``
    (or ``"report"`` order); the diagonal (a creator with itself) is masked and the colour
    scale runs over the other cells only. Values are written in the cells up to
    :data:`ANNOTATE_UP_TO` creators; beyond, the figure says to read the colour bar.
    """
    if figure not in _TITLES:
        raise ValidationError("figure", figure, f"is not one of {', '.join(_TITLES)}")
    if order not in ("similarity", "report"):
        raise ValidationError("order", order, "must be 'similarity' or 'report'")
    ids = list(report.creator_ids)
    k = len(ids)
    if k == 0:
        raise ValidationError("report", k, "a heat map needs at least one creator")
    matrix = report.matrix(figure)
    rank = similarity_order(report.matrix("jaccard")) if order == "similarity" else list(range(k))
    matrix = matrix[np.ix_(rank, rank)]
    labels = [(names or {}).get(ids[i], report.name(ids[i])) for i in rank]
    masked = np.ma.masked_invalid(np.where(np.eye(k, dtype=bool), np.nan, matrix))
    is_share = figure != "shared"
    top = float(masked.max()) if masked.count() else 1.0
    top = top if top > 0 else 1.0

    side = min(30.0, max(4.5, 0.26 * k + 3))  # about a quarter inch per creator
    fig = _figure(side + 1.6, side)
    ax = fig.add_subplot()
    from matplotlib import colormaps
    from matplotlib.ticker import FuncFormatter, PercentFormatter

    cmap = colormaps["viridis"].with_extremes(bad="#d9d9d9")
    image = ax.imshow(masked, cmap=cmap, vmin=0, vmax=top, interpolation="nearest")
    size = _label_size(k)
    ax.set_xticks(range(k), labels=labels, rotation=90, fontsize=size)
    ax.set_yticks(range(k), labels=labels, fontsize=size)
    ax.tick_params(length=0)
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    if is_share:
        bar.formatter = PercentFormatter(1.0, decimals=0)
        bar.set_label("share of followers")
    else:
        bar.formatter = FuncFormatter(_count)
        bar.set_label("followers")
    bar.update_ticks()
    subtitle = "grey diagonal: a creator with itself"
    if k <= ANNOTATE_UP_TO:
        for i in range(k):
            for j in range(k):
                if i == j or np.ma.is_masked(masked[i, j]):
                    continue
                value = float(masked[i, j])
                text = f"{value:.0%}" if is_share else _count(value)
                colour = "black" if value / top > 0.6 else "white"
                ax.text(j, i, text, ha="center", va="center", color=colour, fontsize=size * 0.8)
    else:
        subtitle += f"; {k} creators: read the values on the colour bar (cells are not labelled)"
    if report.engine != "exact":
        subtitle += f"; estimated ({report.engine})"
    ax.set_title(f"{_TITLES[figure]}\n{subtitle}", fontsize=10 if k <= 30 else 14)
    return _png(fig)


def reach_bar_chart(
    report: OverlapReport, *, names: Mapping[str, str] | None = None, log: bool | None = None
) -> bytes:
    """Each creator's followers, largest first, with the part that follows no other creator
    of the selection, as PNG. The follower axis is logarithmic when sizes span more than
    two decades (``log`` forces it on or off)."""
    rows = sorted(report.creators, key=lambda c: (-c.followers.value, c.creator_id))
    if not rows:
        raise ValidationError("report", 0, "a bar chart needs at least one creator")
    labels = [(names or {}).get(c.creator_id, report.name(c.creator_id)) for c in rows]
    total = np.array([c.followers.value for c in rows], dtype=float)
    exclusive = np.array([c.exclusive.value for c in rows], dtype=float)
    positive = total[total > 0]
    spread = positive.max() / positive.min() if positive.size else 1.0
    use_log = spread > 100 if log is None else log
    k = len(rows)
    fig = _figure(8, min(30.0, max(3.0, 0.2 * k + 1.5)))
    ax = fig.add_subplot()
    positions = np.arange(k)
    if use_log:
        # On a log axis a bar's length from the edge means nothing: the followers who follow
        # only this creator are a marker on the same axis, not a stacked part.
        ax.barh(positions, total, color="#9ecae1", label="all followers")
        shown = exclusive > 0
        ax.scatter(
            exclusive[shown],
            positions[shown],
            marker="D",
            s=14,
            color="#08519c",
            label="followers who follow no other creator",
            zorder=3,
        )
    else:
        ax.barh(positions, total, color="#9ecae1", label="also follow another creator")
        ax.barh(positions, exclusive, color="#08519c", label="follow only this creator")
    ax.set_yticks(positions, labels=labels, fontsize=_label_size(k))
    ax.set_ylim(k - 0.5, -0.5)  # the largest at the top, no empty band
    from matplotlib.ticker import FuncFormatter

    if use_log:
        ax.set_xscale("log")
        ax.set_xlim(left=max(1.0, float(positive.min()) / 2) if positive.size else 1.0)
    ax.xaxis.set_major_formatter(FuncFormatter(_count))
    scale = " (log scale)" if use_log else ""
    ax.set_xlabel(f"followers{scale}")
    ax.set_title(
        f"Followers per creator, largest first — {_count(report.distinct_reach.value)} "
        f"distinct people in all",
        fontsize=10,
    )
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


def _percent(value: Any) -> float | None:
    return None if value is None else float(value) * 100


def roi_scatter(report: CampaignReport, *, names: Mapping[str, str] | None = None) -> bytes:
    """Per creator: return on cost by media value (EMV) against return by sales, as PNG.
    Above the diagonal, a creator's media value paid off better than its sales; creators
    without one of the two figures are listed under the plot, not dropped silently."""
    points: list[tuple[str, float, float]] = []
    missing: list[str] = []
    for creator_id, line in report.roi_per_creator.items():
        name = (names or {}).get(creator_id, creator_id)
        by_emv, by_sales = _percent(line.roi_emv), _percent(line.roi_sales)
        if by_emv is None or by_sales is None:
            missing.append(name)
        else:
            points.append((name, by_sales, by_emv))
    fig = _figure(7.5, 6.5)
    ax = fig.add_subplot()
    from matplotlib.ticker import PercentFormatter

    if points:
        xs = [p[1] for p in points]
        ys = [p[2] for p in points]
        ax.scatter(xs, ys, color="#3182bd", alpha=0.8)
        low, high = min(min(xs), min(ys), -100), max(max(xs), max(ys), 0)
        ax.plot([low, high], [low, high], color="grey", linewidth=0.8, linestyle="--")
        ax.axhline(0, color="black", linewidth=0.6)
        ax.axvline(0, color="black", linewidth=0.6)
        # Up to 30 creators all are named; beyond, the eight furthest from the origin.
        named = (
            points
            if len(points) <= 30
            else sorted(points, key=lambda p: -(p[1] ** 2 + p[2] ** 2))[:8]
        )
        for name, x, y in named:
            ax.annotate(name, (x, y), fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.xaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    ax.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    ax.set_xlabel("return on cost from sales (net revenue - cost) / cost")
    ax.set_ylabel("return on cost from media value (EMV - cost) / cost")
    title = (
        f"Return on cost per creator ({report.currency}); above the dashed line, "
        "media value paid off more than sales"
    )
    if points and len(points) > 30:
        title += f"\n{len(points)} creators: the 8 furthest from 0 are named"
    if missing:
        shown = ", ".join(missing[:6]) + (
            f" and {len(missing) - 6} more" if len(missing) > 6 else ""
        )
        title += f"\nnot shown (a figure is missing): {shown}"
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    return _png(fig)


def forecast_fan(
    report: CampaignReport, *, figure: str = "impressions", names: Mapping[str, str] | None = None
) -> bytes:
    """The forecast per content (P10-P90 band, median) against what was measured, as PNG,
    sorted by the forecast median; a content without a measure shows its forecast alone."""
    checks = [c for c in report.forecast.checks if c.figure == figure]
    lines = report.forecast.per_deliverable
    if not lines:
        raise ValidationError("report", report.campaign_id, "has no forecast per content")
    actual = {c.key: c.actual for c in checks}

    def estimate(key: str) -> Any:
        return getattr(lines[key], figure)

    keys = sorted(
        (k for k in lines if estimate(k) is not None), key=lambda k: (float(estimate(k).p50), k)
    )
    k = len(keys)
    fig = _figure(max(7.0, min(22.0, 0.25 * k + 4)), 5.5)
    ax = fig.add_subplot()
    xs = np.arange(k)
    p10 = [float(estimate(key).p10) for key in keys]
    p50 = [float(estimate(key).p50) for key in keys]
    p90 = [float(estimate(key).p90) for key in keys]
    ax.fill_between(xs, p10, p90, color="#c6dbef", label="forecast, 80 % of outcomes (P10-P90)")
    ax.plot(xs, p50, color="#2171b5", label="forecast median")
    measured = [(i, float(a)) for i, key in enumerate(keys) if (a := actual.get(key)) is not None]
    if measured:
        ax.scatter(*zip(*measured, strict=True), color="#e6550d", zorder=3, label="measured")
    labels = []
    for key in keys:
        creator = lines[key].creator_id
        labels.append(f"{(names or {}).get(creator or '', creator or '')} {key}".strip())
    ax.set_xticks(xs, labels=labels, rotation=90, fontsize=_label_size(k))
    from matplotlib.ticker import FuncFormatter

    money = figure in ("emv", "roi")
    lows = [v for v in p10 if v > 0]
    log = bool(lows) and max(p90) / max(min(lows), 1.0) > 100  # sizes span decades
    if log:
        ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(_count))
    unit = f" ({report.currency})" if money else ""
    ax.set_ylabel(f"{figure}{unit}{' (log scale)' if log else ''}")
    not_measured = k - len(measured)
    note = f"; {not_measured} not measured yet" if not_measured else ""
    ax.set_title(
        f"Forecast of {figure} per content, against the measure{note}\n"
        f"{report.forecast.draws:,} simulated draws, seed {report.forecast.seed}",
        fontsize=10,
    )
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def segment_chart(report: CampaignReport, *, dimension: str | None = None) -> bytes:
    """Media value per unit of cost by segment (tier, format, platform …), best first, as
    PNG; one panel per dimension. Segments without a figure are named, not dropped."""
    from matplotlib.ticker import FuncFormatter

    lines = [s for s in report.segments if dimension is None or s.dimension == dimension]
    dimensions = sorted({s.dimension for s in lines})
    if not dimensions:
        raise ValidationError("dimension", dimension, "no segment of the report has it")
    heights = [len([s for s in lines if s.dimension == d]) for d in dimensions]
    fig = _figure(8, min(30.0, sum(0.3 * h + 1.2 for h in heights)))
    axes = fig.subplots(len(dimensions), 1, squeeze=False, height_ratios=heights, sharex=True)
    for ax, name in zip(axes[:, 0], dimensions, strict=True):
        rows = [s for s in lines if s.dimension == name]
        known = sorted(
            (s for s in rows if s.emv_per_cost is not None),
            key=lambda s: (-float(s.emv_per_cost or 0), s.value),
        )
        missing = [s.value for s in rows if s.emv_per_cost is None]
        ys = np.arange(len(known))
        ax.barh(ys, [float(s.emv_per_cost or 0) for s in known], color="#31a354")
        ax.set_yticks(ys, labels=[f"{s.value} ({s.count})" for s in known], fontsize=8)
        ax.tick_params(axis="x", labelbottom=True)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}x"))
        ax.invert_yaxis()
        ax.axvline(1, color="grey", linestyle="--", linewidth=0.8)
        ax.set_title(
            f"by {name}" + (f" — no figure: {', '.join(missing)}" if missing else ""), fontsize=9
        )
        ax.grid(axis="x", alpha=0.3)
    axes[-1, 0].set_xlabel(
        f"media value per {report.currency} spent (EMV / cost; the dashed line is break-even)"
    )
    fig.suptitle("Which segments paid off (number of creators in brackets)", fontsize=10)
    return _png(fig)


def sales_over_time(report: SalesReport, orders: Sequence[Order] = ()) -> bytes:
    """Clicks on the campaign's tracked links per day (all and unique visitors) and, given
    the campaign's ``orders`` (``ws.sales.orders(…, campaign_id=…)``), the revenue they
    brought per day, as PNG."""
    days = sorted(report.per_day)
    fig = _figure(9, 4)
    ax = fig.add_subplot()
    revenue: dict[Any, float] = {}
    for order in orders:
        if order.placement is not None and not order.is_cancelled:
            day = order.placement.created_at.date()
            revenue[day] = revenue.get(day, 0.0) + float(order.placement.total.amount)
    if revenue:
        right = ax.twinx()
        spans = sorted(revenue)
        right.plot(
            spans,
            [revenue[d] for d in spans],
            color="#e6550d",
            marker="s",
            markersize=3,
            label=f"revenue ({report.currency})",
        )
        right.set_ylabel(f"revenue per day ({report.currency})")
        right.yaxis.set_major_formatter(_money_formatter())
        right.legend(fontsize=8, loc="upper right")
        right.set_ylim(bottom=0)
    if days:
        clicks = [report.per_day[d].clicks for d in days]
        unique = [report.per_day[d].unique for d in days]
        ax.bar(days, clicks, color="#9ecae1", label="clicks")
        ax.plot(days, unique, color="#08519c", marker="o", markersize=3, label="unique visitors")
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        ax.legend(fontsize=8, loc="upper left")
    else:
        ax.text(0.5, 0.5, "no click yet", ha="center", va="center", transform=ax.transAxes)
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(_count))
    ax.set_ylabel("clicks per day")
    total = report.total
    ax.set_title(
        f"Clicks per day — {total.clicks:,} clicks, {total.orders:,} orders, "
        f"net {total.net.amount if total.net else 0:,} {report.currency}",
        fontsize=10,
    )
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)
