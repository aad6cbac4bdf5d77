"""Exchanges (issue 17): the brand's log of its contacts with a creator outside the message
thread (a call, an email, a meeting, a note), with who had them and when. They hold personal
data: the privacy export includes them and erasure erases their text."""

from __future__ import annotations

import enum
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import (
    check_datetime,
    check_text,
    optional_instant_field,
    parse_enum,
    valid_id,
)
from influcampaign.domain.aggregate import Aggregate
from influcampaign.domain.event import DomainEvent, register
from influcampaign.domain.privacy import ERASED, PersonalDataErased
from influcampaign.errors import ValidationError

__all__ = ["Exchange", "ExchangeChannel", "ExchangeLogged"]


class ExchangeChannel(enum.StrEnum):
    """How the brand was in contact with the creator, outside the thread."""

    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    NOTE = "note"


def _channel(value: Any) -> ExchangeChannel:
    return parse_enum(ExchangeChannel, "channel", value)


def _summary(value: Any) -> str:
    return check_text("summary", value, max_length=5_000)


def _by(value: Any) -> str:
    return check_text("by", value, max_length=200)


def _contact(value: Any) -> str:
    return check_text("contact", value, max_length=200, allow_empty=True)


def _happened(value: Any) -> pendulum.DateTime:
    return check_datetime("happened_at", value)


@register
@attrs.frozen(kw_only=True)
class ExchangeLogged(DomainEvent):
    """The brand logged a contact with a creator (its text stays out of the event)."""

    exchange_id: str
    brand_id: str
    creator_id: str
    campaign_id: str | None
    channel: str
    by: str
    happened_at: pendulum.DateTime


@attrs.define
class Exchange(Aggregate):
    """One contact of the brand with a creator outside the thread: its ``channel``, who of
    the brand had it (``by``), whom on the creator's side (``contact``: the creator itself
    when empty, else e.g. its agent), when it happened, what was said (``summary``), and
    optionally the campaign it was about. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    creator_id: str = attrs.field(validator=valid_id)
    channel: ExchangeChannel = attrs.field(converter=_channel)
    summary: str = attrs.field(converter=_summary)
    by: str = attrs.field(converter=_by)
    happened_at: pendulum.DateTime = attrs.field(converter=_happened)
    contact: str = attrs.field(default="", converter=_contact)
    campaign_id: str | None = None
    logged_by: str = ""
    logged_at: pendulum.DateTime | None = optional_instant_field()
    version: int = 0

    @classmethod
    def log(cls, now: pendulum.DateTime, **fields: Any) -> Exchange:
        """A new entry of the log, recording ExchangeLogged; a contact cannot have happened
        after ``now``."""
        exchange = cls(**fields, logged_at=now)
        if exchange.happened_at > now:
            raise ValidationError(
                "happened_at", exchange.happened_at.isoformat(), f"is after now ({now})"
            )
        exchange.record(
            ExchangeLogged(
                occurred_at=now,
                exchange_id=exchange.id,
                brand_id=exchange.brand_id,
                creator_id=exchange.creator_id,
                campaign_id=exchange.campaign_id,
                channel=exchange.channel.value,
                by=exchange.by,
                happened_at=exchange.happened_at,
            )
        )
        return exchange

    def erase(self, now: pendulum.DateTime, reason: str = "erasure") -> bool:
        """Erase what was said and whom it was with, recording PersonalDataErased; returns
        False (nothing recorded) when it already is."""
        if self.summary == ERASED and self.contact in ("", ERASED):
            return False
        fields = ("summary", "contact") if self.contact else ("summary",)
        self.summary = ERASED
        if self.contact:
            self.contact = ERASED
        self.record(
            PersonalDataErased(
                occurred_at=now,
                kind="exchange",
                aggregate_id=self.id,
                creator_id=self.creator_id,
                fields=fields,
                reason=reason,
            )
        )
        return True
