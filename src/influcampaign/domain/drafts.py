"""Drafts approved before publication: a creator submits a draft (caption, on-screen text,
media), the brand approves it or asks for changes with comments, every version is kept, and
the published content is compared with the approved version."""

from __future__ import annotations

import enum
from typing import Any

import attrs
import pendulum

from influcampaign.domain._urls import check_http_url
from influcampaign.domain._validate import check_datetime, check_text, parse_enum, valid_id
from influcampaign.domain.aggregate import Aggregate
from influcampaign.domain.brief import BriefReport
from influcampaign.domain.creator import Platform, parse_platform
from influcampaign.domain.deliverable import ContentFormat
from influcampaign.domain.event import DomainEvent, register
from influcampaign.domain.lifecycle import Lifecycle
from influcampaign.errors import ValidationError

__all__ = [
    "DRAFT_LIFECYCLE",
    "Draft",
    "DraftAction",
    "DraftApproved",
    "DraftChangesRequested",
    "DraftDifference",
    "DraftPublication",
    "DraftPublished",
    "DraftReview",
    "DraftStatus",
    "DraftSubmitted",
    "DraftVersion",
]


class DraftStatus(enum.StrEnum):
    """Waiting for the brand, sent back with comments, or approved."""

    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"


class DraftAction(enum.StrEnum):
    """What can happen to a draft."""

    REVISE = "revise"
    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"
    PUBLISH = "publish"


_S, _A = DraftStatus, DraftAction

DRAFT_LIFECYCLE: Lifecycle[DraftStatus, DraftAction] = Lifecycle(
    "draft",
    {
        (_S.SUBMITTED, _A.REVISE): _S.SUBMITTED,
        (_S.SUBMITTED, _A.REQUEST_CHANGES): _S.CHANGES_REQUESTED,
        (_S.SUBMITTED, _A.APPROVE): _S.APPROVED,
        (_S.CHANGES_REQUESTED, _A.REVISE): _S.SUBMITTED,
        (_S.APPROVED, _A.PUBLISH): _S.APPROVED,
    },
)
"""submitted → (changes requested → revised → submitted …) → approved → published (compared)."""


def _caption(value: Any) -> str:
    return check_text("caption", value, max_length=100_000, allow_empty=True)


def _on_screen_text(value: Any) -> str:
    return check_text("on_screen_text", value, max_length=100_000, allow_empty=True)


def _first_comment(value: Any) -> str:
    return check_text("first_comment", value, max_length=100_000, allow_empty=True)


def _comments(value: Any) -> str:
    return check_text("comments", value, max_length=5_000, allow_empty=True)


def _media(values: Any) -> tuple[str, ...]:
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise ValidationError("media", values, "must be a list of media references (URLs)")
    refs = tuple(dict.fromkeys(check_http_url("media", v) for v in values))
    if len(refs) > 50:
        raise ValidationError("media", len(refs), "must hold at most 50 references")
    return refs


def _at(value: Any) -> pendulum.DateTime:
    return check_datetime("at", value)


@attrs.frozen
class DraftVersion:
    """One version of a draft, with the brief check it got."""

    number: int
    at: pendulum.DateTime = attrs.field(converter=_at)
    caption: str = attrs.field(default="", converter=_caption)
    on_screen_text: str = attrs.field(default="", converter=_on_screen_text)
    first_comment: str = attrs.field(default="", converter=_first_comment)
    media: tuple[str, ...] = attrs.field(default=(), converter=_media)
    brief_check: BriefReport | None = None


class DraftVerdict(enum.StrEnum):
    """What the brand said of a version."""

    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"


@attrs.frozen
class DraftReview:
    """The brand's verdict on one version, with its comments."""

    version: int
    verdict: DraftVerdict
    at: pendulum.DateTime = attrs.field(converter=_at)
    by: str = ""
    comments: str = attrs.field(default="", converter=_comments)


@attrs.frozen
class DraftDifference:
    """Something the approved draft had that the published content lost (a disclosure, a
    hashtag, a mention, the promo code …): ``kind``, its ``label`` and why it is flagged."""

    kind: str
    label: str
    detail: str


@attrs.frozen
class DraftPublication:
    """The published content an approved draft was compared with, and what differs."""

    submission_id: str
    at: pendulum.DateTime = attrs.field(converter=_at)
    differences: tuple[DraftDifference, ...] = ()


def _status(value: Any) -> DraftStatus:
    return parse_enum(DraftStatus, "status", value)


def _platform(value: Any) -> Platform:
    return parse_platform(value)


def _format(value: Any) -> ContentFormat:
    return parse_enum(ContentFormat, "format", value)


# -- what happens to a draft (recorded by Draft, written to the outbox) ----------------------


@attrs.frozen(kw_only=True)
class _DraftEvent(DomainEvent):
    draft_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    version: int


@register
@attrs.frozen(kw_only=True)
class DraftSubmitted(_DraftEvent):
    """A creator submitted a draft, or a new version of it, for the brand's approval."""

    suggested_compliance: int | None


@register
@attrs.frozen(kw_only=True)
class DraftChangesRequested(_DraftEvent):
    """The brand asked for changes to a version, with comments."""

    comments: str


@register
@attrs.frozen(kw_only=True)
class DraftApproved(_DraftEvent):
    """The brand approved a version: it may be published."""


@register
@attrs.frozen(kw_only=True)
class DraftPublished(_DraftEvent):
    """The approved version was published; ``flagged`` lists what the publication lost
    (empty when it kept everything that matters)."""

    submission_id: str
    flagged: tuple[str, ...]


@attrs.define
class Draft(Aggregate):
    """A content before publication, version by version, and the brand's reviews. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    participation_id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    creator_id: str = attrs.field(validator=valid_id)
    platform: Platform = attrs.field(converter=_platform)
    format: ContentFormat = attrs.field(converter=_format)
    versions: tuple[DraftVersion, ...] = ()
    reviews: tuple[DraftReview, ...] = ()
    publications: tuple[DraftPublication, ...] = ()
    status: DraftStatus = attrs.field(default=DraftStatus.SUBMITTED, converter=_status)
    version: int = 0

    @property
    def latest(self) -> DraftVersion:
        """The latest version."""
        return self.versions[-1]

    @property
    def approved(self) -> DraftVersion | None:
        """The approved version (None until approved)."""
        return self.latest if self.status is DraftStatus.APPROVED else None

    def can(self, action: DraftAction) -> bool:
        """Whether ``action`` is allowed now."""
        return DRAFT_LIFECYCLE.can(self.status, action)

    @classmethod
    def submit(cls, now: pendulum.DateTime, *, content: DraftVersion, **fields: Any) -> Draft:
        """A new draft with its first version (``content``, numbered 1); records
        DraftSubmitted."""
        draft = cls(**fields, versions=(attrs.evolve(content, number=1, at=now),))
        draft._submitted(now)
        return draft

    def revise(self, now: pendulum.DateTime, content: DraftVersion) -> None:
        """A new version, after changes were asked for (or before any verdict)."""
        self.status = DRAFT_LIFECYCLE.next(self.id, self.status, DraftAction.REVISE)
        number = len(self.versions) + 1
        self.versions = (*self.versions, attrs.evolve(content, number=number, at=now))
        self._submitted(now)

    def request_changes(self, now: pendulum.DateTime, *, by: str, comments: str) -> None:
        """The brand sends the latest version back with comments."""
        review = DraftReview(self.latest.number, DraftVerdict.CHANGES_REQUESTED, now, by, comments)
        if not review.comments:
            raise ValidationError("comments", comments, "say what to change")
        self.status = DRAFT_LIFECYCLE.next(self.id, self.status, DraftAction.REQUEST_CHANGES)
        self.reviews = (*self.reviews, review)
        self.record(DraftChangesRequested(**self._refs(now), comments=review.comments))

    def approve(self, now: pendulum.DateTime, *, by: str, comments: str = "") -> None:
        """The brand approves the latest version."""
        review = DraftReview(self.latest.number, DraftVerdict.APPROVED, now, by, comments)
        self.status = DRAFT_LIFECYCLE.next(self.id, self.status, DraftAction.APPROVE)
        self.reviews = (*self.reviews, review)
        self.record(DraftApproved(**self._refs(now)))

    def publish(
        self,
        now: pendulum.DateTime,
        submission_id: str,
        differences: tuple[DraftDifference, ...],
    ) -> None:
        """The approved version was published as ``submission_id``; keeps what differs."""
        self.status = DRAFT_LIFECYCLE.next(self.id, self.status, DraftAction.PUBLISH)
        self.publications = (
            *self.publications,
            DraftPublication(submission_id, now, differences),
        )
        self.record(
            DraftPublished(
                **self._refs(now),
                submission_id=submission_id,
                flagged=tuple(f"{d.kind}: {d.label}" for d in differences),
            )
        )

    def _submitted(self, now: pendulum.DateTime) -> None:
        report = self.latest.brief_check
        self.record(
            DraftSubmitted(
                **self._refs(now),
                suggested_compliance=None if report is None else report.suggested_compliance,
            )
        )

    def _refs(self, now: pendulum.DateTime) -> dict[str, Any]:
        return {
            "occurred_at": now,
            "draft_id": self.id,
            "participation_id": self.participation_id,
            "campaign_id": self.campaign_id,
            "creator_id": self.creator_id,
            "version": self.latest.number,
        }
