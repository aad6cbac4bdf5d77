"""Posts captured from a platform's feed, the feed's bad lines, and earned mentions: posts by
people outside a campaign that carry its hashtags or mentions (counted, never credited)."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from typing import Any

import attrs
import pendulum

from influcampaign.domain._urls import check_http_url
from influcampaign.domain._validate import (
    check_datetime,
    check_text,
    optional_instant_field,
    valid_id,
)
from influcampaign.domain.aggregate import Aggregate
from influcampaign.domain.content import Metrics, MetricsSnapshot
from influcampaign.domain.creator import Platform, parse_platform
from influcampaign.domain.deliverable import ContentFormat
from influcampaign.domain.event import DomainEvent, register
from influcampaign.errors import ValidationError

__all__ = [
    "CapturedPost",
    "EarnedMention",
    "EarnedMentionCaptured",
    "EarnedMentionUpdated",
    "FeedProblem",
    "STORY_LIFETIME_HOURS",
    "parse_feed_item",
]

STORY_LIFETIME_HOURS = 24
"""How long a story lives when the feed does not say (Instagram, Facebook, Snapchat)."""

_HANDLE = re.compile(r"[A-Za-z0-9_.\-]{1,100}")

_MEDIA_TYPES: Mapping[str, ContentFormat] = {
    "image": ContentFormat.POST,
    "photo": ContentFormat.POST,
    "post": ContentFormat.POST,
    "feed": ContentFormat.POST,
    "carousel_album": ContentFormat.CAROUSEL,
    "carousel": ContentFormat.CAROUSEL,
    "video": ContentFormat.VIDEO,
    "reels": ContentFormat.REEL,
    "reel": ContentFormat.REEL,
    "story": ContentFormat.STORY,
    "short": ContentFormat.SHORT,
    "shorts": ContentFormat.SHORT,
    "live": ContentFormat.LIVE,
}
"""Feed media types (Instagram Graph API ``media_type`` / ``media_product_type``, TikTok and
YouTube kinds, lower-cased) → the SDK's content format."""

_VIDEO = frozenset(
    {ContentFormat.VIDEO, ContentFormat.REEL, ContentFormat.SHORT, ContentFormat.LIVE}
)

_METRIC_NAMES: Mapping[str, str] = {
    "impressions": "impressions",
    "reach": "reach",
    "views": "views",
    "plays": "views",
    "view_count": "views",
    "video_views": "views",
    "likes": "likes",
    "like_count": "likes",
    "comments": "comments",
    "comments_count": "comments",
    "comment_count": "comments",
    "shares": "shares",
    "share_count": "shares",
    "saves": "saves",
    "saved": "saves",
    "link_clicks": "link_clicks",
    "story_taps": "story_taps",
    "taps_forward": "story_taps",
}
"""Metric names of the feeds (Instagram insights, TikTok, YouTube statistics) → Metrics."""


def normalise_handle(value: Any, field: str = "username") -> str:
    """A handle as matched: without '@', case folded (``'@Lea.Jardine'`` → ``'lea.jardine'``)."""
    text = value.strip().removeprefix("@") if isinstance(value, str) else value
    if not isinstance(text, str) or not _HANDLE.fullmatch(text):
        raise ValidationError(field, value, "is not a handle")
    return text.casefold()


def _post_id(value: Any) -> str:
    text = check_text("id", value, max_length=200)
    if any(c.isspace() for c in text):
        raise ValidationError("id", value, "must not contain spaces")
    return text


def _author(value: Any) -> str:
    return normalise_handle(value)


def _url(value: Any) -> str:
    return check_http_url("permalink", value)


def _caption(value: Any) -> str:
    return check_text("caption", value, max_length=100_000, allow_empty=True)


def _published_at(value: Any) -> pendulum.DateTime:
    return check_datetime("published_at", value)


def _captured_at(value: Any) -> pendulum.DateTime:
    return check_datetime("captured_at", value)


def _platform(value: Any) -> Platform:
    return parse_platform(value)


@attrs.frozen
class CapturedPost:
    """A post as a platform's feed shows it: its id on the platform, permalink, author's
    handle, caption, format, publication time and metrics. A story ``expires_at`` a day after
    it was published (unless the feed says otherwise): its figures are kept, not refreshed,
    after that."""

    post_id: str = attrs.field(converter=_post_id)
    platform: Platform = attrs.field(converter=_platform)
    url: str = attrs.field(converter=_url)
    author: str = attrs.field(converter=_author)
    published_at: pendulum.DateTime = attrs.field(converter=_published_at)
    format: ContentFormat = ContentFormat.POST
    caption: str = attrs.field(default="", converter=_caption)
    metrics: Metrics | None = None
    expires_at: pendulum.DateTime | None = optional_instant_field()
    line: int = attrs.field(default=0, eq=False)  # where the feed had it (0: unknown)

    def __attrs_post_init__(self) -> None:
        if self.format is ContentFormat.STORY and self.expires_at is None:
            expiry = self.published_at.add(hours=STORY_LIFETIME_HOURS)
            object.__setattr__(self, "expires_at", expiry)

    @property
    def is_video(self) -> bool:
        """Whether the post is a video (a reel, a short, a video or a live)."""
        return self.format in _VIDEO

    def lives_at(self, now: pendulum.DateTime) -> bool:
        """Whether the post is still up at ``now`` (a story until it expires; others always)."""
        return self.expires_at is None or now < self.expires_at


@attrs.frozen
class FeedProblem:
    """A feed line that could not be read: its number (from 1), the field, the value and why.
    The rest of the feed is read all the same."""

    line: int
    field: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.reason} (got {self.value})"


def _timestamp(value: Any) -> pendulum.DateTime:
    """An ISO 8601 time with its offset (``2026-03-27T18:05:00+0100``), or Unix seconds
    (TikTok's ``create_time``); a time without an offset is refused."""
    if isinstance(value, bool):
        raise ValidationError("timestamp", value, "must be an ISO 8601 time with an offset")
    if isinstance(value, int):
        return pendulum.from_timestamp(value, tz="UTC")
    if not isinstance(value, str):
        raise ValidationError("timestamp", value, "must be an ISO 8601 time with an offset")
    try:
        parsed = _dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError("timestamp", value, "is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise ValidationError("timestamp", value, "has no UTC offset (a naive time)")
    return check_datetime("timestamp", parsed)


def _media_format(item: Mapping[str, Any]) -> ContentFormat:
    """The format from ``media_product_type`` (a story or a reel) else ``media_type``; both
    must be known when given."""
    found: dict[str, ContentFormat] = {}
    for key in ("media_product_type", "media_type"):
        value = item.get(key)
        if value is None:
            continue
        known = _MEDIA_TYPES.get(value.strip().lower()) if isinstance(value, str) else None
        if known is None:
            raise ValidationError(
                key, value, f"is not a known media type ({', '.join(_MEDIA_TYPES)})"
            )
        found[key] = known
    product = found.get("media_product_type")
    if product is not None and product is not ContentFormat.POST:
        return product
    return found.get("media_type", ContentFormat.POST)


def _feed_metrics(value: Any) -> Metrics | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValidationError("metrics", value, "must be a mapping of metric names to counts")
    figures: dict[str, int] = {}
    for name, count in value.items():
        target = _METRIC_NAMES.get(name)
        if target is None:
            raise ValidationError(f"metrics.{name}", count, "is not a known metric")
        figures[target] = count
    return Metrics(**figures)


def parse_feed_item(item: Any, line: int = 0) -> CapturedPost:
    """A feed object (see ``docs/capture.md`` for its shape) as a CapturedPost; a
    ValidationError names the first bad field."""
    if not isinstance(item, Mapping):
        raise ValidationError("line", item, "must be a JSON object")
    for required in ("id", "platform", "permalink", "username", "timestamp"):
        if item.get(required) in (None, ""):
            raise ValidationError(required, item.get(required), "is required")
    format = _media_format(item)
    expires = item.get("expires_at")
    return CapturedPost(
        post_id=item["id"],
        platform=item["platform"],
        url=item["permalink"],
        author=item["username"],
        published_at=_timestamp(item["timestamp"]),
        format=format,
        caption=item.get("caption") or "",
        metrics=_feed_metrics(item.get("metrics")),
        expires_at=None if expires is None else _timestamp(expires),
        line=line,
    )


# -- earned mentions (recorded by EarnedMention, written to the outbox) ----------------------


@register
@attrs.frozen(kw_only=True)
class EarnedMentionCaptured(DomainEvent):
    """Someone outside the campaign published a post carrying its hashtags or mentions."""

    mention_id: str
    campaign_id: str
    brand_id: str
    platform: str
    author: str
    url: str
    matched: tuple[str, ...]


@register
@attrs.frozen(kw_only=True)
class EarnedMentionUpdated(DomainEvent):
    """An earned mention was seen again with new figures."""

    mention_id: str
    campaign_id: str
    snapshot: int  # its number in the history, from 1


@attrs.define
class EarnedMention(Aggregate):
    """A post by someone outside a campaign that carries its hashtags, mentions, codes or
    links: counted and listed for the brand, never credited to a creator. Its id is stable
    per (campaign, platform, post), so seeing it again only adds changed figures. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    platform: Platform = attrs.field(converter=_platform)
    post_id: str = attrs.field(converter=_post_id)
    author: str = attrs.field(converter=_author)
    url: str = attrs.field(converter=_url)
    format: ContentFormat
    published_at: pendulum.DateTime = attrs.field(converter=_published_at)
    captured_at: pendulum.DateTime = attrs.field(converter=_captured_at)
    caption: str = attrs.field(default="", converter=_caption)
    matched: tuple[str, ...] = ()
    metrics_history: tuple[MetricsSnapshot, ...] = ()
    expires_at: pendulum.DateTime | None = optional_instant_field()
    version: int = 0

    @property
    def metrics(self) -> Metrics | None:
        """The latest figures (None when the feed gave none)."""
        return self.metrics_history[-1].metrics if self.metrics_history else None

    @classmethod
    def capture(
        cls,
        now: pendulum.DateTime,
        *,
        id: str,
        campaign_id: str,
        brand_id: str,
        post: CapturedPost,
        matched: tuple[str, ...],
    ) -> EarnedMention:
        """A new earned mention from ``post`` (matched by ``matched``), recording
        EarnedMentionCaptured."""
        mention = cls(
            id=id,
            campaign_id=campaign_id,
            brand_id=brand_id,
            platform=post.platform,
            post_id=post.post_id,
            author=post.author,
            url=post.url,
            format=post.format,
            published_at=post.published_at,
            captured_at=now,
            caption=post.caption,
            matched=matched,
            metrics_history=()
            if post.metrics is None
            else (MetricsSnapshot(now, post.metrics, "capture"),),
            expires_at=post.expires_at,
        )
        mention.record(
            EarnedMentionCaptured(
                occurred_at=now,
                mention_id=mention.id,
                campaign_id=campaign_id,
                brand_id=brand_id,
                platform=mention.platform.value,
                author=mention.author,
                url=mention.url,
                matched=matched,
            )
        )
        return mention

    def seen_again(self, now: pendulum.DateTime, post: CapturedPost) -> bool:
        """The post seen again: its figures are added if they changed and it still lives;
        returns whether anything changed (a replayed feed changes nothing)."""
        if post.metrics is None or not post.lives_at(now):
            return False
        current = self.metrics or Metrics()
        merged = current.merged(post.metrics)
        if self.metrics is not None and merged == current:
            return False
        self.metrics_history = (*self.metrics_history, MetricsSnapshot(now, merged, "capture"))
        self.record(
            EarnedMentionUpdated(
                occurred_at=now,
                mention_id=self.id,
                campaign_id=self.campaign_id,
                snapshot=len(self.metrics_history),
            )
        )
        return True
