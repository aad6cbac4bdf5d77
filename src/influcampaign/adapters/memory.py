"""The in-memory store: the reference backend, and the fake for host test suites.

Aggregates are kept as serialised documents, so callers never share mutable state with the
store, and anything the SQL backends could not store fails here too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

import attrs

from influcampaign.adapters._aggregates import (
    SPECS,
    AggregateSpec,
    Repositories,
    redact_document,
    storable_document,
)
from influcampaign.adapters.ids import RandomIds
from influcampaign.domain._validate import check_storable
from influcampaign.domain.aggregate import pull_events
from influcampaign.domain.events import DomainEvent
from influcampaign.errors import AlreadyExists, ConcurrencyConflict, NotFound, StorageError
from influcampaign.ports import (
    IdGenerator,
    OutboxMessage,
)
from influcampaign.serialization import make_converter

__all__ = ["MemoryStore"]

T = TypeVar("T")


@attrs.frozen
class _Row:
    version: int
    doc: dict[str, Any]
    index: dict[str, Any]


@attrs.define
class _OutboxRow:
    id: str
    position: int
    doc: dict[str, Any]
    delivered: bool = False


class MemoryStore:
    """A store held in this process's memory; thread-safe, transactional, versioned."""

    def __init__(self, *, ids: IdGenerator | None = None) -> None:
        self._converter = make_converter()
        self._ids = ids or RandomIds()
        self._lock = threading.RLock()
        self._tables: dict[str, dict[str, _Row]] = {spec.kind: {} for spec in SPECS}
        self._outbox: list[_OutboxRow] = []
        self.outbox = MemoryOutbox(self)

    def unit_of_work(self, *, read_only: bool = False) -> MemoryUnitOfWork:
        """A new unit of work; use it as a context manager."""
        return MemoryUnitOfWork(self, read_only=read_only)

    def migrate(self) -> int:
        """Nothing to create; returns the SQL schema version this store mirrors."""
        from influcampaign.adapters.sql_schema import LATEST_VERSION  # lazy: SQLAlchemy

        return LATEST_VERSION

    def close(self) -> None:
        """Nothing to release."""

    def __repr__(self) -> str:
        return "MemoryStore()"


class MemoryOutbox:
    """The outbox of a MemoryStore."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def _message(self, row: _OutboxRow) -> OutboxMessage:
        event = self._store._converter.structure(row.doc, DomainEvent)
        return OutboxMessage(id=row.id, position=row.position, event=event)

    def pending(self, limit: int = 100) -> list[OutboxMessage]:
        """Undelivered messages, oldest first."""
        with self._store._lock:
            rows = [r for r in self._store._outbox if not r.delivered][:limit]
        return [self._message(r) for r in rows]

    def mark_delivered(self, ids: Sequence[str]) -> None:
        """Mark messages delivered; unknown ids are ignored."""
        wanted = set(ids)
        with self._store._lock:
            for row in self._store._outbox:
                if row.id in wanted:
                    row.delivered = True

    def all(self) -> Iterator[OutboxMessage]:
        """Every message, oldest first."""
        with self._store._lock:
            rows = list(self._store._outbox)
        return (self._message(r) for r in rows)


def _order_key(value: Any) -> tuple[bool, Any]:
    """None last, then by value (the empty string and 0 included), as SQL orders them."""
    return (value is None, 0 if value is None else value)


class MemoryRepository(Generic[T]):
    """A repository of one aggregate kind inside a memory unit of work."""

    def __init__(self, uow: MemoryUnitOfWork, spec: AggregateSpec[T]) -> None:
        self._uow = uow
        self._spec = spec

    def _row(self, id: str) -> _Row | None:
        staged = self._uow._staged[self._spec.kind]
        if id in staged:
            return staged[id]
        return self._uow._store._tables[self._spec.kind].get(id)

    def _load(self, row: _Row) -> T:
        aggregate = self._uow._store._converter.structure(row.doc, self._spec.cls)
        aggregate.version = row.version  # type: ignore[attr-defined]
        return aggregate

    def get(self, id: str) -> T:
        """The aggregate with this id; raises NotFound."""
        row = self._row(id)
        if row is None:
            raise NotFound(self._spec.kind, id)
        return self._load(row)

    def exists(self, id: str) -> bool:
        """Whether an aggregate with this id is stored."""
        return self._row(id) is not None

    def _matching(self, equals: dict[str, Any], at_most: Mapping[str, Any] | None) -> list[_Row]:
        self._spec.check_filters(equals, at_most)
        rows = dict(self._uow._store._tables[self._spec.kind])
        rows.update(self._uow._staged[self._spec.kind])
        bounds = dict(at_most or {})
        return [
            row
            for row in rows.values()
            if all(row.index[k] == v for k, v in equals.items())
            and all(row.index[k] is not None and row.index[k] <= v for k, v in bounds.items())
        ]

    def find(
        self,
        *,
        limit: int | None = None,
        order_by: str | None = None,
        at_most: Mapping[str, Any] | None = None,
        **equals: Any,
    ) -> list[T]:
        """Aggregates matching every filter, ordered by ``order_by`` (an indexed field) then id."""
        found = self._matching(equals, at_most)
        if order_by is not None:
            self._spec.check_filters({order_by: None})
            found.sort(key=lambda r: (*_order_key(r.index[order_by]), r.doc["id"]))
        else:
            found.sort(key=lambda r: str(r.doc["id"]))
        return [self._load(r) for r in found[:limit]]

    def count(self, *, at_most: Mapping[str, Any] | None = None, **equals: Any) -> int:
        """How many aggregates match every filter."""
        return len(self._matching(equals, at_most))

    def _row_of(self, aggregate: T, version: int) -> _Row:
        store = self._uow._store
        doc = storable_document(store._converter, aggregate)
        doc["version"] = version
        return _Row(version, doc, self._spec.index_values(aggregate))

    def _stage(self, aggregate: T, row: _Row, expected: int | None) -> None:
        id: str = aggregate.id  # type: ignore[attr-defined]
        holder = self._uow._holder_of_unique(self._spec, id, row.index)
        if holder is not None:
            raise AlreadyExists(self._spec.kind, holder)
        base = self._uow._base[self._spec.kind]
        if id not in base:
            base[id] = expected
        self._uow._staged[self._spec.kind][id] = row
        aggregate.version = row.version  # type: ignore[attr-defined]

    def add(self, aggregate: T) -> None:
        """Store a new aggregate; raises AlreadyExists (its id, or a unique key, is taken)."""
        self._uow._writable()
        id: str = aggregate.id  # type: ignore[attr-defined]
        row = self._row_of(aggregate, 1)
        if self._row(id) is not None:
            raise AlreadyExists(self._spec.kind, id)
        self._stage(aggregate, row, None)
        self._uow.emit(*pull_events(aggregate))

    def get_many(self, ids: Sequence[str]) -> dict[str, T]:
        """The stored aggregates among ``ids``, by id."""
        rows = {id: self._row(id) for id in dict.fromkeys(ids)}
        return {id: self._load(row) for id, row in rows.items() if row is not None}

    def add_many(self, aggregates: Sequence[T]) -> None:
        """Store new aggregates; raises AlreadyExists, storing none, if one is taken."""
        self._uow._writable()
        rows = [(a, self._row_of(a, 1)) for a in aggregates]
        seen: set[str] = set()
        for aggregate, _row in rows:
            id: str = aggregate.id  # type: ignore[attr-defined]
            if id in seen or self._row(id) is not None:
                raise AlreadyExists(self._spec.kind, id)
            seen.add(id)
        staged = dict(self._uow._staged[self._spec.kind])
        base = dict(self._uow._base[self._spec.kind])
        try:
            for aggregate, row in rows:
                self._stage(aggregate, row, None)
        except AlreadyExists:
            self._uow._staged[self._spec.kind] = staged
            self._uow._base[self._spec.kind] = base
            for aggregate, _row in rows:
                aggregate.version = 0  # type: ignore[attr-defined]
            raise
        self._uow.emit(*(e for aggregate, _row in rows for e in pull_events(aggregate)))

    def save(self, aggregate: T) -> None:
        """Store a changed aggregate; raises ConcurrencyConflict if it is stale, AlreadyExists
        if it now takes a unique key another aggregate holds."""
        self._uow._writable()
        id: str = aggregate.id  # type: ignore[attr-defined]
        expected: int = aggregate.version  # type: ignore[attr-defined]
        new = self._row_of(aggregate, expected + 1)
        row = self._row(id)
        if row is None or row.version != expected:
            raise ConcurrencyConflict(
                self._spec.kind, id, expected, None if row is None else row.version
            )
        committed = self._uow._store._tables[self._spec.kind].get(id)
        self._stage(aggregate, new, None if committed is None else committed.version)
        self._uow.emit(*pull_events(aggregate))


class MemoryUnitOfWork(Repositories):
    """A transaction over a MemoryStore: writes are staged and applied atomically on commit."""

    def __init__(self, store: MemoryStore, *, read_only: bool = False) -> None:
        self._store = store
        self._read_only = read_only
        self._staged: dict[str, dict[str, _Row]] = {}
        self._base: dict[str, dict[str, int | None]] = {}
        self._events: list[DomainEvent] = []
        self._redactions: list[tuple[frozenset[str], frozenset[str]]] = []
        self._reset()
        self._open_repositories(MemoryRepository, self)

    def _holder_of_unique(
        self, spec: AggregateSpec[Any], id: str, index: Mapping[str, Any]
    ) -> str | None:
        """The id of another aggregate (committed, or staged here) holding one of the unique
        keys in ``index``."""
        for name in spec.unique:
            if index[name] is None:
                continue
            rows = {**self._store._tables[spec.kind], **self._staged[spec.kind]}
            for other, row in rows.items():
                if other != id and row.index[name] == index[name]:
                    return other
        return None

    def _reset(self) -> None:
        self._staged = {spec.kind: {} for spec in SPECS}
        self._base = {spec.kind: {} for spec in SPECS}
        self._events = []
        self._redactions = []

    def _writable(self) -> None:
        if self._read_only:
            raise StorageError("this unit of work is read-only")

    def __enter__(self) -> MemoryUnitOfWork:
        return self

    def __exit__(self, *exc: object) -> None:
        self.rollback()

    def emit(self, *events: DomainEvent) -> None:
        """Stage events for the outbox."""
        if events:
            self._writable()
        for event in events:
            doc = self._store._converter.unstructure(event, DomainEvent)
            check_storable(type(event).__name__, doc)
        self._events.extend(events)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo only this block's writes if it raises."""
        staged = {kind: dict(rows) for kind, rows in self._staged.items()}
        base = {kind: dict(rows) for kind, rows in self._base.items()}
        events = list(self._events)
        redactions = list(self._redactions)
        try:
            yield
        except BaseException:
            self._staged, self._base, self._events = staged, base, events
            self._redactions = redactions
            raise

    def redact_outbox(self, ids: frozenset[str], personal: frozenset[str]) -> int:
        """Replace ``personal`` strings in the outbox events mentioning ``ids``, at commit
        (those committed so far and those this unit writes); returns how many change."""
        self._writable()
        self._redactions.append((frozenset(ids), frozenset(personal)))
        with self._store._lock:
            committed = [r.doc for r in self._store._outbox]
        staged = [self._store._converter.unstructure(e, DomainEvent) for e in self._events]
        return sum(redact_document(doc, ids, personal) is not None for doc in committed + staged)

    def commit(self) -> None:
        """Apply every staged write at once, after checking no one else changed the same rows."""
        store = self._store
        with store._lock:
            for kind, bases in self._base.items():
                table = store._tables[kind]
                for id, expected in bases.items():
                    current = table.get(id)
                    actual = None if current is None else current.version
                    if actual != expected:
                        if expected is None:
                            raise AlreadyExists(kind, id)
                        raise ConcurrencyConflict(kind, id, expected, actual)
            for spec in SPECS:
                for id, row in self._staged[spec.kind].items():
                    holder = self._holder_of_committed(spec, id, row)
                    if holder is not None:
                        raise AlreadyExists(spec.kind, holder)
            for kind, rows in self._staged.items():
                store._tables[kind].update(rows)
            for event in self._events:
                doc = store._converter.unstructure(event, DomainEvent)
                store._outbox.append(_OutboxRow(store._ids.new("evt"), len(store._outbox) + 1, doc))
            for ids, personal in self._redactions:
                for outbox_row in store._outbox:
                    redacted = redact_document(outbox_row.doc, ids, personal)
                    if redacted is not None:
                        outbox_row.doc = redacted
        self._reset()

    def rollback(self) -> None:
        """Forget staged writes."""
        self._reset()

    def _holder_of_committed(self, spec: AggregateSpec[Any], id: str, row: _Row) -> str | None:
        """At commit, under the store's lock: another committed aggregate that this unit did
        not change and that holds one of ``row``'s unique keys (a concurrent unit got there
        first)."""
        staged = self._staged[spec.kind]
        for name in spec.unique:
            if row.index[name] is None:
                continue
            for other, committed in self._store._tables[spec.kind].items():
                if other != id and other not in staged and committed.index[name] == row.index[name]:
                    return other
        return None
