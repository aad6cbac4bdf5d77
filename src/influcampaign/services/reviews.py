"""Use cases of what a brand learns: end-of-campaign reviews and the retrospective
(``workspace.reviews``), creators' relationship history and reactivation lists
(``workspace.history``), and ranking creators for an offer (``workspace.matching``)."""

from __future__ import annotations

import builtins
import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from influcampaign.analytics.history import (
    CampaignRecord,
    CreatorHistory,
    Retrospective,
    RetrospectivePolicy,
    collaboration_of,
    creator_histories,
    retrospective,
)
from influcampaign.analytics.matching import (
    CreatorPool,
    PastPerformance,
    Ranking,
    RefusalSignal,
    rank,
)
from influcampaign.analytics.report import emv_of
from influcampaign.domain._validate import from_fields, parse_enum
from influcampaign.domain.access import Permission, Resource
from influcampaign.domain.application import ApplicationStatus
from influcampaign.domain.campaign import Campaign, CampaignStatus
from influcampaign.domain.creator import Tier, TierPolicy
from influcampaign.domain.money import Money
from influcampaign.domain.participation import JOINED, participation_id
from influcampaign.domain.principals import Principal, actor_id
from influcampaign.domain.review import CreatorReview, Ratings, ReactivationTag, parse_tags
from influcampaign.domain.scheduling import JobKind, JobStatus
from influcampaign.domain.targeting import MatchWeights
from influcampaign.errors import InvalidTransition, ValidationError
from influcampaign.ports import UnitOfWork
from influcampaign.services._base import MoneyReadService, Service, campaign_resource, stable_id
from influcampaign.services.reports import load_book
from influcampaign.services.sales import sales_currency

__all__ = [
    "HistoryService",
    "MatchingService",
    "ReactivationLine",
    "ReviewService",
    "review_id",
]

_ENDED = frozenset({CampaignStatus.ENDED, CampaignStatus.REVIEWED})


def review_id(campaign_id: str, creator_id: str) -> str:
    """The id of a creator's review for one campaign (one review each; rating again
    replaces it)."""
    return stable_id("rev", campaign_id, creator_id)


def _brand(brand_id: str) -> Resource:
    return Resource("relationship history", brand_id, brand_id=brand_id)


def _ratings(value: Ratings | Mapping[str, int]) -> Ratings:
    return from_fields(Ratings, "ratings", value, "rated criterion")


def _record(uow: UnitOfWork, campaign: Campaign) -> CampaignRecord:
    """Everything a campaign holds about its creators (without money)."""
    participations = uow.participations.find(campaign_id=campaign.id)
    reminders = [
        job
        for p in participations
        for job in uow.jobs.find(
            subject_id=p.id,
            kind=JobKind.PUBLICATION_REMINDER.value,
            status=JobStatus.DONE.value,
        )
    ]
    return CampaignRecord(
        campaign,
        participations,
        uow.applications.find(campaign_id=campaign.id),
        uow.deliverables.find(campaign_id=campaign.id),
        uow.submissions.find(campaign_id=campaign.id),
        uow.reviews.find(campaign_id=campaign.id),
        reminders,
    )


class ReviewService(Service):
    """``workspace.reviews``: rate the creators of an ended campaign, and its retrospective."""

    def rate(
        self,
        actor: Principal,
        campaign_id: str,
        creator_id: str,
        *,
        ratings: Ratings | Mapping[str, int],
        work_again: bool,
        tags: Iterable[ReactivationTag | str] = (),
        note: str = "",
    ) -> CreatorReview:
        """Review a creator who was in the campaign, once the campaign has ended (and until
        its review is closed with ``workspace.campaigns.review``). Rating again replaces the
        earlier review. The note is private to the brand's team."""
        with self._write() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.REVIEW_WRITE, campaign_resource(campaign))
            if campaign.status is not CampaignStatus.ENDED:
                raise InvalidTransition(
                    "campaign", campaign_id, campaign.status.value, "review a creator"
                )
            pid = participation_id(campaign_id, creator_id)
            if not uow.participations.exists(pid) or (
                uow.participations.get(pid).status not in JOINED
            ):
                raise ValidationError(
                    "creator_id", creator_id, f"was not in campaign {campaign_id}"
                )
            review = CreatorReview.rate(
                self._now(),
                id=review_id(campaign_id, creator_id),
                campaign_id=campaign_id,
                brand_id=campaign.brand_id,
                creator_id=creator_id,
                ratings=_ratings(ratings),
                work_again=work_again,
                reviewed_by=actor_id(actor),
                tags=parse_tags(tags),
                note=note,
            )
            if uow.reviews.exists(review.id):
                review.version = uow.reviews.get(review.id).version
                uow.reviews.save(review)
            else:
                uow.reviews.add(review)
        return review

    def get(self, actor: Principal, campaign_id: str, creator_id: str) -> CreatorReview:
        """A creator's review for one campaign; NotFound before it is reviewed."""
        with self._read() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.REVIEW_READ, campaign_resource(campaign))
            return uow.reviews.get(review_id(campaign_id, creator_id))

    def list(self, actor: Principal, campaign_id: str) -> builtins.list[CreatorReview]:
        """The reviews of a campaign's creators, by creator id."""
        with self._read() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.REVIEW_READ, campaign_resource(campaign))
            found = uow.reviews.find(campaign_id=campaign_id)
        return sorted(found, key=lambda r: r.creator_id)

    def retrospective(
        self, actor: Principal, campaign_id: str, *, policy: RetrospectivePolicy | None = None
    ) -> Retrospective:
        """What an ended campaign teaches: late deliveries, low-compliance contents,
        unanswered reminders, and what to adjust next time (gift value, deadlines, brief)."""
        if policy is not None and not isinstance(policy, RetrospectivePolicy):
            raise ValidationError("policy", policy, "must be a RetrospectivePolicy")
        with self._read() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.CAMPAIGN_INTERNAL_READ, campaign_resource(campaign))
            if campaign.status not in _ENDED:
                raise InvalidTransition(
                    "campaign", campaign_id, campaign.status.value, "write the retrospective"
                )
            record = _record(uow, campaign)
        return retrospective(record, policy)


@attrs.frozen
class ReactivationLine:
    """A creator the brand would work with again, with why and what on."""

    creator_id: str
    display_name: str
    tier: Tier
    themes: frozenset[str]
    tags: frozenset[ReactivationTag]
    rating: Decimal | None
    joined: int
    last_campaign_id: str
    note: str


def _brand_records(
    uow: UnitOfWork, brand_id: str, *, skip: str | None = None
) -> builtins.list[CampaignRecord]:
    """The records of the brand's campaigns past their draft (but ``skip``)."""
    return [
        _record(uow, c)
        for c in uow.campaigns.find(brand_id=brand_id)
        if c.status is not CampaignStatus.DRAFT and c.id != skip
    ]


class HistoryService(MoneyReadService):
    """``workspace.history``: what the brand knows of each creator across its campaigns."""

    def _with_money(
        self, actor: Principal, uow: UnitOfWork, record: CampaignRecord
    ) -> CampaignRecord:
        """The record with each joined creator's EMV (in the currency of the campaign's
        rate card, so that history needs no exchange rate) and sales (as reported)."""
        campaign = record.campaign
        joined = {p.creator_id for p in record.participations if p.status in JOINED}
        book = load_book(
            uow, campaign.brand_id, campaign.policies.emv.card, sales_currency(campaign)
        )
        currency = book.cards[-1].currency
        contents = [s for s in record.submissions if s.creator_id in joined]
        emv = emv_of(contents, book, currency, self._rates.as_function()).per_creator
        sales: dict[str, Money] = {}
        if self._allowed(actor, Permission.SALES_READ, campaign_resource(campaign)):
            report = self._sales_reports.report(actor, campaign.id)
            sales = {
                c: line.net
                for c, line in report.per_creator.items()
                if line.net is not None and c in joined
            }
        return attrs.evolve(record, emv=emv, sales=sales)

    def brand(
        self, actor: Principal, brand_id: str, *, money: bool = True
    ) -> dict[str, CreatorHistory]:
        """Every creator's history with the brand (who applied to or took part in one of
        its campaigns), by creator id; ``money`` adds EMV and sales (slower)."""
        self._check(actor, Permission.REVIEW_READ, _brand(brand_id))
        with self._read() as uow:
            records = _brand_records(uow, brand_id)
            if money:
                records = [self._with_money(actor, uow, r) for r in records]
        return creator_histories(brand_id, records)

    def creator(self, actor: Principal, brand_id: str, creator_id: str) -> CreatorHistory:
        """One creator's history with the brand: campaigns joined, applications and their
        outcomes, on-time rate, compliance, EMV and sales brought, ratings."""
        self._check(actor, Permission.REVIEW_READ, _brand(brand_id))
        with self._read() as uow:
            uow.creators.get(creator_id)
            records = [
                self._with_money(actor, uow, r)
                for r in _brand_records(uow, brand_id)
                if any(p.creator_id == creator_id for p in r.participations)
                or any(a.creator_id == creator_id for a in r.applications)
            ]
        found = creator_histories(brand_id, records, [creator_id])
        return found.get(creator_id) or _no_history(brand_id, creator_id)

    def reactivation(
        self,
        actor: Principal,
        brand_id: str,
        *,
        tags: Iterable[ReactivationTag | str] = (),
        tiers: Iterable[Tier | str] = (),
        themes: Iterable[str] = (),
        tier_policy: TierPolicy | None = None,
    ) -> builtins.list[ReactivationLine]:
        """Creators whose latest review says to work with them again, with any of ``tags``,
        in one of ``tiers`` (by their current followers) and covering any of ``themes``;
        best rated first, then by id."""
        wanted_tags = parse_tags(tags)
        wanted_tiers = _tiers(tiers)
        wanted_themes = {t.strip().casefold() for t in _strings("themes", themes)}
        policy = tier_policy or TierPolicy()
        histories = self.brand(actor, brand_id, money=False)
        lines = []
        with self._read() as uow:
            for creator_id, history in histories.items():
                if history.work_again is not True:
                    continue
                if wanted_tags and not wanted_tags & history.tags:
                    continue
                creator = uow.creators.get(creator_id)
                tier = creator.tier(policy)
                if wanted_tiers and tier not in wanted_tiers:
                    continue
                if wanted_themes and not wanted_themes & creator.themes:
                    continue
                latest = next(
                    line for line in reversed(history.campaigns) if line.review is not None
                )
                assert latest.review is not None
                lines.append(
                    ReactivationLine(
                        creator_id,
                        creator.display_name,
                        tier,
                        creator.themes,
                        history.tags,
                        history.rating,
                        history.joined,
                        latest.campaign_id,
                        latest.review.note,
                    )
                )
        return sorted(lines, key=lambda r: (-(r.rating or Decimal(0)), r.creator_id))


def _no_history(brand_id: str, creator_id: str) -> CreatorHistory:
    """The history of a creator the brand never worked with."""
    return CreatorHistory(
        creator_id=creator_id,
        brand_id=brand_id,
        campaigns=(),
        applications={"applied": 0},
        refusal_reasons={},
        joined=0,
        completed=0,
        delivered=0,
        on_time=0,
        on_time_rate=None,
        compliance=None,
        emv={},
        sales={},
        ratings={},
        rating=None,
        reviews=0,
        work_again=None,
        tags=frozenset(),
        collaborations=frozenset(),
    )


def _strings(field: str, values: Any) -> builtins.list[str]:
    if isinstance(values, str):
        raise ValidationError(field, values, "must be a collection, not one string")
    result = builtins.list(values)
    for value in result:
        if not isinstance(value, str):
            raise ValidationError(field, value, "must be a string")
    return result


def _tiers(values: Any) -> frozenset[Tier]:
    return frozenset(parse_enum(Tier, "tiers", value) for value in _strings("tiers", values))


def past_performance(history: CreatorHistory) -> PastPerformance:
    """What ranking uses of a creator's history with the brand."""
    return PastPerformance(
        rating=None if history.rating is None else float(history.rating),
        on_time_rate=None if history.on_time_rate is None else float(history.on_time_rate),
        compliance=None if history.compliance is None else float(history.compliance),
        work_again=history.work_again,
        tags=history.tags,
        collaborations=history.collaborations,
    )


class MatchingService(Service):
    """``workspace.matching``: rank creators for an offer, learning from the brand's
    history and from its refusals on the offer."""

    def rank(
        self,
        actor: Principal,
        campaign_id: str,
        *,
        creator_ids: Sequence[str] | None = None,
        limit: int | None = 50,
        weights: MatchWeights | None = None,
    ) -> Ranking:
        """Rank the creators of the store (or ``creator_ids``) for the campaign's targeting,
        under its matching policy (``weights`` overrides its weights). Creators who already
        applied or are on the list are not ranked; refused ones teach the ranking."""
        if weights is not None and not isinstance(weights, MatchWeights):
            raise ValidationError("weights", weights, "must be MatchWeights")
        if isinstance(creator_ids, str):
            raise ValidationError("creator_ids", creator_ids, "must be a list of creator ids")
        with self._read() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.CAMPAIGN_INTERNAL_READ, campaign_resource(campaign))
            self._check(actor, Permission.REVIEW_READ, _brand(campaign.brand_id))
            applications = uow.applications.find(campaign_id=campaign_id)
            participations = uow.participations.find(campaign_id=campaign_id)
            refused_ids = {
                a.creator_id for a in applications if a.status is ApplicationStatus.REFUSED
            }
            if creator_ids is None:
                creators = uow.creators.find()
            else:
                wanted = set(creator_ids) | refused_ids
                creators = [uow.creators.get(c) for c in sorted(wanted)]
            records = _brand_records(uow, campaign.brand_id, skip=campaign_id)
        policy = campaign.policies.matching
        if weights is not None:
            policy = attrs.evolve(policy, weights=weights)
        quick = _dt.timedelta(hours=policy.quick_refusal_hours)
        signals = [
            RefusalSignal(a.creator_id, a.refusal_reason, (a.time_to_decision or quick) <= quick)
            for a in sorted(applications, key=lambda a: (a.decided_at or a.applied_at, a.id))
            if a.status is ApplicationStatus.REFUSED and a.refusal_reason is not None
        ]
        histories = creator_histories(campaign.brand_id, records)
        return rank(
            CreatorPool(c.redacted() for c in creators),
            campaign.targeting,
            tiers=campaign.policies.tiers,
            policy=policy,
            collaboration=collaboration_of(campaign),
            past={c: past_performance(h) for c, h in histories.items()},
            refusals=signals,
            in_campaign={a.creator_id for a in applications}
            | {p.creator_id for p in participations},
            limit=limit,
            campaign_id=campaign_id,
        )
