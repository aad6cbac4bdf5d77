"""The end-of-campaign review of a creator: ratings, "work again", reactivation tags and a
private note. What the brand keeps about a creator after a campaign."""

from __future__ import annotations

import enum
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import check_datetime, check_text, parse_enum, valid_id
from influcampaign.domain.aggregate import Aggregate
from influcampaign.domain.event import DomainEvent, register
from influcampaign.domain.privacy import erase_fields
from influcampaign.errors import ValidationError

__all__ = [
    "RATING_CRITERIA",
    "RATING_SCALE",
    "CreatorRated",
    "CreatorReview",
    "Ratings",
    "ReactivationTag",
    "parse_tags",
]

RATING_SCALE = (1, 5)
"""Ratings are whole stars from 1 (poor) to 5 (excellent)."""

_CENT = Decimal("0.01")


def _stars(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    low, high = RATING_SCALE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(
            f"ratings.{attribute.name}", value, f"must be a whole rating from {low} to {high}"
        )


def _stars_field() -> Any:
    return attrs.field(default=None, validator=_stars)


@attrs.frozen
class Ratings:
    """A creator's ratings for one campaign, each 1-5 (None: not rated); at least one.

    - ``content_quality``: the content itself;
    - ``reliability``: deadlines kept, content published as agreed;
    - ``communication``: answers, tone, availability;
    - ``brief_respect``: how closely the brief was followed.

    >>> Ratings(content_quality=5, reliability=4).overall
    Decimal('4.50')
    """

    content_quality: int | None = _stars_field()
    reliability: int | None = _stars_field()
    communication: int | None = _stars_field()
    brief_respect: int | None = _stars_field()

    def __attrs_post_init__(self) -> None:
        if not self.given():
            raise ValidationError("ratings", None, "rate the creator on at least one criterion")

    def given(self) -> dict[str, int]:
        """The criteria rated, with their ratings."""
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}

    @property
    def overall(self) -> Decimal:
        """The mean of the criteria rated, to two decimals (half to even)."""
        values = list(self.given().values())
        return (Decimal(sum(values)) / len(values)).quantize(_CENT, ROUND_HALF_EVEN)


RATING_CRITERIA = tuple(a.name for a in attrs.fields(Ratings))
"""The names of the rated criteria, in order."""


class ReactivationTag(enum.StrEnum):
    """What the brand would work with a creator on again."""

    PRODUCT_TEST = "product_test"
    FUTURE_CAMPAIGN = "future_campaign"
    PAID_PARTNERSHIP = "paid_partnership"
    UGC = "ugc"


def parse_tags(value: Any, field: str = "tags") -> frozenset[ReactivationTag]:
    """Reactivation tags from themselves or their names; unknown names are refused."""
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ValidationError(field, value, "must be a collection of reactivation tags")
    return frozenset(parse_enum(ReactivationTag, field, tag) for tag in value)


def _tags(value: Any) -> frozenset[ReactivationTag]:
    return parse_tags(value)


def _note(value: Any) -> str:
    return check_text("note", value, max_length=5_000, allow_empty=True)


def _work_again(_instance: Any, _attribute: Any, value: Any) -> None:
    if not isinstance(value, bool):
        raise ValidationError("work_again", value, "must be true or false")


def _ratings(_instance: Any, _attribute: Any, value: Any) -> None:
    if not isinstance(value, Ratings):
        raise ValidationError("ratings", value, "must be Ratings")


def _reviewed_at(value: Any) -> pendulum.DateTime:
    return check_datetime("reviewed_at", value)


@register
@attrs.frozen(kw_only=True)
class CreatorRated(DomainEvent):
    """A brand reviewed a creator at the end of a campaign (or changed its review): the
    overall rating, whether to work again, and the reactivation tags. The note stays
    private and is not in the event."""

    review_id: str
    campaign_id: str
    creator_id: str
    overall: Decimal
    work_again: bool
    tags: tuple[str, ...]


@attrs.define
class CreatorReview(Aggregate):
    """A brand's review of one creator at the end of one campaign. Aggregate.

    The ``note`` is private to the brand's team: creators never read reviews.
    """

    id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    creator_id: str = attrs.field(validator=valid_id)
    ratings: Ratings = attrs.field(validator=_ratings)
    work_again: bool = attrs.field(validator=_work_again)
    reviewed_at: pendulum.DateTime = attrs.field(converter=_reviewed_at)
    reviewed_by: str = ""
    tags: frozenset[ReactivationTag] = attrs.field(factory=frozenset, converter=_tags)
    note: str = attrs.field(default="", converter=_note)
    version: int = 0

    @classmethod
    def rate(cls, now: pendulum.DateTime, **fields: Any) -> CreatorReview:
        """A review given at ``now`` (new, or replacing an earlier one), recording
        CreatorRated without the private note."""
        review = cls(**fields, reviewed_at=now)
        review.record(
            CreatorRated(
                occurred_at=now,
                review_id=review.id,
                campaign_id=review.campaign_id,
                creator_id=review.creator_id,
                overall=review.ratings.overall,
                work_again=review.work_again,
                tags=tuple(sorted(t.value for t in review.tags)),
            )
        )
        return review

    def erase(self, now: pendulum.DateTime) -> tuple[str, ...]:
        """Erase the private note about the creator (its ratings stay, without a name);
        records PersonalDataErased."""
        return erase_fields(
            self, now, {"note": ""}, kind="review", creator_id=self.creator_id, reason="erasure"
        )
