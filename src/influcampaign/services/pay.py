"""Use cases of creator pay: the commission ledger kept in step with the credited orders,
payout statements issued per creator and period, and their payment through the host."""

from __future__ import annotations

import builtins
import datetime as _dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import ROUND_HALF_EVEN, Decimal

import pendulum

from influcampaign.analytics.report import mean_compliance
from influcampaign.domain.access import Permission, Resource
from influcampaign.domain.campaign import Campaign
from influcampaign.domain.commission import Commission, CommissionRule, CommissionStatus
from influcampaign.domain.costs import Cost, CostKind, CostStatus
from influcampaign.domain.money import Money, check_currency
from influcampaign.domain.orders import Order, RateUsed
from influcampaign.domain.payout import (
    LineKind,
    PayoutStatement,
    StatementLine,
    StatementStatus,
    statements_csv,
)
from influcampaign.domain.policies import RevenueBasis
from influcampaign.domain.principals import Principal
from influcampaign.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    ConfigurationError,
    ValidationError,
)
from influcampaign.ports import PayoutGateway, PayoutRequest, UnitOfWork
from influcampaign.rules.commission import Quote, net_as_of, quote
from influcampaign.services._base import Service, campaign_resource, days_after, stable_id
from influcampaign.services._context import ExchangeRates, ServiceContext

__all__ = ["PayService", "commission_id", "load_commissions"]

_PAID_ON_STATEMENTS = (CostKind.FEE, CostKind.BONUS)


def commission_id(order_id: str) -> str:
    """The id of the commission an order earns (one per order)."""
    return stable_id("com", order_id)


@contextmanager
def _raced() -> Iterator[None]:
    """Another process earned the same commission (one id per order), or took this statement
    number or this creator's rank, first: nothing was written, and doing it again decides on
    what is now stored (a ConcurrencyConflict, which ``ic.retry`` retries)."""
    try:
        yield
    except AlreadyExists as e:
        if e.kind not in ("commission", "payout statement"):
            raise
        raise ConcurrencyConflict(e.kind, e.id, 0, None) from e


def load_commissions(
    uow: UnitOfWork, campaign_id: str
) -> tuple[builtins.list[Commission], frozenset[str]]:
    """A campaign's commissions, and the ids of the paid statements their entries are on
    (what a budget needs to count them as paid)."""
    commissions = uow.commissions.find(campaign_id=campaign_id)
    on = {e.statement_id for c in commissions for e in c.entries if e.statement_id is not None}
    paid = frozenset(s for s in sorted(on) if uow.statements.get(s).status is StatementStatus.PAID)
    return commissions, paid


def _payee(brand_id: str, creator_id: str) -> Resource:
    """The access-control view of what a brand pays one creator."""
    return Resource("payouts", creator_id, brand_id=brand_id, creator_id=creator_id)


def _local_day(moment: pendulum.DateTime, timezone: str) -> _dt.date:
    return moment.in_timezone(timezone).date()


class PayService(Service):
    """``workspace.pay``: commissions on credited sales, payout statements and their payment.

    ``rates`` convert a commission into the creator's payout currency (the rate is recorded
    when it is earned) and fees on a statement (the statement day's rate, recorded on the
    line); ``payouts`` is the host's payment gateway (None: record payments by hand)."""

    def __init__(
        self, context: ServiceContext, *, rates: ExchangeRates, payouts: PayoutGateway | None
    ) -> None:
        super().__init__(context)
        self._rates = rates
        self._payouts = payouts

    # -- the ledger ------------------------------------------------------------------------

    def sync(self, actor: Principal, campaign_id: str) -> builtins.list[Commission]:
        """Bring the campaign's commissions in step with its credited orders, as of now:
        earn new ones, rewrite pending ones (refunds inside the lock period, a rule change),
        approve those whose lock period is over, claw back later drops. Idempotent."""
        now = self._now()
        with _raced(), self._write() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.COST_WRITE, campaign_resource(campaign))
            self._sync(uow, campaign, now)
            found = uow.commissions.find(campaign_id=campaign_id)
        return sorted(found, key=lambda c: (c.earned_on, c.id))

    def ledger(self, actor: Principal, brand_id: str, creator_id: str) -> builtins.list[Commission]:
        """A creator's commissions from one brand, oldest first (a creator reads its own)."""
        self._check(actor, Permission.COST_READ, _payee(brand_id, creator_id))
        with self._read() as uow:
            found = uow.commissions.find(brand_id=brand_id, creator_id=creator_id)
        return sorted(found, key=lambda c: (c.earned_on, c.id))

    def _sync(
        self,
        uow: UnitOfWork,
        campaign: Campaign,
        now: pendulum.DateTime,
        creator_id: str | None = None,
    ) -> None:
        policy = campaign.policies.commission
        basis = campaign.policies.attribution.basis
        tz = campaign.window.timezone
        existing = {c.id: c for c in uow.commissions.find(campaign_id=campaign.id)}
        groups: dict[tuple[str, str], list[Order]] = defaultdict(list)
        for order in uow.orders.find(campaign_id=campaign.id):
            a = order.attribution
            if order.placement is None or a is None or a.creator_id is None:
                continue
            if creator_id is not None and a.creator_id != creator_id:
                continue
            period = _local_day(order.placement.created_at, tz).strftime("%Y-%m")
            groups[(a.creator_id, period)].append(order)
        for (creator, _period), orders in sorted(groups.items()):
            rule = policy.rule_for(creator)
            currency = orders[0].attribution.currency  # type: ignore[union-attr]
            zero = Money.zero(currency or "XXX")
            at_lock, at_now = zero, zero  # what the period's earlier orders earned (the cap)
            ordered = sorted(orders, key=lambda o: (o.placement.created_at, o.id))  # type: ignore[union-attr]
            for rank, order in enumerate(ordered, start=1):
                commission = existing.get(commission_id(order.id))
                placed = order.placement.created_at  # type: ignore[union-attr]
                lock_until = (
                    commission.lock_until
                    if commission is not None
                    else days_after(placed, policy.lock_days, tz)
                )
                if rule is None:
                    # no rule any more: pending commissions are reversed, approved ones keep
                    # the rule they were approved under (only losing the order takes them back)
                    if commission is not None and self._drop_without_rule(
                        commission, order, basis, now, tz
                    ):
                        uow.commissions.save(commission)
                    continue
                q_lock = quote(
                    rule, order, basis, at=lock_until, rank=rank, earned_in_period=at_lock
                )
                q_now = quote(rule, order, basis, at=None, rank=rank, earned_in_period=at_now)
                at_lock, at_now = at_lock + q_lock.amount, at_now + q_now.amount
                locked = now >= lock_until
                new = commission is None
                if commission is None:
                    first = q_lock if locked else q_now
                    if first.amount.is_zero():
                        continue
                    commission = self._earn(uow, campaign, order, rule, first, lock_until, now)
                    key = ""
                else:
                    key = commission.rule_key
                if not new and commission.status is CommissionStatus.PENDING:
                    self._revise(commission, rule, order, q_lock if locked else q_now, now, tz)
                if commission.status is CommissionStatus.PENDING and locked:
                    commission.approve(now, on=_local_day(lock_until, tz))
                if commission.status is CommissionStatus.APPROVED:
                    if commission.rule_key != rule.fingerprint:
                        # approved under another rule: only losing the whole order takes it back
                        gone = net_as_of(order, basis, None).is_zero()
                        q_now = Quote(Money.zero(commission.currency), "nothing left of the order")
                        if not gone:
                            q_now = Quote(commission.amount, "")
                    self._revise(commission, rule, order, q_now, now, tz, after=lock_until)
                if new:
                    uow.commissions.add(commission)
                elif commission.recorded or commission.rule_key != key:
                    uow.commissions.save(commission)

    @staticmethod
    def _drop_without_rule(
        commission: Commission, order: Order, basis: RevenueBasis, now: pendulum.DateTime, tz: str
    ) -> bool:
        none = Money.zero(commission.currency)
        day = _local_day(now, tz)
        if commission.status is CommissionStatus.PENDING:
            reason = "the campaign no longer pays commissions"
            return commission.revise(now, none, on=day, reason=reason)
        if (
            commission.status is CommissionStatus.APPROVED
            and net_as_of(order, basis, None).is_zero()
        ):
            return commission.revise(now, none, on=day, reason="nothing left of the order")
        return False

    def _earn(
        self,
        uow: UnitOfWork,
        campaign: Campaign,
        order: Order,
        rule: CommissionRule,
        first: Quote,
        lock_until: pendulum.DateTime,
        now: pendulum.DateTime,
    ) -> Commission:
        attribution = order.attribution
        assert attribution is not None
        assert attribution.creator_id is not None
        assert attribution.participation_id is not None
        assert order.placement is not None
        creator = uow.creators.get(attribution.creator_id)
        earned_on = _local_day(order.placement.created_at, campaign.window.timezone)
        currency = first.amount.currency
        payout_currency = creator.payout_currency or currency
        rate = None
        if payout_currency != currency:
            found = self._rates.require(
                currency, payout_currency, earned_on, " (the commission is not earned; sync again)"
            )
            rate = RateUsed(currency, payout_currency, found.value, earned_on, found.source)
        amount = first.amount
        return Commission.earn(
            now,
            reason=first.reason,
            id=commission_id(order.id),
            brand_id=campaign.brand_id,
            campaign_id=campaign.id,
            participation_id=attribution.participation_id,
            creator_id=attribution.creator_id,
            order_id=order.id,
            rule=rule.name,
            rule_key=rule.fingerprint,
            amount=amount,
            payout=amount if rate is None else rate.convert(amount),
            rate=rate,
            earned_on=earned_on,
            period=earned_on.strftime("%Y-%m"),
            lock_until=lock_until,
        )

    @staticmethod
    def _revise(
        commission: Commission,
        rule: CommissionRule,
        order: Order,
        q: Quote,
        now: pendulum.DateTime,
        tz: str,
        *,
        after: pendulum.DateTime | None = None,
    ) -> None:
        """Rewrite (or claw back) ``commission`` to ``q``, saying why; a clawback is dated
        by the latest refund or cancellation after ``after`` (else today)."""
        if q.amount == commission.amount:
            if commission.status is CommissionStatus.PENDING:
                commission.follow_rule(rule.name, rule.fingerprint)
            return
        if (
            commission.rule_key != rule.fingerprint
            and commission.status is CommissionStatus.PENDING
        ):
            cause = f"the commission rule changed to {rule.name!r}"
            commission.follow_rule(rule.name, rule.fingerprint)
        elif order.is_cancelled:
            cause = "the order was cancelled"
        else:
            cause = (
                f"refunded {order.refunded()}"
                if not order.refunded().is_zero()
                else "the order changed"
            )
        moments = [r.created_at for r in order.refunds if after is None or r.created_at >= after]
        if order.cancelled_at is not None and (after is None or order.cancelled_at >= after):
            moments.append(order.cancelled_at)
        day = _local_day(max(moments), tz) if moments else _local_day(now, tz)
        commission.revise(
            now, q.amount, on=max(day, commission.earned_on), reason=f"{cause}: {q.reason}"
        )

    # -- statements ------------------------------------------------------------------------

    def issue(
        self,
        actor: Principal,
        brand_id: str,
        creator_id: str,
        *,
        period_end: _dt.date,
        currency: str | None = None,
    ) -> PayoutStatement:
        """Issue the creator's next statement: every approved commission, clawback, and owed
        fee or bonus (a fee paid by compliance at the validated percentage) dated up to
        ``period_end`` and on no statement yet, in the payout ``currency`` (default: the
        creator's payout currency, else the one currency of what is owed). The ledger is
        brought in step first. A total below zero is carried forward to the next statement.
        Refused (nothing written) when nothing is owed."""
        if isinstance(period_end, _dt.datetime) or not isinstance(period_end, _dt.date):
            raise ValidationError("period_end", period_end, "must be a date")
        now = self._now()
        self._check(actor, Permission.COST_WRITE, _payee(brand_id, creator_id))
        with _raced(), self._write() as uow:
            creator = uow.creators.get(creator_id)
            participations = [
                p for p in uow.participations.find(creator_id=creator_id) if p.brand_id == brand_id
            ]
            for campaign_id in sorted({p.campaign_id for p in participations}):
                self._sync(uow, uow.campaigns.get(campaign_id), now, creator_id)
            commissions = sorted(
                uow.commissions.find(brand_id=brand_id, creator_id=creator_id),
                key=lambda c: (c.earned_on, c.id),
            )
            owed_costs = [
                (c, self._compliance(uow, c))
                for p in participations
                for c in uow.costs.find(participation_id=p.id)
                if c.kind in _PAID_ON_STATEMENTS
                and c.status is CostStatus.COMMITTED
                and c.statement_id is None
                and (c.due_on is None or c.due_on <= period_end)
            ]
            owed_costs = [(c, k) for c, k in owed_costs if not c.pay_by_compliance or k is not None]
            currency = self._currency(
                currency, creator.payout_currency, commissions, owed_costs, period_end
            )
            previous = sorted(
                uow.statements.find(brand_id=brand_id, creator_id=creator_id),
                key=lambda s: s.sequence,
            )
            statement_id = self._new_id("pst")
            lines = self._commission_lines(commissions, currency, period_end)
            lines += self._cost_lines(owed_costs, currency, period_end)
            if not lines:
                raise ValidationError(
                    "period_end",
                    period_end.isoformat(),
                    f"the creator is owed nothing in {currency} up to that day",
                )
            last = previous[-1] if previous else None
            if last is not None and not last.carried_forward.is_zero():
                lines.append(
                    StatementLine(
                        LineKind.CARRIED_IN,
                        last.id,
                        f"owed from {last.number_text}",
                        -last.carried_forward,
                    )
                )
            total = Money.sum([x.amount for x in lines], currency)
            if total.amount < 0:
                lines.append(
                    StatementLine(
                        LineKind.CARRIED_FORWARD, statement_id, "deducted next time", -total
                    )
                )
            start = last.period_end + _dt.timedelta(days=1) if last is not None else None
            days = [x.on for x in lines if x.on is not None]
            start = start or min([*days, period_end])
            statement = PayoutStatement.issue(
                now,
                id=statement_id,
                brand_id=brand_id,
                creator_id=creator_id,
                number=uow.statements.count(brand_id=brand_id) + 1,
                sequence=len(previous) + 1,
                period_start=min(start, period_end),
                period_end=period_end,
                currency=currency,
                lines=lines,
            )
            for commission in commissions:
                if commission.payout_currency == currency and commission.unsettled(period_end):
                    commission.settle(now, statement_id, period_end)
                    uow.commissions.save(commission)
            for cost, _compliance in owed_costs:
                cost.put_on_statement(now, statement_id)
                uow.costs.save(cost)
            uow.statements.add(statement)
        return statement

    @staticmethod
    def _compliance(uow: UnitOfWork, cost: Cost) -> int | None:
        if not cost.pay_by_compliance or cost.participation_id is None:
            return None
        mean = mean_compliance(uow.submissions.find(participation_id=cost.participation_id))
        return None if mean is None else int(mean.quantize(Decimal(1), ROUND_HALF_EVEN))

    @staticmethod
    def _currency(
        given: str | None,
        payout: str | None,
        commissions: Sequence[Commission],
        owed: Sequence[tuple[Cost, int | None]],
        up_to: _dt.date,
    ) -> str:
        if given is not None:
            return check_currency("currency", given)
        if payout is not None:
            return payout
        found = {c.payout_currency for c in commissions if c.unsettled(up_to)}
        found |= {c.currency for c, _ in owed}
        if not found:
            raise ValidationError(
                "period_end", up_to.isoformat(), "the creator is owed nothing up to that day"
            )
        if len(found) != 1:
            raise ValidationError(
                "currency",
                sorted(found),
                "give the statement's currency (or the creator's payout_currency)",
            )
        return found.pop()

    @staticmethod
    def _commission_lines(
        commissions: Sequence[Commission], currency: str, up_to: _dt.date
    ) -> builtins.list[StatementLine]:
        lines: builtins.list[StatementLine] = []
        for c in commissions:
            if c.payout_currency != currency:
                continue
            for entry in c.unsettled(up_to):
                clawback = entry.amount.amount < 0
                lines.append(
                    StatementLine(
                        LineKind.CLAWBACK if clawback else LineKind.COMMISSION,
                        c.id,
                        entry.reason if clawback else c.changes[-1].reason,
                        entry.amount,
                        c.campaign_id,
                        entry.on,
                        None if c.rate is None else c.amount,
                        c.rate,
                    )
                )
        return lines

    def _cost_lines(
        self, owed: Sequence[tuple[Cost, int | None]], currency: str, day: _dt.date
    ) -> builtins.list[StatementLine]:
        lines: builtins.list[StatementLine] = []
        for cost, compliance in sorted(owed, key=lambda ck: ck[0].id):
            amount = cost.amount_for(compliance)
            rate = None
            if amount.currency != currency:
                found = self._rates.require(amount.currency, currency, day, " (nothing issued)")
                rate = RateUsed(amount.currency, currency, found.value, day, found.source)
            described = cost.description or cost.kind.value
            if compliance is not None:
                described = f"{described} ({compliance}% of the brief validated)"
            lines.append(
                StatementLine(
                    LineKind.FEE if cost.kind is CostKind.FEE else LineKind.BONUS,
                    cost.id,
                    described,
                    amount if rate is None else rate.convert(amount),
                    cost.campaign_id,
                    cost.due_on,
                    None if rate is None else amount,
                    rate,
                    compliance,
                )
            )
        return lines

    # -- payment ---------------------------------------------------------------------------

    def pay(self, actor: Principal, statement_id: str) -> PayoutStatement:
        """Pay an issued statement through the workspace's PayoutGateway, then record its
        reference (a statement paid already is returned as it is; a total of zero is
        recorded without asking the gateway)."""
        with self._read() as uow:
            statement = uow.statements.get(statement_id)
        self._check(actor, Permission.COST_WRITE, _payee(statement.brand_id, statement.creator_id))
        if statement.reference:
            return statement
        if statement.total.is_zero():
            return self.record_payment(actor, statement_id, reference="nothing to pay")
        if self._payouts is None:
            raise ConfigurationError(
                "payouts: give the workspace a PayoutGateway, or record the host's payment "
                "with pay.record_payment(actor, statement_id, reference=...)"
            )
        reference = self._payouts.pay(
            PayoutRequest(
                statement.id,
                statement.number_text,
                statement.brand_id,
                statement.creator_id,
                statement.total,
            )
        )
        return self.record_payment(actor, statement_id, reference=reference)

    def record_payment(
        self, actor: Principal, statement_id: str, *, reference: str
    ) -> PayoutStatement:
        """Mark a statement paid with the host's payment reference; the fees and bonuses on
        it are paid with it."""
        now = self._now()
        with self._write() as uow:
            statement = uow.statements.get(statement_id)
            self._check(
                actor, Permission.COST_WRITE, _payee(statement.brand_id, statement.creator_id)
            )
            statement.mark_paid(now, reference=reference)
            uow.statements.save(statement)
            for line in statement.lines:
                if line.kind in (LineKind.FEE, LineKind.BONUS):
                    cost = uow.costs.get(line.source_id)
                    cost.pay(
                        now,
                        compliance=line.compliance,
                        reference=f"{statement.number_text} {statement.reference}",
                        statement_id=statement.id,
                    )
                    uow.costs.save(cost)
        return statement

    # -- reading ---------------------------------------------------------------------------

    def statement(self, actor: Principal, statement_id: str) -> PayoutStatement:
        """One statement."""
        with self._read() as uow:
            statement = uow.statements.get(statement_id)
        self._check(actor, Permission.COST_READ, _payee(statement.brand_id, statement.creator_id))
        return statement

    def statements(
        self, actor: Principal, brand_id: str, creator_id: str
    ) -> builtins.list[PayoutStatement]:
        """A creator's statements from one brand, in number order."""
        self._check(actor, Permission.COST_READ, _payee(brand_id, creator_id))
        with self._read() as uow:
            found = uow.statements.find(brand_id=brand_id, creator_id=creator_id)
        return sorted(found, key=lambda s: s.number)

    def export_csv(self, actor: Principal, statement_ids: Sequence[str]) -> str:
        """The statements as CSV, one row per line, in the order given."""
        if isinstance(statement_ids, str):
            raise ValidationError("statement_ids", statement_ids, "give a list of statement ids")
        return statements_csv([self.statement(actor, s) for s in statement_ids])
