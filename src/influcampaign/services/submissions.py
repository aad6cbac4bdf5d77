"""Use cases of content submissions: a creator submits a published content."""

from __future__ import annotations

import datetime as _dt

from influcampaign.domain.access import Permission
from influcampaign.domain.content import ContentFormat, Submission
from influcampaign.domain.creator import Platform
from influcampaign.domain.events import ContentSubmitted
from influcampaign.domain.principals import Principal
from influcampaign.domain.scheduling import JobKind, JobStatus
from influcampaign.errors import InvalidTransition, ValidationError
from influcampaign.services._base import Service, participation_resource

__all__ = ["SubmissionService"]


class SubmissionService(Service):
    """``workspace.submissions``: what creators published for a campaign."""

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
    ) -> Submission:
        """Record a published content; the creator's pending publication reminders stop."""
        now = self._now()
        with self._ws._unit() as uow:
            participation = uow.participations.get(participation_id)
            self._check(
                actor, Permission.CONTENT_SUBMIT, participation_resource(participation, "content")
            )
            if not participation.is_active:
                raise InvalidTransition(
                    "participation", participation.id, participation.status.value, "submit content"
                )
            submission = Submission(
                id=self._ws.ids.new("sub"),
                participation_id=participation.id,
                campaign_id=participation.campaign_id,
                brand_id=participation.brand_id,
                creator_id=participation.creator_id,
                url=url,
                platform=platform,
                format=format,
                published_at=published_at,
                submitted_at=now,
                caption=caption,
                is_video=is_video,
            )
            if submission.published_at > now:
                raise ValidationError(
                    "published_at", submission.published_at.isoformat(), "cannot be in the future"
                )
            uow.submissions.add(submission)
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
            uow.emit(
                ContentSubmitted(
                    occurred_at=now,
                    submission_id=submission.id,
                    participation_id=participation.id,
                    campaign_id=participation.campaign_id,
                    creator_id=participation.creator_id,
                    url=submission.url,
                )
            )
        return submission

    def list(self, actor: Principal, participation_id: str) -> list[Submission]:
        """The submissions of one participation."""
        with self._ws._read() as uow:
            participation = uow.participations.get(participation_id)
            self._check(
                actor,
                Permission.PARTICIPATION_READ,
                participation_resource(participation, "content"),
            )
            return uow.submissions.find(participation_id=participation_id)
