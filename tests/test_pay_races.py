"""Races of creator pay between host processes, on SQLite and PostgreSQL: statement numbers
never repeat, and a ledger entry is settled on exactly one statement, however many processes
issue at the same moment."""

from __future__ import annotations

from decimal import Decimal

import pendulum

import influcampaign as ic
from influcampaign.domain.orders import OrderPlacement, ShopEvent
from tests.conftest import MANAGER, T0
from tests.test_races import RACERS, TRIALS, Race, Tally, _confirmed, _unexpected
from tests.test_races import race as race  # the racers fixture

SHOP = "acme.myshopify.com"
PAID_AT = T0.add(days=31)  # after the 30-day lock


def _issue(ws: ic.Workspace, creator_id: str) -> str:
    day = ws.clock.now().date()
    return ws.pay.issue(MANAGER, "acme", creator_id, period_end=day).id


def _selling_campaign(ws: ic.Workspace, trial: int) -> tuple[ic.Campaign, list[str]]:
    """A campaign paying 10 % on four creators' codes, each with one order placed at T0."""
    rule = ic.CommissionRule("10% of sales", "percent", percent=Decimal(10))
    campaign = ws.campaigns.create(
        MANAGER,
        brand_id="acme",
        name="Ventes",
        kind="sales_tracking",
        mode="project",
        start=pendulum.datetime(2026, 3, 1, tz="Europe/Paris"),
        end=pendulum.datetime(2026, 6, 1, tz="Europe/Paris"),
        timezone="Europe/Paris",
        policies=ic.CampaignPolicies(
            attribution=ic.AttributionPolicy(currency="EUR"),
            commission=ic.CommissionPolicy((rule,)),
        ),
    )
    ws.campaigns.start(MANAGER, campaign.id)
    creators = []
    for i in range(RACERS):
        creator = ws.creators.register(MANAGER, f"Seller {trial}-{i}")
        pid = _confirmed(ws, campaign, creator)
        code = ws.codes.create(MANAGER, pid, code=f"SELL{trial}X{i}").code
        external = f"{campaign.id}-{i}"
        money = ic.Money.of(10 * (i + 1), "EUR")
        placement = OrderPlacement(external, f"#{external}", T0, T0, money, money, (code,))
        event = ShopEvent("orders/create", external, "EUR", placement)
        ws.sales.apply(MANAGER, "acme", SHOP, event)
        creators.append(creator.id)
    return campaign, creators


class TestStatementRaces:
    def test_statements_issued_at_once_get_distinct_numbers(self, race: Race) -> None:
        """Four processes issue four creators' statements at once: all are issued, with
        numbers that never repeat in the brand."""
        tally = Tally(race, "statement-numbers")
        everyone: list[str] = []
        for trial in range(TRIALS):
            ws = race.ws
            _campaign, creators = _selling_campaign(ws, trial)
            everyone += creators
            outcomes = race.run(
                "statement-numbers", *[(_issue, (c,)) for c in creators], at=PAID_AT
            )
            problems = _unexpected(outcomes, {"ok"})
            numbers = [s.number for c in everyone for s in ws.pay.statements(MANAGER, "acme", c)]
            if len(numbers) != len(set(numbers)):
                problems.append(f"numbers repeat: {sorted(numbers)}")
            tally.trial(problems)
        tally.check()

    def test_one_creators_entries_are_settled_once(self, race: Race) -> None:
        """Four processes issue the same creator's statement at once: one is issued, the
        others find nothing owed; the commission is on exactly one statement."""
        tally = Tally(race, "statement-once")
        for trial in range(TRIALS):
            ws = race.ws
            _campaign, creators = _selling_campaign(ws, 100 + trial)
            creator = creators[0]
            outcomes = race.run("statement-once", *[(_issue, (creator,))] * RACERS, at=PAID_AT)
            problems = _unexpected(outcomes, {"ok", "ValidationError"})
            problems += [
                f"refused otherwise: {o.detail}"
                for o in outcomes
                if o.kind == "ValidationError" and "owed nothing" not in o.detail
            ]
            statements = ws.pay.statements(MANAGER, "acme", creator)
            if len(statements) != 1 or sum(o.kind == "ok" for o in outcomes) != 1:
                problems.append(
                    f"{len(statements)} statements, outcomes {[o.kind for o in outcomes]}"
                )
            [commission] = ws.pay.ledger(MANAGER, "acme", creator)
            if [e.statement_id for e in commission.entries] != [s.id for s in statements]:
                problems.append(f"entries {commission.entries} vs {statements}")
            tally.trial(problems)
        tally.check()
