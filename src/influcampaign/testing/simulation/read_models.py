"""Every read model of a campaign, computed on one store, cross-checked and reconciled."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from influcampaign.analytics.report import Budget, BudgetLine, CampaignReport
from influcampaign.domain.money import Money
from influcampaign.domain.principals import SystemActor
from influcampaign.errors import InflucampaignError
from influcampaign.rules.delivery import DeliveryLine, DeliveryProgress
from influcampaign.services.sales import SalesLine, SalesReport
from influcampaign.services.workspace import Workspace
from influcampaign.testing.simulation.model import _MANAGER, BRAND, _Side

# -- read models ------------------------------------------------------------------------------


def _typed(call: Callable[[], Any]) -> Any:
    """The result, or the typed error it raised (anything else propagates: a defect)."""
    try:
        return call()
    except InflucampaignError as error:
        return error


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _read_models(
    side: _Side, campaign: str | None, creators: list[str], share: int | None = None
) -> dict[str, Any]:
    """Every read model of the brand and of ``campaign`` as its manager reads them, each the
    result or the typed error it raised; ``share`` (0-2) computes only a third of them."""
    ws, m = side.ws, _MANAGER
    models: dict[str, Callable[[], Any]] = {
        "history": lambda: ws.history.brand(m, BRAND),
        "reactivation": lambda: ws.history.reactivation(m, BRAND),
    }
    if creators:
        models["creator history"] = lambda: ws.history.creator(m, BRAND, creators[-1])
    if campaign is not None:
        models.update(
            {
                "campaign report": lambda: ws.reports.campaign(m, campaign, draws=16, seed=3),
                "segments": lambda: ws.reports.segments(m, [campaign]),
                "sales report": lambda: ws.sales.report(m, campaign),
                "budget": lambda: ws.costs.budget(m, campaign),
                "progress": lambda: ws.deliverables.progress(m, campaign),
                "calendar": lambda: ws.calendar.for_campaigns(m, [campaign]),
                "overlap": lambda: ws.overlap.for_campaign(
                    m, campaign, side.audiences, platform="instagram"
                ),
                "retrospective": lambda: ws.reviews.retrospective(m, campaign),
                "ranking": lambda: ws.matching.rank(m, campaign),
                "list status": lambda: ws.participations.list_status(m, campaign),
                "response stats": lambda: ws.applications.response_stats(m, campaign),
                "unread": lambda: ws.messages.unread_counts(m, campaign),
            }
        )
    if campaign is not None and _has("icalendar"):  # the ``ical`` extra
        models["ics"] = lambda: ws.calendar.ics(m, [campaign])
    results = {
        name: _typed(model)
        for i, (name, model) in enumerate(models.items())
        if share is None or i % 3 == share
    }
    # Opted-out creators are never read, whatever the report found.
    with ws.store.unit_of_work(read_only=True) as uow:
        opted = {c.id for c in uow.creators.find(audience_data="opted_out")}
    assert not opted & {c for c, _ in side.audiences.reads}, "an opted-out audience was read"
    side.audiences.reads.clear()
    return results


def _cross_check(ws: Workspace, campaign_id: str, results: Mapping[str, Any]) -> None:
    """The read models of one campaign agree with each other and with its records."""
    ok = {n: r for n, r in results.items() if not isinstance(r, InflucampaignError)}
    system = SystemActor()
    participations = ws.participations.list(system, campaign_id)
    report, budget, sales = ok.get("campaign report"), ok.get("budget"), ok.get("sales report")
    if report is not None and budget is not None and budget.currency == report.currency:
        # (A campaign without a currency and without costs reports in its rate card's.)
        assert report.budget == budget, "the report's budget is not the budget"
    if report is not None and sales is not None and sales.currency == report.currency:
        for creator, figures in report.sales.items():
            line = sales.per_creator.get(creator)
            if line is not None:
                assert (figures.net, figures.clicks, figures.orders) == (
                    line.net,
                    line.clicks,
                    line.orders,
                ), f"the report's sales of {creator} are not the sales report's"
    status = ok.get("list status")
    if status is not None:
        listed = [
            *status.confirmed,
            *status.approved,
            *(p.participation for p in status.pending),
            *status.declined,
            *status.other,
        ]
        assert sorted(p.id for p in listed) == sorted(p.id for p in participations), status
    ranking = ok.get("ranking")
    if ranking is not None:
        applicants = {a.creator_id for a in _applications(ws, campaign_id)}
        taken = applicants | {p.creator_id for p in participations}
        assert not set(ranking.order) & taken, f"ranked creators already in: {ranking.order}"
    overlap = ok.get("overlap")
    if overlap is not None:
        excluded = {e.creator_id for e in overlap.excluded}
        assert not excluded & set(overlap.creator_ids), overlap
        assert overlap.distinct_reach.value <= overlap.total_followers.value, overlap
    for history in (ok.get("history") or {}).values():
        assert history.on_time <= history.delivered, history
        assert history.completed <= history.joined <= len(history.campaigns), history
    sent: Counter[str] = Counter(
        getattr(m.event, "participation_id", "")
        for m in ws.store.outbox.all()
        if m.event.type == "MessageSent"
    )
    for p in participations:
        thread = ws.messages.thread(system, p.id)
        assert len(thread) == sent[p.id], f"thread {p.id}: {len(thread)} of {sent[p.id]}"
        moments = [m.sent_at for m in thread]
        assert moments == sorted(moments), f"thread {p.id} is out of order"


def _applications(ws: Workspace, campaign_id: str) -> list[Any]:
    try:
        return ws.applications.list(SystemActor(), campaign_id)
    except InflucampaignError:  # pragma: no cover - the system reads everything
        return []


def _zero(currency: str) -> Money:
    return Money.zero(currency)


def _reconcile(name: str, value: Any) -> None:
    """The totals of one read model agree with their parts."""
    if isinstance(value, SalesReport):
        _reconcile_sales(value)
    elif isinstance(value, Budget):
        _reconcile_budget(value)
    elif isinstance(value, DeliveryProgress):
        for lines in (value.per_creator.values(), value.per_format.values()):
            assert sum(lines, DeliveryLine()) == value.total, (name, value)
        for line in (*value.per_creator.values(), *value.per_format.values(), value.total):
            assert 0 <= line.delivered <= line.expected, (name, line)
            assert line.delivered + line.outstanding == line.expected, (name, line)
            assert line.on_time + line.late == line.delivered, (name, line)
    elif isinstance(value, CampaignReport):
        _reconcile_budget(value.budget)
        currency = value.currency
        basis = value.cost_basis
        assert value.roi_total.cost == value.budget.total.cost(basis), value.roi_total
        for creator, roi in value.roi_per_creator.items():
            expected = value.budget.per_creator.get(creator)
            assert roi.cost == (_zero(currency) if expected is None else expected.cost(basis))
        nets = [roi.net_revenue for roi in value.roi_per_creator.values()]
        assert value.roi_total.net_revenue == Money.sum(nets, currency), value.roi_total
        emv = value.emv
        known = [v for v in emv.per_creator.values() if v is not None]
        assert emv.total == (Money.sum(known, currency) if known else None), emv
        forecast = value.forecast
        for estimate_line in (
            *forecast.per_deliverable.values(),
            *forecast.per_creator.values(),
            forecast.total,
        ):
            for figure in ("reach", "impressions", "engagements", "emv", "roi"):
                estimate = getattr(estimate_line, figure)
                if estimate is not None:
                    assert estimate.p10 <= estimate.p50 <= estimate.p90, (figure, estimate_line)
        for creator, total in emv.per_creator.items():
            parts = [c.emv for c in emv.contents if c.creator_id == creator and c.emv is not None]
            assert total == (Money.sum(parts, currency) if parts else None), (creator, emv)


def _reconcile_sales(report: Any) -> None:
    total = SalesLine(report.currency)
    for line in report.per_creator.values():
        total += line
    assert total == report.total, report
    for line in (*report.per_creator.values(), report.total):
        assert line.net == line.gross - line.refunded, line
        assert line.refunded.amount >= 0, line
        assert line.net.amount >= 0, line
        assert line.unique_clicks <= line.clicks, line
        assert line.orders_via_link <= line.orders, line
    clicks = sum(c.clicks for c in report.per_link.values())
    assert clicks == report.total.clicks == sum(c.clicks for c in report.per_day.values()), report


def _reconcile_budget(budget: Any) -> None:
    total = budget.campaign_wide
    for line in budget.per_creator.values():
        assert line.planned.amount >= line.committed.amount >= line.paid.amount, line
        total += line
    assert total == budget.total, budget
    assert sum(budget.per_kind.values(), BudgetLine.zero(budget.currency)) == budget.total, budget
