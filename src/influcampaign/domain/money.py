"""Money: an exact Decimal amount in one ISO 4217 currency."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

import attrs

from influcampaign.errors import CurrencyMismatch, ValidationError

__all__ = ["Money", "currency_minor_units"]


@functools.cache
def _known_currencies() -> frozenset[str]:
    from babel.numbers import list_currencies  # lazy: babel's data loads on first use

    return frozenset(list_currencies())


@functools.cache
def currency_minor_units(currency: str) -> int:
    """Number of decimal places of the currency's minor unit (EUR 2, JPY 0, KWD 3), from babel."""
    from babel.numbers import get_currency_precision

    return int(get_currency_precision(check_currency("currency", currency)))


def check_currency(field: str, value: Any) -> str:
    """An ISO 4217 alphabetic code known to babel (``EUR``, ``USD``, ``JPY``)."""
    if not isinstance(value, str) or len(value) != 3 or not value.isalpha() or not value.isupper():
        raise ValidationError(field, value, "must be an ISO 4217 code of three capital letters")
    if value not in _known_currencies():
        raise ValidationError(field, value, "is not a known ISO 4217 currency")
    return value


def _to_decimal(field: str, value: Any) -> Decimal:
    if isinstance(value, bool | float):
        raise ValidationError(
            field, value, "must be a Decimal, an int or a decimal string, never a float"
        )
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation as e:
            raise ValidationError(field, value, "is not a decimal number") from e
    else:
        raise ValidationError(field, value, "must be a Decimal, an int or a decimal string")
    if not amount.is_finite():
        raise ValidationError(field, value, "must be a finite number")
    return amount


def _amount(value: Any) -> Decimal:
    return _to_decimal("amount", value)


@attrs.frozen(order=False)
class Money:
    """An exact amount in one currency; arithmetic is only defined within one currency.

    Amounts keep their precision (rate cards price a like at fractions of a cent) and are
    shown with at least the currency's minor units; :meth:`rounded` rounds to them.

    >>> Money.parse("379.69", "USD") + Money.of(10, "USD")
    Money(amount=Decimal('389.69'), currency='USD')
    >>> Money.of("10", "EUR").rounded()
    Money(amount=Decimal('10.00'), currency='EUR')
    """

    amount: Decimal = attrs.field(converter=_amount)
    currency: str = attrs.field()

    @currency.validator
    def _check_currency(self, _attribute: Any, value: Any) -> None:
        check_currency("currency", value)

    def __attrs_post_init__(self) -> None:
        places = currency_minor_units(self.currency)
        exponent = self.amount.as_tuple().exponent
        if isinstance(exponent, int) and exponent > -places:
            object.__setattr__(self, "amount", self.amount.quantize(Decimal(1).scaleb(-places)))

    @classmethod
    def of(cls, amount: Decimal | int | str, currency: str) -> Money:
        """Money from a Decimal, an int or a decimal string."""
        return cls(_to_decimal("amount", amount), currency)

    @classmethod
    def parse(cls, text: str, currency: str, *, field: str = "amount") -> Money:
        """Money from a decimal string such as Shopify's ``"379.69"``; errors name ``field``."""
        if not isinstance(text, str):
            raise ValidationError(field, text, "must be a decimal string")
        return cls(_to_decimal(field, text), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Nothing, in this currency."""
        return cls(Decimal(0), currency)

    @property
    def minor_units(self) -> int:
        """The currency's number of decimal places."""
        return currency_minor_units(self.currency)

    def rounded(self, rounding: str = ROUND_HALF_EVEN) -> Money:
        """This amount rounded to the currency's minor units (banker's rounding by default)."""
        quantum = Decimal(1).scaleb(-self.minor_units)
        return Money(self.amount.quantize(quantum, rounding=rounding), self.currency)

    def to_minor(self) -> int:
        """The amount in minor units (cents); the amount must already be a whole number of them."""
        scaled = self.amount.scaleb(self.minor_units)
        if scaled != scaled.to_integral_value():
            raise ValidationError(
                "amount", self.amount, f"has more than {self.minor_units} decimals"
            )
        return int(scaled)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        """Money from an integer number of minor units."""
        return cls(Decimal(minor).scaleb(-currency_minor_units(currency)), currency)

    def _same(self, other: Any, op: str) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot {op} Money and {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch("currency", self.currency, other.currency)
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same(other, "add").amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same(other, "subtract").amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            return NotImplemented
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other, "compare").amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other, "compare").amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other, "compare").amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other, "compare").amount

    def is_zero(self) -> bool:
        """True when the amount is zero."""
        return self.amount == 0

    def allocate(self, weights: Sequence[int | Decimal]) -> list[Money]:
        """Split into parts proportional to ``weights``, in minor units, losing no cent.

        >>> [m.amount for m in Money.of("100", "EUR").allocate([1, 1, 1])]
        [Decimal('33.34'), Decimal('33.33'), Decimal('33.33')]
        """
        if not weights or any(Decimal(w) < 0 for w in weights) or sum(weights) == 0:
            raise ValidationError("weights", list(weights), "must be non-negative and not all zero")
        total = self.rounded().to_minor()
        total_weight = sum(Decimal(w) for w in weights)
        parts = [int(total * Decimal(w) / total_weight) for w in weights]
        remainder = total - sum(parts)
        step = 1 if remainder >= 0 else -1
        for i in range(abs(remainder)):
            parts[i % len(parts)] += step
        return [Money.from_minor(p, self.currency) for p in parts]

    @staticmethod
    def sum(items: Sequence[Money], currency: str) -> Money:
        """The total of ``items``, all in ``currency`` (zero when empty)."""
        total = Money.zero(currency)
        for item in items:
            total = total + item
        return total

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
