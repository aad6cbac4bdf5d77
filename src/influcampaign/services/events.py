"""Use cases of brand events: schedule, invite (from a group or a ranking), RSVP with the
waitlist, check-in, attendance and coverage. Accepting plans the guest's coverage and the
reminders before the event, by the campaign's kind policy."""

from __future__ import annotations

import builtins
import datetime as _dt
from collections.abc import Iterable

import attrs
import pendulum

from influcampaign.domain.access import Permission, Resource
from influcampaign.domain.brand_event import BrandEvent, Guest, RsvpStatus, Venue
from influcampaign.domain.campaign import Campaign
from influcampaign.domain.deliverable import Deliverable, DeliverableStatus
from influcampaign.domain.event_report import Attendance, CoverageLine
from influcampaign.domain.participation import (
    Participation,
    ParticipationAction,
    ParticipationSource,
    ParticipationStatus,
    participation_id,
)
from influcampaign.domain.principals import Principal
from influcampaign.domain.scheduling import Job, JobKind
from influcampaign.errors import NotFound
from influcampaign.ports import UnitOfWork
from influcampaign.rules.delivery import delivered_by_deliverable
from influcampaign.services._base import (
    Service,
    campaign_resource,
    campaign_resource_for,
    participation_resource,
    stable_id,
)

__all__ = ["EventService", "coverage_deliverable_id", "event_reminder_job_id"]


def coverage_deliverable_id(event_id: str, creator_id: str, number: int) -> str:
    """The id of a guest's n-th coverage deliverable (planned once, however often accepted)."""
    return stable_id("dlv", "event coverage", event_id, creator_id, str(number))


def event_reminder_job_id(event_id: str, creator_id: str, days_before: int) -> str:
    """The id of a guest's reminder ``days_before`` the event."""
    return stable_id("job", JobKind.EVENT_REMINDER.value, event_id, creator_id, str(days_before))


class EventService(Service):
    """``workspace.events``: brand events of event campaigns and their guest lists."""

    def schedule(
        self,
        actor: Principal,
        campaign_id: str,
        *,
        name: str,
        starts_at: pendulum.DateTime,
        ends_at: pendulum.DateTime,
        venue: Venue,
        capacity: int,
        max_plus_ones: int = 1,
        timezone: str | None = None,
    ) -> BrandEvent:
        """Give an event campaign its event: when (shown in ``timezone``, by default the
        campaign's), where (a venue, or online), how many places (plus-ones count)."""
        with self._write() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.CAMPAIGN_WRITE, campaign_resource(campaign))
            event = BrandEvent.schedule(
                self._now(),
                campaign,
                name=name,
                starts_at=starts_at,
                ends_at=ends_at,
                timezone=timezone or campaign.window.timezone,
                venue=venue,
                capacity=capacity,
                max_plus_ones=max_plus_ones,
            )
            uow.brand_events.add(event)
        return event

    def get(self, actor: Principal, event_id: str) -> BrandEvent:
        """An event and the guests ``actor`` may read (a creator reads the events it is part
        of, and on their guest list only itself)."""
        with self._read() as uow:
            event = uow.brand_events.get(event_id)
            campaign = uow.campaigns.get(event.campaign_id)
            self._check(
                actor, Permission.CAMPAIGN_READ, campaign_resource_for(uow, actor, campaign)
            )
        readable = tuple(g for g in event.guests if self._may_read_guest(actor, campaign, g))
        if readable == event.guests:
            return event
        return attrs.evolve(event, guests=readable)

    def _may_read_guest(self, actor: Principal, campaign: Campaign, guest: Guest) -> bool:
        resource = Resource(
            "participation",
            guest.participation_id,
            brand_id=campaign.brand_id,
            creator_id=guest.creator_id,
            campaign_id=campaign.id,
        )
        return self._allowed(actor, Permission.PARTICIPATION_READ, resource)

    def invite(self, actor: Principal, event_id: str, creator_ids: Iterable[str]) -> BrandEvent:
        """Invite creators (from a ranking, say: ``[m.creator_id for m in ranked]``); each
        gets a participation (approved: the creator answers) if it has none."""
        if isinstance(creator_ids, str):
            creator_ids = [creator_ids]
        now = self._now()
        with self._write() as uow:
            event, campaign = self._load(uow, actor, event_id)
            invited = False
            for creator_id in dict.fromkeys(creator_ids):
                pid = participation_id(campaign.id, creator_id)
                if uow.participations.exists(pid):
                    participation = uow.participations.get(pid)
                else:
                    participation = self._add_participation(
                        uow,
                        Participation.add(
                            now,
                            campaign,
                            creator_id,
                            ParticipationSource.MANUAL,
                            status=ParticipationStatus.APPROVED,
                        ),
                    )
                invited = event.invite(now, participation) or invited
            if invited:
                uow.brand_events.save(event)
        return event

    def invite_group(self, actor: Principal, event_id: str, group_id: str) -> BrandEvent:
        """Invite every creator of a group (one of the event's brand)."""
        with self._read() as uow:
            group = uow.groups.get(group_id)
            brand_id = uow.campaigns.get(uow.brand_events.get(event_id).campaign_id).brand_id
        if group.brand_id != brand_id:
            raise NotFound("group", group_id)
        return self.invite(actor, event_id, group.creator_ids)

    def respond(
        self,
        actor: Principal,
        event_id: str,
        creator_id: str,
        *,
        accept: bool,
        plus_ones: int = 0,
    ) -> Guest:
        """The creator's RSVP (by the creator, or the brand for them). Accepted (or promoted
        from the waitlist when this answer frees places), a guest is confirmed, owes the
        coverage of the kind policy and is reminded before the event; declining withdraws
        them."""
        now = self._now()
        with self._write() as uow:
            event = uow.brand_events.get(event_id)
            campaign = uow.campaigns.get(event.campaign_id)
            participation = uow.participations.get(participation_id(campaign.id, creator_id))
            self._check(
                actor, Permission.PARTICIPATION_RESPOND, participation_resource(participation)
            )
            guest, promoted = event.respond(now, creator_id, accept=accept, plus_ones=plus_ones)
            uow.brand_events.save(event)
            for taken in (guest, *promoted):
                if taken.status is RsvpStatus.ACCEPTED:
                    self._welcome(uow, event, campaign, taken, now)
            if guest.status is RsvpStatus.DECLINED:
                self._withdraw(uow, event, guest, now)
        return guest

    def resize(self, actor: Principal, event_id: str, capacity: int) -> BrandEvent:
        """Change the number of places; new places go to the waitlist, first come first."""
        now = self._now()
        with self._write() as uow:
            event, campaign = self._load(uow, actor, event_id)
            promoted = event.resize(now, capacity)
            uow.brand_events.save(event)
            for guest in promoted:
                self._welcome(uow, event, campaign, guest, now)
        return event

    def check_in(
        self, actor: Principal, event_id: str, creator_id: str, *, plus_ones_present: int = 0
    ) -> Guest:
        """An accepted guest arrived at the event (with ``plus_ones_present`` of theirs)."""
        with self._write() as uow:
            event, _ = self._load(uow, actor, event_id)
            guest = event.check_in(self._now(), creator_id, plus_ones_present=plus_ones_present)
            uow.brand_events.save(event)
        return guest

    def attendance(self, actor: Principal, event_id: str) -> Attendance:
        """Invitations, answers, places taken, who came and the no-shows."""
        with self._read() as uow:
            event, _ = self._load(uow, actor, event_id, Permission.CAMPAIGN_READ)
        return Attendance.of(event)

    def coverage(self, actor: Principal, event_id: str) -> builtins.list[CoverageLine]:
        """Per accepted guest: the coverage expected (planned coverage deliverables) and
        delivered (submissions fulfilling them), in invitation order."""
        with self._read() as uow:
            event, campaign = self._load(uow, actor, event_id, Permission.CAMPAIGN_READ)
            lines = []
            for guest in event.having(RsvpStatus.ACCEPTED):
                ids = {
                    coverage_deliverable_id(event.id, guest.creator_id, n)
                    for n in range(1, len(campaign.policies.kinds.event_coverage) + 1)
                }
                planned = [
                    d
                    for d in uow.deliverables.find(participation_id=guest.participation_id)
                    if d.id in ids and d.status is DeliverableStatus.PLANNED
                ]
                fulfilled, _ = delivered_by_deliverable(
                    planned, uow.submissions.find(participation_id=guest.participation_id)
                )
                lines.append(
                    CoverageLine(
                        guest.creator_id,
                        uow.creators.get(guest.creator_id).display_name,
                        expected=sum(d.quantity for d in planned),
                        delivered=sum(len(found) for found in fulfilled.values()),
                    )
                )
        return lines

    # -- helpers -----------------------------------------------------------------------

    def _load(
        self,
        uow: UnitOfWork,
        actor: Principal,
        event_id: str,
        permission: Permission = Permission.CAMPAIGN_WRITE,
    ) -> tuple[BrandEvent, Campaign]:
        event = uow.brand_events.get(event_id)
        campaign = uow.campaigns.get(event.campaign_id)
        self._check(actor, permission, campaign_resource(campaign))
        return event, campaign

    def _welcome(
        self,
        uow: UnitOfWork,
        event: BrandEvent,
        campaign: Campaign,
        guest: Guest,
        now: pendulum.DateTime,
    ) -> None:
        """An accepted guest takes part: confirmed, owes its coverage, will be reminded."""
        participation = uow.participations.get(guest.participation_id)
        if participation.status in (ParticipationStatus.PROPOSED, ParticipationStatus.APPROVED):
            participation.move(now, ParticipationAction.CONFIRM, f"accepted {event.name}")
            uow.participations.save(participation)
        policy = campaign.policies.kinds
        start = event.local_start
        for number, item in enumerate(policy.event_coverage, start=1):
            planned_id = coverage_deliverable_id(event.id, guest.creator_id, number)
            if uow.deliverables.exists(planned_id):
                continue
            end_day = event.ends_at.in_timezone(event.timezone).date()
            during = item.after_days is None
            uow.deliverables.add(
                Deliverable.plan(
                    now,
                    id=planned_id,
                    **participation.refs(),
                    platform=item.platform,
                    format=item.format,
                    quantity=item.quantity,
                    planned_on=start.date() if during else None,
                    planned_time=start.time().replace(microsecond=0) if during else None,
                    due_on=end_day
                    if during
                    else end_day + _dt.timedelta(days=item.after_days or 0),
                    notes=f"Coverage of {event.name}: {item.label}",
                )
            )
        for days in policy.event_reminder_days:
            due = start.subtract(days=days).in_timezone("UTC")
            job_id = event_reminder_job_id(event.id, guest.creator_id, days)
            if due <= now or uow.jobs.exists(job_id):
                continue
            uow.jobs.add(
                Job(
                    id=job_id,
                    kind=JobKind.EVENT_REMINDER,
                    due_at=due,
                    subject_id=guest.participation_id,
                    campaign_id=event.campaign_id,
                    payload={
                        "event_id": event.id,
                        "creator_id": guest.creator_id,
                        "days_before": str(days),
                    },
                )
            )

    def _withdraw(
        self, uow: UnitOfWork, event: BrandEvent, guest: Guest, now: pendulum.DateTime
    ) -> None:
        """A guest who declined: coverage cancelled, participation declined (or dropped)."""
        campaign = uow.campaigns.get(event.campaign_id)
        ids = {
            coverage_deliverable_id(event.id, guest.creator_id, n)
            for n in range(1, len(campaign.policies.kinds.event_coverage) + 1)
        }
        for deliverable in uow.deliverables.find(participation_id=guest.participation_id):
            if deliverable.id in ids and deliverable.status is DeliverableStatus.PLANNED:
                deliverable.cancel(now, reason=f"declined {event.name}")
                uow.deliverables.save(deliverable)
        participation = uow.participations.get(guest.participation_id)
        action = {
            ParticipationStatus.APPROVED: ParticipationAction.DECLINE,
            ParticipationStatus.CONFIRMED: ParticipationAction.DROP,
        }.get(participation.status)
        if action is not None:
            participation.move(now, action, f"declined {event.name}")
            uow.participations.save(participation)
