"""Which participation an order is credited to: a pure decision over the order's touches.

A touch is a promo code of the order, the click whose signed id came back with it, or the
tracked link of its landing page. A touch counts only for an order placed within its
campaign's dates and after its code or link existed; clicks older than the campaign's
attribution window (or after the order) are left out. The campaign's
:class:`AttributionRule` then picks:

- ``code_wins``: the code, else the click, else the landing page;
- ``link_wins``: the click, else the landing page, else the code;
- ``last_touch``: the most recent touch (code and landing page count at the order's time,
  the code last, since it is typed at checkout).

Two codes of two creators on one order are settled by a link touch pointing at one of
them; otherwise nobody is credited, and the reason says so. When touches belong to
campaigns whose rules differ, ``code_wins`` decides. One order, one participation at most.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pendulum

from influcampaign.domain.orders import TouchKind
from influcampaign.domain.policies import AttributionRule

__all__ = ["Decision", "Touch", "decide"]

_PREFERENCE = {
    AttributionRule.CODE_WINS: (TouchKind.CODE, TouchKind.CLICK, TouchKind.LANDING),
    AttributionRule.LINK_WINS: (TouchKind.CLICK, TouchKind.LANDING, TouchKind.CODE),
}
# For last touch, among touches at the same instant: the code is typed last, at checkout.
_LAST_RANK = {TouchKind.CLICK: 0, TouchKind.LANDING: 1, TouchKind.CODE: 2}


@attrs.frozen
class Touch:
    """One way an order points at a participation, with the rules of that campaign."""

    kind: TouchKind
    participation_id: str
    campaign_id: str
    creator_id: str
    at: pendulum.DateTime
    detail: str
    rule: AttributionRule = AttributionRule.CODE_WINS
    window_days: int = 30
    since: pendulum.DateTime | None = None  # when its code or link was created
    campaign_start: pendulum.DateTime | None = None
    campaign_end: pendulum.DateTime | None = None  # excluded


@attrs.frozen
class Decision:
    """The touch credited (None: nobody), why, and the touches left out with their reason."""

    touch: Touch | None
    reason: str
    left_out: tuple[tuple[Touch, str], ...] = ()


def _in_window(touch: Touch, order_at: pendulum.DateTime) -> str | None:
    start, end = touch.campaign_start, touch.campaign_end
    if (start is not None and order_at < start) or (end is not None and order_at >= end):
        dates = f"{'…' if start is None else start.isoformat()} to "
        dates += "…" if end is None else end.isoformat()
        return f"the order was placed outside the campaign's dates ({dates})"
    if touch.since is not None and order_at < touch.since:
        what = "promo code" if touch.kind is TouchKind.CODE else "tracked link"
        return f"the order was placed before the {what} existed ({touch.since.isoformat()})"
    if touch.kind is not TouchKind.CLICK:
        return None
    if touch.at > order_at:
        return "the click came after the order"
    if (order_at - touch.at).total_seconds() > touch.window_days * 86_400:
        return f"the click is older than the {touch.window_days}-day attribution window"
    return None


def _pick(candidates: Sequence[Touch], others: Sequence[Touch]) -> tuple[Touch | None, str | None]:
    """One touch among candidates of the same kind, or why none could be chosen."""
    participations = sorted({t.participation_id for t in candidates})
    if len(participations) == 1:
        return candidates[0], None
    pointed = {t.participation_id for t in others} & set(participations)
    if len(pointed) == 1:
        winner = pointed.pop()
        return next(t for t in candidates if t.participation_id == winner), None
    details = " and ".join(sorted(t.detail for t in candidates))
    return None, f"{candidates[0].kind.value}s {details} belong to different creators"


def decide(order_at: pendulum.DateTime, touches: Sequence[Touch]) -> Decision:
    """The participation an order placed at ``order_at`` is credited to."""
    left_out: list[tuple[Touch, str]] = []
    valid: list[Touch] = []
    for touch in touches:
        why = _in_window(touch, order_at)
        if why is None:
            valid.append(touch)
        else:
            left_out.append((touch, why))
    if not valid:
        reason = "no promo code or tracked link of a campaign" if not touches else "no valid touch"
        return Decision(None, reason, tuple(left_out))
    rules = {t.rule for t in valid}
    rule = rules.pop() if len(rules) == 1 else AttributionRule.CODE_WINS
    mixed = "" if len(rules) == 0 else " (campaigns with different rules: code wins)"
    if rule is AttributionRule.LAST_TOUCH:
        kind = max(valid, key=lambda t: (t.at, _LAST_RANK[t.kind])).kind
    else:
        kind = next(k for k in _PREFERENCE[rule] if any(t.kind is k for t in valid))
    candidates = [t for t in valid if t.kind is kind]
    winner, problem = _pick(candidates, [t for t in valid if t.kind is not kind])
    if winner is None:
        return Decision(None, f"{rule.value}: {problem}", tuple(left_out))
    left_out.extend(
        (t, f"{rule.value}: the {winner.kind.value} {winner.detail} was chosen")
        for t in valid
        if t is not winner
    )
    return Decision(
        winner, f"{rule.value}: {winner.kind.value} {winner.detail}{mixed}", tuple(left_out)
    )
