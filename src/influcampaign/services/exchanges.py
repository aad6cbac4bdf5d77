"""Use cases of exchanges (issue 17): the brand logs its contacts with a creator outside the
message thread (a call, an email, a meeting, a note) and reads them back, if its role allows."""

from __future__ import annotations

import builtins
import datetime as _dt
from typing import Any

from influcampaign.domain.access import Permission, Resource
from influcampaign.domain.exchanges import Exchange, ExchangeChannel
from influcampaign.domain.principals import Principal, actor_id
from influcampaign.errors import NotFound
from influcampaign.services._base import Service

__all__ = ["ExchangeService", "exchange_resource"]


def exchange_resource(brand_id: str, creator_id: str) -> Resource:
    """The resource of a brand's exchanges with one creator (only the brand's roles allowed
    to reach it; the creator reads them through its privacy export)."""
    return Resource("exchanges", creator_id, brand_id=brand_id)


class ExchangeService(Service):
    """``workspace.exchanges``: the brand's log of contacts with creators outside the thread."""

    def log(
        self,
        actor: Principal,
        *,
        brand_id: str,
        creator_id: str,
        channel: ExchangeChannel | str,
        summary: str,
        happened_at: _dt.datetime,
        by: str | None = None,
        contact: str = "",
        campaign_id: str | None = None,
    ) -> Exchange:
        """Log a contact with a creator: how (``channel``), what was said, when it happened
        (not after now), who of the brand had it (``by``, by default the actor), whom on the
        creator's side (``contact``; empty: the creator itself) and, optionally, about which
        of the brand's campaigns."""
        self._check(actor, Permission.EXCHANGE_WRITE, exchange_resource(brand_id, creator_id))
        now = self._now()
        with self._write() as uow:
            uow.creators.get(creator_id)
            if campaign_id is not None and uow.campaigns.get(campaign_id).brand_id != brand_id:
                raise NotFound("campaign", campaign_id)
            exchange = Exchange.log(
                now,
                id=self._new_id("exc"),
                brand_id=brand_id,
                creator_id=creator_id,
                channel=channel,
                summary=summary,
                by=actor_id(actor) if by is None else by,
                happened_at=happened_at,
                contact=contact,
                campaign_id=campaign_id,
                logged_by=actor_id(actor),
            )
            uow.exchanges.add(exchange)
        return exchange

    def list(
        self,
        actor: Principal,
        *,
        brand_id: str,
        creator_id: str,
        campaign_id: str | None = None,
    ) -> builtins.list[Exchange]:
        """The brand's exchanges with a creator (optionally about one campaign), in the order
        they happened."""
        self._check(actor, Permission.EXCHANGE_READ, exchange_resource(brand_id, creator_id))
        filters: dict[str, Any] = {"brand_id": brand_id, "creator_id": creator_id}
        if campaign_id is not None:
            filters["campaign_id"] = campaign_id
        with self._read() as uow:
            return uow.exchanges.find(order_by="happened_at_us", **filters)

    def get(self, actor: Principal, exchange_id: str) -> Exchange:
        """One exchange."""
        with self._read() as uow:
            exchange = uow.exchanges.get(exchange_id)
        self._check(
            actor,
            Permission.EXCHANGE_READ,
            exchange_resource(exchange.brand_id, exchange.creator_id),
        )
        return exchange
