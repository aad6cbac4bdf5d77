"""A Hypothesis state machine that runs whole campaigns on two stores side by side.

Random but legal-or-refused histories of marketplace offers and projects are driven through
the public services only — registrations, groups, applications and their decisions, the
creator list and its approval, shipments, deliverables, submissions with random captions and
metrics, validations and re-openings, messages, clock jumps with scheduler runs, tracked links
and clicks, signed Shopify webhooks (retried, reordered, refunded, cancelled), costs, reviews
and the campaign's end — by every kind of principal, including ones that must be refused.

After every step it checks that the memory store and the store under test hold the same
aggregates and outbox, that a refused call changed nothing, that every read model computes or
raises a typed :class:`~influcampaign.errors.InflucampaignError` (never another exception)
and that its totals reconcile with their parts, that each scheduled job acted once, and that
no principal reads what the access policy denies.

    TestSqliteSimulation = campaign_simulation(lambda: SqlStore("sqlite:///…")).TestCase

Ids are sequential and the clock is frozen, so both stores see the same ids and times; the
only random values (link slugs and promo-code suffixes) are mapped to stable names before
anything is compared.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import initialize

from influcampaign.domain.policies import AttributionRule
from influcampaign.ports import Store
from influcampaign.testing import strategies as ics
from influcampaign.testing.simulation.campaigns import CampaignSteps
from influcampaign.testing.simulation.capture import CaptureSteps
from influcampaign.testing.simulation.checks import Checks
from influcampaign.testing.simulation.content import ContentSteps
from influcampaign.testing.simulation.kinds import KindSteps
from influcampaign.testing.simulation.money import MoneySteps
from influcampaign.testing.simulation.participations import ParticipationSteps
from influcampaign.testing.simulation.pay import PaySteps
from influcampaign.testing.simulation.sales import SalesSteps

__all__ = ["CampaignSimulation", "campaign_simulation"]


class CampaignSimulation(
    CampaignSteps,
    ParticipationSteps,
    ContentSteps,
    SalesSteps,
    MoneySteps,
    CaptureSteps,
    PaySteps,
    KindSteps,
    Checks,
):
    """Whole campaigns driven on the memory store and the store under test at once."""

    @initialize(
        cast=st.lists(
            st.tuples(
                st.integers(0, 300_000),
                st.none() | st.floats(0.005, 0.15),
                st.sampled_from(["shared", "shared", "shared", "hidden", "opted_out"]),
                st.lists(st.integers(0, 40), max_size=12),
            ),
            min_size=2,
            max_size=4,
        ),
        currency=st.sampled_from(["EUR", "EUR", "USD", "GBP", None]),
        cap=st.sampled_from([None, 1, 2]),
        jurisdiction=st.sampled_from([None, "FR", "US"]),
        accepted=st.integers(0, 4),
        confirmed=st.integers(0, 4),
        content=st.booleans(),
        tracking=st.booleans(),
        costs=st.booleans(),
        caption=ics.captions(),
        metrics=st.none() | ics.metrics(),
    )
    def cast(
        self,
        cast: list[tuple[int, float | None, str, list[int]]],
        currency: str | None,
        cap: int | None,
        jurisdiction: str | None,
        accepted: int,
        confirmed: int,
        content: bool,
        tracking: bool,
        costs: bool,
        caption: str,
        metrics: Any,
    ) -> None:
        """A brand with a few creators, an open offer they applied to (some accepted), a
        running project from a group with everyone on its list (some confirmed), and maybe
        deliverables, delivered parcels, links, codes and costs for those who are in."""
        for followers, rate, data, audience in cast:
            self.register("manager", followers, rate, frozenset({"beauty"}), "FR", data, audience)
        self.create_group("manager", list(range(len(self.creators))), False)
        for marketplace in (True, False):
            self.create_campaign(
                actor="manager",
                marketplace=marketplace,
                currency=currency,
                fee="150",
                product="49.90",
                cap=cap,
                approvals=1,
                jurisdiction=jurisdiction,
                group=None if marketplace else 0,
                start_days=-1,
                length_days=30,
                timezone="Europe/Paris",
                attribution=AttributionRule.CODE_WINS,
                remind=1,
            )
        if len(self.campaigns) < 2:
            return
        self.campaign_moves("manager", 0, "open")
        for i in range(len(self.creators)):
            self.apply("creator", 0, i)
        for i in range(min(accepted, len(self.applications))):
            self.decide("manager", [i], "accept", None, "Welcome!", None)
        in_offer = len(self.participations)
        self.campaign_moves("manager", 1, "start")
        self.put_on_list("manager", 1, 0, 0)
        for i in range(in_offer, min(in_offer + confirmed, len(self.participations))):
            self.participation_moves("creator", i, "confirm")
        for i in range(len(self.participations)):
            if content:
                self.plan_deliverable("manager", i, "instagram", "post", 1, 2, None, 6)
                shipped = len(self.shipments)
                self.ship("manager", i, True)
                if len(self.shipments) > shipped:
                    self.parcel_moves("creator", shipped, "deliver", None)
                    self.submit("creator", i, "instagram", "post", 1, caption, "", metrics)
            if tracking:
                self.create_link("manager", i)
                self.create_code("manager", i, None, 10)
        if costs:
            for campaign in range(2):
                self.plan_cost("manager", campaign, None, "fee", "0", "EUR", False, True)
        self.focus = self.campaigns[1]


def campaign_simulation(make_store: Callable[[], Store]) -> type[CampaignSimulation]:
    """A CampaignSimulation subclass driving ``make_store()`` stores beside the memory store;
    run it with its ``TestCase`` (give it settings for the number of steps)."""
    return type(
        "CampaignSimulationFor", (CampaignSimulation,), {"make_store": staticmethod(make_store)}
    )
