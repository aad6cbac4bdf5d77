"""Use cases on campaigns: create, read, update, and move through the lifecycle."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from typing import Any

import attrs
from pendulum import DateTime

from influcampaign.domain._validate import parse_enum
from influcampaign.domain.access import Permission
from influcampaign.domain.brief import BriefRequirements
from influcampaign.domain.campaign import (
    Campaign,
    CampaignKind,
    CampaignMode,
    CampaignPolicies,
    CampaignStatus,
    Compensation,
    DateWindow,
)
from influcampaign.domain.creator import AudienceDataState
from influcampaign.domain.deliverable import Deliverable, DeliverableStatus
from influcampaign.domain.participation import Participation, ParticipationStatus
from influcampaign.domain.principals import Principal
from influcampaign.domain.project_copy import HiddenCreators, OriginCreator, ProjectOrigin
from influcampaign.domain.targeting import Targeting
from influcampaign.errors import InvalidTransition, NotFound
from influcampaign.ports import UnitOfWork
from influcampaign.services._base import Service, campaign_resource, campaign_resource_for

__all__ = ["CampaignService", "campaign_resource"]

_STILL_IN = frozenset(
    {ParticipationStatus.PROPOSED, ParticipationStatus.APPROVED, ParticipationStatus.CONFIRMED}
)
"""The creators a project copy takes along (those who declined, were dropped or are done
stay where they were)."""
_CHANGEABLE = frozenset({CampaignStatus.DRAFT, CampaignStatus.OPEN, CampaignStatus.RUNNING})


class CampaignService(Service):
    """``workspace.campaigns``: a brand's offers and projects."""

    def create(
        self,
        actor: Principal,
        *,
        brand_id: str,
        name: str,
        kind: CampaignKind | str,
        mode: CampaignMode | str,
        start: _dt.datetime,
        end: _dt.datetime,
        timezone: str,
        compensation: Compensation | None = None,
        hashtags: Iterable[str] = (),
        mentions: Iterable[str] = (),
        summary: str = "",
        brief: str = "",
        group_id: str | None = None,
        brand_name: str = "",
        language: str | None = None,
        policies: CampaignPolicies | None = None,
        requirements: BriefRequirements | None = None,
        targeting: Targeting | None = None,
        id: str | None = None,
    ) -> Campaign:
        """Create a draft campaign, possibly from a group of creators. ``language`` is the one
        the SDK's own messages use for all its creators (by default each creator's)."""
        campaign = Campaign.create(
            self._now(),
            id=id or self._new_id("cmp"),
            brand_id=brand_id,
            name=name,
            kind=kind,
            mode=mode,
            window=DateWindow(start, end, timezone),
            compensation=compensation or Compensation(),
            hashtags=tuple(hashtags),
            mentions=tuple(mentions),
            summary=summary,
            brief=brief,
            group_id=group_id,
            brand_name=brand_name,
            language=language,
            policies=policies or CampaignPolicies(),
            requirements=requirements or BriefRequirements(),
            targeting=targeting or Targeting(),
        )
        self._check(actor, Permission.CAMPAIGN_WRITE, campaign_resource(campaign))
        with self._write() as uow:
            if group_id is not None:
                group = uow.groups.get(group_id)
                if group.brand_id != brand_id:
                    raise NotFound("group", group_id)
            uow.campaigns.add(campaign)
        return self._visible(actor, campaign)

    def copy_project(
        self,
        actor: Principal,
        campaign_id: str,
        *,
        name: str,
        hidden: HiddenCreators | str = HiddenCreators.MOVE,
        id: str | None = None,
    ) -> Campaign:
        """A new draft project without the creators whose audience data is hidden or opted
        out, in one transaction (the projects module's advice, issue 17).

        It copies the source project's brief, dates, tracking (hashtags and mentions),
        requirements, compensation, policies and targeting. With ``hidden="move"`` those
        creators leave the source project for the copy (declined if proposed, dropped if
        approved or confirmed, with the reason) and their planned deliverables move with them;
        the source is then the project without them. With ``hidden="leave_out"`` the copy gets
        the source's other creators (at their status, with their planned deliverables) and
        those stay in the source only. The copy's ``origin`` records the source, those
        creators and why."""
        mode = parse_enum(HiddenCreators, "hidden", hidden)
        now = self._now()
        with self._write() as uow:
            source = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.CAMPAIGN_WRITE, campaign_resource(source))
            if mode is HiddenCreators.MOVE and source.status not in _CHANGEABLE:
                raise InvalidTransition(
                    "campaign", source.id, source.status.value, "move its creators"
                )
            still_in = sorted(
                (
                    p
                    for p in uow.participations.find(campaign_id=source.id)
                    if p.status in _STILL_IN
                ),
                key=lambda p: p.creator_id,
            )
            audience = {
                p.creator_id: uow.creators.get(p.creator_id).audience_data for p in still_in
            }
            apart = [p for p in still_in if audience[p.creator_id] is not AudienceDataState.SHARED]
            origin = ProjectOrigin(
                campaign_id=source.id,
                hidden=mode,
                creators=tuple(
                    OriginCreator(p.creator_id, p.id, audience[p.creator_id]) for p in apart
                ),
                copied_at=now,
            )
            copy = Campaign.copy_of(
                now, source, id=id or self._new_id("cmp"), name=name, origin=origin
            )
            uow.campaigns.add(copy)
            taken = (
                apart if mode is HiddenCreators.MOVE else [p for p in still_in if p not in apart]
            )
            why = {c.creator_id: c.reason for c in origin.creators}
            for participation in taken:
                self._take_along(uow, now, copy, participation, why.get(participation.creator_id))
        return self._visible(actor, copy)

    def _take_along(
        self,
        uow: UnitOfWork,
        now: DateTime,
        copy: Campaign,
        participation: Participation,
        moved_because: str | None,
    ) -> None:
        """Put ``participation``'s creator on ``copy`` at its status, with its planned
        deliverables; when ``moved_because`` is given, the creator (and those deliverables)
        leave the source project."""
        joined = Participation.add(
            now,
            copy,
            participation.creator_id,
            participation.source,
            status=participation.status,
            application_id=participation.application_id,
        )
        self._add_participation(uow, joined)
        for planned in uow.deliverables.find(
            participation_id=participation.id, status=DeliverableStatus.PLANNED.value
        ):
            uow.deliverables.add(
                Deliverable.plan(
                    now,
                    id=self._new_id("dlv"),
                    **joined.refs(),
                    platform=planned.platform,
                    format=planned.format,
                    quantity=planned.quantity,
                    planned_on=planned.planned_on,
                    planned_time=planned.planned_time,
                    due_on=planned.due_on,
                    notes=planned.notes,
                )
            )
            if moved_because is not None:
                planned.cancel(now, reason=f"moved to project {copy.id}")
                uow.deliverables.save(planned)
        if moved_because is not None:
            participation.leave_for(now, copy.id, moved_because)
            uow.participations.save(participation)

    def _visible(self, actor: Principal, campaign: Campaign) -> Campaign:
        """The campaign without its internal summary unless ``actor`` may read it (every use
        case returns it so, the changes included: found by the access property, issue 20)."""
        if self._allowed(actor, Permission.CAMPAIGN_INTERNAL_READ, campaign_resource(campaign)):
            return campaign
        return attrs.evolve(campaign, summary="")

    def get(self, actor: Principal, campaign_id: str) -> Campaign:
        """A campaign; the internal summary is only shown to the brand's team."""
        with self._read() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(
                actor, Permission.CAMPAIGN_READ, campaign_resource_for(uow, actor, campaign)
            )
        return self._visible(actor, campaign)

    def list(
        self, actor: Principal, brand_id: str, *, status: CampaignStatus | str | None = None
    ) -> list[Campaign]:
        """A brand's campaigns, optionally of one status, by id."""
        filters: dict[str, Any] = {"brand_id": brand_id}
        if status is not None:
            filters["status"] = parse_enum(CampaignStatus, "status", status).value
        with self._read() as uow:
            found = uow.campaigns.find(**filters)
        return [
            self._visible(actor, c)
            for c in found
            if self._allowed(actor, Permission.CAMPAIGN_READ, campaign_resource(c))
        ]

    def update(self, actor: Principal, campaign_id: str, **changes: Any) -> Campaign:
        """Change the name, brief, requirements, summary, hashtags, mentions, window,
        compensation, policies or targeting.

        Ended, reviewed and cancelled campaigns are frozen.
        """
        with self._write() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.CAMPAIGN_WRITE, campaign_resource(campaign))
            if campaign.update(self._now(), **changes):
                uow.campaigns.save(campaign)
        return self._visible(actor, campaign)

    def _transition(
        self, actor: Principal, campaign_id: str, move: Callable[[Campaign, DateTime], None]
    ) -> Campaign:
        with self._write() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.CAMPAIGN_WRITE, campaign_resource(campaign))
            move(campaign, self._now())
            uow.campaigns.save(campaign)
        return self._visible(actor, campaign)

    def open(self, actor: Principal, campaign_id: str) -> Campaign:
        """Open a marketplace offer to applications."""
        return self._transition(actor, campaign_id, Campaign.open)

    def start(self, actor: Principal, campaign_id: str) -> Campaign:
        """Start the campaign."""
        return self._transition(actor, campaign_id, Campaign.start)

    def end(self, actor: Principal, campaign_id: str) -> Campaign:
        """End the campaign."""
        return self._transition(actor, campaign_id, Campaign.end)

    def review(self, actor: Principal, campaign_id: str) -> Campaign:
        """Close the end-of-campaign review."""
        return self._transition(actor, campaign_id, Campaign.review)

    def cancel(self, actor: Principal, campaign_id: str) -> Campaign:
        """Cancel the campaign before its end."""
        return self._transition(actor, campaign_id, Campaign.cancel)
