"""The costs service: planned, committed and paid costs."""

from __future__ import annotations

import datetime as dt

import pytest

import influcampaign as ic
from tests.conftest import MANAGER
from tests.helpers import ANALYST, VIEWER, at, money_join, money_project, publish


class TestCosts:
    def test_planned_committed_paid(self, mws: ic.Workspace) -> None:
        """Planned counts every cost not cancelled, committed those agreed or paid, paid
        what was paid; a shipping cost in USD is converted at its day's rate."""
        cmp = money_project(mws)
        p = money_join(mws, cmp, "Lea")
        fee = mws.costs.plan(MANAGER, cmp.id, "fee", ic.Money.of(300, "EUR"), participation_id=p.id)
        ship = mws.costs.plan(
            MANAGER,
            cmp.id,
            "shipping",
            ic.Money.of(20, "USD"),
            participation_id=p.id,
            due_on=dt.date(2026, 3, 10),
        )
        agency = mws.costs.plan(MANAGER, cmp.id, "agency", ic.Money.of(500, "EUR"))
        gift = mws.costs.plan(
            MANAGER, cmp.id, "gift", ic.Money.of(40, "EUR"), participation_id=p.id
        )
        mws.costs.commit(MANAGER, fee.id)
        mws.costs.pay(MANAGER, ship.id, reference="TR-1")
        mws.costs.commit(MANAGER, agency.id)
        mws.costs.cancel(MANAGER, gift.id, reason="out of stock")
        budget = mws.costs.budget(MANAGER, cmp.id)
        lea = budget.per_creator[p.creator_id]
        assert lea.planned == ic.Money.of(318, "EUR")  # 300 + 20 USD * 0.9
        assert lea.committed == ic.Money.of(318, "EUR")
        assert lea.paid == ic.Money.of(18, "EUR")
        assert lea.to_pay == ic.Money.of(300, "EUR")
        assert budget.campaign_wide.committed == ic.Money.of(500, "EUR")
        assert budget.total.planned == ic.Money.of(818, "EUR")
        assert budget.per_kind[ic.CostKind.SHIPPING].paid == ic.Money.of(18, "EUR")
        assert ic.CostKind.GIFT not in budget.per_kind
        assert [r["scope"] for r in budget.records()] == ["creator", "campaign", "total"]

    def test_costs_in_two_currencies_without_rates(self, ws: ic.Workspace) -> None:
        """Without a rate the budget is refused with the currency named; nothing changed."""
        cmp = money_project(ws)
        ws.costs.plan(
            MANAGER, cmp.id, "shipping", ic.Money.of(20, "USD"), due_on=dt.date(2026, 3, 2)
        )
        with pytest.raises(ic.ValidationError) as e:
            ws.costs.budget(MANAGER, cmp.id)
        assert e.value.field == "currency"
        assert e.value.value == "USD"
        assert len(ws.costs.list(MANAGER, cmp.id)) == 1

    def test_a_fee_paid_by_validated_compliance(self, mws: ic.Workspace) -> None:
        """A 100 EUR fee tied to compliance waits for a validation, then is paid at the mean
        validated percentage: 80 % and 95 % give 87.5 %, rounded half to even to 88 %, so
        88 EUR."""
        cmp = money_project(mws)
        p = money_join(mws, cmp, "Lea")
        (fee,) = mws.costs.plan_compensation(MANAGER, cmp.id, fee_by_compliance=True)
        assert mws.costs.plan_compensation(MANAGER, cmp.id) == []  # once
        with pytest.raises(ic.ValidationError, match="validate the creator's content first"):
            mws.costs.pay(MANAGER, fee.id)
        assert mws.costs.get(MANAGER, fee.id).status is ic.CostStatus.PLANNED
        publish(mws, p, at(10), {"likes": 10}, compliance=80)
        publish(mws, p, at(11), {"likes": 10}, compliance=95)
        paid = mws.costs.pay(MANAGER, fee.id, reference="SEPA-42")
        assert paid.compliance == 88
        assert paid.paid == ic.Money.of(88, "EUR")
        assert paid.status is ic.CostStatus.PAID
        assert mws.costs.budget(MANAGER, cmp.id).total.paid == ic.Money.of(88, "EUR")

    def test_bad_costs_change_nothing(self, mws: ic.Workspace) -> None:
        """A negative amount, an unknown kind or compliance pay for a non-creator cost is refused
        and stores nothing; a paid cost cannot be cancelled, nor without a reason."""
        cmp = money_project(mws)
        with pytest.raises(ic.ValidationError) as e:
            mws.costs.plan(MANAGER, cmp.id, "fee", ic.Money.of(-5, "EUR"))
        assert e.value.field == "amount"
        with pytest.raises(ic.ValidationError) as e:
            mws.costs.plan(MANAGER, cmp.id, "bribe", ic.Money.of(5, "EUR"))
        assert e.value.field == "kind"
        with pytest.raises(ic.ValidationError, match="only a creator's cost"):
            mws.costs.plan(MANAGER, cmp.id, "fee", ic.Money.of(5, "EUR"), pay_by_compliance=True)
        assert mws.costs.list(MANAGER, cmp.id) == []
        cost = mws.costs.plan(MANAGER, cmp.id, "agency", ic.Money.of(5, "EUR"))
        mws.costs.pay(MANAGER, cost.id)
        with pytest.raises(ic.InvalidTransition):
            mws.costs.cancel(MANAGER, cost.id, reason="too late")
        with pytest.raises(ic.ValidationError):
            mws.costs.cancel(MANAGER, cost.id, reason=" ")

    def test_who_reads_costs(self, mws: ic.Workspace) -> None:
        """Analysts read costs; viewers do not; a creator reads only its own."""
        cmp = money_project(mws)
        lea, tom = money_join(mws, cmp, "Lea"), money_join(mws, cmp, "Tom")
        mws.costs.plan_compensation(MANAGER, cmp.id)
        assert len(mws.costs.list(ANALYST, cmp.id)) == 2
        with pytest.raises(ic.PermissionDenied):
            mws.costs.list(VIEWER, cmp.id)
        with pytest.raises(ic.PermissionDenied):
            mws.reports.campaign(VIEWER, cmp.id)
        own = mws.costs.list(ic.CreatorUser(lea.creator_id), cmp.id)
        assert [c.creator_id for c in own] == [lea.creator_id]
        assert tom.creator_id not in {c.creator_id for c in own}
