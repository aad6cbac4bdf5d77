"""pytest plugin (registered by the ``testing`` extra): fixtures for host test suites.

- ``ic_clock``: a :class:`~influcampaign.FrozenClock` at 2026-01-05 09:00 UTC;
- ``ic_store``: a fresh :class:`~influcampaign.MemoryStore`;
- ``ic_workspace``: a Workspace over them, with sequential ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from influcampaign.adapters.clock import FrozenClock
    from influcampaign.adapters.memory import MemoryStore
    from influcampaign.services.workspace import Workspace


@pytest.fixture
def ic_clock() -> FrozenClock:
    """A frozen clock at Monday 2026-01-05 09:00 UTC."""
    import pendulum

    from influcampaign.adapters.clock import FrozenClock

    return FrozenClock(pendulum.datetime(2026, 1, 5, 9))


@pytest.fixture
def ic_store() -> Iterator[MemoryStore]:
    """A fresh in-memory store (the reference backend, used as a fake)."""
    from influcampaign.adapters.memory import MemoryStore

    store = MemoryStore()
    yield store
    store.close()


@pytest.fixture
def ic_workspace(ic_store: MemoryStore, ic_clock: FrozenClock) -> Workspace:
    """A workspace over ``ic_store`` and ``ic_clock``, with ids such as ``cre_0001``."""
    from influcampaign.adapters.ids import SequentialIds
    from influcampaign.services.workspace import Workspace

    return Workspace(ic_store, ic_clock, ids=SequentialIds())
