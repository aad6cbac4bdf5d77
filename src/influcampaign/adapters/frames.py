"""Reports as pandas or polars DataFrames (the ``frames`` extra), with exact decimals.

pandas keeps :class:`~decimal.Decimal` values in ``object`` columns (no float on the way);
polars stores them in its ``Decimal`` type at the largest scale of the column.
"""

from __future__ import annotations

import datetime as _dt
import importlib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from influcampaign.errors import ValidationError

__all__ = ["as_floats", "to_frame", "to_pandas", "to_polars"]


def _columns(records: Sequence[Mapping[str, Any]]) -> list[str]:
    columns: dict[str, None] = {}
    for row in records:
        columns.update(dict.fromkeys(row))
    return list(columns)


def _library(name: str) -> Any:
    """The DataFrame library ``name`` (imported on first use), or an ImportError saying which
    extra brings it."""
    try:
        return importlib.import_module(name)
    except ImportError as e:  # pragma: no cover - the frames extra is installed in CI
        raise ImportError(
            "DataFrames need the frames extra: pip install influcampaign[frames]"
        ) from e


def to_pandas(records: Sequence[Mapping[str, Any]]) -> Any:
    """A pandas DataFrame of ``records``; Decimal columns stay exact (``object`` dtype)."""
    pd = _library("pandas")
    columns = _columns(records)
    data = {c: [row.get(c) for row in records] for c in columns}
    frame = pd.DataFrame({c: pd.Series(v, dtype=_pandas_dtype(v)) for c, v in data.items()})
    return frame.reindex(columns=columns)


def _pandas_dtype(values: list[Any]) -> str | None:
    known = [v for v in values if v is not None]
    if any(isinstance(v, Decimal | _dt.date) for v in known):
        return "object"
    if known and all(isinstance(v, bool) for v in known):
        return "boolean"
    if known and all(isinstance(v, int) and not isinstance(v, bool) for v in known):
        return "Int64"
    return None


def to_polars(records: Sequence[Mapping[str, Any]]) -> Any:
    """A polars DataFrame of ``records``; Decimal columns use polars' Decimal type."""
    pl = _library("polars")
    columns = _columns(records)
    schema: dict[str, Any] = {}
    for c in columns:
        values = [v for row in records if (v := row.get(c)) is not None]
        decimals = [v for v in values if isinstance(v, Decimal)]
        if decimals and len(decimals) == len(values):
            scale = max(max(-int(v.as_tuple().exponent), 0) for v in decimals)
            schema[c] = pl.Decimal(38, scale)
    data = {c: [row.get(c) for row in records] for c in columns}
    return pl.DataFrame(data, schema_overrides=schema, strict=False)


def as_floats(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``records`` with every Decimal as a float: numeric columns for ``describe()``, plots
    and statistics (amounts are no longer exact: for analysis, not for accounts)."""
    return [
        {k: float(v) if isinstance(v, Decimal) else v for k, v in row.items()} for row in records
    ]


def to_frame(
    records: Sequence[Mapping[str, Any]], library: str = "pandas", *, floats: bool = False
) -> Any:
    """``records`` as a DataFrame of ``library`` (``pandas`` or ``polars``); with
    ``floats=True``, Decimal columns become float columns (numeric for ``describe()``)."""
    if floats:
        records = as_floats(records)
    if library == "pandas":
        return to_pandas(records)
    if library == "polars":
        return to_polars(records)
    raise ValidationError("library", library, "must be 'pandas' or 'polars'")
