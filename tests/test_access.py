"""Access proven over every use case (issue 20): random principals and random role policies.

For each public use case of the workspace, Hypothesis draws a principal (brand members of
every role, of the brand or of another one; client reviewers invited or not; the creator the
call is about, another creator; the system) and an access policy (the default, or random
permissions per role), then checks that:

- the call is refused (PermissionDenied) exactly when the policy refuses one of the
  permissions the use case requires on its resource;
- a refused call changes nothing in the store (tables and outbox);
- nothing returned holds a field the principal may not read: contact details and shipment
  addresses without ``CONTACT_READ``, a campaign's internal summary without
  ``CAMPAIGN_INTERNAL_READ``, another creator's records for a creator, another brand's
  records for a brand member, another campaign's records for a reviewer;
- a read that returned personal data of a creator to someone else left an audit entry.

The world is built once on a memory store and restored before each call.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.adapters.memory import MemoryStore
from influcampaign.domain.access import AccessPolicy, Permission, Resource
from influcampaign.domain.principals import BrandRole
from influcampaign.domain.shipment import ShipmentItem
from influcampaign.services._base import campaign_resource, participation_resource

P = Permission
T0 = pendulum.datetime(2026, 3, 2, 9, tz="Europe/Paris")
BOSS = ic.BrandMember("u_boss", brand_id="acme", role="owner")
SYSTEM = ic.SystemActor()
Need = tuple[Permission, Resource]


@attrs.define
class World:
    """The objects every use case acts on, and the store's state to restore."""

    ws: ic.Workspace
    store: MemoryStore
    c: str  # the creator in the project (with contact details)
    d: str  # a creator proposed to the project, who applied to the offer
    e: str  # a creator with nothing yet
    group: ic.Group
    project: ic.Campaign
    offer: ic.Campaign
    ended: ic.Campaign
    draft: ic.Campaign  # a marketplace offer not open yet
    pc: ic.Participation  # c in the project, confirmed
    pd: ic.Participation  # d in the project, proposed and sent for approval
    application: ic.Application  # d's pending application to the offer
    shipment: ic.Shipment  # shipped
    parcel: ic.Shipment  # to prepare
    deliverable: ic.Deliverable
    submission: ic.Submission  # submitted
    validated: ic.Submission
    link: ic.TrackedLink
    code: ic.PromoCode
    cost: ic.Cost
    dft: ic.Draft  # c's draft in the project, submitted
    rights: ic.UsageRights  # usage rights on the submission
    giveaway: ic.Campaign  # a contest campaign (c confirmed) without a contest yet
    contest: ic.Contest  # open, no seed committed, one entry through c's post
    closed: ic.Contest  # entries closed, seed committed, not drawn
    drawn: ic.Contest  # drawn: its winner entered through c's post
    giveaways: dict[str, tuple[ic.Campaign, ic.Participation]]  # by id: c in each
    gala: ic.Campaign  # an event campaign without an event yet
    party: ic.Campaign  # an event campaign with its event
    event: ic.BrandEvent  # starts in an hour: c accepted, d invited (not answered)
    pd_party: ic.Participation  # d's participation in the party
    sales: ic.Campaign  # a sales-tracking campaign, c confirmed without a code yet
    statement_id: str = ""  # c's payout statement (a bonus), issued
    order_id: str = "1001"
    exchange_id: str = ""  # the boss's call with c (issue 17)
    snapshot: tuple[Any, Any] = ((), ())

    def save(self) -> None:
        """Remember the store's state."""
        self.snapshot = self.state()

    def state(self) -> tuple[Any, Any]:
        """The store's tables and outbox, as comparable values."""
        tables = {kind: dict(rows) for kind, rows in self.store._tables.items()}
        outbox = [(r.id, r.doc, r.delivered) for r in self.store._outbox]
        return tables, outbox

    def restore(self) -> None:
        """Put the store back as it was saved."""
        tables, outbox = self.snapshot
        self.store._tables = {kind: dict(rows) for kind, rows in tables.items()}
        self.store._outbox = [
            type(self.store._outbox[0])(id, i + 1, doc, delivered)
            for i, (id, doc, delivered) in enumerate(outbox)
        ]

    def owned(self, campaign: ic.Campaign, actor: ic.Principal) -> Resource:
        """The campaign's resource as ``actor`` sees it (a creator in it reads it as its own)."""
        resource = campaign_resource(campaign)
        mine = {campaign.id: {self.c, self.d}.intersection(self.members(campaign))}
        if isinstance(actor, ic.CreatorUser) and actor.creator_id in mine[campaign.id]:
            return attrs.evolve(resource, creator_id=actor.creator_id)
        return resource

    def campaign(self, contest: ic.Contest) -> ic.Campaign:
        """The campaign a contest of the world belongs to."""
        return self.giveaways[contest.campaign_id][0]

    def taking_part(self, contest: ic.Contest) -> ic.Participation:
        """c's participation in the campaign of a contest of the world."""
        return self.giveaways[contest.campaign_id][1]

    def members(self, campaign: ic.Campaign) -> set[str]:
        """The creators taking part in a campaign of the world."""
        if campaign.id == self.project.id:
            return {self.c, self.d}
        if campaign.id == self.ended.id:
            return {self.c}
        if campaign.id == self.party.id:
            return {self.c, self.d}
        return set()


def _build() -> World:
    clock = ic.FrozenClock(T0)
    store = MemoryStore(ids=ic.SequentialIds())
    keys = ic.SigningKeys({"k1": b"k" * 32}, current="k1")
    ws = ic.Workspace(store, clock, ids=store._ids, keys=keys, payouts=ic.MemoryPayouts())

    def creator(name: str) -> str:
        return ws.creators.register(
            BOSS,
            name,
            handles={"instagram": name.lower()},
            audience={"instagram": ic.AudienceStats(10_000, engagement_rate=0.04)},
            themes=["food"],
            country="FR",
            contact=ic.ContactDetails(email=f"{name.lower()}@example.org", postal_address="Lyon"),
        ).id

    c, d, e = creator("Cleo"), creator("Dan"), creator("Eve")
    group = ws.groups.create(BOSS, brand_id="acme", name="Core", creator_ids=[c])

    def campaign(mode: str, name: str) -> ic.Campaign:
        return ws.campaigns.create(
            BOSS,
            brand_id="acme",
            name=name,
            kind="seeding",
            mode=mode,
            start=pendulum.datetime(2026, 3, 1, tz="Europe/Paris"),
            end=pendulum.datetime(2026, 6, 1, tz="Europe/Paris"),
            timezone="Europe/Paris",
            summary="internal: budget is tight",
        )

    project = campaign("project", "Projet")
    pc = ws.participations.add(BOSS, project.id, c)
    pd = ws.participations.add(BOSS, project.id, d)
    ws.participations.submit_for_approval(BOSS, project.id, ["rv_1"])
    pc = ws.participations.confirm(BOSS, pc.id)
    project = ws.campaigns.start(BOSS, project.id)
    offer = campaign("marketplace", "Offre")
    offer = ws.campaigns.open(BOSS, offer.id)
    application = ws.applications.apply(ic.CreatorUser(d), offer.id, d, pitch="Hello")
    ended = campaign("project", "Hiver")
    pe = ws.participations.add(BOSS, ended.id, c)
    ws.participations.confirm(BOSS, pe.id)
    ws.campaigns.start(BOSS, ended.id)
    ws.campaigns.end(BOSS, ended.id)
    ws.reviews.rate(BOSS, ended.id, c, ratings={"content_quality": 4}, work_again=True, note="ok")
    ended = ws.campaigns.get(BOSS, ended.id)
    draft = campaign("marketplace", "Brouillon")
    ws.messages.send(BOSS, pc.id, "Bonjour Cleo")
    ws.messages.send(ic.CreatorUser(c), pc.id, "Bonjour !")
    ws.messages.save_template(BOSS, brand_id="acme", kind="reminder", name="R", body="Hi")
    shipment = ws.shipments.create(
        BOSS, pc.id, [ShipmentItem("Kit", 1, ic.Money.of("20", "EUR"))], ship_to="Lyon 2"
    )
    shipment = ws.shipments.ship(BOSS, shipment.id, carrier="Colissimo")
    parcel = ws.shipments.create(BOSS, pc.id, [ShipmentItem("Bonus", 1, ic.Money.of("5", "EUR"))])
    deliverable = ws.deliverables.plan(
        BOSS, pc.id, platform="instagram", format="reel", due_on=dt.date(2026, 4, 1)
    )
    link = ws.links.create(BOSS, pc.id, landing_url="https://acme.example/kit")
    code = ws.codes.create(BOSS, pc.id, code="CLEO10", percent_off=10)
    submission = ws.submissions.submit(
        ic.CreatorUser(c),
        pc.id,
        url="https://www.instagram.com/p/abc/",
        platform="instagram",
        format="reel",
        published_at=T0,
        caption="Mon kit #ad",
        metrics={"views": 1_000, "likes": 80},
    )
    validated = ws.submissions.submit(
        ic.CreatorUser(c),
        pc.id,
        url="https://www.instagram.com/p/xyz/",
        platform="instagram",
        format="post",
        published_at=T0,
    )
    validated = ws.submissions.validate(BOSS, validated.id, compliance=80)
    cost = ws.costs.plan(BOSS, project.id, "fee", ic.Money.of("100", "EUR"), participation_id=pc.id)
    card = ic.RateCard(
        "acme", 1, "EUR", dt.date(2026, 1, 1), [ic.EmvRate(ic.EmvAction.LIKES, "0.1")], "t"
    )
    ws.rate_cards.define(BOSS, "acme", card)
    contests = _contests(ws, clock, c)
    events = _events(ws, c, d)
    sales = ws.campaigns.create(
        BOSS,
        brand_id="acme",
        name="Ventes",
        kind="sales_tracking",
        mode="project",
        start=pendulum.datetime(2026, 3, 1, tz="Europe/Paris"),
        end=pendulum.datetime(2026, 6, 1, tz="Europe/Paris"),
        timezone="Europe/Paris",
    )
    ws.participations.confirm(BOSS, ws.participations.add(BOSS, sales.id, c).id)
    world = World(
        ws=ws,
        store=store,
        c=c,
        d=d,
        e=e,
        group=group,
        project=project,
        offer=offer,
        ended=ended,
        draft=draft,
        pc=pc,
        pd=ws.participations.get(BOSS, pd.id),
        application=application,
        shipment=shipment,
        parcel=parcel,
        deliverable=deliverable,
        submission=submission,
        validated=validated,
        link=link,
        code=code,
        cost=cost,
        dft=ws.drafts.submit(
            ic.CreatorUser(c), pc.id, platform="instagram", format="reel", caption="Kit #ad"
        ),
        **contests,
        **events,
        sales=ws.campaigns.get(BOSS, sales.id),
        rights=ws.rights.grant(
            BOSS,
            submission.id,
            channels=["organic_repost"],
            territories=["FR"],
            starts_on=dt.date(2026, 3, 2),
            ends_on=dt.date(2026, 9, 1),
        ),
    )
    bonus = ws.costs.plan(
        BOSS, project.id, "bonus", ic.Money.of("30", "EUR"), participation_id=pc.id
    )
    ws.costs.commit(BOSS, bonus.id)
    later = ws.costs.plan(  # owed from April on: what pay.issue puts on the next statement
        BOSS,
        project.id,
        "bonus",
        ic.Money.of("20", "EUR"),
        participation_id=pc.id,
        due_on=dt.date(2026, 4, 15),
    )
    ws.costs.commit(BOSS, later.id)
    world.statement_id = ws.pay.issue(BOSS, "acme", c, period_end=dt.date(2026, 3, 31)).id
    ws.sales.apply(BOSS, "acme", "acme.myshopify.com", _order_event(world.order_id))
    world.exchange_id = ws.exchanges.log(
        BOSS, brand_id="acme", creator_id=c, channel="call", summary="Rates", happened_at=T0
    ).id
    world.save()
    return world


SEED = "a-secret-seed-for-the-access-tests"


def _entry(handle: str, at: pendulum.DateTime, post: str) -> ic.ContestEntryRecord:
    return ic.ContestEntryRecord(
        handle=handle, platform="instagram", entered_at=at, post_url=post, country="FR", age=30
    )


def _contests(ws: ic.Workspace, clock: ic.FrozenClock, c: str) -> dict[str, Any]:
    """Contest campaigns with c confirmed and her post submitted: one without a contest,
    one open, one closed with its seed committed, one drawn (built at earlier moments)."""

    def giveaway(name: str) -> tuple[ic.Campaign, str]:
        campaign = ws.campaigns.create(
            BOSS,
            brand_id="acme",
            name=name,
            kind="contest",
            mode="project",
            start=clock.now().subtract(days=1),
            end=pendulum.datetime(2026, 6, 1, tz="Europe/Paris"),
            timezone="Europe/Paris",
        )
        pid = ws.participations.add(BOSS, campaign.id, c).id
        ws.participations.confirm(BOSS, pid)
        campaign = ws.campaigns.start(BOSS, campaign.id)
        found["giveaways"][campaign.id] = (campaign, ws.participations.get(BOSS, pid))
        post = f"https://www.instagram.com/p/{campaign.id}/"
        ws.submissions.submit(
            ic.CreatorUser(c),
            pid,
            url=post,
            platform="instagram",
            format="post",
            published_at=clock.now(),
            caption="Jeu gratuit, règlement en bio",
        )
        return campaign, post

    def contest(name: str, closes: pendulum.DateTime) -> ic.Contest:
        campaign, post = giveaway(name)
        made = ws.contests.create(
            BOSS,
            campaign.id,
            rules=ic.RulesDocument("https://acme.example/reglement", "v1"),
            jurisdictions=["FR"],
            closes_at=closes,
            prize="a kit",
        )
        ws.contests.enter(BOSS, made.id, _entry("fan.one", clock.now(), post))
        return made

    found: dict[str, Any] = {"giveaways": {}}
    found["giveaway"] = giveaway("Jeu")[0]
    found["contest"] = contest("Jeu ouvert", T0.add(days=10))
    clock.set(T0.subtract(days=10))
    for key in ("closed", "drawn"):
        found[key] = contest(f"Jeu {key}", T0.subtract(days=1))
        ws.contests.commit_seed(BOSS, found[key].id, ic.seed_commitment(SEED))
    clock.set(T0)
    found["drawn"] = ws.contests.draw(BOSS, found["drawn"].id, SEED)
    found["closed"] = ws.contests.get(BOSS, found["closed"].id)
    return found


_VENUE = ic.Venue(name="Atelier", address="Lyon")


def _events(ws: ic.Workspace, c: str, d: str) -> dict[str, Any]:
    """Two event campaigns: one without its event, one whose event starts in an hour, c
    accepted and d invited."""

    def campaign(name: str) -> ic.Campaign:
        return ws.campaigns.create(
            BOSS,
            brand_id="acme",
            name=name,
            kind="event",
            mode="project",
            start=pendulum.datetime(2026, 3, 1, tz="Europe/Paris"),
            end=pendulum.datetime(2026, 6, 1, tz="Europe/Paris"),
            timezone="Europe/Paris",
        )

    gala, party = campaign("Gala"), campaign("Soirée")
    event = ws.events.schedule(
        BOSS,
        party.id,
        name="Soirée",
        starts_at=T0.add(hours=1),
        ends_at=T0.add(hours=4),
        venue=_VENUE,
        capacity=10,
    )
    ws.events.invite(BOSS, event.id, [c, d])
    ws.events.respond(ic.CreatorUser(c), event.id, c, accept=True)
    pd_party = next(p for p in ws.participations.list(BOSS, party.id) if p.creator_id == d)
    return {
        "gala": gala,
        "party": ws.campaigns.get(BOSS, party.id),
        "event": ws.events.get(BOSS, event.id),
        "pd_party": pd_party,
    }


def _order_event(external_id: str) -> ic.ShopEvent:
    placed = T0.add(hours=1)
    placement = ic.OrderPlacement(
        external_id=external_id,
        name=f"#{external_id}",
        created_at=placed,
        updated_at=placed,
        subtotal=ic.Money.of("50", "EUR"),
        total=ic.Money.of("50", "EUR"),
        discount_codes=("CLEO10",),
    )
    return ic.ShopEvent("orders/create", external_id, "EUR", placement)


_WORLD: list[World] = []


def world() -> World:
    """The world, built once per test session and restored before each call."""
    if not _WORLD:
        _WORLD.append(_build())
    _WORLD[0].restore()
    return _WORLD[0]


# -- the use cases -------------------------------------------------------------------


@attrs.frozen
class UseCase:
    """A public use case: how to call it, and what it needs (``None``: only the system)."""

    name: str
    call: Callable[[World, ic.Principal], Any]
    needs: Callable[[World, ic.Principal], list[Need] | None]
    read: bool = False  # returns data without changing any (its personal-data reads audited)
    people_only: bool = False  # a person's verdict: the system is refused whatever the policy


def creator(id: str) -> Resource:
    """A creator's resource."""
    return Resource("creator", id, creator_id=id)


def brand(kind: str) -> Resource:
    """A brand-wide resource of acme."""
    return Resource(kind, "acme", brand_id="acme")


def part(p: ic.Participation, kind: str = "participation") -> Resource:
    """A participation's resource."""
    return participation_resource(p, kind)


def payee(creator_id: str) -> Resource:
    """What acme pays one creator (its commissions and payout statements)."""
    return Resource("payouts", creator_id, brand_id="acme", creator_id=creator_id)


def camp(c: ic.Campaign) -> Resource:
    """A campaign's resource."""
    return campaign_resource(c)


def application(a: ic.Application) -> Resource:
    """An application's resource."""
    return Resource(
        "application", a.id, brand_id=a.brand_id, creator_id=a.creator_id, campaign_id=a.campaign_id
    )


def any_of(w: World, actor: ic.Principal, permission: Permission, *on: Resource) -> list[Need]:
    """What a use case needs that serves what ``actor`` may read of several resources (the
    campaign, else its own participations), refused when it may read none: the first allowed
    of ``on``, else the first."""
    for resource in on:
        if w.ws.access.allows(actor, permission, resource):
            return [(permission, resource)]
    return [(permission, on[0])]


def always(_w: World, _a: ic.Principal) -> list[Need]:
    """A use case that filters what it returns instead of refusing."""
    return []


def system_only(_w: World, _a: ic.Principal) -> None:
    """A use case only the system may run."""
    return


_ITEMS = [ShipmentItem("Kit", 1, ic.Money.of("20", "EUR"))]
_CARD = ic.RateCard(
    "other", 1, "EUR", dt.date(2026, 2, 1), [ic.EmvRate(ic.EmvAction.LIKES, "0.2")], "t"
)


def _feed() -> ic.MemoryPostSource:
    """A feed with one post of Cleo's using her code (captured for the project)."""
    post = ic.CapturedPost(
        post_id="cap1",
        platform="instagram",
        url="https://www.instagram.com/p/cap1/",
        author="cleo",
        published_at=T0,
        caption="Mon kit avec CLEO10 #ad",
    )
    return ic.MemoryPostSource([post])


def _audience() -> ic.AudienceDirectory:
    return ic.AudienceDirectory({})


U = UseCase
USE_CASES: list[UseCase] = [
    # creators
    U(
        "creators.register",
        lambda w, a: w.ws.creators.register(a, "Zed", id="cre_zed"),
        lambda w, a: [(P.CREATOR_WRITE, creator("cre_zed"))],
    ),
    U(
        "creators.get",
        lambda w, a: w.ws.creators.get(a, w.c),
        lambda w, a: [(P.CREATOR_READ, creator(w.c))],
        True,
    ),
    U(
        "creators.contact",
        lambda w, a: w.ws.creators.contact(a, w.c),
        lambda w, a: [(P.CONTACT_READ, creator(w.c))],
        True,
    ),
    U("creators.find", lambda w, a: w.ws.creators.find(a, country="FR"), always, True),
    U(
        "creators.update",
        lambda w, a: w.ws.creators.update(a, w.c, themes=["food", "garden"]),
        lambda w, a: [(P.CREATOR_WRITE, creator(w.c))],
    ),
    U(
        "creators.update contact",
        lambda w, a: w.ws.creators.update(a, w.c, contact=ic.ContactDetails(email="n@e.org")),
        lambda w, a: [(P.CREATOR_WRITE, creator(w.c)), (P.CONTACT_READ, creator(w.c))],
    ),
    # privacy
    U(
        "privacy.export",
        lambda w, a: w.ws.privacy.export(a, w.c),
        lambda w, a: [(P.PERSONAL_DATA_EXPORT, creator(w.c)), (P.CONTACT_READ, creator(w.c))],
        True,
    ),
    U(
        "privacy.erase",
        lambda w, a: w.ws.privacy.erase(a, w.c),
        lambda w, a: [(P.PERSONAL_DATA_ERASE, creator(w.c))],
    ),
    U(
        "privacy.audit",
        lambda w, a: w.ws.privacy.audit(a, w.c),
        lambda w, a: [(P.AUDIT_READ, creator(w.c))],
        True,
    ),
    # groups
    U(
        "groups.create",
        lambda w, a: w.ws.groups.create(a, brand_id="acme", name="New", id="grp_new"),
        lambda w, a: [(P.GROUP_WRITE, Resource("group", "grp_new", brand_id="acme"))],
    ),
    U(
        "groups.get",
        lambda w, a: w.ws.groups.get(a, w.group.id),
        lambda w, a: [(P.GROUP_READ, Resource("group", w.group.id, brand_id="acme"))],
        True,
    ),
    U(
        "groups.list",
        lambda w, a: w.ws.groups.list(a, "acme"),
        lambda w, a: [(P.GROUP_READ, brand("groups"))],
        True,
    ),
    U(
        "groups.add_creators",
        lambda w, a: w.ws.groups.add_creators(a, w.group.id, [w.e]),
        lambda w, a: [(P.GROUP_WRITE, Resource("group", w.group.id, brand_id="acme"))],
    ),
    U(
        "groups.remove_creators",
        lambda w, a: w.ws.groups.remove_creators(a, w.group.id, [w.c]),
        lambda w, a: [(P.GROUP_WRITE, Resource("group", w.group.id, brand_id="acme"))],
    ),
    # campaigns
    U(
        "campaigns.create",
        lambda w, a: w.ws.campaigns.create(
            a,
            brand_id="acme",
            name="Neuf",
            kind="seeding",
            mode="project",
            start=T0,
            end=T0.add(days=30),
            timezone="Europe/Paris",
            id="cmp_new",
        ),
        lambda w, a: [
            (
                P.CAMPAIGN_WRITE,
                Resource("campaign", "cmp_new", brand_id="acme", campaign_id="cmp_new"),
            )
        ],
    ),
    U(
        "campaigns.get",
        lambda w, a: w.ws.campaigns.get(a, w.project.id),
        lambda w, a: [(P.CAMPAIGN_READ, w.owned(w.project, a))],
        True,
    ),
    U(
        "campaigns.get offer",
        lambda w, a: w.ws.campaigns.get(a, w.offer.id),
        lambda w, a: [(P.CAMPAIGN_READ, w.owned(w.offer, a))],
        True,
    ),
    U("campaigns.list", lambda w, a: w.ws.campaigns.list(a, "acme"), always, True),
    U(
        "campaigns.update",
        lambda w, a: w.ws.campaigns.update(a, w.project.id, summary="new"),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.project))],
    ),
    U(
        "campaigns.open",
        lambda w, a: w.ws.campaigns.open(a, w.draft.id),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.draft))],
    ),
    U(
        "campaigns.start",
        lambda w, a: w.ws.campaigns.start(a, w.offer.id),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.offer))],
    ),
    U(
        "campaigns.end",
        lambda w, a: w.ws.campaigns.end(a, w.project.id),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.project))],
    ),
    U(
        "campaigns.review",
        lambda w, a: w.ws.campaigns.review(a, w.ended.id),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.ended))],
    ),
    U(
        "campaigns.cancel",
        lambda w, a: w.ws.campaigns.cancel(a, w.offer.id),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.offer))],
    ),
    U(
        "campaigns.copy_project",
        lambda w, a: w.ws.campaigns.copy_project(a, w.project.id, name="Copie", id="cmp_copy"),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.project))],
    ),
    # exchanges (issue 17)
    U(
        "exchanges.log",
        lambda w, a: w.ws.exchanges.log(
            a, brand_id="acme", creator_id=w.c, channel="note", summary="Met", happened_at=T0
        ),
        lambda w, a: [(P.EXCHANGE_WRITE, Resource("exchanges", w.c, brand_id="acme"))],
    ),
    U(
        "exchanges.list",
        lambda w, a: w.ws.exchanges.list(a, brand_id="acme", creator_id=w.c),
        lambda w, a: [(P.EXCHANGE_READ, Resource("exchanges", w.c, brand_id="acme"))],
        True,
    ),
    U(
        "exchanges.get",
        lambda w, a: w.ws.exchanges.get(a, w.exchange_id),
        lambda w, a: [(P.EXCHANGE_READ, Resource("exchanges", w.c, brand_id="acme"))],
        True,
    ),
    # applications
    U(
        "applications.apply",
        lambda w, a: w.ws.applications.apply(a, w.offer.id, w.e, pitch="Moi"),
        lambda w, a: [(P.APPLY, creator(w.e)), (P.CAMPAIGN_READ, camp(w.offer))],
    ),
    U(
        "applications.get",
        lambda w, a: w.ws.applications.get(a, w.application.id),
        lambda w, a: [(P.PARTICIPATION_READ, application(w.application))],
        True,
    ),
    U(
        "applications.list",
        lambda w, a: w.ws.applications.list(a, w.offer.id),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.offer))],
        True,
    ),
    U(
        "applications.accept",
        lambda w, a: w.ws.applications.accept(a, w.application.id, message="Oui"),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.offer))],
    ),
    U(
        "applications.refuse",
        lambda w, a: w.ws.applications.refuse(a, w.application.id, message="Non"),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.offer))],
    ),
    U(
        "applications.accept_many",
        lambda w, a: w.ws.applications.accept_many(a, [w.application.id], message="Oui"),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.offer))],
    ),
    U(
        "applications.refuse_many",
        lambda w, a: w.ws.applications.refuse_many(a, [w.application.id], message="Non"),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.offer))],
    ),
    U(
        "applications.withdraw",
        lambda w, a: w.ws.applications.withdraw(a, w.application.id),
        lambda w, a: [(P.APPLY, application(w.application))],
    ),
    U(
        "applications.pending_beyond",
        lambda w, a: w.ws.applications.pending_beyond(a, w.offer.id, 0),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.offer))],
        True,
    ),
    U(
        "applications.response_stats",
        lambda w, a: w.ws.applications.response_stats(a, w.offer.id),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.offer))],
        True,
    ),
    # participations
    U(
        "participations.add",
        lambda w, a: w.ws.participations.add(a, w.project.id, w.e),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.project))],
    ),
    U(
        "participations.invite_group",
        lambda w, a: w.ws.participations.invite_group(a, w.project.id, w.group.id),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.project))],
    ),
    U(
        "participations.submit_for_approval",
        lambda w, a: w.ws.participations.submit_for_approval(a, w.project.id, ["rv_2"]),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.project))],
    ),
    U(
        "participations.review",
        lambda w, a: w.ws.participations.review(a, w.pd.id, "approve", comment="ok"),
        lambda w, a: [(P.LIST_REVIEW, part(w.pd))],
        people_only=True,
    ),
    U(
        "participations.confirm",
        lambda w, a: w.ws.participations.confirm(a, w.pd.id),
        lambda w, a: [(P.PARTICIPATION_RESPOND, part(w.pd))],
    ),
    U(
        "participations.decline",
        lambda w, a: w.ws.participations.decline(a, w.pd.id),
        lambda w, a: [(P.PARTICIPATION_RESPOND, part(w.pd))],
    ),
    U(
        "participations.complete",
        lambda w, a: w.ws.participations.complete(a, w.pc.id),
        lambda w, a: [(P.CAMPAIGN_WRITE, part(w.pc))],
    ),
    U(
        "participations.drop",
        lambda w, a: w.ws.participations.drop(a, w.pc.id),
        lambda w, a: [(P.CAMPAIGN_WRITE, part(w.pc))],
    ),
    U(
        "participations.get",
        lambda w, a: w.ws.participations.get(a, w.pc.id),
        lambda w, a: [(P.PARTICIPATION_READ, part(w.pc))],
        True,
    ),
    U("participations.list", lambda w, a: w.ws.participations.list(a, w.project.id), always, True),
    U(
        "participations.list_status",
        lambda w, a: w.ws.participations.list_status(a, w.project.id),
        lambda w, a: [(P.PARTICIPATION_READ, camp(w.project))],
        True,
    ),
    # messages
    U(
        "messages.save_template",
        lambda w, a: w.ws.messages.save_template(
            a, brand_id="acme", kind="shipping", name="S", body="Sent"
        ),
        lambda w, a: [(P.TEMPLATE_WRITE, brand("templates"))],
    ),
    U(
        "messages.templates",
        lambda w, a: w.ws.messages.templates(a, "acme"),
        lambda w, a: [(P.TEMPLATE_WRITE, brand("templates"))],
        True,
    ),
    U(
        "messages.send",
        lambda w, a: w.ws.messages.send(a, w.pc.id, "Salut"),
        lambda w, a: [(P.MESSAGE_WRITE, part(w.pc, "thread"))],
    ),
    U(
        "messages.thread",
        lambda w, a: w.ws.messages.thread(a, w.pc.id),
        lambda w, a: [(P.MESSAGE_READ, part(w.pc, "thread"))],
        True,
    ),
    U(
        "messages.mark_read",
        lambda w, a: w.ws.messages.mark_read(a, w.pc.id),
        lambda w, a: [(P.MESSAGE_READ, part(w.pc, "thread"))],
    ),
    U(
        "messages.unread_counts",
        lambda w, a: w.ws.messages.unread_counts(a, w.project.id),
        lambda w, a: [
            (P.CAMPAIGN_READ, w.owned(w.project, a))
            if isinstance(a, ic.CreatorUser)
            else (P.MESSAGE_READ, camp(w.project))
        ],
        True,
    ),
    # shipments
    U(
        "shipments.create",
        lambda w, a: w.ws.shipments.create(a, w.pc.id, _ITEMS),
        lambda w, a: [(P.SHIPMENT_WRITE, part(w.pc, "shipment"))],
    ),
    U(
        "shipments.ship",
        lambda w, a: w.ws.shipments.ship(a, w.parcel.id, carrier="DHL"),
        lambda w, a: [(P.SHIPMENT_WRITE, part(w.pc, "shipment"))],
    ),
    U(
        "shipments.deliver",
        lambda w, a: w.ws.shipments.deliver(a, w.shipment.id),
        lambda w, a: [(P.SHIPMENT_RECEIVE, part(w.pc, "shipment"))],
    ),
    U(
        "shipments.lose",
        lambda w, a: w.ws.shipments.lose(a, w.shipment.id),
        lambda w, a: [(P.SHIPMENT_WRITE, part(w.pc, "shipment"))],
    ),
    U(
        "shipments.return_",
        lambda w, a: w.ws.shipments.return_(a, w.shipment.id),
        lambda w, a: [(P.SHIPMENT_WRITE, part(w.pc, "shipment"))],
    ),
    U(
        "shipments.get",
        lambda w, a: w.ws.shipments.get(a, w.shipment.id),
        lambda w, a: [(P.SHIPMENT_READ, part(w.pc, "shipment"))],
        True,
    ),
    U(
        "shipments.list",
        lambda w, a: w.ws.shipments.list(a, w.pc.id),
        lambda w, a: [(P.SHIPMENT_READ, part(w.pc, "shipment"))],
        True,
    ),
    # deliverables
    U(
        "deliverables.plan",
        lambda w, a: w.ws.deliverables.plan(a, w.pc.id, platform="instagram", format="story"),
        lambda w, a: [(P.DELIVERABLE_WRITE, part(w.pc, "content"))],
    ),
    U(
        "deliverables.reschedule",
        lambda w, a: w.ws.deliverables.reschedule(a, w.deliverable.id, due_on=dt.date(2026, 4, 8)),
        lambda w, a: [(P.DELIVERABLE_WRITE, part(w.pc, "content"))],
    ),
    U(
        "deliverables.cancel",
        lambda w, a: w.ws.deliverables.cancel(a, w.deliverable.id),
        lambda w, a: [(P.DELIVERABLE_WRITE, part(w.pc, "content"))],
    ),
    U(
        "deliverables.get",
        lambda w, a: w.ws.deliverables.get(a, w.deliverable.id),
        lambda w, a: [(P.PARTICIPATION_READ, part(w.pc, "content"))],
        True,
    ),
    U(
        "deliverables.list",
        lambda w, a: w.ws.deliverables.list(a, w.pc.id),
        lambda w, a: [(P.PARTICIPATION_READ, part(w.pc, "content"))],
        True,
    ),
    U(
        "deliverables.progress",
        lambda w, a: w.ws.deliverables.progress(a, w.project.id),
        lambda w, a: [(P.CAMPAIGN_INTERNAL_READ, camp(w.project))],
        True,
    ),
    # submissions
    U(
        "submissions.submit",
        lambda w, a: w.ws.submissions.submit(
            a,
            w.pc.id,
            url="https://www.instagram.com/p/def/",
            platform="instagram",
            format="post",
            published_at=T0,
        ),
        lambda w, a: [(P.CONTENT_SUBMIT, part(w.pc, "content"))],
    ),
    U(
        "submissions.record_metrics",
        lambda w, a: w.ws.submissions.record_metrics(a, w.submission.id, {"likes": 90}),
        lambda w, a: [(P.CONTENT_SUBMIT, part(w.pc, "content"))],
    ),
    U(
        "submissions.check_brief",
        lambda w, a: w.ws.submissions.check_brief(a, w.submission.id),
        lambda w, a: [(P.PARTICIPATION_READ, part(w.pc, "content"))],
        True,
    ),
    U(
        "submissions.validate",
        lambda w, a: w.ws.submissions.validate(a, w.submission.id, compliance=90),
        lambda w, a: [(P.CONTENT_VALIDATE, part(w.pc, "content"))],
    ),
    U(
        "submissions.reopen",
        lambda w, a: w.ws.submissions.reopen(a, w.validated.id, reason="again"),
        lambda w, a: [(P.CONTENT_VALIDATE, part(w.pc, "content"))],
    ),
    U(
        "submissions.deadlines",
        lambda w, a: w.ws.submissions.deadlines(a, w.submission.id),
        lambda w, a: [(P.PARTICIPATION_READ, part(w.pc, "content"))],
        True,
    ),
    U(
        "submissions.get",
        lambda w, a: w.ws.submissions.get(a, w.submission.id),
        lambda w, a: [(P.PARTICIPATION_READ, part(w.pc, "content"))],
        True,
    ),
    U(
        "submissions.list",
        lambda w, a: w.ws.submissions.list(a, w.pc.id),
        lambda w, a: [(P.PARTICIPATION_READ, part(w.pc, "content"))],
        True,
    ),
    # links and codes
    U(
        "links.create",
        lambda w, a: w.ws.links.create(a, w.pc.id, landing_url="https://acme.example/b"),
        lambda w, a: [(P.TRACKING_WRITE, part(w.pc, "link"))],
    ),
    U(
        "links.get",
        lambda w, a: w.ws.links.get(a, w.link.id),
        lambda w, a: [(P.SALES_READ, part(w.pc, "link"))],
        True,
    ),
    U("links.list", lambda w, a: w.ws.links.list(a, w.project.id), always, True),
    U(
        "codes.create",
        lambda w, a: w.ws.codes.create(a, w.pc.id, code="CLEO20"),
        lambda w, a: [(P.TRACKING_WRITE, part(w.pc, "code"))],
    ),
    U("codes.list", lambda w, a: w.ws.codes.list(a, w.project.id), always, True),
    U(
        "codes.lookup",
        lambda w, a: w.ws.codes.lookup(a, "acme", "CLEO10"),
        lambda w, a: [(P.SALES_READ, part(w.pc, "code"))],
        True,
    ),
    # sales
    U(
        "sales.apply",
        lambda w, a: w.ws.sales.apply(a, "acme", "acme.myshopify.com", _order_event("1002")),
        lambda w, a: [(P.SALES_WRITE, brand("shop orders"))],
    ),
    U(
        "sales.apply_all",
        lambda w, a: w.ws.sales.apply_all(a, "acme", "acme.myshopify.com", [_order_event("1003")]),
        lambda w, a: [(P.SALES_WRITE, brand("shop orders"))],
    ),
    U(
        "sales.order",
        lambda w, a: w.ws.sales.order(a, "acme", "acme.myshopify.com", w.order_id),
        lambda w, a: [(P.SALES_READ, brand("shop orders"))],
        True,
    ),
    U(
        "sales.orders",
        lambda w, a: w.ws.sales.orders(a, "acme"),
        lambda w, a: [(P.SALES_READ, brand("shop orders"))],
        True,
    ),
    U(
        "sales.receipts",
        lambda w, a: w.ws.sales.receipts(a, "acme", "acme.myshopify.com", w.order_id),
        lambda w, a: [(P.SALES_READ, brand("shop orders"))],
        True,
    ),
    U(
        "sales.report",
        lambda w, a: w.ws.sales.report(a, w.project.id),
        lambda w, a: any_of(w, a, P.SALES_READ, camp(w.project), part(w.pc), part(w.pd)),
        True,
    ),
    # costs
    U(
        "costs.plan",
        lambda w, a: w.ws.costs.plan(a, w.project.id, "gift", ic.Money.of("5", "EUR")),
        lambda w, a: [(P.COST_WRITE, camp(w.project))],
    ),
    U(
        "costs.plan_compensation",
        lambda w, a: w.ws.costs.plan_compensation(a, w.project.id),
        lambda w, a: [(P.COST_WRITE, camp(w.project))],
    ),
    U(
        "costs.commit",
        lambda w, a: w.ws.costs.commit(a, w.cost.id),
        lambda w, a: [(P.COST_WRITE, part(w.pc, "cost"))],
    ),
    U(
        "costs.pay",
        lambda w, a: w.ws.costs.pay(a, w.cost.id),
        lambda w, a: [(P.COST_WRITE, part(w.pc, "cost"))],
    ),
    U(
        "costs.cancel",
        lambda w, a: w.ws.costs.cancel(a, w.cost.id, reason="no"),
        lambda w, a: [(P.COST_WRITE, part(w.pc, "cost"))],
    ),
    U(
        "costs.get",
        lambda w, a: w.ws.costs.get(a, w.cost.id),
        lambda w, a: [(P.COST_READ, part(w.pc, "cost"))],
        True,
    ),
    U(
        "costs.list",
        lambda w, a: w.ws.costs.list(a, w.project.id),
        lambda w, a: any_of(w, a, P.COST_READ, camp(w.project), part(w.pc), part(w.pd)),
        True,
    ),
    U(
        "costs.budget",
        lambda w, a: w.ws.costs.budget(a, w.project.id),
        lambda w, a: [(P.COST_READ, camp(w.project))],
        True,
    ),
    U(
        "costs.plan_deliverables",
        lambda w, a: w.ws.costs.plan_deliverables(a, w.project.id),
        lambda w, a: [(P.COST_WRITE, camp(w.project))],
    ),
    # creator pay (issue 18)
    U(
        "pay.sync",
        lambda w, a: w.ws.pay.sync(a, w.project.id),
        lambda w, a: [(P.COST_WRITE, camp(w.project))],
    ),
    U(
        "pay.issue",
        lambda w, a: w.ws.pay.issue(a, "acme", w.c, period_end=dt.date(2026, 4, 30)),
        lambda w, a: [(P.COST_WRITE, payee(w.c))],
    ),
    U(
        "pay.pay",
        lambda w, a: w.ws.pay.pay(a, w.statement_id),
        lambda w, a: [(P.COST_WRITE, payee(w.c))],
    ),
    U(
        "pay.record_payment",
        lambda w, a: w.ws.pay.record_payment(a, w.statement_id, reference="SEPA-1"),
        lambda w, a: [(P.COST_WRITE, payee(w.c))],
    ),
    U(
        "pay.ledger",
        lambda w, a: w.ws.pay.ledger(a, "acme", w.c),
        lambda w, a: [(P.COST_READ, payee(w.c))],
        True,
    ),
    U(
        "pay.statements",
        lambda w, a: w.ws.pay.statements(a, "acme", w.c),
        lambda w, a: [(P.COST_READ, payee(w.c))],
        True,
    ),
    U(
        "pay.statement",
        lambda w, a: w.ws.pay.statement(a, w.statement_id),
        lambda w, a: [(P.COST_READ, payee(w.c))],
        True,
    ),
    U(
        "pay.export_csv",
        lambda w, a: w.ws.pay.export_csv(a, [w.statement_id]),
        lambda w, a: [(P.COST_READ, payee(w.c))],
        True,
    ),
    # rate cards and reports
    U(
        "rate_cards.define",
        lambda w, a: w.ws.rate_cards.define(a, "acme", _CARD),
        lambda w, a: [(P.RATE_CARD_WRITE, brand("rate cards"))],
    ),
    U(
        "rate_cards.book",
        lambda w, a: w.ws.rate_cards.book(a, "acme", "acme"),
        lambda w, a: [(P.CAMPAIGN_INTERNAL_READ, brand("rate cards"))],
        True,
    ),
    U(
        "rate_cards.names",
        lambda w, a: w.ws.rate_cards.names(a, "acme"),
        lambda w, a: [(P.CAMPAIGN_INTERNAL_READ, brand("rate cards"))],
        True,
    ),
    U(
        "reports.campaign",
        lambda w, a: w.ws.reports.campaign(a, w.project.id, draws=20, seed=1),
        lambda w, a: [
            (P.COST_READ, camp(w.project)),
            (P.CAMPAIGN_INTERNAL_READ, camp(w.project)),
            (P.SALES_READ, camp(w.project)),
        ],
        True,
    ),
    U(
        "reports.segments",
        lambda w, a: w.ws.reports.segments(a, [w.project.id]),
        lambda w, a: [
            (P.COST_READ, camp(w.project)),
            (P.CAMPAIGN_INTERNAL_READ, camp(w.project)),
            (P.SALES_READ, camp(w.project)),
        ],
        True,
    ),
    # calendar and overlap
    U(
        "calendar.for_campaigns",
        lambda w, a: w.ws.calendar.for_campaigns(a, [w.project.id]),
        lambda w, a: [(P.CAMPAIGN_READ, w.owned(w.project, a))],
        True,
    ),
    U(
        "calendar.ics",
        lambda w, a: w.ws.calendar.ics(a, [w.project.id]),
        lambda w, a: [(P.CAMPAIGN_READ, w.owned(w.project, a))],
        True,
    ),
    U(
        "overlap.for_campaign",
        lambda w, a: w.ws.overlap.for_campaign(a, w.project.id, _audience()),
        lambda w, a: [(P.CAMPAIGN_INTERNAL_READ, camp(w.project))],
        True,
    ),
    U(
        "overlap.plan",
        lambda w, a: w.ws.overlap.plan(a, w.project.id, _audience(), max_creators=1),
        lambda w, a: [(P.CAMPAIGN_INTERNAL_READ, camp(w.project))],
        True,
    ),
    # reviews, history and matching
    U(
        "reviews.rate",
        lambda w, a: w.ws.reviews.rate(
            a, w.ended.id, w.c, ratings={"reliability": 5}, work_again=False
        ),
        lambda w, a: [(P.REVIEW_WRITE, camp(w.ended))],
    ),
    U(
        "reviews.get",
        lambda w, a: w.ws.reviews.get(a, w.ended.id, w.c),
        lambda w, a: [(P.REVIEW_READ, camp(w.ended))],
        True,
    ),
    U(
        "reviews.list",
        lambda w, a: w.ws.reviews.list(a, w.ended.id),
        lambda w, a: [(P.REVIEW_READ, camp(w.ended))],
        True,
    ),
    U(
        "reviews.retrospective",
        lambda w, a: w.ws.reviews.retrospective(a, w.ended.id),
        lambda w, a: [(P.CAMPAIGN_INTERNAL_READ, camp(w.ended))],
        True,
    ),
    U(
        "history.brand",
        lambda w, a: w.ws.history.brand(a, "acme"),
        lambda w, a: [(P.REVIEW_READ, brand("relationship history"))],
        True,
    ),
    U(
        "history.creator",
        lambda w, a: w.ws.history.creator(a, "acme", w.c),
        lambda w, a: [(P.REVIEW_READ, brand("relationship history"))],
        True,
    ),
    U(
        "history.reactivation",
        lambda w, a: w.ws.history.reactivation(a, "acme"),
        lambda w, a: [(P.REVIEW_READ, brand("relationship history"))],
        True,
    ),
    U(
        "matching.rank",
        lambda w, a: w.ws.matching.rank(a, w.offer.id),
        lambda w, a: [
            (P.CAMPAIGN_INTERNAL_READ, camp(w.offer)),
            (P.REVIEW_READ, brand("relationship history")),
        ],
        True,
    ),
    # drafts
    U(
        "drafts.submit",
        lambda w, a: w.ws.drafts.submit(
            a, w.pc.id, platform="instagram", format="post", caption="Autre #ad"
        ),
        lambda w, a: [(P.CONTENT_SUBMIT, part(w.pc, "content"))],
    ),
    U(
        "drafts.revise",
        lambda w, a: w.ws.drafts.revise(a, w.dft.id, caption="Kit v2 #ad"),
        lambda w, a: [(P.CONTENT_SUBMIT, part(w.pc, "content"))],
    ),
    U(
        "drafts.approve",
        lambda w, a: w.ws.drafts.approve(a, w.dft.id, comments="ok"),
        lambda w, a: [(P.CONTENT_VALIDATE, part(w.pc, "content"))],
    ),
    U(
        "drafts.request_changes",
        lambda w, a: w.ws.drafts.request_changes(a, w.dft.id, comments="shorter"),
        lambda w, a: [(P.CONTENT_VALIDATE, part(w.pc, "content"))],
    ),
    U(
        "drafts.get",
        lambda w, a: w.ws.drafts.get(a, w.dft.id),
        lambda w, a: [(P.PARTICIPATION_READ, part(w.pc, "content"))],
        True,
    ),
    U(
        "drafts.list",
        lambda w, a: w.ws.drafts.list(a, w.pc.id),
        lambda w, a: [(P.PARTICIPATION_READ, part(w.pc, "content"))],
        True,
    ),
    # usage rights
    U(
        "rights.grant",
        lambda w, a: w.ws.rights.grant(
            a,
            w.validated.id,
            channels=["website"],
            territories=["FR"],
            starts_on=dt.date(2026, 3, 2),
            fee=ic.Money.of("50", "EUR"),
        ),
        lambda w, a: [(P.RIGHTS_WRITE, part(w.pc, "content"))],
    ),
    U(
        "rights.revoke",
        lambda w, a: w.ws.rights.revoke(a, w.rights.id, reason="ended"),
        lambda w, a: [(P.RIGHTS_WRITE, part(w.pc, "content"))],
    ),
    U(
        "rights.may_use",
        lambda w, a: w.ws.rights.may_use(
            a, w.submission.id, "organic_repost", "FR", dt.date(2026, 4, 1)
        ),
        lambda w, a: [(P.PARTICIPATION_READ, part(w.pc, "content"))],
        True,
    ),
    U(
        "rights.list",
        lambda w, a: w.ws.rights.list(a, w.submission.id),
        lambda w, a: [(P.PARTICIPATION_READ, part(w.pc, "content"))],
        True,
    ),
    U(
        "rights.get",
        lambda w, a: w.ws.rights.get(a, w.rights.id),
        lambda w, a: [(P.PARTICIPATION_READ, part(w.pc, "content"))],
        True,
    ),
    # contests
    U(
        "contests.create",
        lambda w, a: w.ws.contests.create(
            a,
            w.giveaway.id,
            rules=ic.RulesDocument("https://acme.example/r", "v1"),
            jurisdictions=["FR"],
            closes_at=T0.add(days=5),
            prize="a mug",
        ),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.giveaway))],
    ),
    U(
        "contests.get",
        lambda w, a: w.ws.contests.get(a, w.contest.id),
        lambda w, a: [(P.CAMPAIGN_READ, camp(w.campaign(w.contest)))],
        True,
    ),
    U(
        "contests.commit_seed",
        lambda w, a: w.ws.contests.commit_seed(a, w.contest.id, ic.seed_commitment(SEED)),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.campaign(w.contest)))],
    ),
    U(
        "contests.enter",
        lambda w, a: w.ws.contests.enter(a, w.contest.id, _entry("fan.two", T0, "https://x/1")),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.campaign(w.contest)))],
    ),
    U(
        "contests.import_entries",
        lambda w, a: w.ws.contests.import_entries(
            a, w.contest.id, [_entry("fan.three", T0, "https://x/2")]
        ),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.campaign(w.contest)))],
    ),
    U(
        "contests.entries",
        lambda w, a: w.ws.contests.entries(a, w.contest.id),
        lambda w, a: [(P.CAMPAIGN_INTERNAL_READ, camp(w.campaign(w.contest)))],
        True,
    ),
    U(
        "contests.entry_list",
        lambda w, a: w.ws.contests.entry_list(a, w.drawn.id),
        lambda w, a: [(P.CAMPAIGN_READ, camp(w.campaign(w.drawn)))],
        True,
    ),
    U(
        "contests.draw",
        lambda w, a: w.ws.contests.draw(a, w.closed.id, SEED),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.campaign(w.closed)))],
    ),
    U(
        "contests.notify_winners",
        lambda w, a: w.ws.contests.notify_winners(a, w.drawn.id),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.campaign(w.drawn)))],
    ),
    U(
        "contests.ship_prize",
        lambda w, a: w.ws.contests.ship_prize(a, w.drawn.winners[0], _ITEMS),
        lambda w, a: [(P.SHIPMENT_WRITE, part(w.taking_part(w.drawn), "shipment"))],
    ),
    U(
        "contests.report",
        lambda w, a: w.ws.contests.report(a, w.drawn.id),
        lambda w, a: [(P.CAMPAIGN_INTERNAL_READ, camp(w.campaign(w.drawn)))],
        True,
    ),
    # events
    U(
        "events.schedule",
        lambda w, a: w.ws.events.schedule(
            a,
            w.gala.id,
            name="Gala",
            starts_at=T0.add(days=3),
            ends_at=T0.add(days=3, hours=3),
            venue=_VENUE,
            capacity=5,
        ),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.gala))],
    ),
    U(
        "events.get",
        lambda w, a: w.ws.events.get(a, w.event.id),
        lambda w, a: [(P.CAMPAIGN_READ, w.owned(w.party, a))],
        True,
    ),
    U(
        "events.invite",
        lambda w, a: w.ws.events.invite(a, w.event.id, [w.e]),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.party))],
    ),
    U(
        "events.invite_group",
        lambda w, a: w.ws.events.invite_group(a, w.event.id, w.group.id),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.party))],
    ),
    U(
        "events.respond",
        lambda w, a: w.ws.events.respond(a, w.event.id, w.d, accept=True),
        lambda w, a: [(P.PARTICIPATION_RESPOND, part(w.pd_party))],
    ),
    U(
        "events.respond decline",
        lambda w, a: w.ws.events.respond(a, w.event.id, w.d, accept=False),
        lambda w, a: [(P.PARTICIPATION_RESPOND, part(w.pd_party))],
    ),
    U(
        "events.resize",
        lambda w, a: w.ws.events.resize(a, w.event.id, 20),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.party))],
    ),
    U(
        "events.check_in",
        lambda w, a: w.ws.events.check_in(a, w.event.id, w.c),
        lambda w, a: [(P.CAMPAIGN_WRITE, camp(w.party))],
    ),
    U(
        "events.attendance",
        lambda w, a: w.ws.events.attendance(a, w.event.id),
        lambda w, a: [(P.CAMPAIGN_READ, camp(w.party))],
        True,
    ),
    U(
        "events.coverage",
        lambda w, a: w.ws.events.coverage(a, w.event.id),
        lambda w, a: [(P.CAMPAIGN_READ, camp(w.party))],
        True,
    ),
    # kinds
    U(
        "kinds.equip",
        lambda w, a: w.ws.kinds.equip(a, w.project.id),
        lambda w, a: [(P.TRACKING_WRITE, camp(w.project))],
    ),
    U(
        "kinds.equip sales tracking",
        lambda w, a: w.ws.kinds.equip(a, w.sales.id),
        lambda w, a: [(P.TRACKING_WRITE, camp(w.sales))],
    ),
    # capture
    U(
        "capture.run",
        lambda w, a: w.ws.capture.run(a, _feed(), campaign_ids=[w.project.id]),
        lambda w, a: [(P.CONTENT_CAPTURE, camp(w.project))],
    ),
    U(
        "capture.run every campaign",
        lambda w, a: w.ws.capture.run(a, _feed()),
        lambda w, a: [
            (
                P.CONTENT_CAPTURE,
                Resource("campaign", "*", brand_id=a.brand_id)
                if isinstance(a, ic.BrandMember)  # its own brand's (globex: none runs)
                else camp(w.project),
            )
        ],
    ),
    U(
        "capture.schedule",
        lambda w, a: w.ws.capture.schedule(a, w.project.id),
        lambda w, a: [(P.CONTENT_CAPTURE, camp(w.project))],
    ),
    U(
        "capture.earned",
        lambda w, a: w.ws.capture.earned(a, w.project.id),
        lambda w, a: [
            (
                P.PARTICIPATION_READ,
                Resource(
                    "earned mentions", w.project.id, brand_id="acme", campaign_id=w.project.id
                ),
            )
        ],
        True,
    ),
    # the scheduler
    U("scheduler.run", lambda w, a: w.ws.scheduler.run(a), system_only),
    U(
        "scheduler.pending",
        lambda w, a: w.ws.scheduler.pending(a, subject_id=w.pc.id),
        system_only,
        True,
    ),
]
"""Every public use case of the workspace that acts for a principal (``links.click`` is the
public redirect and acts for no one; ``capture.capture_job`` is the scheduler's handler)."""


def test_every_public_use_case_is_listed() -> None:
    """The table covers every public method of every service of the workspace."""
    ws = world().ws
    services = {
        name: service
        for name, service in vars(ws).items()
        if hasattr(service, "_context") and not name.startswith("_")
    }
    public = {
        f"{name}.{method}"
        for name, service in services.items()
        for method in dir(type(service))
        if not method.startswith("_") and callable(getattr(service, method))
    }
    listed = {u.name.split(" ")[0] for u in USE_CASES}
    # links.click is the public redirect and acts for no one; capture.capture_job is the
    # scheduler's handler (run by scheduler.run, given a unit of work, not a principal)
    assert public - listed == {"links.click", "capture.capture_job"}


# -- principals and policies -----------------------------------------------------------


def principals() -> st.SearchStrategy[ic.Principal]:
    """Anyone: members of acme or another brand in every role, reviewers invited to some
    campaigns (or none), the world's creators and a stranger, the system."""
    w = world()
    campaigns = [w.project.id, w.offer.id, w.ended.id, "cmp_elsewhere"]
    return st.one_of(
        st.builds(
            ic.BrandMember,
            user_id=st.sampled_from(["u_1", "u_2"]),
            brand_id=st.sampled_from(["acme", "acme", "globex"]),
            role=st.sampled_from(BrandRole),
        ),
        st.builds(
            ic.ClientReviewer,
            reviewer_id=st.sampled_from(["rv_1", "rv_9"]),
            brand_id=st.sampled_from(["acme", "globex"]),
            campaign_ids=st.frozensets(st.sampled_from(campaigns)),
        ),
        st.sampled_from([w.c, w.d, w.e, "cre_stranger"]).map(ic.CreatorUser),
        st.just(SYSTEM),
    )


def policies() -> st.SearchStrategy[AccessPolicy]:
    """The default policy, or one whose roles have random permissions."""
    roles = st.fixed_dictionaries(
        {role: st.frozensets(st.sampled_from(list(Permission))) for role in BrandRole}
    )
    return st.one_of(st.just(AccessPolicy()), st.builds(AccessPolicy, roles=roles))


# -- what a principal may read ---------------------------------------------------------


def _walk(value: Any, seen: set[int] | None = None) -> Iterator[Any]:
    """Every object inside a returned value (attrs fields, containers, mapping keys too)."""
    seen = set() if seen is None else seen
    if id(value) in seen or isinstance(value, str | int | float | bool | enum.Enum | None):
        return
    seen.add(id(value))
    yield value
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from _walk(getattr(value, field.name), seen)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(k, seen)
            yield from _walk(v, seen)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _walk(item, seen)


def forbidden(w: World, policy: AccessPolicy, actor: ic.Principal, result: Any) -> list[str]:
    """The fields of ``result`` that ``actor`` may not read, described."""
    found = []
    for obj in _walk(result):
        rules: list[tuple[bool, Permission, Resource, str]] = []
        if isinstance(obj, ic.Creator):
            rules.append((obj.contact is not None, P.CONTACT_READ, creator(obj.id), "contact"))
        if isinstance(obj, ic.Shipment):
            rules.append(
                (obj.ship_to is not None, P.CONTACT_READ, creator(obj.creator_id), "address")
            )
        if isinstance(obj, ic.Campaign):
            rules.append((bool(obj.summary), P.CAMPAIGN_INTERNAL_READ, camp(obj), "summary"))
        if isinstance(obj, ic.CreatorReview):
            rules.append((bool(obj.note), P.REVIEW_READ, camp(w.ended), "private note"))
        if isinstance(obj, dict) and isinstance(obj.get("id"), str):  # an exported record
            if "display_name" in obj:
                contact = obj.get("contact") is not None
                rules.append((contact, P.CONTACT_READ, creator(obj["id"]), "contact"))
            if "ratings" in obj:
                history = Resource("relationship history", "acme", brand_id="acme")
                rules.append((bool(obj.get("note")), P.REVIEW_READ, history, "private note"))
        found += [
            f"{what} of {obj.id}"
            for present, permission, resource, what in rules
            if present and not policy.allows(actor, permission, resource)
        ]
        found += _not_theirs(actor, obj)
    return found


def _not_theirs(actor: ic.Principal, obj: Any) -> list[str]:
    """``obj`` when it belongs to another creator (for a creator), another brand (for a
    member) or a campaign the reviewer was not invited to."""

    def get(name: str) -> Any:
        return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)

    owner, brand_id, campaign_id = get("creator_id"), get("brand_id"), get("campaign_id")
    what = type(obj).__name__
    if isinstance(actor, ic.CreatorUser) and isinstance(owner, str) and owner != actor.creator_id:
        return [f"{what} of another creator {owner}"]
    if (
        isinstance(actor, ic.BrandMember)
        and isinstance(brand_id, str)
        and brand_id != actor.brand_id
    ):
        return [f"{what} of brand {brand_id}"]
    if (
        isinstance(actor, ic.ClientReviewer)
        and isinstance(campaign_id, str)
        and campaign_id not in actor.campaign_ids
    ):
        return [f"{what} of campaign {campaign_id}"]
    return []


def personal_reads(w: World, actor: ic.Principal, result: Any) -> set[str]:
    """The creators (other than the actor) whose personal data ``result`` holds."""
    found = set()
    for obj in _walk(result):
        if isinstance(obj, ic.Creator) and obj.contact is not None:
            found.add(obj.id)
        if isinstance(obj, ic.Shipment) and obj.ship_to is not None:
            found.add(obj.creator_id)
    if isinstance(result, ic.ContactDetails):
        found.add(w.c)  # creators.contact returns the details alone
    if isinstance(actor, ic.CreatorUser):
        found.discard(actor.creator_id)
    return found


# -- the property -------------------------------------------------------------------------


def _cases() -> list[Any]:
    return [
        pytest.param(
            u,
            id=u.name,
        )
        for u in USE_CASES
    ]


@pytest.mark.parametrize("use_case", _cases())
@settings(max_examples=40)
@given(data=st.data())
def test_access_is_exactly_the_policy(use_case: UseCase, data: st.DataObject) -> None:
    """A use case is refused exactly when the policy refuses what it needs; a refused call
    changes nothing; no result holds a field the principal may not read; a read of someone
    else's personal data is audited."""
    w = world()
    policy = data.draw(policies(), label="policy")
    actor = data.draw(principals(), label="actor")
    w.ws = ic.Workspace(
        w.store, w.ws.clock, ids=w.ws.ids, access=policy, keys=w.ws.keys, payouts=w.ws.payouts
    )
    needs = use_case.needs(w, actor)
    allowed = (
        isinstance(actor, ic.SystemActor)
        if needs is None
        else all(policy.allows(actor, p, r) for p, r in needs)
        and not (use_case.people_only and isinstance(actor, ic.SystemActor))
    )
    audited = len(w.store._tables["audit entry"])
    try:
        result = use_case.call(w, actor)
    except ic.PermissionDenied:
        refused = True
    except ic.InflucampaignError:
        assert allowed, f"{actor} got past the access check the policy refuses"
        return
    else:
        refused = False
    if refused:
        assert not allowed, f"{actor} refused although the policy allows it"
        assert w.state() == w.snapshot, f"a refused call by {actor} changed the store"
        return
    assert allowed, f"{actor} was let through although the policy refuses it"
    assert forbidden(w, policy, actor, result) == []
    if use_case.read and personal_reads(w, actor, result):
        assert len(w.store._tables["audit entry"]) > audited, "a personal-data read not audited"


@pytest.mark.parametrize("use_case", USE_CASES, ids=[u.name for u in USE_CASES])
def test_each_use_case_succeeds_for_someone(use_case: UseCase) -> None:
    """In the world as built, each use case runs to the end for the system or acme's owner
    (so the property above exercises its success path, not only refusals)."""
    w = world()
    w.ws = ic.Workspace(w.store, w.ws.clock, ids=w.ws.ids, keys=w.ws.keys, payouts=w.ws.payouts)
    actor: ic.Principal = SYSTEM if use_case.needs(w, BOSS) is None else BOSS
    if use_case.name in ("privacy.erase", "privacy.audit"):
        actor = ic.CreatorUser(w.c)
    if use_case.name == "participations.review":
        invited = {w.project.id}
        actor = ic.ClientReviewer("rv_1", "acme", invited)
    use_case.call(w, actor)


class TestFoundByTheProperty:
    """Regressions the access property found."""

    def test_campaign_changes_hide_the_internal_summary(self) -> None:
        """A member who may manage a campaign but not read its internal summary does not get
        the summary back from create, update or a status change (they returned it whole)."""
        writers = AccessPolicy(
            roles={BrandRole.MANAGER: frozenset({P.CAMPAIGN_WRITE, P.CAMPAIGN_READ})}
        )
        ws = ic.Workspace(MemoryStore(), ic.FrozenClock(T0), access=writers)
        manager = ic.BrandMember("u_1", brand_id="acme", role="manager")
        created = ws.campaigns.create(
            manager,
            brand_id="acme",
            name="Neuf",
            kind="seeding",
            mode="project",
            start=T0,
            end=T0.add(days=30),
            timezone="Europe/Paris",
            summary="internal: margin 12 %",
        )
        updated = ws.campaigns.update(manager, created.id, name="Neuf 2")
        started = ws.campaigns.start(manager, created.id)
        assert [c.summary for c in (created, updated, started)] == ["", "", ""]
        everyone = ic.Workspace(ws.store, ws.clock)  # the default policy: owners read it
        assert everyone.campaigns.get(BOSS, created.id).summary == "internal: margin 12 %"

    def test_a_guest_reads_no_other_guest(self) -> None:
        """A creator invited to an event reads the event, but not the other creators on its
        guest list (events.get returns every Guest, with its creator id and answer)."""
        w = world()
        event = ic.Workspace(w.store, w.ws.clock).events.get(ic.CreatorUser(w.d), w.event.id)
        assert {g.creator_id for g in event.guests} <= {w.d}

    def test_an_event_invites_no_group_of_another_brand(self) -> None:
        """Inviting a group to an event takes only a group of the event's brand, as
        participations.invite_group does (it takes globex's group and invites its creators)."""
        w = world()
        ws = ic.Workspace(w.store, w.ws.clock)
        globex = ic.BrandMember("u_g", brand_id="globex", role="owner")
        theirs = ws.groups.create(globex, brand_id="globex", name="Theirs", creator_ids=[w.e])
        try:
            with pytest.raises(ic.NotFound):
                ws.events.invite_group(BOSS, w.event.id, theirs.id)
        finally:
            w.restore()
