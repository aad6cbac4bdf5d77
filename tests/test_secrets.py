"""Secrets (issue 20): signing keys and webhook secrets have minimum lengths and never show in
reprs, errors or logs."""

from __future__ import annotations

import base64
import io
import logging
from pathlib import Path

import pytest

import influcampaign as ic
from influcampaign.adapters.shopify import MIN_WEBHOOK_SECRET, ShopifyShop
from influcampaign.demo import run_demo
from influcampaign.demo.sales import _SHOP_SECRET

DEMO_KEY = b"demo-only-secret-" + b"0" * 24
"""The demo's signing key (``influcampaign.demo.run_demo``)."""


class TestSigningKeys:
    """``SigningKeys``: at least 32 bytes, never shown."""

    def test_a_short_key_is_refused_without_showing_it(self) -> None:
        """A 31-byte secret is refused; the error names the key id, not the secret."""
        secret = "s3cr3t-" + "x" * 24
        with pytest.raises(ic.ValidationError) as caught:
            ic.SigningKeys({"k1": secret}, current="k1")
        assert "keys.k1" in str(caught.value)
        assert secret not in str(caught.value)
        assert secret not in repr(caught.value)

    def test_repr_shows_key_ids_only(self) -> None:
        """The repr lists the key ids and the current one, never a secret."""
        keys = ic.SigningKeys({"old": b"a" * 32, "new": b"b" * 40}, current="new")
        assert repr(keys) == "SigningKeys(current='new', keys=['new', 'old'])"
        assert "aaaa" not in repr(keys)
        assert "bbbb" not in str(keys)

    def test_a_workspace_repr_hides_its_keys(self) -> None:
        """Nor does the workspace holding them show them."""
        ws = ic.open("memory://", keys=ic.SigningKeys({"k": DEMO_KEY}, current="k"))
        assert DEMO_KEY.decode() not in repr(ws)
        assert DEMO_KEY.decode() not in repr(ws.keys)


class TestWebhookSecrets:
    """``ShopifyShop``: webhook secrets of at least 16 bytes, never shown."""

    def test_a_short_secret_is_refused_without_showing_it(self) -> None:
        """A 15-byte secret is refused, by position, whichever of the secrets it is."""
        short = "x" * (MIN_WEBHOOK_SECRET - 1)
        with pytest.raises(ic.ValidationError) as caught:
            ShopifyShop("acme", ("a-long-enough-secret", short))
        assert caught.value.field == "secrets[1]"
        assert short not in str(caught.value)

    def test_repr_counts_secrets_only(self) -> None:
        """The repr says how many secrets there are, not what they are."""
        shop = ShopifyShop("acme", ("first-webhook-secret", b"second-webhook-secret"))
        assert repr(shop) == "ShopifyShop(brand_id='acme', secrets=<2>)"


@pytest.fixture
def demo_logs(tmp_path: Path) -> str:
    """The whole demo's output and every log record of the SDK, at DEBUG level."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s %(args)s"))
    logger = logging.getLogger()
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    out = io.StringIO()
    try:
        ws = run_demo(f"sqlite:///{tmp_path / 'demo.sqlite'}", out)
        ws.close()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
    return out.getvalue() + "\n" + stream.getvalue()


class TestDemoLogs:
    """The demo's output and logs never hold a secret."""

    def test_no_secret_in_the_demo_output_or_logs(self, demo_logs: str) -> None:
        """Neither the signing key nor the shop's webhook secret appears, in any encoding,
        in what the demo prints or logs (and the demo does log: refused webhooks)."""
        assert "WARNING influcampaign.shopify webhook" in demo_logs
        for secret in (DEMO_KEY, _SHOP_SECRET.encode()):
            for form in (
                secret.decode(),
                secret.hex(),
                base64.b64encode(secret).decode(),
                base64.urlsafe_b64encode(secret).decode().rstrip("="),
                repr(secret),
            ):
                assert form not in demo_logs
