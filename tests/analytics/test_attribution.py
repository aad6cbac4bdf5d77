"""Bulk attribution (influcampaign.analytics.attribution)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.domain.orders import TouchKind
from influcampaign.rules.attribution import Touch, decide
from tests.helpers import AT


class TestBulkAttribution:
    """The vectorised attribution of many orders at once."""

    @settings(max_examples=60)
    @given(
        rows=st.lists(
            st.tuples(
                st.integers(-1, 3),  # code owner
                st.integers(-1, 3),  # click owner
                st.integers(-2, 40),  # click age in days
                st.integers(-1, 3),  # landing owner
            ),
            max_size=30,
        ),
        rule=st.sampled_from(list(ic.AttributionRule)),
        windows=st.lists(st.integers(1, 35), min_size=4, max_size=4),
    )
    def test_bulk_attribution_decides_as_the_per_order_rule(
        self, rows: list[tuple[int, int, int, int]], rule: ic.AttributionRule, windows: list[int]
    ) -> None:
        """For any touches, rule and windows, the vectorised attribution picks the same winner and
        channel as the per-order rule."""
        import numpy as np

        from influcampaign.analytics.attribution import VIA, attribute_orders

        day = 86_400_000_000
        order_at = 100 * day
        result = attribute_orders(
            order_at=np.full(len(rows), order_at, dtype=np.int64),
            code=np.array([r[0] for r in rows], dtype=np.int64),
            click=np.array([r[1] for r in rows], dtype=np.int64),
            click_at=np.array([order_at - r[2] * day for r in rows], dtype=np.int64),
            landing=np.array([r[3] for r in rows], dtype=np.int64),
            window=np.array([w * day for w in windows], dtype=np.int64),
            rule=rule,
        )
        for index, (code, click, age, landing) in enumerate(rows):
            touches = []
            for kind, owner, at in [
                (TouchKind.CODE, code, AT),
                (TouchKind.CLICK, click, AT.subtract(days=age)),
                (TouchKind.LANDING, landing, AT),
            ]:
                if owner >= 0:
                    touches.append(
                        Touch(kind, str(owner), "cmp", "c", at, "d", rule, windows[owner])
                    )
            expected = decide(AT, touches).touch
            assert result.winner[index] == (
                -1 if expected is None else int(expected.participation_id)
            )
            assert VIA[result.via[index]] == ("none" if expected is None else expected.kind.value)

    def test_code_owners_match_case_insensitively_and_exactly(self) -> None:
        """Promo codes find their owners ignoring case but not accents or extra letters, and
        credited totals add exactly beyond float precision."""
        from influcampaign.analytics.attribution import code_owners, credited_totals

        owners = code_owners(
            ["emma15", "", "LEO10", "LEO1", "léo10", "EMMA15X"], ["EMMA15", "Leo10"], [4, 7]
        )
        assert owners.tolist() == [4, -1, 7, -1, -1, -1]
        with pytest.raises(ic.ValidationError, match="unique"):
            code_owners(["A"], ["EMMA15", "emma15"], [0, 1])
        assert credited_totals([0, 1, 0, -1], [150, 275, 1, 999], 3).tolist() == [151, 275, 0]
        big = 2**60
        assert credited_totals([0, 0], [big, 3], 1).tolist() == [big + 3]  # beyond float precision
