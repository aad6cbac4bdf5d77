"""The membership histogram on every core: partitioned, merged, and equal to one sort."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influcampaign.analytics import membership
from influcampaign.analytics.membership import merge_histograms, partitioned_histogram
from influcampaign.analytics.overlap import MembershipHistogram, sorted_histogram
from influcampaign.errors import ValidationError


def _as_dict(patterns: npt.NDArray[np.uint64], counts: npt.NDArray[np.int64]) -> dict[bytes, int]:
    return {p.tobytes(): int(c) for p, c in zip(patterns, counts, strict=True)}


def _audiences(
    seed: int, creators: int, size: int, span: int
) -> tuple[list[str], list[npt.NDArray[np.int64]]]:
    rng = np.random.default_rng(seed)
    names = [f"c{i}" for i in range(creators)]
    ids = [rng.integers(0, span, size=int(rng.integers(0, size)), dtype=np.int64) for _ in names]
    return names, ids


class TestPartitionedHistogram:
    @pytest.mark.parametrize(
        ("creators", "span", "workers"),
        [(3, 2_000, 2), (20, 200_000, 2), (64, 50_000, 1), (70, 400_000, 2), (5, 2**62, 2)],
    )
    def test_equals_the_one_sort_engine(
        self, monkeypatch: pytest.MonkeyPatch, creators: int, span: int, workers: int
    ) -> None:
        """Counted range by range on threads (dense words or sorts) and merged, the histogram
        is the one a single sort of all the ids gives, duplicates counted once."""
        monkeypatch.setattr(membership, "_SMALL", 0)
        monkeypatch.setattr(membership, "_DENSE_SLAB", 1 << 10)
        names, ids = _audiences(creators + span % 97, creators, 3_000, span)
        ids[0] = np.concatenate([ids[0], ids[0][:50]])  # duplicates count once
        expected = sorted_histogram(names, ids)
        patterns, counts = partitioned_histogram(names, ids, workers=workers)
        assert _as_dict(patterns, counts) == _as_dict(expected.patterns, expected.counts)

    @settings(max_examples=30)
    @given(
        st.lists(st.lists(st.integers(0, 5_000), max_size=300), min_size=1, max_size=9),
        st.integers(1, 3),
    )
    def test_any_audiences(self, audiences: list[list[int]], workers: int) -> None:
        """For any audiences, the partitioned engine agrees with the one-sort engine."""
        names = [f"c{i}" for i in range(len(audiences))]
        ids = [np.array(a, dtype=np.int64) for a in audiences]
        original = membership._SMALL
        membership._SMALL = 0
        try:
            patterns, counts = partitioned_histogram(names, ids, workers=workers)
        finally:
            membership._SMALL = original
        expected = sorted_histogram(names, ids)
        assert _as_dict(patterns, counts) == _as_dict(expected.patterns, expected.counts)

    def test_empty_audiences(self) -> None:
        """No ids at all: an empty histogram, one word wide."""
        patterns, counts = partitioned_histogram(["a", "b"], [np.zeros(0, np.int64)] * 2)
        assert patterns.shape == (0, 1)
        assert counts.shape == (0,)


class TestMergeHistograms:
    def test_the_sum_over_disjoint_partitions(self) -> None:
        """The histograms of disjoint follower partitions add up to the whole's."""
        names, ids = _audiences(3, 6, 2_000, 10_000)
        whole = sorted_histogram(names, ids)
        low = sorted_histogram(names, [a[a < 5_000] for a in ids])
        high = sorted_histogram(names, [a[a >= 5_000] for a in ids])
        patterns, counts = merge_histograms(
            names, [(low.patterns, low.counts), (high.patterns, high.counts)]
        )
        assert _as_dict(patterns, counts) == _as_dict(whole.patterns, whole.counts)
        merged = MembershipHistogram(tuple(names), patterns, counts)
        assert np.array_equal(merged.shared(), whole.shared())

    def test_a_count_per_pattern(self) -> None:
        """A part whose counts do not match its patterns is refused, naming the part."""
        with pytest.raises(ValidationError, match=r"parts\[0\]"):
            merge_histograms(["a"], [(np.ones((2, 1), np.uint64), np.ones(1, np.int64))])

    def test_nothing_to_merge(self) -> None:
        """No parts: an empty histogram."""
        patterns, counts = merge_histograms(["a"] * 65, [])
        assert patterns.shape == (0, 2)
        assert counts.size == 0
