"""Use cases of marketplace applications: apply, accept or refuse (one or many), withdraw."""

from __future__ import annotations

import builtins
import datetime as _dt
import statistics
from collections.abc import Iterable, Sequence

import attrs

from influcampaign.domain._validate import parse_enum
from influcampaign.domain.access import Permission, Resource
from influcampaign.domain.application import (
    Application,
    ApplicationStatus,
    RefusalReason,
)
from influcampaign.domain.campaign import Campaign, CampaignMode, CampaignStatus
from influcampaign.domain.messaging import Author, TemplateKind
from influcampaign.domain.participation import (
    Participation,
    ParticipationSource,
    ParticipationStatus,
    participation_id,
)
from influcampaign.domain.principals import Principal, actor_id
from influcampaign.domain.scheduling import Job, JobKind, JobStatus
from influcampaign.errors import AlreadyExists, InvalidTransition, LimitReached, ValidationError
from influcampaign.ports import UnitOfWork
from influcampaign.services._base import Service, campaign_resource, days_after, stable_id

__all__ = ["ApplicationService", "ResponseStats"]


@attrs.frozen
class ResponseStats:
    """How quickly a brand answers the applications to one offer."""

    campaign_id: str
    decided: int
    pending: int
    median_response: _dt.timedelta | None  # None until something was decided
    longest_pending: _dt.timedelta | None


def _resource(application: Application) -> Resource:
    return Resource(
        "application",
        application.id,
        brand_id=application.brand_id,
        creator_id=application.creator_id,
        campaign_id=application.campaign_id,
    )


def pending_alert_job_id(application_id: str) -> str:
    """The id of the job that reminds the brand of an undecided application."""
    return stable_id("job", JobKind.APPLICATION_PENDING.value, application_id)


class ApplicationService(Service):
    """``workspace.applications``: creators apply to offers; brands decide, with a message."""

    def apply(
        self, actor: Principal, campaign_id: str, creator_id: str, *, pitch: str = ""
    ) -> Application:
        """A creator applies to an open offer; one live application per creator and offer."""
        now = self._now()
        with self._write() as uow:
            campaign = uow.campaigns.get(campaign_id)
            # The creator acts for itself, and the offer must be one it can see.
            self._check(
                actor, Permission.APPLY, Resource("creator", creator_id, creator_id=creator_id)
            )
            self._check(actor, Permission.CAMPAIGN_READ, campaign_resource(campaign))
            if (
                campaign.mode is not CampaignMode.MARKETPLACE
                or campaign.status is not CampaignStatus.OPEN
            ):
                raise InvalidTransition(
                    "campaign", campaign.id, campaign.status.value, "take applications"
                )
            uow.creators.get(creator_id)
            for earlier in uow.applications.find(campaign_id=campaign_id, creator_id=creator_id):
                if earlier.status in (ApplicationStatus.PENDING, ApplicationStatus.ACCEPTED):
                    raise AlreadyExists("application", earlier.id)
            application = Application.submit(
                now,
                id=self._new_id("app"),
                campaign_id=campaign.id,
                brand_id=campaign.brand_id,
                creator_id=creator_id,
                pitch=pitch,
            )
            uow.applications.add(application)
            uow.jobs.add(
                Job(
                    id=pending_alert_job_id(application.id),
                    kind=JobKind.APPLICATION_PENDING,
                    due_at=days_after(
                        now,
                        campaign.policies.applications.pending_alert_days,
                        campaign.window.timezone,
                    ),
                    subject_id=application.id,
                    campaign_id=campaign.id,
                )
            )
        return application

    def get(self, actor: Principal, application_id: str) -> Application:
        """An application (its creator and the brand's team may read it)."""
        with self._read() as uow:
            application = uow.applications.get(application_id)
        self._check(actor, Permission.PARTICIPATION_READ, _resource(application))
        return application

    def list(
        self, actor: Principal, campaign_id: str, *, status: ApplicationStatus | str | None = None
    ) -> list[Application]:
        """The applications to an offer, oldest first."""
        with self._read() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.CAMPAIGN_WRITE, campaign_resource(campaign))
            wanted = None if status is None else parse_enum(ApplicationStatus, "status", status)
            return uow.applications.to_offer(campaign_id, status=wanted)

    def accept(
        self,
        actor: Principal,
        application_id: str,
        *,
        message: str | None = None,
        template_id: str | None = None,
    ) -> Participation:
        """Accept: the creator joins the campaign (confirmed) and gets the personal message."""
        with self._write() as uow:
            return self._accept(uow, actor, application_id, message, template_id)

    def refuse(
        self,
        actor: Principal,
        application_id: str,
        *,
        message: str | None = None,
        template_id: str | None = None,
        reason: RefusalReason | str | None = None,
    ) -> Application:
        """Refuse, with a personal message and maybe a reason (which matching learns from)."""
        with self._write() as uow:
            return self._refuse(uow, actor, application_id, message, template_id, reason)

    def accept_many(
        self,
        actor: Principal,
        application_ids: Sequence[str],
        *,
        message: str | None = None,
        template_id: str | None = None,
    ) -> builtins.list[Participation]:
        """Accept several applications at once; all are accepted, or (on any error) none."""
        with self._write() as uow:
            return [
                self._accept(uow, actor, a, message, template_id) for a in _unique(application_ids)
            ]

    def refuse_many(
        self,
        actor: Principal,
        application_ids: Sequence[str],
        *,
        message: str | None = None,
        template_id: str | None = None,
        reason: RefusalReason | str | None = None,
    ) -> builtins.list[Application]:
        """Refuse several applications at once; all are refused, or (on any error) none."""
        with self._write() as uow:
            return [
                self._refuse(uow, actor, a, message, template_id, reason)
                for a in _unique(application_ids)
            ]

    def withdraw(self, actor: Principal, application_id: str) -> Application:
        """The creator withdraws a pending application."""
        with self._write() as uow:
            application = uow.applications.get(application_id)
            self._check(actor, Permission.APPLY, _resource(application))
            application.withdraw(self._now(), by=actor_id(actor))
            uow.applications.save(application)
            self._close_alert(uow, application.id, "application withdrawn")
        return application

    def pending_beyond(
        self, actor: Principal, campaign_id: str, days: int
    ) -> builtins.list[tuple[Application, _dt.timedelta]]:
        """Applications still undecided after ``days`` days, oldest first, with their wait."""
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise ValidationError("days", days, "must be a whole number ≄ 0")
        now = self._now()
        pending = self.list(actor, campaign_id, status=ApplicationStatus.PENDING)
        limit = _dt.timedelta(days=days)
        return [(a, a.waiting(now)) for a in pending if a.waiting(now) > limit]

    def response_stats(self, actor: Principal, campaign_id: str) -> ResponseStats:
        """Median time to decision and what is still waiting, for one offer."""
        now = self._now()
        applications = self.list(actor, campaign_id)
        waits = [a.time_to_decision for a in applications if a.time_to_decision is not None]
        pending = [a.waiting(now) for a in applications if a.status is ApplicationStatus.PENDING]
        return ResponseStats(
            campaign_id=campaign_id,
            decided=len(waits),
            pending=len(pending),
            median_response=statistics.median(waits) if waits else None,  # type: ignore[type-var]
            longest_pending=max(pending, default=None),
        )

    # -- decisions -------------------------------------------------------------------

    def _decision(
        self, uow: UnitOfWork, actor: Principal, application_id: str
    ) -> tuple[Application, Campaign]:
        application = uow.applications.get(application_id)
        campaign = uow.campaigns.get(application.campaign_id)
        self._check(actor, Permission.CAMPAIGN_WRITE, campaign_resource(campaign))
        application.ensure_pending()
        return application, campaign

    def _accept(
        self,
        uow: UnitOfWork,
        actor: Principal,
        application_id: str,
        message: str | None,
        template_id: str | None,
    ) -> Participation:
        application, campaign = self._decision(uow, actor, application_id)
        cap = campaign.policies.applications.max_accepted
        if cap is not None:
            # The offer holds its cap: it is saved with its version in each accept, so two
            # accepts on one offer conflict (the loser retries and counts again) however
            # many processes accept at once, on every backend.
            uow.campaigns.save(campaign)
            accepted = uow.applications.count(
                campaign_id=campaign.id, status=ApplicationStatus.ACCEPTED.value
            )
            if accepted >= cap:
                raise LimitReached(
                    "campaign",
                    campaign.id,
                    f"accepts at most {cap} creators and {accepted} are accepted",
                )
        creator = uow.creators.get(application.creator_id)
        text = self._compose(
            uow,
            campaign,
            creator,
            kind=TemplateKind.ACCEPTANCE,
            template_id=template_id,
            message=message,
        )
        application.accept(
            self._now(),
            by=actor_id(actor),
            message=text,
            participation_id=participation_id(campaign.id, application.creator_id),
        )
        participation = self._join(uow, campaign, application)
        self._post(uow, participation, text, Author.BRAND, actor_id(actor))
        self._close_alert(uow, application.id, "application decided")
        # Saved last, so that its event follows the participation's and the message's.
        uow.applications.save(application)
        return participation

    def _join(self, uow: UnitOfWork, campaign: Campaign, application: Application) -> Participation:
        """The creator's participation, confirmed (created, or moved on if it was on the list)."""
        pid = participation_id(campaign.id, application.creator_id)
        if not uow.participations.exists(pid):
            joined = Participation.add(
                self._now(),
                campaign,
                application.creator_id,
                ParticipationSource.APPLICATION,
                status=ParticipationStatus.CONFIRMED,
                application_id=application.id,
            )
            return self._add_participation(uow, joined)
        participation = uow.participations.get(pid)
        if participation.accept_application(self._now(), application.id):
            uow.participations.save(participation)
        return participation

    def _refuse(
        self,
        uow: UnitOfWork,
        actor: Principal,
        application_id: str,
        message: str | None,
        template_id: str | None,
        reason: RefusalReason | str | None,
    ) -> Application:
        application, campaign = self._decision(uow, actor, application_id)
        why = None if reason is None else _reason(reason)
        creator = uow.creators.get(application.creator_id)
        text = self._compose(
            uow,
            campaign,
            creator,
            kind=TemplateKind.REFUSAL,
            template_id=template_id,
            message=message,
        )
        application.refuse(self._now(), by=actor_id(actor), message=text, reason=why)
        uow.applications.save(application)
        self._close_alert(uow, application.id, "application decided")
        return application

    def _close_alert(self, uow: UnitOfWork, application_id: str, why: str) -> None:
        job_id = pending_alert_job_id(application_id)
        if uow.jobs.exists(job_id):
            job = uow.jobs.get(job_id)
            if job.status is JobStatus.PENDING:
                job.finish(JobStatus.CANCELLED, self._now(), why)
                uow.jobs.save(job)


def _reason(value: RefusalReason | str) -> RefusalReason:
    return parse_enum(RefusalReason, "reason", value)


def _unique(ids: Iterable[str]) -> builtins.list[str]:
    if isinstance(ids, str):
        raise ValidationError("application_ids", ids, "must be a list of ids")
    return list(dict.fromkeys(ids))
