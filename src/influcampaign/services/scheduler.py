"""The scheduler: at ``clock.now()`` it does every due job exactly once, however often or
from however many processes it runs.

Each job runs in its own transaction that re-reads the job, acts, and saves it finished.
The save checks the job's version, so if two schedulers take the same job, one commits and
the other's transaction (its messages and events included) rolls back.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pendulum

from influcampaign.domain.application import ApplicationStatus
from influcampaign.domain.content import SubmissionStatus
from influcampaign.domain.messaging import Author, TemplateKind
from influcampaign.domain.principals import Principal, SystemActor
from influcampaign.domain.scheduling import Job, JobKind, JobStatus
from influcampaign.domain.system_messages import local_date, system_message
from influcampaign.errors import ConcurrencyConflict, InflucampaignError, PermissionDenied
from influcampaign.ports import UnitOfWork
from influcampaign.services._base import Service
from influcampaign.services._context import ServiceContext
from influcampaign.services.submissions import ValidationDeadlines, auto_validate

__all__ = ["Handler", "Scheduler", "SchedulerRun"]

Handler = Callable[[UnitOfWork, Job, pendulum.DateTime], tuple[JobStatus, str]]
"""Does a due job inside its transaction; returns how it finished and why (the scheduler
finishes the job so, unless the handler had the job finish itself)."""


@attrs.frozen
class SchedulerRun:
    """What one scheduler pass did."""

    at: pendulum.DateTime
    done: int = 0
    skipped: int = 0
    cancelled: int = 0
    taken_elsewhere: int = 0  # jobs another scheduler finished first
    failed: tuple[tuple[str, str], ...] = ()  # (job id, error): left pending for the next run

    @property
    def finished(self) -> int:
        """Jobs this pass finished, whatever the outcome."""
        return self.done + self.skipped + self.cancelled


class Scheduler(Service):
    """``workspace.scheduler``: publication reminders, alerts on waiting applications, and the
    other timed rules, registered as handlers by job kind."""

    def __init__(self, context: ServiceContext) -> None:
        super().__init__(context)
        self.handlers: dict[JobKind, Handler] = {
            JobKind.PUBLICATION_REMINDER: self._publication_reminder,
            JobKind.APPLICATION_PENDING: self._application_pending,
            JobKind.VALIDATION_REMINDER: self._validation_reminder,
            JobKind.AUTO_VALIDATION: auto_validate,
        }

    def run(self, actor: Principal, *, batch: int = 500) -> SchedulerRun:
        """Do every job due at the clock's now; returns the counts."""
        if not isinstance(actor, SystemActor):
            raise PermissionDenied(str(actor), "run", "the scheduler")
        now = self._now()
        counts = {JobStatus.DONE: 0, JobStatus.SKIPPED: 0, JobStatus.CANCELLED: 0}
        taken_elsewhere = 0
        failed: list[tuple[str, str]] = []
        seen: set[str] = set()
        while True:
            with self._read() as uow:
                due = uow.jobs.due(now, limit=batch)
            fresh = [job for job in due if job.id not in seen]
            if not fresh:
                break
            for job in fresh:
                seen.add(job.id)
                try:
                    outcome = self._do(job.id, now)
                except ConcurrencyConflict:
                    outcome = None
                except InflucampaignError as error:
                    failed.append((job.id, str(error)))
                    continue
                if outcome is None:
                    taken_elsewhere += 1
                else:
                    counts[outcome] += 1
        return SchedulerRun(
            at=now,
            done=counts[JobStatus.DONE],
            skipped=counts[JobStatus.SKIPPED],
            cancelled=counts[JobStatus.CANCELLED],
            taken_elsewhere=taken_elsewhere,
            failed=tuple(failed),
        )

    def pending(self, actor: Principal, *, subject_id: str) -> list[Job]:
        """Jobs still to do about one subject (a participation, an application), soonest first."""
        if not isinstance(actor, SystemActor):
            raise PermissionDenied(str(actor), "read", "scheduled jobs")
        with self._read() as uow:
            return uow.jobs.pending_for(subject_id)

    def _do(self, job_id: str, now: pendulum.DateTime) -> JobStatus | None:
        with self._write() as uow:
            job = uow.jobs.get(job_id)
            if job.status is not JobStatus.PENDING:
                return None
            status, outcome = self.handlers[job.kind](uow, job, now)
            if job.status is JobStatus.PENDING:
                job.finish(status, now, outcome)
            uow.jobs.save(job)
        return status

    # -- handlers --------------------------------------------------------------------

    def _publication_reminder(
        self, uow: UnitOfWork, job: Job, now: pendulum.DateTime
    ) -> tuple[JobStatus, str]:
        participation = uow.participations.get(job.subject_id)
        if participation.first_content_at is not None:
            return JobStatus.CANCELLED, "content already submitted"
        if not participation.is_active:
            return JobStatus.CANCELLED, f"participation {participation.status.value}"
        later = [
            other
            for other in uow.jobs.pending_for(
                job.subject_id, kind=JobKind.PUBLICATION_REMINDER, due_by=now
            )
            if (other.due_at, other.id) > (job.due_at, job.id)
        ]
        if later:
            return JobStatus.SKIPPED, "superseded by a later reminder also due"
        campaign = uow.campaigns.get(participation.campaign_id)
        creator = uow.creators.get(participation.creator_id)
        language = campaign.language or creator.language
        values = {"reminder_number": str(job.reminder_number)}
        shipment_id = job.payload.get("shipment_id")
        if shipment_id and uow.shipments.exists(shipment_id):
            arrived = uow.shipments.get(shipment_id).delivered_at or job.due_at
            local = arrived.in_timezone(campaign.window.timezone).date()
            values["delivered_on"] = local_date(local, language)
        key = "publication_reminder" if "delivered_on" in values else "publication_reminder_plain"
        text = self._compose(
            uow,
            campaign,
            creator,
            kind=TemplateKind.REMINDER,
            default=system_message(key, language),
            **values,
        )
        self._post(uow, participation, text, Author.SYSTEM)
        job.remind_publication(now, participation)
        return job.status, job.outcome

    def _application_pending(
        self, uow: UnitOfWork, job: Job, now: pendulum.DateTime
    ) -> tuple[JobStatus, str]:
        application = uow.applications.get(job.subject_id)
        if application.status is not ApplicationStatus.PENDING:
            return JobStatus.CANCELLED, f"application {application.status.value}"
        job.alert_pending_application(now, application)
        return job.status, job.outcome

    def _validation_reminder(
        self, uow: UnitOfWork, job: Job, now: pendulum.DateTime
    ) -> tuple[JobStatus, str]:
        submission = uow.submissions.get(job.subject_id)
        if submission.status is not SubmissionStatus.SUBMITTED:
            return JobStatus.CANCELLED, f"submission {submission.status.value}"
        deadlines = ValidationDeadlines.of(submission, uow.campaigns.get(submission.campaign_id))
        job.remind_validation(
            now,
            submission,
            deadline=deadlines.validate_by,
            auto_validation_at=deadlines.auto_validate_at,
        )
        return job.status, job.outcome
