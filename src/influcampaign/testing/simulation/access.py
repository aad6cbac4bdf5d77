"""What a principal reads of a campaign is what the access policy allows."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from influcampaign.domain.access import AccessPolicy, Permission, Resource
from influcampaign.domain.calendar import EntryKind
from influcampaign.domain.campaign import CampaignMode, CampaignStatus
from influcampaign.domain.principals import Principal, SystemActor
from influcampaign.errors import InflucampaignError, PermissionDenied
from influcampaign.services.workspace import Workspace
from influcampaign.testing.simulation.model import BRAND
from influcampaign.testing.simulation.read_models import _typed

# -- access -----------------------------------------------------------------------------------


def _check_access(ws: Workspace, actor: Principal, campaign_id: str, creator: str | None) -> None:
    """``actor`` reads what the policy allows, is refused (PermissionDenied) what it denies,
    and lists hold only what it may read."""
    policy: AccessPolicy = ws.access
    system = SystemActor()
    loaded = ws.campaigns.get(system, campaign_id)
    public = loaded.mode is CampaignMode.MARKETPLACE and loaded.status in (
        CampaignStatus.OPEN,
        CampaignStatus.RUNNING,
    )
    campaign = Resource(
        "campaign", campaign_id, brand_id=BRAND, campaign_id=campaign_id, public=public
    )
    participations = ws.participations.list(system, campaign_id)

    def owned(kind: str, p: Any) -> Resource:
        return Resource(
            kind, p.id, brand_id=p.brand_id, creator_id=p.creator_id, campaign_id=p.campaign_id
        )

    def expect(allowed: bool, call: Callable[[], Any], what: str) -> Any:
        try:
            value = call()
        except PermissionDenied:
            assert not allowed, f"{actor} was refused {what}, which the policy allows"
            return None
        except InflucampaignError:
            return None
        assert allowed, f"{actor} read {what}, which the policy denies"
        return value

    for p in participations:
        expect(
            policy.allows(actor, Permission.MESSAGE_READ, owned("thread", p)),
            functools.partial(ws.messages.thread, actor, p.id),
            f"the thread of {p.id}",
        )
        expect(
            policy.allows(actor, Permission.PARTICIPATION_READ, owned("participation", p)),
            functools.partial(ws.participations.get, actor, p.id),
            f"participation {p.id}",
        )
    expect(
        policy.allows(actor, Permission.COST_READ, campaign),
        lambda: ws.costs.budget(actor, campaign_id),
        "the budget",
    )
    expect(
        policy.allows(actor, Permission.COST_READ, campaign)
        and policy.allows(actor, Permission.CAMPAIGN_INTERNAL_READ, campaign),
        lambda: ws.reports.campaign(actor, campaign_id, draws=4),
        "the campaign report",
    )
    expect(
        policy.allows(actor, Permission.REVIEW_READ, campaign),
        lambda: ws.reviews.list(actor, campaign_id),
        "the reviews",
    )
    expect(
        policy.allows(
            actor, Permission.REVIEW_READ, Resource("relationship history", BRAND, brand_id=BRAND)
        ),
        lambda: ws.history.brand(actor, BRAND, money=False),
        "the relationship history",
    )
    readable = {
        p.id
        for p in participations
        if policy.allows(actor, Permission.SALES_READ, owned("participation", p))
    }
    sales = _typed(lambda: ws.sales.report(actor, campaign_id))
    if not isinstance(sales, InflucampaignError) and not policy.allows(
        actor, Permission.SALES_READ, campaign
    ):
        mine = {p.creator_id for p in participations if p.id in readable}
        assert set(sales.per_creator) <= mine, (
            f"{actor} read the sales of {set(sales.per_creator) - mine}"
        )
    costs = _typed(lambda: ws.costs.list(actor, campaign_id))
    if not isinstance(costs, InflucampaignError) and not policy.allows(
        actor, Permission.COST_READ, campaign
    ):
        allowed = {
            p.id
            for p in participations
            if policy.allows(actor, Permission.COST_READ, owned("cost", p))
        }
        assert all(c.participation_id in allowed for c in costs), f"{actor} read others' costs"
    listed = ws.participations.list(actor, campaign_id)
    for p in listed:
        assert policy.allows(actor, Permission.PARTICIPATION_READ, owned("participation", p)), (
            f"{actor} listed participation {p.id}"
        )
    calendar = _typed(lambda: ws.calendar.for_campaigns(actor, [campaign_id]))
    if not isinstance(calendar, InflucampaignError):
        visible = {
            p.id
            for p in participations
            if policy.allows(actor, Permission.PARTICIPATION_READ, owned("content", p))
        }
        for entry in (*calendar.entries, *calendar.unscheduled):
            if entry.kind is EntryKind.EVENT:  # the campaign's event, not a participation's
                continue
            assert entry.participation_id in visible, f"{actor} saw {entry.uid} in the calendar"
    if creator is not None:
        found = _typed(lambda: ws.creators.get(actor, creator))
        if not isinstance(found, InflucampaignError):
            reader = Resource("creator", creator, creator_id=creator)
            if not policy.allows(actor, Permission.CONTACT_READ, reader):
                assert found.contact is None, f"{actor} read the contact of {creator}"
