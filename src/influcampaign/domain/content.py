"""Published content submitted by creators."""

from __future__ import annotations

import enum
from typing import Any

import attrs
import pendulum

from influcampaign.domain._urls import check_http_url
from influcampaign.domain._validate import (
    check_datetime,
    check_text,
    parse_enum,
    valid_id,
)
from influcampaign.domain.creator import Platform, parse_platform

__all__ = ["ContentFormat", "Submission"]


class ContentFormat(enum.StrEnum):
    """The shape of a content."""

    POST = "post"
    CAROUSEL = "carousel"
    STORY = "story"
    REEL = "reel"
    SHORT = "short"
    VIDEO = "video"
    LIVE = "live"
    UGC = "ugc"  # an asset delivered to the brand, not published by the creator


def _url(value: Any) -> str:
    return check_http_url("url", value)


def _format(value: Any) -> ContentFormat:
    return parse_enum(ContentFormat, "format", value)


def _platform(value: Any) -> Platform:
    return parse_platform(value)


def _caption(value: Any) -> str:
    return check_text("caption", value, max_length=100_000, allow_empty=True)


def _published_at(value: Any) -> pendulum.DateTime:
    return check_datetime("published_at", value)


def _submitted_at(value: Any) -> pendulum.DateTime:
    return check_datetime("submitted_at", value)


@attrs.define
class Submission:
    """A content a creator published for a campaign. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    participation_id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    creator_id: str = attrs.field(validator=valid_id)
    url: str = attrs.field(converter=_url)
    platform: Platform = attrs.field(converter=_platform)
    format: ContentFormat = attrs.field(converter=_format)
    published_at: pendulum.DateTime = attrs.field(converter=_published_at)
    submitted_at: pendulum.DateTime = attrs.field(converter=_submitted_at)
    caption: str = attrs.field(default="", converter=_caption)
    is_video: bool = False
    version: int = 0
