"""Exchange rates held in memory: a table the host fills (from its bank, the ECB, a feed)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from decimal import Decimal

from influcampaign.domain.money import _to_decimal, check_currency
from influcampaign.errors import ValidationError
from influcampaign.ports import Rate

__all__ = ["FixedRates"]


class FixedRates:
    """A :class:`~influcampaign.ports.RateProvider` over a fixed table.

    ``rates`` maps ``(base, quote)`` to the value of 1 base in quote (a Decimal or a decimal
    string). The inverse is derived when only one direction is given. Rates may be dated:
    ``dated`` maps a day to its own table, and a day without one uses the latest earlier
    table, then ``rates``.

    >>> FixedRates({("USD", "EUR"): "0.92"}).rate("USD", "EUR", _dt.date(2026, 5, 1)).value
    Decimal('0.92')
    """

    def __init__(
        self,
        rates: Mapping[tuple[str, str], Decimal | str] | None = None,
        *,
        dated: Mapping[_dt.date, Mapping[tuple[str, str], Decimal | str]] | None = None,
        source: str = "fixed table",
    ) -> None:
        self._base = self._table(rates or {})
        self._dated = {day: self._table(t) for day, t in sorted((dated or {}).items())}
        self._source = source

    @staticmethod
    def _table(rates: Mapping[tuple[str, str], Decimal | str]) -> dict[tuple[str, str], Decimal]:
        table: dict[tuple[str, str], Decimal] = {}
        for pair, value in rates.items():
            if not isinstance(pair, tuple) or len(pair) != 2:
                raise ValidationError("rates", pair, "keys are (base, quote) currency pairs")
            base, quote = (check_currency("rates", c) for c in pair)
            rate = _to_decimal(f"rates[{base}/{quote}]", value)
            if rate <= 0:
                raise ValidationError(f"rates[{base}/{quote}]", value, "must be positive")
            table[(base, quote)] = rate
        return table

    def rate(self, base: str, quote: str, on: _dt.date) -> Rate | None:
        """The rate of the day (or of the latest earlier day), else of the undated table."""
        if base == quote:
            return Rate(Decimal(1), "same currency")
        tables = [t for day, t in reversed(self._dated.items()) if day <= on]
        for table in [*tables, self._base]:
            if (base, quote) in table:
                return Rate(table[(base, quote)], self._source)
            if (quote, base) in table:
                return Rate(Decimal(1) / table[(quote, base)], f"{self._source} (inverse)")
        return None
