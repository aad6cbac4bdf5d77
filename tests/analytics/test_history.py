"""Relationship history and reactivation lists (influcampaign.analytics.history)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import influcampaign as ic
from influcampaign.analytics.history import creator_histories
from tests.conftest import MANAGER
from tests.helpers import ANALYST, VIEWER, at, kit_offer, matching_creator, run_campaign


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
        second = kit_offer(ws, "Summer", start=at(1, 5), end=at(30, 6))
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
        third = kit_offer(ws, "Autumn", start=at(1, 5), end=at(30, 6))
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
        stranger = matching_creator(ws, "Zoe")
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
