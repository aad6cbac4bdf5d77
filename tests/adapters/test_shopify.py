"""Shopify webhooks: signatures and parsing (influcampaign.adapters.shopify)."""

from __future__ import annotations

import json

import pytest

import influcampaign as ic
from influcampaign.adapters.shopify import (
    parse_webhook,
    verify_webhook,
)
from tests.helpers import SECRET, refund_payload


class TestWebhookSignature:
    """Shopify webhook signatures (HMAC-SHA256 of the body)."""

    def test_shopify_signature_matches_a_digest_computed_elsewhere(self) -> None:
        """The known vector was computed with `openssl dgst -sha256 -hmac … -binary | base64`."""
        body = b'{"id":820982911946154508,"email":"jon@example.com","total_price":"379.69"}'
        digest = "pXl0pT1wXvEWk2yC8e3N6lsYJh+5i1vMMwOQwP7O5Ro="
        verify_webhook(body, digest, [SECRET])
        verify_webhook(body, digest, ["the-new-secret", SECRET])  # during a rotation
        with pytest.raises(ic.SignatureError, match="does not match"):
            verify_webhook(body.replace(b"379.69", b"379.60"), digest, [SECRET])
        with pytest.raises(ic.SignatureError, match="does not match"):
            verify_webhook(body + b" ", digest, [SECRET])
        with pytest.raises(ic.SignatureError, match="missing"):
            verify_webhook(body, None, [SECRET])
        with pytest.raises(ic.SignatureError, match="does not match"):
            verify_webhook(body, digest, ["another-secret"])


class TestParseWebhook:
    """Parsing Shopify webhook payloads."""

    def test_parse_webhook_of_a_refund_keeps_the_order_id(self) -> None:
        """A refunds/create body parses to its order id, currency and amount; an unsupported topic
        names the topic header."""
        event = parse_webhook(
            "refunds/create", json.dumps(refund_payload(5, 42, "3.10")).encode(), "e"
        )
        assert (event.external_order_id, event.currency, event.refunds[0].amount) == (
            "42",
            "EUR",
            ic.Money.of("3.10", "EUR"),
        )
        with pytest.raises(ic.ValidationError, match="X-Shopify-Topic"):
            parse_webhook("orders/updated", b"{}")
