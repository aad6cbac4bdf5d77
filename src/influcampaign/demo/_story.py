"""What every chapter of the demo shares: the workspace, its clock, who acts, where to print."""

from __future__ import annotations

from decimal import Decimal
from typing import TextIO

import attrs

import influcampaign as ic

__all__ = ["PARIS", "Story", "local", "num", "pct"]

PARIS = "Europe/Paris"
"""The time zone of the brand, its campaigns and the demo's clock."""


@attrs.frozen
class Story:
    """The demo's shared cast: a workspace on a frozen clock, the brand manager who acts in it
    and the stream the report is printed to."""

    ws: ic.Workspace
    clock: ic.FrozenClock
    manager: ic.BrandMember
    out: TextIO

    def say(self, text: str = "") -> None:
        """Print one line of the report."""
        print(text, file=self.out)


def num(value: Decimal | None) -> str:
    """A decimal without trailing zeros, or a dash when unknown."""
    return "—" if value is None else f"{value.normalize():f}"


def pct(value: Decimal | None) -> str:
    """A share as a whole percentage, or a dash when unknown."""
    return "—" if value is None else f"{value:.0%}"


def local(clock: ic.FrozenClock, timezone: str) -> str:
    """The clock's time in ``timezone``, as a short day and hour."""
    return clock.now().in_timezone(timezone).format("ddd D MMM HH:mm")
