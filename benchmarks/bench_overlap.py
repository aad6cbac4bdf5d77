"""Overlap: the full report (pairwise matrix, distinct reach, exclusive followers) of 20
creators with follower counts log-uniform between 10k and 2M (about 6 million ids), drawn
from a population of 50 million with popularity skew.

Ours: the exact engine (one sort of tagged ids → membership histogram → every figure).
Baseline: Python built-in sets (pairwise intersections, a union, and a count of how many
creators each follower follows for the exclusive followers). Floor: a bare ``numpy.sort`` of
all the ids, the least any sort-based method pays. Both must give the same figures.
Peers (when installed): the same histogram from polars' and DuckDB's mask queries (group the
(follower, creator) table by follower, OR the creator bits; group the masks and count), in
the same run on the same data, then the same figures from it; ``vs_best_peer`` is the best
peer's time over ours, at 20 creators and again at 60 (``at_60``).
Also: peak extra memory per id, the greedy planner once the report exists, and how the
time grows with 5, 50 and 100 creators.
"""

from __future__ import annotations

import sys
import tracemalloc
from collections import Counter
from itertools import chain
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from _common import median_time, parse_args, report

import influcampaign as ic
from influcampaign.analytics.audiences import ExactAudience
from influcampaign.analytics.overlap import MembershipHistogram

POPULATION = 50_000_000


def make_audiences(creators: int, low: int, high: int, seed: int = 12) -> dict[str, np.ndarray]:
    """Follower ids per creator: sizes log-uniform in [low, high], popular ids more likely."""
    rng = np.random.default_rng(seed)
    sizes = np.exp(rng.uniform(np.log(low), np.log(high), size=creators)).astype(np.int64)
    audiences = {}
    for index, size in enumerate(sizes):
        # skew: id = N * u**2 makes low ids (popular accounts' followers) far more common
        draws = (POPULATION * rng.random(int(size * 1.6)) ** 2).astype(np.int64)
        ids = rng.permutation(np.unique(draws))[:size]
        audiences[f"cre_{index:03}"] = ids
    return audiences


def ours(audiences: dict[str, np.ndarray]) -> ic.OverlapReport:
    return ic.overlap_report(
        {c: ExactAudience(ids) for c, ids in audiences.items()}, engine="exact"
    )


def with_sets(
    audiences: dict[str, np.ndarray],
) -> tuple[dict[tuple[str, str], int], int, dict[str, int]]:
    sets = {c: set(ids.tolist()) for c, ids in audiences.items()}
    names = list(sets)
    pairs = {(a, b): len(sets[a] & sets[b]) for i, a in enumerate(names) for b in names[i + 1 :]}
    reach = len(set().union(*sets.values()))
    followed = Counter(chain.from_iterable(sets.values()))
    exclusive = {c: sum(1 for x in s if followed[x] == 1) for c, s in sets.items()}
    return pairs, reach, exclusive


def same(
    result: ic.OverlapReport, baseline: tuple[dict[tuple[str, str], int], int, dict[str, int]]
) -> bool:
    pairs, reach, exclusive = baseline
    return (
        result.distinct_reach.value == reach
        and all(result.pair(a, b).shared.value == n for (a, b), n in pairs.items())
        and all(c.exclusive.value == exclusive[c.creator_id] for c in result.creators)
    )


def _table(audiences: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    ids = np.concatenate(list(audiences.values()))
    sizes = [a.size for a in audiences.values()]
    return ids, np.repeat(np.arange(len(audiences), dtype=np.int64), sizes)


def _figures(
    names: list[str], masks: np.ndarray, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int]:
    """Pairs, exclusive followers and reach from a peer's (mask, count) rows, as ours does."""
    histogram = MembershipHistogram(
        tuple(names), masks.astype(np.int64).view(np.uint64)[:, None], counts.astype(np.int64)
    )
    shared, exclusive = histogram.shared_and_exclusive()
    return shared, exclusive, histogram.reach()


def peers(audiences: dict[str, np.ndarray]) -> dict[str, object]:
    """The peers that are installed: name → a function giving (shared, exclusive, reach)."""
    names = list(audiences)
    ids, creators = _table(audiences)
    found: dict[str, object] = {}
    try:
        import polars as pl
    except ImportError:  # pragma: no cover - an optional baseline
        pl = None
    if pl is not None:
        # the creator's bit is a column of the table, so the query only groups and ORs
        frame = pl.DataFrame({"f": ids, "b": np.left_shift(1, creators)})

        def with_polars() -> tuple[np.ndarray, np.ndarray, int]:
            masks = (
                frame.lazy()
                .group_by("f")
                .agg(pl.col("b").bitwise_or().alias("m"))
                .group_by("m")
                .len()
                .collect()
            )
            return _figures(names, masks["m"].to_numpy(), masks["len"].to_numpy())

        found["polars"] = with_polars
    try:
        import duckdb
        import pandas as pd
    except ImportError:  # pragma: no cover - an optional baseline
        duckdb = None
    if duckdb is not None:
        connection = duckdb.connect()
        connection.register("t", pd.DataFrame({"f": ids, "b": np.left_shift(1, creators)}))
        query = (
            "select m, count(*) as n from (select f, bit_or(b) as m from t group by f) group by m"
        )

        def with_duckdb() -> tuple[np.ndarray, np.ndarray, int]:
            rows = connection.execute(query).fetchnumpy()
            return _figures(names, np.asarray(rows["m"]), np.asarray(rows["n"]))

        found["duckdb"] = with_duckdb
    return found


def same_as_peer(result: ic.OverlapReport, peer: tuple[np.ndarray, np.ndarray, int]) -> bool:
    shared, exclusive, reach = peer
    assert result.histogram is not None
    ours_shared, ours_exclusive = result.histogram.shared_and_exclusive()
    return (
        np.array_equal(ours_shared, shared)
        and np.array_equal(ours_exclusive, exclusive)
        and result.distinct_reach.value == reach
    )


def against_peers(
    audiences: dict[str, np.ndarray], ours_s: float, result: ic.OverlapReport, repeats: int
) -> dict[str, object]:
    """Each peer's median time (checked against ours first), the best, and the ratio."""
    times: dict[str, float] = {}
    for name, run in peers(audiences).items():
        seconds, answer = median_time(run, repeats)  # type: ignore[arg-type]
        assert same_as_peer(result, answer), f"the SDK and {name} disagree"
        times[name] = round(seconds, 4)
    best = min(times.values()) if times else None
    return {
        "peers_s": times,
        "best_peer_s": best,
        "vs_best_peer": None if best is None else round(best / ours_s, 2),
    }


def peak_extra_bytes(audiences: dict[str, np.ndarray]) -> float:
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    ours(audiences)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (peak - base) / sum(a.size for a in audiences.values())


def main() -> None:
    args = parse_args(__doc__ or "")
    low, high = (2_000, 200_000) if args.quick else (10_000, 2_000_000)
    audiences = make_audiences(20, low, high)
    total = sum(a.size for a in audiences.values())
    all_ids = np.concatenate(list(audiences.values()))

    ours_s, result = median_time(lambda: ours(audiences), args.repeats)
    sets_s, baseline = median_time(lambda: with_sets(audiences), max(1, args.repeats // 2))
    assert same(result, baseline), "the SDK and Python sets disagree"
    sort_s, _ = median_time(lambda: np.sort(all_ids), args.repeats)
    memory = peak_extra_bytes(audiences)
    assert result.histogram is not None
    histogram = result.histogram
    planner_s, plan = median_time(lambda: ic.plan_reach(histogram, max_creators=10), 20)
    peer_figures = against_peers(audiences, ours_s, result, args.repeats)
    wide = make_audiences(60, low, high, seed=60)
    wide_s, wide_result = median_time(lambda: ours(wide), max(1, args.repeats // 2))
    at_60 = against_peers(wide, wide_s, wide_result, max(1, args.repeats // 2))
    at_60["ours_s"] = round(wide_s, 4)
    at_60["ids"] = int(sum(a.size for a in wide.values()))

    scaling = {}
    for creators in (5, 20, 50, 100):
        sample = audiences if creators == 20 else make_audiences(creators, low, high, seed=creators)
        seconds, _ = median_time(lambda sample=sample: ours(sample), max(1, args.repeats // 2))
        ids = sum(a.size for a in sample.values())
        scaling[str(creators)] = {"ids": int(ids), "s": round(seconds, 4)}

    print(f"creators: 20, ids: {total:,}, distinct reach: {result.distinct_reach}")
    print(f"patterns in the histogram: {len(histogram.counts):,}")
    print(f"ours (exact report) : {ours_s:.3f} s")
    print(f"python sets         : {sets_s:.3f} s   ({sets_s / ours_s:.1f}x slower)")
    print(f"numpy.sort floor    : {sort_s:.3f} s   (ours is {ours_s / sort_s:.2f}x the floor)")
    for name, seconds in peer_figures["peers_s"].items():  # type: ignore[attr-defined]
        print(f"{name:<20}: {seconds:.3f} s   ({seconds / ours_s:.2f}x ours)")
    print(f"60 creators, {at_60['ids']:,} ids: ours {wide_s:.3f} s, peers {at_60['peers_s']}")
    print(f"peak extra memory   : {memory:.1f} bytes per id")
    print(f"planner (10 of 20)  : {planner_s * 1000:.2f} ms, reach {plan.reach:,}")
    for creators, figures in scaling.items():
        print(f"  {creators:>3} creators, {figures['ids']:>11,} ids: {figures['s']:.3f} s")
    report(
        {
            "benchmark": "overlap",
            "size": {"creators": 20, "ids": int(total), "population": POPULATION},
            "ours_s": round(ours_s, 4),
            "baseline": "python sets",
            "baseline_s": round(sets_s, 4),
            "speedup": round(sets_s / ours_s, 2),
            "sort_floor_s": round(sort_s, 4),
            "ratio_to_sort_floor": round(ours_s / sort_s, 2),
            "peak_extra_bytes_per_id": round(memory, 1),
            "planner_s": round(planner_s, 5),
            "scaling": scaling,
            **peer_figures,
            "at_60": at_60,
        }
    )


if __name__ == "__main__":
    main()
