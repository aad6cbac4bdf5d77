"""The SQL store (SQLAlchemy Core 2.x): an SQLite file by default, PostgreSQL with psycopg 3.

The same code serves both; only the URL differs. Aggregates are JSON documents plus the
indexed columns queries need; every write checks the aggregate's version.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from influcampaign.adapters.ids import RandomIds
from influcampaign.adapters.sql_errors import _translated
from influcampaign.adapters.sql_schema import LATEST_VERSION, MIGRATIONS, metadata
from influcampaign.adapters.sql_unit_of_work import _READ_ONLY, SqlOutbox, SqlUnitOfWork, _begin
from influcampaign.errors import StorageError, ValidationError
from influcampaign.ports import IdGenerator
from influcampaign.serialization import make_converter

__all__ = ["SqlStore"]


def _sqlite_engine(url: sa.URL, busy_timeout: float) -> sa.Engine:
    in_memory = url.database in (None, "", ":memory:")
    engine = sa.create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": busy_timeout},
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
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
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
    On SQLite, a writer waits at most ``busy_timeout`` seconds for another writer before
    :class:`~influcampaign.StorageBusy`; readers never wait. Call :meth:`migrate` once to
    create or upgrade the schema (``influcampaign.open`` does).
    :meth:`bind` gives a store whose units of work run inside a host's own transaction.
    """

    def __init__(
        self,
        url: str | sa.URL | sa.Engine,
        *,
        ids: IdGenerator | None = None,
        busy_timeout: float = 30.0,
    ) -> None:
        if isinstance(busy_timeout, bool) or not isinstance(busy_timeout, int | float):
            raise ValidationError("busy_timeout", busy_timeout, "must be a number of seconds")
        if busy_timeout < 0:
            raise ValidationError("busy_timeout", busy_timeout, "must be a number of seconds ≥ 0")
        with _translated("opening the store"):
            if isinstance(url, sa.Engine):
                self.engine = url
            else:
                parsed = sa.make_url(url)
                if parsed.get_backend_name() == "sqlite":
                    self.engine = _sqlite_engine(parsed, float(busy_timeout))
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
        self._host: sa.Connection | None = None
        self.outbox = SqlOutbox(self)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def __repr__(self) -> str:
        bound = ", bound to a host connection" if self._host is not None else ""
        return f"SqlStore({self.engine.url.render_as_string(hide_password=True)!r}{bound})"

    def bind(self, connection: sa.Connection) -> SqlStore:
        """This store, working inside ``connection``: the host's own transaction.

        Each unit of work is a savepoint of that transaction, so the SDK's writes (and its
        outbox) commit or roll back with the host's; committing the transaction is the
        host's business. The schema must be migrated already.
        """
        if not isinstance(connection, sa.Connection):
            raise ValidationError("connection", connection, "must be a sqlalchemy Connection")
        bound = copy.copy(self)
        bound._host = connection
        bound._schema_lock = threading.Lock()
        bound.outbox = SqlOutbox(bound)
        return bound

    @contextmanager
    def _connect(self, *, read_only: bool) -> Iterator[sa.Connection]:
        """A connection for one short operation: the host's (inside a savepoint) when bound,
        else a pooled one. On SQLite a reader begins a plain (deferred) transaction, so it
        never waits for a writer; a writer begins IMMEDIATE."""
        if self._host is not None:
            with self._host.begin_nested():
                yield self._host
            return
        with self.engine.connect() as conn:
            if read_only:
                conn.execution_options(**{_READ_ONLY: True})
            yield conn

    # -- schema --------------------------------------------------------------------

    def schema_version(self) -> int:
        """The schema version of the database (0 when empty)."""
        with _translated("reading the schema version"), self._connect(read_only=True) as conn:
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
                with self._connect(read_only=False) as conn, _begin(conn):
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
        with self._schema_lock:
            version = self.schema_version()
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
        """Release every pooled connection (a bound store leaves the host's connection open)."""
        if self._host is None:
            self.engine.dispose()
