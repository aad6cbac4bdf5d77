"""Chapter 7: costs and payments, then the campaign report: budget, EMV, sales, both ROIs,
forecast vs actual and the segments."""

from __future__ import annotations

import influcampaign as ic
from influcampaign.demo._story import Story, num, pct

__all__ = ["costs_and_report"]


def costs_and_report(story: Story, offer: ic.Campaign, joined: list[ic.Participation]) -> None:
    """Costs and payments, then the campaign report: budget, EMV, sales, both ROIs,
    forecast vs actual and the segments."""
    ws, manager, say = story.ws, story.manager, story.say
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
            f"{roi.net_revenue!s:<10}  {pct(roi.roi_emv):>8}  {pct(roi.roi_sales):>10}  "
            f"{num(roi.roas):<6}  {roi.cost_per_engagement or '—'}"
        )
    total = report.forecast.total
    emv = (
        f"P10 {total.emv.p10} / P50 {total.emv.p50} / P90 {total.emv.p90} {total.currency}"
        if total.emv is not None
        else f"unknown ({total.notes['emv']})"
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
            f"{num(seg.median_compliance) + ' %':<10}  "
            f"{pct(seg.median_on_time_rate)}"
        )
