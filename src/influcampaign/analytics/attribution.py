"""Attribution in bulk: millions of orders credited at once with numpy, the same decision as
:func:`influcampaign.rules.attribution.decide` makes order by order.

Inputs are arrays, one row per order: the participation (an index into the caller's list)
its promo code points at (``-1`` none, ``AMBIGUOUS`` when its codes belong to several), the
participation of its verified click and the click's time, and the participation of its
landing page. Money is integer minor units (cents), so every sum is exact.

>>> import numpy as np
>>> result = attribute_orders(
...     order_at=np.array([100, 100]),
...     code=np.array([0, -1]),
...     click=np.array([1, 1]),
...     click_at=np.array([90, 90]),
...     landing=np.array([-1, -1]),
...     window=np.array([50, 50]),
... )
>>> result.winner.tolist(), result.via.tolist()
([0, 1], [1, 2])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from influcampaign.domain.policies import AttributionRule
from influcampaign.errors import ValidationError

__all__ = [
    "AMBIGUOUS",
    "VIA",
    "BulkAttribution",
    "attribute_orders",
    "code_owners",
    "credited_totals",
]

AMBIGUOUS = -2
"""The code column's value for an order whose codes belong to several participations."""

VIA = ("none", "code", "click", "landing")
"""What ``BulkAttribution.via`` codes mean: 0 nobody, 1 code, 2 click, 3 landing page."""

_I64 = npt.NDArray[np.int64]
_EXACT = 2**53  # integers below this add exactly in float64


@attrs.frozen
class BulkAttribution:
    """Per order: the winning participation index (-1: nobody) and the touch (see VIA)."""

    winner: npt.NDArray[np.int64]
    via: npt.NDArray[np.int8]


def _column(name: str, value: Any, n: int | None) -> _I64:
    array = np.asarray(value)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise ValidationError(name, getattr(array, "dtype", value), "must be a 1-D integer array")
    if n is not None and len(array) != n:
        raise ValidationError(name, len(array), f"must have one row per order ({n})")
    return array.astype(np.int64, copy=False)


def _upper_rows(strings: npt.NDArray[np.str_], width: int) -> npt.NDArray[np.uint32]:
    """Each string as a row of UTF-32 code points, ASCII letters upper-cased (Shopify codes
    match case-insensitively), padded to ``width``."""
    fixed = np.ascontiguousarray(strings.astype(f"<U{max(width, 1)}"))
    rows = fixed.view(np.uint32).reshape(len(fixed), max(width, 1)).copy()
    rows[(rows >= 97) & (rows <= 122)] -= 32
    return rows


def _hash_rows(rows: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint64]:
    """A 64-bit FNV-style hash of each row (wrapping arithmetic, one pass per column)."""
    out = np.full(len(rows), 14695981039346656037, dtype=np.uint64)
    prime = np.uint64(1099511628211)
    for column in range(rows.shape[1]):
        out = (out ^ rows[:, column]) * prime
    return out


def code_owners(
    order_codes: Sequence[str] | npt.NDArray[np.str_],
    codes: Sequence[str] | npt.NDArray[np.str_],
    owners: Sequence[int] | npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """The participation index each order's code points at (-1: no such code, or none),
    matching case-insensitively as Shopify does; ``codes[i]`` belongs to ``owners[i]``.

    Codes are hashed to 64 bits in a few vectorised passes, matched with a binary search,
    and every match is confirmed on the full text, so a hash collision never credits an
    order wrongly.
    """
    known = np.asarray(codes, dtype=np.str_)
    wanted = np.asarray(order_codes, dtype=np.str_)
    owner = _column("owners", owners, len(known))
    if len(known) == 0 or len(wanted) == 0:
        return np.full(len(wanted), -1, dtype=np.int64)
    width = max(known.dtype.itemsize, wanted.dtype.itemsize) // 4
    known_rows, wanted_rows = _upper_rows(known, width), _upper_rows(wanted, width)
    known_hash = _hash_rows(known_rows)
    order = np.argsort(known_hash, kind="stable")
    sorted_hash = known_hash[order]
    if bool(np.any(sorted_hash[1:] == sorted_hash[:-1])):
        same = np.flatnonzero(sorted_hash[1:] == sorted_hash[:-1])
        first, second = known_rows[order[same]], known_rows[order[same + 1]]
        if bool(np.any((first == second).all(axis=1))):
            raise ValidationError("codes", "duplicates", "must be unique case-insensitively")
        raise ValidationError("codes", "hash", "two codes share a hash; match them one by one")
    wanted_hash = _hash_rows(wanted_rows)
    at = np.minimum(np.searchsorted(sorted_hash, wanted_hash), len(sorted_hash) - 1)
    candidate = order[at]
    found = (sorted_hash[at] == wanted_hash) & (known_rows[candidate] == wanted_rows).all(axis=1)
    found &= wanted_rows[:, 0] != 0  # an empty code matches nothing
    return np.where(found, owner[candidate], -1).astype(np.int64)


def attribute_orders(
    *,
    order_at: Any,
    code: Any,
    click: Any,
    click_at: Any,
    landing: Any,
    window: Any,
    rule: AttributionRule = AttributionRule.CODE_WINS,
) -> BulkAttribution:
    """Credit each order to one participation under ``rule``.

    ``order_at`` and ``click_at`` are integer times in one unit (microseconds, say);
    ``window`` holds, per participation, the attribution window in that unit. A click counts
    if ``0 <= order_at - click_at <= window[click]``. Codes and landing pages count at the
    order's time; for ``last_touch`` a code beats a landing page, which beats a click made
    at the same instant. An ambiguous code is settled by a link touch pointing at one of
    its owners only in the per-order rule; here it credits nobody unless another kind of
    touch wins first.
    """
    at = _column("order_at", order_at, None)
    n = len(at)
    code_p = _column("code", code, n)
    click_p = _column("click", click, n)
    click_t = _column("click_at", click_at, n)
    landing_p = _column("landing", landing, n)
    windows = _column("window", window, None)
    for name, column in (("code", code_p), ("click", click_p), ("landing", landing_p)):
        if n and (int(column.max(initial=-1)) >= len(windows) or int(column.min(initial=0)) < -2):
            raise ValidationError(name, "index", "points outside the participations")
    has_click = click_p >= 0
    age = at - click_t
    click_window = (
        windows[np.where(has_click, click_p, 0)] if len(windows) else np.zeros(n, np.int64)
    )
    click_ok = has_click & (age >= 0) & (age <= click_window)
    has_code = code_p != -1
    has_landing = landing_p >= 0

    winner = np.full(n, -1, dtype=np.int64)
    via = np.zeros(n, dtype=np.int8)
    if rule is AttributionRule.CODE_WINS:
        order = ((has_code, code_p, 1), (click_ok, click_p, 2), (has_landing, landing_p, 3))
    elif rule is AttributionRule.LINK_WINS:
        order = ((click_ok, click_p, 2), (has_landing, landing_p, 3), (has_code, code_p, 1))
    else:
        # The latest touch: code and landing page at the order's time beat any earlier
        # click; a click at the very instant of the order loses to them (code typed last).
        order = ((has_code, code_p, 1), (has_landing, landing_p, 3), (click_ok, click_p, 2))
    decided = np.zeros(n, dtype=bool)
    for present, owner, kind in order:
        take = present & ~decided
        winner[take] = owner[take]
        via[take] = kind
        decided |= present
    ambiguous = winner == AMBIGUOUS
    winner[ambiguous] = -1
    via[ambiguous] = 0
    return BulkAttribution(winner, via)


def credited_totals(winner: Any, amounts: Any, participations: int) -> npt.NDArray[np.int64]:
    """The sum of ``amounts`` (integer minor units) credited to each participation, exact."""
    who = _column("winner", winner, None)
    money = _column("amounts", amounts, len(who))
    credited = who >= 0
    if int(np.abs(money[credited]).sum(dtype=np.int64)) < _EXACT:
        sums = np.bincount(who[credited], weights=money[credited], minlength=participations)
        return sums.astype(np.int64)
    out = np.zeros(participations, dtype=np.int64)
    np.add.at(out, who[credited], money[credited])
    return out
