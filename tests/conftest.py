"""Shared fixtures; the Hypothesis profile comes from HYPOTHESIS_PROFILE (dev, ci, long).

PostgreSQL runs when ``INFLUCAMPAIGN_TEST_PG_URL`` names a server (``make test`` starts one
with ``scripts/with_postgres.py``); with ``CI=true`` and no server the run fails.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

import influcampaign as ic
from tests.helpers import KEYS, MANAGER, RATES, T0

__all__ = ["MANAGER", "T0", "postgres", "store_url", "upgrade_old_database"]

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
settings.register_profile(
    "long", max_examples=2_000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def clock() -> ic.FrozenClock:
    """A frozen clock at Monday 2 March 2026, 09:00 in Paris."""
    return ic.FrozenClock(T0)


PG_SERVER_URL = os.environ.get("INFLUCAMPAIGN_TEST_PG_URL")
IN_CI = os.environ.get("CI", "").lower() == "true"
BACKENDS = ["memory", "sqlite", "postgresql"]
"""Every store the SDK ships: the contract, the agreement machine and the workflow run on each."""


def pytest_configure(config: pytest.Config) -> None:
    """With CI=true, PostgreSQL must be there: its tests are never skipped in CI."""
    if IN_CI and not PG_SERVER_URL:
        raise pytest.UsageError(
            "CI=true but INFLUCAMPAIGN_TEST_PG_URL is not set: run the suite through "
            "scripts/with_postgres.py (make test does)"
        )


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


class PostgresDatabases:
    """Throwaway PostgreSQL databases for one test worker, on the server ``make test`` started.

    ``migrated()`` is this worker's database, migrated once and emptied before each use
    (fast); ``fresh()`` is a new empty database (for schema and upgrade tests).
    """

    def __init__(self, server_url: str) -> None:
        self.server = sa.make_url(server_url)
        self._admin = sa.create_engine(
            self.server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
        )
        self._count = 0
        self._migrated: str | None = None

    def fresh(self) -> str:
        """The URL of a new, empty database."""
        self._count += 1
        name = f"ic_{_worker()}_{os.getpid()}_{self._count}"
        with self._admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        return self.server.set(database=name).render_as_string(hide_password=False)

    def migrated(self) -> str:
        """The URL of this worker's migrated database, emptied of every row."""
        if self._migrated is None:
            self._migrated = self.fresh()
            store = ic.SqlStore(self._migrated)
            store.migrate()
            store.close()
        engine = sa.create_engine(self._migrated, poolclass=sa.pool.NullPool)
        with engine.begin() as conn:
            names = [
                r[0]
                for r in conn.exec_driver_sql(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                    "AND starts_with(tablename, 'ic_') AND tablename <> 'ic_meta'"
                )
            ]
            conn.exec_driver_sql(
                "TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY"
            )
        engine.dispose()
        return self._migrated


_DATABASES: PostgresDatabases | None = None


def postgres() -> PostgresDatabases:
    """This worker's PostgreSQL databases; skips the test when no server runs (never in CI)."""
    global _DATABASES
    if PG_SERVER_URL is None:
        pytest.skip("no PostgreSQL server (make test starts one)")
    if _DATABASES is None:
        _DATABASES = PostgresDatabases(PG_SERVER_URL)
    return _DATABASES


def store_url(backend: str, directory: Path) -> str | None:
    """A URL for an empty, migrated store of ``backend`` (None for memory)."""
    if backend == "memory":
        return None
    if backend == "sqlite":
        return f"sqlite:///{directory / 'ws.sqlite'}"
    return postgres().migrated()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each backend in turn: memory, SQLite and PostgreSQL."""
    return str(request.param)


@pytest.fixture
def make_workspace(
    backend: str, tmp_path: Path, clock: ic.FrozenClock
) -> Iterator[Callable[[], ic.Workspace]]:
    """Builds workspaces on the same store (memory, one SQLite file, or one PostgreSQL
    database), sharing the clock."""
    made: list[ic.Workspace] = []
    ids = ic.SequentialIds()  # one id space, as random ids would be across processes
    memory = ic.MemoryStore(ids=ids) if backend == "memory" else None
    url = store_url(backend, tmp_path)

    def make() -> ic.Workspace:
        if memory is not None:
            ws = ic.Workspace(memory, clock, ids=ids)
        else:
            assert url is not None
            ws = ic.open(url, clock=clock, ids=ids)
        made.append(ws)
        return ws

    yield make
    for ws in made:
        ws.close()


@pytest.fixture
def ws(make_workspace: Callable[[], ic.Workspace]) -> ic.Workspace:
    """A workspace on each backend."""
    return make_workspace()


@pytest.fixture
def mws(make_workspace: Callable[[], ic.Workspace]) -> ic.Workspace:
    """A workspace with a USD→EUR rate, on each backend."""
    base = make_workspace()
    return ic.Workspace(base.store, base.clock, ids=base.ids, rates=RATES)


@pytest.fixture
def sws(make_workspace: Callable[[], ic.Workspace]) -> ic.Workspace:
    """A workspace with signing keys and a USD→EUR rate, on each backend."""
    base = make_workspace()
    return ic.Workspace(base.store, base.clock, ids=base.ids, keys=KEYS, rates=RATES)


def upgrade_old_database(url: str, version: int, campaign_doc: dict[str, Any]) -> ic.SqlStore:
    """Write an SQLite database at schema ``version`` holding one running campaign written
    as ``campaign_doc`` (a document from before later fields existed), then open it and
    upgrade it to the latest schema."""
    from influcampaign.adapters.sql_schema import LATEST_VERSION, MIGRATIONS, metadata

    store = ic.SqlStore(url)
    with store.engine.begin() as conn:
        replay = metadata(0)
        for steps in MIGRATIONS[:version]:
            for step in steps:
                step.apply(conn, replay)
        store._set_version(conn, version)
        conn.exec_driver_sql(
            "INSERT INTO ic_campaigns (id, version, doc, brand_id, status, mode) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                campaign_doc["id"],
                1,
                json.dumps(campaign_doc),
                campaign_doc["brand_id"],
                "running",
                campaign_doc["mode"],
            ),
        )
    store.close()
    upgraded = ic.SqlStore(url)
    assert upgraded.migrate() == LATEST_VERSION > version
    return upgraded
