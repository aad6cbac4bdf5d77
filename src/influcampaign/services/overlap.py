"""Use cases of audience overlap: a campaign's creators, their overlap and a reach plan."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from influcampaign.domain._validate import parse_enum
from influcampaign.domain.access import Permission
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
        return overlap_report(audiences, engine=engine, excluded=excluded, std_devs=std_devs)

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
        budget (each creator's cost from ``costs``, by default the campaign's compensation:
        fee plus product value)."""
        from influcampaign.analytics.planner import plan_reach

        report = self.for_campaign(actor, campaign_id, source, platform=platform, engine="exact")
        if report.histogram is None:  # pragma: no cover - the exact engine always has one
            raise ValidationError("engine", report.engine, "the planner needs exact audiences")
        if budget is not None and costs is None:
            with self._read() as uow:
                compensation = uow.campaigns.get(campaign_id).compensation
            parts = [m for m in (compensation.fee, compensation.product_value) if m is not None]
            if not parts:
                raise ValidationError("costs", None, "the campaign has no compensation to cost")
            each = Money.sum(parts, parts[0].currency)
            costs = dict.fromkeys(report.creator_ids, each)
        return report, plan_reach(
            report.histogram, max_creators=max_creators, budget=budget, costs=costs
        )
