"""Creators and tier policies (influcampaign.domain.creator): validation and tiers."""

from __future__ import annotations

import pendulum
import pytest

import influcampaign as ic
import influcampaign.domain


class TestTiers:
    @pytest.mark.parametrize(
        ("followers", "tier"),
        [
            (0, "nano"),
            (9_999, "nano"),
            (10_000, "micro"),
            (99_999, "micro"),
            (100_000, "mid"),
            (499_999, "mid"),
            (500_000, "macro"),
            (999_999, "macro"),
            (1_000_000, "mega"),
        ],
    )
    def test_default_thresholds(self, followers: int, tier: str) -> None:
        """The documented default split: <10k nano, <100k micro, <500k mid, <1M macro, else mega."""
        assert ic.TierPolicy().tier_for(followers) == tier

    def test_thresholds_are_configurable(self) -> None:
        """A brand can set its own boundaries."""
        policy = ic.TierPolicy((5_000, 50_000, 250_000, 2_000_000))
        assert policy.tier_for(7_000) == ic.Tier.MICRO
        assert policy.tier_for(1_500_000) == ic.Tier.MACRO

    @pytest.mark.parametrize("thresholds", [(1, 2, 3), (10, 5, 20, 30), (0, 1, 2, 3), (1, 2, 2, 3)])
    def test_refuses_thresholds_that_do_not_increase(self, thresholds: tuple[int, ...]) -> None:
        """Thresholds must be four positive, strictly increasing numbers."""
        with pytest.raises(ic.ValidationError, match="thresholds"):
            ic.TierPolicy(thresholds)

    def test_creator_tier_is_from_its_largest_platform(self) -> None:
        """A creator with 8k on Instagram and 150k on TikTok is mid."""
        creator = ic.Creator(
            id="c1",
            display_name="Sam",
            audience={"instagram": ic.AudienceStats(8_000), "tiktok": ic.AudienceStats(150_000)},
        )
        assert creator.followers == 150_000
        assert creator.tier() == ic.Tier.MID


class TestCreatorValidation:
    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"id": "has space"}, "id"),
            ({"id": ""}, "id"),
            ({"display_name": "   "}, "display_name"),
            ({"handles": {"myspace": "x"}}, "handles"),
            ({"handles": {"instagram": "bad handle!"}}, "handles.instagram"),
            ({"audience": {"instagram": ic.AudienceStats(1)}, "country": "France"}, "country"),
            ({"audience_data": "secret"}, "audience_data"),
            ({"created_at": pendulum.naive(2026, 1, 1)}, "created_at"),
            ({"themes": "food"}, "themes"),
            ({"contact": None, "language": "french"}, "language"),
        ],
    )
    def test_bad_fields_are_named(self, kwargs: dict[str, object], field: str) -> None:
        """Each invalid field raises ValidationError naming that field."""
        values: dict[str, object] = {"id": "c1", "display_name": "Alice", **kwargs}
        with pytest.raises(ic.ValidationError) as info:
            ic.Creator(**values)  # type: ignore[arg-type]
        assert field in info.value.field

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"followers": -1}, "followers"),
            ({"followers": 10, "engagement_rate": 1.5}, "engagement_rate"),
            ({"followers": 10, "average_views": -3}, "average_views"),
            ({"followers": True}, "followers"),
        ],
    )
    def test_negative_or_impossible_statistics_are_refused(
        self, kwargs: dict[str, object], field: str
    ) -> None:
        """Negative follower counts, rates above 1 and negative views are refused."""
        with pytest.raises(ic.ValidationError) as info:
            ic.AudienceStats(**kwargs)  # type: ignore[arg-type]
        assert info.value.field == field

    def test_handles_are_normalised(self) -> None:
        """'@alice' and 'INSTAGRAM' are read as platform instagram, handle alice."""
        creator = ic.Creator(id="c1", display_name=" Alice ", handles={"INSTAGRAM": "@alice"})
        assert creator.handles == {ic.Platform.INSTAGRAM: "alice"}
        assert creator.display_name == "Alice"

    def test_assignments_are_validated_too(self) -> None:
        """Setting a field on an aggregate runs the same validation."""
        creator = ic.Creator(id="c1", display_name="Alice")
        with pytest.raises(ic.ValidationError):
            creator.display_name = ""
        assert creator.display_name == "Alice"

    def test_redacted_copy_has_no_personal_data(self) -> None:
        """redacted() drops contact details and keeps the rest."""
        creator = ic.Creator(id="c1", display_name="A", contact=ic.ContactDetails(email="a@b.co"))
        assert creator.redacted().contact is None
        assert creator.contact is not None
