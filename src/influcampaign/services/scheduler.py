"""The scheduler: at ``clock.now()`` it does every due job exactly once, however often or
from however many processes it runs.

Each job runs in its own transaction that re-reads the job, acts, and saves it finished.
The save checks the job's version, so if two schedulers take the same job, one commits and
the other's transaction (its messages and events included) rolls back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import to_micros
from influcampaign.domain.application import ApplicationStatus
from influcampaign.domain.brand_event import RsvpStatus
from influcampaign.domain.content import SubmissionStatus
from influcampaign.domain.messaging import Author, TemplateKind
from influcampaign.domain.principals import Principal, SystemActor
from influcampaign.domain.privacy import ERASED, RetentionPolicy
from influcampaign.domain.scheduling import Job, JobKind, JobStatus
from influcampaign.domain.shipment import ShipmentStatus
from influcampaign.domain.system_messages import local_date, system_message
from influcampaign.errors import ConcurrencyConflict, InflucampaignError, PermissionDenied
from influcampaign.ports import UnitOfWork
from influcampaign.services._base import Service
from influcampaign.services._context import ServiceContext
from influcampaign.services.rights import remind_rights_expiry
from influcampaign.services.submissions import ValidationDeadlines, auto_validate

__all__ = ["Handler", "Scheduler", "SchedulerRun"]

Handler = Callable[[UnitOfWork, Job, pendulum.DateTime], tuple[JobStatus, str]]
"""Does a due job inside its transaction; returns how it finished and why (the scheduler
finishes the job so, unless the handler had the job finish itself)."""

_EVENT_REMINDER_DEFAULT = (
    "Hi {creator_name}, {brand} looks forward to seeing you at {event_name} on "
    "{event_start}, {event_location}."
)


@attrs.frozen
class SchedulerRun:
    """What one scheduler pass did."""

    at: pendulum.DateTime
    done: int = 0
    skipped: int = 0
    cancelled: int = 0
    taken_elsewhere: int = 0  # jobs another scheduler finished first
    expired: int = 0  # records whose personal data the retention policy expired
    failed: tuple[tuple[str, str], ...] = ()  # (job or record id, error): left for the next run

    @property
    def finished(self) -> int:
        """Jobs this pass finished, whatever the outcome."""
        return self.done + self.skipped + self.cancelled


class Scheduler(Service):
    """``workspace.scheduler``: publication reminders, alerts on waiting applications,
    reminders of brand events, and the other timed rules, registered as handlers by job kind
    (``handlers`` adds those of other services, such as periodic post capture)."""

    def __init__(
        self,
        context: ServiceContext,
        *,
        retention: RetentionPolicy | None = None,
        handlers: Mapping[JobKind, Handler] | None = None,
    ) -> None:
        super().__init__(context)
        self.retention = retention
        self.handlers: dict[JobKind, Handler] = {
            JobKind.PUBLICATION_REMINDER: self._publication_reminder,
            JobKind.APPLICATION_PENDING: self._application_pending,
            JobKind.VALIDATION_REMINDER: self._validation_reminder,
            JobKind.AUTO_VALIDATION: auto_validate,
            JobKind.RIGHTS_EXPIRY: remind_rights_expiry,
            JobKind.EVENT_REMINDER: self._event_reminder,
            **(handlers or {}),
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
        expired = 0
        if self.retention is not None:
            expired, taken, unexpired = self._expire(self.retention, now)
            taken_elsewhere += taken
            failed += unexpired
        return SchedulerRun(
            at=now,
            done=counts[JobStatus.DONE],
            skipped=counts[JobStatus.SKIPPED],
            cancelled=counts[JobStatus.CANCELLED],
            taken_elsewhere=taken_elsewhere,
            expired=expired,
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
        arrived = _delivered_at(uow, job, participation.id)
        if arrived is not None:
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

    def _event_reminder(
        self, uow: UnitOfWork, job: Job, now: pendulum.DateTime
    ) -> tuple[JobStatus, str]:
        event = uow.brand_events.get(job.payload["event_id"])
        creator_id = job.payload["creator_id"]
        guest = event.guest(creator_id)
        if guest.status is not RsvpStatus.ACCEPTED:
            return JobStatus.CANCELLED, f"guest {guest.status.value}"
        if now >= event.starts_at:
            return JobStatus.SKIPPED, "the event has started"
        participation = uow.participations.get(guest.participation_id)
        campaign = uow.campaigns.get(event.campaign_id)
        text = self._compose(
            uow,
            campaign,
            uow.creators.get(creator_id),
            kind=TemplateKind.EVENT_REMINDER,
            default=_EVENT_REMINDER_DEFAULT,
            event_name=event.name,
            event_start=event.local_start.format("dddd D MMMM YYYY, HH:mm"),
            event_location=event.venue.location,
        )
        self._post(uow, participation, text, Author.SYSTEM)
        job.remind_event(now, event, creator_id)
        return job.status, job.outcome

    # -- retention ---------------------------------------------------------------------

    def _expire(
        self, policy: RetentionPolicy, now: pendulum.DateTime
    ) -> tuple[int, int, list[tuple[str, str]]]:
        """Apply the retention policy: each expired record in a transaction of its own,
        saved with its version, so however many schedulers run, each record is expired
        (and its event written) once. Returns how many were expired, how many another
        scheduler took, and those that failed (left for the next run)."""
        candidates: list[tuple[str, str]] = []
        with self._read() as uow:
            cutoff = policy.cutoff(now, "visitor_hashes")
            if cutoff is not None:
                found = uow.clicks.find(at_most={"at_us": to_micros(cutoff)})
                candidates += [("clicks", c.id) for c in found if c.visitor]
            cutoff = policy.cutoff(now, "messages")
            if cutoff is not None:
                messages = uow.messages.find(at_most={"sent_at_us": to_micros(cutoff)})
                candidates += [("messages", m.id) for m in messages if m.body != ERASED]
            cutoff = policy.cutoff(now, "shipment_addresses")
            if cutoff is not None:
                for status in _FINISHED_SHIPMENTS:
                    for s in uow.shipments.find(status=status.value):
                        if s.ship_to is not None and _before(s.finished_at, cutoff):
                            candidates.append(("shipments", s.id))
            cutoff = policy.cutoff(now, "stale_applications")
            if cutoff is not None:
                for stale in _STALE_APPLICATIONS:
                    for a in uow.applications.find(status=stale.value):
                        if (a.pitch or a.message) and _before(a.decided_at, cutoff):
                            candidates.append(("applications", a.id))
        expired = taken = 0
        failed: list[tuple[str, str]] = []
        for attribute, id in candidates:
            try:
                with self._write() as uow:
                    repository = getattr(uow, attribute)
                    record = repository.get(id)
                    if _EXPIRE[attribute](record, now):
                        repository.save(record)
                        expired += 1
            except ConcurrencyConflict:
                taken += 1
            except InflucampaignError as error:
                failed.append((id, str(error)))
        return expired, taken, failed


_FINISHED_SHIPMENTS = (ShipmentStatus.DELIVERED, ShipmentStatus.LOST, ShipmentStatus.RETURNED)
_STALE_APPLICATIONS = (ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN)
_EXPIRE: dict[str, Callable[[Any, pendulum.DateTime], Any]] = {
    "clicks": lambda c, now: c.expire_visitor(now),
    "messages": lambda m, now: m.erase(now, "retention"),
    "shipments": lambda s, now: s.erase_address(now, "retention"),
    "applications": lambda a, now: a.erase(now, "retention"),
}
"""How each kind of record has its personal data expired (each records its event)."""


def _before(moment: pendulum.DateTime | None, cutoff: pendulum.DateTime) -> bool:
    return moment is not None and moment <= cutoff


def _delivered_at(uow: UnitOfWork, job: Job, participation_id: str) -> pendulum.DateTime | None:
    """When the parcel a publication reminder follows arrived: the job's shipment, else the
    participation's last delivered one (jobs scheduled before reminders named their shipment)."""
    shipment_id = job.payload.get("shipment_id")
    if shipment_id and uow.shipments.exists(shipment_id):
        return uow.shipments.get(shipment_id).delivered_at or job.due_at
    delivered = [
        s.delivered_at
        for s in uow.shipments.find(participation_id=participation_id)
        if s.delivered_at is not None
    ]
    return max(delivered, default=None)
