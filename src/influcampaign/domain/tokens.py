"""Signed tokens: HMAC-SHA256 with an injected secret, several keys for rotation.

A token is ``payload.key_id.signature`` (the signature in unpadded base64url). It is signed
with the current key and verifies with the current key or any previous one, so keys can be
rotated without breaking the tokens already handed out. Signatures are compared in
constant time.

>>> keys = SigningKeys({"k1": b"0" * 32}, current="k1")
>>> keys.verify(keys.sign("clk_42"))
'clk_42'
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import Any

import attrs

from influcampaign.errors import SignatureError, ValidationError

__all__ = ["SigningKeys"]

_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
_PAYLOAD = re.compile(r"[A-Za-z0-9_:-]{1,128}")
_MIN_SECRET = 32


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _keys(value: Any) -> dict[str, bytes]:
    if not isinstance(value, Mapping) or not value:
        raise ValidationError("keys", value, "must map at least one key id to a secret")
    keys: dict[str, bytes] = {}
    for key_id, secret in value.items():
        if not isinstance(key_id, str) or not _KEY_ID.fullmatch(key_id):
            raise ValidationError("keys", key_id, "key ids are 1-32 letters, digits, '_' or '-'")
        raw = secret.encode() if isinstance(secret, str) else secret
        if not isinstance(raw, bytes) or len(raw) < _MIN_SECRET:
            # The secret itself is never shown in the error.
            raise ValidationError(
                f"keys.{key_id}", "<secret>", f"must be at least {_MIN_SECRET} bytes"
            )
        keys[key_id] = raw
    return keys


@attrs.frozen(repr=False)
class SigningKeys:
    """The secrets tokens are signed with: ``keys`` by id, and the id of the ``current`` one.

    Rotate by adding a new key, making it current, and keeping the old one until the
    tokens it signed have expired. Secrets never appear in ``repr`` or in errors.
    """

    keys: Mapping[str, bytes] = attrs.field(converter=_keys)
    current: str = attrs.field()

    @current.validator
    def _check_current(self, _attribute: Any, value: Any) -> None:
        if value not in self.keys:
            raise ValidationError("current", value, f"is not one of the keys {sorted(self.keys)}")

    def __repr__(self) -> str:
        return f"SigningKeys(current={self.current!r}, keys={sorted(self.keys)!r})"

    def _digest(self, key_id: str, payload: str) -> bytes:
        return hmac.new(self.keys[key_id], payload.encode(), hashlib.sha256).digest()

    def sign(self, payload: str) -> str:
        """``payload`` with its key id and signature appended."""
        if not isinstance(payload, str) or not _PAYLOAD.fullmatch(payload):
            raise ValidationError("payload", payload, "must be 1-128 id characters")
        return f"{payload}.{self.current}.{_b64(self._digest(self.current, payload))}"

    def verify(self, token: Any) -> str:
        """The payload of a token signed by one of the keys; raises SignatureError otherwise."""
        if not isinstance(token, str) or len(token) > 300:
            raise SignatureError("token", "is not a signed token")
        parts = token.split(".")
        if len(parts) != 3 or not _PAYLOAD.fullmatch(parts[0]):
            raise SignatureError("token", "is not a signed token")
        payload, key_id, signature = parts
        if key_id not in self.keys:
            raise SignatureError("token", f"is signed with an unknown key {key_id!r}")
        expected = _b64(self._digest(key_id, payload))
        if not hmac.compare_digest(expected.encode(), signature.encode("ascii", "replace")):
            raise SignatureError("token", "signature does not match")
        return payload

    def keyed_hash(self, purpose: str, *parts: str) -> str:
        """A keyed hash of ``parts`` (hex, 32 characters) under a key derived from the
        current secret for ``purpose``: stable while the key is current, and not
        reversible by trying every input, unlike a plain hash of an IP address."""
        derived = hmac.new(self.keys[self.current], purpose.encode(), hashlib.sha256).digest()
        message = "\x00".join(parts).encode("utf-8", "replace")
        return hmac.new(derived, message, hashlib.sha256).hexdigest()[:32]
