"""Audience overlap (influcampaign.analytics.overlap): exact and sketch engines, bad input."""

from __future__ import annotations

import itertools
from pathlib import Path

import datasketches
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.analytics.overlap import EXACT, SKETCH, Figure, membership_histogram
from tests.helpers import selections


def value(figure: Figure | None) -> float | None:
    return None if figure is None else figure.value


def share(top: int, bottom: int) -> object:
    """The expected share: None over an empty audience (undefined), else top / bottom."""
    return None if bottom == 0 else pytest.approx(top / bottom)


def check_against_sets(report: ic.OverlapReport, audiences: dict[str, list[int]]) -> None:
    sets = {c: set(v) for c, v in audiences.items()}
    union = set().union(*sets.values())
    assert report.distinct_reach.value == len(union)
    assert report.total_followers.value == sum(len(s) for s in sets.values())
    for reach in report.creators:
        mine = sets[reach.creator_id]
        others = set().union(*(s for c, s in sets.items() if c != reach.creator_id))
        assert reach.followers.value == len(mine)
        assert reach.exclusive.value == len(mine - others)
        assert value(reach.overlapping_share) == share(len(mine & others), len(mine))
    for a, b in itertools.combinations(sets, 2):
        pair = report.pair(a, b)
        common = len(sets[a] & sets[b])
        assert pair.shared.value == common
        assert value(pair.share_of_a) == share(common, len(sets[a]))
        assert value(pair.share_of_b) == share(common, len(sets[b]))
        smaller = min(len(sets[a]), len(sets[b]))
        assert value(pair.share_of_smaller) == share(common, smaller)
        assert value(pair.jaccard) == share(common, len(sets[a] | sets[b]))
        assert pair.shared.is_exact


class TestExactEngine:
    @given(selections())
    def test_every_figure_equals_python_sets(self, audiences: dict[str, list[int]]) -> None:
        """Sizes, pairs, shares, Jaccard, exclusive followers and distinct reach equal the
        figures computed with Python sets, on empty, identical, disjoint and nested audiences."""
        report = ic.overlap_report(audiences)
        assert report.engine == EXACT
        assert report.confidence is None
        check_against_sets(report, audiences)

    @given(selections(), st.data())
    def test_reach_of_any_sub_selection(
        self, audiences: dict[str, list[int]], data: st.DataObject
    ) -> None:
        """The histogram gives the distinct reach of any sub-selection."""
        report = ic.overlap_report(audiences)
        subset = data.draw(st.lists(st.sampled_from(list(audiences)), unique=True))
        assert report.histogram is not None
        expected = len(set().union(*(set(audiences[c]) for c in subset)))
        assert report.histogram.reach(subset) == expected

    @given(selections(max_creators=4), st.integers(2**57, 2**63 - 1))
    def test_very_large_ids(self, audiences: dict[str, list[int]], offset: int) -> None:
        """Ids near 2**63 (no room for the creator tag) take the ranking path, same figures."""
        shifted = {c: [offset - v for v in values] for c, values in audiences.items()}
        check_against_sets(ic.overlap_report(shifted), shifted)

    def test_more_than_64_creators(self) -> None:
        """Membership patterns span several 64-bit words beyond 64 creators."""
        rng = np.random.default_rng(3)
        audiences = {f"c{i:03}": rng.integers(0, 400, size=30).tolist() for i in range(70)}
        report = ic.overlap_report(audiences)
        check_against_sets(report, audiences)
        assert report.histogram is not None
        assert report.histogram.patterns.shape[1] == 2

    def test_histogram_is_the_source_of_every_figure(self) -> None:
        """A hand-made example: the histogram counts followers per exact set of creators."""
        histogram = membership_histogram(
            ["a", "b", "c"],
            [np.array([1, 2, 3, 4]), np.array([3, 4, 5]), np.array([4, 6])],
        )
        got = {
            tuple(c for c, m in zip("abc", row, strict=True) if m): int(n)
            for row, n in zip(histogram.membership, histogram.counts, strict=True)
        }
        assert got == {("a",): 2, ("b",): 1, ("c",): 1, ("a", "b"): 1, ("a", "b", "c"): 1}
        assert histogram.sizes().tolist() == [4, 3, 2]
        assert histogram.exclusive().tolist() == [2, 1, 1]
        assert histogram.shared().tolist() == [[4, 2, 1], [2, 3, 1], [1, 1, 2]]

    def test_matrix(self) -> None:
        """The pair figures as a K x K matrix, followers on the diagonal."""
        report = ic.overlap_report({"a": [1, 2, 3, 4], "b": [3, 4]})
        assert report.matrix().tolist() == [[4, 2], [2, 2]]
        assert report.matrix("share_of_a").tolist() == [[1, 0.5], [1, 1]]


class TestSketchEngine:
    def test_bounds_hold_at_the_stated_rate(self) -> None:
        """Over 150 random selections in estimation mode, the exact figure falls within the
        sketch's bounds at least as often as the stated confidence, give or take sampling."""
        rng = np.random.default_rng(7)
        inside = total = 0
        for _ in range(150):
            audiences = {
                f"c{i}": rng.integers(0, 6_000, size=int(rng.integers(500, 3_000))).tolist()
                for i in range(3)
            }
            sketch = ic.overlap_report(audiences, engine="sketch", lg_k=6)
            exact = ic.overlap_report(audiences, engine="exact")
            assert sketch.engine == SKETCH
            assert sketch.confidence == pytest.approx(0.9545)
            figures = [(sketch.distinct_reach, exact.distinct_reach.value)]
            figures += [
                (s.followers, e.followers.value)
                for s, e in zip(sketch.creators, exact.creators, strict=True)
            ]
            figures += [
                (s.shared, e.shared.value) for s, e in zip(sketch.pairs, exact.pairs, strict=True)
            ]
            for figure, truth in figures:
                total += 1
                inside += figure.lower <= truth <= figure.upper
        assert inside / total >= 0.93

    def test_exact_below_the_sketch_size(self) -> None:
        """Audiences smaller than the sketch are counted exactly, with bounds equal."""
        report = ic.overlap_report({"a": [1, 2, 3], "b": [3, 4]}, engine="sketch")
        assert report.distinct_reach.value == 4
        assert report.pair("a", "b").shared.value == 1
        assert report.creators[0].exclusive.value == 2

    def test_sketches_from_bytes_written_elsewhere(self) -> None:
        """A compact sketch serialised by DataSketches (as Spark or Druid write it) is read."""
        update = datasketches.update_theta_sketch(12)
        for i in range(50_000):
            update.update(i)
        data = update.compact().serialize()
        audience = ic.ThetaAudience.from_bytes(data)
        assert audience.estimate == pytest.approx(50_000, rel=0.05)
        assert ic.ThetaAudience.from_bytes(audience.to_bytes()).estimate == audience.estimate
        report = ic.overlap_report({"spark": audience, "local": list(range(40_000, 60_000))})
        assert report.engine == SKETCH  # automatic: one audience is only a sketch
        shared = report.pair("spark", "local").shared
        assert shared.lower <= 10_000 <= shared.upper

    def test_a_sketch_of_another_seed_is_refused(self) -> None:
        """Sketches hashed with another seed cannot be compared: a ValidationError."""
        other = datasketches.update_theta_sketch(12, 1.0, 1234)
        other.update(1)
        with pytest.raises(ic.ValidationError, match="another seed"):
            ic.ThetaAudience.from_bytes(other.compact().serialize())
        mine = ic.ThetaAudience.from_bytes(other.compact().serialize(), seed=1234)
        with pytest.raises(ic.ValidationError, match="different seeds"):
            ic.overlap_report({"a": mine, "b": ic.ThetaAudience.from_ids([1, 2])})

    @pytest.mark.parametrize("data", [b"", b"garbage", b"\x00" * 40])
    def test_a_corrupt_sketch_is_refused(self, data: bytes) -> None:
        """Truncated or foreign bytes: a ValidationError, not a crash."""
        with pytest.raises(ic.ValidationError, match="sketch"):
            ic.ThetaAudience.from_bytes(data)

    def test_auto_switches_to_sketches_above_the_limit(self) -> None:
        """Above ``exact_limit`` ids the automatic engine builds sketches; it can be forced."""
        audiences = {"a": list(range(100)), "b": list(range(50, 150))}
        assert ic.overlap_report(audiences, exact_limit=150).engine == SKETCH
        assert ic.overlap_report(audiences, exact_limit=150, engine="exact").engine == EXACT


class TestBadInput:
    @pytest.mark.parametrize(
        ("ids", "reason"),
        [
            (["1", "2"], "integer"),
            ([1.5, 2.0], "integers"),
            (np.array([1.0, np.nan]), "NaN"),
            ([1, -2], "negative"),
            ([1, None], "integer"),
            ([True, False], "integer"),
            (np.zeros((2, 2), dtype=np.int64), "one-dimensional"),
            ([2**64], "2\\*\\*63"),
            (np.array([2**63], dtype=np.uint64), "2\\*\\*63"),
            (42, "list"),
        ],
    )
    def test_bad_ids_are_refused(self, ids: object, reason: str) -> None:
        """Ids that are not non-negative 64-bit integers: a ValidationError naming the creator."""
        with pytest.raises(ic.ValidationError, match=reason) as error:
            ic.overlap_report({"lea": ids})
        assert error.value.field == "audience[lea]"

    @pytest.mark.parametrize("ids", [[True, 2], [2, True], [np.True_], np.array([True, False])])
    def test_a_boolean_is_not_a_follower_id(self, ids: object) -> None:
        """True is not follower 1: ExactAudience and ExactAudience.of refuse booleans, naming
        the field."""
        with pytest.raises(ic.ValidationError, match="boolean") as error:
            ic.ExactAudience(ids)
        assert error.value.field == "ids"
        with pytest.raises(ic.ValidationError, match="boolean") as error:
            ic.ExactAudience.of(ids, field="audience[lea]")
        assert error.value.field == "audience[lea]"

    def test_duplicates_count_once_and_empty_is_zero(self) -> None:
        """A duplicated id counts once; an empty audience has 0 followers (it is known)."""
        report = ic.overlap_report({"a": [5, 5, 5, 6], "b": []})
        assert report.creators[0].followers.value == 2
        assert report.creators[1].followers.value == 0
        assert report.pair("a", "b").share_of_b is None

    def test_shares_of_an_empty_audience_are_none(self) -> None:
        """An empty audience makes every share over it undefined (None, NaN in matrices),
        like the sales ratios, while the shares over a known audience stay numbers."""
        report = ic.overlap_report({"a": [1, 2], "b": [], "c": []})
        ab, bc = report.pair("a", "b"), report.pair("b", "c")
        assert ab.share_of_a is not None
        assert ab.share_of_a.value == 0
        assert ab.share_of_b is None
        assert ab.share_of_smaller is None
        assert bc.jaccard is None
        assert report.creators[1].overlapping_share is None
        assert np.isnan(report.matrix("share_of_a")[1, 0])

    def test_files_of_ids(self, tmp_path: Path) -> None:
        """Ids from a .npy file or a text file of one id per line; a bad file is refused."""
        np.save(tmp_path / "a.npy", np.array([1, 2, 3], dtype=np.int64))
        (tmp_path / "b.txt").write_text("3\n4\n")
        (tmp_path / "bad.txt").write_text("3\nfour\n")
        report = ic.overlap_report(
            {"a": ic.ExactAudience.of(tmp_path / "a.npy"), "b": str(tmp_path / "b.txt")}
        )
        assert report.distinct_reach.value == 4
        with pytest.raises(ic.ValidationError, match="cannot be read"):
            ic.ExactAudience.of(tmp_path / "bad.txt")

    def test_unknown_engine_or_creator(self) -> None:
        """Unknown engine, an exact report of a sketch, a pair or creator not in the selection."""
        with pytest.raises(ic.ValidationError, match="engine"):
            ic.overlap_report({"a": [1]}, engine="magic")
        with pytest.raises(ic.ValidationError, match="sketch"):
            ic.overlap_report({"a": ic.ThetaAudience.from_ids([1])}, engine="exact")
        report = ic.overlap_report({"a": [1], "b": [2]})
        with pytest.raises(ic.ValidationError, match="pair"):
            report.pair("a", "z")
        assert report.histogram is not None
        with pytest.raises(ic.ValidationError, match="creator_id"):
            report.histogram.reach(["z"])
