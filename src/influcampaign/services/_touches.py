"""The touches of an order (its promo codes, its signed click, its landing page), read from
the store one by one or from what a bulk import loaded at once: one code for both paths."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Protocol

import pendulum

from influcampaign.domain.campaign import Campaign
from influcampaign.domain.orders import OrderPlacement, TouchKind
from influcampaign.domain.tokens import SigningKeys
from influcampaign.domain.tracking import Click, PromoCode, TrackedLink, utm_of
from influcampaign.errors import SignatureError
from influcampaign.ports import UnitOfWork
from influcampaign.rules.attribution import Touch
from influcampaign.services.tracking import promo_code_id

__all__ = ["LoadedTouches", "StoreTouches", "TouchSource", "order_touches"]

log = logging.getLogger("influcampaign.sales")


class TouchSource(Protocol):
    """Where the aggregates an order may point at are read from."""

    def promo_code(self, id: str) -> PromoCode | None:
        """The promo code with this id, or None."""
        ...

    def click(self, id: str) -> Click | None:
        """The click with this id, or None."""
        ...

    def link(self, id: str) -> TrackedLink | None:
        """The tracked link with this id, or None."""
        ...

    def campaign(self, id: str) -> Campaign:
        """The campaign with this id."""
        ...


class StoreTouches:
    """Touches read one by one from a unit of work (the per-order path)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._campaigns: dict[str, Campaign] = {}

    def promo_code(self, id: str) -> PromoCode | None:
        """The promo code, or None."""
        return self._uow.promo_codes.get(id) if self._uow.promo_codes.exists(id) else None

    def click(self, id: str) -> Click | None:
        """The click, or None."""
        return self._uow.clicks.get(id) if self._uow.clicks.exists(id) else None

    def link(self, id: str) -> TrackedLink | None:
        """The link, or None."""
        return self._uow.links.get(id) if self._uow.links.exists(id) else None

    def campaign(self, id: str) -> Campaign:
        """The campaign (read once)."""
        if id not in self._campaigns:
            self._campaigns[id] = self._uow.campaigns.get(id)
        return self._campaigns[id]


class LoadedTouches:
    """Touches from aggregates loaded in bulk (the import path); campaigns on demand."""

    def __init__(
        self,
        uow: UnitOfWork,
        promo_codes: Mapping[str, PromoCode],
        clicks: Mapping[str, Click],
        links: Mapping[str, TrackedLink],
    ) -> None:
        self._uow = uow
        self._promo_codes = promo_codes
        self._clicks = clicks
        self._links = links
        self._campaigns: dict[str, Campaign] = {}

    def promo_code(self, id: str) -> PromoCode | None:
        """The promo code, or None."""
        return self._promo_codes.get(id)

    def click(self, id: str) -> Click | None:
        """The click, or None."""
        return self._clicks.get(id)

    def link(self, id: str) -> TrackedLink | None:
        """The link, or None."""
        return self._links.get(id)

    def load_campaigns(self, ids: set[str]) -> None:
        """Read the campaigns not read yet, at once."""
        missing = sorted(ids - set(self._campaigns))
        self._campaigns.update(self._uow.campaigns.get_many(missing))

    def campaign(self, id: str) -> Campaign:
        """The campaign (read once)."""
        if id not in self._campaigns:
            self._campaigns[id] = self._uow.campaigns.get(id)
        return self._campaigns[id]


def order_touches(
    source: TouchSource,
    keys: SigningKeys | None,
    order_id: str,
    brand_id: str,
    placement: OrderPlacement,
) -> tuple[list[Touch], list[str]]:
    """The touches of a placed order, with notes on what was refused (a bad click id)."""
    touches: list[Touch] = []
    notes: list[str] = []

    def touch(
        kind: TouchKind,
        pid: str,
        cid: str,
        crid: str,
        at: pendulum.DateTime,
        detail: str,
        since: pendulum.DateTime,
    ) -> None:
        campaign = source.campaign(cid)
        policy = campaign.policies.attribution
        touches.append(
            Touch(
                kind,
                pid,
                cid,
                crid,
                at,
                detail,
                policy.rule,
                policy.window_days,
                since=since,
                campaign_start=campaign.window.start,
                campaign_end=campaign.window.end,
            )
        )

    for code in placement.discount_codes:
        promo = source.promo_code(promo_code_id(brand_id, code))
        if promo is not None and promo.active:
            touch(
                TouchKind.CODE,
                promo.participation_id,
                promo.campaign_id,
                promo.creator_id,
                placement.created_at,
                promo.code,
                promo.created_at,
            )
    click_id = verified_click(keys, order_id, placement, notes)
    if click_id is not None:
        click = source.click(click_id)
        link = None if click is None else source.link(click.link_id)
        if click is not None and link is not None and link.brand_id == brand_id:
            touch(
                TouchKind.CLICK,
                click.participation_id,
                click.campaign_id,
                click.creator_id,
                click.at,
                link.slug,
                link.created_at,
            )
    landing = landing_link_id(placement)
    if landing is not None:
        link = source.link(landing)
        if link is not None and link.brand_id == brand_id and link.active:
            touch(
                TouchKind.LANDING,
                link.participation_id,
                link.campaign_id,
                link.creator_id,
                placement.created_at,
                link.slug,
                link.created_at,
            )
    return touches, notes


def verified_click(
    keys: SigningKeys | None, order_id: str, placement: OrderPlacement, notes: list[str]
) -> str | None:
    """The click id the order's signed token carries (None: none, or refused, noted)."""
    if not placement.click_token or keys is None:
        return None
    try:
        return keys.verify(placement.click_token)
    except SignatureError as e:
        notes.append(f"click id refused: {e.reason}")
        log.warning("order %s: click id refused (%s)", order_id, e.reason)
        return None


def landing_link_id(placement: OrderPlacement) -> str | None:
    """The tracked link of the order's landing page (its ``utm_content``), if any."""
    content = utm_of(placement.landing_site).get("utm_content")
    return f"lnk_{content}" if content else None
