"""The SQL store (SQLAlchemy Core 2.x): an SQLite file by default, PostgreSQL with psycopg 3.

The same code serves both; only the URL differs. Aggregates are JSON documents plus the
indexed columns queries need; every write checks the aggregate's version.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from influcampaign.adapters._aggregates import (
    APPLICATIONS,
    CAMPAIGNS,
    CLICKS,
    COSTS,
    CREATORS,
    DELIVERABLES,
    GROUPS,
    JOBS,
    LINKS,
    MESSAGES,
    ORDERS,
    PARTICIPATIONS,
    PROMO_CODES,
    RATE_CARDS,
    RECEIPTS,
    REVIEWS,
    SHIPMENTS,
    SUBMISSIONS,
    TEMPLATES,
    AggregateSpec,
)
from influcampaign.adapters.ids import RandomIds
from influcampaign.adapters.sql_schema import LATEST_VERSION, MIGRATIONS, metadata
from influcampaign.domain._validate import to_micros
from influcampaign.domain.events import DomainEvent
from influcampaign.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    InflucampaignError,
    NotFound,
    StorageError,
)
from influcampaign.ports import IdGenerator, OutboxMessage
from influcampaign.serialization import make_converter

__all__ = ["SqlStore"]

T = TypeVar("T")

_READ_ONLY = "influcampaign_read_only"


@contextmanager
def _translated(what: str) -> Iterator[None]:
    """Turn driver errors into StorageError (the driver's error is kept as the cause)."""
    try:
        yield
    except InflucampaignError:
        raise
    except sa_exc.SQLAlchemyError as e:
        message = str(getattr(e, "orig", None) or e).strip().splitlines()[0]
        if "file is not a database" in message or "malformed" in message:
            raise StorageError(
                f"{what}: the database file is corrupt or not SQLite ({message})"
            ) from e
        if "locked" in message or "busy" in message:
            raise StorageError(f"{what}: the database is busy ({message}); try again") from e
        raise StorageError(f"{what}: {message}") from e


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    in_memory = url.database in (None, "", ":memory:")
    engine = sa.create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        poolclass=sa.pool.StaticPool if in_memory else sa.pool.QueuePool,
        json_serializer=lambda v: json.dumps(v, separators=(",", ":"), ensure_ascii=False),
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (IMMEDIATE for writers), so the driver must not.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
        finally:
            cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        read_only = connection.get_execution_options().get(_READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


class SqlStore:
    """A store in an SQL database through SQLAlchemy Core.

    ``url`` is an SQLAlchemy URL (``sqlite:///campaigns.db``,
    ``postgresql+psycopg://…``) or an :class:`sqlalchemy.Engine` the host already has.
    Call :meth:`migrate` once to create or upgrade the schema (``influcampaign.open`` does).
    """

    def __init__(self, url: str | sa.URL | sa.Engine, *, ids: IdGenerator | None = None) -> None:
        with _translated("opening the store"):
            if isinstance(url, sa.Engine):
                self.engine = url
            else:
                parsed = sa.make_url(url)
                if parsed.get_backend_name() == "sqlite":
                    self.engine = _sqlite_engine(parsed)
                else:
                    if (
                        parsed.get_backend_name() == "postgresql"
                        and parsed.drivername == "postgresql"
                    ):
                        parsed = parsed.set(drivername="postgresql+psycopg")
                    self.engine = sa.create_engine(parsed, pool_pre_ping=True)
        self._converter = make_converter()
        self._ids = ids or RandomIds()
        self._tables = metadata()
        self._schema_checked = False
        self._schema_lock = threading.Lock()
        self.outbox = SqlOutbox(self)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def __repr__(self) -> str:
        return f"SqlStore({self.engine.url.render_as_string(hide_password=True)!r})"

    # -- schema --------------------------------------------------------------------

    def schema_version(self) -> int:
        """The schema version of the database (0 when empty)."""
        with _translated("reading the schema version"), self.engine.connect() as conn:
            return self._read_version(conn)

    def _read_version(self, conn: sa.Connection) -> int:
        inspector = sa.inspect(conn)
        names = set(inspector.get_table_names())
        if "ic_meta" not in names:
            ours = sorted(n for n in names if n.startswith("ic_"))
            if ours:
                raise StorageError(
                    f"the database has influcampaign tables {ours} but no ic_meta table"
                )
            if self.dialect == "sqlite" and names:
                raise StorageError(
                    "the SQLite file belongs to another application "
                    f"(tables {sorted(names)[:5]}); influcampaign will not write into it"
                )
            return 0
        meta = self._tables.tables["ic_meta"]
        value = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        if value is None or not value.isdigit():
            raise StorageError(f"the ic_meta table holds no valid schema version ({value!r})")
        return int(value)

    def migrate(self) -> int:
        """Create the schema, or upgrade it one step at a time; returns the version now in force."""
        with _translated("migrating the schema"):
            while True:
                with self.engine.connect() as conn, conn.begin():
                    if self.dialect == "postgresql":
                        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7331001)")
                    current = self._read_version(conn)
                    if current > LATEST_VERSION:
                        raise StorageError(
                            f"the database schema is version {current}, newer than this "
                            f"influcampaign ({LATEST_VERSION}); upgrade influcampaign"
                        )
                    if current == LATEST_VERSION:
                        self._schema_checked = True
                        return current
                    replay = metadata(current)
                    for step in MIGRATIONS[current]:
                        step.apply(conn, replay)
                    self._set_version(conn, current + 1)

    def _set_version(self, conn: sa.Connection, version: int) -> None:
        meta = self._tables.tables["ic_meta"]
        updated = conn.execute(
            sa.update(meta).where(meta.c.key == "schema_version").values(value=str(version))
        )
        if updated.rowcount == 0:
            conn.execute(sa.insert(meta).values(key="schema_version", value=str(version)))

    def _check_schema(self) -> None:
        if self._schema_checked:
            return
        with self._schema_lock, _translated("opening the store"), self.engine.connect() as conn:
            version = self._read_version(conn)
        if version != LATEST_VERSION:
            raise StorageError(
                f"the database schema is version {version}, this influcampaign needs "
                f"{LATEST_VERSION}: call store.migrate()"
            )
        self._schema_checked = True

    # -- units of work -------------------------------------------------------------

    def unit_of_work(self, *, read_only: bool = False) -> SqlUnitOfWork:
        """A new unit of work (one transaction); use it as a context manager."""
        self._check_schema()
        return SqlUnitOfWork(self, read_only=read_only)

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


class SqlOutbox:
    """The outbox table of an SqlStore."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    @property
    def _table(self) -> sa.Table:
        return self._store._tables.tables["ic_outbox"]

    def _message(self, row: Any) -> OutboxMessage:
        event = self._store._converter.structure(row.payload, DomainEvent)
        return OutboxMessage(id=row.id, position=row.position, event=event)

    def pending(self, limit: int = 100) -> list[OutboxMessage]:
        """Undelivered messages, oldest first."""
        t = self._table
        query = (
            sa.select(t.c.id, t.c.position, t.c.payload)
            .where(t.c.delivered == sa.false())
            .order_by(t.c.position)
            .limit(limit)
        )
        self._store._check_schema()
        with _translated("reading the outbox"), self._store.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [self._message(r) for r in rows]

    def mark_delivered(self, ids: Sequence[str]) -> None:
        """Mark messages delivered; unknown ids are ignored."""
        if not ids:
            return
        t = self._table
        self._store._check_schema()
        with _translated("updating the outbox"), self._store.engine.connect() as conn, conn.begin():
            conn.execute(sa.update(t).where(t.c.id.in_(list(ids))).values(delivered=True))

    def all(self) -> Iterator[OutboxMessage]:
        """Every message, oldest first."""
        t = self._table
        self._store._check_schema()
        with _translated("reading the outbox"), self._store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.c.id, t.c.position, t.c.payload).order_by(t.c.position)
            ).all()
        return (self._message(r) for r in rows)


class SqlRepository(Generic[T]):
    """A repository of one aggregate kind inside an SQL unit of work."""

    def __init__(self, uow: SqlUnitOfWork, spec: AggregateSpec[T]) -> None:
        self._uow = uow
        self._spec = spec
        self._table = uow._store._tables.tables[spec.table]

    def _load(self, version: int, doc: dict[str, Any]) -> T:
        try:
            aggregate = self._uow._store._converter.structure(doc, self._spec.cls)
        except Exception as e:
            raise StorageError(
                f"stored {self._spec.kind} {doc.get('id')!r} cannot be read: {e}"
            ) from e
        aggregate.version = version  # type: ignore[attr-defined]
        return aggregate

    def get(self, id: str) -> T:
        """The aggregate with this id; raises NotFound."""
        t = self._table
        with _translated(f"reading {self._spec.kind} {id!r}"):
            row = (
                self._uow._conn()
                .execute(sa.select(t.c.version, t.c.doc).where(t.c.id == id))
                .first()
            )
        if row is None:
            raise NotFound(self._spec.kind, id)
        return self._load(row.version, row.doc)

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
        query = sa.select(t.c.version, t.c.doc)
        if order_by is not None:
            self._spec.check_filters({order_by: None})
            query = query.order_by(t.c[order_by].is_(None), t.c[order_by])
        query = self._where(query.order_by(t.c.id).limit(limit), equals, at_most)
        with _translated(f"querying {self._spec.kind}"):
            rows = self._uow._conn().execute(query).all()
        return [self._load(r.version, r.doc) for r in rows]

    def count(self, *, at_most: Mapping[str, Any] | None = None, **equals: Any) -> int:
        """How many aggregates match every filter."""
        query = self._where(sa.select(sa.func.count()).select_from(self._table), equals, at_most)
        with _translated(f"counting {self._spec.kind}"):
            return int(self._uow._conn().execute(query).scalar_one())

    def _values(self, aggregate: T, version: int) -> dict[str, Any]:
        doc = self._uow._store._converter.unstructure(aggregate)
        doc["version"] = version
        return {"version": version, "doc": doc, **self._spec.index_values(aggregate)}

    def add(self, aggregate: T) -> None:
        """Store a new aggregate; raises AlreadyExists."""
        self._uow._writable()
        id: str = aggregate.id  # type: ignore[attr-defined]
        values = self._values(aggregate, 1)
        if self.exists(id):
            raise AlreadyExists(self._spec.kind, id)
        try:
            with _translated(f"adding {self._spec.kind} {id!r}"):
                self._uow._conn().execute(sa.insert(self._table).values(id=id, **values))
        except StorageError as e:
            if isinstance(e.__cause__, sa_exc.IntegrityError):
                raise AlreadyExists(self._spec.kind, id) from e.__cause__
            raise
        aggregate.version = 1  # type: ignore[attr-defined]

    def save(self, aggregate: T) -> None:
        """Store a changed aggregate; raises ConcurrencyConflict if it is stale."""
        self._uow._writable()
        id: str = aggregate.id  # type: ignore[attr-defined]
        expected: int = aggregate.version  # type: ignore[attr-defined]
        t = self._table
        values = self._values(aggregate, expected + 1)
        with _translated(f"saving {self._spec.kind} {id!r}"):
            conn = self._uow._conn()
            result = conn.execute(
                sa.update(t).where(t.c.id == id, t.c.version == expected).values(**values)
            )
            if result.rowcount != 1:
                actual = conn.execute(sa.select(t.c.version).where(t.c.id == id)).scalar()
                raise ConcurrencyConflict(self._spec.kind, id, expected, actual)
        aggregate.version = expected + 1  # type: ignore[attr-defined]


class SqlUnitOfWork:
    """One database transaction: repositories, outbox writes, commit and rollback."""

    def __init__(self, store: SqlStore, *, read_only: bool = False) -> None:
        self._store = store
        self._read_only = read_only
        self._connection: sa.Connection | None = None
        self._transaction: sa.RootTransaction | None = None
        self.creators = SqlRepository(self, CREATORS)
        self.groups = SqlRepository(self, GROUPS)
        self.campaigns = SqlRepository(self, CAMPAIGNS)
        self.applications = SqlRepository(self, APPLICATIONS)
        self.participations = SqlRepository(self, PARTICIPATIONS)
        self.shipments = SqlRepository(self, SHIPMENTS)
        self.messages = SqlRepository(self, MESSAGES)
        self.templates = SqlRepository(self, TEMPLATES)
        self.submissions = SqlRepository(self, SUBMISSIONS)
        self.jobs = SqlRepository(self, JOBS)
        self.deliverables = SqlRepository(self, DELIVERABLES)
        self.links = SqlRepository(self, LINKS)
        self.clicks = SqlRepository(self, CLICKS)
        self.promo_codes = SqlRepository(self, PROMO_CODES)
        self.costs = SqlRepository(self, COSTS)
        self.rate_cards = SqlRepository(self, RATE_CARDS)
        self.reviews = SqlRepository(self, REVIEWS)
        self.orders = SqlRepository(self, ORDERS)
        self.receipts = SqlRepository(self, RECEIPTS)

    def _conn(self) -> sa.Connection:
        if self._connection is None:
            self._connection = self._store.engine.connect()
            if self._read_only:
                self._connection = self._connection.execution_options(**{_READ_ONLY: True})
        if self._transaction is None or not self._transaction.is_active:
            self._transaction = self._connection.begin()
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
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def emit(self, *events: DomainEvent) -> None:
        """Write events to the outbox table in this transaction."""
        if not events:
            return
        self._writable()
        converter = self._store._converter
        rows = [
            {
                "id": self._store._ids.new("evt"),
                "type": event.type,
                "occurred_at_us": to_micros(event.occurred_at),
                "payload": converter.unstructure(event, DomainEvent),
            }
            for event in events
        ]
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
        """Commit the transaction; the unit of work can go on with a new one."""
        if self._transaction is not None and self._transaction.is_active:
            with _translated("committing"):
                self._transaction.commit()
        self._transaction = None

    def rollback(self) -> None:
        """Roll the transaction back."""
        if self._transaction is not None and self._transaction.is_active:
            with _translated("rolling back"):
                self._transaction.rollback()
        self._transaction = None
