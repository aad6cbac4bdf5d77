"""One cattrs converter for every public type, to and from JSON-compatible values.

Datetimes are ISO 8601 strings with their offset (stored in UTC), local dates and times
are ISO 8601 without one, money is
``{"amount": "12.30", "currency": "EUR"}``, enums are their values, sets are sorted lists,
and events are a tagged union keyed by ``"type"``.
"""

from __future__ import annotations

import datetime as _dt
import enum
from decimal import Decimal, InvalidOperation
from typing import Any, Union

import cattrs
import pendulum
from cattrs.strategies import configure_tagged_union

from influcampaign.domain.events import DomainEvent, event_types
from influcampaign.domain.money import Money
from influcampaign.errors import ValidationError

__all__ = ["from_json", "make_converter", "to_json"]


def _structure_datetime(value: Any, _type: Any) -> pendulum.DateTime:
    if isinstance(value, _dt.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = _dt.datetime.fromisoformat(value)
        except ValueError as e:
            raise ValidationError("datetime", value, "is not an ISO 8601 datetime") from e
    else:
        raise ValidationError("datetime", value, "must be an ISO 8601 string")
    if moment.tzinfo is None:
        raise ValidationError("datetime", value, "must carry a UTC offset")
    return pendulum.instance(moment).in_timezone("UTC")


def _structure_date(value: Any, _type: Any) -> _dt.date:
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    try:
        return _dt.date.fromisoformat(value)
    except (TypeError, ValueError) as e:
        raise ValidationError("date", value, "is not an ISO 8601 date (YYYY-MM-DD)") from e


def _structure_time(value: Any, _type: Any) -> _dt.time:
    if isinstance(value, _dt.time):
        return value
    try:
        moment = _dt.time.fromisoformat(value)
    except (TypeError, ValueError) as e:
        raise ValidationError("time", value, "is not an ISO 8601 time (HH:MM:SS)") from e
    if moment.tzinfo is not None:
        raise ValidationError("time", value, "must be a local time without an offset")
    return moment


def _structure_decimal(value: Any, _type: Any) -> Decimal:
    if isinstance(value, bool | float):
        raise ValidationError("decimal", value, "must be a decimal string, not a float")
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError) as e:
        raise ValidationError("decimal", value, "is not a decimal number") from e


def _structure_money(value: Any, _type: Any) -> Money:
    if not isinstance(value, dict) or set(value) != {"amount", "currency"}:
        raise ValidationError("money", value, "must be {'amount': '…', 'currency': '…'}")
    if not isinstance(value["amount"], str):
        raise ValidationError("money.amount", value["amount"], "must be a decimal string")
    return Money.parse(value["amount"], value["currency"], field="money.amount")


def make_converter() -> cattrs.Converter:
    """A new converter for every influcampaign type (never the global one)."""
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_unstructure_hook(
        pendulum.DateTime, lambda d: d.in_timezone("UTC").isoformat()
    )
    converter.register_structure_hook(pendulum.DateTime, _structure_datetime)
    converter.register_unstructure_hook(_dt.date, lambda d: d.isoformat())
    converter.register_structure_hook(_dt.date, _structure_date)
    converter.register_unstructure_hook(_dt.time, lambda t: t.isoformat())
    converter.register_structure_hook(_dt.time, _structure_time)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_unstructure_hook(
        Money, lambda m: {"amount": str(m.amount), "currency": m.currency}
    )
    converter.register_structure_hook(Money, _structure_money)
    # StrEnum before str in the MRO: without this, str's identity hook would win.
    converter.register_unstructure_hook(enum.StrEnum, lambda e: e.value)
    converter.register_unstructure_hook(enum.Enum, lambda e: e.value)
    converter.register_unstructure_hook_func(
        lambda t: getattr(t, "__origin__", None) is frozenset,
        lambda s: sorted(converter.unstructure(v) for v in s),
    )
    converter.register_unstructure_hook_func(
        lambda t: getattr(t, "__origin__", None) is tuple,
        lambda s: [converter.unstructure(v) for v in s],
    )
    events = tuple(event_types().values())
    # A Union built from the registry at run time (so mypy cannot see it as a type).
    union: Any = Union[events]  # noqa: UP007
    configure_tagged_union(union, converter, tag_name="type")
    converter.register_unstructure_hook(DomainEvent, lambda e: converter.unstructure(e, union))
    converter.register_structure_hook(DomainEvent, lambda v, _t: converter.structure(v, union))
    return converter


def to_json(value: Any, converter: cattrs.Converter | None = None) -> Any:
    """``value`` as JSON-compatible dicts, lists and strings."""
    return (converter or make_converter()).unstructure(value)


def from_json(data: Any, type_: type[Any], converter: cattrs.Converter | None = None) -> Any:
    """A ``type_`` from JSON-compatible data; malformed data raises ValidationError."""
    try:
        return (converter or make_converter()).structure(data, type_)
    except cattrs.BaseValidationError as e:
        raise ValidationError(type_.__name__, data, _describe(e)) from e


def _describe(error: cattrs.BaseValidationError) -> str:
    try:
        from cattrs import transform_error

        return "; ".join(transform_error(error))
    except Exception:  # pragma: no cover - transform_error is best effort
        return str(error)
