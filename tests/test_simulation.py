"""The campaign simulation: whole random campaigns on memory beside memory, SQLite and
PostgreSQL."""

from __future__ import annotations

import atexit
import sys
import tempfile
from pathlib import Path

from hypothesis import settings

import influcampaign as ic
from influcampaign.ports import Store
from influcampaign.testing.simulation import CampaignSimulation, campaign_simulation
from tests.conftest import postgres

_DIRECTORY = Path(tempfile.mkdtemp(prefix="ic-simulation-"))
_COUNTER = iter(range(10**9))


def _fresh_sqlite() -> Store:
    return ic.SqlStore(f"sqlite:///{_DIRECTORY / f'{next(_COUNTER)}.sqlite'}")


def _fresh_postgres() -> Store:
    return ic.SqlStore(postgres().migrated())


# A history is long and each step checks every read model on two stores: a third of the
# profile's examples (ci: 20 histories of 25 steps, about 30 s per backend; long: 666).
_SETTINGS = settings(
    max_examples=max(1, settings().max_examples // 3),
    stateful_step_count=25,
    deadline=None,
)


class TestMemoryBesideMemory(campaign_simulation(ic.MemoryStore).TestCase):  # type: ignore[misc]
    """Random whole campaigns hold every invariant on the memory store."""

    settings = _SETTINGS


class TestSqliteBesideMemory(campaign_simulation(_fresh_sqlite).TestCase):  # type: ignore[misc]
    """Random whole campaigns end in the same state on SQLite as on the memory store."""

    settings = _SETTINGS


class TestPostgresBesideMemory(campaign_simulation(_fresh_postgres).TestCase):  # type: ignore[misc]
    """Random whole campaigns end in the same state on PostgreSQL as on the memory store."""

    settings = _SETTINGS


def _print_counts() -> None:
    """How many histories, steps and calls ran, printed when the process ends (also when a
    long run is interrupted with SIGINT)."""
    counts = CampaignSimulation.statistics
    if counts["histories"]:
        print(
            f"campaign simulation: {counts['histories']} histories, {counts['steps']} steps, "
            f"{counts['calls']} calls ({counts['refused']} refused), "
            f"{counts['jobs finished']} scheduled jobs finished",
            file=sys.stderr,
        )


atexit.register(_print_counts)
