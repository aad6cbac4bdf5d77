"""The money report of a large campaign, and its forecast.

A campaign of 2,000 creators (tiers from nano to mega, one to three themes, a third paid)
with 20,000 published contents (posts, reels and stories with realistic metrics, some
missing) and costs of three kinds per creator. The report is ``report_of`` without
its forecast (EMV per content by the default card, budget, ROI per creator and for the
campaign, segments); the forecast is a 10,000-draw simulation of one deliverable of 10
contents per creator.

Baselines: plain Python over the same objects — each content valued by
``RateCard.value`` (Decimal per action), sums and ratios in loops, medians with
``statistics``; and for the forecast, a loop over deliverables and draws fed with the same
normal deviates, quantiles from sorted lists. Both must give the same figures.
"""

from __future__ import annotations

import statistics
import sys
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import pendulum
from _common import median_time, parse_args, report

import influcampaign as ic
from influcampaign.analytics.forecast import FIGURES, ForecastInput, _bases, _blocks, simulate
from influcampaign.analytics.report import ReportInputs, SalesFigures, report_of
from influcampaign.domain.content import (
    ContentFormat,
    Deliverable,
    Metrics,
    MetricsSnapshot,
    Submission,
    Validation,
)
from influcampaign.domain.costs import Cost, CostStatus
from influcampaign.domain.creator import Platform

FORMATS = [ContentFormat.POST, ContentFormat.REEL, ContentFormat.STORY]
T0 = pendulum.datetime(2026, 4, 1, tz="UTC")


def make_data(creators: int, contents: int, seed: int = 11) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    camp = ic.Campaign(
        id="cmp_bench",
        brand_id="acme",
        name="Bench",
        kind="product_placement",
        mode="project",
        window=ic.DateWindow(T0, T0.add(months=2), "UTC"),
        compensation=ic.Compensation(product_value=ic.Money.of(30, "USD")),
    )
    themes = ["beauty", "food", "travel", "fitness", "tech", "home"]
    people: dict[str, ic.Creator] = {}
    costs: list[Cost] = []
    deliverables: list[Deliverable] = []
    for i in range(creators):
        cid = f"cre_{i:05d}"
        followers = int(rng.lognormal(10, 1.6))
        people[cid] = ic.Creator(
            id=cid,
            display_name=f"Creator {i}",
            audience={
                "instagram": ic.AudienceStats(
                    followers, engagement_rate=float(round(rng.uniform(0.005, 0.09), 4))
                )
            },
            themes=frozenset(rng.choice(themes, size=int(rng.integers(1, 4)), replace=False)),
        )
        costs.append(
            Cost(
                f"cost_p{i}",
                camp.id,
                "acme",
                "product",
                ic.Money.of(30, "USD"),
                participation_id=f"par_{i}",
                creator_id=cid,
                status=CostStatus.COMMITTED,
            )
        )
        costs.append(
            Cost(
                f"cost_s{i}",
                camp.id,
                "acme",
                "shipping",
                ic.Money.of("6.50", "USD"),
                participation_id=f"par_{i}",
                creator_id=cid,
                status=CostStatus.PAID,
                paid=ic.Money.of("6.50", "USD"),
                paid_at=T0,
            )
        )
        if i % 3 == 0:
            costs.append(
                Cost(
                    f"cost_f{i}",
                    camp.id,
                    "acme",
                    "fee",
                    ic.Money.of(int(rng.integers(1, 20)) * 50, "USD"),
                    participation_id=f"par_{i}",
                    creator_id=cid,
                    status=CostStatus.COMMITTED,
                )
            )
        deliverables.append(
            Deliverable(
                id=f"dlv_{i:05d}",
                participation_id=f"par_{i}",
                campaign_id=camp.id,
                brand_id="acme",
                creator_id=cid,
                platform="instagram",
                format=FORMATS[i % 3],
                quantity=10,
            )
        )
    ids = list(people)
    submissions: list[Submission] = []
    for j in range(contents):
        cid = ids[j % creators]
        followers = people[cid].followers
        seen = int(followers * rng.uniform(0.05, 0.6))
        fmt = FORMATS[j % 3]
        values = {
            "impressions": seen,
            "views": seen if fmt is ContentFormat.REEL else None,
            "likes": int(seen * rng.uniform(0.01, 0.08)),
            "comments": int(seen * 0.003),
            "shares": None if j % 7 == 0 else int(seen * 0.001),
            "saves": int(seen * 0.002),
            "link_clicks": None if j % 2 else int(seen * 0.001),
            "story_taps": int(seen * 0.05) if fmt is ContentFormat.STORY else None,
        }
        at = T0.add(hours=int(rng.integers(0, 24 * 50)))
        submissions.append(
            Submission(
                id=f"sub_{j:06d}",
                participation_id=f"par_{j % creators}",
                campaign_id=camp.id,
                brand_id="acme",
                creator_id=cid,
                url=f"https://instagram.com/p/{j}",
                platform="instagram",
                format=fmt,
                published_at=at,
                submitted_at=at,
                deliverable_id=f"dlv_{j % creators:05d}",
                metrics_history=() if j % 97 == 0 else (MetricsSnapshot(at, Metrics(**values)),),
                status="validated",
                validations=(Validation(int(rng.choice([60, 80, 100])), at),),
            )
        )
    sales = {
        cid: SalesFigures(
            ic.Money.of(int(rng.integers(0, 500)), "USD"),
            int(rng.integers(0, 90)),
            int(rng.integers(0, 9)),
        )
        for cid in ids[::2]
    }
    return {
        "campaign": camp,
        "creators": people,
        "costs": costs,
        "deliverables": deliverables,
        "submissions": submissions,
        "sales": sales,
    }


def no_rates(base: str, quote: str, day: object) -> Decimal:
    raise AssertionError("the benchmark is in one currency")


BOOK = ic.RateCardBook(ic.DEFAULT_RATE_CARD)


def ours_report(data: dict) -> ic.CampaignReport:
    return report_of(
        ReportInputs(
            data["campaign"],
            data["creators"],
            data["costs"],
            data["deliverables"],
            data["submissions"],
            BOOK,
            data["sales"],
            no_rates,
            currency="USD",
            draws=1,
        )
    )


R = Decimal("0.0001")


def baseline_report(data: dict) -> dict[str, object]:
    """EMV per content and creator, costs per creator, ROI ratios and tier medians."""
    card = ic.DEFAULT_RATE_CARD
    emv: dict[str, Decimal] = {}
    per_creator: dict[str, Decimal] = defaultdict(Decimal)
    known: set[str] = set()
    for s in data["submissions"]:
        value = card.value(s.metrics, s.platform, s.format).value
        if value is not None:
            rounded = value.rounded().amount
            emv[s.id] = rounded
            per_creator[s.creator_id] += rounded
            known.add(s.creator_id)
    cost: dict[str, Decimal] = defaultdict(Decimal)
    for c in data["costs"]:
        if c.status in (CostStatus.COMMITTED, CostStatus.PAID):
            cost[c.creator_id] += c.effective.amount
    roi: dict[str, tuple[Decimal | None, Decimal | None]] = {}
    for cid in sorted(data["creators"]):
        c = cost[cid]
        net = data["sales"][cid].net.amount if cid in data["sales"] else Decimal(0)
        e = per_creator[cid] if cid in known else None
        roi[cid] = (
            None if e is None else ((e - c) / c).quantize(R, ROUND_HALF_EVEN),
            ((net - c) / c).quantize(R, ROUND_HALF_EVEN),
        )
    tiers: dict[str, list[Decimal]] = defaultdict(list)
    for cid, creator in data["creators"].items():
        if roi[cid][0] is not None:
            tiers[creator.tier().value].append(roi[cid][0])
    medians = {
        t: Decimal(statistics.median(v)).quantize(R, ROUND_HALF_EVEN) for t, v in tiers.items()
    }
    return {"emv": emv, "roi": roi, "medians": medians}


def summary(rep: ic.CampaignReport) -> dict[str, object]:
    return {
        "emv": {c.submission_id: c.emv.amount for c in rep.emv.contents if c.emv is not None},
        "roi": {cid: (line.roi_emv, line.roi_sales) for cid, line in rep.roi_per_creator.items()},
        "medians": {s.value: s.median_roi_emv for s in rep.segments if s.dimension == "tier"},
    }


def forecast_inputs(data: dict) -> list[ForecastInput]:
    card = ic.DEFAULT_RATE_CARD
    return [
        ForecastInput(
            key=d.id,
            creator_id=d.creator_id,
            platform=d.platform,
            format=d.format,
            quantity=d.quantity,
            followers=data["creators"][d.creator_id].followers,
            engagement_rate=data["creators"][d.creator_id]
            .audience[Platform.INSTAGRAM]
            .engagement_rate,
            average_views=None,
            unit_values=card.unit_values(d.platform, d.format),
        )
        for d in data["deliverables"]
    ]


def _quantile(sorted_values: list[float], q: float) -> float:
    """numpy's default (linear) quantile of a sorted list."""
    position = (len(sorted_values) - 1) * q
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def baseline_forecast(items: list[ForecastInput], draws: int, seed: int) -> dict[str, tuple]:
    """Per deliverable, per creator and in total, the same model in loops."""
    model = ic.ForecastModel()
    ordered = sorted(items, key=lambda it: (it.creator_id, it.key))
    impressions, engagements, per_imp, per_eng = (a.tolist() for a in _bases(ordered, model))
    rng = np.random.default_rng(seed)
    sr, se = model.reach_sigma, model.engagement_sigma
    import math

    out: dict[str, tuple] = {}
    totals = [[0.0] * draws for _ in FIGURES]
    creators = [it.creator_id for it in ordered]
    for start, end in _blocks(creators, 256):
        zr = rng.standard_normal((draws, end - start)).T.tolist()
        ze = rng.standard_normal((draws, end - start)).T.tolist()
        by_creator: dict[str, list[list[float]]] = {}
        for j in range(end - start):
            i = start + j
            reach, imps, engs, emvs = [], [], [], []
            for k in range(draws):
                imp = impressions[i] * math.exp(zr[j][k] * sr - sr * sr / 2)
                eng = engagements[i] * math.exp(ze[j][k] * se - se * se / 2)
                reach.append(imp / model.impressions_per_reach)
                imps.append(imp)
                engs.append(eng)
                emvs.append(imp * per_imp[i] + eng * per_eng[i])
            figures = (reach, imps, engs, emvs)
            sums = by_creator.setdefault(creators[i], [[0.0] * draws for _ in FIGURES])
            for f, values in enumerate(figures):
                for k, v in enumerate(values):
                    sums[f][k] += v
                    totals[f][k] += v
            out[ordered[i].key] = tuple(
                tuple(_quantile(sorted(v), q) for q in (0.1, 0.5, 0.9)) for v in figures
            )
        for creator, sums in by_creator.items():
            out[creator] = tuple(
                tuple(_quantile(sorted(v), q) for q in (0.1, 0.5, 0.9)) for v in sums
            )
    out["total"] = tuple(tuple(_quantile(sorted(v), q) for q in (0.1, 0.5, 0.9)) for v in totals)
    return out


def ours_forecast(items: list[ForecastInput], draws: int, seed: int) -> dict[str, tuple]:
    sim = simulate(items, draws=draws, seed=seed)
    out = {k: tuple(q[f] for f in FIGURES) for k, q in sim.per_key.items()}
    out.update({c: tuple(q[f] for f in FIGURES) for c, q in sim.per_creator.items()})
    out["total"] = tuple(sim.total[f] for f in FIGURES)
    return out


def same(a: dict[str, tuple], b: dict[str, tuple]) -> bool:
    if a.keys() != b.keys():
        return False
    left = np.array([a[k] for k in a], dtype=float)
    right = np.array([b[k] for k in a], dtype=float)
    return bool(np.allclose(left, right, rtol=1e-9, atol=1e-6))


def main() -> None:
    args = parse_args(__doc__ or "")
    creators, contents, draws = (200, 2_000, 1_000) if args.quick else (2_000, 20_000, 10_000)
    data = make_data(creators, contents)
    print(f"campaign: {creators:,} creators, {contents:,} contents; forecast: {draws:,} draws")

    report_s, rep = median_time(lambda: ours_report(data), args.repeats)
    base_report_s, base = median_time(lambda: baseline_report(data), max(1, args.repeats // 2))
    assert summary(rep) == base, "the report and the plain-Python figures differ"
    print(
        f"report (EMV, budget, ROI, segments): ours {report_s:.3f} s, "
        f"plain Python {base_report_s:.3f} s"
    )

    items = forecast_inputs(data)
    forecast_s, fc = median_time(lambda: ours_forecast(items, draws, 42), args.repeats)
    base_forecast_s, base_fc = median_time(lambda: baseline_forecast(items, draws, 42), 1)
    assert same(fc, base_fc), "the forecasts differ"
    print(
        f"forecast ({len(items):,} deliverables x {draws:,} draws): ours {forecast_s:.3f} s, "
        f"plain Python {base_forecast_s:.3f} s (one run)"
    )

    ours_s = report_s + forecast_s
    baseline_s = base_report_s + base_forecast_s
    print(
        f"total: ours {ours_s:.3f} s, plain Python {baseline_s:.3f} s, "
        f"speedup {baseline_s / ours_s:.1f}x"
    )
    report(
        {
            "benchmark": "analytics",
            "size": {"creators": creators, "contents": contents, "draws": draws},
            "ours_s": round(ours_s, 4),
            "baseline": "plain-Python computation of the same figures",
            "baseline_s": round(baseline_s, 4),
            "speedup": round(baseline_s / ours_s, 2),
            "report_s": round(report_s, 4),
            "report_baseline_s": round(base_report_s, 4),
            "forecast_s": round(forecast_s, 4),
            "forecast_baseline_s": round(base_forecast_s, 4),
        }
    )


if __name__ == "__main__":
    main()
