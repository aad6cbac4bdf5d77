"""What every service shares: its context, access checks, and workflow helpers."""

from __future__ import annotations

import hashlib
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

import attrs
import pendulum

from influcampaign.domain.access import Permission, Resource
from influcampaign.domain.campaign import Campaign, CampaignMode, CampaignStatus
from influcampaign.domain.creator import Creator
from influcampaign.domain.messaging import Author, Message, MessageTemplate, TemplateKind, render
from influcampaign.domain.participation import (
    Participation,
    ParticipationSource,
    ParticipationStatus,
    participation_id,
)
from influcampaign.domain.principals import CreatorUser, Principal
from influcampaign.errors import AlreadyExists, ConcurrencyConflict, ValidationError
from influcampaign.ports import UnitOfWork
from influcampaign.services._context import ExchangeRates, ServiceContext

if TYPE_CHECKING:
    from influcampaign.services.sales import SalesService

__all__ = [
    "MoneyReadService",
    "Service",
    "campaign_resource",
    "campaign_resource_for",
    "days_after",
    "participation_resource",
    "stable_id",
]


def stable_id(prefix: str, *parts: str) -> str:
    """A deterministic id for something that must exist once per ``parts`` (a job, say)."""
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
    return f"{prefix}_{digest}"


def days_after(moment: pendulum.DateTime, days: int, timezone: str) -> pendulum.DateTime:
    """``days`` calendar days after ``moment`` in ``timezone`` (same local time across DST)."""
    return moment.in_timezone(timezone).add(days=days).in_timezone("UTC")


def participation_resource(participation: Participation, kind: str = "participation") -> Resource:
    """The access-control view of anything that belongs to one participation."""
    return Resource(
        kind,
        participation.id,
        brand_id=participation.brand_id,
        creator_id=participation.creator_id,
        campaign_id=participation.campaign_id,
    )


_PUBLIC = frozenset({CampaignStatus.OPEN, CampaignStatus.RUNNING})


def campaign_resource(campaign: Campaign) -> Resource:
    """The access-control view of a campaign (a marketplace offer in progress is public)."""
    return Resource(
        "campaign",
        campaign.id,
        brand_id=campaign.brand_id,
        campaign_id=campaign.id,
        public=campaign.mode is CampaignMode.MARKETPLACE and campaign.status in _PUBLIC,
    )


def campaign_resource_for(uow: UnitOfWork, actor: Principal, campaign: Campaign) -> Resource:
    """The campaign's resource as ``actor`` sees it: a creator who takes part in it (in any
    status) reads it as its own, even when it is a private project."""
    resource = campaign_resource(campaign)
    if isinstance(actor, CreatorUser) and uow.participations.exists(
        participation_id(campaign.id, actor.creator_id)
    ):
        return attrs.evolve(resource, creator_id=actor.creator_id)
    return resource


class Service:
    """Base of the services hung on a Workspace (``ws.creators``, ``ws.campaigns`` …): each
    is given a :class:`ServiceContext`, and by name whatever else it uses."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def _now(self) -> pendulum.DateTime:
        return self._context.now()

    def _new_id(self, prefix: str) -> str:
        return self._context.ids.new(prefix)

    def _write(self) -> AbstractContextManager[UnitOfWork]:
        """A unit of work for a use case that changes something (a savepoint when bound)."""
        return self._context.units.write()

    def _read(self) -> AbstractContextManager[UnitOfWork]:
        """A unit of work for a use case that only reads."""
        return self._context.units.read()

    def _check(self, actor: Principal, permission: Permission, resource: Resource) -> None:
        self._context.access.check(actor, permission, resource)

    def _load_participation(
        self,
        uow: UnitOfWork,
        actor: Principal,
        permission: Permission,
        participation_id: str,
        kind: str = "participation",
    ) -> Participation:
        """Participation ``participation_id``, once ``actor`` is allowed ``permission`` on it
        (seen as a ``kind``: its thread, content, shipment …)."""
        participation = uow.participations.get(participation_id)
        self._check(actor, permission, participation_resource(participation, kind))
        return participation

    def _allowed(self, actor: Principal, permission: Permission, resource: Resource) -> bool:
        return self._context.access.allows(actor, permission, resource)

    # -- messages, shared by the workflow services -------------------------------------

    def _template(
        self, uow: UnitOfWork, brand_id: str, template_id: str | None, kind: TemplateKind
    ) -> MessageTemplate | None:
        """The template asked for (it must be the brand's), else the brand's first of ``kind``."""
        if template_id is not None:
            template = uow.templates.get(template_id)
            if template.brand_id != brand_id:
                raise ValidationError("template_id", template_id, "belongs to another brand")
            return template
        found = uow.templates.find(brand_id=brand_id, kind=kind.value, limit=1)
        return found[0] if found else None

    def _compose(
        self,
        uow: UnitOfWork,
        campaign: Campaign,
        creator: Creator,
        *,
        kind: TemplateKind,
        template_id: str | None = None,
        message: str | None = None,
        default: str | None = None,
        **values: str,
    ) -> str:
        """A message text: a template rendered (with ``message`` as its ``{message}``), the
        free ``message`` itself, or ``default``; a missing placeholder value is an error."""
        context = {
            "creator_name": creator.display_name,
            "campaign_name": campaign.name,
            "brand": campaign.brand,
            **({"message": message} if message else {}),
            **values,
        }
        explicit = template_id is not None
        template = self._template(uow, campaign.brand_id, template_id, kind)
        if template is not None and (explicit or message is None):
            return template.render(context)
        if message is not None and message.strip():
            return message.strip()
        if default is not None:
            return render(default, context)
        raise ValidationError("message", message, "give a personal message or a template")

    def _post(
        self,
        uow: UnitOfWork,
        participation: Participation,
        body: str,
        author: Author,
        author_id: str | None = None,
    ) -> Message:
        """Add a message to a participation's thread, with its event; its ``sequence`` is
        its rank in the thread, counted in this unit of work (messages written at the same
        instant keep the order they were written in)."""
        written = len(uow.messages.find(participation_id=participation.id))
        message = Message.write(
            self._now(),
            id=self._new_id("msg"),
            **participation.refs(),
            author=author,
            author_id=author_id,
            body=body,
            sequence=written + 1,
        )
        uow.messages.add(message)
        return message

    # -- participations, shared by applications and the creator list ----------------------

    def _add_participation(
        self,
        uow: UnitOfWork,
        campaign: Campaign,
        creator_id: str,
        source: ParticipationSource,
        *,
        status: ParticipationStatus = ParticipationStatus.PROPOSED,
        application_id: str | None = None,
    ) -> Participation:
        """Put a creator on a campaign (its one participation), with the event."""
        uow.creators.get(creator_id)
        participation = Participation.add(
            self._now(), campaign, creator_id, source, status=status, application_id=application_id
        )
        try:
            uow.participations.add(participation)
        except AlreadyExists as e:
            # Callers look first, so another process added it since: a retry decides again.
            raise ConcurrencyConflict("participation", participation.id, 0, None) from e
        return participation


class MoneyReadService(Service):
    """A service whose reads value money: it converts with the exchange ``rates`` and reads
    sales through the sales service's public reads (``sales``)."""

    def __init__(
        self, context: ServiceContext, *, rates: ExchangeRates, sales: SalesService
    ) -> None:
        super().__init__(context)
        self._rates = rates
        self._sales_reports = sales
