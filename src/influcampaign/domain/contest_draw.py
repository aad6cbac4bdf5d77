"""The auditable draw of a contest, as pure functions anyone can re-run (issue 23).

Each eligible entry's public key is hashed with the revealed seed and the entries are ranked
by that hash. Anyone holding the seed and the published entry list re-runs
:func:`draw_winners` and gets the same winners and reserves in the same order; the
commitment (:func:`seed_commitment`, the SHA-256 of the seed, fixed before entries closed)
proves the seed was not chosen after seeing them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import attrs

from influcampaign.domain._validate import check_count
from influcampaign.errors import ValidationError

__all__ = [
    "MIN_SEED_LENGTH",
    "ContestDraw",
    "draw_winners",
    "entry_list_digest",
    "seed_commitment",
]

MIN_SEED_LENGTH = 16
"""The shortest seed accepted (a seed short enough to guess would let the draw be guessed)."""


def seed_commitment(seed: str) -> str:
    """The commitment to ``seed``: its SHA-256, in hex, published before the window closes."""
    if not isinstance(seed, str) or len(seed) < MIN_SEED_LENGTH:
        raise ValidationError("seed", seed, f"must be a string of at least {MIN_SEED_LENGTH} chars")
    return hashlib.sha256(seed.encode()).hexdigest()


def entry_list_digest(keys: Iterable[str]) -> str:
    """The SHA-256 of the sorted entry keys, one per line: names the exact list drawn from."""
    return hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()


@attrs.frozen
class ContestDraw:
    """Winners then reserves, as entry keys, in the order they were drawn."""

    winners: tuple[str, ...]
    reserves: tuple[str, ...]


def draw_winners(seed: str, keys: Iterable[str], *, winners: int, reserves: int = 0) -> ContestDraw:
    """Draw ``winners`` then ``reserves`` from the entry ``keys`` with ``seed``: the keys
    ranked by SHA-256(seed, NUL, key) (then by key). Independent of the order the keys come
    in; a key given twice is refused (each entry is drawn once).

    >>> draw_winners("a-seed-of-16-chars", ["instagram:ana", "instagram:bob"], winners=1)
    ContestDraw(winners=('instagram:bob',), reserves=())
    """
    listed = list(keys)
    unique = set(listed)
    if len(unique) != len(listed):
        raise ValidationError("keys", len(listed) - len(unique), "entries given more than once")
    check_count("winners", winners)
    check_count("reserves", reserves)

    def rank(key: str) -> tuple[str, str]:
        return hashlib.sha256(f"{seed}\x00{key}".encode()).hexdigest(), key

    ranked = sorted(unique, key=rank)
    return ContestDraw(tuple(ranked[:winners]), tuple(ranked[winners : winners + reserves]))
