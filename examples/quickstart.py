"""Quick start: creators, a group and a campaign in an SQLite file, then its outbox."""

import pendulum

import influcampaign as ic

clock = ic.FrozenClock(pendulum.datetime(2026, 5, 4, 9, tz="Europe/Paris"))
with ic.open("sqlite:///quickstart.sqlite", clock=clock) as ws:
    me = ic.BrandMember("u1", brand_id="acme", role="manager")

    with ws.atomic() as tx:
        alice = tx.creators.register(
            me,
            "Alice",
            handles={"instagram": "@alice.makes"},
            audience={"instagram": ic.AudienceStats(followers=42_000, engagement_rate=0.041)},
            themes=["diy", "home"],
        )
        bob = tx.creators.register(
            me, "Bob", audience={"tiktok": ic.AudienceStats(followers=650_000)}, themes=["home"]
        )
        members = [alice.id, bob.id]
        group = tx.groups.create(me, brand_id="acme", name="Home makers", creator_ids=members)

    offer = ws.campaigns.create(
        me,
        brand_id="acme",
        name="Spring toolkit",
        kind="product_placement",
        mode="marketplace",
        start=pendulum.datetime(2026, 5, 11, tz="Europe/Paris"),
        end=pendulum.datetime(2026, 6, 30, tz="Europe/Paris"),
        timezone="Europe/Paris",
        hashtags=["#SpringToolkit"],
        mentions=["@acme"],
        compensation=ic.Compensation(
            product_value=ic.Money.of("49.90", "EUR"), fee=ic.Money.of("300", "EUR")
        ),
        group_id=group.id,
    )
    ws.campaigns.open(me, offer.id)

    for creator in (alice, bob):
        print(f"{creator.display_name}: {creator.tier().value}, {creator.followers:,} followers")
    print(f"{offer.name}: {ws.campaigns.get(me, offer.id).status.value}")
    for message in ws.store.outbox.pending():
        print(f"  event {message.event.type}")
