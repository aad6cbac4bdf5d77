"""Lifecycles as transition tables that a test (or a UI) can read."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Generic, TypeVar

import attrs

from influcampaign.errors import InvalidTransition

__all__ = ["Lifecycle"]

S = TypeVar("S", bound=enum.Enum)
A = TypeVar("A", bound=enum.Enum)


@attrs.frozen
class Lifecycle(Generic[S, A]):
    """A table ``{(state, action): next_state}``; anything not in it is refused.

    >>> class Door(enum.Enum):
    ...     OPEN = "open"
    ...     SHUT = "shut"
    >>> class Move(enum.Enum):
    ...     CLOSE = "close"
    >>> door = Lifecycle("door", {(Door.OPEN, Move.CLOSE): Door.SHUT})
    >>> door.next("d1", Door.OPEN, Move.CLOSE)
    <Door.SHUT: 'shut'>
    """

    kind: str
    table: Mapping[tuple[S, A], S]

    def allowed(self, state: S) -> frozenset[A]:
        """The actions allowed from ``state``."""
        return frozenset(a for (s, a) in self.table if s == state)

    def can(self, state: S, action: A) -> bool:
        """Whether ``action`` is allowed from ``state``."""
        return (state, action) in self.table

    def next(self, id: str, state: S, action: A) -> S:
        """The state after ``action``; raises InvalidTransition when the table has no such row."""
        try:
            return self.table[(state, action)]
        except KeyError:
            raise InvalidTransition(self.kind, id, str(state.value), str(action.value)) from None
