"""Targeting, matching, end-of-campaign reviews, the retrospective and relationship history."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.analytics.history import CampaignRecord, creator_histories, retrospective
from influcampaign.analytics.matching.rule import FILTER_NAMES as _FILTERS
from influcampaign.domain.application import RefusalReason
from influcampaign.domain.participation import ListReview
from influcampaign.testing import strategies as ics
from tests.conftest import MANAGER, upgrade_old_database

PARIS = "Europe/Paris"
ANALYST = ic.BrandMember("u_ana", brand_id="acme", role="analyst")
VIEWER = ic.BrandMember("u_vic", brand_id="acme", role="viewer")
OTHER_BRAND = ic.BrandMember("u_zed", brand_id="zed", role="owner")


def at(day: int, month: int = 3, hour: int = 12) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, tz=PARIS)


def creator(
    ws: ic.Workspace,
    name: str,
    *,
    followers: int = 25_000,
    rate: float | None = 0.04,
    themes: tuple[str, ...] = ("food",),
    country: str | None = "FR",
    language: str | None = "fr",
    platform: str = "instagram",
    shares: ic.AudienceShares | None = None,
) -> ic.Creator:
    return ws.creators.register(
        MANAGER,
        name,
        id=f"cre_{name.lower()}",
        handles={platform: name.lower()},
        audience={platform: ic.AudienceStats(followers, engagement_rate=rate)},
        themes=themes,
        country=country,
        language=language,
        audience_shares=shares,
    )


def offer(ws: ic.Workspace, name: str = "Kit", **changes: Any) -> ic.Campaign:
    made = ws.campaigns.create(
        MANAGER,
        brand_id="acme",
        name=name,
        kind="product_placement",
        mode="marketplace",
        start=changes.pop("start", at(1)),
        end=changes.pop("end", at(1, 6)),
        timezone=PARIS,
        compensation=changes.pop(
            "compensation", ic.Compensation(product_value=ic.Money.of(40, "EUR"))
        ),
        **changes,
    )
    ws.campaigns.open(MANAGER, made.id)
    return made


FOOD = ic.Targeting(
    platforms=["instagram"],
    tiers=["nano", "micro"],
    min_engagement_rate=0.02,
    themes=["food", "garden"],
    countries=["FR", "BE"],
)


# -- targeting ---------------------------------------------------------------------------


class TestTargeting:
    @pytest.mark.parametrize(
        ("build", "field"),
        [
            (lambda: ic.FollowerRange(50_000, 10_000), "followers"),
            (lambda: ic.FollowerRange(10_000, 10_000), "followers"),
            (lambda: ic.FollowerRange(-1), "followers.low"),
            (lambda: ic.Targeting(min_engagement_rate=0), "min_engagement_rate"),
            (lambda: ic.Targeting(min_engagement_rate=1.5), "min_engagement_rate"),
            (lambda: ic.Targeting(min_audience_share=0.5), "min_audience_share"),
            (lambda: ic.Targeting(tiers=["giant"]), "tiers"),
            (lambda: ic.Targeting(platforms=["myspace"]), "platforms"),
            (lambda: ic.Targeting(countries=["FRA"]), "countries"),
            (lambda: ic.Targeting(themes="food"), "themes"),
            (lambda: ic.Targeting(collaboration="barter"), "collaboration"),
            (
                lambda: ic.Campaign(
                    id="cmp1",
                    brand_id="acme",
                    name="Empty",
                    kind="seeding",
                    mode="marketplace",
                    window=ic.DateWindow(at(1), at(30), PARIS),
                    targeting=ic.Targeting(tiers=["nano"], followers=ic.FollowerRange(50_000)),
                ),
                "followers",
            ),
            (lambda: ic.MatchWeights(themes=-1), "weights.themes"),
            (lambda: ic.MatchingPolicy(unknown_fit=2), "unknown_fit"),
        ],
    )
    def test_bad_targeting_is_refused_naming_the_field(
        self, build: Callable[[], object], field: str
    ) -> None:
        """Inverted, empty and out-of-scale ranges and unknown values are typed errors."""
        with pytest.raises(ic.ValidationError) as caught:
            build()
        assert caught.value.field == field

    def test_a_bad_update_changes_nothing(self, ws: ic.Workspace) -> None:
        """Updating a campaign to an empty targeting leaves it and the outbox as they were."""
        made = offer(ws, targeting=FOOD)
        before = len(ws.store.outbox.pending(limit=10_000))
        with pytest.raises(ic.ValidationError) as caught:
            ws.campaigns.update(
                MANAGER,
                made.id,
                targeting=ic.Targeting(tiers=["mid"], followers=ic.FollowerRange(0, 1_000)),
            )
        assert caught.value.field == "followers"
        assert ws.campaigns.get(MANAGER, made.id).targeting == FOOD
        assert len(ws.store.outbox.pending(limit=10_000)) == before

    def test_follower_range_is_half_open_like_tiers(self) -> None:
        """[10,000, 100,000) holds 10,000 and 99,999 but not 100,000."""
        r = ic.FollowerRange(10_000, 100_000)
        assert (r.contains(9_999), r.contains(10_000), r.contains(99_999)) == (False, True, True)
        assert not r.contains(100_000)

    def test_audience_shares_are_read_only_when_shared(self) -> None:
        """A creator who opted out of audience data has no readable audience."""
        shares = ic.AudienceShares(countries={"fr": 0.6}, languages={"fr": 0.9})
        base = ic.Creator(id="c1", display_name="A", audience_shares=shares)
        assert base.readable_audience == shares
        assert (
            ic.Creator(
                id="c2", display_name="B", audience_shares=shares, audience_data="opted_out"
            ).readable_audience
            is None
        )
        with pytest.raises(ic.ValidationError):
            ic.AudienceShares(countries={"FR": 0.7, "BE": 0.5})


# -- matching, pure ----------------------------------------------------------------------


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


@given(_pools(), ics.targetings(), st.data())
def test_rank_equals_the_one_creator_rule_and_never_ranks_a_filtered_creator(
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


def attrs_evolve_tiers(targeting: ic.Targeting, tiers: ic.TierPolicy) -> ic.Targeting:
    """The targeting, without its follower range when it cannot hold the targeted tiers
    under ``tiers`` (the strategy draws tiers and a range separately)."""
    import attrs

    try:
        targeting.check_tiers(tiers)
    except ic.ValidationError:
        return attrs.evolve(targeting, followers=None)
    return targeting


# -- a campaign that ends, with reviews ---------------------------------------------------


def run_campaign(ws: ic.Workspace) -> dict[str, Any]:
    """An offer with three creators: Ana (two reels, one late, validated 80 and 90), Ben
    (one post on time, validated 60) and Cleo (gets a product, reminders, publishes
    nothing). Dan applies and is refused as out of target."""
    clock = ws.clock
    assert isinstance(clock, ic.FrozenClock)
    names = {"ana": ("food",), "ben": ("food", "garden"), "cleo": ("garden",), "dan": ("beauty",)}
    people = {n: creator(ws, n.title(), themes=t) for n, t in names.items()}
    made = offer(ws, "Spring", end=at(30, 4))
    apps = {
        n: ws.applications.apply(ic.CreatorUser(c.id), made.id, c.id, pitch="hi")
        for n, c in people.items()
    }
    clock.advance(hours=2)
    joined = {
        n: ws.applications.accept(MANAGER, apps[n].id, message="Welcome!")
        for n in ("ana", "ben", "cleo")
    }
    ws.applications.refuse(
        MANAGER, apps["dan"].id, message="Not this time.", reason="out_of_target"
    )
    ws.campaigns.start(MANAGER, made.id)
    plan = {}
    for n, p in joined.items():
        plan[n] = ws.deliverables.plan(
            MANAGER,
            p.id,
            platform="instagram",
            format="reel" if n == "ana" else "post",
            quantity=2 if n == "ana" else 1,
            due_on=dt.date(2026, 3, 20),
        )
    cleo = joined["cleo"]
    shipment = ws.shipments.create(
        MANAGER, cleo.id, [ic.ShipmentItem("Kit", 1, ic.Money.of(40, "EUR"))]
    )
    ws.shipments.ship(MANAGER, shipment.id, carrier="Colissimo", tracking_number="6A1")
    ws.shipments.deliver(MANAGER, shipment.id)
    clock.set(at(1, 4))
    ws.scheduler.run(ic.SystemActor())  # reminders 1, 2 and 3 are due: the last is sent

    def publish(n: str, when: pendulum.DateTime, compliance: int) -> None:
        if clock.now() < when.add(hours=1):
            clock.set(when.add(hours=1))
        s = ws.submissions.submit(
            MANAGER,
            joined[n].id,
            url=f"https://instagram.com/p/{n}{when.int_timestamp}",
            platform="instagram",
            format="reel" if n == "ana" else "post",
            published_at=when,
            deliverable_id=plan[n].id,
            metrics={"impressions": 1_000, "likes": 100},
        )
        ws.submissions.validate(MANAGER, s.id, compliance=compliance)

    publish("ana", at(10, 4), 80)  # the reminders above did not concern Ana
    publish("ana", at(12, 4), 90)
    publish("ben", at(14, 4), 60)
    return {"campaign": made, "people": people, "joined": joined, "apps": apps}


class TestReviews:
    def test_review_only_after_the_end_and_only_creators_who_were_in(
        self, ws: ic.Workspace
    ) -> None:
        """Before the end: InvalidTransition; a refused applicant or a stranger: a
        ValidationError naming creator_id; out-of-scale ratings: the field; nothing stored
        and no event in each case."""
        run = run_campaign(ws)
        made, people = run["campaign"], run["people"]
        outbox = len(ws.store.outbox.pending(limit=10_000))
        good = {"content_quality": 5}
        with pytest.raises(ic.InvalidTransition):
            ws.reviews.rate(MANAGER, made.id, people["ana"].id, ratings=good, work_again=True)
        ws.campaigns.end(MANAGER, made.id)
        outbox += 1
        with pytest.raises(ic.ValidationError) as caught:
            ws.reviews.rate(MANAGER, made.id, people["dan"].id, ratings=good, work_again=True)
        assert caught.value.field == "creator_id"
        bad_ratings: list[tuple[dict[str, Any], str]] = [
            ({"content_quality": 6}, "ratings.content_quality"),
            ({"reliability": 0}, "ratings.reliability"),
            ({"communication": True}, "ratings.communication"),
            ({"brief_respect": 4.5}, "ratings.brief_respect"),
            ({}, "ratings"),
            ({"charm": 5}, "ratings"),
        ]
        for bad, field in bad_ratings:
            with pytest.raises(ic.ValidationError) as caught:
                ws.reviews.rate(MANAGER, made.id, people["ana"].id, ratings=bad, work_again=True)
            assert caught.value.field == field
        with pytest.raises(ic.ValidationError) as caught:
            ws.reviews.rate(
                MANAGER, made.id, people["ana"].id, ratings=good, work_again=True, tags=["vip"]
            )
        assert caught.value.field == "tags"
        assert ws.reviews.list(MANAGER, made.id) == []
        assert len(ws.store.outbox.pending(limit=10_000)) == outbox
        ws.campaigns.review(MANAGER, made.id)
        with pytest.raises(ic.InvalidTransition):
            ws.reviews.rate(MANAGER, made.id, people["ana"].id, ratings=good, work_again=True)

    def test_a_review_is_kept_replaced_and_private(self, ws: ic.Workspace) -> None:
        """Rating again replaces the review; analysts read it, viewers, creators and other
        brands do not; the event carries no note."""
        run = run_campaign(ws)
        made, ana = run["campaign"], run["people"]["ana"]
        ws.campaigns.end(MANAGER, made.id)
        first = ws.reviews.rate(
            MANAGER, made.id, ana.id, ratings={"content_quality": 3}, work_again=False
        )
        again = ws.reviews.rate(
            MANAGER,
            made.id,
            ana.id,
            ratings=ic.Ratings(content_quality=5, reliability=4),
            work_again=True,
            tags=["ugc", "product_test"],
            note="Great reels, a day late.",
        )
        assert again.id == first.id
        stored = ws.reviews.get(ANALYST, made.id, ana.id)
        assert stored.ratings.overall == Decimal("4.50")
        assert stored.tags == {ic.ReactivationTag.UGC, ic.ReactivationTag.PRODUCT_TEST}
        assert stored.note == "Great reels, a day late."
        for who in (VIEWER, ic.CreatorUser(ana.id), OTHER_BRAND):
            with pytest.raises(ic.PermissionDenied):
                ws.reviews.get(who, made.id, ana.id)
        rated = [m.event for m in ws.store.outbox.pending(limit=10_000)]
        rated = [e for e in rated if e.type == "CreatorRated"]
        assert [e.overall for e in rated] == [Decimal("3.00"), Decimal("4.50")]  # type: ignore[attr-defined]
        assert "note" not in json.dumps(ic.make_converter().unstructure(rated[-1]))

    def test_retrospective_from_the_data(self, ws: ic.Workspace) -> None:
        """Ana's two reels were late (due 20 March, published 10 and 12 April), Ben's post
        was late too and validated at 60 %; Cleo got two of three reminders unanswered
        (the scheduler sent the last one due) and published nothing: adjust deadlines,
        brief and gift value."""
        run = run_campaign(ws)
        made = run["campaign"]
        with pytest.raises(ic.InvalidTransition):
            ws.reviews.retrospective(MANAGER, made.id)
        ws.campaigns.end(MANAGER, made.id)
        retro = ws.reviews.retrospective(MANAGER, made.id)
        assert (retro.creators, retro.expected, retro.delivered, retro.on_time) == (3, 4, 3, 0)
        assert retro.outstanding == 1
        assert [(x.creator_id, x.days_late) for x in retro.late] == [
            ("cre_ana", 22),
            ("cre_ana", 24),
            ("cre_ben", 26),
        ]
        assert [(x.creator_id, x.compliance) for x in retro.low_compliance] == [("cre_ben", 60)]
        assert retro.mean_compliance == Decimal("76.67")
        assert retro.silent_creators == ("cre_cleo",)
        assert (retro.reminders_sent, retro.unanswered_reminders) == (1, 1)
        topics = [a.topic for a in retro.adjustments]
        assert topics == [
            ic.AdjustmentTopic.DEADLINES,
            ic.AdjustmentTopic.BRIEF,
            ic.AdjustmentTopic.GIFT_VALUE,
        ]
        assert "24 more days" in retro.adjustments[0].suggestion  # the median delay
        assert "gift value" in retro.adjustments[2].suggestion
        assert retro.lines()[-1].startswith("adjust gift_value")

    def test_a_clean_campaign_has_nothing_to_adjust(self) -> None:
        """On time, well validated, no reminder: no adjustment."""
        made = ic.Campaign(
            id="cmp1",
            brand_id="acme",
            name="Clean",
            kind="seeding",
            mode="project",
            window=ic.DateWindow(at(1), at(30), PARIS),
        )
        retro = retrospective(CampaignRecord(made))
        assert retro.adjustments == ()
        assert retro.lines()[-1] == "nothing to adjust"

    def test_a_creator_who_declines_questions_the_gift_but_a_rejection_does_not(self) -> None:
        """A creator who declined counts as saying no (gift value); one rejected by the list's
        reviewers does not."""
        made = ic.Campaign(
            id="cmp1",
            brand_id="acme",
            name="Gift",
            kind="seeding",
            mode="project",
            window=ic.DateWindow(at(1), at(30), PARIS),
        )

        def participation(creator_id: str, **kw: Any) -> ic.Participation:
            return ic.Participation(
                id=f"p_{creator_id}",
                campaign_id="cmp1",
                brand_id="acme",
                creator_id=creator_id,
                source="group",
                status="declined",
                **kw,
            )

        rejected = participation("cre_b", reviews=(ListReview("client", "reject", at(2)),))
        retro = retrospective(CampaignRecord(made, (participation("cre_a"), rejected)))
        assert retro.declined == ("cre_a",)
        assert [a.topic for a in retro.adjustments] == [ic.AdjustmentTopic.GIFT_VALUE]


# -- relationship history ----------------------------------------------------------------


class TestHistory:
    def test_history_figures_match_hand_computed_ones(self, ws: ic.Workspace) -> None:
        """Ana over two campaigns: 3 contents delivered, 1 on time (1/3 = 0.3333);
        compliance (80 + 90 + 100) / 3 = 90.00; ratings 4.50 and 3.75 give 4.13 overall
        (half to even), content quality (5 + 4) / 2 = 4.50; applied twice, accepted
        twice, plus a refusal on a third offer."""
        clock = ws.clock
        assert isinstance(clock, ic.FrozenClock)
        run = run_campaign(ws)
        first, ana = run["campaign"], run["people"]["ana"]
        ws.campaigns.end(MANAGER, first.id)
        ws.reviews.rate(
            MANAGER,
            first.id,
            ana.id,
            ratings={"content_quality": 5, "reliability": 4},
            work_again=True,
            tags=["ugc"],
        )
        second = offer(ws, "Summer", start=at(1, 5), end=at(30, 6))
        app = ws.applications.apply(ic.CreatorUser(ana.id), second.id, ana.id)
        p = ws.applications.accept(MANAGER, app.id, message="Again!")
        ws.campaigns.start(MANAGER, second.id)
        d = ws.deliverables.plan(
            MANAGER, p.id, platform="instagram", format="post", due_on=dt.date(2026, 6, 10)
        )
        clock.set(at(2, 6))
        s = ws.submissions.submit(
            MANAGER,
            p.id,
            url="https://instagram.com/p/ana-summer",
            platform="instagram",
            format="post",
            published_at=at(1, 6),
            deliverable_id=d.id,
            metrics={"impressions": 2_000, "likes": 50},
        )
        ws.submissions.validate(MANAGER, s.id, compliance=100)
        ws.participations.complete(MANAGER, p.id)
        ws.campaigns.end(MANAGER, second.id)
        ws.reviews.rate(
            MANAGER,
            second.id,
            ana.id,
            ratings={
                "content_quality": 4,
                "reliability": 5,
                "communication": 3,
                "brief_respect": 3,
            },
            work_again=True,
            tags=["paid_partnership"],
        )
        third = offer(ws, "Autumn", start=at(1, 5), end=at(30, 6))
        late = ws.applications.apply(ic.CreatorUser(ana.id), third.id, ana.id)
        ws.applications.refuse(MANAGER, late.id, message="Full", reason="full")

        history = ws.history.creator(ANALYST, "acme", ana.id)
        assert [line.campaign_name for line in history.campaigns] == ["Spring", "Summer", "Autumn"]
        assert history.applications == {"applied": 3, "accepted": 2, "refused": 1}
        assert history.refusal_reasons == {"full": 1}
        assert (history.joined, history.completed) == (2, 1)
        assert (history.delivered, history.on_time) == (3, 1)
        assert history.on_time_rate == Decimal("0.3333")
        assert history.compliance == Decimal("90.00")
        assert history.rating == Decimal("4.12")  # (4.50 + 3.75) / 2 = 4.125, half to even
        assert history.ratings == {
            "content_quality": Decimal("4.50"),
            "reliability": Decimal("4.50"),
            "communication": Decimal("3.00"),
            "brief_respect": Decimal("3.00"),
        }
        # default card in the campaigns' EUR (the USD card at 0.92): a reel is valued on
        # views (none reported), so 100 likes at 0.10 USD = 10 USD each; the post: 2,000
        # impressions at 8/1000 + 50 likes at 0.10 = 21 USD; 41 USD x 0.92 = 37.72 EUR
        assert history.emv == {"EUR": ic.Money.of("37.72", "EUR")}
        assert history.sales == {"EUR": ic.Money.zero("EUR")}  # no order was attributed
        assert history.work_again is True
        assert history.tags == {ic.ReactivationTag.PAID_PARTNERSHIP}
        assert history.collaborations == {ic.Collaboration.GIFTED}
        assert history.record()["rating"] == Decimal("4.12")
        dan = ws.history.creator(ANALYST, "acme", run["people"]["dan"].id)
        assert dan.applications == {"applied": 1, "refused": 1}
        assert dan.joined == 0
        stranger = creator(ws, "Zoe")
        assert ws.history.creator(ANALYST, "acme", stranger.id).campaigns == ()
        with pytest.raises(ic.PermissionDenied):
            ws.history.creator(VIEWER, "acme", ana.id)

    def test_reactivation_lists_filter_by_tag_tier_and_theme(self, ws: ic.Workspace) -> None:
        """Only creators to work with again, filtered by tag, tier and theme, best first."""
        run = run_campaign(ws)
        made, people = run["campaign"], run["people"]
        ws.campaigns.end(MANAGER, made.id)
        rate = ws.reviews.rate
        rate(
            MANAGER,
            made.id,
            people["ana"].id,
            ratings={"content_quality": 4},
            work_again=True,
            tags=["ugc"],
            note="Reels",
        )
        rate(
            MANAGER,
            made.id,
            people["ben"].id,
            ratings={"content_quality": 5},
            work_again=True,
            tags=["product_test", "ugc"],
        )
        rate(MANAGER, made.id, people["cleo"].id, ratings={"reliability": 1}, work_again=False)
        everyone = ws.history.reactivation(ANALYST, "acme")
        assert [x.creator_id for x in everyone] == ["cre_ben", "cre_ana"]
        assert (everyone[1].note, everyone[1].last_campaign_id) == ("Reels", made.id)
        assert [
            x.creator_id for x in ws.history.reactivation(ANALYST, "acme", tags=["product_test"])
        ] == ["cre_ben"]
        assert [
            x.creator_id for x in ws.history.reactivation(ANALYST, "acme", themes=["garden"])
        ] == ["cre_ben"]
        assert ws.history.reactivation(ANALYST, "acme", tiers=["mid"]) == []
        assert len(ws.history.reactivation(ANALYST, "acme", tiers=["micro"])) == 2
        with pytest.raises(ic.ValidationError):
            ws.history.reactivation(ANALYST, "acme", tiers=["huge"])

    def test_the_pure_history_is_invariant_to_campaign_order(self, ws: ic.Workspace) -> None:
        """creator_histories gives the same figures whatever order campaigns come in."""
        run = run_campaign(ws)
        ws.campaigns.end(MANAGER, run["campaign"].id)
        with ws.store.unit_of_work(read_only=True) as uow:
            from influcampaign.services.reviews import _record

            records = [_record(uow, c) for c in uow.campaigns.find(brand_id="acme")]
        forward = creator_histories("acme", records)
        backward = creator_histories("acme", list(reversed(records)))
        assert forward == backward
        assert forward["cre_ana"].on_time_rate == Decimal(0)


# -- matching on the workspace -----------------------------------------------------------


class TestMatchingService:
    def test_ranking_for_a_second_offer_uses_the_first_ones_history(self, ws: ic.Workspace) -> None:
        """Ben (rated 5, work again) beats an identical newcomer; Cleo (work again: no) is
        filtered out; applicants are not ranked; a quick out-of-target refusal on the
        second offer lowers the profile like the refused one."""
        run = run_campaign(ws)
        made, people = run["campaign"], run["people"]
        ws.campaigns.end(MANAGER, made.id)
        ws.reviews.rate(
            MANAGER,
            made.id,
            people["ben"].id,
            ratings={"content_quality": 5},
            work_again=True,
            tags=["product_test"],
        )
        ws.reviews.rate(
            MANAGER, made.id, people["cleo"].id, ratings={"reliability": 1}, work_again=False
        )
        twin = creator(ws, "Bentwin", themes=("food", "garden"))
        second = offer(
            ws,
            "Autumn",
            start=at(1, 9),
            end=at(30, 11),
            targeting=ic.Targeting(
                platforms=["instagram"],
                tiers=["micro"],
                themes=["food", "garden"],
                countries=["FR", "BE"],
            ),
        )
        first = ws.matching.rank(ANALYST, second.id)
        assert first.order[:2] == ("cre_ben", twin.id)
        assert first.explain(people["cleo"].id).filtered_by == "work_again"
        collaboration = first.explain("cre_ben").criterion("collaboration")
        assert collaboration.outcome is ic.Outcome.MATCHED  # gifted before, tagged product test
        with pytest.raises(ic.PermissionDenied):
            ws.matching.rank(VIEWER, second.id)

    def test_a_quick_out_of_target_refusal_moves_the_next_ranking(self, ws: ic.Workspace) -> None:
        """An offer that names no theme ranks two beauty creators with a high engagement
        rate above a food creator; once the brand quickly refuses one of them as out of
        target, the other falls below the food creator, and the refused one is not ranked."""
        bea = creator(ws, "Bea", themes=("beauty",), rate=0.08)
        bee = creator(ws, "Bee", themes=("beauty", "makeup"), rate=0.08)
        fred = creator(ws, "Fred", themes=("food",), rate=0.03)
        made = offer(ws, targeting=ic.Targeting(min_engagement_rate=0.02))
        first = ws.matching.rank(ANALYST, made.id)
        assert first.order == (bea.id, bee.id, fred.id)
        app = ws.applications.apply(ic.CreatorUser(bea.id), made.id, bea.id)
        ws.clock.advance(hours=1)  # type: ignore[attr-defined]
        ws.applications.refuse(MANAGER, app.id, message="Out of target", reason="out_of_target")
        after = ws.matching.rank(ANALYST, made.id)
        assert after.order == (fred.id, bee.id)
        assert after.explain(bea.id).filtered_by == "in_campaign"
        line = after.explain(bee.id).criterion("refusals")
        assert line.fit == 0.5  # one of two themes shared, same tier
        assert line.value == f"resembles {bea.id}, refused (out_of_target)"
        limited = ws.matching.rank(
            ANALYST, made.id, creator_ids=[fred.id], weights=ic.MatchWeights(themes=0)
        )
        assert (limited.order, limited.considered) == ((fred.id,), 2)  # with the refused one


# -- storage -----------------------------------------------------------------------------


def test_a_v5_database_upgrades_with_default_targeting(tmp_path: Path) -> None:
    """A campaign stored before targeting and the matching policy existed reads with the
    defaults, and reviews can be stored after the upgrade."""

    source = ic.Workspace(ic.MemoryStore(), ic.FrozenClock(at(2)))
    made = offer(source)
    doc = ic.make_converter().unstructure(source.campaigns.get(MANAGER, made.id))
    del doc["targeting"]
    del doc["policies"]["matching"]
    url = f"sqlite:///{tmp_path}/v5.sqlite"
    ws = ic.Workspace(upgrade_old_database(url, 5, doc), ic.FrozenClock(at(2)))
    loaded = ws.campaigns.get(MANAGER, made.id)
    assert loaded.targeting == ic.Targeting()
    assert loaded.policies.matching == ic.MatchingPolicy()
    assert ws.history.brand(MANAGER, "acme") == {}
    ws.close()


def test_targeting_reviews_and_rated_events_round_trip_through_json() -> None:
    """The new stored types survive the project converter unchanged."""
    from influcampaign.domain.events import CreatorRated
    from influcampaign.serialization import from_json, to_json

    @given(ics.targetings(), ics.creator_reviews(), ics.audience_shares())
    def check(t: ic.Targeting, r: ic.CreatorReview, a: ic.AudienceShares) -> None:
        assert from_json(to_json(t), ic.Targeting) == t
        assert from_json(to_json(r), ic.CreatorReview) == r
        assert from_json(to_json(a), ic.AudienceShares) == a

    check()
    event = CreatorRated(
        occurred_at=at(2),
        review_id="rev_1",
        campaign_id="cmp_1",
        creator_id="cre_1",
        overall=Decimal("4.50"),
        work_again=True,
        tags=("ugc",),
    )
    assert from_json(to_json(event), CreatorRated) == event
