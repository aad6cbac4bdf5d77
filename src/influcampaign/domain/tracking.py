"""Tracked links, their clicks, and promo codes: how a visit or a sale is tied to a creator."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import attrs
import pendulum

from influcampaign.domain._urls import check_http_url
from influcampaign.domain._validate import check_datetime, check_text, valid_id
from influcampaign.domain.aggregate import Aggregate, OfParticipation
from influcampaign.domain.event import DomainEvent, register
from influcampaign.errors import ValidationError

__all__ = [
    "CLICK_ID_PARAMETER",
    "Click",
    "LinkCreated",
    "PromoCode",
    "PromoCodeCreated",
    "TrackedLink",
    "Utm",
    "normalise_code",
    "slugify",
    "utm_of",
    "with_params",
]

CLICK_ID_PARAMETER = "icclid"
"""The query parameter that carries the signed click id to the shop (like ``gclid``); the
shop's theme keeps it as a cart attribute, which comes back in the order's
``note_attributes``."""

_UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")


def slugify(text: str) -> str:
    """A lower-case ASCII slug: ``"Été Glow 2026!"`` → ``"ete-glow-2026"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "campaign"


def _utm_value(field: str, value: Any) -> str:
    text = check_text(field, value, max_length=100)
    slug = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-")
    if not slug:
        raise ValidationError(field, value, "has no letters or digits")
    return slug


def _source(value: Any) -> str:
    return _utm_value("utm_source", value)


def _medium(value: Any) -> str:
    return _utm_value("utm_medium", value)


def _campaign(value: Any) -> str:
    return _utm_value("utm_campaign", value)


def _content(value: Any) -> str:
    return _utm_value("utm_content", value)


@attrs.frozen
class Utm:
    """The UTM parameters of a tracked link, lower-cased (analytics tools treat case as
    different campaigns)."""

    source: str = attrs.field(converter=_source)
    medium: str = attrs.field(converter=_medium)
    campaign: str = attrs.field(converter=_campaign)
    content: str = attrs.field(converter=_content)

    def params(self) -> dict[str, str]:
        """As query parameters."""
        return dict(zip(_UTM_KEYS, attrs.astuple(self), strict=True))


def utm_of(url_or_path: str | None) -> dict[str, str]:
    """The UTM parameters of a URL or a path with a query (Shopify's ``landing_site``),
    lower-cased; other parameters are ignored."""
    if not url_or_path:
        return {}
    query = urlsplit(url_or_path).query
    return {k: v.strip().lower() for k, v in parse_qsl(query) if k in _UTM_KEYS and v.strip()}


def with_params(url: str, params: dict[str, str]) -> str:
    """``url`` with ``params`` set (replacing parameters of the same name, keeping others)."""
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    return urlunsplit(parts._replace(query=urlencode([*kept, *params.items()])))


def _destination(value: Any) -> str:
    return check_http_url("destination", value)


@register
@attrs.frozen(kw_only=True)
class LinkCreated(DomainEvent):
    """A tracked link was made for a participation."""

    link_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    slug: str


@attrs.define
class TrackedLink(OfParticipation):
    """A participation's tracked link: an unguessable slug that redirects to the brand's
    page with UTM parameters. Aggregate (its id is ``lnk_`` + the slug)."""

    slug: str
    landing_url: str = attrs.field(converter=_destination)
    utm: Utm
    created_at: pendulum.DateTime
    active: bool = True
    version: int = 0

    @classmethod
    def create(cls, now: pendulum.DateTime, **fields: Any) -> TrackedLink:
        """A new tracked link, recording LinkCreated."""
        link = cls(**fields, created_at=now)
        link.record(
            LinkCreated(
                occurred_at=now,
                link_id=link.id,
                **link.event_refs(),
                slug=link.slug,
            )
        )
        return link

    @property
    def destination(self) -> str:
        """The landing URL with the UTM parameters."""
        return with_params(self.landing_url, self.utm.params())

    def url(self, base_url: str) -> str:
        """The link to share: ``base_url`` (the tracking domain) followed by the slug."""
        return f"{base_url.rstrip('/')}/{self.slug}"


def _at(value: Any) -> pendulum.DateTime:
    return check_datetime("at", value)


@attrs.define
class Click(Aggregate):
    """One counted click on a tracked link (bots and non-GET requests are never stored).

    ``visitor`` is a keyed hash of the IP address and user agent, never the address itself;
    ``unique`` is False when the same visitor clicked the same link within the
    de-duplication window. ``day`` is the local date in the campaign's time zone.
    """

    id: str = attrs.field(validator=valid_id)
    link_id: str = attrs.field(validator=valid_id)
    participation_id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    creator_id: str = attrs.field(validator=valid_id)
    at: pendulum.DateTime = attrs.field(converter=_at)
    visitor: str
    unique: bool
    day: _dt.date
    version: int = 0


def normalise_code(value: Any, field: str = "code") -> str:
    """A promo code as Shopify matches it: case-insensitive, so kept upper-case."""
    if not isinstance(value, str):
        raise ValidationError(field, value, "must be a string")
    return value.strip().upper()


@register
@attrs.frozen(kw_only=True)
class PromoCodeCreated(DomainEvent):
    """A promo code was made for a participation (create it in the shop with this code)."""

    promo_code_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    code: str
    percent_off: int | None


@attrs.define
class PromoCode(Aggregate):
    """A participation's promo code (unique within the brand, case-insensitively). Aggregate."""

    id: str = attrs.field(validator=valid_id)
    code: str
    participation_id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    creator_id: str = attrs.field(validator=valid_id)
    percent_off: int | None
    created_at: pendulum.DateTime
    active: bool = True
    version: int = 0

    @classmethod
    def create(cls, now: pendulum.DateTime, **fields: Any) -> PromoCode:
        """A new promo code, recording PromoCodeCreated."""
        promo = cls(**fields, created_at=now)
        promo.record(
            PromoCodeCreated(
                occurred_at=now,
                promo_code_id=promo.id,
                participation_id=promo.participation_id,
                campaign_id=promo.campaign_id,
                creator_id=promo.creator_id,
                code=promo.code,
                percent_off=promo.percent_off,
            )
        )
        return promo
