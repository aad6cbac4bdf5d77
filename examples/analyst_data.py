"""A simulated campaign of about fifty creators for the analyst's notebook and the plot tests:
creators with audiences, costs, content with metrics, tracked links with clicks and orders.

``build(n, seed)`` returns the workspace, the manager, the campaign and the audiences; every
number comes from the seed, so the notebook tells the same story on every run.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pendulum

import influcampaign as ic
from influcampaign.domain.orders import OrderPlacement, ShopEvent

FIRST = ["Léa", "Hugo", "Amélie", "Sam", "Noor", "Chloé", "Lucas", "Inès", "Jules", "Manon"]
LAST = ["Martin", "Bernard", "Dubois", "Okafor", "Haddad", "Petit", "Durand", "Leroy"]
SHOP = "maison-verte.myshopify.com"


def build(n: int = 50, seed: int = 2026) -> dict[str, Any]:
    """A campaign of ``n`` creators in an in-memory workspace, simulated from ``seed``."""
    rnd = random.Random(seed)  # noqa: S311 - simulated data, not secrets
    clock = ic.FrozenClock(pendulum.datetime(2026, 4, 1, 9, tz="Europe/Paris"))
    keys = ic.SigningKeys({"k": b"analyst-notebook-key-not-a-secret!"}, current="k")
    ws = ic.open("memory://", clock=clock, keys=keys, ids=ic.SequentialIds())
    me = ic.BrandMember("u_ana", brand_id="maison-verte", role="manager")
    campaign = ws.campaigns.create(
        me,
        brand_id="maison-verte",
        name="Printemps au jardin",
        kind="product_placement",
        mode="project",
        start=pendulum.datetime(2026, 4, 1, tz="Europe/Paris"),
        end=pendulum.datetime(2026, 6, 30, tz="Europe/Paris"),
        timezone="Europe/Paris",
        compensation=ic.Compensation(product_value=ic.Money.of("35.00", "EUR")),
    )
    ws.campaigns.start(me, campaign.id)
    audiences: dict[str, list[int]] = {}
    links: dict[str, Any] = {}
    with ws.atomic() as tx:
        for i in range(n):
            followers = int(rnd.lognormvariate(9.3, 1.3)) + 300
            niche = rnd.choice(["garden", "food", "home", "kids"])
            creator = tx.creators.register(
                me,
                f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}",
                audience={
                    "instagram": ic.AudienceStats(
                        followers, engagement_rate=round(rnd.uniform(0.01, 0.08), 3)
                    )
                },
                themes=[niche],
                language=rnd.choice(["fr", "fr", "en"]),
            )
            base = ["garden", "food", "home", "kids"].index(niche) * 10_000_000
            pool = range(base, base + followers * 4)
            audiences[creator.id] = rnd.sample(pool, min(followers, 20_000))
            p = tx.participations.add(me, campaign.id, creator.id)
            tx.participations.confirm(me, p.id)
            tx.deliverables.plan(
                me,
                p.id,
                platform="instagram",
                format=rnd.choice(["post", "reel", "story"]),
                due_on=dt.date(2026, 4, 20),
            )
            if followers > 20_000:  # the larger creators are paid on top of the product
                fee = ic.Money.of(rnd.choice([150, 300, 600, 1200]), "EUR")
                tx.costs.plan(me, campaign.id, "fee", fee, participation_id=p.id)
            links[creator.id] = tx.links.create(
                me, p.id, landing_url="https://maison-verte.example/serre"
            )
        tx.costs.plan_compensation(me, campaign.id)
        for cost in tx.costs.list(me, campaign.id):
            tx.costs.commit(me, cost.id)

    clock.advance(dt.timedelta(days=19))
    order_number = 1000
    for p in ws.participations.list(me, campaign.id):
        (d,) = ws.deliverables.list(me, p.id)
        creator = ws.creators.get(me, p.creator_id)
        seen = int(creator.followers * rnd.uniform(0.05, 0.7))
        s = ws.submissions.submit(
            me,
            p.id,
            url=f"https://instagram.com/p/{p.creator_id}",
            platform="instagram",
            format=d.format,
            deliverable_id=d.id,
            published_at=clock.now().subtract(days=rnd.randint(0, 4)),
            caption="#sponsorisé @maisonverte",
            metrics={
                "impressions": seen,
                "views": seen,
                "likes": int(seen * rnd.uniform(0.01, 0.06)),
                "comments": int(seen * 0.002),
                "saves": int(seen * 0.003),
                "shares": 0,
            },
        )
        ws.submissions.validate(me, s.id, compliance=rnd.choice([70, 85, 100]))
    # Two weeks of clicks and orders on the tracked links.
    for _day in range(14):
        clock.advance(dt.timedelta(days=1))
        for creator_id, link in links.items():
            for _ in range(rnd.randint(0, 3)):
                visitor = f"198.51.100.{rnd.randint(1, 254)}"
                click = ws.links.click(link.slug, ip=visitor, user_agent="Mozilla/5.0 (iPhone)")
                if click.counted and rnd.random() < 0.25:
                    order_number += 1
                    total = ic.Money.of(rnd.choice(["39.90", "59.00", "89.50"]), "EUR")
                    placement = OrderPlacement(
                        external_id=str(order_number),
                        name=f"#{order_number}",
                        created_at=clock.now(),
                        updated_at=clock.now(),
                        subtotal=total,
                        total=total,
                        click_token=click.click_token,
                    )
                    event = ShopEvent("orders/create", str(order_number), "EUR", placement)
                    ws.sales.apply(me, "maison-verte", SHOP, event)
            del creator_id
    return {"ws": ws, "me": me, "campaign": campaign, "audiences": audiences, "clock": clock}


if __name__ == "__main__":
    made = build(8)
    print(made["ws"].sales.report(made["me"], made["campaign"].id).total)
