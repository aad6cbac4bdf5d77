"""Use cases of usage rights: the brand records the rights a creator granted on a content
(its fee planned as a cost), asks whether a use is allowed, and is reminded before they end."""

from __future__ import annotations

import builtins
import datetime as _dt
from collections.abc import Iterable

import pendulum

from influcampaign.domain.access import Permission
from influcampaign.domain.costs import Cost, CostKind
from influcampaign.domain.money import Money
from influcampaign.domain.principals import Principal
from influcampaign.domain.rights import RightsAnswer, UsageChannel, UsageRights
from influcampaign.domain.scheduling import Job, JobKind, JobStatus
from influcampaign.ports import UnitOfWork
from influcampaign.services._base import Service, participation_resource, stable_id

__all__ = ["RightsService", "remind_rights_expiry", "rights_job_id"]


def rights_job_id(rights: UsageRights) -> str:
    """The id of the reminder that the rights end soon (one per rights and last day)."""
    end = "" if rights.ends_on is None else rights.ends_on.isoformat()
    return stable_id("job", JobKind.RIGHTS_EXPIRY.value, rights.id, end)


class RightsService(Service):
    """``workspace.rights``: usage rights on creators' contents."""

    def grant(
        self,
        actor: Principal,
        submission_id: str,
        *,
        channels: Iterable[UsageChannel | str],
        territories: Iterable[str],
        starts_on: _dt.date,
        ends_on: _dt.date | None = None,
        exclusive: bool = False,
        fee: Money | None = None,
        remind_days_before: int = 14,
        notes: str = "",
    ) -> UsageRights:
        """Record the rights a creator granted on a content: channels, territories, first
        and last local day (in the campaign's time zone; no last day is perpetual),
        exclusivity, and a fee, planned as a cost of the participation. The brand is reminded
        ``remind_days_before`` days before the last day."""
        now = self._now()
        with self._write() as uow:
            submission = uow.submissions.get(submission_id)
            participation = uow.participations.get(submission.participation_id)
            self._check(
                actor, Permission.RIGHTS_WRITE, participation_resource(participation, "content")
            )
            campaign = uow.campaigns.get(submission.campaign_id)
            rights_id = self._new_id("rgt")
            cost_id = None if fee is None else self._new_id("cost")
            rights = UsageRights.grant(
                now,
                id=rights_id,
                submission_id=submission.id,
                participation_id=participation.id,
                campaign_id=campaign.id,
                brand_id=campaign.brand_id,
                creator_id=participation.creator_id,
                channels=channels,
                territories=territories,
                starts_on=starts_on,
                ends_on=ends_on,
                timezone=campaign.window.timezone,
                exclusive=exclusive,
                fee=fee,
                cost_id=cost_id,
                remind_days_before=remind_days_before,
                notes=notes,
            )
            uow.usage_rights.add(rights)
            if fee is not None and cost_id is not None:
                uow.costs.add(
                    Cost.plan(
                        now,
                        id=cost_id,
                        campaign_id=campaign.id,
                        brand_id=campaign.brand_id,
                        kind=CostKind.USAGE_RIGHTS,
                        amount=fee,
                        participation_id=participation.id,
                        creator_id=participation.creator_id,
                        description=f"usage rights {rights.id} on {submission.id}",
                    )
                )
            due = rights.reminder_at()
            if due is not None:
                uow.jobs.add(
                    Job(
                        id=rights_job_id(rights),
                        kind=JobKind.RIGHTS_EXPIRY,
                        due_at=max(due, now),
                        subject_id=rights.id,
                        campaign_id=campaign.id,
                    )
                )
        return rights

    def revoke(self, actor: Principal, rights_id: str, *, reason: str) -> UsageRights:
        """Withdraw rights from now on (their expiry reminder is cancelled)."""
        now = self._now()
        with self._write() as uow:
            rights = self._load(uow, actor, rights_id, Permission.RIGHTS_WRITE)
            rights.revoke(now, reason=reason)
            uow.usage_rights.save(rights)
            for job in uow.jobs.pending_for(rights.id, kind=JobKind.RIGHTS_EXPIRY):
                job.finish(JobStatus.CANCELLED, now, "rights revoked")
                uow.jobs.save(job)
        return rights

    def may_use(
        self,
        actor: Principal,
        submission_id: str,
        channel: UsageChannel | str,
        territory: str,
        on: _dt.date | _dt.datetime,
    ) -> RightsAnswer:
        """Whether the brand may use a content on ``channel`` in ``territory`` on a day (or
        at an instant, seen in the campaign's time zone), with the reason: the rights that
        allow it, else why none does."""
        with self._read() as uow:
            submission = uow.submissions.get(submission_id)
            participation = uow.participations.get(submission.participation_id)
            self._check(
                actor,
                Permission.PARTICIPATION_READ,
                participation_resource(participation, "content"),
            )
            found = uow.usage_rights.find(submission_id=submission_id)
        if not found:
            UsageRights.check_question(channel, territory, on)
            return RightsAnswer(False, f"no usage rights are recorded for {submission_id}")
        answers = [r.may_use(channel, territory, on) for r in sorted(found, key=lambda r: r.id)]
        for answer in answers:
            if answer.allowed:
                return answer
        return RightsAnswer(False, "; ".join(a.reason for a in answers))

    def list(self, actor: Principal, submission_id: str) -> builtins.list[UsageRights]:
        """The rights recorded on one content, oldest first."""
        with self._read() as uow:
            submission = uow.submissions.get(submission_id)
            participation = uow.participations.get(submission.participation_id)
            self._check(
                actor,
                Permission.PARTICIPATION_READ,
                participation_resource(participation, "content"),
            )
            found = uow.usage_rights.find(submission_id=submission_id)
        return sorted(found, key=lambda r: (r.granted_at or r.starts_on, r.id))

    def get(self, actor: Principal, rights_id: str) -> UsageRights:
        """One set of rights."""
        with self._read() as uow:
            return self._load(uow, actor, rights_id, Permission.PARTICIPATION_READ)

    def _load(
        self, uow: UnitOfWork, actor: Principal, rights_id: str, permission: Permission
    ) -> UsageRights:
        rights = uow.usage_rights.get(rights_id)
        participation = uow.participations.get(rights.participation_id)
        self._check(actor, permission, participation_resource(participation, "content"))
        return rights


def remind_rights_expiry(
    uow: UnitOfWork, job: Job, now: pendulum.DateTime
) -> tuple[JobStatus, str]:
    """The scheduler's handler: remind the brand that rights end soon, unless revoked."""
    rights = uow.usage_rights.get(job.subject_id)
    if rights.revoked_at is not None:
        return JobStatus.CANCELLED, "rights revoked"
    if job.id != rights_job_id(rights):
        return JobStatus.SKIPPED, "the rights' last day changed"
    rights.remind_expiry(now)
    uow.usage_rights.save(rights)
    ends = "" if rights.ends_on is None else rights.ends_on.isoformat()
    return JobStatus.DONE, f"brand reminded: rights end on {ends}"
