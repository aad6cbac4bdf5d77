"""Signing keys for click tokens (influcampaign.domain.tokens)."""

from __future__ import annotations

import pytest

import influcampaign as ic


class TestSigningKeys:
    """Signing keys sign and verify click tokens across a key rotation."""

    def test_tokens_verify_with_current_and_previous_keys_only(self) -> None:
        """A token signed with a retired key still verifies while the key is kept, not after; forged
        tokens are refused and secrets never shown."""
        old = ic.SigningKeys({"k1": b"a" * 32}, current="k1")
        rotated = ic.SigningKeys({"k1": b"a" * 32, "k2": b"b" * 32}, current="k2")
        token = old.sign("clk_1")
        assert rotated.verify(token) == "clk_1"
        assert rotated.sign("clk_1").split(".")[1] == "k2"
        after = ic.SigningKeys({"k2": b"b" * 32}, current="k2")
        with pytest.raises(ic.SignatureError, match="unknown key"):
            after.verify(token)
        payload, kid, sig = token.split(".")
        for forged in (f"clk_2.{kid}.{sig}", f"{payload}.{kid}.{sig[:-1]}A", "clk_1", "", None):
            with pytest.raises(ic.SignatureError):
                old.verify(forged)
        assert "a" * 32 not in repr(rotated)

    def test_short_secrets_and_unknown_current_key_are_refused(self) -> None:
        """A secret under 32 bytes (not echoed in the error) or a current key that is not in the set
        is refused."""
        with pytest.raises(ic.ValidationError, match="at least 32 bytes") as info:
            ic.SigningKeys({"k1": b"short"}, current="k1")
        assert "short" not in str(info.value)
        with pytest.raises(ic.ValidationError, match="current"):
            ic.SigningKeys({"k1": b"a" * 32}, current="k9")
