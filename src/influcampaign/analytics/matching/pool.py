"""The pool: a directory of creators as numpy arrays, built once and ranked for many offers."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from influcampaign.domain.creator import Creator, Platform, Tier
from influcampaign.errors import ValidationError

__all__ = ["PLATFORMS", "TIERS", "Bools", "CreatorPool", "Floats", "Ints"]

PLATFORMS = tuple(Platform)
"""The platforms in column order (the order ties between accounts go by)."""
TIERS = tuple(Tier)
"""The tiers in index order, smallest first."""

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]

_PARTS = ("countries", "languages")
_COLUMN = {platform: j for j, platform in enumerate(PLATFORMS)}


class CreatorPool:
    """Creators as arrays (one row each, in id order), built once and ranked against many
    offers. Audience shares are only read for creators who share their audience data."""

    def __init__(self, creators: Iterable[Creator]) -> None:
        ordered = sorted(creators, key=lambda c: c.id)
        ids = [c.id for c in ordered]
        if len(set(ids)) != len(ids):
            raise ValidationError("creators", len(ids), "hold the same creator twice")
        n, p = len(ordered), len(PLATFORMS)
        self.creators: tuple[Creator, ...] = tuple(ordered)
        self.index: dict[str, int] = {c: i for i, c in enumerate(ids)}
        self.followers: Ints = np.zeros((n, p), dtype=np.int64)
        self.present: Bools = np.zeros((n, p), dtype=np.bool_)
        self.engagement: Floats = np.full((n, p), np.nan)
        self.themes_vocabulary: dict[str, int] = {}
        self.countries_vocabulary: dict[str, int] = {}
        self.languages_vocabulary: dict[str, int] = {}
        self.country: Ints = np.full(n, -1, dtype=np.int64)
        self.language: Ints = np.full(n, -1, dtype=np.int64)
        self.theme_count: Ints = np.zeros(n, dtype=np.int64)
        self.audience_known: dict[str, Bools] = {
            part: np.zeros(n, dtype=np.bool_) for part in _PARTS
        }
        theme_cells: list[tuple[int, int]] = []
        audience: dict[str, tuple[list[int], list[str], list[float]]] = {
            part: ([], [], []) for part in _PARTS
        }
        for i, c in enumerate(ordered):
            self._add_accounts(i, c)
            self._add_profile(i, c, theme_cells)
            self._add_audience(i, c, audience)
        self.themes: Bools = np.zeros((n, len(self.themes_vocabulary)), dtype=np.bool_)
        if theme_cells:
            cells = np.array(theme_cells, dtype=np.int64)
            self.themes[cells[:, 0], cells[:, 1]] = True
        self.audience_rows: dict[str, Ints] = {}
        self.audience_codes: dict[str, list[str]] = {}
        self.audience_shares: dict[str, Floats] = {}
        for part, (rows, codes, fractions) in audience.items():
            self.audience_rows[part] = np.array(rows, dtype=np.int64)
            self.audience_codes[part] = codes
            self.audience_shares[part] = np.array(fractions, dtype=np.float64)

    def _add_accounts(self, i: int, c: Creator) -> None:
        for platform in c.handles:
            self.present[i, _COLUMN[platform]] = True
        for platform, stats in c.audience.items():
            j = _COLUMN[platform]
            self.present[i, j] = True
            self.followers[i, j] = stats.followers
            if stats.engagement_rate is not None:
                self.engagement[i, j] = stats.engagement_rate

    def _add_profile(self, i: int, c: Creator, theme_cells: list[tuple[int, int]]) -> None:
        vocabulary = self.themes_vocabulary
        theme_cells.extend((i, vocabulary.setdefault(theme, len(vocabulary))) for theme in c.themes)
        self.theme_count[i] = len(c.themes)
        if c.country is not None:
            countries = self.countries_vocabulary
            self.country[i] = countries.setdefault(c.country, len(countries))
        if c.language is not None:
            languages = self.languages_vocabulary
            self.language[i] = languages.setdefault(c.language, len(languages))

    def _add_audience(
        self, i: int, c: Creator, audience: dict[str, tuple[list[int], list[str], list[float]]]
    ) -> None:
        shares = c.readable_audience
        if shares is None:
            return
        for part, values in (("countries", shares.countries), ("languages", shares.languages)):
            if values:
                self.audience_known[part][i] = True
            rows, codes, fractions = audience[part]
            for code, fraction in values.items():
                rows.append(i)
                codes.append(code)
                fractions.append(fraction)

    def __len__(self) -> int:
        return len(self.creators)

    def __repr__(self) -> str:
        return f"CreatorPool({len(self)} creators)"
