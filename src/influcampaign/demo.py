"""The demo campaign: the SDK's main job end to end, on an SQLite file, with its report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import pendulum

import influcampaign as ic

if TYPE_CHECKING:
    from influcampaign.analytics.overlap import Figure

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


def run_demo(url: str, out: TextIO, *, ics_path: Path | None = None) -> ic.Workspace:
    """Run a project and a marketplace offer in the store at ``url`` and print their report;
    the content calendar is written to ``ics_path`` when given."""
    clock = ic.FrozenClock(pendulum.datetime(2026, 3, 2, 9, tz="Europe/Paris"))
    ws = ic.open(
        url,
        clock=clock,
        ids=ic.SequentialIds(),
        keys=ic.SigningKeys({"demo-2026": b"demo-only-secret-" + b"0" * 24}, current="demo-2026"),
        rates=ic.FixedRates({("USD", "EUR"): "0.92"}, source="ECB reference rate (demo)"),
    )
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
                    # Noor refused to share her audience: the overlap never reads it
                    audience_data="opted_out" if name == "Noor Haddad" else "shared",
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
    _overlap(ws, manager, campaign, creators, say)
    _marketplace(ws, clock, manager, creators, say, ics_path)
    say()
    pending = ws.store.outbox.pending(limit=100_000)
    kinds = sorted({m.event.type for m in pending})
    say(f"Outbox: {len(pending)} events to deliver, of {len(kinds)} kinds")
    return ws


def _overlap(
    ws: ic.Workspace,
    manager: ic.BrandMember,
    campaign: ic.Campaign,
    creators: list[ic.Creator],
    say: Callable[[str], None],
) -> None:
    """Audience overlap of the project's creators on Instagram, and a reach plan."""
    import numpy as np

    for creator in creators:
        ws.participations.add(manager, campaign.id, creator.id)
    # synthetic follower ids: a shared pool of 400,000 accounts, popular ones more likely
    rng = np.random.default_rng(2026)
    directory = ic.AudienceDirectory()
    for creator in creators:
        stats = creator.audience.get(ic.Platform.INSTAGRAM)
        if stats is not None:
            draws = (400_000 * rng.random(stats.followers * 2) ** 1.5).astype(np.int64)
            ids = rng.permutation(np.unique(draws))[: stats.followers]
            directory.add(creator.id, "instagram", ids)
    directory.add(creators[-1].id, "instagram", range(3_100))  # held, never read: opted out
    report = ws.overlap.for_campaign(manager, campaign.id, directory, platform="instagram")
    names = {c.id: c.display_name for c in creators}
    say("")
    say(f"Audience overlap on Instagram ({report.engine})")

    def share(figure: Figure | None, spec: str = ".1%") -> str:
        return "—" if figure is None else format(figure.value, spec)

    for reach in report.creators:
        say(
            f"  {names[reach.creator_id]:<14} {reach.followers.value:>8,.0f} followers, "
            f"{reach.exclusive.value:>8,.0f} exclusive, "
            f"{share(reach.overlapping_share):>5} also follow another creator"
        )
    for pair in report.pairs:
        say(
            f"  {names[pair.a]} & {names[pair.b]}: {pair.shared.value:,.0f} in common "
            f"({share(pair.share_of_a)} of the first, {share(pair.share_of_b)} of the "
            f"second, Jaccard {share(pair.jaccard, '.3f')})"
        )
    say(
        f"  distinct reach {report.distinct_reach.value:,.0f} of "
        f"{report.total_followers.value:,.0f} followers in total"
    )
    for left_out in report.excluded:
        say(f"  left out: {names[left_out.creator_id]} ({left_out.state}: {left_out.reason})")
    _, plan = ws.overlap.plan(
        manager,
        campaign.id,
        directory,
        platform="instagram",
        budget=ic.Money.of("80", "EUR"),
    )
    gift = campaign.compensation.product_value
    say(f"Reach plan for a budget of 80 EUR (one gift of {gift} each)")
    for step in plan.steps:
        say(
            f"  + {names[step.creator_id]:<14} adds {step.marginal_reach:>8,} → reach "
            f"{step.reach:,}"
        )
    say(f"  cost {plan.cost}, at least {plan.guarantee:.0%} of the best reach (greedy bound)")


def _marketplace(
    ws: ic.Workspace,
    clock: ic.FrozenClock,
    manager: ic.BrandMember,
    creators: list[ic.Creator],
    say: Callable[[str], None],
    ics_path: Path | None,
) -> None:
    """A marketplace offer: applications, decisions, shipments, reminders as days pass, then
    content: deliverables, submissions, brief checks, validation and the calendar."""
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
        mentions=["@maisonverte"],
        requirements=ic.BriefRequirements(jurisdiction="FR"),
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
    say("Deliverables (dates in Europe/Paris)")
    for n, participation in enumerate(joined):
        ws.deliverables.plan(
            manager,
            participation.id,
            platform="instagram",
            format="reel",
            planned_on=dt.date(2026, 3, 12 + 2 * n),
            planned_time=dt.time(18, 0) if n == 0 else None,
            due_on=dt.date(2026, 3, 20),
        )
        ws.deliverables.plan(
            manager,
            participation.id,
            platform="instagram",
            format="story",
            quantity=2,
            planned_on=dt.date(2026, 3, 21),
        )
        for d in ws.deliverables.list(manager, participation.id):
            at = f" {d.planned_time:%H:%M}" if d.planned_time else ""
            say(
                f"  {participation.creator_id}: {d.quantity} x {d.platform.value} "
                f"{d.format.value}, planned {d.planned_on}{at}, due {d.due_on or '—'}"
            )

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
                caption="Publicité — mon kit potager 🌱 premières pousses #KitPotager @MaisonVerte",
                on_screen_text="Publicité",
                is_video=True,
                metrics={"views": 2_300, "likes": 180, "comments": 14},
            )
            say(f"  day {day:>2}: {submitter.creator_id} submits its reel; its reminders stop")
        if day == 8:
            (reel,) = ws.submissions.list(manager, submitter.id)
            ws.submissions.validate(
                manager, reel.id, compliance=95, feedback="Parfait, le kit est bien visible."
            )
            say(f"  day {day:>2}: the brand validates {reel.id} at 95 %")
        run = ws.scheduler.run(system)
        if run.finished:
            sent = [
                m.event
                for m in ws.store.outbox.pending(limit=100_000)
                if m.event.occurred_at == clock.now()
                and m.event.type
                in ("PublicationReminderSent", "ApplicationPendingTooLong", "ValidationDue")
            ]
            for event in sent:
                if event.type == "PublicationReminderSent":
                    detail = f"reminder {event.number} to {event.creator_id}"  # type: ignore[attr-defined]
                elif event.type == "ValidationDue":
                    deadline = event.deadline.in_timezone(paris).format("D MMM HH:mm")  # type: ignore[attr-defined]
                    detail = f"brand reminded to validate {event.submission_id} by {deadline}"  # type: ignore[attr-defined]
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
    _content(ws, clock, manager, offer, joined, say, ics_path)
    _sales(ws, clock, manager, offer, joined, say)
    _money(ws, manager, offer, joined, say)
    _review_and_match(ws, clock, manager, offer, joined, creators, say)


def _content(
    ws: ic.Workspace,
    clock: ic.FrozenClock,
    manager: ic.BrandMember,
    offer: ic.Campaign,
    joined: list[ic.Participation],
    say: Callable[[str], None],
    ics_path: Path | None,
) -> None:
    """Submissions checked against the brief, validated by hand or automatically; delivery
    progress and the calendar."""
    system = ic.SystemActor()
    paris = offer.window.timezone
    first, second = joined
    say("")
    say("Content and brief checks (France: «Publicité» on the media)")
    late = ws.submissions.submit(
        ic.CreatorUser(second.creator_id),
        second.id,
        url="https://www.instagram.com/reel/DkPotagerSam/",
        platform="instagram",
        format="reel",
        published_at=clock.now().subtract(hours=20),
        caption="Enfin mon kit potager !\n\n#ad #kitpotager #jardin #diy",
        is_video=True,
    )
    for sub in [*ws.submissions.list(manager, first.id), late]:
        report = sub.brief_check
        assert report is not None
        say(
            f"  {sub.id} by {sub.creator_id}: suggested {report.suggested_compliance} % "
            f"({report.if_reviews_pass} % if the manual checks pass)"
        )
        for result in report.results:
            say(f"    {result.verdict.value:<12} {result.label:<14} {result.reason}")
    (reel,) = ws.submissions.list(manager, first.id)
    ws.submissions.record_metrics(
        ic.CreatorUser(first.creator_id), reel.id, {"views": 5_800, "likes": 402, "saves": 37}
    )
    say(f"  {reel.id}: metrics updated, now {_metrics(ws, manager, reel.id)}")
    deadlines = ws.submissions.deadlines(manager, late.id)
    say(
        f"  {late.id}: to validate by {deadlines.validate_by.in_timezone(paris):%d %b %H:%M}, "
        f"automatic on {deadlines.auto_validate_at.in_timezone(paris):%d %b %H:%M}"
    )
    for _ in range(10):
        clock.advance(days=1)
        ws.scheduler.run(system)
    validation = ws.submissions.get(manager, late.id).validation
    assert validation is not None
    say(
        f"  {late.id}: {validation.feedback} → {validation.compliance} % "
        f"(automatic: {validation.automatic})"
    )

    say("")
    say("Delivered vs expected")
    progress = ws.deliverables.progress(manager, offer.id)
    for creator_id, line in progress.per_creator.items():
        say(
            f"  {creator_id}: {line.delivered}/{line.expected} delivered, "
            f"{line.on_time} on time, {line.late} late, {line.outstanding} outstanding"
        )
    for fmt, line in progress.per_format.items():
        say(f"  {fmt.value:<6} {line.delivered}/{line.expected}")

    say("")
    say("Calendar, week by week")
    calendar = ws.calendar.for_campaigns(manager, [offer.id])
    for monday, entries in calendar.by_week().items():
        say(f"  week of {monday:%d %b}")
        for entry in entries:
            at = f"{entry.time:%H:%M}" if entry.time else "all day"
            say(f"    {entry.day:%a %d} {at:<7} {entry.title}")
    if ics_path is not None:
        ics_path.parent.mkdir(parents=True, exist_ok=True)
        ics_path.write_bytes(ws.calendar.ics(manager, [offer.id], name=offer.name))
        say(f"  written to {ics_path} ({len(calendar.entries)} events)")


_SHOP = "maison-verte.myshopify.com"
_SHOP_SECRET = "demo-shopify-app-secret"  # noqa: S105 - the demo's own, published on purpose
_PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 Instagram 330.0.0.40.92"
)


def _webhook(topic: str, payload: dict[str, object], event_id: str) -> tuple[dict[str, str], bytes]:
    """A webhook delivery as Shopify sends it: headers and a body signed with the secret."""
    import base64
    import hashlib
    import hmac
    import json

    body = json.dumps(payload).encode()
    digest = hmac.new(_SHOP_SECRET.encode(), body, hashlib.sha256).digest()
    return {
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": base64.b64encode(digest).decode(),
        "X-Shopify-Shop-Domain": _SHOP,
        "X-Shopify-Event-Id": event_id,
    }, body


def _order(number: int, at: pendulum.DateTime, subtotal: str, **more: object) -> dict[str, object]:
    return {
        "id": 5_300_000 + number,
        "name": f"#{number}",
        "created_at": at.isoformat(),
        "updated_at": at.isoformat(),
        "currency": more.pop("currency", "EUR"),
        "subtotal_price": subtotal,
        "total_price": str(Decimal(subtotal) + Decimal("4.90")),
        "financial_status": "paid",
        "source_name": more.pop("source_name", "web"),
        "landing_site": more.pop("landing_site", None),
        "discount_codes": [{"code": c, "amount": "5.00"} for c in more.pop("codes", ())],  # type: ignore[attr-defined]
        "note_attributes": more.pop("note_attributes", []),
        "cancelled_at": None,
        "test": False,
        "line_items": [{"title": "Kit potager", "quantity": 1, "price": subtotal}],
    }


def _sales(
    ws: ic.Workspace,
    clock: ic.FrozenClock,
    manager: ic.BrandMember,
    offer: ic.Campaign,
    joined: list[ic.Participation],
    say: Callable[[str], None],
) -> None:
    """Tracked links, promo codes, clicks, Shopify webhooks and an orders export; sales per
    creator."""
    from influcampaign.adapters.shopify import ShopifyShop, ShopifyWebhooks, read_orders_csv

    first, second = joined
    say("")
    say("Links, codes and clicks")
    links, codes = {}, {}
    for p in joined:
        links[p.id] = ws.links.create(manager, p.id, landing_url="https://maisonverte.example/kit")
        codes[p.id] = ws.codes.create(manager, p.id, percent_off=15)
        say(
            f"  {p.creator_id}: {links[p.id].url('https://go.maisonverte.example')}  "
            f"code {codes[p.id].code}"
        )
    say(f"    → {links[first.id].destination}")
    visits = [
        (first, "203.0.113.10", _PHONE),
        (first, "203.0.113.10", _PHONE),  # the same visitor again within the hour
        (first, "198.51.100.7", _PHONE),
        (
            first,
            "203.0.113.99",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        ),
        (second, "192.0.2.44", _PHONE),
    ]
    tokens = []
    for participation, ip, agent in visits:
        outcome = ws.links.click(links[participation.id].slug, ip=ip, user_agent=agent)
        tokens.append(outcome.click_token)
        shown = "unique" if outcome.unique else "repeat" if outcome.counted else outcome.reason
        say(f"  click on {links[participation.id].slug} from {ip}: {shown}")

    say("")
    say("Shopify orders (signed webhooks, retried and out of order, then an export)")
    hooks = ShopifyWebhooks(ws, {_SHOP: ShopifyShop("maison-verte", (_SHOP_SECRET,))})
    now = clock.now()
    by_code = _order(1041, now, "49.00", codes=(codes[first.id].code.lower(), "WELCOME5"))
    by_click = _order(1042, now, "59.00", note_attributes=[{"name": "icclid", "value": tokens[4]}])
    landing = f"/products/kit?utm_source=instagram&utm_content={links[first.id].slug}"
    in_usd = _order(1043, now, "65.00", currency="USD", landing_site=landing)
    deliveries = [
        (
            "refunds/create",
            {
                "id": 901,
                "order_id": 5_301_041,
                "created_at": now.add(hours=2).isoformat(),
                "transactions": [
                    {"kind": "refund", "status": "success", "amount": "10.00", "currency": "EUR"}
                ],
            },
            "evt-9",
        ),  # the refund arrives before its order
        ("orders/create", by_code, "evt-1"),
        ("orders/create", by_code, "evt-1"),  # Shopify retries
        ("orders/create", by_click, "evt-2"),
        ("orders/create", in_usd, "evt-3"),
        ("orders/paid", in_usd, "evt-4"),
    ]
    for topic, payload, event_id in deliveries:
        headers, body = _webhook(topic, payload, event_id)
        response = hooks.handle(headers, body)
        say(f"  {topic:<15} {event_id:<6} → {response.status} {response.outcome}")
    headers, body = _webhook("orders/create", by_code, "evt-x")
    response = hooks.handle(headers, body.replace(b"49.00", b"4900.00"))
    say(f"  orders/create   tampered body → {response.status} {response.detail}")
    export = (
        "Name,Financial Status,Currency,Subtotal,Total,Discount Code,Created at,Cancelled at,"
        "Refunded Amount,Note Attributes,Source,Lineitem name,Id\n"
        f"#1044,paid,EUR,39.00,39.00,{codes[second.id].code},"
        f"{now.in_timezone('Europe/Paris').format('YYYY-MM-DD HH:mm:ss ZZ')},,,,pos,Kit potager,"
        "5301044\n"
        "#1044,,,,,,,,,,,Graines bio,\n"
    )
    applied = ws.sales.apply_all(manager, "maison-verte", _SHOP, read_orders_csv(export))
    say(f"  orders export: {len(applied)} order imported (one row per line item)")
    for number in (1041, 1042, 1043, 1044):
        order = ws.sales.order(manager, "maison-verte", _SHOP, str(5_300_000 + number))
        attribution = order.attribution
        assert attribution is not None
        rate = f", at {attribution.rate.rate} {attribution.rate.source}" if attribution.rate else ""
        say(f"  #{number} → {attribution.creator_id} ({attribution.reason}{rate})")

    say("")
    say("Sales per creator")
    report = ws.sales.report(manager, offer.id)
    for creator_id, line in [*report.per_creator.items(), ("total", report.total)]:
        conversion = "—" if line.conversion_rate is None else f"{line.conversion_rate:.0%}"
        say(
            f"  {creator_id:<9} clicks {line.clicks} ({line.unique_clicks} unique), "
            f"orders {line.orders} ({line.orders_via_link} via a link), conversion "
            f"{conversion}, gross {line.gross}, net {line.net}, "
            f"per click {line.revenue_per_click or '—'}"
        )


def _money(
    ws: ic.Workspace,
    manager: ic.BrandMember,
    offer: ic.Campaign,
    joined: list[ic.Participation],
    say: Callable[[str], None],
) -> None:
    """Costs and payments, then the campaign report: budget, EMV, sales, both ROIs,
    forecast vs actual and the segments."""
    first, second = joined
    say("")
    say("Costs and payments")
    for cost in ws.costs.plan_compensation(manager, offer.id):
        ws.costs.commit(manager, cost.id)
    for p in joined:
        shipping = ws.costs.plan(
            manager, offer.id, "shipping", ic.Money.of("7.90", "EUR"), participation_id=p.id
        )
        ws.costs.pay(manager, shipping.id, reference=f"Colissimo {p.creator_id}")
    bonus = ws.costs.plan(
        manager,
        offer.id,
        "bonus",
        ic.Money.of(50, "EUR"),
        participation_id=first.id,
        description="bonus paid at the validated brief percentage",
        pay_by_compliance=True,
    )
    bonus = ws.costs.pay(manager, bonus.id, reference="SEPA-2026-031")
    say(f"  bonus of {first.creator_id}: 50.00 EUR x {bonus.compliance} % = {bonus.paid}")
    agency = ws.costs.plan(manager, offer.id, "agency", ic.Money.of(120, "USD"))
    ws.costs.commit(manager, agency.id)
    budget = ws.costs.budget(manager, offer.id)
    for who, line in [
        *budget.per_creator.items(),
        ("campaign", budget.campaign_wide),
        ("total", budget.total),
    ]:
        say(f"  {who:<9} planned {line.planned}, committed {line.committed}, paid {line.paid}")
    (late,) = ws.submissions.list(manager, second.id)
    ws.submissions.record_metrics(
        ic.CreatorUser(second.creator_id),
        late.id,
        {"views": 3_100, "likes": 240, "comments": 9, "shares": 6, "saves": 21},
    )

    say("")
    report = ws.reports.campaign(manager, offer.id, draws=10_000, seed=2026)
    say(f"Campaign report of {offer.id} (in {report.currency}, ROI on committed costs)")
    say(f"  rate card: {', '.join(report.emv.cards)}")
    for content in report.emv.contents:
        say(
            f"  EMV {content.submission_id} ({content.creator_id}, {content.format.value}): "
            f"{content.emv or 'unknown'}  {content.reason}"
        )
    say("  creator     cost        EMV         net sales   ROI(EMV)  ROI(sales)  ROAS   CPE")
    for roi in [*report.roi_per_creator.values(), report.roi_total]:
        say(
            f"  {roi.creator_id or 'total':<10}  {roi.cost!s:<10}  {roi.emv or '—'!s:<10}  "
            f"{roi.net_revenue!s:<10}  {_pct(roi.roi_emv):>8}  {_pct(roi.roi_sales):>10}  "
            f"{_num(roi.roas):<6}  {roi.cost_per_engagement or '—'}"
        )
    total = report.forecast.total
    emv = (
        f"P10 {total.emv.p10} / P50 {total.emv.p50} / P90 {total.emv.p90} {total.currency}"
        if total.emv is not None
        else f"unknown ({report.forecast.notes['total']})"
    )
    say(
        f"  forecast ({report.forecast.draws:,} draws, seed {report.forecast.seed}): EMV "
        f"{emv} for a budget of {total.budget}"
    )
    for check in report.forecast.checks:
        if check.figure in ("impressions", "emv") and check.verdict != "not delivered":
            say(
                f"  forecast vs actual {check.key} {check.figure}: P10 {check.forecast.p10} / "
                f"P50 {check.forecast.p50} / P90 {check.forecast.p90}, actual "
                f"{check.actual if check.actual is not None else '—'} → {check.verdict}"
            )
    say("  segment                 n   cost        EMV         EMV/cost  compliance  on time")
    for seg in report.segments:
        say(
            f"  {seg.dimension + '=' + seg.value:<22} {seg.count:>2}   {seg.cost!s:<10}  "
            f"{seg.emv!s:<10}  {seg.emv_per_cost if seg.emv_per_cost is not None else '—'!s:<8}  "
            f"{_num(seg.median_compliance) + ' %':<10}  "
            f"{_pct(seg.median_on_time_rate)}"
        )


_NEWCOMERS = [
    # name, platform, handle, followers, engagement, themes, country
    ("Inès Moreau", "instagram", "ines.potager", 12_500, 0.045, ["gardening", "food"], "FR"),
    ("Paul Girard", "tiktok", "paul.rando", 64_000, 0.031, ["outdoor"], "FR"),
    ("Chloé Petit", "instagram", "chloe.glow", 28_000, 0.028, ["beauty", "lifestyle"], "FR"),
    ("Zoé Blanc", "instagram", "zoe.makeup", 9_000, 0.05, ["beauty"], "BE"),
    ("Lucas Roux", "instagram", "lucas.chef", 150_000, 0.012, ["food"], "FR"),
]


def _review_and_match(
    ws: ic.Workspace,
    clock: ic.FrozenClock,
    manager: ic.BrandMember,
    offer: ic.Campaign,
    joined: list[ic.Participation],
    creators: list[ic.Creator],
    say: Callable[[str], None],
) -> None:
    """The end of the offer: retrospective, reviews, what the brand keeps of each creator;
    then the ranking of creators for a second offer, which uses that history and learns
    from a quick refusal."""
    first, second = joined
    ws.campaigns.end(manager, offer.id)
    say("")
    say(f"Offer {offer.id} ended: retrospective")
    retro = ws.reviews.retrospective(manager, offer.id)
    for line in retro.lines():
        say(f"  {line}")
    for late in retro.late:
        say(f"  late: {late.creator_id} {late.format.value}, {late.days_late} day(s) after due")
    say("")
    say("Reviews (ratings 1-5: content, reliability, communication, brief)")
    ws.reviews.rate(
        manager,
        offer.id,
        first.creator_id,
        ratings=ic.Ratings(content_quality=5, reliability=5, communication=4, brief_respect=5),
        work_again=True,
        tags=["product_test", "ugc"],
        note="Reel très soigné, publié avant la date. À recontacter pour l'été.",
    )
    ws.reviews.rate(
        manager,
        offer.id,
        second.creator_id,
        ratings=ic.Ratings(content_quality=4, reliability=2, communication=3, brief_respect=3),
        work_again=True,
        tags=["future_campaign"],
        note="Bon contenu mais en retard malgré les rappels.",
    )
    for review in ws.reviews.list(manager, offer.id):
        r = review.ratings
        say(
            f"  {review.creator_id}: {r.content_quality}/{r.reliability}/{r.communication}/"
            f"{r.brief_respect} (overall {r.overall}), work again: {review.work_again}, "
            f"tags: {', '.join(sorted(t.value for t in review.tags))}"
        )
    ws.campaigns.review(manager, offer.id)
    say("")
    say("Relationship history with Maison Verte")
    for creator_id in (first.creator_id, second.creator_id, creators[2].id):
        h = ws.history.creator(manager, "maison-verte", creator_id)
        emv = ", ".join(str(m) for m in h.emv.values()) or "—"
        say(
            f"  {creator_id}: {len(h.campaigns)} campaign(s), joined {h.joined}, applications "
            f"{dict(h.applications)}, on time {_pct(h.on_time_rate)}, compliance "
            f"{_num(h.compliance)}{' %' if h.compliance is not None else ''}, EMV {emv}, "
            f"rating {h.rating or '—'}"
        )
    ugc = ws.history.reactivation(manager, "maison-verte", tags=["ugc"])
    say(f"  to reactivate for UGC: {', '.join(f'{x.display_name} ({x.tier.value})' for x in ugc)}")

    with ws.atomic() as tx:
        for name, platform, handle, followers, rate, themes, country in _NEWCOMERS:
            tx.creators.register(
                manager,
                name,
                handles={platform: handle},
                audience={platform: ic.AudienceStats(followers, engagement_rate=rate)},
                themes=themes,
                country=country,
                language="fr",
            )
    summer = ws.campaigns.create(
        manager,
        brand_id="maison-verte",
        brand_name="Maison Verte",
        name="Kit potager d'été (offre)",
        kind="product_placement",
        mode="marketplace",
        start=clock.now(),
        end=pendulum.datetime(2026, 8, 31, tz="Europe/Paris"),
        timezone="Europe/Paris",
        compensation=ic.Compensation(product_value=ic.Money.of("69.00", "EUR")),
        targeting=ic.Targeting(
            platforms=["instagram", "tiktok"],
            tiers=["nano", "micro", "mid"],
            min_engagement_rate=0.02,
            themes=["food", "gardening", "outdoor"],
            countries=["FR", "BE"],
            languages=["fr"],
        ),
    )
    ws.campaigns.open(manager, summer.id)
    say("")
    say(f"Second offer {summer.id} “{summer.name}”: ranking, with the first offer's history")
    ranking = ws.matching.rank(manager, summer.id, limit=8)
    _ranking(ranking, say)
    best = ranking.matches[0]
    say(f"  why {best.creator_id} is first:")
    for c in best.criteria:
        if c.kind is not ic.CriterionKind.FILTER:
            say(f"    {c}")
    chloe = next(c for c in ws.creators.find(manager) if c.display_name == "Chloé Petit")
    zoe = next(c for c in ws.creators.find(manager) if c.display_name == "Zoé Blanc")
    application = ws.applications.apply(ic.CreatorUser(chloe.id), summer.id, chloe.id)
    clock.advance(hours=2)
    ws.applications.refuse(
        manager,
        application.id,
        message="Merci ! Votre univers beauté ne colle pas à ce kit potager.",
        reason="out_of_target",
    )
    after = ws.matching.rank(manager, summer.id, limit=8)
    was, now = ranking.explain(zoe.id), after.explain(zoe.id)
    say(
        f"  {chloe.id} (beauty) applies and is refused as out of target within 2 h; similar "
        f"profiles move down: {zoe.id} (beauty) from {was.score:.1f} to {now.score:.1f}"
    )
    _ranking(after, say)
    say(f"  {after.explain(zoe.id).criterion('refusals')}")


def _ranking(ranking: ic.Ranking, say: Callable[[str], None]) -> None:
    filtered = ", ".join(f"{k} {v}" for k, v in ranking.filtered.items())
    say(f"  {ranking.ranked} of {ranking.considered} creators ranked (filtered out: {filtered})")
    for m in ranking.matches:
        points = {c.name: c.points for c in m.criteria if c.kind is not ic.CriterionKind.FILTER}
        say(
            f"  #{m.rank} {m.creator_id}  score {m.score:5.1f}  themes {points['themes']:+.1f}"
            f"  history {points['rating'] + points['on_time'] + points['compliance']:+.1f}"
            f"  refusals {points['refusals']:+.1f}"
        )


def _num(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.normalize():f}"


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _metrics(ws: ic.Workspace, actor: ic.BrandMember, submission_id: str) -> str:
    metrics = ws.submissions.get(actor, submission_id).metrics
    if metrics is None:
        return "not reported"
    figures = {
        k: v
        for k, v in (
            ("views", metrics.views),
            ("likes", metrics.likes),
            ("comments", metrics.comments),
            ("saves", metrics.saves),
        )
        if v is not None
    }
    return ", ".join(f"{v:,} {k}" for k, v in figures.items())


def _local(clock: ic.FrozenClock, timezone: str) -> str:
    return clock.now().in_timezone(timezone).format("ddd D MMM HH:mm")
