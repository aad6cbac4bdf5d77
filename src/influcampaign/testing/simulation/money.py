"""Steps of the simulation: rate cards, costs and reviews."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from influcampaign.domain.emv import EmvRate, RateCard
from influcampaign.domain.money import Money
from influcampaign.domain.policies import EmvPolicy
from influcampaign.domain.principals import SystemActor
from influcampaign.testing import strategies as ics
from influcampaign.testing.simulation.model import _PICK, BRAND, SimulationModel, _actors, _Side


class MoneySteps(SimulationModel):
    """Steps of the simulation: rate cards, costs and reviews."""

    @precondition(lambda self: bool(self.campaigns))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        currency=st.sampled_from(["EUR", "GBP", "USD"]),
        from_days=st.integers(-30, 10),
        until_days=st.none() | st.integers(1, 40),
        version=st.integers(1, 3),
    )
    def use_rate_card(
        self,
        actor: str,
        pick: int,
        currency: str,
        from_days: int,
        until_days: int | None,
        version: int,
    ) -> None:
        """The brand defines a version of its own EMV rate card (maybe overlapping another,
        or in force only part of the time) and values a campaign with it."""
        self._step("use_rate_card")
        campaign = self._pick(self.campaigns, pick)
        if campaign is None:
            return
        self.focus = campaign
        today = self.clock.now().date()

        def define(side: _Side) -> Any:
            card = RateCard(  # an inverted validity is refused here
                name="acme card",
                version=version,
                currency=currency,
                valid_from=today + _dt.timedelta(days=from_days),
                valid_until=None if until_days is None else today + _dt.timedelta(days=until_days),
                rates=[EmvRate("likes", "0.08"), EmvRate("impressions", "6", per=1000)],
                source="simulation",
            )
            return side.ws.rate_cards.define(principal, BRAND, card)

        principal = self._who(actor)
        self._call(define, what="rate_cards.define")
        policies = self.sides[0].ws.campaigns.get(SystemActor(), campaign).policies
        chosen = attrs.evolve(policies, emv=EmvPolicy(card="acme card"))
        self._call(
            lambda side: side.ws.campaigns.update(principal, campaign, policies=chosen),
            what="campaigns.update policies",
        )

    # -- money -------------------------------------------------------------------------------

    @precondition(lambda self: bool(self.campaigns))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        who=st.none() | _PICK,
        kind=st.sampled_from(["fee", "shipping", "gift", "agency", "bonus"]),
        amount=st.sampled_from(["0", "20", "99.99"]),
        currency=st.sampled_from(["EUR", "EUR", "USD", "GBP"]),
        by_compliance=st.booleans(),
        compensation=st.booleans(),
    )
    def plan_cost(
        self,
        actor: str,
        pick: int,
        who: int | None,
        kind: str,
        amount: str,
        currency: str,
        by_compliance: bool,
        compensation: bool,
    ) -> None:
        """The brand plans a cost, or each confirmed creator's compensation."""
        self._step("plan_cost")
        campaign = self._pick(self.campaigns, pick)
        if campaign is None:
            return
        self.focus = campaign
        principal = self._who(actor)
        if compensation:
            outcomes = self._call(
                lambda side: side.ws.costs.plan_compensation(
                    principal, campaign, fee_by_compliance=by_compliance
                ),
                what="costs.plan_compensation",
            )
            if outcomes[0].ok:
                self.costs.extend(c.id for c in outcomes[0].value)
            return
        participation = None if who is None else self._pick(self.participations, who)
        outcomes = self._call(
            lambda side: [
                side.ws.costs.plan(
                    principal,
                    campaign,
                    kind,
                    Money.of(amount, currency),
                    participation_id=participation,
                    due_on=self.clock.now().date(),
                    pay_by_compliance=by_compliance,
                )
            ],
            what="costs.plan",
        )
        if outcomes[0].ok:
            self.costs.extend(c.id for c in outcomes[0].value)

    @precondition(lambda self: bool(self.costs))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        action=st.sampled_from(["commit", "pay", "pay", "cancel"]),
        reason=st.sampled_from(["over budget", ""]),
    )
    def cost_moves(self, actor: str, pick: int, action: str, reason: str) -> None:
        """A cost is committed, paid (maybe by compliance) or cancelled."""
        self._step("cost_moves")
        cost = self._pick(self.costs, pick)
        if cost is None:
            return
        principal = self._who(actor)
        if action == "cancel":
            self._call(
                lambda side: side.ws.costs.cancel(principal, cost, reason=reason),
                what="costs.cancel",
            )
        else:
            self._call(
                lambda side: getattr(side.ws.costs, action)(principal, cost), what=f"costs.{action}"
            )

    @precondition(lambda self: bool(self.campaigns))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        who=_PICK,
        ratings=ics.ratings(),
        work_again=st.booleans(),
        tags=st.frozensets(st.sampled_from(["product_test", "ugc", "paid_partnership"])),
    )
    def rate(
        self,
        actor: str,
        pick: int,
        who: int,
        ratings: Any,
        work_again: bool,
        tags: frozenset[str],
    ) -> None:
        """The brand reviews a creator of an ended campaign (others are refused)."""
        self._step("rate")
        campaign, creator = self._pick(self.campaigns, pick), self._pick(self.creators, who)
        if campaign is None or creator is None:
            return
        self.focus = campaign
        self._call(
            lambda side: side.ws.reviews.rate(
                self._who(actor),
                campaign,
                creator,
                ratings=ratings,
                work_again=work_again,
                tags=tags,
                note="private",
            ),
            what="reviews.rate",
        )
