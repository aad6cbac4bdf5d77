"""Attribution in bulk: 1,000,000 orders against 10,000 participations, each with a promo
code and a tracked link (the Shopify export of a large programme, replayed at once).

About 40 % of the orders carry a promo code (typed in any case, some unknown to the
brand), 30 % a click id (clicks up to 45 days old, against 30-day windows and a few 7-day
ones), 20 % a tracked landing page. Every order is credited under ``code_wins`` and the
net revenue (minor units, refunds taken off) is summed per participation.

Ours: ``analytics.attribution`` (vectorised code lookup, one pass of masks, exact sums).
Baseline: a per-order Python loop over the same data with dicts, the same rule and the same
sums. Both must credit every order to the same participation and give the same totals.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from _common import median_time, parse_args, report

from influcampaign.analytics.attribution import attribute_orders, code_owners, credited_totals

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
        }
    )


if __name__ == "__main__":
    main()
