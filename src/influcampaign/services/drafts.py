"""Use cases of drafts before publication: a creator submits a draft and revises it, the
brand approves it or requests changes; each version gets the brief check. When the content
is published (submitted or captured), the submission path compares it with the approved
draft."""

from __future__ import annotations

import builtins
from collections.abc import Iterable

import attrs
import pendulum

from influcampaign.domain._validate import parse_enum
from influcampaign.domain.access import Permission
from influcampaign.domain.campaign import Campaign
from influcampaign.domain.creator import Platform
from influcampaign.domain.deliverable import ContentFormat
from influcampaign.domain.drafts import Draft, DraftVersion
from influcampaign.domain.participation import Participation
from influcampaign.domain.principals import Principal, actor_id
from influcampaign.errors import InvalidTransition
from influcampaign.ports import UnitOfWork
from influcampaign.rules.brief_check import BriefCheck
from influcampaign.services._base import Service, participation_resource

__all__ = ["DraftService"]


def _version(
    uow: UnitOfWork,
    now: pendulum.DateTime,
    campaign: Campaign,
    participation: Participation,
    format: ContentFormat,
    *,
    caption: str,
    on_screen_text: str,
    first_comment: str,
    media: Iterable[str],
) -> DraftVersion:
    """A draft version (numbered by the draft) with its brief check, the creator's active
    promo codes and tracked links counted as theirs."""
    version = DraftVersion(
        0,
        now,
        caption=caption,
        on_screen_text=on_screen_text,
        first_comment=first_comment,
        media=tuple(media),
    )
    pid = participation.id
    report = BriefCheck.for_campaign(campaign).check(
        version.caption,
        first_comment=version.first_comment,
        on_screen_text=version.on_screen_text,
        format=format,
        promo_codes=[c.code for c in uow.promo_codes.find(participation_id=pid) if c.active],
        links=[link.slug for link in uow.links.find(participation_id=pid) if link.active],
    )
    return attrs.evolve(version, brief_check=report)


class DraftService(Service):
    """``workspace.drafts``: drafts approved before publication, version by version."""

    def submit(
        self,
        actor: Principal,
        participation_id: str,
        *,
        platform: Platform | str,
        format: ContentFormat | str,
        caption: str = "",
        on_screen_text: str = "",
        first_comment: str = "",
        media: Iterable[str] = (),
    ) -> Draft:
        """A creator's draft for the brand's approval (caption, on-screen text, media
        references), checked against the brief."""
        now = self._now()
        with self._write() as uow:
            participation = uow.participations.get(participation_id)
            self._check(
                actor, Permission.CONTENT_SUBMIT, participation_resource(participation, "content")
            )
            if not participation.is_active:
                raise InvalidTransition(
                    "participation", participation.id, participation.status.value, "submit a draft"
                )
            fmt = parse_enum(ContentFormat, "format", format)
            draft = Draft.submit(
                now,
                id=self._new_id("dft"),
                **participation.refs(),
                platform=platform,
                format=fmt,
                content=_version(
                    uow,
                    now,
                    uow.campaigns.get(participation.campaign_id),
                    participation,
                    fmt,
                    caption=caption,
                    on_screen_text=on_screen_text,
                    first_comment=first_comment,
                    media=media,
                ),
            )
            uow.drafts.add(draft)
        return draft

    def revise(
        self,
        actor: Principal,
        draft_id: str,
        *,
        caption: str = "",
        on_screen_text: str = "",
        first_comment: str = "",
        media: Iterable[str] = (),
    ) -> Draft:
        """A new version of a draft (after changes were asked for, or before any verdict);
        every version is kept."""
        now = self._now()
        with self._write() as uow:
            draft, participation = self._load(uow, actor, draft_id, Permission.CONTENT_SUBMIT)
            campaign = uow.campaigns.get(draft.campaign_id)
            draft.revise(
                now,
                _version(
                    uow,
                    now,
                    campaign,
                    participation,
                    draft.format,
                    caption=caption,
                    on_screen_text=on_screen_text,
                    first_comment=first_comment,
                    media=media,
                ),
            )
            uow.drafts.save(draft)
        return draft

    def approve(self, actor: Principal, draft_id: str, *, comments: str = "") -> Draft:
        """The brand approves the latest version: it may be published as it is."""
        now = self._now()
        with self._write() as uow:
            draft, _ = self._load(uow, actor, draft_id, Permission.CONTENT_VALIDATE)
            draft.approve(now, by=actor_id(actor), comments=comments)
            uow.drafts.save(draft)
        return draft

    def request_changes(self, actor: Principal, draft_id: str, *, comments: str) -> Draft:
        """The brand sends the latest version back with comments."""
        now = self._now()
        with self._write() as uow:
            draft, _ = self._load(uow, actor, draft_id, Permission.CONTENT_VALIDATE)
            draft.request_changes(now, by=actor_id(actor), comments=comments)
            uow.drafts.save(draft)
        return draft

    def get(self, actor: Principal, draft_id: str) -> Draft:
        """One draft, with its versions, reviews and publications."""
        with self._read() as uow:
            draft, _ = self._load(uow, actor, draft_id, Permission.PARTICIPATION_READ)
        return draft

    def list(self, actor: Principal, participation_id: str) -> builtins.list[Draft]:
        """The drafts of one participation, oldest first."""
        with self._read() as uow:
            participation = uow.participations.get(participation_id)
            self._check(
                actor,
                Permission.PARTICIPATION_READ,
                participation_resource(participation, "content"),
            )
            found = uow.drafts.find(participation_id=participation_id)
        return sorted(found, key=lambda d: (d.versions[0].at, d.id))

    def _load(
        self, uow: UnitOfWork, actor: Principal, draft_id: str, permission: Permission
    ) -> tuple[Draft, Participation]:
        draft = uow.drafts.get(draft_id)
        participation = uow.participations.get(draft.participation_id)
        self._check(actor, permission, participation_resource(participation, "content"))
        return draft, participation
