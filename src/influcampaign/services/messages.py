"""Use cases of messaging: templates, threads per participation, read state, unread counts."""

from __future__ import annotations

from collections import Counter
from typing import Any

from influcampaign.domain.access import Permission, Resource
from influcampaign.domain.messaging import (
    Author,
    Message,
    MessageTemplate,
    TemplateKind,
    mark_read,
)
from influcampaign.domain.principals import CreatorUser, Principal, SystemActor
from influcampaign.errors import ValidationError
from influcampaign.services._base import (
    Service,
    campaign_resource,
    campaign_resource_for,
    participation_resource,
)

__all__ = ["MessageService"]


def _side(actor: Principal) -> Author:
    if isinstance(actor, CreatorUser):
        return Author.CREATOR
    if isinstance(actor, SystemActor):
        return Author.SYSTEM
    return Author.BRAND


class MessageService(Service):
    """``workspace.messages``: one thread per participation, between the brand and the creator."""

    def save_template(
        self,
        actor: Principal,
        *,
        brand_id: str,
        kind: TemplateKind | str,
        name: str,
        body: str,
        id: str | None = None,
    ) -> MessageTemplate:
        """Create a template, or change the one with ``id``. Placeholders are checked now, not
        when a message goes out: only whitelisted plain ``{name}`` are accepted."""
        self._check(
            actor, Permission.TEMPLATE_WRITE, Resource("templates", brand_id, brand_id=brand_id)
        )
        with self._write() as uow:
            if id is not None and uow.templates.exists(id):
                template = uow.templates.get(id)
                if template.brand_id != brand_id:
                    raise ValidationError("id", id, "is a template of another brand")
                template.change(self._now(), kind=kind, name=name, body=body)
                uow.templates.save(template)
            else:
                template = MessageTemplate.create(
                    self._now(),
                    id=id or self._new_id("tpl"),
                    brand_id=brand_id,
                    kind=kind,
                    name=name,
                    body=body,
                )
                uow.templates.add(template)
        return template

    def templates(
        self, actor: Principal, brand_id: str, *, kind: TemplateKind | str | None = None
    ) -> list[MessageTemplate]:
        """A brand's templates, optionally of one kind."""
        self._check(
            actor, Permission.TEMPLATE_WRITE, Resource("templates", brand_id, brand_id=brand_id)
        )
        filters: dict[str, Any] = {} if kind is None else {"kind": TemplateKind(kind).value}
        with self._read() as uow:
            return uow.templates.find(brand_id=brand_id, **filters)

    def send(
        self, actor: Principal, participation_id: str, body: str, *, campaign_id: str | None = None
    ) -> Message:
        """Add a message to a participation's thread, from the brand or from the creator.

        Pass ``campaign_id`` to make sure the thread is one of that campaign's.
        """
        with self._write() as uow:
            participation = uow.participations.get(participation_id)
            if campaign_id is not None and participation.campaign_id != campaign_id:
                raise ValidationError(
                    "participation_id",
                    participation_id,
                    f"belongs to another campaign than {campaign_id}",
                )
            self._check(
                actor, Permission.MESSAGE_WRITE, participation_resource(participation, "thread")
            )
            author_id = (
                actor.creator_id
                if isinstance(actor, CreatorUser)
                else getattr(actor, "user_id", None)
            )
            return self._post(uow, participation, body, _side(actor), author_id)

    def thread(self, actor: Principal, participation_id: str) -> list[Message]:
        """The messages of a participation, oldest first; those written at the same
        instant in the order they were written."""
        with self._read() as uow:
            self._load_participation(
                uow, actor, Permission.MESSAGE_READ, participation_id, "thread"
            )
            return uow.messages.thread(participation_id)

    def mark_read(self, actor: Principal, participation_id: str) -> int:
        """Mark the thread read by the actor's side; returns how many messages were unread."""
        side = _side(actor)
        with self._write() as uow:
            self._load_participation(
                uow, actor, Permission.MESSAGE_READ, participation_id, "thread"
            )
            flag = "unread_by_creator" if side is Author.CREATOR else "unread_by_brand"
            unread = uow.messages.find(participation_id=participation_id, **{flag: True})  # type: ignore[arg-type]
            mark_read(unread, side, self._now())
            for message in unread:
                uow.messages.save(message)
        return len(unread)

    def unread_counts(self, actor: Principal, campaign_id: str) -> dict[str, int]:
        """Unread messages per participation of a campaign, for the actor's side."""
        with self._read() as uow:
            campaign = uow.campaigns.get(campaign_id)
            if isinstance(actor, CreatorUser):
                self._check(
                    actor, Permission.CAMPAIGN_READ, campaign_resource_for(uow, actor, campaign)
                )
                mine = uow.participations.find(campaign_id=campaign_id, creator_id=actor.creator_id)
                return {
                    p.id: uow.messages.count(participation_id=p.id, unread_by_creator=True)
                    for p in mine
                }
            self._check(actor, Permission.MESSAGE_READ, campaign_resource(campaign))
            unread = uow.messages.find(campaign_id=campaign_id, unread_by_brand=True)
        return dict(Counter(m.participation_id for m in unread))
