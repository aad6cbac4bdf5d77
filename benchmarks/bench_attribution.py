"""Attribution in bulk: 1,000,000 orders against 10,000 participations, each with a promo
code and a tracked link (the Shopify export of a large programme, replayed at once).

About 40 % of the orders carry a promo code (typed in any case, some unknown to the
brand), 30 % a click id (clicks up to 45 days old, against 30-day windows and a few 7-day
ones), 20 % a tracked landing page. Every order is credited under ``code_wins`` and the
net revenue (minor units, refunds taken off) is summed per participation.

Ours: ``analytics.attribution`` (vectorised code lookup, one pass of masks, exact sums).
Baseline: a per-order Python loop over the same data with dicts, the same rule and the same
sums. Both must credit every order to the same participation and give the same totals.

Then the real path: an orders export (and a few webhooks) imported through the service into
SQLite, ``ws.sales.apply_all`` (bulk: chunks read at once, the vectorised engine, bulk writes)
against ``ws.sales.apply`` event by event, on two copies of the same store and the same
events; both must give the same answers and attributions. ``max_lock_s`` is the longest write
transaction of the import (SQLite holds its write lock from BEGIN IMMEDIATE to COMMIT), and
``one_million_orders_s`` the time a million orders would take at the measured rate.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from _common import median_time, parse_args, report

import influcampaign as ic
from influcampaign.analytics.attribution import attribute_orders, code_owners, credited_totals

_KEYS = ic.SigningKeys({"k1": b"k1-" + b"x" * 40}, current="k1")

DAY = 86_400_000_000  # microseconds


def make_data(orders: int, participations: int, seed: int = 5) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    codes = np.array([f"CRE{i:05d}{rng.integers(5, 30)}" for i in range(participations)])
    window = np.full(participations, 30 * DAY, dtype=np.int64)
    window[rng.random(participations) < 0.1] = 7 * DAY
    order_at = rng.integers(60 * DAY, 120 * DAY, size=orders, dtype=np.int64)
    with_code = rng.random(orders) < 0.4
    picked = rng.integers(0, participations, size=orders)
    order_codes = np.where(with_code, codes[picked], "")
    unknown = rng.random(orders) < 0.02
    order_codes = np.where(unknown & with_code, "WELCOME10", order_codes)
    lower = rng.random(orders) < 0.3
    order_codes = np.where(lower, np.char.lower(order_codes), order_codes)
    click = np.where(rng.random(orders) < 0.3, rng.integers(0, participations, orders), -1)
    click_at = order_at - rng.integers(0, 45 * DAY, size=orders, dtype=np.int64)
    landing = np.where(rng.random(orders) < 0.2, rng.integers(0, participations, orders), -1)
    net = rng.integers(500, 25_000, size=orders, dtype=np.int64)
    net[rng.random(orders) < 0.05] = 0  # refunded in full or cancelled
    return {
        "codes": codes,
        "window": window,
        "order_at": order_at,
        "order_codes": order_codes,
        "click": click.astype(np.int64),
        "click_at": click_at,
        "landing": landing.astype(np.int64),
        "net": net,
    }


def ours(data: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    owners = np.arange(len(data["codes"]))
    code = code_owners(data["order_codes"], data["codes"], owners)
    result = attribute_orders(
        order_at=data["order_at"],
        code=code,
        click=data["click"],
        click_at=data["click_at"],
        landing=data["landing"],
        window=data["window"],
    )
    return result.winner, credited_totals(result.winner, data["net"], len(data["codes"]))


def loop(data: dict[str, np.ndarray]) -> tuple[list[int], list[int]]:
    owner_of = {c.upper(): i for i, c in enumerate(data["codes"].tolist())}
    window = data["window"].tolist()
    winners: list[int] = []
    totals = [0] * len(window)
    for at, code, click, click_at, landing, net in zip(
        data["order_at"].tolist(),
        data["order_codes"].tolist(),
        data["click"].tolist(),
        data["click_at"].tolist(),
        data["landing"].tolist(),
        data["net"].tolist(),
        strict=True,
    ):
        winner = owner_of.get(code.upper(), -1) if code else -1
        if winner < 0 and click >= 0 and 0 <= at - click_at <= window[click]:
            winner = click
        if winner < 0 and landing >= 0:
            winner = landing
        winners.append(winner)
        if winner >= 0:
            totals[winner] += net
    return winners, totals


def _import_world(path: Path, participations: int) -> tuple[list[str], list[str]]:
    """A store with one running campaign and ``participations`` creators, each with a promo
    code and a tracked link: their codes and landing pages."""
    import pendulum

    import influcampaign as ic

    ws = ic.open(f"sqlite:///{path}", clock=ic.FrozenClock(pendulum.datetime(2026, 3, 2, tz="UTC")))
    manager = ic.BrandMember("u_claire", brand_id="acme", role="manager")
    ws = ic.Workspace(ws.store, ws.clock, ids=ws.ids, keys=_KEYS)
    campaign = ws.campaigns.create(
        manager,
        brand_id="acme",
        name="Spring",
        kind="sales_tracking",
        mode="project",
        start=pendulum.datetime(2026, 3, 1, tz="UTC"),
        end=pendulum.datetime(2026, 9, 1, tz="UTC"),
        timezone="Europe/Paris",
        compensation=ic.Compensation(fee=ic.Money.of(100, "EUR")),
    )
    ws.campaigns.start(manager, campaign.id)
    codes, landings = [], []
    for i in range(participations):
        creator = ws.creators.register(manager, f"Creator {i}", handles={"instagram": f"cre{i}"})
        p = ws.participations.add(manager, campaign.id, creator.id)
        ws.participations.confirm(manager, p.id)
        codes.append(ws.codes.create(manager, p.id, code=f"CRE{i:05d}").code)
        link = ws.links.create(manager, p.id, landing_url="https://shop.example/serum")
        landings.append(f"/serum?utm_content={link.slug}")
    ws.close()
    return codes, landings


def _shop_events(orders: int, codes: list[str], landings: list[str], seed: int = 7) -> list:
    """An orders export: 40 % with a code, 20 % with a landing page; 5 % refunded; a few
    webhooks about the same orders."""
    from decimal import Decimal

    import pendulum

    import influcampaign as ic
    from influcampaign.domain.orders import OrderPlacement, ShopEvent, ShopTopic

    rng = np.random.default_rng(seed)
    events = []
    start = pendulum.datetime(2026, 3, 5, tz="UTC")
    for i in range(orders):
        at = start.add(minutes=int(rng.integers(0, 60 * 24 * 90)))
        code = (codes[int(rng.integers(len(codes)))],) if rng.random() < 0.4 else ()
        landing = landings[int(rng.integers(len(landings)))] if rng.random() < 0.2 else None
        money = ic.Money(Decimal(int(rng.integers(500, 25_000))) / 100, "EUR")
        placement = OrderPlacement(
            external_id=str(10_000 + i),
            name=f"#{i}",
            created_at=at,
            updated_at=at,
            subtotal=money,
            total=money,
            discount_codes=code,
            landing_site=landing,
            financial_status="paid",
        )
        refunded = money if rng.random() < 0.05 else None
        topic = ShopTopic.CSV_EXPORT if i % 10 else ShopTopic.ORDER_PAID
        events.append(
            ShopEvent(
                topic,
                placement.external_id,
                "EUR",
                placement=placement,
                refunded_total=refunded if topic is ShopTopic.CSV_EXPORT else None,
                event_id=None if topic is ShopTopic.CSV_EXPORT else f"evt{i}",
            )
        )
    return events


def service_import(quick: bool) -> dict[str, object]:
    """The real import path on SQLite, bulk against event by event, on the same events."""
    import shutil
    import tempfile
    import time

    import pendulum
    import sqlalchemy as sa

    import influcampaign as ic

    participations, orders = (40, 2_000) if quick else (200, 20_000)
    manager = ic.BrandMember("u_claire", brand_id="acme", role="manager")
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "template.sqlite"
        codes, landings = _import_world(template, participations)
        events = _shop_events(orders, codes, landings)
        results = {}
        for name in ("one_by_one", "bulk"):
            path = Path(folder) / f"{name}.sqlite"
            shutil.copy(template, path)
            base = ic.open(
                f"sqlite:///{path}", clock=ic.FrozenClock(pendulum.datetime(2026, 6, 2, tz="UTC"))
            )
            ws = ic.Workspace(base.store, base.clock, ids=base.ids, keys=_KEYS)
            locks: list[float] = []
            opened: dict[int, float] = {}

            def begin(connection: object, opened: dict[int, float] = opened) -> None:
                opened[id(connection)] = time.perf_counter()

            def end(
                connection: object,
                opened: dict[int, float] = opened,
                locks: list[float] = locks,
            ) -> None:
                locks.append(time.perf_counter() - opened.pop(id(connection), time.perf_counter()))

            engine = ws.store.engine
            sa.event.listen(engine, "begin", begin)
            sa.event.listen(engine, "commit", end)
            sa.event.listen(engine, "rollback", end)
            started = time.perf_counter()
            if name == "bulk":
                answers = ws.sales.apply_all(manager, "acme", SHOP, events)
            else:
                answers = [ws.sales.apply(manager, "acme", SHOP, e) for e in events]
            seconds = time.perf_counter() - started
            results[name] = (seconds, answers, max(locks))
            ws.close()
    (one_s, one_answers, _), (bulk_s, bulk_answers, max_lock) = (
        results["one_by_one"],
        results["bulk"],
    )
    if one_answers != bulk_answers:
        raise SystemExit("the bulk import and the per-order path disagree")
    rate = orders / bulk_s
    return {
        "orders": orders,
        "participations": participations,
        "per_order_s": round(one_s, 3),
        "import_s": round(bulk_s, 3),
        "speedup": round(one_s / bulk_s, 2),
        "import_orders_per_s": round(rate),
        "per_order_orders_per_s": round(orders / one_s),
        "max_lock_s": round(max_lock, 3),
        "one_million_orders_s": round(1_000_000 / rate, 1),
        "credited": sum(1 for a in bulk_answers if a.attribution and a.attribution.creator_id),
    }


SHOP = "maison-lumiere.myshopify.com"


def main() -> None:
    args = parse_args(__doc__ or "")
    orders, participations = (50_000, 1_000) if args.quick else (1_000_000, 10_000)
    data = make_data(orders, participations)
    ours_s, (winner, totals) = median_time(lambda: ours(data), args.repeats)
    loop_s, (loop_winner, loop_totals) = median_time(lambda: loop(data), max(1, args.repeats // 2))
    if winner.tolist() != loop_winner or totals.tolist() != loop_totals:
        raise SystemExit("the bulk attribution and the loop disagree")
    credited = int((winner >= 0).sum())
    print(f"{orders:,} orders, {participations:,} participations, {credited:,} credited")
    print(f"ours (numpy):      {ours_s:8.3f} s  {orders / ours_s:12,.0f} orders/s")
    print(f"per-order loop:    {loop_s:8.3f} s  {orders / loop_s:12,.0f} orders/s")
    print(f"speedup:           {loop_s / ours_s:8.1f}x")
    real = service_import(args.quick)
    print(
        f"service import of {real['orders']:,} orders into SQLite: bulk {real['import_s']} s, "
        f"event by event {real['per_order_s']} s ({real['speedup']}x); "
        f"{real['import_orders_per_s']:,} orders/s, longest write lock {real['max_lock_s']} s, "
        f"1 M orders in {real['one_million_orders_s']} s"
    )
    report(
        {
            "benchmark": "attribution",
            "size": {"orders": orders, "participations": participations},
            "ours_s": round(ours_s, 4),
            "baseline": "a per-order Python loop",
            "baseline_s": round(loop_s, 4),
            "speedup": round(loop_s / ours_s, 2),
            "orders_per_s": round(orders / ours_s),
            "credited_orders": credited,
            "service_import": real,
            "import_orders_per_s": real["import_orders_per_s"],
            "max_lock_s": real["max_lock_s"],
            "one_million_orders_s": real["one_million_orders_s"],
            "import_speedup": real["speedup"],
        }
    )


if __name__ == "__main__":
    main()
