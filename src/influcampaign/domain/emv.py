"""Earned media value: rate cards (versioned, dated values per action or per thousand) and
the EMV of a content under the card in force at its publication date."""

from __future__ import annotations

import datetime as _dt
import enum
import itertools
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import check_text, optional_instant_field, parse_enum, valid_id
from influcampaign.domain.aggregate import Aggregate
from influcampaign.domain.content import Metrics
from influcampaign.domain.creator import Platform, parse_platform
from influcampaign.domain.deliverable import ContentFormat
from influcampaign.domain.event import DomainEvent, register
from influcampaign.domain.money import Money, _to_decimal, check_currency
from influcampaign.errors import ValidationError

__all__ = [
    "DEFAULT_RATE_CARD",
    "DEFAULT_RATE_CARDS",
    "BrandRateCard",
    "EmvAction",
    "EmvRate",
    "EmvValue",
    "RateCard",
    "RateCardBook",
    "RateCardDefined",
    "default_rate_card",
]


class EmvAction(enum.StrEnum):
    """What a rate card prices: the metrics of a content, by their :class:`Metrics` name."""

    IMPRESSIONS = "impressions"
    REACH = "reach"
    VIEWS = "views"
    LIKES = "likes"
    COMMENTS = "comments"
    SHARES = "shares"
    SAVES = "saves"
    LINK_CLICKS = "link_clicks"
    STORY_TAPS = "story_taps"


ACTIONS: tuple[EmvAction, ...] = tuple(EmvAction)
"""Every action, in the order of the columns of the bulk EMV arrays."""


def _action(value: Any) -> EmvAction:
    return parse_enum(EmvAction, "action", value)


def _value(value: Any) -> Decimal:
    amount = _to_decimal("value", value)
    if amount < 0:
        raise ValidationError("value", value, "a rate card value must not be negative")
    return amount


def _per(_instance: Any, _attribute: Any, value: Any) -> None:
    if value not in (1, 1000) or isinstance(value, bool):
        raise ValidationError("per", value, "must be 1 (per action) or 1000 (a CPM)")


def _optional_platform(value: Any) -> Platform | None:
    return None if value is None else parse_platform(value)


def _optional_format(value: Any) -> ContentFormat | None:
    return None if value is None else parse_enum(ContentFormat, "format", value)


@attrs.frozen
class EmvRate:
    """The value of ``per`` actions (1, or 1000 for a CPM) on a platform and format
    (None: any). A value of 0 says the action is not valued there (views on a post, say)."""

    action: EmvAction = attrs.field(converter=_action)
    value: Decimal = attrs.field(converter=_value)
    per: int = attrs.field(default=1, validator=_per)
    platform: Platform | None = attrs.field(default=None, converter=_optional_platform)
    format: ContentFormat | None = attrs.field(default=None, converter=_optional_format)

    @property
    def unit_value(self) -> Decimal:
        """The value of one action."""
        return self.value / self.per

    @property
    def specificity(self) -> int:
        """How precisely the rate targets: platform and format 3, platform 2, format 1."""
        return 2 * (self.platform is not None) + (self.format is not None)

    def matches(self, platform: Platform, format: ContentFormat) -> bool:
        """Whether the rate applies to a content of this platform and format."""
        return self.platform in (None, platform) and self.format in (None, format)


def _name(value: Any) -> str:
    return check_text("name", value, max_length=100)


def _source(value: Any) -> str:
    return check_text("source", value, max_length=2_000)


def _version(_instance: Any, _attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("version", value, "must be a whole number from 1")


def _day(field: str, value: Any) -> _dt.date:
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise ValidationError(field, value, "must be a date (no time)")
    return _dt.date(value.year, value.month, value.day)


def _valid_from(value: Any) -> _dt.date:
    return _day("valid_from", value)


def _valid_until(value: Any) -> _dt.date | None:
    return None if value is None else _day("valid_until", value)


def _currency(_instance: Any, _attribute: Any, value: Any) -> None:
    check_currency("currency", value)


def _rates(value: Any) -> tuple[EmvRate, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError("rates", value, "must be a list of EmvRate")
    rates = tuple(value)
    seen: set[tuple[EmvAction, Platform | None, ContentFormat | None]] = set()
    for rate in rates:
        if not isinstance(rate, EmvRate):
            raise ValidationError("rates", rate, "must be an EmvRate")
        key = (rate.action, rate.platform, rate.format)
        if key in seen:
            where = f"{rate.platform or 'any platform'}/{rate.format or 'any format'}"
            raise ValidationError("rates", rate.action.value, f"is priced twice for {where}")
        seen.add(key)
    return rates


@attrs.frozen
class RateCard:
    """One version of a named rate card: values per action in one currency, in force from
    ``valid_from`` until the day before ``valid_until`` (open-ended when None), with the
    source of its values.

    For each action, the most specific rate for the content's platform and format applies
    (platform and format, then platform, then format, then the card-wide rate).
    """

    name: str = attrs.field(converter=_name)
    version: int = attrs.field(validator=_version)
    currency: str = attrs.field(validator=_currency)
    valid_from: _dt.date = attrs.field(converter=_valid_from)
    rates: tuple[EmvRate, ...] = attrs.field(converter=_rates)
    source: str = attrs.field(converter=_source)
    valid_until: _dt.date | None = attrs.field(default=None, converter=_valid_until)

    def __attrs_post_init__(self) -> None:
        if self.valid_until is not None and self.valid_until <= self.valid_from:
            raise ValidationError(
                "valid_until",
                self.valid_until.isoformat(),
                f"must be after valid_from {self.valid_from.isoformat()}",
            )

    @property
    def label(self) -> str:
        """``name vN``: how reports show the card they used."""
        return f"{self.name} v{self.version}"

    def in_force(self, on: _dt.date) -> bool:
        """Whether the card applies to a content published on ``on``."""
        return self.valid_from <= on and (self.valid_until is None or on < self.valid_until)

    def rate_for(
        self,
        action: EmvAction,
        platform: Platform,
        format: ContentFormat,
    ) -> EmvRate | None:
        """The rate that values ``action`` on this platform and format (None: not valued)."""
        found = [r for r in self.rates if r.action is action and r.matches(platform, format)]
        return max(found, key=lambda r: r.specificity, default=None)

    def unit_values(
        self,
        platform: Platform,
        format: ContentFormat,
    ) -> dict[EmvAction, Decimal]:
        """The value of one of each action priced above zero on this platform and format."""
        result: dict[EmvAction, Decimal] = {}
        for action in ACTIONS:
            rate = self.rate_for(action, platform, format)
            if rate is not None and rate.value > 0:
                result[action] = rate.unit_value
        return result

    def value(
        self,
        metrics: Metrics | None,
        platform: Platform,
        format: ContentFormat,
    ) -> EmvValue:
        """The EMV of a content's metrics under this card (exact, not rounded).

        Unknown when no metrics are recorded or none the card values is reported; partial
        (``missing`` names the actions) when only some are.
        """
        prices = self.unit_values(platform, format)
        if metrics is None:
            missing = tuple(prices)
            return EmvValue(None, self.label, {}, missing, emv_reason(False, False, missing))
        breakdown: dict[EmvAction, Money] = {}
        absent: list[EmvAction] = []
        for action, unit in prices.items():
            count = getattr(metrics, action.value)
            if count is None:
                absent.append(action)
            else:
                breakdown[action] = Money(unit * count, self.currency)
        missing = tuple(absent)
        reason = emv_reason(True, bool(breakdown), missing)
        if not breakdown:
            return EmvValue(None, self.label, {}, missing, reason)
        total = Money.sum(list(breakdown.values()), self.currency)
        return EmvValue(total, self.label, breakdown, missing, reason)


def emv_reason(reported: bool, known: bool, missing: Sequence[EmvAction]) -> str:
    """Why a content's EMV is unknown or partial ("" when complete), for the per-content
    rule and the bulk path alike."""
    names = ", ".join(a.value for a in missing)
    if not reported:
        return "no metrics recorded"
    if not known:
        return f"none of the metrics the card values is reported ({names or 'nothing'})"
    return f"not reported: {names}" if missing else ""


@attrs.frozen
class EmvValue:
    """The EMV of one content: the value (None: unknown, with the reason), the card used,
    the value per action, and the valued actions that were not reported."""

    value: Money | None
    card: str
    breakdown: Mapping[EmvAction, Money]
    missing: tuple[EmvAction, ...] = ()
    reason: str = ""

    @property
    def complete(self) -> bool:
        """True when every action the card values was reported."""
        return self.value is not None and not self.missing


def _cards(value: Any) -> tuple[RateCard, ...]:
    if isinstance(value, RateCard):
        value = (value,)
    cards = tuple(sorted(value, key=lambda c: c.valid_from))
    if not cards:
        raise ValidationError("cards", [], "give at least one rate card")
    for card in cards:
        if not isinstance(card, RateCard):
            raise ValidationError("cards", card, "must be a RateCard")
    names = {c.name for c in cards}
    if len(names) > 1:
        raise ValidationError("cards", sorted(names), "a book holds the versions of one card")
    versions = [c.version for c in cards]
    if len(set(versions)) != len(versions):
        raise ValidationError("version", versions, "each version of a card appears once")
    for earlier, later in itertools.pairwise(cards):
        if earlier.valid_until is None or earlier.valid_until > later.valid_from:
            until = "open-ended" if earlier.valid_until is None else earlier.valid_until
            raise ValidationError(
                "valid_from",
                later.valid_from.isoformat(),
                f"{later.label} starts while {earlier.label} ({earlier.valid_from} to "
                f"{until}) is in force: validity periods must not overlap",
            )
        if later.version <= earlier.version:
            raise ValidationError(
                "version", later.version, f"must be above {earlier.version}, the earlier card's"
            )
    return cards


@attrs.frozen
class RateCardBook:
    """The versions of one rate card over time, which must not overlap.

    >>> DEFAULT_RATE_CARD.label
    'influcampaign default v1'
    """

    cards: tuple[RateCard, ...] = attrs.field(converter=_cards)

    @property
    def name(self) -> str:
        """The card's name."""
        return self.cards[0].name

    def card_for(self, on: _dt.date) -> RateCard | None:
        """The version in force on ``on`` (None in a gap, before the first or after the last)."""
        for card in self.cards:
            if card.in_force(on):
                return card
        return None

    def value(
        self,
        metrics: Metrics | None,
        platform: Platform,
        format: ContentFormat,
        published_at: pendulum.DateTime,
    ) -> EmvValue:
        """The EMV of a content under the version in force at its publication date (UTC)."""
        day = published_at.in_timezone("UTC").date()
        card = self.card_for(day)
        if card is None:
            return EmvValue(
                None, self.name, {}, (), f"no version of {self.name} is in force on {day}"
            )
        return card.value(metrics, platform, format)


def _brand_card(_instance: Any, _attribute: Any, value: Any) -> None:
    if not isinstance(value, RateCard):
        raise ValidationError("card", value, "must be a RateCard")


@register
@attrs.frozen(kw_only=True)
class RateCardDefined(DomainEvent):
    """A brand defined a version of an EMV rate card."""

    brand_id: str
    name: str
    card_version: int
    valid_from: str


@attrs.define
class BrandRateCard(Aggregate):
    """A rate card version a brand defined, as stored. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    card: RateCard = attrs.field(validator=_brand_card)
    created_at: pendulum.DateTime | None = optional_instant_field()
    version: int = 0

    @classmethod
    def define(
        cls, now: pendulum.DateTime, *, id: str, brand_id: str, card: RateCard
    ) -> BrandRateCard:
        """A new version of a brand's card, recording RateCardDefined."""
        stored = cls(id=id, brand_id=brand_id, card=card, created_at=now)
        stored.record(
            RateCardDefined(
                occurred_at=now,
                brand_id=brand_id,
                name=card.name,
                card_version=card.version,
                valid_from=card.valid_from.isoformat(),
            )
        )
        return stored


def _default_rates() -> tuple[EmvRate, ...]:
    a, p, f = EmvAction, Platform, ContentFormat
    rates = [
        # Attention: a CPM on impressions for still formats, on views for video formats.
        EmvRate(a.IMPRESSIONS, Decimal("7.50"), per=1000),
        EmvRate(a.IMPRESSIONS, Decimal("8.00"), per=1000, platform=p.INSTAGRAM),
        EmvRate(a.IMPRESSIONS, Decimal("10.00"), per=1000, platform=p.TIKTOK),
        EmvRate(a.IMPRESSIONS, Decimal("20.00"), per=1000, platform=p.YOUTUBE),
        EmvRate(a.VIEWS, Decimal(0)),
    ]
    for video in (f.REEL, f.SHORT, f.VIDEO, f.LIVE):
        rates.append(EmvRate(a.IMPRESSIONS, Decimal(0), format=video))
        rates.append(EmvRate(a.VIEWS, Decimal("7.50"), per=1000, format=video))
        for platform, cpm in ((p.INSTAGRAM, "8.00"), (p.TIKTOK, "10.00"), (p.YOUTUBE, "20.00")):
            rates.append(EmvRate(a.IMPRESSIONS, Decimal(0), platform=platform, format=video))
            rates.append(EmvRate(a.VIEWS, Decimal(cpm), per=1000, platform=platform, format=video))
    rates += [
        # Actions.
        EmvRate(a.LIKES, Decimal("0.10")),
        EmvRate(a.COMMENTS, Decimal("0.50")),
        EmvRate(a.SHARES, Decimal("2.50")),
        EmvRate(a.SAVES, Decimal("0.50")),
        EmvRate(a.LINK_CLICKS, Decimal("1.58")),
        EmvRate(a.STORY_TAPS, Decimal(0)),
        EmvRate(a.STORY_TAPS, Decimal("0.02"), format=f.STORY),
    ]
    return tuple(rates)


DEFAULT_RATE_CARD = RateCard(
    name="influcampaign default",
    version=1,
    currency="USD",
    valid_from=_dt.date(2026, 1, 1),
    rates=_default_rates(),
    source=(
        "influcampaign default card, 2026-01-01, in USD; a starting point, not a market "
        "price. CPMs: Instagram 8, TikTok 10, YouTube 20, other platforms 7.50 (public EMV "
        "calculator benchmarks, fair-influence.com and socialrails.com, read 2026), on "
        "impressions for posts, carousels and stories and on views for reels, shorts, videos "
        "and lives, so attention is not counted twice. Per action: like 0.10, comment 0.50, "
        "share 2.50 (socialrails.com), link click 1.58 (Ayzenberg Earned Media Value Index, "
        "as quoted by SocialToaster); save 0.50 and story tap 0.02 (stories only) are our "
        "choices. Define your own card for your market and currency."
    ),
)
"""The rate card used when a brand defined none; its ``source`` says where values come from."""

DEFAULT_CARD_RATES: Mapping[str, Decimal] = {"EUR": Decimal("0.92"), "GBP": Decimal("0.79")}
"""The value of 1 USD in each currency a default card ships in, besides USD: round figures
chosen once for the 2026 cards (close to the market of 2024-2025, not a quoted fixing)."""


def _converted(card: RateCard, currency: str, rate: Decimal) -> RateCard:
    return attrs.evolve(
        card,
        name=f"{card.name} {currency}",
        currency=currency,
        rates=tuple(attrs.evolve(r, value=r.value * rate) for r in card.rates),
        source=(
            f"{card.label} converted once at 1 {card.currency} = {rate} {currency} (a round "
            f"rate chosen by influcampaign, not a market fixing). {card.source}"
        ),
    )


DEFAULT_RATE_CARDS: Mapping[str, RateCard] = {
    "USD": DEFAULT_RATE_CARD,
    **{c: _converted(DEFAULT_RATE_CARD, c, r) for c, r in DEFAULT_CARD_RATES.items()},
}
"""The shipped default card in each major currency (USD, EUR, GBP), so that a campaign
reported in one of them values its contents without any exchange rate."""


def default_rate_card(currency: str) -> RateCard:
    """The shipped default card in ``currency``, else the USD one.

    >>> default_rate_card("EUR").label
    'influcampaign default EUR v1'
    >>> default_rate_card("JPY").currency
    'USD'
    """
    return DEFAULT_RATE_CARDS.get(currency, DEFAULT_RATE_CARD)
