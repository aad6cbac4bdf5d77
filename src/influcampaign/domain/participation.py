"""Participations: one record per (campaign, creator), whatever the way in."""

from __future__ import annotations

import enum
import hashlib
from typing import TYPE_CHECKING, Any, TypedDict

import attrs
import pendulum

from influcampaign.domain._validate import check_text, optional_instant_field, parse_enum, valid_id
from influcampaign.domain.aggregate import Aggregate
from influcampaign.domain.creator import AudienceDataState
from influcampaign.domain.event import DomainEvent, register
from influcampaign.domain.lifecycle import Lifecycle
from influcampaign.domain.policies import ListApprovalPolicy
from influcampaign.domain.privacy import erase_fields
from influcampaign.errors import InvalidTransition

if TYPE_CHECKING:
    from influcampaign.domain.campaign import Campaign

__all__ = [
    "JOINED",
    "PARTICIPATION_LIFECYCLE",
    "TAKING_PART",
    "CreatorReviewed",
    "ListReview",
    "Participation",
    "ParticipationAction",
    "ParticipationAdded",
    "ParticipationSource",
    "ParticipationStatus",
    "ParticipationStatusChanged",
    "Verdict",
    "participation_id",
]


class ParticipationStatus(enum.StrEnum):
    """Where a creator stands in a campaign."""

    PROPOSED = "proposed"  # on the list, waiting for approval
    APPROVED = "approved"  # the list's reviewers approved; the creator has to confirm
    CONFIRMED = "confirmed"  # in: the creator takes part
    COMPLETED = "completed"
    DECLINED = "declined"  # rejected by reviewers, or the creator said no
    DROPPED = "dropped"  # removed after having been in


class ParticipationAction(enum.StrEnum):
    """What can happen to a participation."""

    APPROVE = "approve"
    REJECT = "reject"
    CONFIRM = "confirm"
    DECLINE = "decline"
    COMPLETE = "complete"
    DROP = "drop"


class ParticipationSource(enum.StrEnum):
    """How the creator came in."""

    APPLICATION = "application"
    GROUP = "group"
    MANUAL = "manual"


class Verdict(enum.StrEnum):
    """A reviewer's verdict on a creator of the list."""

    APPROVE = "approve"
    REJECT = "reject"


_S, _A = ParticipationStatus, ParticipationAction

PARTICIPATION_LIFECYCLE: Lifecycle[ParticipationStatus, ParticipationAction] = Lifecycle(
    "participation",
    {
        (_S.PROPOSED, _A.APPROVE): _S.APPROVED,
        (_S.PROPOSED, _A.REJECT): _S.DECLINED,
        (_S.PROPOSED, _A.CONFIRM): _S.CONFIRMED,
        (_S.PROPOSED, _A.DECLINE): _S.DECLINED,
        (_S.APPROVED, _A.CONFIRM): _S.CONFIRMED,
        (_S.APPROVED, _A.DECLINE): _S.DECLINED,
        (_S.APPROVED, _A.DROP): _S.DROPPED,
        (_S.CONFIRMED, _A.COMPLETE): _S.COMPLETED,
        (_S.CONFIRMED, _A.DROP): _S.DROPPED,
    },
)
"""proposed → approved → confirmed → completed; declined before, dropped after approval."""

ACTIVE = frozenset({ParticipationStatus.APPROVED, ParticipationStatus.CONFIRMED})
"""Statuses in which products can be shipped and messages exchanged about the work."""


CLOSED = frozenset({ParticipationStatus.DECLINED, ParticipationStatus.DROPPED})
"""Statuses after which nothing more is planned for the creator."""

TAKING_PART = frozenset({ParticipationStatus.CONFIRMED, ParticipationStatus.COMPLETED})
"""Statuses of a creator who takes (or took) part: its costs, content and sales count."""

JOINED = frozenset({*TAKING_PART, ParticipationStatus.DROPPED})
"""Statuses of a creator who was in the campaign at some point (dropped after confirming)."""


def participation_id(campaign_id: str, creator_id: str) -> str:
    """The id of the one participation of a creator in a campaign (stable, so never twice)."""
    digest = hashlib.sha256(f"{campaign_id}\x00{creator_id}".encode()).hexdigest()[:32]
    return f"par_{digest}"


_DECIDED = {
    Verdict.APPROVE: ParticipationAction.APPROVE,
    Verdict.REJECT: ParticipationAction.REJECT,
}
"""What the list's verdict does to the participation."""


def _comment(value: Any) -> str:
    return check_text("comment", value, max_length=2_000, allow_empty=True)


def _verdict(value: Any) -> Verdict:
    return parse_enum(Verdict, "verdict", value)


@attrs.frozen
class ListReview:
    """One reviewer's verdict on one creator of the list, with a comment."""

    reviewer_id: str
    verdict: Verdict = attrs.field(converter=_verdict)
    at: pendulum.DateTime
    comment: str = attrs.field(default="", converter=_comment)


def _status(value: Any) -> ParticipationStatus:
    return parse_enum(ParticipationStatus, "status", value)


def _source(value: Any) -> ParticipationSource:
    return parse_enum(ParticipationSource, "source", value)


class ParticipationRefs(TypedDict):
    """The ids everything that belongs to one participation carries."""

    participation_id: str
    campaign_id: str
    brand_id: str
    creator_id: str


# -- what happens to a participation (recorded by Participation, written to the outbox) ------


@register
@attrs.frozen(kw_only=True)
class ParticipationAdded(DomainEvent):
    """A creator was put on a campaign (from an application, a group or by hand)."""

    participation_id: str
    campaign_id: str
    creator_id: str
    source: str
    status: str


@register
@attrs.frozen(kw_only=True)
class CreatorReviewed(DomainEvent):
    """A reviewer approved or rejected a creator of the list, with a comment."""

    participation_id: str
    campaign_id: str
    creator_id: str
    reviewer_id: str
    verdict: str
    comment: str


@register
@attrs.frozen(kw_only=True)
class ParticipationStatusChanged(DomainEvent):
    """A participation moved in its lifecycle (approved, confirmed, declined, dropped …)."""

    participation_id: str
    campaign_id: str
    creator_id: str
    previous_status: str
    status: str
    reason: str = ""


@attrs.define
class Participation(Aggregate):
    """A creator in a campaign: status, list reviews, first content. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    creator_id: str = attrs.field(validator=valid_id)
    source: ParticipationSource = attrs.field(converter=_source)
    joined_at: pendulum.DateTime | None = optional_instant_field()
    status: ParticipationStatus = attrs.field(
        default=ParticipationStatus.PROPOSED, converter=_status
    )
    reviews: tuple[ListReview, ...] = ()
    application_id: str | None = None
    first_content_at: pendulum.DateTime | None = optional_instant_field()
    version: int = 0

    @classmethod
    def add(
        cls,
        now: pendulum.DateTime,
        campaign: Campaign,
        creator_id: str,
        source: ParticipationSource,
        *,
        status: ParticipationStatus = ParticipationStatus.PROPOSED,
        application_id: str | None = None,
    ) -> Participation:
        """The one participation of a creator in a campaign, recording ParticipationAdded."""
        participation = cls(
            id=participation_id(campaign.id, creator_id),
            campaign_id=campaign.id,
            brand_id=campaign.brand_id,
            creator_id=creator_id,
            source=source,
            joined_at=now,
            status=status,
            application_id=application_id,
        )
        participation.record(
            ParticipationAdded(
                occurred_at=now,
                participation_id=participation.id,
                campaign_id=participation.campaign_id,
                creator_id=participation.creator_id,
                source=participation.source.value,
                status=participation.status.value,
            )
        )
        return participation

    def move(self, now: pendulum.DateTime, action: ParticipationAction, reason: str = "") -> None:
        """Move through the lifecycle (InvalidTransition if the table does not allow it),
        recording ParticipationStatusChanged with why."""
        before, after = self.apply(action)
        self.record(
            ParticipationStatusChanged(
                occurred_at=now,
                participation_id=self.id,
                campaign_id=self.campaign_id,
                creator_id=self.creator_id,
                previous_status=before.value,
                status=after.value,
                reason=reason,
            )
        )

    def leave_for(self, now: pendulum.DateTime, campaign_id: str, why: str) -> None:
        """The creator moves to another project (issue 17): a proposed creator is declined,
        one approved or confirmed is dropped, with a reason naming the project and why."""
        action = (
            ParticipationAction.DECLINE
            if self.status is ParticipationStatus.PROPOSED
            else ParticipationAction.DROP
        )
        self.move(now, action, f"moved to project {campaign_id}: {why}")

    def accept_application(self, now: pendulum.DateTime, application_id: str) -> bool:
        """The creator's application was accepted: a creator already on the list is confirmed
        (and tied to the application); returns whether it changed (a confirmed one does not)."""
        if self.status is ParticipationStatus.CONFIRMED:
            return False
        self.application_id = application_id
        self.move(now, ParticipationAction.CONFIRM, "application accepted")
        return True

    def review(
        self,
        now: pendulum.DateTime,
        *,
        reviewer_id: str,
        verdict: Verdict,
        comment: str,
        policy: ListApprovalPolicy,
        audience: AudienceDataState,
    ) -> None:
        """A reviewer's verdict on a proposed creator, recording CreatorReviewed; when the
        reviews add up to a verdict under ``policy`` (see :meth:`list_outcome`), the creator
        is approved or declined."""
        if self.status is not ParticipationStatus.PROPOSED:
            raise InvalidTransition("participation", self.id, self.status.value, "review")
        review = ListReview(reviewer_id=reviewer_id, verdict=verdict, at=now, comment=comment)
        self.add_review(review)
        self.record(
            CreatorReviewed(
                occurred_at=now,
                participation_id=self.id,
                campaign_id=self.campaign_id,
                creator_id=self.creator_id,
                reviewer_id=review.reviewer_id,
                verdict=review.verdict.value,
                comment=review.comment,
            )
        )
        outcome, why = self.list_outcome(policy, audience)
        if outcome is not None:
            self.move(now, _DECIDED[outcome], why)

    def apply(self, action: ParticipationAction) -> tuple[ParticipationStatus, ParticipationStatus]:
        """Move through the lifecycle; returns (before, after) or raises InvalidTransition."""
        before = self.status
        self.status = PARTICIPATION_LIFECYCLE.next(self.id, self.status, action)
        return before, self.status

    def erase(self, now: pendulum.DateTime) -> tuple[str, ...]:
        """Erase the reviewers' comments about the creator (their verdicts stay); records
        PersonalDataErased."""
        reviews = tuple(attrs.evolve(r, comment="") for r in self.reviews)
        return erase_fields(
            self,
            now,
            {"reviews": reviews},
            kind="participation",
            creator_id=self.creator_id,
            reason="erasure",
        )

    def refs(self) -> ParticipationRefs:
        """The ids that everything belonging to this participation carries (a deliverable, a
        submission, a message): its own, its campaign's, its brand's and its creator's."""
        return ParticipationRefs(
            participation_id=self.id,
            campaign_id=self.campaign_id,
            brand_id=self.brand_id,
            creator_id=self.creator_id,
        )

    def ensure_open(self, action: str) -> None:
        """Raise InvalidTransition if the creator declined or was dropped: nothing more can
        be planned, tracked or coded for it."""
        if self.status in CLOSED:
            raise InvalidTransition("participation", self.id, self.status.value, action)

    @property
    def is_active(self) -> bool:
        """Approved or confirmed: products can be shipped, content is expected."""
        return self.status in ACTIVE

    def add_review(self, review: ListReview) -> None:
        """Record a reviewer's verdict (a new one replaces that reviewer's earlier verdict)."""
        self.reviews = (*(r for r in self.reviews if r.reviewer_id != review.reviewer_id), review)

    def list_outcome(
        self, policy: ListApprovalPolicy, audience: AudienceDataState
    ) -> tuple[Verdict | None, str]:
        """The verdict the reviews add up to under ``policy`` (None: still pending), and why."""
        rejections = [r for r in self.reviews if r.verdict is Verdict.REJECT]
        if rejections:
            return Verdict.REJECT, f"rejected by {rejections[0].reviewer_id}"
        approvals = sum(1 for r in self.reviews if r.verdict is Verdict.APPROVE)
        if approvals < policy.required_approvals:
            return None, f"{approvals} of {policy.required_approvals} approvals"
        if policy.hold_without_audience and audience is not AudienceDataState.SHARED:
            return None, f"approved, held: audience data {audience.value}"
        return Verdict.APPROVE, f"{approvals} approvals"
