"""Creators (influencers): handles, audience statistics, tiers and personal contact details."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import (
    check_count,
    check_text,
    int_tuple,
    optional_instant_field,
    parse_enum,
    valid_id,
)
from influcampaign.domain.aggregate import Aggregate, apply_changes
from influcampaign.domain.event import DomainEvent, register
from influcampaign.errors import ValidationError

__all__ = [
    "AudienceDataState",
    "AudienceShares",
    "AudienceStats",
    "ContactDetails",
    "Creator",
    "CreatorRegistered",
    "CreatorUpdated",
    "Platform",
    "Tier",
    "TierPolicy",
    "parse_platform",
]


class Platform(enum.StrEnum):
    """A social platform a creator publishes on."""

    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    X = "x"
    TWITCH = "twitch"
    SNAPCHAT = "snapchat"
    PINTEREST = "pinterest"
    LINKEDIN = "linkedin"
    BLOG = "blog"


def parse_platform(value: Any, field: str = "platform") -> Platform:
    """A Platform from itself or its name (case-insensitive); unknown names are refused."""
    if isinstance(value, Platform):
        return value
    if isinstance(value, str):
        try:
            return Platform(value.strip().lower())
        except ValueError:
            pass
    known = ", ".join(p.value for p in Platform)
    raise ValidationError(field, value, f"is not a known platform ({known})")


class AudienceDataState(enum.StrEnum):
    """Whether a creator's audience data may be read.

    ``hidden``: a verified account whose followers are masked by the platform.
    ``opted_out``: the creator refused to share it; the SDK never reads it.
    """

    SHARED = "shared"
    HIDDEN = "hidden"
    OPTED_OUT = "opted_out"


class Tier(enum.StrEnum):
    """Size class of a creator by followers."""

    NANO = "nano"
    MICRO = "micro"
    MID = "mid"
    MACRO = "macro"
    MEGA = "mega"


def _check_thresholds(_instance: Any, _attribute: Any, value: tuple[int, int, int, int]) -> None:
    if len(value) != 4 or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
        raise ValidationError("thresholds", value, "must be four integers")
    if not 0 < value[0] < value[1] < value[2] < value[3]:
        raise ValidationError("thresholds", value, "must be positive and strictly increasing")


@attrs.frozen
class TierPolicy:
    """Followers thresholds between tiers: ``(micro, mid, macro, mega)`` lower bounds.

    The default is the usual industry split: nano < 10k ≀ micro < 100k ≀ mid < 500k ≀
    macro < 1M ≀ mega.

    >>> TierPolicy().tier_for(42_000)
    <Tier.MICRO: 'micro'>
    """

    thresholds: tuple[int, int, int, int] = attrs.field(
        default=(10_000, 100_000, 500_000, 1_000_000),
        converter=int_tuple,
        validator=_check_thresholds,
    )

    def tier_for(self, followers: int) -> Tier:
        """The tier of an audience of ``followers``."""
        check_count("followers", followers)
        for tier, bound in zip(
            (Tier.NANO, Tier.MICRO, Tier.MID, Tier.MACRO), self.thresholds, strict=True
        ):
            if followers < bound:
                return tier
        return Tier.MEGA


def _check_rate(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise ValidationError(attribute.name, value, "must be a fraction between 0 and 1")


def _count(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        check_count(attribute.name, value)


@attrs.frozen
class AudienceStats:
    """Public statistics of a creator on one platform.

    ``engagement_rate`` is a fraction (0.034 for 3.4 %); ``average_views`` is per video, when known.
    """

    followers: int = attrs.field(validator=_count)
    engagement_rate: float | None = attrs.field(default=None, validator=_check_rate)
    average_views: int | None = attrs.field(default=None, validator=_count)


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _check_email(_instance: Any, _attribute: Any, value: str | None) -> None:
    if value is not None and (not isinstance(value, str) or not _EMAIL.fullmatch(value)):
        raise ValidationError("email", value, "is not an e-mail address")


@attrs.frozen
class ContactDetails:
    """Personal data of a creator: only the creator and allowed brand roles may read it."""

    email: str | None = attrs.field(default=None, validator=_check_email)
    phone: str | None = None
    legal_name: str | None = None
    postal_address: str | None = None


_HANDLE = re.compile(r"[A-Za-z0-9_.\-]{1,100}")


def _handles(value: Mapping[Any, Any]) -> dict[Platform, str]:
    if not isinstance(value, Mapping):
        raise ValidationError("handles", value, "must be a mapping of platform to handle")
    result: dict[Platform, str] = {}
    for key, handle in value.items():
        platform = parse_platform(key, "handles")
        if platform is Platform.BLOG:
            text = check_text(f"handles.{platform}", handle, max_length=300)
        else:
            text = handle.strip().removeprefix("@") if isinstance(handle, str) else handle
            if not isinstance(text, str) or not _HANDLE.fullmatch(text):
                raise ValidationError(f"handles.{platform}", handle, "is not a valid handle")
        result[platform] = text
    return dict(sorted(result.items()))


def _audience(value: Mapping[Any, Any]) -> dict[Platform, AudienceStats]:
    if not isinstance(value, Mapping):
        raise ValidationError("audience", value, "must be a mapping of platform to AudienceStats")
    result: dict[Platform, AudienceStats] = {}
    for key, stats in value.items():
        if not isinstance(stats, AudienceStats):
            raise ValidationError(f"audience.{key}", stats, "must be AudienceStats")
        result[parse_platform(key, "audience")] = stats
    return dict(sorted(result.items()))


def _themes(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        raise ValidationError("themes", value, "must be a collection of theme names")
    return frozenset(check_text("themes", t, max_length=60).casefold() for t in value)


def _country(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2}", value):
        raise ValidationError("country", value, "must be an ISO 3166-1 alpha-2 code such as 'FR'")
    return value.upper()


def _language(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2,3}", value):
        raise ValidationError("language", value, "must be an ISO 639 code such as 'fr'")
    return value.lower()


def _shares(field: str, value: Any, key: Any) -> dict[str, float]:
    if not isinstance(value, Mapping):
        raise ValidationError(field, value, "must be a mapping of code to a fraction")
    result: dict[str, float] = {}
    for code, share in value.items():
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
            raise ValidationError(f"{field}.{code}", share, "must be a fraction between 0 and 1")
        result[key(code)] = float(share)
    if sum(result.values()) > 1 + 1e-9:
        raise ValidationError(field, value, "shares must add up to at most 1")
    return dict(sorted(result.items()))


def _country_shares(value: Any) -> dict[str, float]:
    return _shares("countries", value, _audience_country)


def _language_shares(value: Any) -> dict[str, float]:
    return _shares("languages", value, _audience_language)


def _audience_country(value: Any) -> str:
    code = _country(value)
    if code is None:
        raise ValidationError("countries", value, "must be an ISO 3166-1 alpha-2 code")
    return code


def _audience_language(value: Any) -> str:
    code = _language(value)
    if code is None:
        raise ValidationError("languages", value, "must be an ISO 639 code")
    return code


@attrs.frozen
class AudienceShares:
    """Where a creator's audience is, when the creator shares it: the fraction of its
    followers by country (ISO 3166-1 alpha-2) and by language (ISO 639), each adding up to
    at most 1 (the rest is unknown).

    >>> AudienceShares(countries={"fr": 0.5, "BE": 0.25}).share_in(countries={"FR", "BE"})
    0.75
    """

    countries: dict[str, float] = attrs.field(factory=dict, converter=_country_shares)
    languages: dict[str, float] = attrs.field(factory=dict, converter=_language_shares)

    def share_in(
        self, *, countries: Iterable[str] = (), languages: Iterable[str] = ()
    ) -> float | None:
        """The fraction of the audience in ``countries`` (or speaking ``languages``); None
        when that part of the audience is not known."""
        if countries:
            wanted, shares = set(countries), self.countries
        else:
            wanted, shares = set(languages), self.languages
        if not shares:
            return None
        return sum(v for k, v in shares.items() if k in wanted)


def _display_name(value: Any) -> str:
    return check_text("display_name", value)


def _audience_data(value: Any) -> AudienceDataState:
    return parse_enum(AudienceDataState, "audience_data", value)


# -- what happens to a creator (recorded by Creator, written to the outbox) ------------------


@register
@attrs.frozen(kw_only=True)
class CreatorRegistered(DomainEvent):
    """A creator was added."""

    creator_id: str
    display_name: str


@register
@attrs.frozen(kw_only=True)
class CreatorUpdated(DomainEvent):
    """Some of a creator's fields changed (their names, never their personal values)."""

    creator_id: str
    fields: tuple[str, ...]


_EDITABLE = frozenset(
    {
        "display_name",
        "handles",
        "audience",
        "themes",
        "country",
        "language",
        "contact",
        "audience_data",
        "audience_shares",
    }
)
"""The fields of a creator that ``Creator.update`` may change."""


@attrs.define
class Creator(Aggregate):
    """A content creator, with handles and audience statistics per platform.

    Aggregate: stored and versioned on its own. ``contact`` is personal data.
    """

    id: str = attrs.field(validator=valid_id)
    display_name: str = attrs.field(converter=_display_name)
    handles: dict[Platform, str] = attrs.field(factory=dict, converter=_handles)
    audience: dict[Platform, AudienceStats] = attrs.field(factory=dict, converter=_audience)
    themes: frozenset[str] = attrs.field(factory=frozenset, converter=_themes)
    country: str | None = attrs.field(default=None, converter=_country)
    language: str | None = attrs.field(default=None, converter=_language)
    contact: ContactDetails | None = None
    audience_shares: AudienceShares | None = None
    audience_data: AudienceDataState = attrs.field(
        default=AudienceDataState.SHARED,
        converter=_audience_data,
    )
    created_at: pendulum.DateTime | None = optional_instant_field()
    version: int = 0

    @classmethod
    def register(cls, now: pendulum.DateTime, **fields: Any) -> Creator:
        """A new creator, recording CreatorRegistered."""
        creator = cls(**fields, created_at=now)
        creator.record(
            CreatorRegistered(
                occurred_at=now, creator_id=creator.id, display_name=creator.display_name
            )
        )
        return creator

    def update(self, now: pendulum.DateTime, **changes: Any) -> tuple[str, ...]:
        """Change some editable fields (not ``id`` nor ``version``); records CreatorUpdated
        with the names of those that changed, which it returns (none: nothing recorded)."""
        fields = apply_changes(self, changes, editable=_EDITABLE)
        if fields:
            self.record(CreatorUpdated(occurred_at=now, creator_id=self.id, fields=fields))
        return fields

    @property
    def followers(self) -> int:
        """Followers on the creator's largest platform (0 when no statistics are known)."""
        return max(
            (s.followers for s in self.audience.values() if s.followers is not None), default=0
        )

    def tier(self, policy: TierPolicy | None = None) -> Tier:
        """The creator's tier from its largest platform (default thresholds unless ``policy``)."""
        return (policy or TierPolicy()).tier_for(self.followers)

    @property
    def readable_audience(self) -> AudienceShares | None:
        """The audience's countries and languages, unless the creator hid or opted out of
        sharing its audience data (then None: the SDK does not read it)."""
        if self.audience_data is not AudienceDataState.SHARED:
            return None
        return self.audience_shares

    def redacted(self) -> Creator:
        """A copy without personal data, for readers who may not see it."""
        return attrs.evolve(self, contact=None)
