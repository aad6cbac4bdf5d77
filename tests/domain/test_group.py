"""Groups of creators (influcampaign.domain.group)."""

from __future__ import annotations

import influcampaign as ic
import influcampaign.domain


class TestGroup:
    def test_members_are_unique_and_ordered(self) -> None:
        """Adding twice keeps one entry, in first-added order; add/remove report what changed."""
        group = ic.Group(id="g1", brand_id="acme", name="Food", creator_ids=["c2", "c1", "c2"])
        assert group.creator_ids == ("c2", "c1")
        assert group.add(["c1", "c3"]) == ("c3",)
        assert group.remove(["c2", "c9"]) == ("c2",)
        assert group.creator_ids == ("c1", "c3")
