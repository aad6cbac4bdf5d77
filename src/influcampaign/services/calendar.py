"""Use cases of the content calendar: planned and published contents, and their .ics export."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from influcampaign.domain.access import Permission
from influcampaign.domain.brand_event import BrandEvent
from influcampaign.domain.calendar import CalendarEntry, ContentCalendar, EntryKind
from influcampaign.domain.campaign import Campaign
from influcampaign.domain.content import Submission
from influcampaign.domain.deliverable import Deliverable, DeliverableStatus
from influcampaign.domain.principals import Principal
from influcampaign.errors import ValidationError
from influcampaign.services._base import Service, campaign_resource_for, participation_resource

__all__ = ["CalendarService", "event_entry"]


def event_entry(event: BrandEvent, campaign_name: str) -> CalendarEntry:
    """A brand event on the calendar, at its local day and time in its own time zone."""
    start = event.local_start
    return CalendarEntry(
        uid=f"{event.id}@influcampaign",
        kind=EntryKind.EVENT,
        day=start.date(),
        time=start.time().replace(microsecond=0),
        timezone=event.timezone,
        campaign_id=event.campaign_id,
        campaign_name=campaign_name,
        name=event.name,
        minutes=int((event.ends_at - event.starts_at).total_seconds() // 60),
        location=event.venue.location,
        notes=f"{event.capacity} places",
    )


class CalendarService(Service):
    """``workspace.calendar``: what is planned and published, when, in each campaign's time
    zone, and the campaigns' brand events; an actor only sees the participations it may read
    (a creator, its own)."""

    def for_campaigns(
        self, actor: Principal, campaign_ids: Iterable[str], *, include_published: bool = True
    ) -> ContentCalendar:
        """The calendar of one or several campaigns."""
        if isinstance(campaign_ids, str):
            raise ValidationError("campaign_ids", campaign_ids, "must be a list of ids")
        entries: list[CalendarEntry] = []
        unscheduled: list[CalendarEntry] = []
        with self._read() as uow:
            for campaign_id in dict.fromkeys(campaign_ids):
                campaign = uow.campaigns.get(campaign_id)
                self._check(
                    actor, Permission.CAMPAIGN_READ, campaign_resource_for(uow, actor, campaign)
                )
                tz = campaign.window.timezone
                visible = {
                    p.id: p
                    for p in uow.participations.find(campaign_id=campaign_id)
                    if self._allowed(
                        actor, Permission.PARTICIPATION_READ, participation_resource(p, "content")
                    )
                }
                names = {
                    p.creator_id: uow.creators.get(p.creator_id).display_name
                    for p in visible.values()
                }
                for d in uow.deliverables.find(campaign_id=campaign_id):
                    if d.participation_id not in visible:
                        continue
                    entry = CalendarEntry(
                        uid=f"{d.id}@influcampaign",
                        kind=EntryKind.PLANNED,
                        day=d.planned_on
                        or d.due_on
                        or campaign.window.local(campaign.window.start).date(),
                        time=d.planned_time,
                        **_about(d, campaign, names),
                        quantity=d.quantity,
                        sequence=d.sequence,
                        cancelled=d.status is DeliverableStatus.CANCELLED,
                        due_on=d.due_on,
                        notes=d.notes,
                    )
                    if d.planned_on is None and d.due_on is None:
                        unscheduled.append(entry)
                    else:
                        entries.append(entry)
                entries.extend(
                    event_entry(event, campaign.name)
                    for event in uow.brand_events.find(campaign_id=campaign_id)
                )
                if not include_published:
                    continue
                for s in uow.submissions.find(campaign_id=campaign_id):
                    if s.participation_id not in visible:
                        continue
                    local = s.published_at.in_timezone(tz)
                    entries.append(
                        CalendarEntry(
                            uid=f"{s.id}@influcampaign",
                            kind=EntryKind.PUBLISHED,
                            day=local.date(),
                            time=local.time().replace(microsecond=0),
                            **_about(s, campaign, names),
                            url=s.url,
                        )
                    )
        return ContentCalendar(tuple(entries), tuple(unscheduled))

    def ics(
        self,
        actor: Principal,
        campaign_ids: Iterable[str],
        *,
        name: str = "influcampaign",
        include_published: bool = True,
    ) -> bytes:
        """The calendar as an iCalendar file (needs the ``ical`` extra)."""
        from influcampaign.adapters.ical import calendar_to_ics

        calendar = self.for_campaigns(actor, campaign_ids, include_published=include_published)
        return calendar_to_ics(calendar, stamp=self._now(), name=name)


def _about(
    content: Deliverable | Submission, campaign: Campaign, names: Mapping[str, str]
) -> dict[str, Any]:
    """The fields of a calendar entry that come from its campaign and from the deliverable or
    submission it shows (``names``: creator display names by id)."""
    return {
        "timezone": campaign.window.timezone,
        "campaign_id": campaign.id,
        "campaign_name": campaign.name,
        "participation_id": content.participation_id,
        "creator_id": content.creator_id,
        "creator_name": names[content.creator_id],
        "platform": content.platform,
        "format": content.format,
    }
