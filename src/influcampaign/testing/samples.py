"""One valid sample builder per aggregate kind, for contract tests that run over every kind.

``sample(spec_or_kind, n)`` is the n-th distinct, valid aggregate of a kind. Its indexed
values cycle with ``n`` over a few values each (mixed case, so that code-point order shows,
and None where the field is nullable), so that over ``n = 0..5`` equal and different index
values both occur. Ids do not sort in ``n`` order. Pairs a store keeps unique (one live
application, one participation per campaign and creator) never repeat, whatever ``n``.

>>> from influcampaign.testing.samples import sample
>>> [sample("creator", n).country for n in range(4)]
['FR', None, 'GB', 'FR']
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, overload

import attrs
from hypothesis import strategies as st

from influcampaign.adapters._aggregates import SPECS, AggregateSpec
from influcampaign.domain.application import Application, ApplicationStatus
from influcampaign.domain.campaign import (
    Campaign,
    CampaignKind,
    CampaignMode,
    CampaignStatus,
    Compensation,
    DateWindow,
)
from influcampaign.domain.content import Submission
from influcampaign.domain.costs import Cost, CostKind, CostStatus
from influcampaign.domain.creator import AudienceDataState, AudienceStats, Creator, Platform
from influcampaign.domain.deliverable import ContentFormat, Deliverable, DeliverableStatus
from influcampaign.domain.emv import BrandRateCard, EmvAction, EmvRate, RateCard
from influcampaign.domain.group import Group
from influcampaign.domain.messaging import Author, Message, MessageTemplate, TemplateKind
from influcampaign.domain.money import Money
from influcampaign.domain.orders import Order, WebhookReceipt
from influcampaign.domain.participation import (
    Participation,
    ParticipationSource,
    ParticipationStatus,
    participation_id,
)
from influcampaign.domain.project_copy import HiddenCreators, OriginCreator, ProjectOrigin
from influcampaign.domain.review import CreatorReview, Ratings, ReactivationTag
from influcampaign.domain.scheduling import Job, JobKind, JobStatus
from influcampaign.domain.shipment import Shipment, ShipmentItem, ShipmentStatus
from influcampaign.domain.tracking import Click, PromoCode, TrackedLink, Utm
from influcampaign.testing import strategies as ics
from influcampaign.testing._feature_samples import (
    _audit_entry,
    _brand_event,
    _commission,
    _contest,
    _contest_entry,
    _draft,
    _earned_mention,
    _exchange,
    _statement,
    _usage_rights,
)
from influcampaign.testing._sample_parts import (
    T0,
    T,
    _brand,
    _campaign,
    _cycle,
    _id,
    _of_participation,
    _paired_creator,
    _participation,
)

__all__ = ["BUILDERS", "aggregates", "sample", "spec_of"]


def _creator(n: int) -> Creator:
    return Creator(
        id=_id("cre", n),
        display_name=f"Creator {n}",
        handles={"instagram": f"creator{n}"},
        audience={"instagram": AudienceStats(followers=1_000 * (n + 1), engagement_rate=0.04)},
        themes=frozenset({_cycle(n, "food", "travel")}),
        country=_cycle(n, "FR", None, "GB"),
        audience_data=_cycle(n // 2, *AudienceDataState),
        created_at=T0,
    )


def _group(n: int) -> Group:
    return Group(
        id=_id("grp", n),
        brand_id=_cycle(n // 2, "brand_a", "brand_B"),
        name=f"Group {n}",
        creator_ids=tuple(f"cre_{i}" for i in range(n % 3)),
    )


def _campaign_sample(n: int) -> Campaign:
    return Campaign(
        id=_id("cmp", n),
        brand_id=_brand(n),
        name=f"Campaign {n}",
        kind=_cycle(n, *CampaignKind),
        mode=_cycle(n, CampaignMode.MARKETPLACE, CampaignMode.PROJECT),
        window=DateWindow(T0, T0.add(days=30), "Europe/Paris"),
        compensation=Compensation(fee=Money.of(100 + n, "EUR")),
        hashtags=(f"#Spring{n}",),
        status=_cycle(n // 2, CampaignStatus.DRAFT, CampaignStatus.RUNNING, CampaignStatus.ENDED),
        created_at=T0,
        origin=_cycle(n, None, None, None, _origin(n)),
    )


def _origin(n: int) -> ProjectOrigin:
    return ProjectOrigin(
        campaign_id=_campaign(n),
        hidden=_cycle(n // 4, HiddenCreators.MOVE, HiddenCreators.LEAVE_OUT),
        creators=(OriginCreator(f"cre_{n}", _participation(n), AudienceDataState.HIDDEN),),
        copied_at=T0,
    )


def _application(n: int) -> Application:
    status = _cycle(
        n,
        ApplicationStatus.PENDING,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.REFUSED,
        ApplicationStatus.PENDING,
        ApplicationStatus.WITHDRAWN,
    )
    decided = status is not ApplicationStatus.PENDING
    return Application(
        id=_id("app", n),
        campaign_id=_campaign(n),
        brand_id="brand_a",
        creator_id=_paired_creator(n),
        applied_at=T0.add(hours=n % 3),
        pitch=f"Pitch {n}",
        status=status,
        decided_at=T0.add(days=1) if decided else None,
        decided_by="u_1" if decided else None,
    )


def _participation_sample(n: int) -> Participation:
    campaign, creator = _campaign(n), _paired_creator(n)
    return Participation(
        id=participation_id(campaign, creator),
        campaign_id=campaign,
        brand_id="brand_a",
        creator_id=creator,
        source=_cycle(n, *ParticipationSource),
        joined_at=T0,
        status=_cycle(
            n // 2,
            ParticipationStatus.PROPOSED,
            ParticipationStatus.CONFIRMED,
            ParticipationStatus.DECLINED,
        ),
    )


def _shipment(n: int) -> Shipment:
    status = _cycle(n // 2, ShipmentStatus.TO_PREPARE, ShipmentStatus.SHIPPED)
    shipped = status is not ShipmentStatus.TO_PREPARE
    return Shipment(
        **_of_participation("shp", n),
        items=(ShipmentItem("Serum", 1 + n % 2, Money.of("24.90", "EUR")),),
        status=status,
        carrier="Colissimo" if shipped else None,
        tracking_number=f"6A{n:08d}" if shipped else None,
        created_at=T0,
        shipped_at=T0.add(days=1) if shipped else None,
        ship_to=f"{n} rue des Lilas, 75011 Paris" if n % 3 else None,
    )


def _message(n: int) -> Message:
    return Message(
        **_of_participation("msg", n, creator="cre_1"),
        author=_cycle(n, Author.CREATOR, Author.BRAND, Author.SYSTEM),
        body=f"Hello {n}",
        sent_at=T0.add(minutes=n // 2),
        read_by_brand_at=T0.add(hours=1) if n % 4 == 3 else None,
        read_by_creator_at=T0.add(hours=1) if n % 2 == 1 else None,
        sequence=n + 1,
    )


def _template(n: int) -> MessageTemplate:
    return MessageTemplate(
        id=_id("tpl", n),
        brand_id=_brand(n),
        kind=_cycle(n // 2, TemplateKind.WELCOME, TemplateKind.REMINDER),
        name=f"Template {n}",
        body="Hello {creator_name}, welcome to {campaign_name}!",
    )


def _submission(n: int) -> Submission:
    return Submission(
        **_of_participation("sub", n),
        url=f"https://instagram.com/p/post{n}",
        platform=Platform.INSTAGRAM,
        format=_cycle(n, ContentFormat.POST, ContentFormat.REEL),
        published_at=T0,
        submitted_at=T0.add(hours=1),
        caption=f"Caption {n} #Spring",
        is_video=n % 2 == 1,
    )


def _job(n: int) -> Job:
    status = _cycle(n, JobStatus.PENDING, JobStatus.PENDING, JobStatus.DONE, JobStatus.CANCELLED)
    return Job(
        id=_id("job", n),
        kind=_cycle(n, JobKind.PUBLICATION_REMINDER, JobKind.APPLICATION_PENDING),
        due_at=T0.add(hours=(n * 2) % 5),
        subject_id=_cycle(n // 2, "sub_a", "sub_B", "sub_c"),
        campaign_id=_campaign(n),
        payload={"n": str(n)},
        status=status,
        finished_at=None if status is JobStatus.PENDING else T0,
    )


def _deliverable(n: int) -> Deliverable:
    return Deliverable(
        **_of_participation("dlv", n),
        platform=Platform.INSTAGRAM,
        format=ContentFormat.POST,
        quantity=1 + n % 3,
        planned_on=_dt.date(2026, 5, 10 + n % 10),
        due_on=_dt.date(2026, 5, 25),
        status=_cycle(n // 2, DeliverableStatus.PLANNED, DeliverableStatus.CANCELLED),
        created_at=T0,
    )


def _link(n: int) -> TrackedLink:
    slug = f"s{(n * 37) % 100:02d}x{n}"
    return TrackedLink(
        id=f"lnk_{slug}",
        participation_id=_participation(n),
        campaign_id=_campaign(n),
        brand_id=_cycle(n // 2, "brand_a", "brand_B"),
        creator_id=f"cre_{n}",
        slug=slug,
        landing_url="https://shop.example.org/serum",
        utm=Utm(source="instagram", medium="influence", campaign="spring", content=slug),
        created_at=T0,
    )


def _click(n: int) -> Click:
    at = T0.add(seconds=n % 4)
    return Click(
        id=_id("clk", n),
        link_id=_cycle(n, "lnk_a", "lnk_B", "lnk_c"),
        participation_id=_participation(n),
        campaign_id=_campaign(n),
        creator_id="cre_1",
        at=at,
        visitor=_cycle(n // 2, "9f2c1a", "0B77e4"),
        unique=n < 4,
        day=at.date(),
    )


def _promo_code(n: int) -> PromoCode:
    return PromoCode(
        id=_id("pcd", n),
        code=f"SPRING{n}",
        participation_id=_participation(n),
        campaign_id=_campaign(n),
        brand_id=_cycle(n // 2, "brand_a", "brand_B"),
        creator_id=f"cre_{n}",
        percent_off=_cycle(n, 10, None, 15),
        created_at=T0,
    )


def _order(n: int) -> Order:
    return Order(
        id=_id("ord", n),
        brand_id=_cycle(n, "brand_a", "brand_B"),
        shop="acme.myshopify.com",
        external_id=str(1_000 + n),
        currency="EUR",
        campaign_id=_cycle(n, None, "cmp_a", "cmp_B"),
        participation_id=_cycle(n, None, "par_a", "par_B", "par_a"),
    )


def _receipt(n: int) -> WebhookReceipt:
    return WebhookReceipt(
        id=_id("rcp", n),
        shop="acme.myshopify.com",
        key=f"evt-{n}",
        topic=_cycle(n, "orders/create", "orders/paid"),
        order_id=_cycle(n // 2, "ord_a", "ord_B", "ord_c"),
        received_at=T0,
    )


def _cost(n: int) -> Cost:
    status = _cycle(n // 2, CostStatus.PLANNED, CostStatus.COMMITTED, CostStatus.PAID)
    amount = Money.of(100 * (n + 1), "EUR")
    return Cost(
        id=_id("cst", n),
        campaign_id=_campaign(n),
        brand_id="brand_a",
        kind=_cycle(n, CostKind.FEE, CostKind.SHIPPING, CostKind.AGENCY),
        amount=amount,
        participation_id=_cycle(n, "par_a", "par_B", None),
        creator_id=_cycle(n, "cre_a", "cre_B", None),
        status=status,
        committed_at=None if status is CostStatus.PLANNED else T0,
        paid_at=T0.add(days=2) if status is CostStatus.PAID else None,
        paid=amount if status is CostStatus.PAID else None,
        created_at=T0,
    )


def _rate_card(n: int) -> BrandRateCard:
    card = RateCard(
        name=_cycle(n // 2, "Beauty", "beauty 2026", "Food"),
        version=1 + n,
        currency="EUR",
        valid_from=_dt.date(2026, 1, 1),
        rates=(
            EmvRate(EmvAction.LIKES, Decimal("0.10")),
            EmvRate(EmvAction.IMPRESSIONS, Decimal("7.50"), per=1000),
        ),
        source=f"agency study {n}",
    )
    return BrandRateCard(id=_id("emv", n), brand_id=_cycle(n, "brand_a", "brand_B"), card=card)


def _review(n: int) -> CreatorReview:
    return CreatorReview(
        id=_id("rev", n),
        campaign_id=_cycle(n, "cmp_a", "cmp_B", "cmp_c"),
        brand_id=_cycle(n // 3, "brand_a", "brand_B"),
        creator_id=_cycle(n, "cre_a", "cre_B"),
        ratings=Ratings(content_quality=1 + n % 5, reliability=_cycle(n, 4, None)),
        work_again=n % 2 == 0,
        reviewed_at=T0,
        reviewed_by="u_1",
        tags=frozenset({ReactivationTag.UGC}) if n % 2 else frozenset(),
        note=f"Review {n}",
    )


BUILDERS: Mapping[str, Callable[[int], Any]] = {
    "creator": _creator,
    "group": _group,
    "campaign": _campaign_sample,
    "application": _application,
    "participation": _participation_sample,
    "shipment": _shipment,
    "message": _message,
    "template": _template,
    "submission": _submission,
    "job": _job,
    "deliverable": _deliverable,
    "link": _link,
    "click": _click,
    "promo code": _promo_code,
    "order": _order,
    "webhook receipt": _receipt,
    "cost": _cost,
    "rate card": _rate_card,
    "review": _review,
    "commission": _commission,
    "payout statement": _statement,
    "audit entry": _audit_entry,
    "draft": _draft,
    "earned mention": _earned_mention,
    "usage rights": _usage_rights,
    "contest": _contest,
    "contest entry": _contest_entry,
    "brand event": _brand_event,
    "exchange": _exchange,
}
"""The sample builder of each aggregate kind (``AggregateSpec.kind``)."""


def spec_of(spec_or_kind: AggregateSpec[T] | str) -> AggregateSpec[T]:
    """The spec itself, or the spec whose kind (or repository attribute) is ``spec_or_kind``."""
    if isinstance(spec_or_kind, AggregateSpec):
        return spec_or_kind
    for spec in SPECS:
        if spec_or_kind in (spec.kind, spec.attribute):
            return spec
    known = ", ".join(s.kind for s in SPECS)
    raise LookupError(f"no aggregate kind {spec_or_kind!r} ({known})")


@overload
def sample(spec_or_kind: AggregateSpec[T], n: int) -> T: ...


@overload
def sample(spec_or_kind: str, n: int) -> Any: ...


def sample(spec_or_kind: AggregateSpec[Any] | str, n: int) -> Any:
    """The ``n``-th (``n ≄ 0``) distinct, valid, never-stored aggregate of a kind (version 0)."""
    if n < 0:
        raise ValueError(f"n must be ≄ 0, not {n}")
    return BUILDERS[spec_of(spec_or_kind).kind](n)


_STRATEGIES: Mapping[str, tuple[Callable[[], st.SearchStrategy[Any]], tuple[str, ...]]] = {
    "creator": (ics.creators, ("id", "country", "audience_data")),
    "group": (ics.groups, ("id", "brand_id")),
    "campaign": (ics.campaigns, ("id", "brand_id", "status", "mode")),
    "deliverable": (ics.deliverables, ("id", "participation_id", "campaign_id", "status")),
    "submission": (ics.submissions, ("id", "participation_id", "campaign_id")),
    "review": (ics.creator_reviews, ("id", "brand_id", "campaign_id", "creator_id")),
}
"""Kinds with a strategy in :mod:`influcampaign.testing.strategies`, and the attributes that
carry a sample's id and indexed values."""


def aggregates(
    spec_or_kind: AggregateSpec[Any] | str, n: int | st.SearchStrategy[int] | None = None
) -> st.SearchStrategy[Any]:
    """Aggregates of a kind with the id and indexed values of ``sample(kind, n)`` (``n``
    drawn from 0-11 when not given): the other fields are drawn from the kind's strategy
    where :mod:`influcampaign.testing.strategies` has one, else are the sample's."""
    kind = spec_of(spec_or_kind).kind
    if n is None:
        ns: st.SearchStrategy[int] = st.integers(0, 11)
    elif isinstance(n, int):
        ns = st.just(n)
    else:
        ns = n
    if kind not in _STRATEGIES:
        return ns.map(lambda i: sample(kind, i))
    strategy, keys = _STRATEGIES[kind]

    def like_sample(drawn: Any, i: int) -> Any:
        model = sample(kind, i)
        return attrs.evolve(drawn, **{key: getattr(model, key) for key in keys})

    return st.builds(like_sample, strategy(), ns)
