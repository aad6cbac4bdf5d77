"""The reviews and matching services: end-of-campaign reviews and ranking with history."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

import influcampaign as ic
from influcampaign.analytics.history import CampaignRecord, retrospective
from influcampaign.domain.events import CreatorRated
from influcampaign.domain.participation import ListReview
from tests.conftest import MANAGER
from tests.helpers import ANALYST, PARIS, VIEWER, at, kit_offer, matching_creator, run_campaign

OTHER_BRAND = ic.BrandMember("u_zed", brand_id="zed", role="owner")


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
        pending = [m.event for m in ws.store.outbox.pending(limit=10_000)]
        rated = [e for e in pending if isinstance(e, CreatorRated)]
        assert [e.overall for e in rated] == [Decimal("3.00"), Decimal("4.50")]
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
        twin = matching_creator(ws, "Bentwin", themes=("food", "garden"))
        second = kit_offer(
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

    def test_a_quick_out_of_target_refusal_moves_the_next_ranking(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """An offer that names no theme ranks two beauty creators with a high engagement
        rate above a food creator; once the brand quickly refuses one of them as out of
        target, the other falls below the food creator, and the refused one is not ranked."""
        bea = matching_creator(ws, "Bea", themes=("beauty",), rate=0.08)
        bee = matching_creator(ws, "Bee", themes=("beauty", "makeup"), rate=0.08)
        fred = matching_creator(ws, "Fred", themes=("food",), rate=0.03)
        made = kit_offer(ws, targeting=ic.Targeting(min_engagement_rate=0.02))
        first = ws.matching.rank(ANALYST, made.id)
        assert first.order == (bea.id, bee.id, fred.id)
        app = ws.applications.apply(ic.CreatorUser(bea.id), made.id, bea.id)
        clock.advance(hours=1)
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
