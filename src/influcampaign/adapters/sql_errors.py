"""Driver errors of the SQL store translated into typed StorageErrors, from the driver's error
codes (never from message text)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy.exc as sa_exc

from influcampaign.errors import (
    InflucampaignError,
    StorageBusy,
    StorageError,
    StorageIntegrityError,
    StorageUnavailable,
)

_SQLITE_BUSY = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED
_SQLITE_CORRUPT = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB
_SQLITE_UNAVAILABLE = frozenset({10, 14})  # SQLITE_IOERR, SQLITE_CANTOPEN
_SQLITE_CONSTRAINT = 19
_PG_BUSY = ("40", "55P03", "57014")  # rollback (serialisation, deadlock), lock, timeout
_PG_UNAVAILABLE = ("08", "57P")  # connection exceptions, server shutting down or starting


def _classify(error: sa_exc.SQLAlchemyError) -> tuple[type[StorageError], str]:
    """The StorageError subclass for a driver error, from its type and code (sqlite3's
    ``sqlite_errorcode``, psycopg's ``sqlstate``), never from its message text."""
    if isinstance(error, sa_exc.TimeoutError):
        return StorageBusy, "no free connection in the pool; try again"
    orig = getattr(error, "orig", None)
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        primary = code & 0xFF
        if primary in _SQLITE_BUSY:
            return StorageBusy, "the database is busy; try again"
        if primary in _SQLITE_CORRUPT:
            return StorageError, "the database file is corrupt or not SQLite"
        if primary in _SQLITE_UNAVAILABLE:
            return StorageUnavailable, "the database file cannot be opened or read"
        if primary == _SQLITE_CONSTRAINT:
            return StorageIntegrityError, "the database refused the write"
        return StorageError, "the database failed"
    state = getattr(orig, "sqlstate", None)
    if isinstance(state, str):
        if state.startswith(_PG_BUSY):
            return StorageBusy, "the database is busy; try again"
        if state.startswith(_PG_UNAVAILABLE):
            return StorageUnavailable, "the database cannot be reached; try again later"
        if state.startswith("23"):
            return StorageIntegrityError, "the database refused the write"
        return StorageError, "the database failed"
    if isinstance(error, sa_exc.DBAPIError) and (
        error.connection_invalidated or isinstance(error, sa_exc.OperationalError)
    ):
        return StorageUnavailable, "the database cannot be reached; try again later"
    if isinstance(error, sa_exc.IntegrityError):
        return StorageIntegrityError, "the database refused the write"
    return StorageError, "the database failed"


@contextmanager
def _translated(what: str) -> Iterator[None]:
    """Turn driver errors into typed StorageErrors (the driver's error is kept as the cause)."""
    try:
        yield
    except InflucampaignError:
        raise
    except sa_exc.SQLAlchemyError as e:
        cls, meaning = _classify(e)
        detail = str(getattr(e, "orig", None) or e).strip().splitlines()[:1]
        raise cls(f"{what}: {meaning} ({''.join(detail)})") from e
