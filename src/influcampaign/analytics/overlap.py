"""Audience overlap, exact (numpy) or estimated (theta sketches), and its report.

The exact engine makes **one sort** of all the follower ids of a selection, each tagged with
its creator in the low bits, and reads off, per distinct follower, which creators it follows:
a membership pattern. The **histogram** of these patterns (how many followers follow exactly
this set of creators) is all there is to know: the size of every audience, every pairwise
intersection, the distinct reach of any sub-selection, the exclusive followers of each
creator, and the greedy reach planner all derive from it, without K² set intersections.

Two words for two meanings of "unique": a creator's **exclusive** followers follow no one
else in the selection; the selection's **distinct reach** counts each follower once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from influcampaign.analytics.audiences import (
    AudienceData,
    ExactAudience,
    ThetaAudience,
)
from influcampaign.errors import ValidationError

__all__ = [
    "EXACT",
    "SKETCH",
    "CreatorReach",
    "Excluded",
    "Figure",
    "MembershipHistogram",
    "OverlapReport",
    "PairOverlap",
    "histogram_report",
    "membership_histogram",
    "overlap_report",
    "sorted_histogram",
]

EXACT = "exact"
SKETCH = "theta sketch"

_CONFIDENCE = {1: 0.6827, 2: 0.9545, 3: 0.9973}
"""The share of estimates within ±n standard deviations (DataSketches' bounds)."""


@attrs.frozen
class Figure:
    """A number with its bounds: equal for an exact figure, an interval at the report's
    confidence for an estimate."""

    value: float
    lower: float
    upper: float

    @classmethod
    def exact(cls, value: float) -> Figure:
        """An exact figure."""
        return cls(value, value, value)

    @property
    def is_exact(self) -> bool:
        """True when the bounds are the value."""
        return self.lower == self.value == self.upper

    def __str__(self) -> str:
        if self.is_exact:
            return f"{self.value:,.0f}" if float(self.value).is_integer() else f"{self.value:.4g}"
        return f"{self.value:,.0f} [{self.lower:,.0f}, {self.upper:,.0f}]"


@attrs.frozen
class PairOverlap:
    """Two creators' common followers: the count, as a share of each audience and of the
    smaller one, and the Jaccard index (common / either). A share of an empty audience is
    None (undefined, like a ratio of the sales), never 0."""

    a: str
    b: str
    shared: Figure
    share_of_a: Figure | None
    share_of_b: Figure | None
    share_of_smaller: Figure | None
    jaccard: Figure | None


@attrs.frozen
class CreatorReach:
    """A creator in the selection: its followers, the exclusive ones (who follow no one else
    in the selection), and the share of its followers who also follow someone else."""

    creator_id: str
    followers: Figure
    exclusive: Figure
    overlapping_share: Figure | None  # None when the creator has no follower


@attrs.frozen
class Excluded:
    """A creator left out of the figures, and why (``hidden``, ``opted_out``, ``no data``)."""

    creator_id: str
    state: str
    reason: str


def _unpack(patterns: npt.NDArray[np.uint64], k: int) -> npt.NDArray[np.bool_]:
    """(P, W) uint64 words → (P, K) booleans, bit k of the words being creator k."""
    octets = np.ascontiguousarray(patterns.astype("<u8")).view(np.uint8)
    bits: npt.NDArray[np.bool_] = np.unpackbits(octets, axis=1, bitorder="little")[:, :k].view(bool)
    return bits


@attrs.frozen(eq=False)
class MembershipHistogram:
    """How many distinct followers follow exactly each set of creators.

    ``patterns`` is (P, W) uint64: bit k of the words is creator k; ``counts`` is (P,).
    """

    creators: tuple[str, ...]
    patterns: npt.NDArray[np.uint64]
    counts: npt.NDArray[np.int64]

    @property
    def membership(self) -> npt.NDArray[np.bool_]:
        """(P, K) booleans: pattern p includes creator k."""
        return _unpack(self.patterns, len(self.creators))

    def sizes(self) -> npt.NDArray[np.int64]:
        """Distinct followers of each creator."""
        return np.diag(self.shared()).copy()

    def shared(self) -> npt.NDArray[np.int64]:
        """(K, K) common followers of each pair (the diagonal holds the sizes)."""
        return self.shared_and_exclusive()[0]

    def exclusive(self) -> npt.NDArray[np.int64]:
        """Followers of each creator who follow no one else in the selection."""
        return self.shared_and_exclusive()[1]

    def shared_and_exclusive(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """:meth:`shared` and :meth:`exclusive` in one pass over the patterns, by blocks so
        that memory stays bounded with many creators."""
        k = len(self.creators)
        total = np.zeros((k, k))
        alone_total = np.zeros(k, dtype=np.int64)
        block = 65_536
        for start in range(0, len(self.counts), block):
            member = _unpack(self.patterns[start : start + block], k)
            counts = self.counts[start : start + block]
            ones = member.astype(np.float64)  # exact: counts stay far below 2**53
            total += (ones * counts.astype(np.float64)[:, None]).T @ ones
            alone = member.sum(axis=1) == 1
            alone_total += counts[alone] @ member[alone].astype(np.int64)
        return np.rint(total).astype(np.int64), alone_total

    def reach(self, creators: Sequence[str] | None = None) -> int:
        """Distinct followers of ``creators`` (default: all of them)."""
        if creators is None:
            return int(self.counts.sum())
        index = [self._index(c) for c in creators]
        if not index:
            return 0
        return int(self.counts[self.membership[:, index].any(axis=1)].sum())

    def _index(self, creator_id: str) -> int:
        try:
            return self.creators.index(creator_id)
        except ValueError:
            raise ValidationError("creator_id", creator_id, "is not in the selection") from None


def _count_rows(
    rows: npt.NDArray[np.uint64],
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """The distinct rows of ``rows`` and how often each occurs."""
    if rows.shape[1] == 1:
        unique, counts = np.unique(rows[:, 0], return_counts=True)
        return unique[:, None], counts.astype(np.int64)
    if rows.shape[0] == 0:
        return rows, np.zeros(0, np.int64)
    # group by a 64-bit mix of the words (one sort of integers), then check the groups:
    # a collision (vanishingly rare) falls back to sorting the rows themselves
    mixed = np.zeros(rows.shape[0], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for word in range(rows.shape[1]):
            mixed = (mixed ^ rows[:, word]) * np.uint64(0x9E3779B97F4A7C15)
            mixed ^= mixed >> np.uint64(29)
    _, first, inverse, counts = np.unique(
        mixed, return_index=True, return_inverse=True, return_counts=True
    )
    unique = rows[first]
    if np.array_equal(unique[inverse], rows):
        return unique, counts.astype(np.int64)
    order = np.lexsort(rows.T[::-1])  # pragma: no cover - a hash collision
    ordered = rows[order]
    change = np.ones(len(ordered), dtype=bool)
    change[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    starts = np.flatnonzero(change)
    counts = np.diff(np.append(starts, len(ordered))).astype(np.int64)
    return ordered[starts], counts


def membership_histogram(
    creators: Sequence[str],
    audiences: Sequence[npt.NDArray[np.int64]],
    *,
    workers: int | None = None,
) -> MembershipHistogram:
    """The membership histogram of exact audiences, counted on ``workers`` threads (default:
    every core) over disjoint ranges of follower ids, and merged
    (:mod:`influcampaign.analytics.membership`)."""
    from influcampaign.analytics.membership import partitioned_histogram

    ids = [
        a
        if isinstance(a, np.ndarray) and a.dtype == np.int64
        else ExactAudience.of(a, field=f"audiences[{i}]").ids
        for i, a in enumerate(audiences)
    ]
    patterns, counts = partitioned_histogram(creators, ids, workers=workers)
    return MembershipHistogram(tuple(creators), patterns, counts)


def sorted_histogram(
    creators: Sequence[str], audiences: Sequence[npt.NDArray[np.int64]]
) -> MembershipHistogram:
    """The membership histogram of exact audiences, from one sort of all their ids, on one
    thread (what each range of :func:`membership_histogram` runs on sparse ids)."""
    k = len(creators)
    words = max(1, math.ceil(k / 64))
    total = sum(int(a.size) for a in audiences)
    if total == 0:
        return MembershipHistogram(
            tuple(creators), np.zeros((0, words), np.uint64), np.zeros(0, np.int64)
        )
    bits = max(1, (k - 1).bit_length())
    high = max(int(a.max()) for a in audiences if a.size)
    if high >= 2 ** (64 - bits):
        # ids too large to share a word with the creator's tag: rank them first (rare)
        _, dense = np.unique(np.concatenate(audiences), return_inverse=True)
        audiences = np.split(dense.astype(np.int64), np.cumsum([a.size for a in audiences])[:-1])
    keys = np.empty(total, dtype=np.uint64)
    position = 0
    shift = np.uint64(bits)
    for index, ids in enumerate(audiences):
        segment = keys[position : position + ids.size]
        np.left_shift(ids.view(np.uint64), shift, out=segment)
        segment |= np.uint64(index)
        position += ids.size
    keys.sort()
    # the same id twice in one audience counts once
    same = keys[1:] == keys[:-1]
    if same.any():
        keys = keys[np.concatenate(([True], ~same))]
    del same
    n = keys.size
    # the creator of each id, from the low bits (truncating, without an 8-byte temporary)
    labels: npt.NDArray[np.unsignedinteger[Any]]
    if bits <= 8:
        labels = keys.astype(np.uint8)
        labels &= np.uint8((1 << bits) - 1)
    else:
        labels16 = keys.astype(np.uint16)
        labels16 &= np.uint16((1 << bits) - 1)
        labels = labels16
    keys >>= shift  # now the ids themselves, sorted
    first = np.empty(n + 1, dtype=bool)  # first[i]: element i starts a follower's group
    first[0] = first[n] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:n])
    del keys
    # a follower of one creator only: its element starts a group and the next one does too
    alone = first[:n] & first[1:]
    singles = np.bincount(labels[alone], minlength=k).astype(np.int64)
    several = ~alone
    del alone
    members = labels[several]  # creators of followers who follow several
    offsets = np.flatnonzero(first[:n][several])  # where each such follower's group starts
    del several, first, labels
    multi = np.zeros((offsets.size, words), dtype=np.uint64)
    if offsets.size:
        flags = np.left_shift(np.uint64(1), (members & 63).astype(np.uint64))
        if words == 1:
            multi[:, 0] = np.bitwise_or.reduceat(flags, offsets)
        else:
            word_of = members >> 6
            for word in range(words):
                multi[:, word] = np.bitwise_or.reduceat(
                    np.where(word_of == word, flags, np.uint64(0)), offsets
                )
    del members
    unique, counts = _count_rows(multi)
    present = np.flatnonzero(singles)
    single_patterns = np.zeros((present.size, words), dtype=np.uint64)
    single_patterns[np.arange(present.size), present // 64] = np.left_shift(
        np.uint64(1), (present % 64).astype(np.uint64)
    )
    return MembershipHistogram(
        tuple(creators),
        np.concatenate([single_patterns, unique.astype(np.uint64)]),
        np.concatenate([singles[present], counts.astype(np.int64)]),
    )


@attrs.frozen(eq=False)
class OverlapReport:
    """The overlap of a selection of creators, with the engine that produced it.

    Creators without usable data are listed in ``excluded`` with their state and left out of
    every figure; an unknown overlap is never reported as 0.
    """

    engine: str
    confidence: float | None  # None for exact figures
    creators: tuple[CreatorReach, ...]
    pairs: tuple[PairOverlap, ...]
    total_followers: Figure
    distinct_reach: Figure
    excluded: tuple[Excluded, ...] = ()
    histogram: MembershipHistogram | None = None  # the exact engine's
    names: Mapping[str, str] = attrs.field(factory=dict)  # display names, for tables and plots

    @property
    def creator_ids(self) -> tuple[str, ...]:
        """The creators in the figures, in order."""
        return tuple(c.creator_id for c in self.creators)

    def name(self, creator_id: str) -> str:
        """The creator's display name when known (``ws.overlap`` knows them), else its id."""
        return self.names.get(creator_id, creator_id)

    def records(self, table: str = "creators") -> list[dict[str, Any]]:
        """``creators`` (one row each: followers, exclusive, share overlapping others) or
        ``pairs`` (one row per pair: shared followers, each side's share, Jaccard), with
        names; sketch figures also give their ``_lower`` and ``_upper`` bounds."""
        if table == "creators":
            return [
                {
                    "creator_id": c.creator_id,
                    "creator": self.name(c.creator_id),
                    **_flat("followers", c.followers),
                    **_flat("exclusive", c.exclusive),
                    **_flat("overlapping_share", c.overlapping_share),
                }
                for c in self.creators
            ]
        if table == "pairs":
            return [
                {
                    "a": p.a,
                    "b": p.b,
                    "creator_a": self.name(p.a),
                    "creator_b": self.name(p.b),
                    **_flat("shared", p.shared),
                    **_flat("share_of_a", p.share_of_a),
                    **_flat("share_of_b", p.share_of_b),
                    **_flat("jaccard", p.jaccard),
                }
                for p in self.pairs
            ]
        raise ValidationError("table", table, "is not one of creators, pairs")

    def frame(
        self, table: str = "creators", library: str = "pandas", *, floats: bool = False
    ) -> Any:
        """:meth:`records` as a pandas or polars DataFrame (the ``frames`` extra)."""
        from influcampaign.adapters.frames import to_frame

        return to_frame(self.records(table), library, floats=floats)

    def pair(self, a: str, b: str) -> PairOverlap:
        """The overlap of creators ``a`` and ``b`` (in either order)."""
        for p in self.pairs:
            if (p.a, p.b) in ((a, b), (b, a)):
                return p if p.a == a else _swap(p)
        raise ValidationError("pair", (a, b), "is not a pair of the selection")

    def matrix(self, figure: str = "shared") -> npt.NDArray[np.float64]:
        """(K, K) of a pair figure (``shared``, ``jaccard``, ``share_of_a`` …) by creator; the
        diagonal holds the followers for ``shared`` and 1 for shares; an undefined share
        (over an empty audience) is NaN."""
        ids = self.creator_ids
        k = len(ids)
        out = np.zeros((k, k))
        for i, c in enumerate(self.creators):
            out[i, i] = c.followers.value if figure == "shared" else 1.0
        position = {c: i for i, c in enumerate(ids)}
        for p in self.pairs:
            i, j = position[p.a], position[p.b]
            for (row, col), pair in (((i, j), p), ((j, i), _swap(p))):
                value: Figure | None = getattr(pair, figure)
                out[row, col] = np.nan if value is None else value.value
        return out


def _swap(p: PairOverlap) -> PairOverlap:
    return PairOverlap(
        p.b, p.a, p.shared, p.share_of_b, p.share_of_a, p.share_of_smaller, p.jaccard
    )


def _ratio(top: float, bottom: float) -> float:
    return top / bottom if bottom else 0.0


def _exact_share(top: int, bottom: int) -> Figure | None:
    """``top / bottom`` exactly, None over an empty audience (the share is undefined)."""
    return Figure.exact(top / bottom) if bottom else None


def _exact_report(
    creators: Sequence[str],
    audiences: Sequence[ExactAudience],
    excluded: Sequence[Excluded],
) -> OverlapReport:
    return histogram_report(membership_histogram(creators, [a.ids for a in audiences]), excluded)


def histogram_report(
    histogram: MembershipHistogram, excluded: Sequence[Excluded] = ()
) -> OverlapReport:
    """The exact report of a membership histogram, wherever it was counted (on this
    machine, or by a Spark job: :mod:`influcampaign.adapters.spark`)."""
    creators = histogram.creators
    shared, exclusive = histogram.shared_and_exclusive()
    sizes = np.diag(shared).copy()
    reaches = tuple(
        CreatorReach(
            creator_id=c,
            followers=Figure.exact(int(sizes[i])),
            exclusive=Figure.exact(int(exclusive[i])),
            overlapping_share=_exact_share(int(sizes[i] - exclusive[i]), int(sizes[i])),
        )
        for i, c in enumerate(creators)
    )
    pairs = []
    for i in range(len(creators)):
        for j in range(i + 1, len(creators)):
            common, a, b = int(shared[i, j]), int(sizes[i]), int(sizes[j])
            pairs.append(
                PairOverlap(
                    creators[i],
                    creators[j],
                    Figure.exact(common),
                    _exact_share(common, a),
                    _exact_share(common, b),
                    _exact_share(common, min(a, b)),
                    _exact_share(common, a + b - common),
                )
            )
    return OverlapReport(
        engine=EXACT,
        confidence=None,
        creators=reaches,
        pairs=tuple(pairs),
        total_followers=Figure.exact(int(sizes.sum())),
        distinct_reach=Figure.exact(histogram.reach()),
        excluded=tuple(excluded),
        histogram=histogram,
    )


def _flat(name: str, figure: Figure | None) -> dict[str, Any]:
    if figure is None:
        return {name: None}
    if figure.is_exact:
        return {name: figure.value}
    return {name: figure.value, f"{name}_lower": figure.lower, f"{name}_upper": figure.upper}


def overlap_report(
    audiences: Mapping[str, AudienceData | Any],
    *,
    engine: str = "auto",
    exact_limit: int = 200_000_000,
    excluded: Sequence[Excluded] = (),
    std_devs: int = 2,
    lg_k: int = 12,
) -> OverlapReport:
    """The overlap report of ``{creator_id: audience}`` (ids, :class:`ExactAudience` or
    :class:`ThetaAudience`).

    ``engine``: ``"exact"``, ``"sketch"`` or ``"auto"`` — exact unless an audience is only
    a sketch or the ids number more than ``exact_limit`` (then sketches are built from the
    ids). Sketch bounds are at ``std_devs`` standard deviations (2 → 95.45 %).
    """
    if engine not in ("auto", "exact", "sketch"):
        raise ValidationError("engine", engine, "must be 'auto', 'exact' or 'sketch'")
    if std_devs not in _CONFIDENCE:
        raise ValidationError("std_devs", std_devs, "must be 1, 2 or 3")
    creators = list(audiences)
    if len(set(creators)) != len(creators):
        raise ValidationError("audiences", creators, "a creator appears twice")
    data: list[AudienceData] = [
        a
        if isinstance(a, ExactAudience | ThetaAudience)
        else ExactAudience.of(a, field=f"audience[{c}]")
        for c, a in audiences.items()
    ]
    has_sketch = any(isinstance(a, ThetaAudience) for a in data)
    total = sum(a.size for a in data if isinstance(a, ExactAudience))
    use_sketch = engine == "sketch" or (engine == "auto" and (has_sketch or total > exact_limit))
    if not use_sketch:
        if has_sketch:
            raise ValidationError(
                "engine", engine, "an audience is only a sketch: use the sketch engine"
            )
        exact = [a for a in data if isinstance(a, ExactAudience)]
        return _exact_report(creators, exact, excluded)
    sketches = [
        a if isinstance(a, ThetaAudience) else ThetaAudience.from_ids(a.ids, lg_k=lg_k)
        for a in data
    ]
    from influcampaign.analytics.overlap_sketch import sketch_report  # it imports this module

    return sketch_report(creators, sketches, excluded, std_devs, lg_k)
