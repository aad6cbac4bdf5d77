"""Matching creators to a campaign (influcampaign.analytics.matching): rank and explain."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.analytics.matching.rule import FILTER_NAMES as _FILTERS
from influcampaign.domain.application import RefusalReason
from influcampaign.testing import strategies as ics


def pool_creator(i: int, **kw: Any) -> ic.Creator:
    platform = kw.pop("platform", "instagram")
    return ic.Creator(
        id=kw.pop("id", f"c{i:03d}"),
        display_name=f"C{i}",
        handles={platform: f"h{i}"},
        audience={platform: ic.AudienceStats(kw.pop("followers", 20_000), kw.pop("rate", 0.05))},
        themes=kw.pop("themes", ("food",)),
        country=kw.pop("country", "FR"),
        language=kw.pop("language", "fr"),
        **kw,
    )


@st.composite
def _pools(draw: st.DrawFn) -> tuple[list[ic.Creator], dict[str, ic.PastPerformance]]:
    creators = draw(st.lists(ics.creators(), min_size=1, max_size=25, unique_by=lambda c: c.id))
    past = {}
    for c in creators:
        if draw(st.booleans()):
            past[c.id] = ic.PastPerformance(
                rating=draw(st.none() | st.floats(1, 5)),
                on_time_rate=draw(st.none() | st.floats(0, 1)),
                compliance=draw(st.none() | st.floats(0, 100)),
                work_again=draw(st.none() | st.booleans()),
                tags=draw(st.frozensets(st.sampled_from(ic.ReactivationTag))),
                collaborations=draw(st.frozensets(st.sampled_from(ic.Collaboration))),
            )
    return creators, past


def attrs_evolve_tiers(targeting: ic.Targeting, tiers: ic.TierPolicy) -> ic.Targeting:
    """The targeting, without its follower range when it cannot hold the targeted tiers
    under ``tiers`` (the strategy draws tiers and a range separately)."""
    import attrs

    try:
        targeting.check_tiers(tiers)
    except ic.ValidationError:
        return attrs.evolve(targeting, followers=None)
    return targeting


class TestMatching:
    def test_every_criterion_is_named_in_the_explanation(self) -> None:
        """With a full targeting, each filter, fit, history and learning criterion has a
        line saying matched or not, the creator's value, the target and the points."""
        targeting = ic.Targeting(
            platforms=["instagram"],
            tiers=["micro"],
            followers=ic.FollowerRange(10_000, 50_000),
            min_engagement_rate=0.02,
            themes=["food", "garden"],
            countries=["FR"],
            languages=["fr"],
            audience_countries=["FR"],
            audience_languages=["fr"],
            min_audience_share=0.3,
        )
        shares = ic.AudienceShares(countries={"FR": 0.5, "BE": 0.25}, languages={"fr": 0.8})
        ranking = ic.rank(ic.CreatorPool([pool_creator(1, audience_shares=shares)]), targeting)
        (match,) = ranking.matches
        names = [c.name for c in match.criteria]
        assert names == [
            *_FILTERS,
            "themes",
            "engagement",
            "audience_countries",
            "audience_languages",
            "collaboration",
            "rating",
            "on_time",
            "compliance",
            "refusals",
        ]
        assert match.criterion("themes").outcome is ic.Outcome.PARTIAL
        assert match.criterion("themes").value == "food"
        assert match.criterion("themes").points == 1.5  # 3 x 1/2
        assert match.criterion("audience_countries").fit == 0.5
        assert match.criterion("engagement").fit == 1.0  # 5 % >= 2 x 2 %
        assert match.criterion("rating").outcome is ic.Outcome.UNKNOWN
        assert match.criterion("rating").points == 1.5  # unknown: 3 x 0.5
        # 3*0.5 + 2*1 + 2*0.5 + 1*0.8 + 1*0.5 + 3*0.5 + 2*0.5 + 2*0.5 = 9.3 of 16
        assert match.score == pytest.approx(100 * 9.3 / 16)
        assert "themes: partial (food; target food, garden) +1.50" in match.explain()

    def test_an_excluded_creator_is_explained_by_its_first_failed_filter(self) -> None:
        """A creator out of the country filter is not ranked; explain() says why."""
        pool = ic.CreatorPool([pool_creator(1), pool_creator(2, country="GB")])
        ranking = ic.rank(pool, ic.Targeting(countries=["FR"]))
        assert ranking.order == ("c001",)
        assert ranking.filtered == {"countries": 1}
        why = ranking.explain("c002")
        assert (why.rank, why.score, why.filtered_by) == (None, None, "countries")
        assert why.criterion("countries").outcome is ic.Outcome.MISSED

    def test_unknown_data_passes_filters_but_earns_the_unknown_fit(self) -> None:
        """No country and no engagement rate: the filters pass, and engagement scores the
        policy's unknown fit."""
        pool = ic.CreatorPool([pool_creator(1, country=None, rate=None)])
        targeting = ic.Targeting(countries=["FR"], min_engagement_rate=0.02)
        policy = ic.MatchingPolicy(unknown_fit=0.25)
        (match,) = ic.rank(pool, targeting, policy=policy).matches
        assert match.criterion("countries").outcome is ic.Outcome.UNKNOWN
        assert match.criterion("engagement").fit == 0.25

    def test_weights_are_configurable(self) -> None:
        """A weight of 0 makes a criterion earn nothing; raising another changes the order."""
        pool = ic.CreatorPool(
            [pool_creator(1, themes=("food",), rate=0.02), pool_creator(2, themes=(), rate=0.08)]
        )
        targeting = ic.Targeting(themes=["food"], min_engagement_rate=0.02)
        by_theme = ic.rank(pool, targeting)
        assert by_theme.order == ("c001", "c002")
        heavy = ic.MatchingPolicy(weights=ic.MatchWeights(themes=0, engagement=10))
        by_rate = ic.rank(pool, targeting, policy=heavy)
        assert by_rate.order == ("c002", "c001")
        assert by_rate.explain("c001").criterion("themes").points == 0

    def test_history_moves_a_good_collaborator_up_and_work_again_false_out(self) -> None:
        """Of three identical profiles, the well-rated one ranks first; the one the brand
        will not work with again is filtered out (unless the policy keeps it)."""
        pool = ic.CreatorPool([pool_creator(i) for i in (1, 2, 3)])
        past = {
            "c002": ic.PastPerformance(rating=5.0, on_time_rate=1.0, compliance=100.0),
            "c003": ic.PastPerformance(rating=1.0, work_again=False),
        }
        ranking = ic.rank(pool, ic.Targeting(), past=past)
        assert ranking.order == ("c002", "c001")
        assert ranking.explain("c003").filtered_by == "work_again"
        keep = ic.MatchingPolicy(exclude_not_again=False)
        assert ic.rank(pool, ic.Targeting(), past=past, policy=keep).order == (
            "c002",
            "c001",
            "c003",
        )

    def test_a_quick_out_of_target_refusal_lowers_similar_profiles(self) -> None:
        """After a quick out-of-target refusal of a beauty creator, the other beauty creator
        falls below a food creator it used to beat; a slow refusal lowers it half as much,
        and a refusal because the offer is full lowers nothing."""
        beauty: dict[str, Any] = {
            "themes": ("beauty",),
            "country": "BE",
            "followers": 30_000,
            "rate": 0.06,
        }
        pool = ic.CreatorPool(
            [
                pool_creator(1, id="refused", **beauty),
                pool_creator(2, id="beauty2", **beauty),
                pool_creator(3, id="food", themes=("food",), country="FR", rate=0.03),
            ]
        )
        targeting = ic.Targeting(min_engagement_rate=0.02)
        base = ic.rank(pool, targeting, in_campaign={"refused"})
        assert base.order == ("beauty2", "food")

        def with_refusal(reason: RefusalReason, quick: bool) -> ic.Ranking:
            signal = ic.RefusalSignal("refused", reason, quick)
            return ic.rank(pool, targeting, refusals=[signal], in_campaign={"refused"})

        quick = with_refusal(RefusalReason.OUT_OF_TARGET, True)
        assert quick.order == ("food", "beauty2")
        line = quick.explain("beauty2").criterion("refusals")
        assert (line.fit, line.points) == (1.0, -4.0)
        assert "resembles refused" in line.value
        slow = with_refusal(RefusalReason.OUT_OF_TARGET, False)
        assert slow.explain("beauty2").criterion("refusals").points == -2.0
        full = with_refusal(RefusalReason.FULL, True)
        assert full.explain("beauty2").score == base.explain("beauty2").score

    def test_similarity_is_the_theme_jaccard_halved_across_tiers(self) -> None:
        """Two of three themes shared: 2/3 in the same tier, 1/3 in another; country and
        language (fixed by the filters) do not count."""
        pool = ic.CreatorPool(
            [
                pool_creator(1, id="a", themes=("food", "garden"), country="FR"),
                pool_creator(2, id="b", themes=("food", "garden", "travel"), country="BE"),
                pool_creator(3, id="c", themes=("food", "garden", "travel"), followers=200_000),
                pool_creator(4, id="d", themes=("beauty",), language="en"),
            ]
        )
        signal = ic.RefusalSignal("a", RefusalReason.OUT_OF_TARGET)
        ranking = ic.rank(pool, ic.Targeting(), refusals=[signal], in_campaign={"a"})
        assert ranking.explain("b").criterion("refusals").fit == pytest.approx(2 / 3)
        assert ranking.explain("c").criterion("refusals").fit == pytest.approx(1 / 3)
        assert ranking.explain("d").criterion("refusals").fit == 0.0

    def test_ties_are_broken_by_creator_id_and_limit_applies(self) -> None:
        """Equal scores come in id order; limit keeps the best, order keeps them all."""
        pool = ic.CreatorPool([pool_creator(i) for i in (3, 1, 2)])
        ranking = ic.rank(pool, ic.Targeting(), limit=2)
        assert [m.creator_id for m in ranking.matches] == ["c001", "c002"]
        assert ranking.order == ("c001", "c002", "c003")
        assert [m.rank for m in ranking.matches] == [1, 2]
        rows = ranking.records()
        assert [r["creator_id"] for r in rows] == ["c001", "c002"]
        assert rows[0]["score"] == ranking.matches[0].score
        assert rows[0]["rating"] == 1.5  # unknown history: 3 x 0.5

    def test_bad_calls_are_refused(self) -> None:
        """A negative limit, a refusal of a creator outside the pool, a duplicate creator."""
        pool = ic.CreatorPool([pool_creator(1)])
        with pytest.raises(ic.ValidationError, match="limit"):
            ic.rank(pool, ic.Targeting(), limit=-1)
        with pytest.raises(ic.ValidationError, match="refusals"):
            ic.rank(
                pool,
                ic.Targeting(),
                refusals=[ic.RefusalSignal("nobody", ic.RefusalReason.AUDIENCE)],
            )
        with pytest.raises(ic.ValidationError, match="creators"):
            ic.CreatorPool([pool_creator(1), pool_creator(1)])
        with pytest.raises(ic.ValidationError, match="creator_id"):
            ic.rank(pool, ic.Targeting()).explain("nobody")


class TestRankProperties:
    """rank() over random pools agrees with the one-creator rule."""

    @given(_pools(), ics.targetings(), st.data())
    def test_rank_equals_the_one_creator_rule_and_never_ranks_a_filtered_creator(
        self,
        pool_past: tuple[list[ic.Creator], dict[str, ic.PastPerformance]],
        targeting: ic.Targeting,
        data: st.DataObject,
    ) -> None:
        """For any pool, targeting, history and refusals, the vectorised ranking gives each
        creator exactly the filter and score of score_creator, ranks in score-then-id order,
        and no ranked creator misses a hard filter."""
        creators, past = pool_past
        by_id = {c.id: c for c in creators}
        refused_ids = data.draw(st.lists(st.sampled_from(sorted(by_id)), max_size=3, unique=True))
        signals = [
            ic.RefusalSignal(c, data.draw(st.sampled_from(RefusalReason)), data.draw(st.booleans()))
            for c in refused_ids
        ]
        tiers = data.draw(ics.tier_policies())
        collaboration = data.draw(st.sampled_from(ic.Collaboration))
        ranking = ic.rank(
            ic.CreatorPool(creators),
            attrs_evolve_tiers(targeting, tiers),
            tiers=tiers,
            past=past,
            refusals=signals,
            in_campaign=set(refused_ids),
            collaboration=collaboration,
            limit=None,
        )
        expected = {}
        for c in creators:
            filtered_by, score = ic.score_creator(
                c,
                attrs_evolve_tiers(targeting, tiers),
                tiers=tiers,
                past=past.get(c.id),
                refused=[(by_id[s.creator_id], s) for s in signals],
                in_campaign=c.id in refused_ids,
                collaboration=collaboration,
            )
            match = ranking.explain(c.id)
            assert (match.filtered_by, match.score) == (filtered_by, score)
            if score is not None:
                expected[c.id] = score
                assert all(
                    x.outcome is not ic.Outcome.MISSED
                    for x in match.criteria
                    if x.kind is ic.CriterionKind.FILTER
                )
        assert ranking.order == tuple(sorted(expected, key=lambda k: (-expected[k], k)))
        assert [m.creator_id for m in ranking.matches] == list(ranking.order)
