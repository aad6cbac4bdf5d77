"""Campaign targeting (influcampaign.domain.targeting)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import influcampaign as ic
from tests.conftest import MANAGER
from tests.helpers import PARIS, at, kit_offer

FOOD = ic.Targeting(
    platforms=["instagram"],
    tiers=["nano", "micro"],
    min_engagement_rate=0.02,
    themes=["food", "garden"],
    countries=["FR", "BE"],
)


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
        made = kit_offer(ws, targeting=FOOD)
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
