"""Reading what the shop sent (services/sales.py: orders, receipts) and the typed error behind a
webhook answer (adapters/shopify.py: WebhookResponse.error)."""

from __future__ import annotations

import json

import pytest

import influcampaign as ic
from influcampaign.adapters.shopify import ShopifyWebhooks
from tests.conftest import MANAGER
from tests.helpers import (
    SHOP,
    campaign,
    deliver,
    hooks_for,
    order_payload,
    refund_payload,
    sales_join,
    sign,
)


def _raw(hooks: ShopifyWebhooks, body: bytes, **headers: str) -> ic.WebhookResponse:
    sent = {"X-Shopify-Shop-Domain": SHOP, "X-Shopify-Topic": "orders/create", **headers}
    return hooks.handle(sent, body)


class TestOrdersAndReceipts:
    """sales.orders and sales.receipts read back what webhooks stored."""

    def test_orders_of_a_brand_and_of_a_campaign(self, sws: ic.Workspace) -> None:
        """A credited order is listed for its campaign; an uncredited one only for the brand."""
        cmp = campaign(sws)
        p = sales_join(sws, cmp, "Emma", "@emma")
        code = sws.codes.create(MANAGER, p.id, code="EMMA15")
        hooks = hooks_for(sws)
        assert (
            deliver(hooks, "orders/create", order_payload(1, codes=(code.code,)), "e1").status
            == 200
        )
        assert deliver(hooks, "orders/create", order_payload(2), "e2").status == 200
        every = sws.sales.orders(MANAGER, "acme")
        assert sorted(o.external_id for o in every) == ["1", "2"]
        credited = sws.sales.orders(MANAGER, "acme", campaign_id=cmp.id)
        assert [(o.external_id, o.participation_id) for o in credited] == [("1", p.id)]
        assert sws.sales.orders(MANAGER, "acme", shop="other.myshopify.com") == []

    def test_receipts_of_an_order_in_the_order_received(self, sws: ic.Workspace) -> None:
        """Each applied delivery leaves receipts naming its topic; a retry adds none."""
        campaign(sws)
        hooks = hooks_for(sws)
        deliver(hooks, "orders/create", order_payload(5), "e5")
        deliver(hooks, "refunds/create", refund_payload(50, 5, "10.00"), "e50")
        deliver(hooks, "orders/create", order_payload(5), "e5")  # Shopify's retry
        receipts = sws.sales.receipts(MANAGER, "acme", SHOP, "5")
        assert sorted({r.topic for r in receipts}) == ["orders/create", "refunds/create"]
        assert len(receipts) == 4  # per topic and resource, and per event id

    def test_a_creator_may_not_read_the_brands_orders(self, sws: ic.Workspace) -> None:
        """Orders are the brand's: a creator gets PermissionDenied."""
        with pytest.raises(ic.PermissionDenied):
            sws.sales.orders(ic.CreatorUser("cre_x"), "acme")


class TestWebhookResponseError:
    """The typed error behind a webhook refusal is on the response."""

    def test_bad_signature_unknown_shop_and_bad_payload(self, sws: ic.Workspace) -> None:
        """401s carry a SignatureError, a 400 the ValidationError naming the field; a 200 none."""
        hooks = hooks_for(sws)
        body = json.dumps(order_payload(9)).encode()
        forged = _raw(hooks, body, **{"X-Shopify-Hmac-Sha256": sign(body, "not-the-secret")})
        assert (forged.status, type(forged.error)) == (401, ic.SignatureError)
        stranger = _raw(hooks, body, **{"X-Shopify-Shop-Domain": "evil.myshopify.com"})
        assert (stranger.status, type(stranger.error)) == (401, ic.SignatureError)
        bad = json.dumps({"id": 9, "currency": "EUR"}).encode()
        malformed = _raw(hooks, bad, **{"X-Shopify-Hmac-Sha256": sign(bad)})
        assert malformed.status == 400
        assert isinstance(malformed.error, ic.ValidationError)
        assert ic.http_status(malformed.error) == 422  # the host answers Shopify 400 all the same
        campaign(sws)
        ok = _raw(hooks, body, **{"X-Shopify-Hmac-Sha256": sign(body)})
        assert (ok.status, ok.error) == (200, None)


class TestSalesFrames:
    """SalesReport as records and DataFrames."""

    def test_creators_and_days_tables(self, sws: ic.Workspace) -> None:
        """One row per creator then the total, amounts as Decimal (floats on request); one row
        per day of clicks."""
        cmp = campaign(sws)
        p = sales_join(sws, cmp, "Emma", "@emma")
        code = sws.codes.create(MANAGER, p.id, code="EMMA15")
        deliver(hooks_for(sws), "orders/create", order_payload(1, codes=(code.code,)), "e1")
        report = sws.sales.report(MANAGER, cmp.id)
        rows = report.records()
        assert [r["creator_id"] for r in rows] == [p.creator_id, None]
        assert rows[0]["orders"] == 1
        assert report.total.net is not None
        assert rows[0]["net"] == report.total.net.amount
        frame = report.frame(floats=True)
        assert frame["net"].dtype.kind == "f"
        assert report.records("days") == []
        with pytest.raises(ic.ValidationError, match="table"):
            report.records("weeks")
