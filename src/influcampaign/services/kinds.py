"""What a campaign's kind sets up for its creators, by its kind policy (issue 23).

Contests and brand events apply theirs as they go (the brief check, an accepted guest's
coverage and reminders); a sales-tracking campaign equips its confirmed creators with a
tracked link and a promo code, which :meth:`KindService.equip` does — again and again as
creators confirm, adding only what is missing.
"""

from __future__ import annotations

import attrs

from influcampaign.domain.access import Permission
from influcampaign.domain.campaign import CampaignKind
from influcampaign.domain.participation import ParticipationStatus
from influcampaign.domain.principals import Principal
from influcampaign.domain.tracking import PromoCode, TrackedLink
from influcampaign.services._base import Service, campaign_resource
from influcampaign.services._context import ServiceContext
from influcampaign.services.tracking import LinkService, PromoCodeService

__all__ = ["Equipped", "KindService"]


@attrs.frozen
class Equipped:
    """What :meth:`KindService.equip` added: links and codes (none when all were there)."""

    links: tuple[TrackedLink, ...] = ()
    codes: tuple[PromoCode, ...] = ()


class KindService(Service):
    """``workspace.kinds``: the defaults a campaign's kind sets up for its creators."""

    def __init__(
        self, context: ServiceContext, *, links: LinkService, codes: PromoCodeService
    ) -> None:
        super().__init__(context)
        self._links = links
        self._codes = codes

    def equip(self, actor: Principal, campaign_id: str) -> Equipped:
        """For a sales-tracking campaign: give every confirmed creator without one a tracked
        link to the kind policy's ``sales_link_destination`` (when set) and a promo code of
        ``sales_percent_off`` percent, as the policy's ``sales_links`` / ``sales_codes`` say.
        Other kinds get nothing. Idempotent: run it after creators confirm."""
        with self._read() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.TRACKING_WRITE, campaign_resource(campaign))
            if campaign.kind is not CampaignKind.SALES_TRACKING:
                return Equipped()
            confirmed = [
                p.id
                for p in uow.participations.find(campaign_id=campaign_id)
                if p.status is ParticipationStatus.CONFIRMED
            ]
            with_link = {link.participation_id for link in uow.links.find(campaign_id=campaign_id)}
            with_code = {c.participation_id for c in uow.promo_codes.find(campaign_id=campaign_id)}
        policy = campaign.policies.kinds
        links: list[TrackedLink] = []
        codes: list[PromoCode] = []
        for participation_id in confirmed:
            destination = policy.sales_link_destination
            if policy.sales_links and destination and participation_id not in with_link:
                links.append(self._links.create(actor, participation_id, landing_url=destination))
            if policy.sales_codes and participation_id not in with_code:
                codes.append(
                    self._codes.create(
                        actor, participation_id, percent_off=policy.sales_percent_off
                    )
                )
        return Equipped(tuple(links), tuple(codes))
