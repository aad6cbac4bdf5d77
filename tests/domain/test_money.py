"""Money (influcampaign.domain.money): exact amounts in one currency."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from influcampaign import CurrencyMismatch, Money, ValidationError
from influcampaign.testing import strategies as ics


class TestConstruction:
    def test_parses_shopify_decimal_strings(self) -> None:
        """Shopify's "379.69" becomes exactly 379.69."""
        assert Money.parse("379.69", "USD").amount == Decimal("379.69")

    def test_shows_at_least_the_minor_units(self) -> None:
        """Amounts get the currency's decimals without rounding: 10 EUR is 10.00, 5 JPY is 5."""
        assert str(Money.of(10, "EUR")) == "10.00 EUR"
        assert str(Money.of(5, "JPY")) == "5 JPY"
        assert str(Money.of("1.5", "KWD")) == "1.500 KWD"

    def test_keeps_extra_precision_until_rounded(self) -> None:
        """Sub-cent amounts (a rate card's price per like) are kept, and rounded on request."""
        price = Money.of("0.0125", "EUR")
        assert price.amount == Decimal("0.0125")
        assert price.rounded().amount == Decimal("0.01")  # banker's rounding: half to even
        assert Money.of("0.035", "EUR").rounded().amount == Decimal("0.04")

    @pytest.mark.parametrize("amount", [1.5, float("nan"), "abc", "", None, True, "Infinity"])
    def test_refuses_floats_and_non_numbers(self, amount: object) -> None:
        """Floats, NaN, infinity and non-numbers are refused naming the amount."""
        with pytest.raises(ValidationError, match="amount"):
            Money.of(amount, "EUR")  # type: ignore[arg-type]

    @pytest.mark.parametrize("currency", ["eur", "EURO", "ABC", "", None, 978])
    def test_refuses_unknown_currencies(self, currency: object) -> None:
        """Only known ISO 4217 codes in capitals are accepted; the error names the currency."""
        with pytest.raises(ValidationError, match="currency"):
            Money.of(1, currency)  # type: ignore[arg-type]


class TestArithmetic:
    def test_adds_and_subtracts_within_a_currency(self) -> None:
        """Sums and differences are exact."""
        total = Money.of("0.10", "EUR") + Money.of("0.20", "EUR")
        assert total == Money.of("0.30", "EUR")
        assert total - Money.of("0.30", "EUR") == Money.zero("EUR")

    def test_refuses_to_mix_currencies(self) -> None:
        """Adding or comparing EUR and USD raises CurrencyMismatch (a ValidationError)."""
        with pytest.raises(CurrencyMismatch, match=r"EUR.*USD"):
            Money.of(1, "EUR") + Money.of(1, "USD")
        with pytest.raises(ValidationError):
            _ = Money.of(1, "EUR") < Money.of(1, "USD")

    def test_multiplies_by_decimals_and_ints_not_floats(self) -> None:
        """A fee times a compliance % is exact; floats are refused."""
        assert Money.of("200", "EUR") * Decimal("0.85") == Money.of("170", "EUR")
        assert 3 * Money.of("1.10", "EUR") == Money.of("3.30", "EUR")
        with pytest.raises(TypeError):
            Money.of(1, "EUR") * 0.5  # type: ignore[operator]

    def test_minor_units_round_trip(self) -> None:
        """Cents to money and back; a fraction of a cent cannot be expressed in cents."""
        assert Money.from_minor(12345, "EUR") == Money.of("123.45", "EUR")
        assert Money.of("123.45", "EUR").to_minor() == 12345
        assert Money.of("1.234", "KWD").to_minor() == 1234
        with pytest.raises(ValidationError):
            Money.of("0.001", "EUR").to_minor()

    def test_sum_of_nothing_is_zero(self) -> None:
        """Money.sum of an empty list is zero in the given currency."""
        assert Money.sum([], "GBP") == Money.zero("GBP")

    @given(
        total=ics.money(),
        weights=st.lists(st.integers(0, 1000), min_size=1, max_size=8).filter(any),
    )
    def test_allocation_never_loses_or_invents_a_cent(
        self, total: Money, weights: list[int]
    ) -> None:
        """Allocated parts add up exactly to the rounded total, and none is off by more than a unit."""
        parts = total.allocate(weights)
        assert Money.sum(parts, total.currency) == total.rounded()
        minor_total = total.rounded().to_minor()
        for part, weight in zip(parts, weights, strict=True):
            exact = Decimal(minor_total) * weight / sum(weights)
            assert abs(Decimal(part.to_minor()) - exact) <= 1

    def test_allocation_refuses_zero_weights(self) -> None:
        """Weights that are all zero cannot split anything."""
        with pytest.raises(ValidationError, match="weights"):
            Money.of(10, "EUR").allocate([0, 0])
