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
from influcampaign.domain.principals import Principal
from influcampaign.domain.targeting import Targeting
from influcampaign.errors import NotFound
from influcampaign.services._base import Service, campaign_resource, campaign_resource_for

__all__ = ["CampaignService", "campaign_resource"]


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
