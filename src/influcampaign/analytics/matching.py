"""Rank creators for an offer, with an explained score. Deterministic, vectorised with numpy.

The rule, for one creator (:func:`score_creator` is this rule written plainly, one creator
at a time; :func:`rank` computes the same figures for a whole :class:`CreatorPool`):

1. **Main account.** The creator's largest account on a targeted platform (any platform
   when none is targeted; the first in :class:`~influcampaign.Platform` order on a tie).
   Its followers, tier (under the campaign's tier thresholds) and engagement rate are the
   creator's for this offer.
2. **Hard filters**, in this order; the first one failed is the reason given:
   ``excluded`` (the targeting's list), ``in_campaign`` (already applied or on the list),
   ``work_again`` (the latest review said no, when the policy excludes them),
   ``platforms``, ``tiers``, ``followers``, ``engagement_rate``, ``countries``,
   ``languages``, ``audience_country_share``, ``audience_language_share`` (with a minimum
   share). A filter only excludes
   on known data: an unknown country or engagement rate passes it.
3. **Fit**, each from 0 to 1, times its weight (:class:`~influcampaign.MatchWeights`):

   - ``themes``: targeted themes the creator covers / targeted themes;
   - ``engagement``: engagement rate / (2 x the minimum asked), at most 1;
   - ``audience_countries`` / ``audience_languages``: the share of the audience there;
   - ``collaboration``: 1 if the creator already joined one of the brand's campaigns of
     this kind (paid or gifted) or was tagged for it (paid partnership, product test),
     0 if it has a history with the brand but neither;
   - ``rating``: (mean overall rating - 1) / 4; ``on_time``: the on-time rate;
     ``compliance``: the mean "% of brief respected" / 100, from the brand's history.

   Fit criteria only count when targeted (themes, engagement, audience); collaboration
   and the history criteria always count. Data not known (no history, audience not
   shared) gets the policy's ``unknown_fit`` (0.5 by default).
4. **Learning from refusals.** Each creator the brand refused on this offer for a reason
   about the profile (out of target: 1, audience: 0.75, content quality: 0.5; full,
   budget and other: 0) is a signal, halved (``slow_refusal_factor``) when the refusal
   took longer than ``quick_refusal_hours``. Similarity of two creators = the Jaccard
   index of their themes, halved when their tiers differ: a refusal teaches about the
   kind of content and the size of creator, not about what the hard filters already fix
   (platform, country, language), which every candidate shares. The penalty is the
   largest similarity x strength over the signals, and costs ``weights.refusals`` x
   penalty points.
5. **Score** = (sum of points - refusal points) / (sum of the weights of the criteria that
   count) x 100. Ranked by score, then creator id. The arithmetic is the same IEEE
   operations in the same order in both forms, so both give identical floats.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from influcampaign.domain.application import RefusalReason
from influcampaign.domain.creator import Creator, Platform, Tier, TierPolicy
from influcampaign.domain.review import ReactivationTag
from influcampaign.domain.targeting import Collaboration, MatchingPolicy, Targeting
from influcampaign.errors import ValidationError

__all__ = [
    "REFUSAL_STRENGTH",
    "CreatorPool",
    "Criterion",
    "CriterionKind",
    "Match",
    "Outcome",
    "PastPerformance",
    "Ranking",
    "RefusalSignal",
    "rank",
    "score_creator",
]

REFUSAL_STRENGTH: Mapping[RefusalReason, float] = {
    RefusalReason.OUT_OF_TARGET: 1.0,
    RefusalReason.AUDIENCE: 0.75,
    RefusalReason.CONTENT_QUALITY: 0.5,
    RefusalReason.FULL: 0.0,
    RefusalReason.BUDGET: 0.0,
    RefusalReason.OTHER: 0.0,
}
"""How much a refusal for each reason says about similar profiles."""

_PLATFORMS = tuple(Platform)
_TIERS = tuple(Tier)
_FILTERS = (
    "excluded",
    "in_campaign",
    "work_again",
    "platforms",
    "tiers",
    "followers",
    "engagement_rate",
    "countries",
    "languages",
    "audience_country_share",
    "audience_language_share",
)
_FITS = ("themes", "engagement", "audience_countries", "audience_languages")
_SHARE_FILTER = {
    "audience_countries": "audience_country_share",
    "audience_languages": "audience_language_share",
}
_HISTORY = ("collaboration", "rating", "on_time", "compliance")
_TAG_FOR = {
    Collaboration.PAID: ReactivationTag.PAID_PARTNERSHIP,
    Collaboration.GIFTED: ReactivationTag.PRODUCT_TEST,
}

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]


class CriterionKind(enum.StrEnum):
    """What a criterion is: a hard filter, a fit to the targeting, past performance with the
    brand, or learning from the brand's refusals on the offer."""

    FILTER = "filter"
    FIT = "fit"
    HISTORY = "history"
    LEARNING = "learning"


class Outcome(enum.StrEnum):
    """How a creator did on a criterion."""

    MATCHED = "matched"
    PARTIAL = "partial"
    MISSED = "missed"
    UNKNOWN = "unknown"


@attrs.frozen
class Criterion:
    """One line of an explanation: the creator's value against the target, its fit (0-1,
    None for a filter), the weight and the points it earned (negative for a penalty)."""

    name: str
    kind: CriterionKind
    outcome: Outcome
    value: str
    target: str
    fit: float | None = None
    weight: float = 0.0
    points: float = 0.0

    def __str__(self) -> str:
        points = "" if self.kind is CriterionKind.FILTER else f" {self.points:+.2f}"
        return f"{self.name}: {self.outcome.value} ({self.value}; target {self.target}){points}"


@attrs.frozen
class Match:
    """A creator's place for an offer: its rank and score (0-100; None when a hard filter
    left it out, then ``filtered_by`` names the filter) and every criterion."""

    creator_id: str
    rank: int | None
    score: float | None
    criteria: tuple[Criterion, ...]
    filtered_by: str | None = None

    def criterion(self, name: str) -> Criterion:
        """The criterion called ``name``."""
        for c in self.criteria:
            if c.name == name:
                return c
        raise ValidationError("name", name, "is not a criterion of this match")

    def explain(self) -> str:
        """The explanation as text, one criterion per line."""
        head = (
            f"{self.creator_id}: filtered out by {self.filtered_by}"
            if self.filtered_by is not None
            else f"{self.creator_id}: #{self.rank}, score {self.score:.1f}"
        )
        return "\n".join([head, *(f"  {c}" for c in self.criteria)])


@attrs.frozen
class PastPerformance:
    """What the brand's history says about a creator, for ranking: mean overall rating
    (1-5), on-time rate (0-1), mean compliance (0-100), the latest "work again" flag and
    tags, and the kinds of campaigns it joined."""

    rating: float | None = None
    on_time_rate: float | None = None
    compliance: float | None = None
    work_again: bool | None = None
    tags: frozenset[ReactivationTag] = frozenset()
    collaborations: frozenset[Collaboration] = frozenset()

    @property
    def known(self) -> bool:
        """Whether there is any history at all."""
        return self != PastPerformance()


@attrs.frozen
class RefusalSignal:
    """A refusal on the offer that ranking learns from: the creator refused, why, and
    whether the brand decided quickly."""

    creator_id: str
    reason: RefusalReason
    quick: bool = True

    def strength(self, policy: MatchingPolicy) -> float:
        """How strongly similar profiles are pushed down (0-1)."""
        base = REFUSAL_STRENGTH[self.reason]
        return base if self.quick else base * policy.slow_refusal_factor


# -- the pool ----------------------------------------------------------------------------


class CreatorPool:
    """Creators as arrays (one row each, in id order), built once and ranked against many
    offers. Audience shares are only read for creators who share their audience data."""

    def __init__(self, creators: Iterable[Creator]) -> None:
        ordered = sorted(creators, key=lambda c: c.id)
        ids = [c.id for c in ordered]
        if len(set(ids)) != len(ids):
            raise ValidationError("creators", len(ids), "hold the same creator twice")
        n, p = len(ordered), len(_PLATFORMS)
        column = {platform: j for j, platform in enumerate(_PLATFORMS)}
        self.creators: tuple[Creator, ...] = tuple(ordered)
        self.index: dict[str, int] = {c: i for i, c in enumerate(ids)}
        self.followers: Ints = np.zeros((n, p), dtype=np.int64)
        self.present: Bools = np.zeros((n, p), dtype=np.bool_)
        self.engagement: Floats = np.full((n, p), np.nan)
        self.themes_vocabulary: dict[str, int] = {}
        self.countries_vocabulary: dict[str, int] = {}
        self.languages_vocabulary: dict[str, int] = {}
        theme_cells: list[tuple[int, int]] = []
        self.country: Ints = np.full(n, -1, dtype=np.int64)
        self.language: Ints = np.full(n, -1, dtype=np.int64)
        self.theme_count: Ints = np.zeros(n, dtype=np.int64)
        audience: dict[str, list[list[Any]]] = {
            "countries": [[], [], []],
            "languages": [[], [], []],
        }
        self.audience_known: dict[str, Bools] = {
            "countries": np.zeros(n, dtype=np.bool_),
            "languages": np.zeros(n, dtype=np.bool_),
        }
        for i, c in enumerate(ordered):
            for platform in c.handles:
                self.present[i, column[platform]] = True
            for platform, stats in c.audience.items():
                j = column[platform]
                self.present[i, j] = True
                self.followers[i, j] = stats.followers
                if stats.engagement_rate is not None:
                    self.engagement[i, j] = stats.engagement_rate
            vocabulary = self.themes_vocabulary
            theme_cells.extend(
                (i, vocabulary.setdefault(theme, len(vocabulary))) for theme in c.themes
            )
            self.theme_count[i] = len(c.themes)
            if c.country is not None:
                self.country[i] = self.countries_vocabulary.setdefault(
                    c.country, len(self.countries_vocabulary)
                )
            if c.language is not None:
                self.language[i] = self.languages_vocabulary.setdefault(
                    c.language, len(self.languages_vocabulary)
                )
            shares = c.readable_audience
            if shares is not None:
                for part, values in (
                    ("countries", shares.countries),
                    ("languages", shares.languages),
                ):
                    if values:
                        self.audience_known[part][i] = True
                    rows, codes, fractions = audience[part]
                    for code, fraction in values.items():
                        rows.append(i)
                        codes.append(code)
                        fractions.append(fraction)
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

    def __len__(self) -> int:
        return len(self.creators)

    def __repr__(self) -> str:
        return f"CreatorPool({len(self)} creators)"


# -- one creator at a time (the rule as plain code) ---------------------------------------


def _main_account(creator: Creator, targeting: Targeting) -> tuple[Platform | None, int, bool]:
    """The main account's platform (None without stats), its followers, and whether the
    creator is on a targeted platform at all."""
    platforms = [p for p in _PLATFORMS if not targeting.platforms or p in targeting.platforms]
    best: Platform | None = None
    most = -1
    present = False
    for platform in platforms:
        if platform in creator.handles or platform in creator.audience:
            present = True
        stats = creator.audience.get(platform)
        followers = 0 if stats is None else stats.followers
        if followers > most:
            best, most = platform, followers
    return best, max(most, 0), present


def _tier_index(followers: int, tiers: TierPolicy) -> int:
    return _TIERS.index(tiers.tier_for(followers))


def _share(values: Mapping[str, float], wanted: Collection[str]) -> float:
    total = 0.0
    for code, fraction in values.items():
        total += fraction * (1.0 if code in wanted else 0.0)
    return total


@attrs.frozen
class _Scalar:
    """The figures of one creator, as :func:`score_creator` computes them."""

    filtered_by: str | None
    fits: dict[str, float | None]  # None: unknown
    penalty: float
    nearest: int  # index in the signals of the most similar refusal (-1: none)
    score: float


def _similarity(
    a: Creator, tier_a: int, b: Creator, targeting: Targeting, tiers: TierPolicy
) -> float:
    tier_b = _tier_index(_main_account(b, targeting)[1], tiers)
    inter = len(a.themes & b.themes)
    union = len(a.themes) + len(b.themes) - inter
    jaccard = inter / union if union else 0.0
    return jaccard * ((1.0 + (1.0 if tier_a == tier_b else 0.0)) / 2)


def score_creator(
    creator: Creator,
    targeting: Targeting,
    *,
    tiers: TierPolicy | None = None,
    policy: MatchingPolicy | None = None,
    collaboration: Collaboration = Collaboration.GIFTED,
    past: PastPerformance | None = None,
    refused: Sequence[tuple[Creator, RefusalSignal]] = (),
    in_campaign: bool = False,
) -> tuple[str | None, float | None]:
    """The rule for one creator: the hard filter that leaves it out (or None) and its
    score (None when filtered out). :func:`rank` gives the same for a whole pool."""
    result = _score_one(
        creator,
        targeting,
        tiers or TierPolicy(),
        policy or MatchingPolicy(),
        collaboration,
        past or PastPerformance(),
        refused,
        in_campaign,
    )
    return result.filtered_by, None if result.filtered_by is not None else result.score


def _score_one(
    creator: Creator,
    targeting: Targeting,
    tiers: TierPolicy,
    policy: MatchingPolicy,
    collaboration: Collaboration,
    past: PastPerformance,
    refused: Sequence[tuple[Creator, RefusalSignal]],
    in_campaign: bool,
) -> _Scalar:
    platform, followers, present = _main_account(creator, targeting)
    stats = None if platform is None else creator.audience.get(platform)
    rate = None if stats is None else stats.engagement_rate
    tier = tiers.tier_for(followers)
    audience = creator.readable_audience
    shares = {
        "countries": None if audience is None or not audience.countries else audience.countries,
        "languages": None if audience is None or not audience.languages else audience.languages,
    }
    share = {
        "audience_countries": None
        if shares["countries"] is None
        else _share(shares["countries"], targeting.audience_countries),
        "audience_languages": None
        if shares["languages"] is None
        else _share(shares["languages"], targeting.audience_languages),
    }
    minimum = targeting.min_audience_share
    fails = {
        "excluded": creator.id in targeting.excluded,
        "in_campaign": in_campaign,
        "work_again": policy.exclude_not_again and past.work_again is False,
        "platforms": bool(targeting.platforms) and not present,
        "tiers": bool(targeting.tiers) and tier not in targeting.tiers,
        "followers": targeting.followers is not None
        and not targeting.followers.contains(followers),
        "engagement_rate": targeting.min_engagement_rate is not None
        and rate is not None
        and rate < targeting.min_engagement_rate,
        "countries": bool(targeting.countries)
        and creator.country is not None
        and creator.country not in targeting.countries,
        "languages": bool(targeting.languages)
        and creator.language is not None
        and creator.language not in targeting.languages,
        "audience_country_share": minimum > 0
        and bool(targeting.audience_countries)
        and (s := share["audience_countries"]) is not None
        and s < minimum,
        "audience_language_share": minimum > 0
        and bool(targeting.audience_languages)
        and (s := share["audience_languages"]) is not None
        and s < minimum,
    }
    filtered_by = next((name for name in _FILTERS if fails[name]), None)
    fits: dict[str, float | None] = {}
    if targeting.themes:
        fits["themes"] = (
            len(creator.themes & targeting.themes) / len(targeting.themes)
            if creator.themes
            else None
        )
    if targeting.min_engagement_rate is not None:
        fits["engagement"] = (
            None if rate is None else min(rate / (2 * targeting.min_engagement_rate), 1.0)
        )
    for name, wanted in (
        ("audience_countries", targeting.audience_countries),
        ("audience_languages", targeting.audience_languages),
    ):
        if wanted:
            value = share[name]
            fits[name] = None if value is None else min(value, 1.0)
    if not past.known:
        fits["collaboration"] = None
    else:
        done = collaboration in past.collaborations or _TAG_FOR[collaboration] in past.tags
        fits["collaboration"] = 1.0 if done else 0.0
    fits["rating"] = None if past.rating is None else (past.rating - 1) / 4
    fits["on_time"] = past.on_time_rate
    fits["compliance"] = None if past.compliance is None else past.compliance / 100
    weights = policy.weights
    total = 0.0
    weight_sum = 0.0
    for name, fit in fits.items():
        weight = getattr(weights, name)
        total = total + weight * (policy.unknown_fit if fit is None else fit)
        weight_sum = weight_sum + weight
    penalty, nearest = 0.0, -1
    if filtered_by is None:
        for k, (other, signal) in enumerate(refused):
            strength = signal.strength(policy)
            if strength <= 0:
                continue
            value = _similarity(creator, _TIERS.index(tier), other, targeting, tiers) * strength
            if value > penalty:
                penalty, nearest = value, k
    total = total - weights.refusals * penalty
    score = total / weight_sum * 100 if weight_sum > 0 else 0.0
    return _Scalar(filtered_by, fits, penalty, nearest, score)


# -- the whole pool ----------------------------------------------------------------------


@attrs.frozen(eq=False)
class _Arrays:
    """Everything :func:`rank` computed, kept to explain any creator."""

    pool: CreatorPool
    targeting: Targeting
    tiers: TierPolicy
    policy: MatchingPolicy
    collaboration: Collaboration
    main: Ints  # platform column of the main account
    followers: Ints
    tier: Ints
    rate: Floats
    fails: dict[str, Bools]
    first_fail: Ints  # index in _FILTERS, -1 when none
    fits: dict[str, Floats]  # NaN: unknown
    penalty: Floats  # NaN: filtered out
    nearest: Ints
    signals: tuple[RefusalSignal, ...]
    score: Floats
    weight_sum: float
    ranks: Ints  # 1-based, 0 when filtered out
    past: Mapping[str, PastPerformance]


@attrs.frozen(eq=False)
class Ranking:
    """Creators ranked for an offer: the best ``matches`` with their explanation, how many
    were considered and ranked, and how many each hard filter left out."""

    campaign_id: str | None
    matches: tuple[Match, ...]
    considered: int
    ranked: int
    filtered: Mapping[str, int]
    order: tuple[str, ...]  # every ranked creator id, best first
    _arrays: _Arrays = attrs.field(repr=False)

    def explain(self, creator_id: str) -> Match:
        """The explanation for any creator of the pool, ranked or filtered out."""
        index = self._arrays.pool.index.get(creator_id)
        if index is None:
            raise ValidationError("creator_id", creator_id, "is not in the ranked pool")
        return _explain(self._arrays, index)

    def records(self) -> list[dict[str, Any]]:
        """The matches as plain rows: rank, creator, score and each criterion's points."""
        return [
            {
                "rank": m.rank,
                "creator_id": m.creator_id,
                "score": m.score,
                **{c.name: c.points for c in m.criteria if c.kind is not CriterionKind.FILTER},
            }
            for m in self.matches
        ]


def _past_arrays(
    pool: CreatorPool, past: Mapping[str, PastPerformance], collaboration: Collaboration
) -> tuple[dict[str, Floats], Bools]:
    """The history fits per creator (NaN: unknown), and who is not to be worked with again."""
    n = len(pool)
    fits = {name: np.full(n, np.nan) for name in _HISTORY}
    not_again = np.zeros(n, dtype=np.bool_)
    for creator_id, p in past.items():
        i = pool.index.get(creator_id)
        if i is None or not p.known:
            continue
        if p.rating is not None:
            fits["rating"][i] = (p.rating - 1) / 4
        if p.on_time_rate is not None:
            fits["on_time"][i] = p.on_time_rate
        if p.compliance is not None:
            fits["compliance"][i] = p.compliance / 100
        done = collaboration in p.collaborations or _TAG_FOR[collaboration] in p.tags
        fits["collaboration"][i] = 1.0 if done else 0.0
        not_again[i] = p.work_again is False
    return fits, not_again


def _audience_share(pool: CreatorPool, part: str, wanted: Collection[str]) -> Floats:
    codes = pool.audience_codes[part]
    mask = np.array([1.0 if c in wanted else 0.0 for c in codes], dtype=np.float64)
    contributions = pool.audience_shares[part] * mask
    share: Floats = np.asarray(
        np.bincount(pool.audience_rows[part], weights=contributions, minlength=len(pool)),
        dtype=np.float64,
    )
    share[~pool.audience_known[part]] = np.nan
    return share


def rank(
    pool: CreatorPool,
    targeting: Targeting,
    *,
    tiers: TierPolicy | None = None,
    policy: MatchingPolicy | None = None,
    collaboration: Collaboration = Collaboration.GIFTED,
    past: Mapping[str, PastPerformance] | None = None,
    refusals: Sequence[RefusalSignal] = (),
    in_campaign: Collection[str] = (),
    limit: int | None = 50,
    campaign_id: str | None = None,
    block: int = 16_384,
) -> Ranking:
    """Rank ``pool`` for an offer targeting ``targeting`` (the module docstring gives the
    rule): the best ``limit`` matches explained (None: all), and every ranked id in order.

    ``past`` is the brand's history per creator, ``refusals`` the refusals on this offer
    to learn from, ``in_campaign`` the creators already applied or on the list. Similarity
    to refused creators is computed ``block`` candidates at a time, to bound memory.
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ValidationError("limit", limit, "must be a non-negative whole number or None")
    tiers = tiers or TierPolicy()
    policy = policy or MatchingPolicy()
    past = past or {}
    n = len(pool)
    cols = np.array(
        [
            j
            for j, p in enumerate(_PLATFORMS)
            if not targeting.platforms or p in targeting.platforms
        ],
        dtype=np.int64,
    )
    rows = np.arange(n)
    sub = pool.followers[:, cols]
    main = cols[np.argmax(sub, axis=1)] if n else np.zeros(0, dtype=np.int64)
    followers = pool.followers[rows, main] if n else np.zeros(0, dtype=np.int64)
    present = pool.present[:, cols].any(axis=1)
    rate = pool.engagement[rows, main] if n else np.zeros(0)
    thresholds = np.array(tiers.thresholds, dtype=np.int64)
    tier = np.searchsorted(thresholds, followers, side="right").astype(np.int64)
    history, not_again = _past_arrays(pool, past, collaboration)
    shares = {
        "audience_countries": _audience_share(pool, "countries", targeting.audience_countries),
        "audience_languages": _audience_share(pool, "languages", targeting.audience_languages),
    }

    def member(ids: Collection[str]) -> Bools:
        mask = np.zeros(n, dtype=np.bool_)
        hits = [pool.index[c] for c in ids if c in pool.index]
        mask[hits] = True
        return mask

    def codes_in(values: Ints, vocabulary: Mapping[str, int], wanted: Collection[str]) -> Bools:
        allowed = np.array([vocabulary[c] for c in wanted if c in vocabulary], dtype=np.int64)
        return np.isin(values, allowed)

    nothing = np.zeros(n, dtype=np.bool_)
    minimum = targeting.min_audience_share
    fails: dict[str, Bools] = {
        "excluded": member(targeting.excluded),
        "in_campaign": member(in_campaign),
        "work_again": not_again if policy.exclude_not_again else nothing,
        "platforms": np.asarray(~present) if targeting.platforms else nothing,
        "tiers": np.asarray(~np.isin(tier, [_TIERS.index(t) for t in targeting.tiers]))
        if targeting.tiers
        else nothing,
        "followers": (
            (followers < targeting.followers.low)
            | (
                followers >= targeting.followers.high
                if targeting.followers.high is not None
                else nothing
            )
        )
        if targeting.followers is not None
        else nothing,
        "engagement_rate": ~np.isnan(rate) & (rate < targeting.min_engagement_rate)
        if targeting.min_engagement_rate is not None
        else nothing,
        "countries": (pool.country >= 0)
        & ~codes_in(pool.country, pool.countries_vocabulary, targeting.countries)
        if targeting.countries
        else nothing,
        "languages": (pool.language >= 0)
        & ~codes_in(pool.language, pool.languages_vocabulary, targeting.languages)
        if targeting.languages
        else nothing,
    }
    for name, wanted in (
        ("audience_countries", targeting.audience_countries),
        ("audience_languages", targeting.audience_languages),
    ):
        value = shares[name]
        fails[_SHARE_FILTER[name]] = (
            ~np.isnan(value) & (value < minimum) if minimum > 0 and wanted else nothing
        )
    first_fail = np.full(n, -1, dtype=np.int64)
    for k in range(len(_FILTERS) - 1, -1, -1):
        first_fail[fails[_FILTERS[k]]] = k
    passing = np.flatnonzero(first_fail < 0)

    fits: dict[str, Floats] = {}
    if targeting.themes:
        columns = [
            pool.themes_vocabulary[t]
            for t in sorted(targeting.themes)
            if t in pool.themes_vocabulary
        ]
        covered = pool.themes[:, columns].sum(axis=1, dtype=np.int64)
        fit = covered / len(targeting.themes)
        fits["themes"] = np.where(pool.theme_count > 0, fit, np.nan)
    if targeting.min_engagement_rate is not None:
        fits["engagement"] = np.minimum(rate / (2 * targeting.min_engagement_rate), 1.0)
    for name, wanted in (
        ("audience_countries", targeting.audience_countries),
        ("audience_languages", targeting.audience_languages),
    ):
        if wanted:
            fits[name] = np.minimum(shares[name], 1.0)
    for name in _HISTORY:
        fits[name] = history[name]
    weights = policy.weights
    total = np.zeros(n)
    weight_sum = 0.0
    for name, fit in fits.items():
        weight = getattr(weights, name)
        total = total + weight * np.where(np.isnan(fit), policy.unknown_fit, fit)
        weight_sum = weight_sum + weight

    signals = tuple(s for s in refusals if s.strength(policy) > 0)
    penalty = np.full(n, np.nan)
    nearest = np.full(n, -1, dtype=np.int64)
    penalty[passing] = 0.0
    if signals:
        missing = [s.creator_id for s in signals if s.creator_id not in pool.index]
        if missing:
            raise ValidationError("refusals", missing[0], "is not a creator of the pool")
        refused = np.array([pool.index[s.creator_id] for s in signals], dtype=np.int64)
        strength = np.array([s.strength(policy) for s in signals])
        r_themes = pool.themes[refused].T.astype(np.int64)
        for start in range(0, len(passing), block):
            chunk = passing[start : start + block]
            inter = pool.themes[chunk].astype(np.int64) @ r_themes
            union = pool.theme_count[chunk, None] + pool.theme_count[refused][None, :] - inter
            with np.errstate(invalid="ignore", divide="ignore"):
                jaccard = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
            same_tier = (tier[chunk, None] == tier[refused][None, :]).astype(np.float64)
            similar = jaccard * ((1.0 + same_tier) / 2) * strength[None, :]
            best = np.argmax(similar, axis=1)
            value = similar[np.arange(len(chunk)), best]
            penalty[chunk] = value
            nearest[chunk] = np.where(value > 0, best, -1)
    total = total - weights.refusals * np.where(np.isnan(penalty), 0.0, penalty)
    score = total / weight_sum * 100 if weight_sum > 0 else np.zeros(n)
    order = passing[np.lexsort((passing, -score[passing]))]
    ranks = np.zeros(n, dtype=np.int64)
    ranks[order] = np.arange(1, len(order) + 1)
    arrays = _Arrays(
        pool,
        targeting,
        tiers,
        policy,
        collaboration,
        main,
        followers,
        tier,
        rate,
        fails,
        first_fail,
        fits,
        penalty,
        nearest,
        signals,
        score,
        weight_sum,
        ranks,
        past,
    )
    top = order if limit is None else order[:limit]
    filtered = {
        name: int(np.count_nonzero(first_fail == k))
        for k, name in enumerate(_FILTERS)
        if np.any(first_fail == k)
    }
    return Ranking(
        campaign_id,
        tuple(_explain(arrays, int(i)) for i in top),
        n,
        len(order),
        filtered,
        tuple(pool.creators[int(i)].id for i in order),
        arrays,
    )


# -- explanations ------------------------------------------------------------------------


def _pct(value: float) -> str:
    return f"{value:.1%}"


def _names(values: Iterable[Any]) -> str:
    shown = sorted(str(getattr(v, "value", v)) for v in values)
    return ", ".join(shown) if shown else "none"


def _outcome(fit: float) -> Outcome:
    if fit >= 1.0:
        return Outcome.MATCHED
    return Outcome.MISSED if fit <= 0.0 else Outcome.PARTIAL


def _filters(a: _Arrays, i: int) -> list[Criterion]:
    t, creator = a.targeting, a.pool.creators[i]
    platform = _PLATFORMS[int(a.main[i])]
    rate = float(a.rate[i])
    past = a.past.get(creator.id)
    shown: list[tuple[str, bool, str, str]] = [
        ("excluded", True, "listed" if creator.id in t.excluded else "not listed", "not listed"),
        ("in_campaign", True, "yes" if a.fails["in_campaign"][i] else "no", "no"),
        (
            "work_again",
            a.policy.exclude_not_again,
            "no review"
            if past is None or past.work_again is None
            else str(past.work_again).lower(),
            "not false",
        ),
        (
            "platforms",
            bool(t.platforms),
            _names(p for p in _PLATFORMS if a.pool.present[i, _PLATFORMS.index(p)]),
            _names(t.platforms),
        ),
        (
            "tiers",
            bool(t.tiers),
            f"{_TIERS[int(a.tier[i])].value} on {platform.value}",
            _names(t.tiers),
        ),
        ("followers", t.followers is not None, f"{int(a.followers[i]):,}", str(t.followers)),
        (
            "engagement_rate",
            t.min_engagement_rate is not None,
            "unknown" if np.isnan(rate) else _pct(rate),
            f">= {_pct(t.min_engagement_rate or 0)}",
        ),
        ("countries", bool(t.countries), creator.country or "unknown", _names(t.countries)),
        ("languages", bool(t.languages), creator.language or "unknown", _names(t.languages)),
    ]
    for name, wanted in (
        ("audience_countries", t.audience_countries),
        ("audience_languages", t.audience_languages),
    ):
        share = a.fits.get(name)
        value = "unknown" if share is None or np.isnan(share[i]) else _pct(float(share[i]))
        shown.append(
            (
                _SHARE_FILTER[name],
                t.min_audience_share > 0 and bool(wanted),
                value,
                f">= {_pct(t.min_audience_share)} in {_names(wanted)}",
            )
        )
    result = []
    for name, applies, value, target in shown:
        if not applies:
            continue
        failed = bool(a.fails[name][i])
        unknown = value in ("unknown", "no review")
        outcome = Outcome.MISSED if failed else Outcome.UNKNOWN if unknown else Outcome.MATCHED
        result.append(Criterion(name, CriterionKind.FILTER, outcome, value, target))
    return result


def _explain(a: _Arrays, i: int) -> Match:
    creator = a.pool.creators[i]
    criteria = _filters(a, i)
    weights = a.policy.weights
    past = a.past.get(creator.id, PastPerformance())
    for name, fit_array in a.fits.items():
        fit = float(fit_array[i])
        known = not np.isnan(fit)
        used = fit if known else a.policy.unknown_fit
        weight = float(getattr(weights, name))
        value, target = _fit_text(a, name, i, creator, past, fit if known else None)
        kind = CriterionKind.HISTORY if name in _HISTORY else CriterionKind.FIT
        criteria.append(
            Criterion(
                name,
                kind,
                _outcome(fit) if known else Outcome.UNKNOWN,
                value,
                target,
                used,
                weight,
                weight * used,
            )
        )
    filtered_by = None if a.first_fail[i] < 0 else _FILTERS[int(a.first_fail[i])]
    penalty = float(a.penalty[i])
    if filtered_by is None:
        if a.nearest[i] >= 0:
            signal = a.signals[int(a.nearest[i])]
            value = f"resembles {signal.creator_id}, refused ({signal.reason.value})"
        else:
            value = "resembles no refused creator" if a.signals else "no refusal to learn from"
        criteria.append(
            Criterion(
                "refusals",
                CriterionKind.LEARNING,
                Outcome.MATCHED if penalty <= 0 else _outcome(1.0 - penalty),
                value,
                f"{len(a.signals)} refusals on this offer",
                penalty,
                float(weights.refusals),
                -weights.refusals * penalty,
            )
        )
    rank = int(a.ranks[i]) or None
    return Match(
        creator.id,
        rank,
        None if filtered_by is not None else float(a.score[i]),
        tuple(criteria),
        filtered_by,
    )


def _fit_text(
    a: _Arrays, name: str, i: int, creator: Creator, past: PastPerformance, fit: float | None
) -> tuple[str, str]:
    t = a.targeting
    texts: dict[str, Callable[[], tuple[str, str]]] = {
        "themes": lambda: (
            _names(creator.themes & t.themes) if creator.themes else "unknown",
            _names(t.themes),
        ),
        "engagement": lambda: (
            "unknown" if fit is None else _pct(float(a.rate[i])),
            f"{_pct(2 * (t.min_engagement_rate or 0))} for a full fit",
        ),
        "audience_countries": lambda: (
            "unknown" if fit is None else f"{_pct(fit)} in {_names(t.audience_countries)}",
            _names(t.audience_countries),
        ),
        "audience_languages": lambda: (
            "unknown" if fit is None else f"{_pct(fit)} in {_names(t.audience_languages)}",
            _names(t.audience_languages),
        ),
        "collaboration": lambda: (
            "no history" if fit is None else ("done before" if fit else "never done"),
            a.collaboration.value,
        ),
        "rating": lambda: (
            "no rating" if past.rating is None else f"{past.rating:.2f} / 5",
            "5 / 5",
        ),
        "on_time": lambda: (
            "no delivery" if past.on_time_rate is None else _pct(past.on_time_rate),
            "100.0%",
        ),
        "compliance": lambda: (
            "no validated content" if past.compliance is None else f"{past.compliance:.0f}%",
            "100%",
        ),
    }
    return texts[name]()
