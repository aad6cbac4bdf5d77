"""Small validators shared by the domain objects; each raises ValidationError naming the field."""

from __future__ import annotations

import calendar
import datetime as _dt
import enum
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import attrs
import pendulum

from influcampaign.errors import ValidationError

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")


def check_id(field: str, value: Any) -> str:
    """An id: 1-128 characters, letters, digits and ``_ . : -``, starting with a letter or digit."""
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ValidationError(field, value, "must be an id of letters, digits, '_', '.', ':', '-'")
    return value


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""NUL and lone surrogates: no database influcampaign runs on can store them (PostgreSQL
refuses NUL in text and JSONB, and no UTF-8 encoder takes a lone surrogate)."""


def check_storable(field: str, value: Any) -> None:
    """Refuse any string inside ``value`` (a document of dicts, lists and scalars) holding a
    character no backend can store, naming the field where it sits (``Creator.handles.x``)."""
    if isinstance(value, str):
        if _UNSTORABLE.search(value):
            raise ValidationError(
                field, value, "holds a character no database can store (NUL or a lone surrogate)"
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            check_storable(f"{field}.{key}", key)
            check_storable(f"{field}.{key}", item)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            check_storable(f"{field}[{i}]", item)


def check_text(field: str, value: Any, *, max_length: int = 200, allow_empty: bool = False) -> str:
    """A stripped, non-empty (unless allowed) string of bounded length, storable everywhere."""
    if not isinstance(value, str):
        raise ValidationError(field, value, "must be a string")
    check_storable(field, value)
    text = value.strip()
    if not text and not allow_empty:
        raise ValidationError(field, value, "must not be empty")
    if len(text) > max_length:
        raise ValidationError(field, value, f"must be at most {max_length} characters")
    return text


def check_count(field: str, value: Any) -> int:
    """A non-negative integer (bool is refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(field, value, "must be a non-negative integer")
    return value


def check_datetime(field: str, value: Any) -> pendulum.DateTime:
    """An aware datetime, returned as a pendulum DateTime in UTC; naive datetimes are refused."""
    if not isinstance(value, _dt.datetime):
        raise ValidationError(field, value, "must be a datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(field, value, "must be timezone-aware")
    if isinstance(value, pendulum.DateTime) and value.timezone_name == "UTC":
        return value
    return pendulum.instance(value).in_timezone("UTC")


def check_timezone(field: str, value: Any) -> str:
    """An IANA time zone name such as ``Europe/Paris``."""
    if not isinstance(value, str) or not value:
        raise ValidationError(field, value, "must be an IANA time zone name")
    try:
        pendulum.timezone(value)
    except Exception as e:
        raise ValidationError(field, value, "is not a known IANA time zone") from e
    return value


def unique_tuple(field: str, values: Iterable[str]) -> tuple[str, ...]:
    """Keep the first occurrence of each value, in order."""
    if isinstance(values, str):
        raise ValidationError(field, values, "must be a collection of strings, not one string")
    return tuple(dict.fromkeys(values))


def int_tuple(values: Iterable[int]) -> tuple[int, ...]:
    """``tuple`` as a typed attrs converter (mypy reads a bare ``tuple`` as ``Iterable[_T_co]``)."""
    return tuple(values)


def str_frozenset(values: Iterable[str]) -> frozenset[str]:
    """``frozenset`` as a typed attrs converter (mypy reads a bare one as ``Iterable[_T_co]``)."""
    return frozenset(values)


def parse_enum(cls: type[E], field: str, value: Any) -> E:
    """``value`` as a member of ``cls``; unknown values raise a ValidationError naming ``field``."""
    if isinstance(value, cls):
        return value
    try:
        return cls(value)
    except ValueError:
        known = ", ".join(str(m.value) for m in cls)
        raise ValidationError(field, value, f"must be one of: {known}") from None


def from_fields(cls: type[T], field: str, value: Any, noun: str) -> T:
    """``value`` as a ``cls`` (an attrs class): itself, or a mapping of its field names to
    values; another type, or a name that is not a field, raises a ValidationError."""
    if isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        raise ValidationError(field, value, f"must be {cls.__name__} or a mapping of {noun}s")
    known = sorted(f.name for f in attrs.fields(cls))  # type: ignore[arg-type]
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise ValidationError(field, unknown[0], f"is not a {noun} ({', '.join(known)})")
    return cls(**value)


def valid_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: the field holds an id (see :func:`check_id`)."""
    check_id(f"{type(instance).__name__}.{attribute.name}", value)


def in_utc(value: Any) -> Any:
    """attrs converter of an optional instant: an aware datetime becomes a pendulum DateTime
    in UTC; anything else is left for :func:`optional_instant` to refuse, naming its field."""
    aware = isinstance(value, _dt.datetime) and value.utcoffset() is not None
    return check_datetime("value", value) if aware else value


def optional_instant(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator of an optional instant: None or an aware datetime; the error names
    the attribute it guards (so one shared validator never reports another field's name).

    Use both, as :func:`optional_instant_field` does.
    """
    if value is not None:
        check_datetime(attribute.name, value)


def optional_instant_field() -> Any:
    """An attrs field holding None (the default) or an instant, kept in UTC (converted by
    :func:`in_utc`, checked by :func:`optional_instant`)."""
    return attrs.field(default=None, converter=in_utc, validator=optional_instant)


def name_text(value: Any) -> str:
    """attrs converter: a display name (stripped, 1-200 characters)."""
    return check_text("name", value)


def to_micros(moment: pendulum.DateTime | None) -> int | None:
    """An instant as integer microseconds since the epoch (for indexed, sortable columns)."""
    if moment is None:
        return None
    return calendar.timegm(moment.utctimetuple()) * 1_000_000 + moment.microsecond
