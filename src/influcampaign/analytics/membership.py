"""The membership histogram on every core: partition the followers, count, merge.

The histogram (how many distinct followers follow exactly each set of creators) is
**additive over disjoint partitions of the followers**: split the id space into ranges, count
each range on its own, and the sum of the per-range histograms is the histogram of the
whole. So each range is counted on a thread of a pool (numpy releases the GIL in the work
that matters), and the per-range histograms are merged with :func:`merge_histograms` — the
same merge that combines the partial histograms a Spark job returns.

Within a range, when the ids are dense enough (their span is at most a few times their
number, as with the numeric ids platforms hand out), each creator's ids set its bit in a
small array of membership words indexed by id, which stays in the processor's cache: no sort
at all. Sparse ids (hashes) are sorted range by range instead. Both give exact answers.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from influcampaign.errors import ValidationError

__all__ = ["merge_histograms", "partitioned_histogram"]

_DENSE_SPAN = 16
"""Ids are counted with membership words when their span is at most this many times their
number (a range scans its words once: the work grows with the span)."""

_DENSE_SLAB = 1 << 17
"""Ids per range of the dense kernel: 131,072 membership words (1 MiB, in cache)."""

_SMALL = 1 << 18
"""Below this many ids the one-sort engine answers at once (no pool, no partition)."""

_U64 = npt.NDArray[np.uint64]
_I64 = npt.NDArray[np.int64]


def merge_histograms(
    creators: Sequence[str], parts: Sequence[tuple[_U64, _I64]]
) -> tuple[_U64, _I64]:
    """The histogram of the union of disjoint follower partitions: the sum of their
    histograms, each given as ``(patterns (P, W) uint64, counts (P,))`` over the same
    ``creators``. Patterns come out sorted, each once, with a positive count."""
    words = max(1, math.ceil(len(creators) / 64))
    shaped = [
        (np.asarray(p, np.uint64).reshape(-1, words), np.asarray(c, np.int64)) for p, c in parts
    ]
    for index, (patterns, counts) in enumerate(shaped):
        if patterns.shape[0] != counts.shape[0]:
            raise ValidationError(f"parts[{index}]", counts.shape[0], "one count per pattern")
    if not shaped:
        return np.zeros((0, words), np.uint64), np.zeros(0, np.int64)
    patterns = np.concatenate([p for p, _ in shaped])
    counts = np.concatenate([c for _, c in shaped])
    if patterns.shape[0] == 0:
        return patterns, counts
    order = np.lexsort(patterns.T[::-1])
    ordered = patterns[order]
    change = np.ones(len(ordered), dtype=bool)
    change[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    starts = np.flatnonzero(change)
    sums = np.add.reduceat(counts[order], starts)
    keep = sums > 0
    return ordered[starts][keep], sums[keep].astype(np.int64)


def _slab_split(ids: _I64, low: int, shift: int, slabs: int) -> tuple[npt.NDArray[Any], _I64]:
    """``ids - low`` grouped by range (``>> shift``), stably, and where each range starts."""
    relative = ids - np.int64(low)
    small = relative.astype(np.uint32) if int(relative.max(initial=0)) < 2**32 else relative
    if slabs == 1:
        return small, np.array([0, small.size], np.int64)
    slab = (relative >> np.int64(shift)).astype(np.uint16 if slabs <= 2**16 else np.uint32)
    del relative
    order = np.argsort(slab, kind="stable")  # a radix sort of small keys: linear
    grouped = small[order]
    bounds = np.zeros(slabs + 1, np.int64)
    np.cumsum(np.bincount(slab, minlength=slabs), out=bounds[1:])
    return grouped, bounds


def _dense_range(
    k: int,
    pieces: Sequence[npt.NDArray[Any]],
    words: npt.NDArray[Any],
) -> tuple[_I64, npt.NDArray[Any], _I64]:
    """Count one range with membership words: per creator, its single-creator followers;
    then the distinct patterns of followers of several creators, with their counts."""
    words[:] = 0
    kind = words.dtype.type
    size = np.intp(words.size - 1)
    for index, piece in enumerate(pieces):
        if piece.size:
            local = piece.astype(np.intp)  # numpy indexes fastest with intp
            local &= size
            words[local] |= kind(1) << kind(index)
    found = words[words != 0]
    single = np.bitwise_count(found) == 1
    alone = found[single]
    # the creator of a power of two: its exponent, read exactly from the float's exponent
    creator = np.frexp(alone.astype(np.float64))[1] - 1
    singles = np.bincount(creator, minlength=k).astype(np.int64)
    multi, counts = np.unique(found[~single], return_counts=True)
    return singles, multi, counts.astype(np.int64)


def partitioned_histogram(
    creators: Sequence[str],
    audiences: Sequence[_I64],
    *,
    workers: int | None = None,
) -> tuple[_U64, _I64]:
    """The membership histogram of exact audiences (validated non-negative int64 ids), as
    ``(patterns, counts)``, counted range by range on ``workers`` threads (default: every
    core) and merged."""
    from influcampaign.analytics.overlap import sorted_histogram as membership_histogram

    k = len(creators)
    total = sum(int(a.size) for a in audiences)
    threads = max(1, workers if workers is not None else (os.cpu_count() or 1))
    nonempty = [a for a in audiences if a.size]
    if total < _SMALL or not nonempty:
        one = membership_histogram(creators, audiences)
        return one.patterns, one.counts
    low = min(int(a.min()) for a in nonempty)
    span = max(int(a.max()) for a in nonempty) - low + 1
    dense = k <= 64 and span <= _DENSE_SPAN * total
    if dense:
        shift = _DENSE_SLAB.bit_length() - 1
    else:  # sorted range by range: a few ranges per thread
        shift = max(0, (span - 1).bit_length() - max(1, (4 * threads - 1).bit_length()))
    slabs = max(1, -(-span // (1 << shift)))
    split = [_slab_split(a, low, shift, slabs) for a in audiences]

    def piece(creator: int, slab: int) -> npt.NDArray[Any]:
        grouped, bounds = split[creator]
        return grouped[bounds[slab] : bounds[slab + 1]]

    def run_dense(chunk: range) -> list[tuple[_U64, _I64]]:
        words = np.zeros(1 << shift, np.uint64)  # numpy compresses 8-byte words fastest
        singles = np.zeros(k, np.int64)
        out: list[tuple[_U64, _I64]] = []
        for slab in chunk:
            alone, multi, counts = _dense_range(k, [piece(c, slab) for c in range(k)], words)
            singles += alone
            if multi.size:
                out.append((multi.astype(np.uint64)[:, None], counts))
        present = np.flatnonzero(singles)
        single_patterns = np.left_shift(np.uint64(1), present.astype(np.uint64))[:, None]
        out.append((single_patterns, singles[present]))
        return out

    def run_sorted(chunk: range) -> list[tuple[_U64, _I64]]:
        out: list[tuple[_U64, _I64]] = []
        for slab in chunk:
            ids = [piece(c, slab).astype(np.int64) for c in range(k)]
            one = membership_histogram(creators, ids)
            out.append((one.patterns, one.counts))
        return out

    run = run_dense if dense else run_sorted
    step = -(-slabs // threads)
    chunks = [range(s, min(slabs, s + step)) for s in range(0, slabs, step)]
    if len(chunks) == 1:
        parts = run(chunks[0])
    else:
        with ThreadPoolExecutor(len(chunks), thread_name_prefix="influcampaign-overlap") as pool:
            parts = [p for done in pool.map(run, chunks) for p in done]
    return merge_histograms(creators, parts)
