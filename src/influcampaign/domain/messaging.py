"""Message templates (safe placeholders) and the messages of a participation's thread."""

from __future__ import annotations

import enum
import re
import string
from collections.abc import Mapping
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import (
    check_datetime,
    check_text,
    in_utc,
    name_text,
    optional_instant,
    parse_enum,
    valid_id,
)
from influcampaign.errors import ValidationError

__all__ = [
    "PLACEHOLDERS",
    "Author",
    "Message",
    "MessageTemplate",
    "TemplateKind",
    "placeholders_of",
    "render",
]

PLACEHOLDERS = frozenset(
    {
        "creator_name",
        "campaign_name",
        "brand",
        "tracking_url",
        "carrier",
        "tracking_number",
        "due_date",
        "reminder_number",
        "message",
    }
)
"""The only names a template may use. Values are plain strings: no attribute or index access."""

_NAME = re.compile(r"[a-z_]+")


class TemplateKind(enum.StrEnum):
    """What a template is for."""

    ACCEPTANCE = "acceptance"
    REFUSAL = "refusal"
    WELCOME = "welcome"
    SHIPPING = "shipping"
    REMINDER = "reminder"
    FEEDBACK = "feedback"


def placeholders_of(body: str, field: str = "body") -> frozenset[str]:
    """The placeholders of ``body``; anything but a plain whitelisted ``{name}`` is refused.

    ``{creator.__class__}``, ``{x[0]}``, ``{x!r}``, ``{x:>10}`` and unknown names raise
    ValidationError, so rendering can never reach an object's attributes.
    """
    names: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(body))
    except ValueError as e:
        raise ValidationError(field, body, f"is not a valid template ({e})") from e
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not _NAME.fullmatch(name) or spec or conversion:
            raise ValidationError(
                field, "{" + name + "}", "placeholders must be plain {name}, without . [ ! or :"
            )
        if name not in PLACEHOLDERS:
            raise ValidationError(
                field,
                "{" + name + "}",
                f"is not a known placeholder ({', '.join(sorted(PLACEHOLDERS))})",
            )
        names.add(name)
    return frozenset(names)


def render(body: str, values: Mapping[str, str]) -> str:
    """``body`` with each ``{name}`` replaced by ``values[name]``; a missing value is an error.

    >>> render("Hi {creator_name}, welcome!", {"creator_name": "Léa"})
    'Hi Léa, welcome!'
    """
    needed = placeholders_of(body)
    missing = sorted(n for n in needed if values.get(n) in (None, ""))
    if missing:
        raise ValidationError("template", missing, "has placeholders with no value to fill them")
    parts: list[str] = []
    for literal, name, _spec, _conversion in string.Formatter().parse(body):
        parts.append(literal)
        if name is not None:
            parts.append(str(values[name]))
    return "".join(parts)


def _kind(value: Any) -> TemplateKind:
    return parse_enum(TemplateKind, "kind", value)


def _body(value: Any) -> str:
    text = check_text("body", value, max_length=10_000)
    placeholders_of(text)
    return text


@attrs.define
class MessageTemplate:
    """A brand's reusable message, with placeholders. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    kind: TemplateKind = attrs.field(converter=_kind)
    name: str = attrs.field(converter=name_text)
    body: str = attrs.field(converter=_body)
    version: int = 0

    @property
    def placeholders(self) -> frozenset[str]:
        """The placeholders this template needs."""
        return placeholders_of(self.body)

    def render(self, values: Mapping[str, str]) -> str:
        """The message for ``values``; raises ValidationError if one is missing."""
        return render(self.body, values)


class Author(enum.StrEnum):
    """Who wrote a message."""

    BRAND = "brand"
    CREATOR = "creator"
    SYSTEM = "system"


def _author(value: Any) -> Author:
    return parse_enum(Author, "author", value)


def _message_body(value: Any) -> str:
    return check_text("body", value, max_length=20_000)


def _sent_at(value: Any) -> pendulum.DateTime:
    return check_datetime("sent_at", value)


@attrs.define
class Message:
    """One message of a participation's thread, with its read state on each side. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    participation_id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    creator_id: str = attrs.field(validator=valid_id)
    author: Author = attrs.field(converter=_author)
    body: str = attrs.field(converter=_message_body)
    sent_at: pendulum.DateTime = attrs.field(converter=_sent_at)
    author_id: str | None = None
    read_by_brand_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=in_utc, validator=optional_instant
    )
    read_by_creator_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=in_utc, validator=optional_instant
    )
    version: int = 0
    sequence: int = 0  # its rank in the thread when written (1, 2, …); 0 before it was kept

    @property
    def thread_order(self) -> tuple[pendulum.DateTime, int, str]:
        """Where it stands in its thread: by time, then by order of writing (then id)."""
        return (self.sent_at, self.sequence, self.id)

    @property
    def unread_by_brand(self) -> bool:
        """A creator's message the brand has not read (system notices go to the creator)."""
        return self.author is Author.CREATOR and self.read_by_brand_at is None

    @property
    def unread_by_creator(self) -> bool:
        """A message the creator has not read (its own messages count as read)."""
        return self.author is not Author.CREATOR and self.read_by_creator_at is None
