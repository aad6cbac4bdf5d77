"""Message templates (safe placeholders) and the messages of a participation's thread."""

from __future__ import annotations

import enum
import re
import string
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import (
    check_datetime,
    check_text,
    name_text,
    optional_instant_field,
    parse_enum,
    valid_id,
)
from influcampaign.domain.aggregate import Aggregate, OfParticipation
from influcampaign.domain.event import DomainEvent, register
from influcampaign.domain.privacy import ERASED, PersonalDataErased
from influcampaign.errors import ValidationError

__all__ = [
    "KIND_PLACEHOLDERS",
    "PLACEHOLDERS",
    "Author",
    "Message",
    "MessageSent",
    "MessageTemplate",
    "MessagesRead",
    "TemplateKind",
    "TemplateSaved",
    "mark_read",
    "check_kind_placeholders",
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
        "delivered_on",
        "reminder_number",
        "message",
        "winner_handle",
        "prize",
        "rules_url",
        "event_name",
        "event_start",
        "event_location",
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
    CONTEST_WINNER = "contest_winner"
    EVENT_REMINDER = "event_reminder"


_ADDRESSED = frozenset({"creator_name", "campaign_name", "brand"})

KIND_PLACEHOLDERS: Mapping[TemplateKind, frozenset[str]] = {
    TemplateKind.ACCEPTANCE: _ADDRESSED | {"message"},
    TemplateKind.REFUSAL: _ADDRESSED | {"message"},
    TemplateKind.WELCOME: _ADDRESSED | {"message"},
    TemplateKind.FEEDBACK: _ADDRESSED | {"message"},
    TemplateKind.SHIPPING: _ADDRESSED | {"carrier", "tracking_url", "tracking_number"},
    TemplateKind.REMINDER: _ADDRESSED | {"reminder_number", "delivered_on"},
    TemplateKind.CONTEST_WINNER: frozenset(
        {"winner_handle", "prize", "campaign_name", "brand", "rules_url"}
    ),
    TemplateKind.EVENT_REMINDER: _ADDRESSED | {"event_name", "event_start", "event_location"},
}
"""The placeholders a template of each kind can be filled with: a reminder is sent by the
scheduler, so it has no brand's ``{message}``; only a shipping message knows the carrier."""


def check_kind_placeholders(kind: TemplateKind, body: str) -> None:
    """Refuse a body using a placeholder its kind is never given (its messages would all
    fail to render, the scheduler's reminders among them)."""
    unfilled = sorted(placeholders_of(body) - KIND_PLACEHOLDERS[kind])
    if unfilled:
        allowed = ", ".join(sorted(KIND_PLACEHOLDERS[kind]))
        raise ValidationError(
            "body",
            "{" + unfilled[0] + "}",
            f"a {kind.value} template is never given it (it may use {allowed})",
        )


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


# -- what happens to templates and messages (recorded by them, written to the outbox) --------


@register
@attrs.frozen(kw_only=True)
class MessageSent(DomainEvent):
    """A message was added to a participation's thread (by the brand, the creator or the system)."""

    message_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    author: str


@register
@attrs.frozen(kw_only=True)
class MessagesRead(DomainEvent):
    """One side read the messages of a thread."""

    participation_id: str
    reader: str
    count: int


@register
@attrs.frozen(kw_only=True)
class TemplateSaved(DomainEvent):
    """A brand created or changed a message template."""

    template_id: str
    brand_id: str
    kind: str


@attrs.define
class MessageTemplate(Aggregate):
    """A brand's reusable message, with placeholders. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    kind: TemplateKind = attrs.field(converter=_kind)
    name: str = attrs.field(converter=name_text)
    body: str = attrs.field(converter=_body)
    version: int = 0

    @classmethod
    def create(cls, now: pendulum.DateTime, **fields: Any) -> MessageTemplate:
        """A new template, recording TemplateSaved."""
        template = cls(**fields)
        check_kind_placeholders(template.kind, template.body)
        template._saved(now)
        return template

    def change(
        self, now: pendulum.DateTime, *, kind: TemplateKind | str, name: str, body: str
    ) -> None:
        """Replace the template's kind, name and body, recording TemplateSaved."""
        checked = MessageTemplate(
            id=self.id, brand_id=self.brand_id, kind=kind, name=name, body=body
        )
        check_kind_placeholders(checked.kind, checked.body)
        self.kind, self.name, self.body = checked.kind, checked.name, checked.body
        self._saved(now)

    def _saved(self, now: pendulum.DateTime) -> None:
        self.record(
            TemplateSaved(
                occurred_at=now, template_id=self.id, brand_id=self.brand_id, kind=self.kind.value
            )
        )

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
class Message(OfParticipation):
    """One message of a participation's thread, with its read state on each side. Aggregate."""

    author: Author = attrs.field(converter=_author)
    body: str = attrs.field(converter=_message_body)
    sent_at: pendulum.DateTime = attrs.field(converter=_sent_at)
    author_id: str | None = None
    read_by_brand_at: pendulum.DateTime | None = optional_instant_field()
    read_by_creator_at: pendulum.DateTime | None = optional_instant_field()
    version: int = 0
    sequence: int = 0  # its rank in the thread when written (1, 2, …); 0 before it was kept

    @classmethod
    def write(
        cls, now: pendulum.DateTime, *, author: Author, sequence: int, **fields: Any
    ) -> Message:
        """A new message of a thread, sent ``now`` (read by its own side), recording
        MessageSent; ``sequence`` is its rank among the thread's messages."""
        author = _author(author)
        message = cls(
            **fields,
            author=author,
            sent_at=now,
            sequence=sequence,
            read_by_brand_at=now if author is Author.BRAND else None,
            read_by_creator_at=now if author is Author.CREATOR else None,
        )
        message.record(
            MessageSent(
                occurred_at=now,
                message_id=message.id,
                **message.event_refs(),
                author=message.author.value,
            )
        )
        return message

    def read_by(self, reader: Author, now: pendulum.DateTime) -> None:
        """Mark the message read by ``reader``'s side (the creator's, else the brand's)."""
        if reader is Author.CREATOR:
            self.read_by_creator_at = now
        else:
            self.read_by_brand_at = now

    def erase(self, now: pendulum.DateTime, reason: str = "erasure") -> bool:
        """Erase its text (on the creator's request, or when the retention policy expired
        it), recording PersonalDataErased; returns False (nothing recorded) when it already is."""
        if self.body == ERASED:
            return False
        self.body = ERASED
        self.record(
            PersonalDataErased(
                occurred_at=now,
                kind="message",
                aggregate_id=self.id,
                creator_id=self.creator_id,
                fields=("body",),
                reason=reason,
            )
        )
        return True

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


def mark_read(messages: Sequence[Message], reader: Author, now: pendulum.DateTime) -> None:
    """Mark the unread ``messages`` of one thread read by ``reader``'s side. A thread is no
    aggregate of its own, so the last message carries MessagesRead (written to the outbox
    with it, after the others); nothing is recorded when there is nothing to read."""
    for message in messages:
        message.read_by(reader, now)
    if messages:
        messages[-1].record(
            MessagesRead(
                occurred_at=now,
                participation_id=messages[-1].participation_id,
                reader=reader.value,
                count=len(messages),
            )
        )
