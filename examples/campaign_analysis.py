"""Notebook-style analysis of a campaign's money: EMV, ROI, forecast and segments as
DataFrames (needs the ``frames`` extra: ``pip install influcampaign[frames]``).

Each ``# %%`` cell can be pasted in a notebook as is.
"""

# %% A campaign of 40 creators, simulated with a fixed seed
import datetime as dt
import random

import pendulum

import influcampaign as ic

rnd = random.Random(2026)  # noqa: S311 - simulated data, not secrets
clock = ic.FrozenClock(pendulum.datetime(2026, 4, 1, 9, tz="Europe/Paris"))
ws = ic.open(
    "memory://",
    clock=clock,
    rates=ic.FixedRates({("USD", "EUR"): "0.92"}, source="ECB reference rate"),
)
me = ic.BrandMember("u_ana", brand_id="acme", role="manager")
campaign = ws.campaigns.create(
    me,
    brand_id="acme",
    name="Spring skincare",
    kind="product_placement",
    mode="project",
    start=pendulum.datetime(2026, 4, 1, tz="Europe/Paris"),
    end=pendulum.datetime(2026, 5, 31, tz="Europe/Paris"),
    timezone="Europe/Paris",
    compensation=ic.Compensation(product_value=ic.Money.of("35.00", "EUR")),
)
ws.campaigns.start(me, campaign.id)

with ws.atomic() as tx:
    for n in range(40):
        followers = int(rnd.lognormvariate(9.5, 1.2))
        creator = tx.creators.register(
            me,
            f"Creator {n:02}",
            audience={
                "instagram": ic.AudienceStats(
                    followers, engagement_rate=round(rnd.uniform(0.01, 0.08), 3)
                )
            },
            themes=rnd.sample(["skincare", "makeup", "wellness", "fashion"], k=rnd.randint(1, 2)),
        )
        p = tx.participations.add(me, campaign.id, creator.id)
        tx.participations.confirm(me, p.id)
        fmt = rnd.choice(["post", "reel", "story"])
        tx.deliverables.plan(
            me, p.id, platform="instagram", format=fmt, due_on=dt.date(2026, 4, 20)
        )
        if n % 3 == 0:  # a third of them are paid on top of the product
            tx.costs.plan(
                me,
                campaign.id,
                "fee",
                ic.Money.of(rnd.choice([150, 300, 600]), "EUR"),
                participation_id=p.id,
            )
    tx.costs.plan_compensation(me, campaign.id)
    for cost in tx.costs.list(me, campaign.id):
        tx.costs.commit(me, cost.id)

clock.advance(days=20)
for p in ws.participations.list(me, campaign.id):
    (d,) = ws.deliverables.list(me, p.id)
    followers = ws.creators.get(me, p.creator_id).followers
    seen = int(followers * rnd.uniform(0.1, 0.6))
    s = ws.submissions.submit(
        me,
        p.id,
        url=f"https://instagram.com/p/{p.creator_id}",
        platform="instagram",
        format=d.format,
        deliverable_id=d.id,
        published_at=clock.now().subtract(days=rnd.randint(0, 5)),
        metrics={
            "impressions": seen,
            "views": seen,
            "likes": int(seen * 0.04),
            "comments": int(seen * 0.002),
            "saves": int(seen * 0.003),
            "shares": 0,
        },
    )
    ws.submissions.validate(me, s.id, compliance=rnd.choice([70, 85, 100]))

report = ws.reports.campaign(me, campaign.id, draws=5_000, seed=1)

# %% ROI per creator: the best and the worst by EMV per euro spent
roi = report.frame("roi")
creators = roi[roi["creator_id"].notna()]
print(
    creators.sort_values("emv_per_cost", ascending=False)[
        ["creator_id", "cost", "emv", "roi_emv", "cost_per_engagement"]
    ]
    .head(5)
    .to_string(index=False)
)
print("campaign ROI by EMV:", report.roi_total.roi_emv)

# %% Which kinds of creators did best for this product?
segments = report.frame("segments")
print(
    segments[["dimension", "value", "count", "emv_per_cost", "median_roi_emv"]].to_string(
        index=False
    )
)

# %% Forecast vs actual, per creator
checks = report.frame("forecast_vs_actual")
print(checks[checks["figure"] == "emv"]["verdict"].value_counts().to_string())

# %% The same tables in polars, decimals kept exact
emv = report.frame("emv", library="polars")
print(emv.select("creator_id", "format", "emv").head(3))
print("total EMV:", emv["emv"].sum(), report.currency, "=", report.emv.total)
