"""Use cases of costs and payments: plan, commit, pay (possibly by the validated brief
percentage) and cancel; the budget planned vs committed vs paid."""

from __future__ import annotations

import builtins
import datetime as _dt
from decimal import ROUND_HALF_EVEN, Decimal

from influcampaign.analytics.report import Budget, budget_of, mean_compliance
from influcampaign.domain.access import Permission
from influcampaign.domain.campaign import Campaign
from influcampaign.domain.content import DeliverableStatus
from influcampaign.domain.costs import Cost, CostKind, CostStatus
from influcampaign.domain.money import Money
from influcampaign.domain.participation import TAKING_PART, Participation
from influcampaign.domain.principals import Principal
from influcampaign.errors import ValidationError
from influcampaign.ports import UnitOfWork
from influcampaign.services._base import (
    Service,
    campaign_resource,
    participation_resource,
    stable_id,
)
from influcampaign.services._context import ExchangeRates, ServiceContext
from influcampaign.services.pay import load_commissions
from influcampaign.services.sales import NO_CURRENCY, sales_currency

__all__ = ["CostService", "budget_currency"]


def budget_currency(campaign: Campaign, costs: builtins.list[Cost]) -> str:
    """The currency a campaign's money is reported in: its sales currency (attribution
    policy, else compensation), else the currency of its costs when they share one."""
    declared = sales_currency(campaign)
    if declared is not None:
        return declared
    currencies = sorted({c.currency for c in costs if c.status is not CostStatus.CANCELLED})
    if len(currencies) > 1:
        raise ValidationError(
            "policies.attribution.currency",
            currencies,
            "the campaign's costs are in several currencies: set its reporting currency",
        )
    return currencies[0] if currencies else NO_CURRENCY


class CostService(Service):
    """``workspace.costs``: the management tab's costs and payments of a campaign."""

    def __init__(self, context: ServiceContext, *, rates: ExchangeRates) -> None:
        super().__init__(context)
        self._rates = rates

    def plan(
        self,
        actor: Principal,
        campaign_id: str,
        kind: CostKind | str,
        amount: Money,
        *,
        participation_id: str | None = None,
        description: str = "",
        due_on: _dt.date | None = None,
        pay_by_compliance: bool = False,
    ) -> Cost:
        """Put a cost in the budget, for one participation or for the whole campaign.

        ``pay_by_compliance`` pays it as amount times the validated brief percentage (only for
        a creator's cost).
        """
        with self._write() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.COST_WRITE, campaign_resource(campaign))
            participation = self._participation(uow, campaign, participation_id)
            if pay_by_compliance and participation is None:
                raise ValidationError(
                    "pay_by_compliance", True, "only a creator's cost can follow its compliance"
                )
            cost = Cost.plan(
                self._now(),
                id=self._new_id("cost"),
                campaign_id=campaign.id,
                brand_id=campaign.brand_id,
                kind=kind,
                amount=amount,
                participation_id=None if participation is None else participation.id,
                creator_id=None if participation is None else participation.creator_id,
                description=description,
                due_on=due_on,
                pay_by_compliance=pay_by_compliance,
            )
            uow.costs.add(cost)
            return cost

    def plan_compensation(
        self, actor: Principal, campaign_id: str, *, fee_by_compliance: bool = False
    ) -> builtins.list[Cost]:
        """Plan each confirmed creator's fee and product value from the campaign's
        compensation; running it again adds nothing already planned."""
        with self._write() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.COST_WRITE, campaign_resource(campaign))
            added: builtins.list[Cost] = []
            pay = campaign.compensation
            for participation in uow.participations.find(campaign_id=campaign_id):
                if participation.status not in TAKING_PART:
                    continue
                for kind, money in ((CostKind.FEE, pay.fee), (CostKind.PRODUCT, pay.product_value)):
                    if money is None or money.is_zero():
                        continue
                    cid = stable_id("cost", participation.id, kind.value, "compensation")
                    if uow.costs.exists(cid):
                        continue
                    cost = Cost.plan(
                        self._now(),
                        id=cid,
                        campaign_id=campaign.id,
                        brand_id=campaign.brand_id,
                        kind=kind,
                        amount=money,
                        participation_id=participation.id,
                        creator_id=participation.creator_id,
                        description="from the campaign's compensation",
                        pay_by_compliance=fee_by_compliance and kind is CostKind.FEE,
                    )
                    uow.costs.add(cost)
                    added.append(cost)
            return added

    def plan_deliverables(self, actor: Principal, campaign_id: str) -> builtins.list[Cost]:
        """Plan a fee for each priced deliverable of the confirmed creators (its price:
        unit price times quantity); running it again adds nothing already planned."""
        now = self._now()
        with self._write() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.COST_WRITE, campaign_resource(campaign))
            taking_part = {
                p.id: p
                for p in uow.participations.find(campaign_id=campaign_id)
                if p.status in TAKING_PART
            }
            added: builtins.list[Cost] = []
            planned = uow.deliverables.find(
                campaign_id=campaign_id, status=DeliverableStatus.PLANNED.value
            )
            for d in sorted(planned, key=lambda d: d.id):
                participation = taking_part.get(d.participation_id)
                cid = stable_id("cost", d.id, "deliverable")
                if participation is None or d.price is None or uow.costs.exists(cid):
                    continue
                cost = Cost.plan(
                    now,
                    id=cid,
                    campaign_id=campaign.id,
                    brand_id=campaign.brand_id,
                    kind=CostKind.FEE,
                    amount=d.price,
                    participation_id=participation.id,
                    creator_id=participation.creator_id,
                    description=f"{d.quantity} x {d.platform.value} {d.format.value}",
                    due_on=d.due_on,
                )
                uow.costs.add(cost)
                added.append(cost)
            return added

    def commit(self, actor: Principal, cost_id: str) -> Cost:
        """Mark a planned cost as agreed (owed)."""
        with self._write() as uow:
            cost = self._load(uow, actor, cost_id, Permission.COST_WRITE)
            cost.commit(self._now())
            uow.costs.save(cost)
            return cost

    def pay(self, actor: Principal, cost_id: str, *, reference: str = "") -> Cost:
        """Record the payment of a cost. A cost paid by compliance is paid its amount times
        the mean validated brief percentage of the creator's contents (rounded to a whole
        percentage, half to even); before any validation it cannot be paid."""
        with self._write() as uow:
            cost = self._load(uow, actor, cost_id, Permission.COST_WRITE)
            compliance = None
            if cost.pay_by_compliance and cost.participation_id is not None:
                mean = mean_compliance(uow.submissions.find(participation_id=cost.participation_id))
                compliance = (
                    None if mean is None else int(mean.quantize(Decimal(1), ROUND_HALF_EVEN))
                )
            cost.pay(self._now(), compliance=compliance, reference=reference)
            uow.costs.save(cost)
            return cost

    def cancel(self, actor: Principal, cost_id: str, *, reason: str) -> Cost:
        """Take a planned or committed cost out of the budget, with why."""
        with self._write() as uow:
            cost = self._load(uow, actor, cost_id, Permission.COST_WRITE)
            cost.cancel(self._now(), reason=reason)
            uow.costs.save(cost)
            return cost

    def get(self, actor: Principal, cost_id: str) -> Cost:
        """One cost."""
        with self._read() as uow:
            return self._load(uow, actor, cost_id, Permission.COST_READ)

    def list(self, actor: Principal, campaign_id: str) -> builtins.list[Cost]:
        """The costs of a campaign ``actor`` may read (a creator: its own), oldest first."""
        with self._read() as uow:
            campaign = uow.campaigns.get(campaign_id)
            costs = uow.costs.find(campaign_id=campaign_id)
            if self._allowed(actor, Permission.COST_READ, campaign_resource(campaign)):
                visible = costs
            else:
                readable = {
                    p.id
                    for p in uow.participations.find(campaign_id=campaign_id)
                    if self._allowed(actor, Permission.COST_READ, participation_resource(p))
                }
                if not readable:
                    self._check(actor, Permission.COST_READ, campaign_resource(campaign))
                visible = [c for c in costs if c.participation_id in readable]
        return sorted(visible, key=lambda c: (c.created_at or self._now(), c.id))

    def budget(self, actor: Principal, campaign_id: str) -> Budget:
        """Planned vs committed vs paid per creator, per kind and in total, in the
        campaign's currency (costs in another currency converted at their day's rate)."""
        with self._read() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.COST_READ, campaign_resource(campaign))
            costs = uow.costs.find(campaign_id=campaign_id)
            creators = [
                p.creator_id
                for p in uow.participations.find(campaign_id=campaign_id)
                if p.status in TAKING_PART
            ]
            commissions, paid = load_commissions(uow, campaign_id)
            deliverables = uow.deliverables.find(
                campaign_id=campaign_id, status=DeliverableStatus.PLANNED.value
            )
        return budget_of(
            costs,
            budget_currency(campaign, costs),
            self._rates.as_function(),
            creators,
            commissions=commissions,
            paid_statements=paid,
            deliverables=[d for d in deliverables if d.creator_id in creators],
        )

    # -- helpers -------------------------------------------------------------------------

    def _participation(
        self, uow: UnitOfWork, campaign: Campaign, participation_id: str | None
    ) -> Participation | None:
        if participation_id is None:
            return None
        participation = uow.participations.get(participation_id)
        if participation.campaign_id != campaign.id:
            raise ValidationError(
                "participation_id", participation_id, f"is not on campaign {campaign.id}"
            )
        participation.ensure_open("plan a cost")
        return participation

    def _load(
        self, uow: UnitOfWork, actor: Principal, cost_id: str, permission: Permission
    ) -> Cost:
        cost = uow.costs.get(cost_id)
        if cost.participation_id is not None:
            participation = uow.participations.get(cost.participation_id)
            resource = participation_resource(participation, "cost")
        else:
            resource = campaign_resource(uow.campaigns.get(cost.campaign_id))
        self._check(actor, permission, resource)
        return cost
