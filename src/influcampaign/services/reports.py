"""Use cases of the money report: the brands' EMV rate cards, and a campaign's report
(budget, EMV, sales, ROI by EMV and by sales, forecast vs actual, segments)."""

from __future__ import annotations

import builtins
from collections.abc import Sequence

from influcampaign.analytics.forecast import ForecastModel
from influcampaign.analytics.report import (
    CampaignReport,
    ContentFigures,
    CostBasis,
    CreatorProfile,
    ReportInputs,
    SalesFigures,
    SegmentLine,
    report_of,
    segments_of,
)
from influcampaign.domain.access import Permission, Resource
from influcampaign.domain.campaign import Campaign
from influcampaign.domain.costs import Cost
from influcampaign.domain.deliverable import DeliverableStatus
from influcampaign.domain.emv import BrandRateCard, RateCard, RateCardBook, default_rate_card
from influcampaign.domain.money import Money
from influcampaign.domain.participation import TAKING_PART
from influcampaign.domain.principals import Principal
from influcampaign.errors import NotFound, ValidationError
from influcampaign.ports import UnitOfWork
from influcampaign.services._base import MoneyReadService, Service, campaign_resource, stable_id
from influcampaign.services.costs import budget_currency
from influcampaign.services.sales import NO_CURRENCY

__all__ = ["RateCardService", "ReportService", "load_book", "report_currency"]


def _brand(brand_id: str) -> Resource:
    return Resource("rate cards", brand_id, brand_id=brand_id)


def rate_card_id(brand_id: str, name: str, version: int) -> str:
    """The store id of one version of a brand's card."""
    return stable_id("emv", brand_id, name, str(version))


def load_book(
    uow: UnitOfWork, brand_id: str, name: str | None, currency: str | None = None
) -> RateCardBook:
    """The brand's card ``name`` (all its versions), or when None the shipped default card
    in ``currency`` (USD when none ships in it, or no currency is given)."""
    if name is None:
        return RateCardBook(default_rate_card(currency or "USD"))
    cards = [r.card for r in uow.rate_cards.find(brand_id=brand_id, name=name)]
    if not cards:
        raise NotFound("rate card", name)
    return RateCardBook(tuple(cards))


class RateCardService(Service):
    """``workspace.rate_cards``: the EMV rate cards a brand defines, version by version."""

    def define(self, actor: Principal, brand_id: str, card: RateCard) -> RateCard:
        """Add a version of a card. Its validity must not overlap the card's other versions,
        and its version number must follow theirs; a version is never changed once defined
        (define the next one)."""
        if not isinstance(card, RateCard):
            raise ValidationError("card", card, "must be a RateCard")
        self._check(actor, Permission.RATE_CARD_WRITE, _brand(brand_id))
        with self._write() as uow:
            others = [r.card for r in uow.rate_cards.find(brand_id=brand_id, name=card.name)]
            RateCardBook((*others, card))  # refuses overlaps and repeated versions
            uow.rate_cards.add(
                BrandRateCard.define(
                    self._now(),
                    id=rate_card_id(brand_id, card.name, card.version),
                    brand_id=brand_id,
                    card=card,
                )
            )
        return card

    def book(self, actor: Principal, brand_id: str, name: str | None = None) -> RateCardBook:
        """Every version of the brand's card ``name`` (None: the shipped default card)."""
        self._check(actor, Permission.CAMPAIGN_INTERNAL_READ, _brand(brand_id))
        with self._read() as uow:
            return load_book(uow, brand_id, name)

    def names(self, actor: Principal, brand_id: str) -> builtins.list[str]:
        """The names of the brand's cards."""
        self._check(actor, Permission.CAMPAIGN_INTERNAL_READ, _brand(brand_id))
        with self._read() as uow:
            return sorted({r.card.name for r in uow.rate_cards.find(brand_id=brand_id)})


class ReportService(MoneyReadService):
    """``workspace.reports``: the numbers a brand decides with."""

    def campaign(
        self,
        actor: Principal,
        campaign_id: str,
        *,
        cost_basis: CostBasis | str = CostBasis.COMMITTED,
        draws: int = 10_000,
        seed: int = 0,
        model: ForecastModel | None = None,
    ) -> CampaignReport:
        """The report of a campaign as of now, for brand members who read its costs.

        ROI divides by the costs on ``cost_basis`` (committed or paid by default); the
        forecast runs ``draws`` seeded draws (the same seed gives the same figures).
        """
        basis = _basis(cost_basis)
        with self._read() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.COST_READ, campaign_resource(campaign))
            self._check(actor, Permission.CAMPAIGN_INTERNAL_READ, campaign_resource(campaign))
            taking_part = [
                p.creator_id
                for p in uow.participations.find(campaign_id=campaign_id)
                if p.status in TAKING_PART
            ]
            creators = {c: uow.creators.get(c) for c in taking_part}
            costs = uow.costs.find(campaign_id=campaign_id)
            deliverables = uow.deliverables.find(
                campaign_id=campaign_id, status=DeliverableStatus.PLANNED.value
            )
            submissions = uow.submissions.find(campaign_id=campaign_id)
            declared = budget_currency(campaign, costs)
            book = load_book(
                uow,
                campaign.brand_id,
                campaign.policies.emv.card,
                None if declared == NO_CURRENCY else declared,
            )
        currency = report_currency(campaign, costs, book)
        sales = self._sales(actor, campaign, currency)
        return report_of(
            ReportInputs(
                campaign,
                creators,
                costs,
                deliverables,
                submissions,
                book,
                sales,
                self._rates.as_function(),
                currency=currency,
                cost_basis=basis,
                draws=draws,
                seed=seed,
                model=model,
            )
        )

    def segments(
        self,
        actor: Principal,
        campaign_ids: Sequence[str],
        *,
        cost_basis: CostBasis | str = CostBasis.COMMITTED,
    ) -> builtins.list[SegmentLine]:
        """Compare segments of creators over several campaigns of one brand (in one
        currency): which tiers, compensations, themes, platforms and formats did best."""
        if isinstance(campaign_ids, str) or not campaign_ids:
            raise ValidationError("campaign_ids", campaign_ids, "give a list of campaign ids")
        profiles: builtins.list[CreatorProfile] = []
        contents: builtins.list[ContentFigures] = []
        currencies: set[str] = set()
        for campaign_id in campaign_ids:
            report = self.campaign(actor, campaign_id, cost_basis=cost_basis, draws=1)
            currencies.add(report.currency)
            profiles.extend(report.profiles)
            contents.extend(report.content_figures)
        if len(currencies) > 1:
            raise ValidationError(
                "campaign_ids", list(campaign_ids), f"report in several currencies {currencies}"
            )
        return segments_of(profiles, contents, currencies.pop())

    # -- helpers -------------------------------------------------------------------------

    def _sales(
        self, actor: Principal, campaign: Campaign, currency: str
    ) -> dict[str, SalesFigures]:
        report = self._sales_reports.report(actor, campaign.id)
        if report.currency != currency and report.total.orders + report.total.cancelled:
            raise ValidationError(
                "policies.attribution.currency",
                report.currency,
                f"sales are reported in {report.currency} but costs in {currency}: set the "
                "campaign's reporting currency",
            )
        return {
            creator: SalesFigures(
                line.net
                if line.net is not None and line.currency == currency
                else Money.zero(currency),
                line.clicks,
                line.orders,
            )
            for creator, line in report.per_creator.items()
        }


def report_currency(campaign: Campaign, costs: Sequence[Cost], book: RateCardBook) -> str:
    """The currency a campaign's report is in: its reporting currency, else its rate
    card's."""
    currency = budget_currency(campaign, list(costs))
    return book.cards[-1].currency if currency == NO_CURRENCY else currency


def _basis(value: CostBasis | str) -> CostBasis:
    try:
        return CostBasis(value)
    except ValueError:
        raise ValidationError("cost_basis", value, "must be planned, committed or paid") from None
