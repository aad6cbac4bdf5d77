"""Contest entry sources (the :class:`~influcampaign.ports.ContestEntrySource` port): a list
the host fills (the memory adapter) and a comments or likes export in CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping

import attrs
import pendulum

from influcampaign.domain.contest import ContestEntryRecord
from influcampaign.errors import ValidationError

__all__ = ["CsvEntrySource", "ListEntrySource"]


def _records(values: Iterable[ContestEntryRecord]) -> tuple[ContestEntryRecord, ...]:
    records = tuple(values)
    for record in records:
        if not isinstance(record, ContestEntryRecord):
            raise ValidationError("records", record, "must be ContestEntryRecord values")
    return records


@attrs.frozen
class ListEntrySource:
    """Entries the host already holds (a form, a platform's API), as records."""

    records: tuple[ContestEntryRecord, ...] = attrs.field(converter=_records)

    def entries(self) -> Iterable[ContestEntryRecord]:
        """The records, as given."""
        return self.records


_COLUMNS = {
    "handle": ("handle", "username", "user", "author"),
    "entered_at": ("entered_at", "timestamp", "created_at", "date"),
    "platform": ("platform",),
    "post_url": ("post_url", "post", "permalink", "media_url"),
    "country": ("country",),
    "age": ("age", "declared_age"),
    "creator_id": ("creator_id",),
}
"""Our field → the column names exports use for it (the first found is read)."""


@attrs.frozen
class CsvEntrySource:
    """A comments or likes export in CSV: one row per entry, with a header naming at least
    the entrant's handle and the time (ISO 8601 with an offset); ``platform``,
    ``post_url`` and ``creator_id`` fill what the file lacks (an export of one post)."""

    text: str
    platform: str | None = None
    post_url: str | None = None
    creator_id: str | None = None

    def entries(self) -> Iterator[ContestEntryRecord]:
        """The rows as records; a bad row raises ValidationError naming its line."""
        reader = csv.DictReader(io.StringIO(self.text))
        header = {name.strip().lstrip("\ufeff").lower(): name for name in reader.fieldnames or ()}
        columns = {
            field: next((header[n] for n in names if n in header), None)
            for field, names in _COLUMNS.items()
        }
        for needed in ("handle", "entered_at"):
            if columns[needed] is None:
                raise ValidationError("csv", sorted(header), f"has no {needed} column")
        for line, row in enumerate(reader, start=2):
            try:
                yield self._record(row, columns)
            except ValidationError as e:
                raise ValidationError(f"csv line {line}: {e.field}", e.value, e.reason) from e

    def _record(
        self, row: Mapping[str, str], columns: Mapping[str, str | None]
    ) -> ContestEntryRecord:
        def cell(field: str) -> str | None:
            name = columns[field]
            value = None if name is None else (row.get(name) or "").strip()
            return value or None

        moment = cell("entered_at")
        try:
            entered_at = pendulum.parse(moment or "", exact=True, tz=None)
        except ValueError as e:  # pendulum's ParserError is a ValueError
            raise ValidationError("entered_at", moment, "is not an ISO 8601 time") from e
        if not isinstance(entered_at, pendulum.DateTime) or entered_at.tzinfo is None:
            raise ValidationError("entered_at", moment, "needs a date, a time and an offset")
        age = cell("age")
        if age is not None and not age.isdigit():
            raise ValidationError("age", age, "must be a whole number")
        return ContestEntryRecord(
            handle=cell("handle"),
            platform=cell("platform") or self.platform,
            entered_at=entered_at,
            post_url=cell("post_url") or self.post_url,
            country=cell("country"),
            age=None if age is None else int(age),
            creator_id=cell("creator_id") or self.creator_id,
        )
