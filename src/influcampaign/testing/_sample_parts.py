"""What the sample builders share: the reference instant and the values ids and indexed
fields cycle through (see :mod:`influcampaign.testing.samples`)."""

from __future__ import annotations

from typing import Any, TypeVar

import pendulum

T = TypeVar("T")
V = TypeVar("V")

T0 = pendulum.datetime(2026, 5, 4, 9, 30, 0, 250_001)
"""The samples' reference instant (with microseconds, which stores must keep)."""


def _cycle(n: int, *values: V) -> V:
    return values[n % len(values)]


def _id(prefix: str, n: int) -> str:
    """A distinct id for each ``n`` that does not sort in ``n`` order (``cre_37_1``)."""
    return f"{prefix}_{(n * 37) % 100:02d}_{n}"


def _campaign(n: int) -> str:
    return _cycle(n, "cmp_a", "cmp_B")


def _participation(n: int) -> str:
    return _cycle(n, "par_a", "par_B", "par_c")


def _of_participation(prefix: str, n: int, creator: str | None = None) -> dict[str, Any]:
    """The id and participation ids of the ``n``-th sample of a kind that belongs to a
    participation (``OfParticipation``), of creator ``cre_{n}`` unless another is given."""
    return {
        "id": _id(prefix, n),
        "participation_id": _participation(n),
        "campaign_id": _campaign(n),
        "brand_id": "brand_a",
        "creator_id": creator or f"cre_{n}",
    }


def _brand(n: int) -> str:
    return _cycle(n, "brand_a", "brand_B", "brand_c")


def _paired_creator(n: int) -> str:
    """A creator id that, with :func:`_campaign`, makes a (campaign, creator) pair no other
    ``n`` has: the pair repeats neither over ``n % 6`` nor across blocks of six."""
    return f"cre_{n % 3}" if n < 6 else f"cre_{n % 3}_{n // 6}"
