"""Audience overlap: the exact engine against Python sets, sketch bounds, the reach planner
against brute force, bad input, the campaign service and the plots."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal
from pathlib import Path

import datasketches
import numpy as np
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.analytics.overlap import EXACT, SKETCH, Figure, membership_histogram
from influcampaign.analytics.planner import BUDGET_GUARANTEE, COUNT_GUARANTEE, reach_change
from influcampaign.analytics.plots import overlap_heatmap, reach_bar_chart
from tests.conftest import MANAGER

PNG = b"\x89PNG\r\n\x1a\n"


@st.composite
def selections(draw: st.DrawFn, max_creators: int = 6) -> dict[str, list[int]]:
    """Random audiences over a small id space (so they overlap), with empty, identical,
    disjoint, nested and duplicated ones mixed in."""
    k = draw(st.integers(1, max_creators))
    ids = st.integers(0, 60)
    audiences: dict[str, list[int]] = {}
    for i in range(k):
        kind = draw(st.sampled_from(["random", "empty", "copy", "nested", "disjoint", "dupes"]))
        previous = list(audiences.values())
        if kind == "empty":
            values: list[int] = []
        elif kind == "copy" and previous:
            values = list(draw(st.sampled_from(previous)))
        elif kind == "nested" and previous:
            base = draw(st.sampled_from(previous))
            values = [v for v in base if draw(st.booleans())]
        elif kind == "disjoint":
            values = draw(st.lists(st.integers(1_000, 1_050), max_size=30))
        else:
            values = draw(st.lists(ids, max_size=40))
            if kind == "dupes":
                values = values + values[: len(values) // 2]
        audiences[f"c{i}"] = values
    return audiences


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


def brute_force(
    histogram: ic.OverlapReport,
    limit: int | None,
    costs: dict[str, Decimal] | None,
    budget: Decimal | None,
) -> int:
    assert histogram.histogram is not None
    creators = histogram.creator_ids
    best = 0
    for size in range(len(creators) + 1):
        if limit is not None and size > limit:
            break
        for subset in itertools.combinations(creators, size):
            if costs is not None and budget is not None and sum(costs[c] for c in subset) > budget:
                continue
            best = max(best, histogram.histogram.reach(list(subset)))
    return best


class TestPlanner:
    @given(selections(max_creators=7), st.integers(0, 7))
    def test_within_the_greedy_bound_under_a_count(
        self, audiences: dict[str, list[int]], limit: int
    ) -> None:
        """Under a maximum count, greedy reaches ≄ (1 - 1/e) of the brute-force optimum, and
        its steps add up."""
        report = ic.overlap_report(audiences)
        assert report.histogram is not None
        plan = ic.plan_reach(report.histogram, max_creators=limit)
        assert len(plan.steps) <= limit
        assert plan.guarantee == COUNT_GUARANTEE
        assert plan.reach >= COUNT_GUARANTEE * brute_force(report, limit, None, None) - 1e-9
        assert plan.reach == report.histogram.reach(list(plan.creator_ids))
        running = 0
        for step in plan.steps:
            before = running
            running = report.histogram.reach(list(plan.creator_ids[: plan.steps.index(step) + 1]))
            assert step.marginal_reach == running - before > 0
            assert step.reach == running

    @given(selections(max_creators=6), st.data())
    def test_within_the_bound_under_a_budget(
        self, audiences: dict[str, list[int]], data: st.DataObject
    ) -> None:
        """Under a budget, the plan never overspends and reaches ≄ ½(1 - 1/e) of the optimum."""
        report = ic.overlap_report(audiences)
        assert report.histogram is not None
        amounts = {c: Decimal(data.draw(st.integers(0, 50))) for c in audiences}
        budget = Decimal(data.draw(st.integers(0, 120)))
        plan = ic.plan_reach(
            report.histogram,
            budget=ic.Money.of(budget, "EUR"),
            costs={c: ic.Money.of(a, "EUR") for c, a in amounts.items()},
        )
        assert plan.cost is not None
        assert plan.cost.amount <= budget
        assert plan.guarantee == BUDGET_GUARANTEE
        optimum = brute_force(report, None, amounts, budget)
        assert plan.reach >= BUDGET_GUARANTEE * optimum - 1e-9

    def test_greedy_order_and_what_if(self) -> None:
        """The biggest new reach first; adding or removing creators reports the change."""
        report = ic.overlap_report(
            {"big": list(range(100)), "twin": list(range(90)), "niche": list(range(100, 130))}
        )
        assert report.histogram is not None
        plan = ic.plan_reach(report.histogram, max_creators=2)
        assert [(s.creator_id, s.marginal_reach) for s in plan.steps] == [
            ("big", 100),
            ("niche", 30),
        ]
        change = reach_change(report.histogram, ["big", "niche"], add=["twin"])
        assert (change.before, change.after, change.delta) == (130, 130, 0)
        assert reach_change(report.histogram, ["big", "niche"], remove=["big"]).delta == -100

    def test_budget_needs_costs_in_its_currency(self) -> None:
        """A budget without costs, or costs in another currency, is refused."""
        report = ic.overlap_report({"a": [1], "b": [2]})
        assert report.histogram is not None
        with pytest.raises(ic.ValidationError, match="costs"):
            ic.plan_reach(report.histogram, budget=ic.Money.of(10, "EUR"))
        with pytest.raises(ic.CurrencyMismatch):
            ic.plan_reach(
                report.histogram,
                budget=ic.Money.of(10, "EUR"),
                costs={"a": ic.Money.of(1, "EUR"), "b": ic.Money.of(1, "USD")},
            )


class TestCampaignOverlap:
    def _campaign(self, ws: ic.Workspace) -> tuple[ic.Campaign, dict[str, ic.Creator]]:
        campaign = ws.campaigns.create(
            MANAGER,
            brand_id="acme",
            name="Overlap",
            kind="seeding",
            mode="project",
            start=pendulum.datetime(2026, 3, 1, tz="Europe/Paris"),
            end=pendulum.datetime(2026, 6, 1, tz="Europe/Paris"),
            timezone="Europe/Paris",
            compensation=ic.Compensation(
                product_value=ic.Money.of("30", "EUR"), fee=ic.Money.of("70", "EUR")
            ),
        )
        creators = {}
        for name, state in (
            ("Léa", "shared"),
            ("Tom", "shared"),
            ("Zoé", "shared"),
            ("Ana", "hidden"),
            ("Max", "opted_out"),
            ("Eva", "shared"),
        ):
            creator = ws.creators.register(
                MANAGER,
                name,
                audience={"instagram": ic.AudienceStats(1_000)},
                audience_data=state,
            )
            ws.participations.add(MANAGER, campaign.id, creator.id)
            creators[name] = creator
        return campaign, creators

    def test_report_excludes_creators_without_data_and_never_reads_opted_out(
        self, ws: ic.Workspace
    ) -> None:
        """Hidden and opted-out creators and those without data are listed, with their state,
        outside the figures; the source is never asked for the opted-out creator."""
        campaign, c = self._campaign(ws)
        directory = ic.AudienceDirectory(
            {
                (c["Léa"].id, "instagram"): range(600),
                (c["Tom"].id, "instagram"): range(400, 900),
                (c["Zoé"].id, "instagram"): range(2_000, 2_100),
                (c["Max"].id, "instagram"): range(10),  # held, but must never be read
            }
        )
        report = ws.overlap.for_campaign(MANAGER, campaign.id, directory)
        assert report.creator_ids == (c["Léa"].id, c["Tom"].id, c["Zoé"].id)
        assert {(e.creator_id, e.state) for e in report.excluded} == {
            (c["Ana"].id, "hidden"),
            (c["Max"].id, "opted_out"),
            (c["Eva"].id, "no data"),
        }
        assert all(creator_id != c["Max"].id for creator_id, _ in directory.reads)
        assert report.distinct_reach.value == 1_000
        assert report.pair(c["Léa"].id, c["Tom"].id).shared.value == 200

    def test_plan_under_the_campaign_budget(self, ws: ic.Workspace) -> None:
        """With a budget, each creator costs the campaign's fee plus product (100 EUR)."""
        campaign, c = self._campaign(ws)
        directory = ic.AudienceDirectory(
            {
                (c["Léa"].id, "instagram"): range(600),
                (c["Tom"].id, "instagram"): range(400, 900),
                (c["Zoé"].id, "instagram"): range(2_000, 2_100),
            }
        )
        _, plan = ws.overlap.plan(MANAGER, campaign.id, directory, budget=ic.Money.of("200", "EUR"))
        assert plan.creator_ids == (c["Léa"].id, c["Tom"].id)
        assert plan.reach == 900
        assert plan.cost == ic.Money.of("200", "EUR")

    def test_statuses_filter(self, ws: ic.Workspace) -> None:
        """Only the statuses asked for; an unknown status is a ValidationError."""
        campaign, c = self._campaign(ws)
        from influcampaign.domain.participation import participation_id

        ws.participations.confirm(MANAGER, participation_id(campaign.id, c["Léa"].id))
        directory = ic.AudienceDirectory({(c["Léa"].id, "instagram"): [1, 2]})
        report = ws.overlap.for_campaign(MANAGER, campaign.id, directory, statuses=["confirmed"])
        assert report.creator_ids == (c["Léa"].id,)
        assert report.excluded == ()
        with pytest.raises(ic.ValidationError, match="statuses"):
            ws.overlap.for_campaign(MANAGER, campaign.id, directory, statuses=["lost"])

    def test_only_the_brand_reads_it(self, ws: ic.Workspace) -> None:
        """A creator cannot read a campaign's overlap."""
        campaign, c = self._campaign(ws)
        with pytest.raises(ic.PermissionDenied):
            ws.overlap.for_campaign(
                ic.CreatorUser(c["Léa"].id), campaign.id, ic.AudienceDirectory()
            )


class TestPlots:
    def test_png_heat_map_and_bar_chart(self) -> None:
        """Both plots are PNG images."""
        report = ic.overlap_report({"a": [1, 2, 3], "b": [2, 3, 4], "c": [9]})
        assert overlap_heatmap(report).startswith(PNG)
        assert overlap_heatmap(report, figure="shared").startswith(PNG)
        assert reach_bar_chart(report).startswith(PNG)


def test_guarantees() -> None:
    """The documented bounds."""
    assert math.isclose(COUNT_GUARANTEE, 0.6321, abs_tol=1e-4)
    assert math.isclose(BUDGET_GUARANTEE, 0.3161, abs_tol=1e-4)
