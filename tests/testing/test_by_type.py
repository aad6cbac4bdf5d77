"""A strategy for every public type (testing/by_type.py): the test walks the public names."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.testing import strategy_for
from influcampaign.testing.by_type import NOT_DATA


def _public_data_types() -> list[type[Any]]:
    """Every public class but errors, protocols (ports) and the objects of NOT_DATA."""
    return [
        obj
        for name in ic.__all__
        if inspect.isclass(obj := getattr(ic, name))
        and not issubclass(obj, BaseException)
        and not getattr(obj, "_is_protocol", False)
        and name not in NOT_DATA
    ]


def test_not_data_names_only_public_classes() -> None:
    """NOT_DATA lists public classes only, each with a reason (no stale entries)."""
    for name, reason in NOT_DATA.items():
        assert inspect.isclass(getattr(ic, name)), name
        assert reason


@pytest.mark.parametrize("cls", _public_data_types(), ids=lambda c: c.__name__)
def test_every_public_type_has_a_strategy(cls: type[Any]) -> None:
    """strategy_for(cls) draws valid instances of cls, for every public data type."""

    @settings(max_examples=15, deadline=None, database=None)
    @given(st.data())
    def draws(data: st.DataObject) -> None:
        assert isinstance(data.draw(strategy_for(cls)), cls)

    draws()


def test_objects_that_are_not_data_have_none() -> None:
    """Asking a strategy for the workspace says why there is none."""
    with pytest.raises(TypeError, match="WorkspaceFactory"):
        strategy_for(ic.Workspace)
