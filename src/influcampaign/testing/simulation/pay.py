"""The campaign simulation's steps of creator pay: commission rules set and changed, the
ledger synced, statements issued and paid — and the invariants that money is conserved and
that an issued statement never changes. Mixed into
:class:`~influcampaign.testing.simulation.CampaignSimulation`."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from influcampaign.domain.commission import CommissionPolicy, CommissionRule, CommissionTier
from influcampaign.domain.money import Money
from influcampaign.domain.payout import LineKind
from influcampaign.testing.simulation.model import SimulationModel

__all__ = ["PaySteps", "commission_policy"]

_RULES = (
    CommissionRule("10% of sales", "percent", percent=Decimal(10)),
    CommissionRule(
        "tiered, capped",
        "percent",
        percent=Decimal("7.5"),
        tiers=(CommissionTier(2, percent=Decimal(12)),),
        cap=Money.of(15, "EUR"),
    ),
    CommissionRule("3 EUR an order", "fixed", amount=Money.of(3, "EUR")),
)


def commission_policy(start_days: int, length_days: int) -> CommissionPolicy:
    """The commission policy a simulated campaign starts with, from two of its drawn values:
    half pay 10 % of sales (a percent rule works in any currency), with a short lock."""
    if start_days % 2:
        return CommissionPolicy()
    return CommissionPolicy((_RULES[0],), lock_days=length_days % 8)


class PaySteps(SimulationModel):
    """Creator pay, driven on both stores like every other step."""

    issued: dict[str, str]  # statement id -> its JSON when issued (memory store)

    @precondition(lambda self: bool(self.campaigns))
    @rule(
        actor=st.sampled_from(["manager"] * 4 + ["analyst", "creator"]),
        pick=st.integers(0, 1_000),
        who=st.integers(0, 1_000),
        action=st.sampled_from(["rules", "sync", "issue", "issue", "pay"]),
        which=st.integers(0, len(_RULES)),
        lock_days=st.sampled_from([0, 3, 30]),
    )
    def pay_creators(
        self, actor: str, pick: int, who: int, action: str, which: int, lock_days: int
    ) -> None:
        """The brand sets (or removes) a commission rule, syncs the ledger, issues a
        creator's statement, or pays it through the gateway."""
        self._step(f"pay {action}")
        campaign = self._pick(self.campaigns, pick)
        creator = self._pick(self.creators, who)
        if campaign is None or creator is None:
            return
        principal = self._who(actor, creator)
        if action == "rules":
            rules = () if which == len(_RULES) else (_RULES[which],)

            def set_rules(side: Any) -> Any:
                current = side.ws.campaigns.get(principal, campaign)
                policies = attrs.evolve(
                    current.policies, commission=CommissionPolicy(rules, lock_days=lock_days)
                )
                return side.ws.campaigns.update(principal, campaign, policies=policies)

            self._call(set_rules, what="commission rules")
        elif action == "sync":
            self._call(lambda side: side.ws.pay.sync(principal, campaign), what="pay.sync")
        elif action == "issue":
            day = self.clock.now().date()
            creator = self._pick(self._sellers(), who) or creator
            outcomes = self._call(
                lambda side: side.ws.pay.issue(principal, "acme", creator, period_end=day),
                what="pay.issue",
            )
            if outcomes[0].ok:
                self.statistics["statements issued"] += 1
        else:

            def pay(side: Any) -> Any:
                owed = [
                    s for s in side.ws.pay.statements(principal, "acme", creator) if not s.reference
                ]
                return [side.ws.pay.pay(principal, s.id) for s in owed]

            self._call(pay, what="pay.pay")

    @precondition(lambda self: bool(self.campaigns))
    @rule(
        actor=st.sampled_from(["manager"] * 4 + ["analyst", "creator"]),
        pick=st.integers(0, 1_000),
        who=st.integers(0, 1_000),
        action=st.sampled_from(["sync", "issue", "issue", "pay"]),
    )
    def settle_creators(self, actor: str, pick: int, who: int, action: str) -> None:
        """The ledger is synced, a statement issued or paid (the steps that move money, drawn
        as often again as the others)."""
        self.pay_creators(actor, pick, who, action, 0, 0)

    def _sellers(self) -> list[str]:
        """The creators credited with an order (those a statement may be owed to)."""
        with self.sides[0].ws.store.unit_of_work(read_only=True) as uow:
            credited = {o.attribution.creator_id for o in uow.orders.find() if o.attribution}
        return sorted(c for c in credited if c is not None)

    @invariant()
    def statements_add_up_and_never_change(self) -> None:
        """Each statement's total is the sum of its lines, its commission lines are exactly
        the ledger entries it settled, and once issued its lines never change."""
        if not hasattr(self, "issued"):
            self.issued = {}
        ws = self.sides[0].ws
        with ws.store.unit_of_work(read_only=True) as uow:
            statements = uow.statements.find()
            commissions = uow.commissions.find()
        for s in statements:
            lines = json.dumps(self.converter.unstructure(s.lines), sort_keys=True)
            assert self.issued.setdefault(s.id, lines) == lines, f"{s.number_text} changed"
            assert Money.sum([x.amount for x in s.lines], s.currency) == s.total, s
            settled = [e.amount for c in commissions for e in c.entries if e.statement_id == s.id]
            on_lines = [
                x.amount for x in s.lines if x.kind in (LineKind.COMMISSION, LineKind.CLAWBACK)
            ]
            assert Money.sum(on_lines, s.currency) == Money.sum(settled, s.currency), s
        for c in commissions:
            assert c.payable == (c.payout if c.entries else Money.zero(c.payout_currency)), c
