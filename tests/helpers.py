"""The builders the test modules share, in one place (fixtures live in conftest.py).

One builder per thing (``campaign``, ``creator``, ``join``, ``events``, ``stored``) and, below
them, the few set-ups several modules tell the same story with (the content project, the
money project, the sales project, the matching offer), each a call of the one builder with
that story's data.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import pendulum
import pytest
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.adapters._aggregates import SPECS
from influcampaign.adapters.shopify import ShopifyShop, ShopifyWebhooks
from influcampaign.domain.content import Submission, Validation
from influcampaign.domain.participation import Participation, ParticipationStatus
from influcampaign.domain.shipment import ShipmentItem

EventT = TypeVar("EventT", bound=ic.DomainEvent)

PARIS = "Europe/Paris"
T0 = pendulum.datetime(2026, 3, 2, 9, tz=PARIS)
"""Monday 2 March 2026, 09:00 in Paris: where the ``clock`` fixture stands."""
MANAGER = ic.BrandMember("u_claire", brand_id="acme", role="manager")
SYSTEM = ic.SystemActor()
ANALYST = ic.BrandMember("u_ana", brand_id="acme", role="analyst")
VIEWER = ic.BrandMember("u_vic", brand_id="acme", role="viewer")
RIVAL = ic.BrandMember("u_eve", brand_id="rival", role="owner")
START = pendulum.datetime(2026, 5, 1, tz=PARIS)
END = pendulum.datetime(2026, 6, 1, tz=PARIS)
"""A campaign window: May 2026 in Paris."""
ITEMS = [ShipmentItem("Seed kit", 2, ic.Money.of("19.95", "EUR"))]
"""What the workflow stories ship to a creator."""


def at(day: int, month: int = 3, hour: int = 12) -> pendulum.DateTime:
    """A moment of 2026 in Paris (noon unless told)."""
    return pendulum.datetime(2026, month, day, hour, tz=PARIS)


# -- what a workspace wrote ----------------------------------------------------------------


def events(ws: ic.Workspace, kind: type[EventT]) -> list[EventT]:
    """The events of ``kind`` in the workspace's outbox, oldest first."""
    return [m.event for m in ws.store.outbox.all() if isinstance(m.event, kind)]


def event_types(ws: ic.Workspace) -> list[str]:
    """The type of every event in the outbox, oldest first."""
    return [m.event.type for m in ws.store.outbox.all()]


def stored(ws: ic.Workspace) -> tuple[object, ...]:
    """Everything the store holds (every aggregate of every kind, and the outbox), to show
    that a refused call changed nothing."""
    with ws.store.unit_of_work(read_only=True) as uow:
        aggregates = tuple(
            tuple(sorted(getattr(uow, spec.attribute).find(), key=lambda a: str(a.id)))
            for spec in SPECS
        )
    return (*aggregates, tuple(m.id for m in ws.store.outbox.all()))


# -- the one builder of each thing ---------------------------------------------------------


def campaign(
    ws: ic.Workspace,
    *,
    mode: str = "project",
    launch: bool = True,
    name: str = "Printemps",
    kind: str = "seeding",
    start: pendulum.DateTime | None = None,
    end: pendulum.DateTime | None = None,
    timezone: str = PARIS,
    brand_name: str = "",
    compensation: ic.Compensation | None = None,
    policies: ic.CampaignPolicies | None = None,
    hashtags: Iterable[str] = (),
    mentions: Iterable[str] = (),
    requirements: ic.BriefRequirements | None = None,
    targeting: ic.Targeting | None = None,
    summary: str = "",
    brief: str = "",
    group_id: str | None = None,
) -> ic.Campaign:
    """A campaign of brand acme from 1 March to 1 June 2026 in Paris, created by MANAGER and
    launched (a marketplace offer opened, a project started) unless ``launch`` is False."""
    made = ws.campaigns.create(
        MANAGER,
        brand_id="acme",
        name=name,
        kind=kind,
        mode=mode,
        start=start or pendulum.datetime(2026, 3, 1, tz=PARIS),
        end=end or pendulum.datetime(2026, 6, 1, tz=PARIS),
        timezone=timezone,
        brand_name=brand_name,
        compensation=compensation,
        policies=policies,
        hashtags=hashtags,
        mentions=mentions,
        requirements=requirements,
        targeting=targeting,
        summary=summary,
        brief=brief,
        group_id=group_id,
    )
    if launch and mode == "marketplace":
        ws.campaigns.open(MANAGER, made.id)
    elif launch:
        ws.campaigns.start(MANAGER, made.id)
    return made


def creator(
    ws: ic.Workspace,
    name: str = "Léa",
    *,
    followers: int = 12_000,
    rate: float | None = None,
    platform: str = "instagram",
    handle: str | None = None,
    themes: Iterable[str] = (),
    country: str | None = None,
    language: str | None = None,
    shares: ic.AudienceShares | None = None,
    contact: ic.ContactDetails | None = None,
    audience_data: str = "shared",
    id: str | None = None,
) -> ic.Creator:
    """A creator registered by MANAGER with one audience (12,000 Instagram followers unless
    told) and a handle on that platform when given."""
    return ws.creators.register(
        MANAGER,
        name,
        handles={platform: handle} if handle else None,
        audience={platform: ic.AudienceStats(followers, engagement_rate=rate)},
        themes=themes,
        country=country,
        language=language,
        contact=contact,
        audience_data=audience_data,
        audience_shares=shares,
        id=id,
    )


def join(
    ws: ic.Workspace, campaign: ic.Campaign, name: str = "Léa", **profile: Any
) -> ic.Participation:
    """Register a creator (``profile`` as for :func:`creator`), add it to the campaign and
    confirm it; the confirmed participation."""
    made = creator(ws, name, **profile)
    pid = ws.participations.add(MANAGER, campaign.id, made.id).id
    ws.participations.confirm(MANAGER, pid)
    return ws.participations.get(MANAGER, pid)


def make_offer(ws: ic.Workspace, mode: str = "marketplace", **policies: Any) -> ic.Campaign:
    """The workflow stories' seeding offer (a project with ``mode="project"``), with the
    campaign policies given by name (``applications=ApplicationPolicy(...)``)."""
    return campaign(ws, mode=mode, policies=ic.CampaignPolicies(**policies))


def register(ws: ic.Workspace, name: str = "Alice", **profile: Any) -> ic.Creator:
    """A creator with a handle, an engaged audience and contact details (personal data)."""
    return creator(
        ws,
        name,
        handle=name.lower(),
        followers=20_000,
        rate=0.04,
        contact=ic.ContactDetails(email=f"{name.lower()}@example.org", phone="+33600000000"),
        **profile,
    )


def validation_of(submission: Submission) -> Validation:
    """The submission's validation, which the caller knows it has."""
    assert submission.validation is not None, submission
    return submission.validation


def creator_of(ws: ic.Workspace, pid: str) -> ic.CreatorUser:
    """The creator of a participation, acting for itself."""
    return ic.CreatorUser(ws.participations.get(MANAGER, pid).creator_id)


# -- the content story: a project with a French brief --------------------------------------


def content_project(ws: ic.Workspace, **changes: Any) -> ic.Campaign:
    """Maison Lumière's started project "Été radieux" (1 March to 1 July) whose brief asks
    for #SummerGlow, @maison.lumiere and French disclosure."""
    values: dict[str, Any] = {
        "brand_name": "Maison Lumière",
        "name": "Été radieux",
        "kind": "product_placement",
        "end": pendulum.datetime(2026, 7, 1, tz=PARIS),
        "hashtags": ["#SummerGlow"],
        "mentions": ["@maison.lumiere"],
        "requirements": ic.BriefRequirements(jurisdiction="FR"),
    }
    return campaign(ws, **{**values, **changes})


def submit(
    ws: ic.Workspace, pid: str, *, format: str = "reel", caption: str = "", **more: Any
) -> Submission:
    """The participation's creator submits an Instagram content published now."""
    return ws.submissions.submit(
        creator_of(ws, pid),
        pid,
        url="https://www.instagram.com/reel/C1/",
        platform="instagram",
        format=format,
        published_at=ws.clock.now(),
        caption=caption,
        **more,
    )


# -- the money story: costs, rate cards and reports ----------------------------------------

RATES = ic.FixedRates({("USD", "EUR"): "0.9"}, source="test table")


def rates_fn(base: str, quote: str, day: dt.date) -> Decimal:
    """RATES as the plain function the report functions take."""
    found = RATES.rate(base, quote, day)
    assert found is not None
    return found.value


def money_project(ws: ic.Workspace, **changes: Any) -> ic.Campaign:
    """The started project "Glow" (1 March to 1 June) paying each creator a 100 EUR fee."""
    values: dict[str, Any] = {
        "name": "Glow",
        "kind": "product_placement",
        "compensation": ic.Compensation(fee=ic.Money.of(100, "EUR")),
    }
    return campaign(ws, **{**values, **changes})


def money_join(
    ws: ic.Workspace,
    cmp: ic.Campaign,
    name: str,
    *,
    followers: int = 25_000,
    rate: float | None = 0.04,
    themes: tuple[str, ...] = ("beauty",),
) -> ic.Participation:
    """A beauty creator (25,000 followers engaging at 4 % unless told) confirmed in ``cmp``."""
    return join(ws, cmp, name, handle=name.lower(), followers=followers, rate=rate, themes=themes)


def publish(
    ws: ic.Workspace,
    p: ic.Participation,
    when: pendulum.DateTime,
    metrics: dict[str, int] | None,
    *,
    fmt: str = "post",
    deliverable_id: str | None = None,
    compliance: int | None = None,
) -> Submission:
    """The brand records a content published at ``when`` (an hour later on the clock), with
    its metrics, and validates it when ``compliance`` is given."""
    clock = ws.clock
    assert isinstance(clock, ic.FrozenClock)
    if clock.now() < when.add(hours=1):
        clock.set(when.add(hours=1))
    s = ws.submissions.submit(
        MANAGER,
        p.id,
        url=f"https://instagram.com/p/{p.creator_id}{when.int_timestamp}",
        platform="instagram",
        format=fmt,
        published_at=when,
        deliverable_id=deliverable_id,
        metrics=metrics,
    )
    if compliance is not None:
        s = ws.submissions.validate(MANAGER, s.id, compliance=compliance)
    return s


def card(version: int, likes: str, start: dt.date, end: dt.date | None = None) -> ic.RateCard:
    """Version ``version`` of brand acme's EUR card: ``likes`` per like, 5 per 1,000 views."""
    return ic.RateCard(
        name="acme",
        version=version,
        currency="EUR",
        valid_from=start,
        valid_until=end,
        rates=[
            ic.EmvRate(ic.EmvAction.LIKES, likes),
            ic.EmvRate(ic.EmvAction.IMPRESSIONS, "5", per=1000),
        ],
        source="acme media team, 2026",
    )


def usd_card(ws: ic.Workspace) -> ic.CampaignPolicies:
    """Policies valuing contents by the shipped USD card, defined by the brand as "acme US"
    (so that a EUR campaign converts each content at its publication date)."""
    ws.rate_cards.define(MANAGER, "acme", attrs.evolve(ic.DEFAULT_RATE_CARD, name="acme US"))
    return ic.CampaignPolicies(emv=ic.EmvPolicy("acme US"))


# -- the sales story: links, codes and Shopify orders --------------------------------------

SECRET = "hush-its-a-shopify-secret"
SHOP = "maison-lumiere.myshopify.com"
KEYS = ic.SigningKeys({"k1": b"k1-" + b"x" * 40}, current="k1")
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 330.0.0.40.92"


def sales_project(ws: ic.Workspace, **changes: Any) -> ic.Campaign:
    """Maison Lumière's started sales-tracking project "Été Radieux" (1 March to 1 July)."""
    values: dict[str, Any] = {
        "brand_name": "Maison Lumière",
        "name": "Été Radieux",
        "kind": "sales_tracking",
        "end": pendulum.datetime(2026, 7, 1, tz=PARIS),
        "compensation": ic.Compensation(fee=ic.Money.of(100, "EUR")),
    }
    return campaign(ws, **{**values, **changes})


def sales_join(ws: ic.Workspace, cmp: ic.Campaign, name: str, handle: str) -> ic.Participation:
    """A creator with an Instagram ``handle`` and 25,000 followers, confirmed in ``cmp``."""
    return join(ws, cmp, name, handle=handle, followers=25_000)


def attribution_of(order: ic.Order) -> ic.Attribution:
    """The order's attribution, which every order the sales tests read has."""
    assert order.attribution is not None, order
    return order.attribution


def coded_sales_project(ws: ic.Workspace) -> ic.Campaign:
    """The sales project with Emma (promo code EMMA15) and Léo (promo code LEO10)."""
    cmp = sales_project(ws)
    emma = sales_join(ws, cmp, "Emma", "emma.glow")
    leo = sales_join(ws, cmp, "Léo", "leo.runs")
    ws.codes.create(MANAGER, emma.id, code="EMMA15")
    ws.codes.create(MANAGER, leo.id, code="LEO10")
    return cmp


def order_payload(
    order_id: int,
    *,
    subtotal: str = "100.00",
    total: str = "108.00",
    currency: str = "EUR",
    codes: tuple[str, ...] = (),
    landing_site: str | None = None,
    click_token: str | None = None,
    created_at: str = "2026-03-10T14:00:00+01:00",
    updated_at: str | None = None,
    financial_status: str = "pending",
    source_name: str = "web",
    cancelled_at: str | None = None,
    refunds: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An order webhook body shaped like Shopify's (fields the SDK ignores included)."""
    return {
        "id": order_id,
        "admin_graphql_api_id": f"gid://shopify/Order/{order_id}",
        "name": f"#{order_id % 10_000}",
        "email": "jon@example.com",
        "browser_ip": "203.0.113.9",
        "created_at": created_at,
        "updated_at": updated_at or created_at,
        "processed_at": created_at,
        "currency": currency,
        "presentment_currency": currency,
        "subtotal_price": subtotal,
        "total_price": total,
        "total_tax": "8.00",
        "total_discounts": "10.00" if codes else "0.00",
        "taxes_included": False,
        "financial_status": financial_status,
        "fulfillment_status": None,
        "source_name": source_name,
        "landing_site": landing_site,
        "referring_site": "https://l.instagram.com/" if landing_site else None,
        "discount_codes": [{"code": c, "amount": "5.00", "type": "percentage"} for c in codes],
        "note_attributes": [{"name": "icclid", "value": click_token}] if click_token else [],
        "cancelled_at": cancelled_at,
        "cancel_reason": "customer" if cancelled_at else None,
        "test": False,
        "line_items": [{"id": 466157049, "title": "Sérum éclat", "quantity": 1, "price": subtotal}],
        "refunds": refunds or [],
        "customer": {"id": 115310627314723954, "email": "jon@example.com"},
    }


def refund_payload(
    refund_id: int, order_id: int, amount: str, currency: str = "EUR", **more: Any
) -> dict[str, Any]:
    """A refunds/create body: the refund's transactions carry the money."""
    return {
        "id": refund_id,
        "order_id": order_id,
        "created_at": more.get("created_at", "2026-03-20T10:00:00+01:00"),
        "note": "damaged",
        "restock": True,
        "refund_line_items": [],
        "transactions": [
            {
                "id": refund_id * 10,
                "order_id": order_id,
                "kind": "refund",
                "gateway": "shopify_payments",
                "status": more.get("status", "success"),
                "amount": amount,
                "currency": currency,
            }
        ],
        "order_adjustments": [],
    }


def sign(body: bytes, secret: str = SECRET) -> str:
    """Shopify's signature of a webhook body."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def deliver(
    hooks: ShopifyWebhooks, topic: str, payload: Mapping[str, Any], event_id: str, **headers: str
) -> Any:
    """Deliver a signed webhook as Shopify would."""
    body = json.dumps(payload).encode()
    sent = {
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": sign(body),
        "X-Shopify-Shop-Domain": SHOP,
        "X-Shopify-Event-Id": event_id,
        "X-Shopify-Webhook-Id": f"wh-{event_id}",
        **headers,
    }
    return hooks.handle(sent, body)


def hooks_for(ws: ic.Workspace) -> ShopifyWebhooks:
    """The webhook endpoint of SHOP, owned by brand acme."""
    return ShopifyWebhooks(ws, {SHOP: ShopifyShop("acme", (SECRET,))})


# -- the matching story: an offer open to applications -------------------------------------


def matching_creator(
    ws: ic.Workspace,
    name: str,
    *,
    followers: int = 25_000,
    rate: float | None = 0.04,
    themes: tuple[str, ...] = ("food",),
    country: str | None = "FR",
    language: str | None = "fr",
    platform: str = "instagram",
    shares: ic.AudienceShares | None = None,
) -> ic.Creator:
    """A French food creator ``cre_<name>`` with a handle, 25,000 followers engaging at 4 %."""
    return creator(
        ws,
        name,
        id=f"cre_{name.lower()}",
        handle=name.lower(),
        platform=platform,
        followers=followers,
        rate=rate,
        themes=themes,
        country=country,
        language=language,
        shares=shares,
    )


def kit_offer(ws: ic.Workspace, name: str = "Kit", **changes: Any) -> ic.Campaign:
    """An open marketplace offer (1 March noon to 1 June) giving a 40 EUR product."""
    values: dict[str, Any] = {
        "mode": "marketplace",
        "kind": "product_placement",
        "start": at(1),
        "end": at(1, 6),
        "compensation": ic.Compensation(product_value=ic.Money.of(40, "EUR")),
    }
    return campaign(ws, name=name, **{**values, **changes})


def run_campaign(ws: ic.Workspace) -> dict[str, Any]:
    """An offer with three creators: Ana (two reels, one late, validated 80 and 90), Ben
    (one post on time, validated 60) and Cleo (gets a product, reminders, publishes
    nothing). Dan applies and is refused as out of target."""
    clock = ws.clock
    assert isinstance(clock, ic.FrozenClock)
    names = {"ana": ("food",), "ben": ("food", "garden"), "cleo": ("garden",), "dan": ("beauty",)}
    people = {n: matching_creator(ws, n.title(), themes=t) for n, t in names.items()}
    made = kit_offer(ws, "Spring", end=at(30, 4))
    apps = {
        n: ws.applications.apply(ic.CreatorUser(c.id), made.id, c.id, pitch="hi")
        for n, c in people.items()
    }
    clock.advance(hours=2)
    joined = {
        n: ws.applications.accept(MANAGER, apps[n].id, message="Welcome!")
        for n in ("ana", "ben", "cleo")
    }
    ws.applications.refuse(
        MANAGER, apps["dan"].id, message="Not this time.", reason="out_of_target"
    )
    ws.campaigns.start(MANAGER, made.id)
    plan: dict[str, ic.Deliverable] = {}
    for n, p in joined.items():
        plan[n] = ws.deliverables.plan(
            MANAGER,
            p.id,
            platform="instagram",
            format="reel" if n == "ana" else "post",
            quantity=2 if n == "ana" else 1,
            due_on=dt.date(2026, 3, 20),
        )
    cleo = joined["cleo"]
    shipment = ws.shipments.create(
        MANAGER, cleo.id, [ic.ShipmentItem("Kit", 1, ic.Money.of(40, "EUR"))]
    )
    ws.shipments.ship(MANAGER, shipment.id, carrier="Colissimo", tracking_number="6A1")
    ws.shipments.deliver(MANAGER, shipment.id)
    clock.set(at(1, 4))
    ws.scheduler.run(SYSTEM)  # reminders 1, 2 and 3 are due: the last is sent

    def publish(n: str, when: pendulum.DateTime, compliance: int) -> None:
        if clock.now() < when.add(hours=1):
            clock.set(when.add(hours=1))
        s = ws.submissions.submit(
            MANAGER,
            joined[n].id,
            url=f"https://instagram.com/p/{n}{when.int_timestamp}",
            platform="instagram",
            format="reel" if n == "ana" else "post",
            published_at=when,
            deliverable_id=plan[n].id,
            metrics={"impressions": 1_000, "likes": 100},
        )
        ws.submissions.validate(MANAGER, s.id, compliance=compliance)

    publish("ana", at(10, 4), 80)  # the reminders above did not concern Ana
    publish("ana", at(12, 4), 90)
    publish("ben", at(14, 4), 60)
    return {"campaign": made, "people": people, "joined": joined, "apps": apps}


# -- the lifecycle tables, checked pair by pair ---------------------------------------------

NOW = pendulum.datetime(2026, 4, 1, 10, tz="UTC")


def check_pair(
    ws: ic.Workspace, expected: object, act: Callable[[], object], status: Callable[[], object]
) -> None:
    """An allowed (state, action) pair reaches ``expected``; any other raises
    InvalidTransition and changes nothing stored."""
    if expected is not None:
        act()
        assert status() is expected
        return
    before = stored(ws)
    with pytest.raises(ic.InvalidTransition):
        act()
    assert stored(ws) == before


def participation(status: ParticipationStatus) -> Participation:
    """Participation par_1 of creator cre_1 in campaign cmp_1, in ``status``."""
    return Participation(
        id="par_1",
        campaign_id="cmp_1",
        brand_id="acme",
        creator_id="cre_1",
        source="manual",
        status=status,
    )


# -- audiences and orders drawn at random ----------------------------------------------------


@st.composite
def selections(draw: st.DrawFn, max_creators: int = 6) -> dict[str, list[int]]:
    """Random audiences over a small id space (so they overlap), with empty, identical,
    disjoint, nested and duplicated ones mixed in."""
    k = draw(st.integers(1, max_creators))
    ids = st.integers(0, 60)
    audiences: dict[str, list[int]] = {}
    for i in range(k):
        kind = draw(st.sampled_from(["random", "empty", "copy", "nested", "disjoint", "dupes"]))
        previous = list(audiences.values())
        if kind == "empty":
            values: list[int] = []
        elif kind == "copy" and previous:
            values = list(draw(st.sampled_from(previous)))
        elif kind == "nested" and previous:
            base = draw(st.sampled_from(previous))
            values = [v for v in base if draw(st.booleans())]
        elif kind == "disjoint":
            values = draw(st.lists(st.integers(1_000, 1_050), max_size=30))
        else:
            values = draw(st.lists(ids, max_size=40))
            if kind == "dupes":
                values = values + values[: len(values) // 2]
        audiences[f"c{i}"] = values
    return audiences


AT = pendulum.datetime(2026, 3, 10, 13)
"""When the attribution tests' order is placed (UTC)."""
