"""The units of work, repositories and outbox of an SqlStore: one transaction each, every
write checking the aggregate's version."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import sqlalchemy as sa

from influcampaign.adapters._aggregates import AggregateSpec, Repositories, storable_document
from influcampaign.adapters.sql_errors import _translated
from influcampaign.domain._validate import check_storable, to_micros
from influcampaign.domain.aggregate import pull_events
from influcampaign.domain.events import DomainEvent
from influcampaign.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    CorruptDocument,
    NotFound,
    StorageError,
)
from influcampaign.ports import OutboxMessage

if TYPE_CHECKING:
    from influcampaign.adapters.sql import SqlStore

T = TypeVar("T")

_READ_ONLY = "influcampaign_read_only"


@contextmanager
def _begin(conn: sa.Connection) -> Iterator[None]:
    """A transaction on a pooled connection (a bound one is already inside a savepoint)."""
    if conn.in_transaction():
        yield
        return
    with conn.begin():
        yield


class SqlOutbox:
    """The outbox table of an SqlStore."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    @property
    def _table(self) -> sa.Table:
        return self._store._tables.tables["ic_outbox"]

    def _message(self, row: Any) -> OutboxMessage:
        try:
            event = self._store._converter.structure(_document(row.payload), DomainEvent)
        except Exception as e:
            raise CorruptDocument("event", row.id, str(e)) from e
        return OutboxMessage(id=row.id, position=row.position, event=event)

    def _read(self, query: Any) -> list[OutboxMessage]:
        self._store._check_schema()
        with _translated("reading the outbox"), self._store._connect(read_only=True) as conn:
            rows = conn.execute(query).all()
        return [self._message(r) for r in rows]

    def pending(self, limit: int = 100) -> list[OutboxMessage]:
        """Undelivered messages, oldest first (a reader: it never waits for a writer)."""
        t = self._table
        return self._read(
            sa.select(t.c.id, t.c.position, _raw(t.c.payload))
            .where(t.c.delivered == sa.false())
            .order_by(t.c.position)
            .limit(limit)
        )

    def mark_delivered(self, ids: Sequence[str]) -> None:
        """Mark messages delivered; unknown ids are ignored."""
        if not ids:
            return
        t = self._table
        self._store._check_schema()
        with (
            _translated("updating the outbox"),
            self._store._connect(read_only=False) as conn,
            _begin(conn),
        ):
            conn.execute(sa.update(t).where(t.c.id.in_(list(ids))).values(delivered=True))

    def all(self) -> Iterator[OutboxMessage]:
        """Every message, oldest first."""
        t = self._table
        return iter(
            self._read(sa.select(t.c.id, t.c.position, _raw(t.c.payload)).order_by(t.c.position))
        )


def _raw(column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """A JSON column read without the driver's parsing (a damaged document must be reported
    as such, naming its aggregate, not raise a bare JSON error)."""
    return sa.type_coerce(column, sa.Text).label(column.name)


def _document(value: Any) -> dict[str, Any]:
    """A stored document: PostgreSQL's JSONB arrives parsed, SQLite's JSON as text."""
    doc = json.loads(value) if isinstance(value, str | bytes) else value
    if not isinstance(doc, dict):
        raise ValueError(f"a document must be a JSON object, not {type(doc).__name__}")
    return doc


class SqlRepository(Generic[T]):
    """A repository of one aggregate kind inside an SQL unit of work."""

    def __init__(self, uow: SqlUnitOfWork, spec: AggregateSpec[T]) -> None:
        self._uow = uow
        self._spec = spec
        self._table = uow._store._tables.tables[spec.table]

    def _load(self, row: Any) -> T:
        try:
            aggregate = self._uow._store._converter.structure(_document(row.doc), self._spec.cls)
        except Exception as e:
            raise CorruptDocument(self._spec.kind, row.id, str(e)) from e
        aggregate.version = row.version  # type: ignore[attr-defined]
        return aggregate

    def _select(self) -> Any:
        t = self._table
        return sa.select(t.c.id, t.c.version, _raw(t.c.doc))

    def get(self, id: str) -> T:
        """The aggregate with this id; raises NotFound."""
        t = self._table
        with _translated(f"reading {self._spec.kind} {id!r}"):
            row = self._uow._conn().execute(self._select().where(t.c.id == id)).first()
        if row is None:
            raise NotFound(self._spec.kind, id)
        return self._load(row)

    def exists(self, id: str) -> bool:
        """Whether an aggregate with this id is stored."""
        t = self._table
        with _translated(f"reading {self._spec.kind} {id!r}"):
            return (
                self._uow._conn().execute(sa.select(t.c.version).where(t.c.id == id)).first()
                is not None
            )

    def _where(self, query: Any, equals: dict[str, Any], at_most: Mapping[str, Any] | None) -> Any:
        self._spec.check_filters(equals, at_most)
        t = self._table
        for name, value in equals.items():
            query = query.where(t.c[name].is_(None) if value is None else t.c[name] == value)
        for name, value in (at_most or {}).items():
            query = query.where(t.c[name] <= value)
        return query

    def find(
        self,
        *,
        limit: int | None = None,
        order_by: str | None = None,
        at_most: Mapping[str, Any] | None = None,
        **equals: Any,
    ) -> list[T]:
        """Aggregates matching every filter, ordered by ``order_by`` (an indexed field) then id."""
        t = self._table
        query = self._select()
        if order_by is not None:
            self._spec.check_filters({order_by: None})
            query = query.order_by(t.c[order_by].is_(None), t.c[order_by])
        query = self._where(query.order_by(t.c.id).limit(limit), equals, at_most)
        with _translated(f"querying {self._spec.kind}"):
            rows = self._uow._conn().execute(query).all()
        return [self._load(r) for r in rows]

    def count(self, *, at_most: Mapping[str, Any] | None = None, **equals: Any) -> int:
        """How many aggregates match every filter."""
        query = self._where(sa.select(sa.func.count()).select_from(self._table), equals, at_most)
        with _translated(f"counting {self._spec.kind}"):
            return int(self._uow._conn().execute(query).scalar_one())

    def _values(self, aggregate: T, version: int) -> dict[str, Any]:
        store = self._uow._store
        doc = storable_document(store._converter, aggregate)
        doc["version"] = version
        return {"version": version, "doc": doc, **self._spec.index_values(aggregate)}

    def _holder_of_unique(self, id: str, values: Mapping[str, Any]) -> str | None:
        """The id of another aggregate already holding one of this one's unique keys."""
        t = self._table
        for name in self._spec.unique:
            if values[name] is None:
                continue
            query = sa.select(t.c.id).where(t.c[name] == values[name], t.c.id != id).limit(1)
            with _translated(f"reading {self._spec.kind} keys"):
                holder = self._uow._conn().execute(query).scalar()
            if holder is not None:
                return str(holder)
        return None

    def add(self, aggregate: T) -> None:
        """Store a new aggregate; raises AlreadyExists (its id, or a unique key, is taken).

        The insert does nothing on a conflict (``ON CONFLICT DO NOTHING``), so a concurrent
        writer that got there first makes this an AlreadyExists, and the transaction stays
        usable on PostgreSQL too.
        """
        self._uow._writable()
        id: str = aggregate.id  # type: ignore[attr-defined]
        values = self._values(aggregate, 1)
        if self.exists(id):
            raise AlreadyExists(self._spec.kind, id)
        holder = self._holder_of_unique(id, values)
        if holder is not None:
            raise AlreadyExists(self._spec.kind, holder)
        with _translated(f"adding {self._spec.kind} {id!r}"):
            inserted = self._uow._conn().execute(self._insert(id, values)).first()
        if inserted is None:
            raise AlreadyExists(self._spec.kind, self._holder_of_unique(id, values) or id)
        aggregate.version = 1  # type: ignore[attr-defined]
        self._uow.emit(*pull_events(aggregate))

    def _check_version(self, id: str, expected: int) -> None:
        t = self._table
        with _translated(f"reading {self._spec.kind} {id!r}"):
            actual = self._uow._conn().execute(sa.select(t.c.version).where(t.c.id == id)).scalar()
        if actual != expected:
            raise ConcurrencyConflict(self._spec.kind, id, expected, actual)

    def _insert(self, id: str, values: dict[str, Any]) -> Any:
        """INSERT … ON CONFLICT DO NOTHING RETURNING id: a row comes back only if it was added."""
        dialect = self._uow._store.dialect
        if dialect == "postgresql":
            from sqlalchemy.dialects import postgresql

            statement: Any = postgresql.insert(self._table).on_conflict_do_nothing()
        elif dialect == "sqlite":
            from sqlalchemy.dialects import sqlite

            statement = sqlite.insert(self._table).on_conflict_do_nothing()
        else:  # pragma: no cover - another server: a conflict is an integrity error
            statement = sa.insert(self._table)
        return statement.values(id=id, **values).returning(self._table.c.id)

    def save(self, aggregate: T) -> None:
        """Store a changed aggregate; raises ConcurrencyConflict if it is stale, AlreadyExists
        if it now takes a unique key another aggregate holds."""
        self._uow._writable()
        id: str = aggregate.id  # type: ignore[attr-defined]
        expected: int = aggregate.version  # type: ignore[attr-defined]
        t = self._table
        values = self._values(aggregate, expected + 1)
        if self._spec.unique:
            # A stale or never-added copy is a conflict first, as on every backend; only a
            # current copy is asked whether it takes another aggregate's unique key.
            self._check_version(id, expected)
            holder = self._holder_of_unique(id, values)
            if holder is not None:
                raise AlreadyExists(self._spec.kind, holder)
        with _translated(f"saving {self._spec.kind} {id!r}"):
            conn = self._uow._conn()
            result = conn.execute(
                sa.update(t).where(t.c.id == id, t.c.version == expected).values(**values)
            )
            if result.rowcount != 1:
                actual = conn.execute(sa.select(t.c.version).where(t.c.id == id)).scalar()
                raise ConcurrencyConflict(self._spec.kind, id, expected, actual)
        aggregate.version = expected + 1  # type: ignore[attr-defined]
        self._uow.emit(*pull_events(aggregate))


class SqlUnitOfWork(Repositories):
    """One database transaction: repositories, outbox writes, commit and rollback.

    On a bound store (:meth:`SqlStore.bind`) it is a savepoint of the host's transaction.
    """

    def __init__(self, store: SqlStore, *, read_only: bool = False) -> None:
        self._store = store
        self._read_only = read_only
        self._connection: sa.Connection | None = None
        self._transaction: sa.Transaction | None = None
        self._open_repositories(SqlRepository, self)

    def _conn(self) -> sa.Connection:
        host = self._store._host
        if self._connection is None:
            self._connection = host if host is not None else self._store.engine.connect()
            if self._read_only and host is None:
                self._connection.execution_options(**{_READ_ONLY: True})
        if self._transaction is None or not self._transaction.is_active:
            self._transaction = (
                self._connection.begin_nested() if host is not None else self._connection.begin()
            )
        return self._connection

    def _writable(self) -> None:
        if self._read_only:
            raise StorageError("this unit of work is read-only")

    def __enter__(self) -> SqlUnitOfWork:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.rollback()
        finally:
            if self._connection is not None and self._store._host is None:
                self._connection.close()
            self._connection = None

    def emit(self, *events: DomainEvent) -> None:
        """Write events to the outbox table in this transaction."""
        if not events:
            return
        self._writable()
        converter = self._store._converter
        rows = []
        for event in events:
            payload = converter.unstructure(event, DomainEvent)
            check_storable(type(event).__name__, payload)
            rows.append(
                {
                    "id": self._store._ids.new("evt"),
                    "type": event.type,
                    "occurred_at_us": to_micros(event.occurred_at),
                    "payload": payload,
                }
            )
        with _translated("writing to the outbox"):
            self._conn().execute(sa.insert(self._store._tables.tables["ic_outbox"]), rows)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo only this block's writes if it raises."""
        with _translated("opening a savepoint"):
            nested = self._conn().begin_nested()
        try:
            yield
        except BaseException:
            with _translated("rolling back a savepoint"):
                nested.rollback()
            raise
        with _translated("releasing a savepoint"):
            nested.commit()

    def commit(self) -> None:
        """Commit the transaction (release the savepoint, when bound to a host's); the unit of
        work can go on with a new one."""
        if self._transaction is not None and self._transaction.is_active:
            with _translated("committing"):
                self._transaction.commit()
        self._transaction = None

    def rollback(self) -> None:
        """Roll the transaction (or the savepoint, when bound) back."""
        if self._transaction is not None and self._transaction.is_active:
            with _translated("rolling back"):
                self._transaction.rollback()
        self._transaction = None
