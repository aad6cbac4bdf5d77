"""The per-order attribution rule (influcampaign.rules.attribution)."""

from __future__ import annotations

from typing import Any

import attrs
import pendulum
from hypothesis import given
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.domain.orders import TouchKind
from influcampaign.rules.attribution import Touch, decide
from tests.helpers import AT


def touch(kind: TouchKind, pid: str, at: pendulum.DateTime = AT, **more: Any) -> Touch:
    return Touch(kind, pid, "cmp", f"cre_{pid}", at, f"{kind.value}-{pid}", **more)


class TestAttributionRule:
    def test_code_wins_link_wins_last_touch(self) -> None:
        """Between a code and an older click, CODE_WINS and LAST_TOUCH credit the code, LINK_WINS
        the click, and the reason names the rule."""
        code = touch(TouchKind.CODE, "a")
        click = touch(TouchKind.CLICK, "b", AT.subtract(days=2))
        for rule, winner in [
            (ic.AttributionRule.CODE_WINS, "a"),
            (ic.AttributionRule.LINK_WINS, "b"),
            (ic.AttributionRule.LAST_TOUCH, "a"),
        ]:
            touches = [attrs.evolve(t, rule=rule) for t in (code, click)]
            decision = decide(AT, touches)
            assert decision.touch is not None
            assert decision.touch.participation_id == winner
            assert rule.value in decision.reason
            assert len(decision.left_out) == 1

    def test_last_touch_prefers_a_later_click_to_an_earlier_landing(self) -> None:
        """Under LAST_TOUCH, a click five minutes before the order beats a landing an hour before."""
        rule = ic.AttributionRule.LAST_TOUCH
        landing = touch(TouchKind.LANDING, "a", AT.subtract(hours=1), rule=rule)
        click = touch(TouchKind.CLICK, "b", AT.subtract(minutes=5), rule=rule)
        assert decide(AT, [landing, click]).touch == click

    def test_click_outside_the_window_or_after_the_order_is_left_out(self) -> None:
        """A click older than its window (30 days, or the creator's own) or after the order earns
        nothing; one exactly at the edge counts."""
        old = touch(TouchKind.CLICK, "a", AT.subtract(days=30, seconds=1))
        edge = touch(TouchKind.CLICK, "a", AT.subtract(days=30))
        future = touch(TouchKind.CLICK, "a", AT.add(seconds=1))
        assert decide(AT, [old]).touch is None
        assert "30-day" in decide(AT, [old]).left_out[0][1]
        assert decide(AT, [edge]).touch == edge
        assert decide(AT, [future]).touch is None
        short = touch(TouchKind.CLICK, "a", AT.subtract(days=8), window_days=7)
        assert decide(AT, [short]).touch is None

    @given(
        order_hours=st.integers(-2_000, 2_000),
        since_hours=st.integers(-2_000, 2_000),
        start_hours=st.integers(-2_000, 2_000),
        length_hours=st.integers(1, 3_000),
        kinds=st.lists(st.sampled_from(list(TouchKind)), min_size=1, max_size=3),
        rule=st.sampled_from(list(ic.AttributionRule)),
    )
    def test_no_order_before_its_touch_existed_or_outside_the_campaign_is_credited(
        self,
        order_hours: int,
        since_hours: int,
        start_hours: int,
        length_hours: int,
        kinds: list[TouchKind],
        rule: ic.AttributionRule,
    ) -> None:
        """No order placed before its promo code or link existed, or outside the campaign's
        dates, is ever credited, whatever the rule and touches; otherwise the dates change
        nothing."""
        order_at = AT.add(hours=order_hours)
        since, start = AT.add(hours=since_hours), AT.add(hours=start_hours)
        end = start.add(hours=length_hours)
        bare = [
            touch(kind, "a", order_at.subtract(hours=1), rule=rule, window_days=365)
            for kind in kinds
        ]
        dated = [attrs.evolve(t, since=since, campaign_start=start, campaign_end=end) for t in bare]
        decision = decide(order_at, dated)
        if since <= order_at and start <= order_at < end:
            winner = decide(order_at, bare).touch
            assert decision.touch == (None if winner is None else dated[bare.index(winner)])
        else:
            assert decision.touch is None
            assert all(
                "before the" in why or "outside the campaign" in why for _, why in decision.left_out
            )

    def test_two_codes_of_two_creators(self) -> None:
        """Codes of two creators on one order credit no one, unless a link of one of them decides."""
        a, b = touch(TouchKind.CODE, "a"), touch(TouchKind.CODE, "b")
        decision = decide(AT, [a, b])
        assert decision.touch is None
        assert "belong to different creators" in decision.reason
        link_to_b = touch(TouchKind.LANDING, "b")
        assert decide(AT, [a, b, link_to_b]).touch == b
