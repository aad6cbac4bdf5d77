"""The clocks (adapters/clock.py): FrozenClock.advance takes a timedelta or keywords."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import influcampaign as ic

START = pendulum.datetime(2026, 3, 28, 12, tz="Europe/Paris")


class TestFrozenClockAdvance:
    """FrozenClock.advance moves by an exact duration, however it is given."""

    @given(st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=400)))
    def test_a_timedelta_and_its_keywords_agree(self, delta: dt.timedelta) -> None:
        """advance(timedelta) lands where advance(days=…, seconds=…) does."""
        by_delta = ic.FrozenClock(START).advance(delta)
        by_keywords = ic.FrozenClock(START).advance(
            days=delta.days, seconds=delta.seconds + delta.microseconds / 1e6
        )
        assert abs(by_delta - by_keywords) < dt.timedelta(milliseconds=1)
        assert by_delta == START + delta

    def test_a_pendulum_duration_and_keywords_add_up(self) -> None:
        """A pendulum Duration is a timedelta; keywords add to it."""
        clock = ic.FrozenClock(START)
        assert clock.advance(pendulum.duration(days=1), hours=2) == START + dt.timedelta(hours=26)

    def test_negative_and_non_durations_are_refused(self) -> None:
        """Going back is set()'s job; a number is not a duration. The clock does not move."""
        clock = ic.FrozenClock(START)
        with pytest.raises(ic.ValidationError, match="advance"):
            clock.advance(dt.timedelta(seconds=-1))
        with pytest.raises(ic.ValidationError, match="by"):
            clock.advance(7)  # type: ignore[arg-type]
        assert clock.now() == START
