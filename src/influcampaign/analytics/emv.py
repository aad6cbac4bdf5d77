"""Bulk EMV with numpy, exact: metrics as integer counts, unit values scaled to integers,
each content's value rounded (half to even) to the currency's minor units.

The per-content rule is :meth:`influcampaign.domain.emv.RateCard.value`; this module gives
the same numbers for many contents at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from influcampaign.domain.emv import ACTIONS, EmvAction

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from influcampaign.domain.content import Metrics

__all__ = ["BulkEmv", "bulk_emv", "metrics_matrix", "round_half_even"]

UNKNOWN = -1
"""A metric that was not reported, in the count matrix."""


def metrics_matrix(metrics: Sequence[Metrics | None]) -> NDArray[np.int64]:
    """Counts of each :data:`~influcampaign.domain.emv.ACTIONS` per content (-1: not reported)."""
    names = [a.value for a in ACTIONS]
    rows = [
        [UNKNOWN] * len(names)
        if m is None
        else [UNKNOWN if (v := getattr(m, n)) is None else v for n in names]
        for m in metrics
    ]
    return np.array(rows, dtype=np.int64).reshape(len(rows), len(names))


def _exponent(values: Sequence[Decimal]) -> int:
    """The number of decimals needed to write every value as an integer."""
    places = 0
    for value in values:
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int):
            places = max(places, -exponent)
    return places


def round_half_even(scaled: NDArray[Any], divisor: int) -> NDArray[Any]:
    """``scaled / divisor`` rounded half to even, in integers (``divisor`` ≥ 1)."""
    if divisor == 1:
        return scaled
    quotient, remainder = np.divmod(scaled, divisor)
    twice = 2 * remainder
    up = (twice > divisor) | ((twice == divisor) & (quotient % 2 == 1))
    result: NDArray[Any] = quotient + up.astype(scaled.dtype)
    return result


class BulkEmv:
    """Exact EMV of many contents in one currency.

    ``scaled[i]`` is content ``i``'s EMV times ``10**exponent`` (an integer; 0 where
    unknown); ``known[i]`` whether any valued metric was reported; ``missing[i, j]`` whether
    action ``j`` is valued but was not reported.
    """

    __slots__ = ("exponent", "known", "missing", "scaled")

    def __init__(
        self,
        scaled: NDArray[Any],
        exponent: int,
        known: NDArray[np.bool_],
        missing: NDArray[np.bool_],
    ) -> None:
        self.scaled = scaled
        self.exponent = exponent
        self.known = known
        self.missing = missing

    def exact(self, i: int) -> Decimal | None:
        """Content ``i``'s EMV as an exact Decimal (None when unknown)."""
        if not self.known[i]:
            return None
        return Decimal(int(self.scaled[i])).scaleb(-self.exponent)

    def minor(self, places: int) -> NDArray[Any]:
        """Each content's EMV rounded half to even to ``places`` decimals, in those units
        (int64, or Python integers when int64 could overflow)."""
        if self.exponent >= places:
            return round_half_even(self.scaled, 10 ** (self.exponent - places))
        result: NDArray[Any] = self.scaled * 10 ** (places - self.exponent)
        return result

    def missing_actions(self, i: int) -> tuple[EmvAction, ...]:
        """The valued actions content ``i`` did not report."""
        return tuple(a for a, m in zip(ACTIONS, self.missing[i], strict=True) if m)


def bulk_emv(
    counts: NDArray[np.int64],
    price_rows: NDArray[np.intp],
    prices: Sequence[Mapping[EmvAction, Decimal]],
) -> BulkEmv:
    """Exact EMV of contents whose metrics are ``counts`` (rows of :func:`metrics_matrix`)
    under the unit values ``prices[price_rows[i]]`` (action → value of one action).

    Unit values are scaled to integers and products summed in int64 when they cannot
    overflow, else in Python integers, so the result is exact either way.
    """
    n, width = counts.shape
    exponent = _exponent([v for table in prices for v in table.values()])
    scale = 10**exponent
    rows = max(len(prices), 1)
    table = np.zeros((rows, width), dtype=object)
    priced = np.zeros((rows, width), dtype=bool)
    for row, values in enumerate(prices):
        for j, action in enumerate(ACTIONS):
            if action in values:
                table[row, j] = int(values[action] * scale)
                priced[row, j] = True
    rows_priced = priced[price_rows]
    reported = counts >= 0
    valued = reported & rows_priced
    missing = ~reported & rows_priced
    known: NDArray[np.bool_] = np.asarray(valued.any(axis=1), dtype=bool)
    largest_price = max((abs(int(v)) for v in table.ravel()), default=0)
    largest_count = int(counts.max()) if counts.size else 0
    dtype: Any = np.int64 if largest_price * largest_count * width < 2**62 else object
    unit = table.astype(dtype)[price_rows]
    products = np.where(valued, counts.astype(dtype) * unit, 0).astype(dtype)
    scaled = products.sum(axis=1).astype(dtype) if n else np.zeros(0, dtype=dtype)
    return BulkEmv(scaled, exponent, known, missing)
