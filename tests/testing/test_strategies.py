"""The Hypothesis strategies of influcampaign.testing."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import strategies as st

import influcampaign as ic
import influcampaign.domain
from influcampaign.testing import strategies as ics


class TestStrategies:
    """The Hypothesis strategies that influcampaign.testing ships."""

    @pytest.mark.parametrize(
        "strategy",
        [
            ics.creators(),
            ics.campaigns(),
            ics.groups(),
            ics.principals(),
            ics.events(),
            ics.money(),
        ],
        ids=["creator", "campaign", "group", "principal", "event", "money"],
    )
    def test_strategies_build_valid_objects(self, strategy: st.SearchStrategy[Any]) -> None:
        """Every shipped strategy yields objects that pass their own validation."""
        from hypothesis import given, settings

        @settings(max_examples=20)
        @given(strategy)
        def check(value: object) -> None:
            assert attrs.has(type(value)) or isinstance(value, ic.Money)

        check()
