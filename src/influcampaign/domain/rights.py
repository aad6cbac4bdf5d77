"""Usage rights on a creator's content: where the brand may use it (channels, territories),
from when to when (local dates in the campaign's time zone), exclusively or not, for what fee."""

from __future__ import annotations

import datetime as _dt
import enum
import re
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import (
    check_count,
    check_text,
    check_timezone,
    optional_instant_field,
    parse_enum,
    valid_id,
)
from influcampaign.domain.aggregate import Aggregate
from influcampaign.domain.event import DomainEvent, register
from influcampaign.domain.money import Money
from influcampaign.errors import InvalidTransition, ValidationError

__all__ = [
    "WORLDWIDE",
    "RightsAnswer",
    "UsageChannel",
    "UsageRights",
    "UsageRightsExpiring",
    "UsageRightsGranted",
    "UsageRightsRevoked",
]

WORLDWIDE = "worldwide"
"""The territory that holds every country."""


class UsageChannel(enum.StrEnum):
    """Where the brand uses a creator's content."""

    ORGANIC_REPOST = "organic_repost"
    PAID_ADS = "paid_ads"
    ALLOWLISTING = "allowlisting"  # ads run from the creator's own account
    WEBSITE = "website"
    EMAIL = "email"
    PRINT = "print"


def _channel(value: Any) -> UsageChannel:
    return parse_enum(UsageChannel, "channels", value)


def _channels(values: Any) -> frozenset[UsageChannel]:
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise ValidationError("channels", values, "must be a list of channels")
    channels = frozenset(_channel(v) for v in values)
    if not channels:
        raise ValidationError("channels", [], "must name at least one channel")
    return channels


_COUNTRY = re.compile(r"[A-Z]{2}")


def territory(value: Any) -> str:
    """An ISO 3166 country code (``FR``, any case) or ``worldwide``."""
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and text.lower() == WORLDWIDE:
        return WORLDWIDE
    if not isinstance(text, str) or not _COUNTRY.fullmatch(text.upper()):
        raise ValidationError("territories", value, "must be a country code (FR) or 'worldwide'")
    return text.upper()


def _territories(values: Any) -> tuple[str, ...]:
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise ValidationError("territories", values, "must be a list of country codes")
    found = tuple(sorted({territory(v) for v in values}))
    if not found:
        raise ValidationError("territories", [], "must name at least one territory")
    return found


def _date(field: str, value: Any) -> _dt.date | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise ValidationError(field, value, "must be a date (no time)")
    return _dt.date(value.year, value.month, value.day)


def _starts_on(value: Any) -> _dt.date:
    day = _date("starts_on", value)
    if day is None:
        raise ValidationError("starts_on", value, "is required")
    return day


def _ends_on(value: Any) -> _dt.date | None:
    return _date("ends_on", value)


def _notes(value: Any) -> str:
    return check_text("notes", value, max_length=2_000, allow_empty=True)


def _fee(_instance: Any, _attribute: Any, value: Any) -> None:
    if value is not None and (not isinstance(value, Money) or value.amount < 0):
        raise ValidationError("fee", value, "must be non-negative Money")


def _remind(_instance: Any, _attribute: Any, value: Any) -> None:
    if check_count("remind_days_before", value) > 365:
        raise ValidationError("remind_days_before", value, "must be at most 365")


def _tz(_instance: Any, _attribute: Any, value: Any) -> None:
    check_timezone("timezone", value)


def _local_day(on: Any, timezone: str) -> _dt.date:
    if isinstance(on, _dt.datetime):
        if on.tzinfo is None or on.utcoffset() is None:
            raise ValidationError("on", on, "must be timezone-aware (or a date)")
        local = pendulum.instance(on).in_timezone(timezone)
        return _dt.date(local.year, local.month, local.day)
    if isinstance(on, _dt.date):
        return on
    raise ValidationError("on", on, "must be a date or an aware datetime")


@attrs.frozen
class RightsAnswer:
    """Whether the content may be used so, and why (the rights that allow it, or what is
    missing)."""

    allowed: bool
    reason: str
    rights_id: str | None = None

    def __bool__(self) -> bool:
        return self.allowed


# -- what happens to usage rights (recorded by UsageRights, written to the outbox) -----------


@register
@attrs.frozen(kw_only=True)
class UsageRightsGranted(DomainEvent):
    """A creator granted the brand rights on a content."""

    rights_id: str
    submission_id: str
    campaign_id: str
    creator_id: str
    channels: tuple[str, ...]
    territories: tuple[str, ...]
    starts_on: str
    ends_on: str  # "" when perpetual
    exclusive: bool
    fee: Money | None


@register
@attrs.frozen(kw_only=True)
class UsageRightsRevoked(DomainEvent):
    """Rights were withdrawn before their end, with why."""

    rights_id: str
    submission_id: str
    campaign_id: str
    reason: str


@register
@attrs.frozen(kw_only=True)
class UsageRightsExpiring(DomainEvent):
    """Reminder to the brand: rights on a content end soon (renew them or stop using it)."""

    rights_id: str
    submission_id: str
    campaign_id: str
    creator_id: str
    ends_on: str
    channels: tuple[str, ...]


@attrs.define
class UsageRights(Aggregate):
    """Rights on one content (a submission): channels, territories, the first and last local
    day (inclusive, in ``timezone``; no last day is perpetual), exclusivity and a fee (planned
    as a cost, ``cost_id``). Aggregate."""

    id: str = attrs.field(validator=valid_id)
    submission_id: str = attrs.field(validator=valid_id)
    participation_id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    creator_id: str = attrs.field(validator=valid_id)
    channels: frozenset[UsageChannel] = attrs.field(converter=_channels)
    territories: tuple[str, ...] = attrs.field(converter=_territories)
    starts_on: _dt.date = attrs.field(converter=_starts_on)
    timezone: str = attrs.field(validator=_tz)
    ends_on: _dt.date | None = attrs.field(default=None, converter=_ends_on)
    exclusive: bool = False
    fee: Money | None = attrs.field(default=None, validator=_fee)
    cost_id: str | None = None
    remind_days_before: int = attrs.field(default=14, validator=_remind)
    notes: str = attrs.field(default="", converter=_notes)
    granted_at: pendulum.DateTime | None = optional_instant_field()
    revoked_at: pendulum.DateTime | None = optional_instant_field()
    revoked_reason: str = ""
    reminded_at: pendulum.DateTime | None = optional_instant_field()
    version: int = 0

    def __attrs_post_init__(self) -> None:
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise ValidationError(
                "ends_on", self.ends_on.isoformat(), f"is before starts_on {self.starts_on}"
            )

    @classmethod
    def grant(cls, now: pendulum.DateTime, **fields: Any) -> UsageRights:
        """New rights, recording UsageRightsGranted."""
        rights = cls(**fields, granted_at=now)
        rights.record(
            UsageRightsGranted(
                occurred_at=now,
                rights_id=rights.id,
                submission_id=rights.submission_id,
                campaign_id=rights.campaign_id,
                creator_id=rights.creator_id,
                channels=tuple(sorted(c.value for c in rights.channels)),
                territories=rights.territories,
                starts_on=rights.starts_on.isoformat(),
                ends_on="" if rights.ends_on is None else rights.ends_on.isoformat(),
                exclusive=rights.exclusive,
                fee=rights.fee,
            )
        )
        return rights

    def revoke(self, now: pendulum.DateTime, *, reason: str) -> None:
        """Withdraw the rights from now on, with why."""
        if self.revoked_at is not None:
            raise InvalidTransition("usage rights", self.id, "revoked", "revoke")
        self.revoked_reason = check_text("reason", reason, max_length=2_000)
        self.revoked_at = now
        self.record(
            UsageRightsRevoked(
                occurred_at=now,
                rights_id=self.id,
                submission_id=self.submission_id,
                campaign_id=self.campaign_id,
                reason=self.revoked_reason,
            )
        )

    @staticmethod
    def check_question(
        channel: UsageChannel | str, territory_code: str, on: _dt.date | _dt.datetime
    ) -> None:
        """Raise ValidationError unless the question of :meth:`may_use` is well formed."""
        _channel(channel)
        territory(territory_code)
        _local_day(on, "UTC")

    def local_day(self, on: _dt.date | _dt.datetime) -> _dt.date:
        """The local day of ``on`` in the rights' time zone (a date is taken as it is)."""
        return _local_day(on, self.timezone)

    def may_use(
        self, channel: UsageChannel | str, territory_code: str, on: _dt.date | _dt.datetime
    ) -> RightsAnswer:
        """Whether these rights allow ``channel`` in ``territory_code`` on a day (or at an
        instant, seen in the rights' time zone), and why."""
        wanted = _channel(channel)
        place = territory(territory_code)
        day = self.local_day(on)
        if self.revoked_at is not None and day >= self.local_day(self.revoked_at):
            return RightsAnswer(False, f"rights {self.id} were revoked: {self.revoked_reason}")
        if wanted not in self.channels:
            names = ", ".join(sorted(c.value for c in self.channels))
            return RightsAnswer(False, f"rights {self.id} cover {names}, not {wanted.value}")
        if WORLDWIDE not in self.territories and place not in self.territories:
            names = ", ".join(self.territories)
            return RightsAnswer(False, f"rights {self.id} cover {names}, not {place}")
        if day < self.starts_on:
            return RightsAnswer(False, f"rights {self.id} start on {self.starts_on.isoformat()}")
        if self.ends_on is not None and day > self.ends_on:
            return RightsAnswer(False, f"rights {self.id} ended on {self.ends_on.isoformat()}")
        until = "with no end" if self.ends_on is None else f"until {self.ends_on.isoformat()}"
        return RightsAnswer(
            True, f"rights {self.id}: {wanted.value} in {place} {until}", rights_id=self.id
        )

    def reminder_at(self) -> pendulum.DateTime | None:
        """When the brand is reminded: the start of the local day ``remind_days_before`` the
        last day (None for perpetual rights)."""
        if self.ends_on is None:
            return None
        day = self.ends_on - _dt.timedelta(days=self.remind_days_before)
        day = max(day, self.starts_on)
        local = pendulum.datetime(day.year, day.month, day.day, tz=self.timezone)
        return local.in_timezone("UTC")

    def remind_expiry(self, now: pendulum.DateTime) -> None:
        """Remind the brand that the rights end soon; records UsageRightsExpiring."""
        self.reminded_at = now
        self.record(
            UsageRightsExpiring(
                occurred_at=now,
                rights_id=self.id,
                submission_id=self.submission_id,
                campaign_id=self.campaign_id,
                creator_id=self.creator_id,
                ends_on="" if self.ends_on is None else self.ends_on.isoformat(),
                channels=tuple(sorted(c.value for c in self.channels)),
            )
        )
