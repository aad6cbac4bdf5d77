"""Use cases of content submissions: a creator submits a published content and its metrics;
the brief is checked automatically; the brand validates it within the policy's days, or the
scheduler does it for them."""

from __future__ import annotations

import builtins
import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import from_fields
from influcampaign.domain.access import Permission
from influcampaign.domain.brief import BriefReport
from influcampaign.domain.campaign import Campaign, CampaignKind
from influcampaign.domain.content import Metrics, Submission, SubmissionAction
from influcampaign.domain.contest import Contest
from influcampaign.domain.creator import Platform, parse_platform
from influcampaign.domain.deliverable import ContentFormat, Deliverable, DeliverableStatus
from influcampaign.domain.drafts import Draft, DraftStatus
from influcampaign.domain.participation import Participation
from influcampaign.domain.principals import Principal, actor_id
from influcampaign.domain.scheduling import Job, JobKind, JobStatus
from influcampaign.errors import InflucampaignError, InvalidTransition
from influcampaign.ports import UnitOfWork
from influcampaign.rules.brief_check import BriefCheck
from influcampaign.rules.drafts import published_differences
from influcampaign.services._base import Service, days_after, participation_resource, stable_id
from influcampaign.services.deliverables import check_fulfils, delivered_by_deliverable

__all__ = [
    "SubmissionService",
    "ValidationDeadlines",
    "approved_draft",
    "auto_validate",
    "file_submission",
    "validation_job_id",
]


def validation_job_id(submission: Submission, kind: JobKind) -> str:
    """The id of a submission's validation reminder or automatic validation, one per round
    (a re-opening starts a new round)."""
    return stable_id("job", kind.value, submission.id, str(submission.round))


@attrs.frozen
class ValidationDeadlines:
    """When the brand is reminded, when validating becomes late, and when it happens alone."""

    remind_at: pendulum.DateTime | None
    validate_by: pendulum.DateTime
    auto_validate_at: pendulum.DateTime

    @classmethod
    def of(cls, submission: Submission, campaign: Campaign) -> ValidationDeadlines:
        """The deadlines of ``submission``'s current round, in calendar days of the campaign's
        time zone (the same local time, across DST changes)."""
        policy = campaign.policies.validation
        tz = campaign.window.timezone
        start = submission.review_started_at
        return cls(
            remind_at=(
                days_after(start, policy.validate_within_days - policy.remind_days_before, tz)
                if policy.remind_days_before
                else None
            ),
            validate_by=days_after(start, policy.validate_within_days, tz),
            auto_validate_at=days_after(start, policy.auto_validate_after_days, tz),
        )


def _metrics(value: Metrics | Mapping[str, Any]) -> Metrics:
    return from_fields(Metrics, "metrics", value, "metric")


class SubmissionService(Service):
    """``workspace.submissions``: published contents, their metrics, brief checks and
    validation."""

    def submit(
        self,
        actor: Principal,
        participation_id: str,
        *,
        url: str,
        platform: Platform | str,
        format: ContentFormat | str,
        published_at: _dt.datetime,
        caption: str = "",
        is_video: bool = False,
        deliverable_id: str | None = None,
        first_comment: str = "",
        on_screen_text: str = "",
        metrics: Metrics | Mapping[str, Any] | None = None,
        promo_codes: Iterable[str] = (),
        links: Iterable[str] = (),
    ) -> Submission:
        """Record a published content. It fulfils ``deliverable_id`` (or the creator's first
        open deliverable of its platform and format); its brief is checked; the creator's
        publication reminders stop; the validation clock starts."""
        now = self._now()
        with self._write() as uow:
            participation = self._load_participation(
                uow, actor, Permission.CONTENT_SUBMIT, participation_id, "content"
            )
            if not participation.is_active:
                raise InvalidTransition(
                    "participation", participation.id, participation.status.value, "submit content"
                )
            return file_submission(
                uow,
                now,
                participation,
                uow.campaigns.get(participation.campaign_id),
                id=self._new_id("sub"),
                url=url,
                platform=platform,
                format=format,
                published_at=published_at,
                caption=caption,
                is_video=is_video,
                first_comment=first_comment,
                on_screen_text=on_screen_text,
                metrics=None if metrics is None else _metrics(metrics),
                recorded_by=actor_id(actor),
                deliverable_id=deliverable_id,
                promo_codes=promo_codes,
                links=links,
            )

    def record_metrics(
        self,
        actor: Principal,
        submission_id: str,
        metrics: Metrics | Mapping[str, Any],
    ) -> Submission:
        """Add a metrics snapshot: the figures given replace the previous ones, the others
        are kept; every snapshot stays in the history."""
        now = self._now()
        update = _metrics(metrics)
        with self._write() as uow:
            submission = self._load(uow, actor, submission_id, Permission.CONTENT_SUBMIT)
            submission.record_metrics(now, update, by=actor_id(actor))
            uow.submissions.save(submission)
        return submission

    def check_brief(
        self,
        actor: Principal,
        submission_id: str,
        *,
        promo_codes: Iterable[str] = (),
        links: Iterable[str] = (),
    ) -> BriefReport:
        """Check the content again against the campaign's current brief (with the creator's
        promo codes and tracked links, when known) and keep the result."""
        with self._write() as uow:
            submission = self._load(uow, actor, submission_id, Permission.PARTICIPATION_READ)
            campaign = uow.campaigns.get(submission.campaign_id)
            report = _check(campaign, submission, promo_codes, links, contest_of(uow, campaign))
            if report != submission.brief_check:
                submission.brief_check = report
                uow.submissions.save(submission)
        return report

    def validate(
        self,
        actor: Principal,
        submission_id: str,
        *,
        compliance: int,
        feedback: str = "",
    ) -> Submission:
        """The brand's verdict: the "% of brief respected" (0-100) and feedback. A validated
        content (by the brand or automatically) must be re-opened before another verdict."""
        now = self._now()
        with self._write() as uow:
            submission = self._load(uow, actor, submission_id, Permission.CONTENT_VALIDATE)
            campaign = uow.campaigns.get(submission.campaign_id)
            submission.validate(
                now,
                compliance=compliance,
                by=actor_id(actor),
                feedback=feedback,
                deadline=ValidationDeadlines.of(submission, campaign).validate_by,
            )
            _close_round(uow, submission, now, SubmissionAction.VALIDATE)
        return submission

    def reopen(self, actor: Principal, submission_id: str, *, reason: str) -> Submission:
        """Open a validated content again, with a reason; the validation clock restarts."""
        now = self._now()
        with self._write() as uow:
            submission = self._load(uow, actor, submission_id, Permission.CONTENT_VALIDATE)
            submission.reopen(now, by=actor_id(actor), reason=reason)
            uow.submissions.save(submission)
            _schedule_validation(uow, submission, uow.campaigns.get(submission.campaign_id))
        return submission

    def deadlines(self, actor: Principal, submission_id: str) -> ValidationDeadlines:
        """The validation deadlines of a submission's current round."""
        with self._read() as uow:
            submission = self._load(uow, actor, submission_id, Permission.PARTICIPATION_READ)
            return ValidationDeadlines.of(submission, uow.campaigns.get(submission.campaign_id))

    def get(self, actor: Principal, submission_id: str) -> Submission:
        """One submission."""
        with self._read() as uow:
            return self._load(uow, actor, submission_id, Permission.PARTICIPATION_READ)

    def list(self, actor: Principal, participation_id: str) -> builtins.list[Submission]:
        """The submissions of one participation, in publication order."""
        with self._read() as uow:
            self._load_participation(
                uow, actor, Permission.PARTICIPATION_READ, participation_id, "content"
            )
            found = uow.submissions.find(participation_id=participation_id)
        return sorted(found, key=lambda s: (s.published_at, s.id))

    # -- inside a unit of work ------------------------------------------------------------

    def _load(
        self, uow: UnitOfWork, actor: Principal, submission_id: str, permission: Permission
    ) -> Submission:
        """A submission, once ``actor`` may act on its participation with ``permission``."""
        submission = uow.submissions.get(submission_id)
        participation = uow.participations.get(submission.participation_id)
        self._check(actor, permission, participation_resource(participation, "content"))
        return submission


def file_submission(
    uow: UnitOfWork,
    now: pendulum.DateTime,
    participation: Participation,
    campaign: Campaign,
    *,
    id: str,
    metrics: Metrics | None = None,
    recorded_by: str = "",
    deliverable_id: str | None = None,
    promo_codes: Iterable[str] = (),
    links: Iterable[str] = (),
    **fields: Any,
) -> Submission:
    """The one path of a published content, submitted by hand or captured from a feed: it
    fulfils ``deliverable_id`` (or the creator's first open deliverable of its platform and
    format), its brief is checked, it is compared with the creator's approved draft (what it
    lost is flagged on the draft), the creator's publication reminders stop and the
    validation clock starts."""
    codes, urls = tuple(promo_codes), tuple(links)
    draft = approved_draft(uow, participation.id, fields["platform"], fields["format"])
    submission = Submission.submit(
        now,
        id=id,
        **participation.refs(),
        metrics=metrics,
        recorded_by=recorded_by,
        draft_id=None if draft is None else draft.id,
        fulfils=lambda new: _fulfils(uow, new, deliverable_id),
        check=lambda new: _check(campaign, new, codes, urls, contest_of(uow, campaign)),
        **fields,
    )
    uow.submissions.add(submission)
    if draft is not None and draft.approved is not None:
        draft.publish(
            now,
            submission.id,
            published_differences(
                BriefCheck.for_campaign(campaign),
                draft.approved,
                caption=submission.caption,
                first_comment=submission.first_comment,
                on_screen_text=submission.on_screen_text,
                format=submission.format,
                promo_codes=codes,
                links=urls,
            ),
        )
        uow.drafts.save(draft)
    if participation.first_content_at is None:
        participation.first_content_at = now
        uow.participations.save(participation)
    for job in uow.jobs.find(
        subject_id=participation.id,
        status=JobStatus.PENDING.value,
        kind=JobKind.PUBLICATION_REMINDER.value,
    ):
        job.finish(JobStatus.CANCELLED, now, "content submitted")
        uow.jobs.save(job)
    _schedule_validation(uow, submission, campaign)
    return submission


def approved_draft(
    uow: UnitOfWork, participation_id: str, platform: Platform | str, format: ContentFormat | str
) -> Draft | None:
    """The participation's approved, not yet published draft of that platform and format
    (the latest approved), or None."""
    try:
        wanted = (parse_platform(platform), ContentFormat(format))
    except (ValueError, InflucampaignError):
        return None  # the submission itself refuses the value, naming the field
    drafts = [
        d
        for d in uow.drafts.find(
            participation_id=participation_id, status=DraftStatus.APPROVED.value
        )
        if (d.platform, d.format) == wanted and not d.publications
    ]
    return max(drafts, key=lambda d: (d.reviews[-1].at, d.id)) if drafts else None


def _fulfils(uow: UnitOfWork, submission: Submission, deliverable_id: str | None) -> str | None:
    """The deliverable the new submission fulfils: the one named (checked), else the
    first planned one of its platform and format that still expects content."""
    if deliverable_id is not None:
        check_fulfils(
            uow.deliverables.get(deliverable_id),
            submission.participation_id,
            submission.platform,
            submission.format,
        )
        return deliverable_id
    candidates: list[Deliverable] = [
        d
        for d in uow.deliverables.find(
            participation_id=submission.participation_id,
            status=DeliverableStatus.PLANNED.value,
        )
        if (d.platform, d.format) == (submission.platform, submission.format)
    ]
    if not candidates:
        return None
    fulfilled, _ = delivered_by_deliverable(
        candidates, uow.submissions.find(participation_id=submission.participation_id)
    )
    far = _dt.date.max
    for d in sorted(candidates, key=lambda d: (d.due_on or far, d.planned_on or far, d.id)):
        if len(fulfilled[d.id]) < d.quantity:
            return d.id
    return None


def auto_validate(uow: UnitOfWork, job: Job, now: pendulum.DateTime) -> tuple[JobStatus, str]:
    """The scheduler's handler of automatic validations: validate at the policy's percentage,
    saying it was automatic, unless the brand validated first or the round is over."""
    submission = uow.submissions.get(job.subject_id)
    if job.id != validation_job_id(submission, JobKind.AUTO_VALIDATION):
        return JobStatus.SKIPPED, "a later validation round replaced this one"
    if not submission.can(SubmissionAction.AUTO_VALIDATE):
        return JobStatus.CANCELLED, f"submission {submission.status.value}"
    policy = uow.campaigns.get(submission.campaign_id).policies.validation
    submission.auto_validate(now, policy)
    _close_round(uow, submission, now, SubmissionAction.AUTO_VALIDATE)
    return JobStatus.DONE, f"validated automatically at {policy.auto_compliance}%"


def _close_round(
    uow: UnitOfWork, submission: Submission, now: pendulum.DateTime, action: SubmissionAction
) -> None:
    """Save a validated submission and cancel its round's pending validation jobs (an
    automatic validation cancels only the reminder: its own job is being finished)."""
    uow.submissions.save(submission)
    for job in uow.jobs.find(subject_id=submission.id, status=JobStatus.PENDING.value):
        if job.kind in (JobKind.VALIDATION_REMINDER, JobKind.AUTO_VALIDATION) and (
            action is SubmissionAction.VALIDATE or job.kind is JobKind.VALIDATION_REMINDER
        ):
            job.finish(JobStatus.CANCELLED, now, "content validated")
            uow.jobs.save(job)


def _schedule_validation(uow: UnitOfWork, submission: Submission, campaign: Campaign) -> None:
    """Schedule the reminder (if the policy has one) and the automatic validation of the
    submission's current round."""
    deadlines = ValidationDeadlines.of(submission, campaign)
    planned = [(JobKind.AUTO_VALIDATION, deadlines.auto_validate_at)]
    if deadlines.remind_at is not None:
        planned.append((JobKind.VALIDATION_REMINDER, deadlines.remind_at))
    for kind, due in planned:
        uow.jobs.add(
            Job(
                id=validation_job_id(submission, kind),
                kind=kind,
                due_at=due,
                subject_id=submission.id,
                campaign_id=submission.campaign_id,
                payload={"round": str(submission.round)},
            )
        )


def _check(
    campaign: Campaign,
    submission: Submission,
    promo_codes: Iterable[str],
    links: Iterable[str],
    contest: Contest | None,
) -> BriefReport:
    return BriefCheck.for_campaign(campaign, contest=contest).check(
        submission.caption,
        first_comment=submission.first_comment,
        on_screen_text=submission.on_screen_text,
        format=submission.format,
        promo_codes=promo_codes,
        links=links,
    )


def contest_of(uow: UnitOfWork, campaign: Campaign) -> Contest | None:
    """The contest of a contest campaign, once set up (its rules and jurisdictions shape the
    brief check); None for other kinds."""
    if campaign.kind is not CampaignKind.CONTEST:
        return None
    found = uow.contests.find(campaign_id=campaign.id, limit=1)
    return found[0] if found else None
