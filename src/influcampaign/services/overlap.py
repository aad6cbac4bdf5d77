"""Use cases of audience overlap: a campaign's creators, their overlap and a reach plan."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from influcampaign.domain._validate import parse_enum
from influcampaign.domain.access import Permission
from influcampaign.domain.costs import CostStatus
from influcampaign.domain.creator import AudienceDataState, Platform, parse_platform
from influcampaign.domain.money import Money
from influcampaign.domain.participation import ParticipationStatus
from influcampaign.domain.principals import Principal
from influcampaign.errors import ValidationError
from influcampaign.services._base import Service, campaign_resource

if TYPE_CHECKING:  # numpy is imported when overlap is first used, not with the workspace
    from influcampaign.analytics.audiences import AudienceData, AudienceSource
    from influcampaign.analytics.overlap import OverlapReport
    from influcampaign.analytics.planner import ReachPlan

__all__ = ["OverlapService"]

_OUT = frozenset({ParticipationStatus.DECLINED, ParticipationStatus.DROPPED})

_WHY = {
    AudienceDataState.HIDDEN: "verified account whose followers are masked by the platform",
    AudienceDataState.OPTED_OUT: "the creator refused to share its audience; it is never read",
}


class OverlapService(Service):
    """``workspace.overlap``: the audience overlap of a campaign's creators, from audience
    data the host keeps (an :class:`~influcampaign.analytics.audiences.AudienceSource`)."""

    def for_campaign(
        self,
        actor: Principal,
        campaign_id: str,
        source: AudienceSource,
        *,
        platform: Platform | str = Platform.INSTAGRAM,
        engine: str = "auto",
        statuses: Iterable[ParticipationStatus | str] | None = None,
        std_devs: int = 2,
    ) -> OverlapReport:
        """The overlap of the campaign's creators on ``platform`` (by default every creator
        still in it: proposed, approved, confirmed or completed). Creators who opted out are
        never read; those hidden or without data are listed as excluded, with their state."""
        from influcampaign.analytics.overlap import Excluded, overlap_report

        platform = parse_platform(platform)
        with self._read() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.CAMPAIGN_INTERNAL_READ, campaign_resource(campaign))
            wanted = (
                None
                if statuses is None
                else {parse_enum(ParticipationStatus, "statuses", s) for s in statuses}
            )
            participations = sorted(
                (
                    p
                    for p in uow.participations.find(campaign_id=campaign_id)
                    if (p.status in wanted if wanted is not None else p.status not in _OUT)
                ),
                key=lambda p: (p.joined_at, p.creator_id),
            )
            creators = [uow.creators.get(p.creator_id) for p in participations]
        audiences: dict[str, AudienceData] = {}
        excluded: list[Excluded] = []
        for creator in creators:
            state = creator.audience_data
            if state is not AudienceDataState.SHARED:
                excluded.append(Excluded(creator.id, state.value, _WHY[state]))
                continue
            data = source.audience(creator.id, platform)
            if data is None:
                excluded.append(
                    Excluded(creator.id, "no data", f"no {platform.value} audience data")
                )
            else:
                audiences[creator.id] = data
        report = overlap_report(audiences, engine=engine, excluded=excluded, std_devs=std_devs)
        return attrs.evolve(report, names={c.id: c.display_name for c in creators})

    def plan(
        self,
        actor: Principal,
        campaign_id: str,
        source: AudienceSource,
        *,
        platform: Platform | str = Platform.INSTAGRAM,
        max_creators: int | None = None,
        budget: Money | None = None,
        costs: Mapping[str, Money] | None = None,
    ) -> tuple[OverlapReport, ReachPlan]:
        """The creators of the campaign that maximise distinct reach under a count or a
        budget. Each creator costs what ``costs`` says, by default what the campaign plans to
        spend on it: its costs that are not cancelled (fees, products, shipping), or, for a
        creator without any, the campaign's compensation (fee plus product value)."""
        from influcampaign.analytics.planner import plan_reach

        report = self.for_campaign(actor, campaign_id, source, platform=platform, engine="exact")
        if report.histogram is None:  # pragma: no cover - the exact engine always has one
            raise ValidationError("engine", report.engine, "the planner needs exact audiences")
        if budget is not None and costs is None:
            costs = self._planned_costs(campaign_id, report.creator_ids, budget.currency)
        return report, plan_reach(
            report.histogram, max_creators=max_creators, budget=budget, costs=costs
        )

    def _planned_costs(
        self, campaign_id: str, creator_ids: Sequence[str], currency: str
    ) -> dict[str, Money]:
        """What the campaign spends on each creator: its live costs, else the compensation."""
        with self._read() as uow:
            compensation = uow.campaigns.get(campaign_id).compensation
            planned = [
                c
                for c in uow.costs.find(campaign_id=campaign_id)
                if c.status is not CostStatus.CANCELLED and c.creator_id is not None
            ]
        parts = [m for m in (compensation.fee, compensation.product_value) if m is not None]
        default = Money.sum(parts, parts[0].currency) if parts else None
        by_creator: dict[str, list[Money]] = {}
        for cost in planned:
            by_creator.setdefault(cost.creator_id or "", []).append(cost.amount)
        costs: dict[str, Money] = {}
        for creator_id in creator_ids:
            own = by_creator.get(creator_id)
            if own:
                costs[creator_id] = Money.sum(own, currency)
            elif default is not None:
                costs[creator_id] = default
            else:
                raise ValidationError(
                    "costs", None, f"{creator_id} has no cost and the campaign no compensation"
                )
        return costs
