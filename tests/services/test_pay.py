"""Creator pay: commission rules, the commission ledger, payout statements and their payment."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal

import attrs
import pendulum
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.domain.orders import OrderPlacement, Refund, ShopEvent
from influcampaign.rules.commission import net_as_of, quote
from tests.conftest import MANAGER

SHOP = "acme.myshopify.com"
START = pendulum.datetime(2026, 1, 1, tz="Europe/Paris")


@attrs.define
class Shop:
    """A brand with one sales campaign, creators with promo codes, and a way to sell."""

    ws: ic.Workspace
    clock: ic.FrozenClock
    campaign: ic.Campaign
    codes: dict[str, str]  # creator id -> promo code
    currency: str
    shop_currency: str
    sold: int = 0

    def sell(self, creator_id: str, amount: str, **placement: object) -> str:
        """Place an order credited to ``creator_id`` now; returns its shop id."""
        self.sold += 1
        external = str(1000 + self.sold)
        now = self.clock.now()
        fields: dict[str, object] = {"discount_codes": [self.codes[creator_id]], **placement}
        money = ic.Money.of(amount, self.shop_currency)
        order = OrderPlacement(external, f"#{external}", now, now, money, money, **fields)  # type: ignore[arg-type]
        self.ws.sales.apply(
            MANAGER, "acme", SHOP, ShopEvent("orders/create", external, self.shop_currency, order)
        )
        return external

    def refund(self, external: str, amount: str) -> None:
        """Refund ``amount`` on an order now."""
        rid = f"r{self.clock.now().int_timestamp}-{external}-{amount}"
        money = ic.Money.of(amount, self.shop_currency)
        event = ShopEvent(
            "refunds/create",
            external,
            self.shop_currency,
            refunds=(Refund(rid, money, self.clock.now()),),
        )
        self.ws.sales.apply(MANAGER, "acme", SHOP, event)

    def cancel(self, external: str) -> None:
        """Cancel an order now."""
        order = self.ws.sales.order(MANAGER, "acme", SHOP, external)
        assert order.placement is not None
        now = self.clock.now()
        placed = attrs.evolve(order.placement, updated_at=now, cancelled_at=now)
        event = ShopEvent("orders/cancelled", external, self.shop_currency, placed)
        self.ws.sales.apply(MANAGER, "acme", SHOP, event)

    def order_id(self, external: str) -> str:
        """The store id of an order."""
        return self.ws.sales.order(MANAGER, "acme", SHOP, external).id


RATES = {
    ("EUR", "USD"): "1.0837",
    ("EUR", "JPY"): "161.37",
    ("EUR", "KWD"): "0.3319",
    ("USD", "JPY"): "148.91",
    ("USD", "KWD"): "0.3071",
    ("JPY", "KWD"): "0.002063",
}


def open_shop(
    make: Callable[..., ic.Workspace] | None = None,
    *,
    rule: ic.CommissionRule | None = None,
    creators: int = 1,
    currency: str = "EUR",
    shop_currency: str | None = None,
    payout_currencies: tuple[str | None, ...] = (None,),
    lock_days: int = 30,
    fee: ic.Money | None = None,
) -> Shop:
    """A running sales campaign paying ``rule`` (10 % by default) on its creators' codes."""
    clock = ic.FrozenClock(START)
    ws = (
        make(clock)
        if make is not None
        else ic.Workspace(
            ic.MemoryStore(),
            clock,
            ids=ic.SequentialIds(),
            rates=ic.FixedRates(RATES),
            payouts=ic.MemoryPayouts(),
        )
    )
    rule = rule or ic.CommissionRule("10% of sales", "percent", percent=Decimal(10))
    policies = ic.CampaignPolicies(
        attribution=ic.AttributionPolicy(currency=currency),
        commission=ic.CommissionPolicy((rule,), lock_days=lock_days),
    )
    campaign = ws.campaigns.create(
        MANAGER,
        brand_id="acme",
        name="Spring sales",
        kind="sales_tracking",
        mode="project",
        start=START,
        end=START.add(years=2),
        timezone="Europe/Paris",
        policies=policies,
        compensation=ic.Compensation(fee=fee),
    )
    ws.campaigns.start(MANAGER, campaign.id)
    codes: dict[str, str] = {}
    for i in range(creators):
        payout = payout_currencies[i % len(payout_currencies)]
        creator = ws.creators.register(
            MANAGER, f"Creator {i}", handles={"instagram": f"creator{i}"}
        )
        if payout is not None:
            ws.creators.update(MANAGER, creator.id, payout_currency=payout)
        p = ws.participations.add(MANAGER, campaign.id, creator.id)
        ws.participations.confirm(MANAGER, p.id)
        codes[creator.id] = ws.codes.create(MANAGER, p.id, code=f"CREATOR{i}X").code
    clock.advance(hours=1)
    return Shop(ws, clock, campaign, codes, currency, shop_currency or currency)


def only_creator(shop: Shop) -> str:
    """The id of the shop's first creator."""
    return next(iter(shop.codes))


class TestCommissionRule:
    def test_a_percent_rule_needs_a_percent_and_refuses_floats(self) -> None:
        """A percent rule without a percent, or with a float, is refused naming the field."""
        with pytest.raises(ic.ValidationError, match="percent"):
            ic.CommissionRule("r", "percent")
        with pytest.raises(ic.ValidationError, match="percent"):
            ic.CommissionRule("r", "percent", percent=10.5)
        with pytest.raises(ic.ValidationError, match="percent"):
            ic.CommissionRule("r", "percent", percent=Decimal(101))

    def test_a_fixed_rule_needs_an_amount_and_tiers_in_its_currency(self) -> None:
        """A fixed rule gives an amount; its tiers give amounts in the same currency."""
        with pytest.raises(ic.ValidationError, match="amount"):
            ic.CommissionRule("r", "fixed", percent=Decimal(5))
        with pytest.raises(ic.ValidationError, match="tiers"):
            ic.CommissionRule(
                "r",
                "fixed",
                amount=ic.Money.of(5, "EUR"),
                tiers=(ic.CommissionTier(3, amount=ic.Money.of(7, "USD")),),
            )

    def test_tiers_apply_from_their_order(self) -> None:
        """From the n-th order of a period the tier's value replaces the base one."""
        rule = ic.CommissionRule(
            "tiered",
            "percent",
            percent=Decimal(10),
            tiers=(ic.CommissionTier(5, percent=Decimal(15)), ic.CommissionTier(3, percent=12)),
        )
        assert [rule.value_at(n) for n in (1, 2, 3, 4, 5, 9)] == [10, 10, 12, 12, 15, 15]

    def test_a_policy_has_one_rule_per_creator_and_one_for_the_campaign(self) -> None:
        """The creator's own rule wins over the campaign's; two for one creator are refused."""
        wide = ic.CommissionRule("all", "percent", percent=Decimal(10))
        own = ic.CommissionRule("emma", "percent", percent=Decimal(20), creator_id="cre_emma")
        policy = ic.CommissionPolicy((wide, own))
        assert policy.rule_for("cre_emma") is own
        assert policy.rule_for("cre_other") is wide
        with pytest.raises(ic.ValidationError, match=r"commission\.rules"):
            ic.CommissionPolicy((wide, wide))
        with pytest.raises(ic.ValidationError, match="lock_days"):
            ic.CommissionPolicy(lock_days=-1)


class TestQuote:
    """What one order earns, and the rounding rule (once, half to even, at the end)."""

    @pytest.mark.parametrize(
        ("currency", "amount", "percent", "expected"),
        [
            ("EUR", "0.25", "10", "0.02"),  # 0.025 → half to even: 0.02
            ("EUR", "0.35", "10", "0.04"),  # 0.035 → 0.04
            ("EUR", "33.33", "7.5", "2.50"),  # 2.49975 → 2.50
            ("JPY", "1250", "10", "125"),
            ("JPY", "25", "10", "2"),  # 2.5 → 2
            ("KWD", "1.005", "50", "0.502"),  # 0.5025 → 0.502
        ],
    )
    def test_rounds_once_half_to_even_in_the_minor_units(
        self, currency: str, amount: str, percent: str, expected: str
    ) -> None:
        """A percent commission is rounded once, half to even, to the currency's minor units."""
        shop = open_shop(
            rule=ic.CommissionRule("r", "percent", percent=Decimal(percent)), currency=currency
        )
        external = shop.sell(only_creator(shop), amount)
        [commission] = shop.ws.pay.sync(MANAGER, shop.campaign.id)
        assert commission.amount == ic.Money.of(expected, currency)
        assert commission.order_id == shop.order_id(external)

    def test_converts_at_the_rate_the_attribution_recorded(self) -> None:
        """An order in USD pays on its net converted at the rate recorded when it was credited."""
        shop = open_shop(currency="EUR", shop_currency="USD")
        shop.sell(only_creator(shop), "100.00")
        [commission] = shop.ws.pay.sync(MANAGER, shop.campaign.id)
        # 100 USD x (1 / 1.0837) EUR/USD x 10 %, rounded once
        rate = Decimal(1) / Decimal("1.0837")
        expected = (Decimal(100) * rate / 10).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
        assert commission.amount == ic.Money.of(expected, "EUR")

    def test_excluded_products_and_collections_are_not_paid(self) -> None:
        """Lines of excluded products or collections leave the commissionable net."""
        rule = ic.CommissionRule(
            "no gift cards",
            "percent",
            percent=Decimal(10),
            excluded_products={"gift-card"},
            excluded_collections={"sale"},
        )
        shop = open_shop(rule=rule)
        eur = "EUR"
        lines = (
            ic.OrderLine("serum", ic.Money.of(60, eur)),
            ic.OrderLine("gift-card", ic.Money.of(30, eur)),
            ic.OrderLine("old-cream", ic.Money.of(10, eur), collections={"sale"}),
        )
        shop.sell(only_creator(shop), "100.00", lines=lines)
        [commission] = shop.ws.pay.sync(MANAGER, shop.campaign.id)
        assert commission.amount == ic.Money.of("6.00", eur)

    def test_a_shopify_orders_line_items_feed_the_exclusions(self) -> None:
        """Line items with a product id become order lines at price x quantity less their
        discounts; the customer's first order marks a new customer."""
        from influcampaign.adapters.shopify import parse_order

        placement, _refunds = parse_order(
            {
                "id": 42,
                "name": "#42",
                "created_at": "2026-03-10T14:00:00+01:00",
                "currency": "EUR",
                "subtotal_price": "110.00",
                "total_price": "115.00",
                "customer": {"orders_count": 1},
                "line_items": [
                    {
                        "product_id": 7,
                        "price": "30.00",
                        "quantity": 3,
                        "total_discount": "0.00",
                        "discount_allocations": [{"amount": "10.00"}],
                    },
                    {"product_id": 9, "price": "30.00", "quantity": 1},
                    {"title": "tip", "price": "2.00", "quantity": 1},
                ],
            }
        )
        assert [(x.product_id, x.amount.amount) for x in placement.lines] == [
            ("7", Decimal("80.00")),
            ("9", Decimal("30.00")),
        ]
        assert placement.new_customer is True

    def test_first_order_only_pays_new_customers(self) -> None:
        """A first-orders-only rule pays the buyer's first order, not a returning buyer's nor
        one the shop did not say."""
        rule = ic.CommissionRule("new buyers", "fixed", amount=ic.Money.of(5, "EUR"))
        shop = open_shop(rule=attrs.evolve(rule, first_order_only=True))
        creator = only_creator(shop)
        first = shop.sell(creator, "40.00", new_customer=True)
        shop.sell(creator, "40.00", new_customer=False)
        shop.sell(creator, "40.00")
        commissions = shop.ws.pay.sync(MANAGER, shop.campaign.id)
        assert [c.order_id for c in commissions] == [shop.order_id(first)]
        assert commissions[0].amount == ic.Money.of(5, "EUR")

    def test_a_cap_bounds_a_creators_month(self) -> None:
        """Past the cap a creator's orders of the month earn nothing more; a new month starts
        again."""
        rule = ic.CommissionRule(
            "capped", "percent", percent=Decimal(10), cap=ic.Money.of(25, "EUR")
        )
        shop = open_shop(rule=rule)
        creator = only_creator(shop)
        firsts = []
        for _ in range(3):
            firsts.append(shop.order_id(shop.sell(creator, "100.00")))
            shop.clock.advance(minutes=1)
        shop.clock.advance(days=31)
        shop.sell(creator, "100.00")
        earned = {c.order_id: c.amount.amount for c in shop.ws.pay.sync(MANAGER, shop.campaign.id)}
        assert [earned.pop(o) for o in firsts] == [Decimal(10), Decimal(10), Decimal(5)]
        assert list(earned.values()) == [Decimal(10)]

    def test_net_as_of_counts_only_what_happened_before(self) -> None:
        """The net as of a moment ignores later refunds and a later cancellation."""
        shop = open_shop()
        external = shop.sell(only_creator(shop), "100.00")
        shop.clock.advance(days=2)
        shop.refund(external, "30.00")
        order = shop.ws.sales.order(MANAGER, "acme", SHOP, external)
        basis = ic.RevenueBasis.SUBTOTAL
        assert net_as_of(order, basis, START.add(days=1)) == ic.Money.of(100, "EUR")
        assert net_as_of(order, basis, None) == ic.Money.of(70, "EUR")
        rule = ic.CommissionRule("r", "percent", percent=Decimal(10))
        assert quote(rule, order, basis, at=None, rank=1, earned_in_period=ic.Money.zero("EUR"))
        shop.clock.advance(days=1)
        shop.cancel(external)
        order = shop.ws.sales.order(MANAGER, "acme", SHOP, external)
        assert net_as_of(order, basis, None).is_zero()
        assert net_as_of(order, basis, shop.clock.now().subtract(seconds=1)) == ic.Money.of(
            70, "EUR"
        )


class TestLedger:
    def test_a_commission_is_pending_then_approved_after_the_lock_period(self) -> None:
        """An order's commission waits out the lock period, then becomes payable."""
        shop = open_shop(lock_days=30)
        shop.sell(only_creator(shop), "80.00")
        [pending] = shop.ws.pay.sync(MANAGER, shop.campaign.id)
        assert pending.status is ic.CommissionStatus.PENDING
        assert pending.payable.is_zero()
        shop.clock.advance(days=30)
        [approved] = shop.ws.pay.sync(MANAGER, shop.campaign.id)
        assert approved.status is ic.CommissionStatus.APPROVED
        assert approved.payable == ic.Money.of(8, "EUR")
        assert shop.ws.pay.sync(MANAGER, shop.campaign.id) == [approved]  # idempotent

    def test_a_refund_inside_the_window_rewrites_or_reverses_with_why(self) -> None:
        """A partial refund in the window lowers the pending commission, a full one reverses
        it, and each change says why."""
        shop = open_shop()
        external = shop.sell(only_creator(shop), "80.00")
        shop.ws.pay.sync(MANAGER, shop.campaign.id)
        shop.clock.advance(days=3)
        shop.refund(external, "30.00")
        [lower] = shop.ws.pay.sync(MANAGER, shop.campaign.id)
        assert lower.amount == ic.Money.of(5, "EUR")
        assert "refunded 30.00 EUR" in lower.changes[-1].reason
        shop.refund(external, "50.00")
        [gone] = shop.ws.pay.sync(MANAGER, shop.campaign.id)
        assert gone.status is ic.CommissionStatus.REVERSED
        shop.clock.advance(days=60)
        [still] = shop.ws.pay.sync(MANAGER, shop.campaign.id)
        assert still.status is ic.CommissionStatus.REVERSED
        assert still.payable.is_zero()

    def test_a_refund_dated_in_the_window_reverses_even_when_seen_late(self) -> None:
        """The lock is decided by dates, not by when the ledger is synced: a refund made in
        the window but synced after it reverses instead of clawing back."""
        shop = open_shop()
        external = shop.sell(only_creator(shop), "80.00")
        shop.clock.advance(days=5)
        shop.refund(external, "80.00")
        shop.clock.advance(days=40)
        assert shop.ws.pay.sync(MANAGER, shop.campaign.id) == []

    def test_a_policy_change_rewrites_pending_lines_and_says_why(self) -> None:
        """A new rule rewrites the pending commissions (not the approved ones), with why."""
        shop = open_shop()
        creator = only_creator(shop)
        shop.sell(creator, "100.00")
        shop.ws.pay.sync(MANAGER, shop.campaign.id)
        shop.clock.advance(days=31)
        shop.sell(creator, "100.00")
        shop.ws.pay.sync(MANAGER, shop.campaign.id)
        richer = ic.CommissionRule("15% of sales", "percent", percent=Decimal(15))
        policies = attrs.evolve(shop.campaign.policies, commission=ic.CommissionPolicy((richer,)))
        shop.ws.campaigns.update(MANAGER, shop.campaign.id, policies=policies)
        old, new = shop.ws.pay.sync(MANAGER, shop.campaign.id)
        assert old.amount == ic.Money.of(10, "EUR")
        assert old.rule == "10% of sales"
        assert new.amount == ic.Money.of(15, "EUR")
        assert new.rule == "15% of sales"
        assert new.changes[-1].reason.startswith("the commission rule changed to '15% of sales'")

    def test_removing_the_rule_reverses_pending_commissions_only(self) -> None:
        """Without a rule, pending commissions are reversed; approved ones stay as approved
        (a rule change never claws back), unless their order is lost entirely."""
        shop = open_shop()
        creator = only_creator(shop)
        kept = shop.sell(creator, "100.00")
        shop.clock.advance(days=31)
        shop.sell(creator, "100.00")
        shop.ws.pay.sync(MANAGER, shop.campaign.id)
        policies = attrs.evolve(shop.campaign.policies, commission=ic.CommissionPolicy())
        shop.ws.campaigns.update(MANAGER, shop.campaign.id, policies=policies)
        approved, reversed_ = shop.ws.pay.sync(MANAGER, shop.campaign.id)
        assert approved.payable == ic.Money.of(10, "EUR")
        assert reversed_.status is ic.CommissionStatus.REVERSED
        shop.refund(kept, "100.00")
        approved, _ = shop.ws.pay.sync(MANAGER, shop.campaign.id)
        assert approved.payable.is_zero()
        assert approved.entries[-1].kind is ic.EntryKind.CLAWBACK

    def test_pays_in_the_creators_currency_at_the_rate_recorded_when_earned(self) -> None:
        """A creator paid in USD gets the commission at the rate of the order's day, recorded."""
        shop = open_shop(payout_currencies=("USD",))
        shop.sell(only_creator(shop), "100.00")
        [commission] = shop.ws.pay.sync(MANAGER, shop.campaign.id)
        assert commission.rate is not None
        assert commission.rate.rate == Decimal("1.0837")
        assert commission.payout == ic.Money.of("10.84", "USD")  # 10.837 → 10.84

    def test_no_rate_for_the_payout_currency_is_a_typed_error_and_writes_nothing(self) -> None:
        """Without a rate to the payout currency the sync refuses, naming the currency."""
        shop = open_shop(payout_currencies=("GBP",))
        shop.sell(only_creator(shop), "100.00")
        with pytest.raises(ic.ValidationError, match="currency"):
            shop.ws.pay.sync(MANAGER, shop.campaign.id)
        assert shop.ws.pay.ledger(MANAGER, "acme", only_creator(shop)) == []


class TestStatements:
    def test_a_late_refund_is_a_clawback_on_the_next_statement(self) -> None:
        """Once issued a statement never changes; a refund after the window comes off the next."""
        shop = open_shop()
        creator = only_creator(shop)
        external = shop.sell(creator, "200.00")
        shop.clock.advance(days=35)
        first = shop.ws.pay.issue(MANAGER, "acme", creator, period_end=_dt.date(2026, 2, 28))
        assert first.number_text == "PS-000001"
        assert first.total == ic.Money.of(20, "EUR")
        shop.clock.advance(days=3)
        shop.refund(external, "50.00")
        shop.sell(creator, "100.00")
        shop.clock.advance(days=40)
        second = shop.ws.pay.issue(MANAGER, "acme", creator, period_end=_dt.date(2026, 3, 31))
        assert shop.ws.pay.statement(MANAGER, first.id) == first
        kinds = sorted((x.kind, x.amount.amount) for x in second.lines)
        assert kinds == [
            (ic.LineKind.CLAWBACK, Decimal(-5)),
            (ic.LineKind.COMMISSION, Decimal(10)),
        ]
        assert second.number == 2
        assert second.period_start == _dt.date(2026, 3, 1)

    def test_a_negative_total_is_carried_forward_to_the_next_statement(self) -> None:
        """More clawed back than earned: the statement is zero and the rest is deducted next."""
        shop = open_shop()
        creator = only_creator(shop)
        external = shop.sell(creator, "200.00")
        shop.clock.advance(days=31)
        first = shop.ws.pay.issue(MANAGER, "acme", creator, period_end=shop.clock.now().date())
        shop.clock.advance(days=1)
        shop.refund(external, "200.00")
        second = shop.ws.pay.issue(MANAGER, "acme", creator, period_end=shop.clock.now().date())
        assert second.total.is_zero()
        assert second.carried_forward == ic.Money.of(20, "EUR")
        shop.sell(creator, "300.00")
        shop.clock.advance(days=31)
        third = shop.ws.pay.issue(MANAGER, "acme", creator, period_end=shop.clock.now().date())
        assert [x.kind for x in third.lines] == [ic.LineKind.COMMISSION, ic.LineKind.CARRIED_IN]
        assert third.total == ic.Money.of(10, "EUR")
        assert first.total + second.total + third.total == ic.Money.of(30, "EUR")  # 0 + 30

    def test_nothing_owed_is_refused_and_writes_nothing(self) -> None:
        """Issuing with nothing owed raises a ValidationError naming the period and adds nothing."""
        shop = open_shop()
        creator = only_creator(shop)
        shop.sell(creator, "100.00")  # still pending
        with pytest.raises(ic.ValidationError, match="period_end"):
            shop.ws.pay.issue(MANAGER, "acme", creator, period_end=shop.clock.now().date())
        assert shop.ws.pay.statements(MANAGER, "acme", creator) == []
        assert shop.ws.pay.ledger(MANAGER, "acme", creator) == []  # the sync was undone too

    def test_fees_and_bonuses_are_on_the_statement_weighted_by_compliance(self) -> None:
        """A committed fee paid by the validated brief percentage is on the statement at that
        share, and is paid when the statement is."""
        shop = open_shop(fee=ic.Money.of(150, "EUR"))
        creator = only_creator(shop)
        ws = shop.ws
        [p] = ws.participations.list(MANAGER, shop.campaign.id)
        [fee] = ws.costs.plan_compensation(MANAGER, shop.campaign.id, fee_by_compliance=True)
        bonus = ws.costs.plan(
            MANAGER, shop.campaign.id, "bonus", ic.Money.of(25, "EUR"), participation_id=p.id
        )
        ws.costs.commit(MANAGER, fee.id)
        ws.costs.commit(MANAGER, bonus.id)
        content = ws.submissions.submit(
            ic.CreatorUser(creator),
            p.id,
            url="https://instagram.com/p/abc",
            platform="instagram",
            format="post",
            published_at=shop.clock.now(),
        )
        ws.submissions.validate(MANAGER, content.id, compliance=80)
        statement = ws.pay.issue(MANAGER, "acme", creator, period_end=shop.clock.now().date())
        lines = {x.kind: x for x in statement.lines}
        assert lines[ic.LineKind.FEE].amount == ic.Money.of(120, "EUR")
        assert lines[ic.LineKind.FEE].compliance == 80
        assert lines[ic.LineKind.BONUS].amount == ic.Money.of(25, "EUR")
        with pytest.raises(ic.ValidationError, match="statement"):
            ws.costs.pay(MANAGER, fee.id)  # paid through the statement only
        paid = ws.pay.pay(MANAGER, statement.id)
        assert paid.status is ic.StatementStatus.PAID
        assert paid.reference == "memory-payout-1"
        assert ws.costs.get(MANAGER, fee.id).paid == ic.Money.of(120, "EUR")
        assert ws.pay.pay(MANAGER, statement.id) == paid  # paid once

    def test_statements_export_as_csv(self) -> None:
        """One CSV row per line, with exact decimal amounts."""
        shop = open_shop()
        creator = only_creator(shop)
        shop.sell(creator, "99.99")
        shop.clock.advance(days=31)
        statement = shop.ws.pay.issue(MANAGER, "acme", creator, period_end=shop.clock.now().date())
        rows = shop.ws.pay.export_csv(MANAGER, [statement.id]).splitlines()
        assert rows[0].startswith("statement,creator_id,period_start,period_end")
        assert rows[1].startswith(f"PS-000001,{creator},")
        assert ",commission," in rows[1]
        assert ",10.00,EUR," in rows[1]

    def test_without_a_gateway_payments_are_recorded_by_hand(self) -> None:
        """No PayoutGateway: pay() says so (ConfigurationError); record_payment records it."""
        shop = open_shop()
        shop.ws.pay._payouts = None  # a workspace opened without payouts
        creator = only_creator(shop)
        shop.sell(creator, "10.00")
        shop.clock.advance(days=31)
        statement = shop.ws.pay.issue(MANAGER, "acme", creator, period_end=shop.clock.now().date())
        with pytest.raises(ic.ConfigurationError):
            shop.ws.pay.pay(MANAGER, statement.id)
        paid = shop.ws.pay.record_payment(MANAGER, statement.id, reference="SEPA-123")
        assert paid.reference == "SEPA-123"
        assert paid.paid_at == shop.clock.now()
        with pytest.raises(ic.InvalidTransition):
            shop.ws.pay.record_payment(MANAGER, statement.id, reference="SEPA-124")

    def test_creators_read_their_own_statements_only(self) -> None:
        """A creator reads its own ledger and statements; another creator and an analyst
        cannot issue, another creator cannot read."""
        shop = open_shop(creators=2)
        emma, zoe = list(shop.codes)
        shop.sell(emma, "50.00")
        shop.clock.advance(days=31)
        statement = shop.ws.pay.issue(MANAGER, "acme", emma, period_end=shop.clock.now().date())
        assert shop.ws.pay.statements(ic.CreatorUser(emma), "acme", emma) == [statement]
        with pytest.raises(ic.PermissionDenied):
            shop.ws.pay.statement(ic.CreatorUser(zoe), statement.id)
        analyst = ic.BrandMember("u_a", brand_id="acme", role="analyst")
        with pytest.raises(ic.PermissionDenied):
            shop.ws.pay.issue(analyst, "acme", emma, period_end=shop.clock.now().date())


class TestOnEveryBackend:
    def test_commissions_and_statements_are_stored_and_numbered(
        self, backend: str, make_workspace: Callable[[], ic.Workspace]
    ) -> None:
        """The whole flow on memory, SQLite and PostgreSQL: statements numbered per brand."""
        base = make_workspace()
        shop = open_shop(
            lambda clock: ic.Workspace(base.store, clock, ids=base.ids, payouts=ic.MemoryPayouts()),
            creators=2,
        )
        emma, zoe = list(shop.codes)
        shop.sell(emma, "10.00")
        shop.sell(zoe, "20.00")
        shop.clock.advance(days=31)
        day = shop.clock.now().date()
        one = shop.ws.pay.issue(MANAGER, "acme", emma, period_end=day)
        two = shop.ws.pay.issue(MANAGER, "acme", zoe, period_end=day)
        assert (one.number, two.number) == (1, 2)
        assert shop.ws.pay.pay(MANAGER, two.id).status is ic.StatementStatus.PAID
        assert shop.ws.pay.statements(MANAGER, "acme", zoe)[0].reference == "memory-payout-1"
        types = {m.event.type for m in shop.ws.store.outbox.all()}
        assert {"CommissionEarned", "CommissionApproved", "StatementIssued"} <= types


# -- money never loses or creates a cent ----------------------------------------------------

CURRENCIES = ("EUR", "USD", "JPY", "KWD")


@st.composite
def histories(draw: st.DrawFn) -> dict[str, object]:
    """A campaign currency, creators' payout currencies, and a timeline of sales, refunds,
    cancellations, syncs and statements over a year."""
    steps = draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("sell"), st.integers(0, 2), st.integers(1, 50_000)),
                st.tuples(st.just("sell"), st.integers(0, 2), st.integers(1, 50_000)),
                st.tuples(st.just("refund"), st.integers(0, 30), st.integers(1, 100)),
                st.tuples(st.just("cancel"), st.integers(0, 30), st.just(0)),
                st.tuples(st.just("sync"), st.just(0), st.just(0)),
                st.tuples(st.just("issue"), st.integers(0, 2), st.just(0)),
                st.tuples(st.just("wait"), st.integers(1, 45), st.just(0)),
            ),
            min_size=4,
            max_size=40,
        )
    )
    return {
        "currency": draw(st.sampled_from(CURRENCIES)),
        "shop_currency": draw(st.sampled_from(CURRENCIES)),
        "payouts": tuple(
            draw(st.lists(st.sampled_from((None, *CURRENCIES)), min_size=3, max_size=3))
        ),
        "percent": draw(st.decimals(Decimal("0.5"), Decimal(30), places=2)),
        "lock_days": draw(st.integers(0, 40)),
        "steps": steps,
    }


class TestMoneyIsConserved:
    @settings(max_examples=40)
    @given(history=histories())
    def test_statements_add_up_to_the_ledger_in_every_currency(
        self, history: dict[str, object]
    ) -> None:
        """Over random orders, refunds, cancellations and dates: each statement's commission
        lines are exactly the ledger entries it settled; issued statements never change; at
        the end every creator was paid exactly its ledger (minus what it still owes), which
        is each order's final commission converted once, rounded half to even."""
        shop = open_shop(
            rule=ic.CommissionRule("r", "percent", percent=history["percent"]),
            creators=3,
            currency=history["currency"],  # type: ignore[arg-type]
            shop_currency=history["shop_currency"],  # type: ignore[arg-type]
            payout_currencies=history["payouts"],  # type: ignore[arg-type]
            lock_days=history["lock_days"],  # type: ignore[arg-type]
        )
        creators = list(shop.codes)
        minor = ic.Money.zero(shop.shop_currency).minor_units
        sold: list[str] = []
        issued: dict[str, ic.PayoutStatement] = {}

        def issue(creator: str) -> None:
            try:
                s = shop.ws.pay.issue(MANAGER, "acme", creator, period_end=shop.clock.now().date())
            except ic.ValidationError as e:
                if "is owed nothing" not in str(e):
                    raise
            else:
                issued[s.id] = s

        for action, a, b in history["steps"]:  # type: ignore[attr-defined]
            shop.clock.advance(hours=7)
            if action == "sell":
                sold.append(shop.sell(creators[a], str(Decimal(b).scaleb(-minor))))
            elif action == "refund" and sold:
                external = sold[a % len(sold)]
                order = shop.ws.sales.order(MANAGER, "acme", SHOP, external)
                left = order.net(ic.RevenueBasis.SUBTOTAL)
                part = (left.amount * b / 100).quantize(Decimal(1).scaleb(-minor))
                if part > 0:
                    shop.refund(external, str(part))
            elif action == "cancel" and sold:
                shop.cancel(sold[a % len(sold)])
            elif action == "sync":
                shop.ws.pay.sync(MANAGER, shop.campaign.id)
            elif action == "issue":
                issue(creators[a])
            elif action == "wait":
                shop.clock.advance(days=a)
        shop.clock.advance(days=60)
        for creator in creators:
            issue(creator)
        ledger = {c.id: c for c in shop.ws.pay.sync(MANAGER, shop.campaign.id)}
        lines = [x.kind for s in issued.values() for x in s.lines]
        event(f"statements: {min(len(issued), 4)}")
        for kind in set(lines):
            event(f"a {kind.value} line")
        if any(c.status is ic.CommissionStatus.REVERSED for c in ledger.values()):
            event("a reversal")
        for statement in issued.values():
            assert shop.ws.pay.statement(MANAGER, statement.id) == statement  # never changed
            assert statement.total == ic.Money.sum(
                [x.amount for x in statement.lines], statement.currency
            )
            settled = [
                e.amount
                for c in ledger.values()
                for e in c.entries
                if e.statement_id == statement.id
            ]
            on_lines = [
                x.amount
                for x in statement.lines
                if x.kind in (ic.LineKind.COMMISSION, ic.LineKind.CLAWBACK)
            ]
            assert ic.Money.sum(on_lines, statement.currency) == ic.Money.sum(
                settled, statement.currency
            )
        rule = ic.CommissionRule("r", "percent", percent=history["percent"])
        for creator in creators:
            mine = [c for c in ledger.values() if c.creator_id == creator]
            assert all(not c.unsettled(shop.clock.now().date()) for c in mine)
            statements = shop.ws.pay.statements(MANAGER, "acme", creator)
            for currency in {c.payout_currency for c in mine}:
                expected = ic.Money.zero(currency)
                for c in mine:
                    if c.payout_currency != currency:
                        continue
                    order = next(
                        o
                        for o in (shop.ws.sales.order(MANAGER, "acme", SHOP, x) for x in sold)
                        if o.id == c.order_id
                    )
                    final = quote(
                        rule,
                        order,
                        ic.RevenueBasis.SUBTOTAL,
                        at=None,
                        rank=1,
                        earned_in_period=ic.Money.zero(shop.currency),
                    ).amount
                    assert c.payable == (
                        c.to_payout(final)
                        if c.status is ic.CommissionStatus.APPROVED
                        else ic.Money.zero(currency)
                    )
                    expected = expected + c.payable
                own = [s for s in statements if s.currency == currency]
                paid = ic.Money.sum([s.total for s in own], currency)
                owed = own[-1].carried_forward if own else ic.Money.zero(currency)
                assert paid - owed == expected
