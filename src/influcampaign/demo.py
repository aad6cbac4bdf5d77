"""The demo campaign: the SDK's main job end to end, on an SQLite file, with its report."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TextIO

import pendulum

import influcampaign as ic

__all__ = ["run_demo"]

_CREATORS = [
    # name, handles, followers, engagement, themes, country, language
    (
        "Léa Martin",
        {"instagram": "lea.cooks", "tiktok": "leacooks"},
        8_400,
        0.061,
        ["food", "zero waste"],
        "FR",
        "fr",
    ),
    (
        "Hugo Bernard",
        {"instagram": "hugo.trails"},
        46_000,
        0.038,
        ["outdoor", "travel"],
        "FR",
        "fr",
    ),
    (
        "Amélie Dubois",
        {"instagram": "amelie.glow", "youtube": "AmelieGlow"},
        180_000,
        0.024,
        ["beauty"],
        "BE",
        "fr",
    ),
    ("Sam Okafor", {"tiktok": "samtastes"}, 720_000, 0.052, ["food", "humour"], "GB", "en"),
    ("Noor Haddad", {"instagram": "noor.reads"}, 3_100, 0.094, ["books", "lifestyle"], "FR", "fr"),
]


def run_demo(url: str, out: TextIO) -> ic.Workspace:
    """Create creators, a group and a campaign in the store at ``url``, and print them."""
    clock = ic.FrozenClock(pendulum.datetime(2026, 3, 2, 9, tz="Europe/Paris"))
    ws = ic.open(url, clock=clock, ids=ic.SequentialIds())
    manager = ic.BrandMember("u_claire", brand_id="maison-verte", role="manager")
    analyst = ic.BrandMember("u_tom", brand_id="maison-verte", role="analyst")

    def say(text: str = "") -> None:
        print(text, file=out)

    local_now = clock.now().in_timezone("Europe/Paris")
    say(f"influcampaign demo — store {ws.store!r}, clock at {local_now}")
    say()
    say("Creators")
    creators = []
    with ws.atomic() as tx:
        for name, handles, followers, rate, themes, country, language in _CREATORS:
            platform = next(iter(handles))
            creators.append(
                tx.creators.register(
                    manager,
                    name,
                    handles=handles,
                    audience={
                        platform: ic.AudienceStats(followers=followers, engagement_rate=rate)
                    },
                    themes=themes,
                    country=country,
                    language=language,
                    contact=ic.ContactDetails(email=f"{handles[platform]}@example.org"),
                )
            )
    for creator in creators:
        shown = ", ".join(f"{p}:@{h}" for p, h in creator.handles.items())
        say(
            f"  {creator.id}  {creator.display_name:<14} {creator.tier().value:<6} "
            f"{creator.followers:>9,} followers  {shown}"
        )
    hidden = ws.creators.get(analyst, creators[0].id)
    say(f"  (an analyst reading {hidden.display_name} sees contact = {hidden.contact})")

    group = ws.groups.create(
        manager,
        brand_id="maison-verte",
        name="Spring food & outdoor",
        creator_ids=[c.id for c in creators if {"food", "outdoor"} & c.themes],
    )
    say()
    say(f"Group {group.id} “{group.name}”: {', '.join(group.creator_ids)}")

    campaign = ws.campaigns.create(
        manager,
        brand_id="maison-verte",
        name="Printemps au jardin",
        kind="seeding",
        mode="project",
        start=pendulum.datetime(2026, 3, 16, tz="Europe/Paris"),
        end=pendulum.datetime(2026, 4, 30, 23, 59, tz="Europe/Paris"),
        timezone="Europe/Paris",
        hashtags=["#PrintempsAuJardin", "#MaisonVerte"],
        mentions=["@maisonverte"],
        summary="Launch of the seed kit; 5 creators, gifted only.",
        brief="Show the seed kit in use, tag @maisonverte, use #PrintempsAuJardin.",
        compensation=ic.Compensation(product_value=ic.Money.of(Decimal("39.90"), "EUR")),
        group_id=group.id,
    )
    ws.campaigns.start(manager, campaign.id)
    campaign = ws.campaigns.get(manager, campaign.id)
    window = campaign.window
    say()
    say(f"Campaign {campaign.id} “{campaign.name}” ({campaign.kind.value}, {campaign.mode.value})")
    say(f"  status     {campaign.status.value}")
    say(
        f"  window     {window.local(window.start).to_date_string()} → "
        f"{window.local(window.end).to_date_string()} ({window.timezone})"
    )
    say(f"  track      {' '.join(campaign.hashtags + campaign.mentions)}")
    say(f"  gift       {campaign.compensation.product_value}")
    _marketplace(ws, clock, manager, creators, say)
    say()
    pending = ws.store.outbox.pending(limit=100_000)
    kinds = sorted({m.event.type for m in pending})
    say(f"Outbox: {len(pending)} events to deliver, of {len(kinds)} kinds")
    return ws


def _marketplace(
    ws: ic.Workspace,
    clock: ic.FrozenClock,
    manager: ic.BrandMember,
    creators: list[ic.Creator],
    say: Callable[[str], None],
) -> None:
    """A marketplace offer: applications, decisions, shipments, and reminders as days pass."""
    system = ic.SystemActor()
    paris = "Europe/Paris"
    templates: dict[str, str] = {}
    for kind, body in (
        ("acceptance", "Bonjour {creator_name}, bienvenue dans {campaign_name} ! {message}"),
        (
            "refusal",
            "Bonjour {creator_name}, merci pour votre candidature à {campaign_name}. {message}",
        ),
        ("shipping", "{creator_name}, votre colis {brand} part avec {carrier} : {tracking_url}"),
        ("reminder", "Petit rappel n°{reminder_number} de {brand} : on attend votre contenu !"),
    ):
        templates[kind] = ws.messages.save_template(
            manager, brand_id="maison-verte", kind=kind, name=kind.title(), body=body
        ).id
    offer = ws.campaigns.create(
        manager,
        brand_id="maison-verte",
        brand_name="Maison Verte",
        name="Kit potager (offre)",
        kind="product_placement",
        mode="marketplace",
        start=pendulum.datetime(2026, 3, 2, tz=paris),
        end=pendulum.datetime(2026, 5, 31, tz=paris),
        timezone=paris,
        hashtags=["#KitPotager"],
        compensation=ic.Compensation(product_value=ic.Money.of("59.00", "EUR")),
        policies=ic.CampaignPolicies(
            applications=ic.ApplicationPolicy(max_accepted=3, pending_alert_days=2)
        ),
    )
    ws.campaigns.open(manager, offer.id)
    say("")
    say(f"Marketplace offer {offer.id} “{offer.name}”, open, at most 3 creators")
    applications = {}
    for creator, pitch in zip(
        creators[:4],
        (
            "Je cuisine de saison",
            "Je jardine en montagne",
            "Beauté naturelle",
            "Recettes du potager",
        ),
        strict=True,
    ):
        clock.advance(hours=5)
        applications[creator.id] = ws.applications.apply(
            ic.CreatorUser(creator.id), offer.id, creator.id, pitch=pitch
        )
    clock.advance(hours=20)
    accepted = [creators[0].id, creators[1].id]
    joined = ws.applications.accept_many(
        manager,
        [applications[c].id for c in accepted],
        template_id=templates["acceptance"],
        message="On vous envoie le kit cette semaine.",
    )
    ws.applications.refuse(
        manager,
        applications[creators[2].id].id,
        message="Votre univers beauté est superbe, mais hors cible pour ce kit.",
        reason="out_of_target",
    )
    for application in ws.applications.list(manager, offer.id):
        name = next(c.display_name for c in creators if c.id == application.creator_id)
        waited = application.waiting(clock.now())
        hours = waited.total_seconds() / 3600
        say(f"  {name:<14} {application.status.value:<9} after {hours:4.0f} h")
    stats = ws.applications.response_stats(manager, offer.id)
    median = stats.median_response.total_seconds() / 3600 if stats.median_response else 0
    say(f"  median response {median:.0f} h, {stats.pending} still pending")

    say("")
    say("Shipments")
    for participation in joined:
        shipment = ws.shipments.create(
            manager,
            participation.id,
            [ic.ShipmentItem("Kit potager", 1, ic.Money.of("59.00", "EUR"))],
        )
        ws.shipments.ship(
            manager,
            shipment.id,
            carrier="Colissimo",
            tracking_number=f"6A{shipment.id[-4:]}",
            tracking_url=f"https://www.laposte.fr/outils/suivre-vos-envois?code=6A{shipment.id[-4:]}",
        )
        clock.advance(days=2)
        ws.shipments.deliver(ic.CreatorUser(participation.creator_id), shipment.id)
        when = _local(clock, paris)
        say(f"  {shipment.id} to {participation.creator_id}: shipped, delivered {when}")

    say("")
    say("Fifteen days pass; the scheduler runs every morning")
    submitter = joined[0]
    for day in range(1, 16):
        clock.advance(days=1)
        if day == 5:
            ws.submissions.submit(
                ic.CreatorUser(submitter.creator_id),
                submitter.id,
                url="https://www.instagram.com/p/Cz3kitPotager/",
                platform="instagram",
                format="reel",
                published_at=clock.now().subtract(hours=3),
                caption="Mon kit potager #KitPotager @maisonverte #ad",
                is_video=True,
            )
            say(f"  day {day:>2}: {submitter.creator_id} submits its reel; its reminders stop")
        run = ws.scheduler.run(system)
        if run.finished:
            sent = [
                m.event
                for m in ws.store.outbox.pending(limit=100_000)
                if m.event.occurred_at == clock.now()
                and m.event.type in ("PublicationReminderSent", "ApplicationPendingTooLong")
            ]
            for event in sent:
                if event.type == "PublicationReminderSent":
                    detail = f"reminder {event.number} to {event.creator_id}"  # type: ignore[attr-defined]
                else:
                    detail = f"brand alerted: application of {event.creator_id} waiting"  # type: ignore[attr-defined]
                say(f"  day {day:>2}: {detail}")
    ws.messages.send(
        ic.CreatorUser(joined[1].creator_id), joined[1].id, "Désolé, je publie ce week-end !"
    )
    unread = ws.messages.unread_counts(manager, offer.id)
    say(f"  unread by the brand: {sum(unread.values())}; thread of {joined[1].creator_id}:")
    for message in ws.messages.thread(manager, joined[1].id):
        say(f"    [{message.author.value}] {message.body}")


def _local(clock: ic.FrozenClock, timezone: str) -> str:
    return clock.now().in_timezone(timezone).format("ddd D MMM HH:mm")
