"""URL validation shared by shipments (tracking links) and submissions (published content)."""

from __future__ import annotations

import urllib.parse
from typing import Any

from influcampaign.errors import ValidationError

__all__ = ["check_http_url"]


def check_http_url(field: str, value: Any) -> str:
    """An absolute http(s) URL with a host, at most 2,048 characters."""
    if not isinstance(value, str) or len(value) > 2_048:
        raise ValidationError(field, value, "must be an http(s) URL of at most 2048 characters")
    text = value.strip()
    parts = urllib.parse.urlsplit(text)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or any(c.isspace() for c in text)
    ):
        raise ValidationError(field, value, "must be an http(s) URL")
    return text
