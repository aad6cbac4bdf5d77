"""What the report's sections share: exchange rates, conversion and ratio rounding."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from influcampaign.domain.money import Money
from influcampaign.errors import ValidationError

__all__ = ["RATIO", "Rates", "convert", "flat", "ratio"]

Rates = Callable[[str, str, _dt.date], Decimal]
"""The value of 1 ``base`` in ``quote`` on a day; raises ValidationError when unknown."""

RATIO = Decimal("0.0001")
"""Ratios are rounded half to even to 4 decimals."""


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    """``numerator / denominator`` rounded to :data:`RATIO`."""
    return (numerator / denominator).quantize(RATIO, ROUND_HALF_EVEN)


def flat(prefix: str, money: Money | None) -> dict[str, Any]:
    """A record's column for an amount that may be unknown."""
    return {prefix: None if money is None else money.amount}


def convert(money: Money, currency: str, day: _dt.date | None, rates: Rates, what: str) -> Money:
    """``money`` in ``currency`` at ``day``'s rate, rounded to the minor units."""
    if money.currency == currency:
        return money
    if day is None:
        raise ValidationError("currency", money.currency, f"{what} has no date to convert at")
    return Money(money.amount * rates(money.currency, currency, day), currency).rounded()
