"""Promo codes: made from a pattern, checked against Shopify's limits and against words a
brand must not hand out.

A pattern is text with placeholders in braces, e.g. ``{HANDLE}{PERCENT}`` → ``EMMA15``:

- ``{HANDLE}``: the creator's handle on the campaign's platform (else its display name);
- ``{NAME}``: the creator's display name; ``{CAMPAIGN}``: the campaign's name;
- ``{PERCENT}``: the discount percentage; ``{YEAR}``: the year of the campaign's start.

Placeholders are looked up by name in a plain mapping: a pattern cannot reach attributes of
any object. Letters are upper-cased and reduced to ASCII; anything else but digits, ``-``
and ``_`` is dropped.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping

import attrs

from influcampaign.errors import ValidationError

__all__ = [
    "BLOCKED_WORDS",
    "MAX_CODE_LENGTH",
    "RESERVED_CODES",
    "CodeRules",
    "random_suffix",
    "render_pattern",
]

MAX_CODE_LENGTH = 255
"""Shopify's limit on a discount code's length."""

_MIN_LENGTH = 3
_PLACEHOLDER = re.compile(r"\{([A-Z]+)\}")
_ALLOWED = re.compile(r"[A-Z0-9_-]+")
PLACEHOLDERS = frozenset({"HANDLE", "NAME", "CAMPAIGN", "PERCENT", "YEAR"})

RESERVED_CODES = frozenset(
    {"ADMIN", "CHECKOUT", "DISCOUNT", "FREE", "GIFTCARD", "NULL", "NONE", "SHOPIFY", "TEST"}
)
"""Codes that clash with shop features or are guessed by every bargain hunter."""

# Words no brand wants printed on a code, English and French. A word is refused when it
# stands as a whole segment of the code (segments are split by digits, '-' and '_'), also
# after undoing look-alike digits (0→O, 1→I, 3→E ...): FUCK15 and SH1T are refused, while
# ASSUNTA10, GRAPE20 or SALOPETTE (dungarees) pass; substring matching would refuse them.
BLOCKED_WORDS = frozenset(
    {
        "ASS",
        "FAG",
        "NAZI",
        "BITCH",
        "CUNT",
        "DICK",
        "FUCK",
        "NIGGER",
        "PUSSY",
        "RAPE",
        "SHIT",
        "SLUT",
        "WHORE",
        "RETARD",
        "HITLER",
        "CONNARD",
        "CONNASSE",
        "ENCULE",
        "PUTAIN",
        "PUTE",
        "SALOPE",
        "BOUGNOUL",
        "NEGRO",
    }
)

_LEET = str.maketrans({"0": "O", "1": "I", "3": "E", "4": "A", "5": "S", "7": "T", "8": "B"})
_SUFFIX_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, no 1/I: read aloud safely


def _clean(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9_-]", "", ascii_text.upper())


def render_pattern(pattern: str, values: Mapping[str, str]) -> str:
    """The code a pattern gives with ``values`` (before the rules are checked)."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValidationError("pattern", pattern, "must be a non-empty text")
    unknown = sorted(set(_PLACEHOLDER.findall(pattern)) - PLACEHOLDERS)
    if unknown:
        raise ValidationError(
            "pattern", pattern, f"has unknown placeholders {unknown}; known: {sorted(PLACEHOLDERS)}"
        )
    leftover = _PLACEHOLDER.sub("", pattern)
    if "{" in leftover or "}" in leftover:
        raise ValidationError("pattern", pattern, "has a brace that is not a {PLACEHOLDER}")

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise ValidationError("pattern", pattern, f"needs {{{name}}}, which is not known here")
        return _clean(values[name])

    return _clean(_PLACEHOLDER.sub(value, pattern))


def random_suffix(length: int = 3) -> str:
    """Random letters and digits that cannot be misread (added to a code already taken)."""
    return "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(length))


def _words(extra: Iterable[str]) -> frozenset[str]:
    return frozenset(_clean(w) for w in extra if _clean(w))


@attrs.frozen
class CodeRules:
    """What a code may be: Shopify's limits (3-255 characters here, letters, digits, ``-``
    and ``_``), no reserved code, no blocked word. A brand adds its own words."""

    reserved: frozenset[str] = attrs.field(default=RESERVED_CODES, converter=_words)
    blocked: frozenset[str] = attrs.field(default=BLOCKED_WORDS, converter=_words)

    def check(self, code: str, field: str = "code") -> str:
        """``code`` upper-cased, or a ValidationError saying which rule it breaks."""
        if not isinstance(code, str):
            raise ValidationError(field, code, "must be a string")
        text = code.strip().upper()
        if not _MIN_LENGTH <= len(text) <= MAX_CODE_LENGTH:
            raise ValidationError(
                field, code, f"must be {_MIN_LENGTH} to {MAX_CODE_LENGTH} characters long"
            )
        if not _ALLOWED.fullmatch(text):
            raise ValidationError(
                field, code, "may only hold letters A-Z, digits, '-' and '_' (no spaces)"
            )
        if text in self.reserved:
            raise ValidationError(field, code, "is a reserved code")
        word = self.blocked_word(text)
        if word is not None:
            raise ValidationError(field, code, "contains a word that may not be used in a code")
        return text

    def blocked_word(self, code: str) -> str | None:
        """The blocked word ``code`` holds as a segment, if any (look-alike digits undone)."""
        upper = code.upper()
        segments = set(re.split(r"[^A-Z]+", upper))
        segments |= set(re.split(r"[^A-Z]+", upper.translate(_LEET)))
        found = sorted(self.blocked & segments)
        return found[0] if found else None
