"""Shared fixtures; the Hypothesis profile comes from HYPOTHESIS_PROFILE (dev, ci, long)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, settings

import influcampaign as ic

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

T0 = pendulum.datetime(2026, 3, 2, 9, tz="Europe/Paris")
MANAGER = ic.BrandMember("u_claire", brand_id="acme", role="manager")


@pytest.fixture
def clock() -> ic.FrozenClock:
    """A frozen clock at Monday 2 March 2026, 09:00 in Paris."""
    return ic.FrozenClock(T0)


@pytest.fixture(params=["memory", "sqlite"])
def make_workspace(
    request: pytest.FixtureRequest, tmp_path: Path, clock: ic.FrozenClock
) -> Iterator[Callable[[], ic.Workspace]]:
    """Builds workspaces on the same store (memory, or one SQLite file), sharing the clock."""
    made: list[ic.Workspace] = []
    ids = ic.SequentialIds()  # one id space, as random ids would be across processes
    memory = ic.MemoryStore(ids=ids) if request.param == "memory" else None

    def make() -> ic.Workspace:
        if memory is not None:
            ws = ic.Workspace(memory, clock, ids=ids)
        else:
            ws = ic.open(f"sqlite:///{tmp_path / 'ws.sqlite'}", clock=clock, ids=ids)
        made.append(ws)
        return ws

    yield make
    for ws in made:
        ws.close()


@pytest.fixture
def ws(make_workspace: Callable[[], ic.Workspace]) -> ic.Workspace:
    """A workspace on each backend."""
    return make_workspace()


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
