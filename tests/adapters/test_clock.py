"""Clocks (influcampaign.adapters.clock)."""

from __future__ import annotations

import pendulum
import pytest

import influcampaign as ic
import influcampaign.domain


class TestFrozenClock:
    def test_advances_and_jumps(self) -> None:
        """advance() moves forward by an exact duration; set() jumps anywhere."""
        clock = ic.FrozenClock(pendulum.datetime(2026, 3, 28, 12, tz="Europe/Paris"))
        assert clock.now().timezone_name == "UTC"
        assert clock.advance(hours=25) == pendulum.datetime(2026, 3, 29, 12)
        clock.set(pendulum.datetime(2020, 1, 1))
        assert clock.now().year == 2020

    def test_refuses_naive_and_backwards(self) -> None:
        """A naive start, or advancing by a negative duration, is refused."""
        with pytest.raises(ic.ValidationError):
            ic.FrozenClock(pendulum.naive(2026, 1, 1))
        with pytest.raises(ic.ValidationError):
            ic.FrozenClock(pendulum.datetime(2026, 1, 1)).advance(days=-1)

    def test_system_clock_is_aware_utc(self) -> None:
        """The system clock returns an aware UTC instant."""
        assert ic.SystemClock().now().timezone_name == "UTC"
