"""The sales service: Shopify webhooks and CSV exports credited to creators."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.adapters.shopify import (
    parse_webhook,
    read_orders_csv,
)
from influcampaign.domain.events import OrderAttributed, OrderCancelled, OrderRefunded
from influcampaign.domain.orders import TouchKind
from tests.conftest import MANAGER
from tests.helpers import (
    KEYS,
    PHONE,
    SHOP,
    T0,
    attribution_of,
    coded_sales_project,
    deliver,
    events,
    hooks_for,
    order_payload,
    refund_payload,
    sales_join,
    sales_project,
    sign,
)

CSV_HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,"
    "Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
    "Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,"
    "Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
    "Billing Name,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,"
    "Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,"
    "Risk Level,Source,Lineitem discount"
)


def csv_row(name: str, **values: str) -> str:
    columns = CSV_HEADER.split(",")
    row = dict.fromkeys(columns, "")
    row["Name"] = name
    row.update({k.replace("_", " "): v for k, v in values.items()})
    return ",".join(f'"{row[c]}"' if ("," in row[c] or "\n" in row[c]) else row[c] for c in columns)


def export(click_token: str = "") -> str:
    attrs = f"icclid: {click_token}\nwrap: yes" if click_token else ""
    lines = [
        CSV_HEADER,
        csv_row(
            "#1101",
            **{
                "Financial Status": "paid",
                "Currency": "EUR",
                "Subtotal": "80.00",
                "Total": "86.90",
                "Discount Code": "EMMA15",
                "Created at": "2026-03-12 10:00:00 +0100",
                "Lineitem quantity": "1",
                "Lineitem name": "Sérum",
                "Refunded Amount": "10.00",
                "Id": "5550001101",
                "Source": "web",
            },
        ),
        csv_row("#1101", **{"Lineitem quantity": "2", "Lineitem name": "Crème, 50 ml"}),
        csv_row(
            "#1102",
            **{
                "Financial Status": "paid",
                "Currency": "EUR",
                "Subtotal": "45.00",
                "Total": "45.00",
                "Created at": "2026-03-12 11:00:00 +0100",
                "Lineitem quantity": "1",
                "Note Attributes": attrs,
                "Id": "5550001102",
                "Source": "pos",
            },
        ),
    ]
    return "\n".join(lines) + "\n"


def _stream_events() -> list[tuple[str, dict[str, Any], str]]:
    """The distinct events of three orders, in their natural order (topic, body, event id)."""
    out: list[tuple[str, dict[str, Any], str]] = []
    for n, code in [(1, "EMMA15"), (2, "LEO10"), (3, "EMMA15")]:
        oid = 10_000 + n
        base = order_payload(oid, codes=(code,), subtotal=f"{40 * n}.00")
        out.append(("orders/create", base, f"s{n}-create"))
        paid = {**base, "financial_status": "paid", "updated_at": "2026-03-10T15:00:00+01:00"}
        out.append(("orders/paid", paid, f"s{n}-paid"))
        out.append(("refunds/create", refund_payload(oid * 10, oid, f"{5 * n}.00"), f"s{n}-r1"))
        out.append(("refunds/create", refund_payload(oid * 10 + 1, oid, "2.50"), f"s{n}-r2"))
        if n == 2:
            cancelled = {
                **paid,
                "cancelled_at": "2026-03-11T09:00:00+01:00",
                "updated_at": "2026-03-11T09:00:00+01:00",
            }
            out.append(("orders/cancelled", cancelled, f"s{n}-cancel"))
    return out


STREAM = _stream_events()


def _credited(
    ws: ic.Workspace, cmp_id: str
) -> dict[str, tuple[int, int, ic.Money | None, ic.Money | None]]:
    report = ws.sales.report(MANAGER, cmp_id)
    return {k: (v.orders, v.cancelled, v.gross, v.net) for k, v in report.per_creator.items()}


class TestShopifyWebhooks:
    def test_orders_are_credited_by_code_click_or_landing(self, sws: ic.Workspace) -> None:
        """Orders are credited by promo code, signed click id or landing UTM, in that order; an
        order with none is stored unattributed, saying why."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        leo = sales_join(sws, cmp, "Léo", "leo.runs")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        link = sws.links.create(MANAGER, leo.id, landing_url="https://shop.example/")
        click = sws.links.click(link.slug, ip="203.0.113.7", user_agent=PHONE)
        hooks = hooks_for(sws)

        several_codes = order_payload(1001, codes=("WELCOME5", "emma15"), subtotal="90.00")
        assert deliver(hooks, "orders/create", several_codes, "e1").status == 200
        by_click = order_payload(1002, click_token=click.click_token, subtotal="40.00")
        assert deliver(hooks, "orders/create", by_click, "e2").status == 200
        landing = f"/products/serum?utm_source=instagram&utm_content={link.slug}"
        no_click = order_payload(1003, landing_site=landing, subtotal="20.00")
        assert deliver(hooks, "orders/create", no_click, "e3").status == 200
        pos = order_payload(1004, source_name="pos", codes=("EMMA15",), subtotal="30.00")
        assert deliver(hooks, "orders/create", pos, "e4").status == 200
        nothing = order_payload(1005, subtotal="500.00")
        assert deliver(hooks, "orders/create", nothing, "e5").status == 200

        first = sws.sales.order(MANAGER, "acme", SHOP, "1001")
        assert first.attribution is not None
        assert first.attribution.via is TouchKind.CODE
        assert first.attribution.detail == "EMMA15"
        assert attribution_of(sws.sales.order(MANAGER, "acme", SHOP, "1002")).via is TouchKind.CLICK
        assert (
            attribution_of(sws.sales.order(MANAGER, "acme", SHOP, "1003")).via is TouchKind.LANDING
        )
        unattributed = sws.sales.order(MANAGER, "acme", SHOP, "1005")
        assert unattributed.participation_id is None
        assert "no promo code" in attribution_of(unattributed).reason

        report = sws.sales.report(MANAGER, cmp.id)

        def eur(amount: str) -> ic.Money:
            return ic.Money.of(amount, "EUR")

        assert report.per_creator[emma.creator_id].orders == 2
        assert report.per_creator[emma.creator_id].gross == eur("120.00")
        assert report.per_creator[leo.creator_id].orders == 2
        assert report.per_creator[leo.creator_id].gross == eur("60.00")
        assert report.total.gross == eur("180.00")
        assert report.per_creator[leo.creator_id].conversion_rate == Decimal(2)
        assert report.per_creator[leo.creator_id].average_order_value == eur("30.00")
        assert report.per_creator[leo.creator_id].revenue_per_click == eur("60.00")
        assert report.per_creator[emma.creator_id].orders_via_link == 0
        assert report.per_creator[emma.creator_id].conversion_rate is None  # no clicks: unknown
        assert report.per_creator[emma.creator_id].revenue_per_click is None

    def test_orders_before_the_code_or_outside_the_campaign_are_not_credited(
        self, sws: ic.Workspace
    ) -> None:
        """A 2008 order, an order placed before the code or link was created and one after
        the campaign's end carry a valid code and landing page but are credited to nobody."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")  # 2 March 2026, 09:00 in Paris
        link = sws.links.create(MANAGER, emma.id, landing_url="https://shop.example/")
        landing = f"/?utm_content={link.slug}"
        hooks = hooks_for(sws)
        for number, placed in [
            (2001, "2008-05-04T10:00:00+02:00"),
            (2002, "2026-03-02T08:59:00+01:00"),
            (2003, "2026-07-01T00:00:00+02:00"),
        ]:
            payload = order_payload(
                number, codes=("EMMA15",), landing_site=landing, created_at=placed
            )
            assert deliver(hooks, "orders/create", payload, f"e{number}").status == 200
            order = sws.sales.order(MANAGER, "acme", SHOP, str(number))
            assert order.participation_id is None, placed
        inside = order_payload(2004, codes=("EMMA15",), created_at="2026-03-02T09:01:00+01:00")
        assert deliver(hooks, "orders/create", inside, "e2004").status == 200
        assert sws.sales.order(MANAGER, "acme", SHOP, "2004").participation_id == emma.id
        assert sws.sales.report(MANAGER, cmp.id).total.orders == 1

    def test_paid_partial_refunds_and_cancellation(self, sws: ic.Workspace) -> None:
        """Payment, two partial refunds and a cancellation give the creator's gross, refunded and
        net figures, with one event each."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        hooks = hooks_for(sws)
        order = order_payload(2001, codes=("EMMA15",), subtotal="100.00")
        deliver(hooks, "orders/create", order, "a1")
        paid = {**order, "financial_status": "paid", "updated_at": "2026-03-10T14:05:00+01:00"}
        deliver(hooks, "orders/paid", paid, "a2")
        deliver(hooks, "refunds/create", refund_payload(91, 2001, "15.50"), "a3")
        deliver(hooks, "refunds/create", refund_payload(92, 2001, "4.50"), "a4")
        line = sws.sales.report(MANAGER, cmp.id).per_creator[emma.creator_id]
        assert (line.orders, line.gross, line.refunded, line.net) == (
            1,
            ic.Money.of("100.00", "EUR"),
            ic.Money.of("20.00", "EUR"),
            ic.Money.of("80.00", "EUR"),
        )
        placement = sws.sales.order(MANAGER, "acme", SHOP, "2001").placement
        assert placement is not None
        assert placement.financial_status == "paid"

        other = order_payload(2002, codes=("EMMA15",), subtotal="50.00")
        deliver(hooks, "orders/create", other, "b1")
        cancelled = {**other, "cancelled_at": "2026-03-11T09:00:00+01:00"}
        deliver(hooks, "orders/cancelled", cancelled, "b2")
        line = sws.sales.report(MANAGER, cmp.id).per_creator[emma.creator_id]
        assert line.orders == 1
        assert line.cancelled == 1
        assert line.net == ic.Money.of("80.00", "EUR")
        assert len(events(sws, OrderCancelled)) == 1
        assert len(events(sws, OrderRefunded)) == 2

    def test_retries_and_duplicates_apply_once(self, sws: ic.Workspace) -> None:
        """Shopify's retries, and the same topic for the same order under another event id, are
        applied once."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        hooks = hooks_for(sws)
        order = order_payload(3001, codes=("EMMA15",))
        assert deliver(hooks, "orders/create", order, "r1").outcome == "applied"
        for _ in range(8):  # Shopify retries up to 8 times
            assert deliver(hooks, "orders/create", order, "r1").outcome == "duplicate"
        # the same topic for the same order under another event id is applied once too
        assert deliver(hooks, "orders/create", order, "r1-bis").outcome == "duplicate"
        refund = refund_payload(71, 3001, "10.00")
        assert deliver(hooks, "refunds/create", refund, "r2").outcome == "applied"
        assert deliver(hooks, "refunds/create", refund, "r3").outcome == "duplicate"
        line = sws.sales.report(MANAGER, cmp.id).per_creator[emma.creator_id]
        assert line.orders == 1
        assert line.refunded == ic.Money.of("10.00", "EUR")
        assert len(events(sws, OrderAttributed)) == 1

    def test_refund_before_its_order(self, sws: ic.Workspace) -> None:
        """A refund delivered before its order is held and counted once the order arrives."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        hooks = hooks_for(sws)
        deliver(hooks, "refunds/create", refund_payload(81, 4001, "25.00"), "x1")
        assert sws.sales.report(MANAGER, cmp.id).total.orders == 0
        deliver(hooks, "orders/create", order_payload(4001, codes=("EMMA15",)), "x2")
        line = sws.sales.report(MANAGER, cmp.id).per_creator[emma.creator_id]
        assert line.net == ic.Money.of("75.00", "EUR")

    def test_another_currency_is_converted_and_the_rate_recorded(self, sws: ic.Workspace) -> None:
        """A USD order is converted to the campaign's EUR at the rate of its date, and the rate and
        its source are recorded."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        hooks = hooks_for(sws)
        usd = order_payload(5001, codes=("EMMA15",), currency="USD", subtotal="33.33")
        deliver(hooks, "orders/create", usd, "c1")
        deliver(hooks, "refunds/create", refund_payload(51, 5001, "11.11", "USD"), "c2")
        order = sws.sales.order(MANAGER, "acme", SHOP, "5001")
        rate = attribution_of(order).rate
        assert rate is not None
        assert (rate.base, rate.quote, rate.rate, rate.source) == (
            "USD",
            "EUR",
            Decimal("0.9"),
            "test table",
        )
        assert rate.on == pendulum.date(2026, 3, 10)
        line = sws.sales.report(MANAGER, cmp.id).per_creator[emma.creator_id]
        assert line.gross == ic.Money.of("30.00", "EUR")  # 33.33 x 0.9 = 29.997
        assert line.net == ic.Money.of("20.00", "EUR")  # 22.22 x 0.9 = 19.998
        assert line.refunded == ic.Money.of("10.00", "EUR")

    def test_no_rate_is_a_retry_that_changes_nothing(self, sws: ic.Workspace) -> None:
        """An order in a currency without a rate is not applied and answered 503, so Shopify
        retries; once the rate is known the same delivery is applied."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        hooks = hooks_for(sws)
        gbp = order_payload(5002, codes=("EMMA15",), currency="GBP")
        response = deliver(hooks, "orders/create", gbp, "g1")
        assert response.status == 503
        assert response.outcome == "retry"
        assert "no exchange rate from GBP to EUR" in response.detail
        with pytest.raises(ic.NotFound):
            sws.sales.order(MANAGER, "acme", SHOP, "5002")
        event = parse_webhook("orders/create", json.dumps(gbp).encode(), "g2")
        with pytest.raises(ic.ConfigurationError, match="no exchange rate from GBP to EUR"):
            sws.sales.apply(ic.SystemActor("shopify"), "acme", SHOP, event)
        later = ic.Workspace(
            sws.store,
            sws.clock,
            ids=sws.ids,
            keys=KEYS,
            rates=ic.FixedRates({("GBP", "EUR"): "1.15"}, source="test table"),
        )
        assert deliver(hooks_for(later), "orders/create", gbp, "g1").status == 200
        assert later.sales.order(MANAGER, "acme", SHOP, "5002").participation_id == emma.id

    def test_an_unsupported_topic_is_acknowledged_and_ignored(
        self, sws: ic.Workspace, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A signed webhook of a topic the SDK does not handle gets 200 "ignored" (Shopify
        would otherwise retry it for hours, then drop the subscription), is logged, and
        changes nothing."""
        hooks = hooks_for(sws)
        before = list(sws.store.outbox.all())
        response = deliver(hooks, "products/update", {"id": 1, "title": "Sérum"}, "p1")
        assert response.status == 200
        assert response.outcome == "ignored"
        assert "products/update" in caplog.text
        assert list(sws.store.outbox.all()) == before

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            (lambda p: p.pop("total_price"), "order.total_price: is missing"),
            (lambda p: p.update(subtotal_price="12,50"), "order.subtotal_price"),
            (lambda p: p.update(subtotal_price=12.5), "must be a decimal string"),
            (lambda p: p.update(currency="EUX"), "not a known ISO 4217"),
            (lambda p: p.update(created_at="yesterday"), "order.created_at"),
            (lambda p: p.update(discount_codes=[{"amount": "1"}]), "discount_codes"),
        ],
    )
    def test_malformed_orders_are_rejected_whole(
        self, sws: ic.Workspace, change: Callable[[dict[str, Any]], Any], field: str
    ) -> None:
        """A malformed order is answered 400 naming the field and stores nothing, so the fixed event
        is applied later."""
        hooks = hooks_for(sws)
        payload = order_payload(6001)
        change(payload)
        response = deliver(hooks, "orders/create", payload, "m1")
        assert response.status == 400
        assert field in response.detail
        with pytest.raises(ic.NotFound):
            sws.sales.order(MANAGER, "acme", SHOP, "6001")
        # once fixed, the same event id is applied: the rejection left no receipt behind
        assert deliver(hooks, "orders/create", order_payload(6001), "m1").outcome == "applied"

    def test_negative_refund_is_rejected(self, sws: ic.Workspace) -> None:
        """A negative refund amount is answered 400."""
        response = deliver(
            hooks_for(sws), "refunds/create", refund_payload(61, 7001, "-5.00"), "n1"
        )
        assert response.status == 400
        assert "must not be negative" in response.detail

    def test_bad_signature_or_changed_body_is_refused_before_parsing(
        self, sws: ic.Workspace
    ) -> None:
        """A changed body, a missing or wrong signature or an unknown shop is answered 401 before
        parsing; header names are case-insensitive."""
        hooks = hooks_for(sws)
        body = json.dumps(order_payload(8001)).encode()
        headers = {
            "X-Shopify-Topic": "orders/create",
            "X-Shopify-Hmac-Sha256": sign(body),
            "X-Shopify-Shop-Domain": SHOP,
        }
        tampered = body.replace(b'"100.00"', b'"900.00"')
        assert hooks.handle(headers, tampered).status == 401
        assert hooks.handle({**headers, "X-Shopify-Hmac-Sha256": ""}, body).status == 401
        assert (
            hooks.handle(
                {**headers, "X-Shopify-Hmac-Sha256": sign(b"{not json")}, b"{not json"
            ).status
            == 400
        )
        wrong_secret = {**headers, "X-Shopify-Hmac-Sha256": sign(body, "other")}
        assert hooks.handle(wrong_secret, body).status == 401
        unknown_shop = {**headers, "X-Shopify-Shop-Domain": "evil.myshopify.com"}
        assert hooks.handle(unknown_shop, body).status == 401
        with pytest.raises(ic.NotFound):
            sws.sales.order(MANAGER, "acme", SHOP, "8001")
        lower = {k.lower(): v for k, v in headers.items()}  # header names are case-insensitive
        assert hooks.handle(lower, body).status == 200

    def test_forged_click_id_gives_no_credit(self, sws: ic.Workspace) -> None:
        """An order carrying a click id with a forged signature is credited to no one, saying the
        click id was refused."""
        cmp = sales_project(sws)
        leo = sales_join(sws, cmp, "Léo", "leo.runs")
        link = sws.links.create(MANAGER, leo.id, landing_url="https://shop.example/")
        click = sws.links.click(link.slug, ip="203.0.113.7", user_agent=PHONE)
        assert click.click_id is not None
        forged = f"{click.click_id}.k1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        deliver(hooks_for(sws), "orders/create", order_payload(9001, click_token=forged), "f1")
        order = sws.sales.order(MANAGER, "acme", SHOP, "9001")
        assert order.participation_id is None
        assert "click id refused" in attribution_of(order).reason

    def test_test_orders_are_never_credited(self, sws: ic.Workspace) -> None:
        """Shopify's test orders are never credited."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        payload = {**order_payload(9101, codes=("EMMA15",)), "test": True}
        deliver(hooks_for(sws), "orders/create", payload, "t1")
        assert sws.sales.report(MANAGER, cmp.id).total.orders == 0


class TestCsvExport:
    def test_import_groups_line_items_and_credits_orders(self, sws: ic.Workspace) -> None:
        """A CSV export's line items group into orders credited by code and click; importing it
        again, or a webhook refund already in it, changes no figure."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        leo = sales_join(sws, cmp, "Léo", "leo.runs")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        link = sws.links.create(MANAGER, leo.id, landing_url="https://shop.example/")
        click = sws.links.click(link.slug, ip="203.0.113.7", user_agent=PHONE)
        events_ = read_orders_csv(export(click.click_token or ""))
        assert [e.external_order_id for e in events_] == ["5550001101", "5550001102"]
        sws.sales.apply_all(MANAGER, "acme", SHOP, events_)
        report = sws.sales.report(MANAGER, cmp.id)
        assert report.per_creator[emma.creator_id].net == ic.Money.of("70.00", "EUR")
        assert report.per_creator[leo.creator_id].gross == ic.Money.of("45.00", "EUR")
        # importing the same export again, and a webhook refund already counted in it
        sws.sales.apply_all(MANAGER, "acme", SHOP, read_orders_csv(export(click.click_token or "")))
        deliver(hooks_for(sws), "refunds/create", refund_payload(11, 5550001101, "10.00"), "z1")
        again = sws.sales.report(MANAGER, cmp.id)
        assert again.total == report.total

    def test_importing_the_same_export_again_writes_nothing(self, sws: ic.Workspace) -> None:
        """A second import of the same export leaves every stored order as it was (same
        version), with no event: it is not a write that a concurrent one could conflict with."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        sws.sales.apply_all(MANAGER, "acme", SHOP, read_orders_csv(export()))
        with sws.store.unit_of_work(read_only=True) as uow:
            before = uow.orders.find()
        written = len(list(sws.store.outbox.all()))
        sws.sales.apply_all(MANAGER, "acme", SHOP, read_orders_csv(export()))
        with sws.store.unit_of_work(read_only=True) as uow:
            assert uow.orders.find() == before
        assert len(list(sws.store.outbox.all())) == written

    def test_missing_column_or_bad_amount_imports_nothing(self, sws: ic.Workspace) -> None:
        """A missing column or a bad amount is a ValidationError naming the column or the line and
        field."""
        text = export().replace("Refunded Amount", "Refunded")
        with pytest.raises(ic.ValidationError, match="Refunded Amount"):
            read_orders_csv(text)
        bad = export().replace("80.00", "eighty")
        with pytest.raises(ic.ValidationError, match="csv line 2: Subtotal"):
            read_orders_csv(bad)

    def test_a_failing_order_rolls_the_whole_import_back(self, sws: ic.Workspace) -> None:
        """One order that cannot be converted rolls the whole import back."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        good = read_orders_csv(export())
        gbp = read_orders_csv(export().replace(",EUR,", ",GBP,").replace("5550001101", "77"))
        with pytest.raises(ic.ConfigurationError, match="exchange rate"):
            sws.sales.apply_all(MANAGER, "acme", SHOP, [*good, gbp[0]])
        assert sws.sales.report(MANAGER, cmp.id).total.orders == 0

    def test_a_bulk_import_commits_in_chunks_and_finishes_when_run_again(
        self, sws: ic.Workspace
    ) -> None:
        """An import commits chunk by chunk: a failing event keeps the chunks before it, and
        importing the same events again applies the rest and reports the others duplicate."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        stream = [
            parse_webhook(topic, json.dumps(body).encode(), event_id)
            for topic, body, event_id in STREAM
            if topic != "orders/cancelled"
        ]
        failing = parse_webhook(
            "orders/create",
            json.dumps(order_payload(99_999, codes=("EMMA15",), currency="GBP")).encode(),
            "gbp",
        )
        with pytest.raises(ic.ConfigurationError, match="exchange rate"):
            sws.sales.apply_all(MANAGER, "acme", SHOP, [*stream[:4], failing, *stream[4:]], chunk=2)
        first_two_chunks = sws.sales.report(MANAGER, cmp.id).total
        assert first_two_chunks.orders == 1  # the first order and its refunds landed
        applied = sws.sales.apply_all(MANAGER, "acme", SHOP, stream, chunk=2)
        assert [a.status for a in applied] == ["duplicate"] * 4 + ["applied"] * (len(stream) - 4)
        assert sws.sales.report(MANAGER, cmp.id).total.orders == 2  # LEO10 is nobody's code

    def test_a_bulk_import_checks_every_event_before_writing(self, sws: ic.Workspace) -> None:
        """A bad item anywhere in the batch, or a bad chunk size, is refused before anything is written."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        good = read_orders_csv(export())
        with pytest.raises(ic.ValidationError, match=r"events\[2\]"):
            sws.sales.apply_all(MANAGER, "acme", SHOP, [*good, "not an event"], chunk=1)  # type: ignore[list-item]
        with pytest.raises(ic.ValidationError, match="chunk"):
            sws.sales.apply_all(MANAGER, "acme", SHOP, good, chunk=0)
        assert sws.sales.report(MANAGER, cmp.id).total.orders == 0


class TestDeliveryOrder:
    """Webhooks delivered in any order, with retries, credit what one ordered delivery does."""

    @settings(max_examples=25)
    @given(
        deliveries=st.lists(
            st.tuples(st.integers(0, len(STREAM) - 1), st.booleans()),
            min_size=len(STREAM),
            max_size=40,
        ).map(lambda extra: [(i, False) for i in range(len(STREAM))] + extra),
        order=st.randoms(use_true_random=False),
    )
    def test_any_delivery_order_with_retries_credits_what_one_ordered_delivery_does(
        self, deliveries: list[tuple[int, bool]], order: Any
    ) -> None:
        """Every distinct event is delivered at least once; some are retried (same event id) or
        re-sent under a new event id; everything is shuffled. The credited figures equal those
        of delivering each distinct event once, in its natural order."""
        reference_ws = ic.Workspace(
            ic.MemoryStore(), ic.FrozenClock(T0), ids=ic.SequentialIds(), keys=KEYS
        )
        reference_cmp = coded_sales_project(reference_ws)
        reference_hooks = hooks_for(reference_ws)
        for topic, body, event_id in STREAM:
            deliver(reference_hooks, topic, body, event_id)
        expected = _credited(reference_ws, reference_cmp.id)

        ws = ic.Workspace(ic.MemoryStore(), ic.FrozenClock(T0), ids=ic.SequentialIds(), keys=KEYS)
        cmp = coded_sales_project(ws)
        hooks = hooks_for(ws)
        shuffled = list(deliveries)
        order.shuffle(shuffled)
        for number, (index, new_event_id) in enumerate(shuffled):
            topic, body, event_id = STREAM[index]
            response = deliver(
                hooks, topic, body, f"{event_id}-again{number}" if new_event_id else event_id
            )
            assert response.status == 200
        assert _credited(ws, cmp.id) == expected
