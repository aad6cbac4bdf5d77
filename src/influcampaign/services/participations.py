"""Use cases of participations: the creator list, its approval by colleagues or a client, and
each creator's way through the campaign."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from influcampaign.domain._validate import check_id, parse_enum
from influcampaign.domain.access import Permission
from influcampaign.domain.campaign import Campaign, CampaignStatus
from influcampaign.domain.events import CreatorListSubmitted
from influcampaign.domain.participation import (
    Participation,
    ParticipationAction,
    ParticipationSource,
    ParticipationStatus,
    Verdict,
    participation_id,
)
from influcampaign.domain.principals import BrandMember, ClientReviewer, CreatorUser, Principal
from influcampaign.errors import (
    AlreadyExists,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from influcampaign.ports import UnitOfWork
from influcampaign.services._base import Service, campaign_resource, participation_resource

__all__ = ["CreatorListStatus", "ParticipationService", "PendingCreator"]

_RESPOND = Permission.PARTICIPATION_RESPOND  # the creator's answers (or the brand's for it)

_OPEN_CAMPAIGN = frozenset({CampaignStatus.DRAFT, CampaignStatus.OPEN, CampaignStatus.RUNNING})


@attrs.frozen
class PendingCreator:
    """A creator of the list still waiting, and why (approvals missing, audience data hidden …)."""

    participation: Participation
    reason: str


@attrs.frozen
class CreatorListStatus:
    """Who is confirmed, approved, pending or declined on a campaign's creator list."""

    campaign_id: str
    confirmed: tuple[Participation, ...]
    approved: tuple[Participation, ...]
    pending: tuple[PendingCreator, ...]
    declined: tuple[Participation, ...]
    other: tuple[Participation, ...]  # completed or dropped


def _reviewer_id(actor: Principal) -> str:
    if isinstance(actor, ClientReviewer):
        return f"client:{actor.reviewer_id}"
    if isinstance(actor, BrandMember):
        return f"member:{actor.user_id}"
    raise PermissionDenied(str(actor), Permission.LIST_REVIEW.value, "creator lists")


class ParticipationService(Service):
    """``workspace.participations``: the campaign's creators and the approval of the list."""

    def add(self, actor: Principal, campaign_id: str, creator_id: str) -> Participation:
        """Put a creator on the list by hand (proposed, awaiting approval)."""
        with self._write() as uow:
            campaign = self._writable_campaign(uow, actor, campaign_id)
            uow.creators.get(creator_id)
            pid = participation_id(campaign.id, creator_id)
            if uow.participations.exists(pid):
                raise AlreadyExists("participation", pid)
            return self._add_participation(uow, campaign, creator_id, ParticipationSource.MANUAL)

    def invite_group(
        self, actor: Principal, campaign_id: str, group_id: str | None = None
    ) -> list[Participation]:
        """Put every creator of a group (by default the campaign's own) on the list; those already
        on it are left as they are. Returns the participations added."""
        with self._write() as uow:
            campaign = self._writable_campaign(uow, actor, campaign_id)
            chosen = group_id or campaign.group_id
            if chosen is None:
                raise ValidationError(
                    "group_id", None, "the campaign was not created from a group; name one"
                )
            group = uow.groups.get(chosen)
            if group.brand_id != campaign.brand_id:
                raise NotFound("group", chosen)
            return [
                self._add_participation(uow, campaign, creator_id, ParticipationSource.GROUP)
                for creator_id in group.creator_ids
                if not uow.participations.exists(participation_id(campaign.id, creator_id))
            ]

    def submit_for_approval(
        self, actor: Principal, campaign_id: str, reviewer_ids: Iterable[str]
    ) -> list[Participation]:
        """Send the proposed creators to reviewers (colleagues or a client); returns them."""
        reviewers = tuple(check_id("reviewer_ids", r) for r in reviewer_ids)
        if not reviewers:
            raise ValidationError("reviewer_ids", reviewers, "name at least one reviewer")
        with self._write() as uow:
            campaign = self._writable_campaign(uow, actor, campaign_id)
            proposed = uow.participations.find(
                campaign_id=campaign.id, status=ParticipationStatus.PROPOSED.value
            )
            if not proposed:
                raise ValidationError(
                    "campaign_id", campaign_id, "has no proposed creator to approve"
                )
            uow.emit(
                CreatorListSubmitted(
                    occurred_at=self._now(),
                    campaign_id=campaign.id,
                    participation_ids=tuple(p.id for p in proposed),
                    reviewer_ids=reviewers,
                )
            )
        return proposed

    def review(
        self, actor: Principal, participation_id: str, verdict: Verdict | str, *, comment: str = ""
    ) -> Participation:
        """A reviewer approves or rejects a proposed creator, with a comment. Under the campaign's
        list-approval policy, enough approvals approve it, one rejection declines it."""
        decision = parse_enum(Verdict, "verdict", verdict)
        with self._write() as uow:
            participation = self._load_participation(
                uow, actor, Permission.LIST_REVIEW, participation_id
            )
            campaign = uow.campaigns.get(participation.campaign_id)
            creator = uow.creators.get(participation.creator_id)
            participation.review(
                self._now(),
                reviewer_id=_reviewer_id(actor),
                verdict=decision,
                comment=comment,
                policy=campaign.policies.list_approval,
                audience=creator.audience_data,
            )
            uow.participations.save(participation)
        return participation

    def confirm(self, actor: Principal, participation_id: str) -> Participation:
        """The creator (or the brand for it) confirms taking part."""
        return self._move(actor, participation_id, ParticipationAction.CONFIRM, "", _RESPOND)

    def decline(
        self, actor: Principal, participation_id: str, *, reason: str = ""
    ) -> Participation:
        """The creator (or the brand for it) declines."""
        return self._move(actor, participation_id, ParticipationAction.DECLINE, reason, _RESPOND)

    def complete(self, actor: Principal, participation_id: str) -> Participation:
        """The brand marks a creator's part of the campaign done."""
        return self._move(
            actor, participation_id, ParticipationAction.COMPLETE, "", Permission.CAMPAIGN_WRITE
        )

    def drop(self, actor: Principal, participation_id: str, *, reason: str = "") -> Participation:
        """The brand removes a creator who was in."""
        return self._move(
            actor, participation_id, ParticipationAction.DROP, reason, Permission.CAMPAIGN_WRITE
        )

    def get(self, actor: Principal, participation_id: str) -> Participation:
        """A participation (for its creator, the brand's team and the campaign's reviewers)."""
        with self._read() as uow:
            participation = uow.participations.get(participation_id)
        self._check(actor, Permission.PARTICIPATION_READ, participation_resource(participation))
        return participation

    def list(
        self, actor: Principal, campaign_id: str, *, status: ParticipationStatus | str | None = None
    ) -> list[Participation]:
        """The participations of a campaign ``actor`` may read (a creator: only its own)."""
        filters: dict[str, Any] = (
            {}
            if status is None
            else {"status": parse_enum(ParticipationStatus, "status", status).value}
        )
        if isinstance(actor, CreatorUser):
            filters["creator_id"] = actor.creator_id
        with self._read() as uow:
            found = uow.participations.find(campaign_id=campaign_id, **filters)
        return [
            p
            for p in found
            if self._allowed(actor, Permission.PARTICIPATION_READ, participation_resource(p))
        ]

    def list_status(self, actor: Principal, campaign_id: str) -> CreatorListStatus:
        """Where the creator list stands: confirmed, approved, pending (and why), declined."""
        with self._read() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.PARTICIPATION_READ, campaign_resource(campaign))
            everyone = uow.participations.find(campaign_id=campaign_id)
            pending = []
            for p in everyone:
                if p.status is ParticipationStatus.PROPOSED:
                    audience = uow.creators.get(p.creator_id).audience_data
                    _, why = p.list_outcome(campaign.policies.list_approval, audience)
                    pending.append(PendingCreator(p, why))
        by_status = {s: tuple(p for p in everyone if p.status is s) for s in ParticipationStatus}
        return CreatorListStatus(
            campaign_id=campaign_id,
            confirmed=by_status[ParticipationStatus.CONFIRMED],
            approved=by_status[ParticipationStatus.APPROVED],
            pending=tuple(pending),
            declined=by_status[ParticipationStatus.DECLINED],
            other=by_status[ParticipationStatus.COMPLETED] + by_status[ParticipationStatus.DROPPED],
        )

    # -- helpers ---------------------------------------------------------------------

    def _writable_campaign(self, uow: UnitOfWork, actor: Principal, campaign_id: str) -> Campaign:
        campaign = uow.campaigns.get(campaign_id)
        self._check(actor, Permission.CAMPAIGN_WRITE, campaign_resource(campaign))
        if campaign.status not in _OPEN_CAMPAIGN:
            raise InvalidTransition(
                "campaign", campaign.id, campaign.status.value, "change its creator list"
            )
        return campaign

    def _move(
        self,
        actor: Principal,
        participation_id: str,
        action: ParticipationAction,
        reason: str,
        permission: Permission,
    ) -> Participation:
        with self._write() as uow:
            participation = self._load_participation(uow, actor, permission, participation_id)
            participation.move(self._now(), action, reason)
            uow.participations.save(participation)
        return participation
