"""Chapter 11: a creator paid by commission — a budget estimated from priced deliverables, an
order, a refund inside the lock period, a payout statement paid through the host's gateway,
and a late refund clawed back on the next statement."""

from __future__ import annotations

from decimal import Decimal

import influcampaign as ic
from influcampaign.demo._story import PARIS, Story, pct
from influcampaign.domain.orders import OrderPlacement, Refund, ShopEvent

__all__ = ["pay_by_commission"]

_SHOP = "maison-verte.myshopify.com"
_BRAND = "maison-verte"


def _sell(story: Story, number: int, code: str, lines: dict[str, str]) -> str:
    """Place order ``#number`` now with ``code``, one line per product (EUR)."""
    now = story.clock.now()
    items = tuple(ic.OrderLine(p, ic.Money.of(a, "EUR")) for p, a in lines.items())
    subtotal = ic.Money.sum([x.amount for x in items], "EUR")
    placement = OrderPlacement(
        str(number), f"#{number}", now, now, subtotal, subtotal, (code,), lines=items
    )
    story.ws.sales.apply(
        story.manager, _BRAND, _SHOP, ShopEvent("orders/create", str(number), "EUR", placement)
    )
    return str(number)


def _refund(story: Story, number: str, amount: str) -> None:
    refund = Refund(f"rf-{number}-{amount}", ic.Money.of(amount, "EUR"), story.clock.now())
    event = ShopEvent("refunds/create", number, "EUR", refunds=(refund,))
    story.ws.sales.apply(story.manager, _BRAND, _SHOP, event)


def _statement(story: Story, statement: ic.PayoutStatement) -> None:
    story.say(
        f"{statement.number_text} to {statement.creator_id}, "
        f"{statement.period_start} to {statement.period_end}: {statement.total}"
    )
    for line in statement.lines:
        story.say(f"  {line.kind.value:<15} {line.amount!s:>11}  {line.description}")


def pay_by_commission(story: Story) -> None:
    """Pay one creator by commission, from the deliverable plan to two statements."""
    ws, clock, manager, say = story.ws, story.clock, story.manager, story.say
    say()
    say("== Creator pay: priced deliverables, a commission, a refund, statements ==")
    ines = ws.creators.register(
        manager,
        "Inès Roche",
        handles={"instagram": "ines.roche"},
        audience={"instagram": ic.AudienceStats(18_000, engagement_rate=0.041)},
    )
    ws.creators.update(
        manager,
        ines.id,
        payout_currency="EUR",
        rates=(
            ic.CreatorRate("reel", ic.Money.of(320, "EUR"), platform="instagram"),
            ic.CreatorRate("story", ic.Money.of(90, "EUR")),
        ),
    )
    start = clock.now()
    rule = ic.CommissionRule(
        "12% of sales", "percent", percent=Decimal(12), excluded_products={"gift-card"}
    )
    campaign = ws.campaigns.create(
        manager,
        brand_id=_BRAND,
        name="Code été",
        kind="sales_tracking",
        mode="project",
        start=start,
        end=start.add(days=90),
        timezone=PARIS,
        policies=ic.CampaignPolicies(
            attribution=ic.AttributionPolicy(currency="EUR"),
            commission=ic.CommissionPolicy((rule,), lock_days=14),
        ),
    )
    ws.campaigns.start(manager, campaign.id)
    participation = ws.participations.add(manager, campaign.id, ines.id)
    ws.participations.confirm(manager, participation.id)
    day = start.in_timezone(PARIS).date()
    ws.deliverables.plan(
        manager, participation.id, platform="instagram", format="reel", planned_on=day.add(days=7)
    )
    ws.deliverables.plan(
        manager,
        participation.id,
        platform="instagram",
        format="story",
        quantity=2,
        planned_on=day.add(days=8),
    )
    budget = ws.costs.budget(manager, campaign.id)
    say(
        f"budget estimated from the deliverables (Inès's rates): {budget.estimate} "
        f"(planned costs: {budget.total.planned})"
    )
    report = ws.reports.campaign(manager, campaign.id, draws=2_000, seed=2026)
    roi = report.forecast.total.roi
    say(
        f"forecast budget {report.forecast.total.budget}, ROI by EMV P50 "
        f"{'—' if roi is None else pct(roi.p50)}"
    )
    fees = ws.costs.plan_deliverables(manager, campaign.id)
    say(f"fees planned from the deliverables: {', '.join(str(c.amount) for c in fees)}")

    code = ws.codes.create(manager, participation.id, percent_off=10).code
    clock.advance(days=2)
    first = _sell(story, 2001, code, {"serum": "100.00", "gift-card": "20.00"})
    clock.advance(hours=5)
    second = _sell(story, 2002, code, {"serum": "80.00"})
    for c in ws.pay.sync(manager, campaign.id):
        say(f"commission {c.changes[0].reason}: {c.amount}, {c.status.value}")
    clock.advance(days=3)
    _refund(story, second, "80.00")  # inside the 14-day window: reversed
    for c in ws.pay.sync(manager, campaign.id):
        say(f"after the refund: {c.amount} {c.status.value} ({c.changes[-1].reason})")
    clock.advance(days=14)
    ledger = ws.pay.sync(manager, campaign.id)
    say(f"after the 14-day lock: {', '.join(c.status.value for c in ledger)}")
    period_end = clock.now().in_timezone(PARIS).date()
    statement = ws.pay.issue(manager, _BRAND, ines.id, period_end=period_end)
    _statement(story, statement)
    paid = ws.pay.pay(manager, statement.id)
    say(f"paid through the host's gateway: reference {paid.reference}")

    clock.advance(days=3)
    _refund(story, first, "48.00")  # after the window: clawed back next time
    _sell(story, 2003, code, {"serum": "50.00"})
    clock.advance(days=15)
    later = ws.pay.issue(manager, _BRAND, ines.id, period_end=clock.now().in_timezone(PARIS).date())
    _statement(story, later)
    ws.pay.pay(manager, later.id)
    unchanged = ws.pay.statement(manager, statement.id) == paid
    say(f"{statement.number_text} unchanged by the late refund: {unchanged}")
    csv_rows = ws.pay.export_csv(manager, [statement.id, later.id]).splitlines()
    say(f"CSV export: {len(csv_rows) - 1} lines, columns {csv_rows[0][:44]}…")
    budget = ws.costs.budget(manager, campaign.id)
    commission = budget.per_kind[ic.CostKind.COMMISSION]
    say(
        f"budget: fees {budget.per_kind[ic.CostKind.FEE].planned} planned, commission "
        f"{commission.committed} committed, {commission.paid} paid"
    )
