"""pytest plugin (registered by the ``testing`` extra): fixtures for host test suites.

- ``ic_clock``: a :class:`~influcampaign.FrozenClock` at Monday 2026-01-05 09:00 in
  ``ic_timezone``;
- ``ic_store``: a fresh store of ``ic_backend`` (a :class:`~influcampaign.MemoryStore` by
  default);
- ``ic_workspace``: a Workspace over them, with sequential ids, ``ic_keys`` and ``ic_rates``;
- ``ic_workspace_factory``: a session-wide
  :class:`~influcampaign.testing.workspaces.WorkspaceFactory` whose every call is a fresh
  workspace, for ``@given`` tests (function-scoped fixtures fail Hypothesis' health check).

Configure them by overriding the session-scoped settings in your ``conftest.py``:
``ic_backend`` (``"memory"``, ``"sqlite"`` or a URL), ``ic_timezone`` (``"UTC"``), ``ic_keys``
(test signing keys; None for none) and ``ic_rates`` (a small fixed table; None for none).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from influcampaign.adapters.clock import FrozenClock
    from influcampaign.domain.tokens import SigningKeys
    from influcampaign.ports import RateProvider, Store
    from influcampaign.services.workspace import Workspace
    from influcampaign.testing.workspaces import WorkspaceFactory


@pytest.fixture(scope="session")
def ic_backend() -> str:
    """The store of ``ic_store`` and the factory: ``"memory"`` (or ``"sqlite"``, a URL)."""
    return "memory"


@pytest.fixture(scope="session")
def ic_timezone() -> str:
    """The time zone of ``ic_clock``'s start and the factory's clocks: UTC; override it."""
    return "UTC"


@pytest.fixture(scope="session")
def ic_keys() -> SigningKeys | None:
    """Signing keys for tracked links (published test keys); override with None for none."""
    from influcampaign.testing.workspaces import TEST_KEYS

    return TEST_KEYS


@pytest.fixture(scope="session")
def ic_rates() -> RateProvider | Mapping[tuple[str, str], Decimal | str] | None:
    """Exchange rates (a small fixed USD/GBP/EUR table); override with a provider or None."""
    from influcampaign.testing.workspaces import TEST_RATES

    return TEST_RATES


@pytest.fixture(scope="session")
def ic_workspace_factory(
    tmp_path_factory: pytest.TempPathFactory,
    ic_backend: str,
    ic_timezone: str,
    ic_keys: SigningKeys | None,
    ic_rates: RateProvider | Mapping[tuple[str, str], Decimal | str] | None,
) -> Iterator[WorkspaceFactory]:
    """Makes a fresh workspace per call (``ic_workspace_factory()``), with the settings above;
    session-scoped, so ``@given`` tests may use it. Each workspace has its own FrozenClock."""
    from influcampaign.testing.workspaces import WorkspaceFactory

    factory = WorkspaceFactory(
        backend=ic_backend,
        timezone=ic_timezone,
        keys=ic_keys,
        rates=ic_rates,
        directory=tmp_path_factory.mktemp("ic_workspaces") if ic_backend == "sqlite" else None,
    )
    yield factory
    factory.close()


@pytest.fixture
def ic_clock(ic_timezone: str) -> FrozenClock:
    """A frozen clock at Monday 2026-01-05 09:00 in ``ic_timezone`` (UTC by default)."""
    import pendulum

    from influcampaign.adapters.clock import FrozenClock

    return FrozenClock(pendulum.datetime(2026, 1, 5, 9, tz=ic_timezone))


@pytest.fixture
def ic_store(ic_workspace_factory: WorkspaceFactory) -> Iterator[Store]:
    """A fresh store of ``ic_backend`` (the in-memory reference store, used as a fake)."""
    store = ic_workspace_factory().store
    yield store
    store.close()


@pytest.fixture
def ic_workspace(
    ic_store: Store, ic_clock: FrozenClock, ic_workspace_factory: WorkspaceFactory
) -> Workspace:
    """A workspace over ``ic_store`` and ``ic_clock``, with ids such as ``cre_0001`` and the
    factory's keys and rates."""
    from influcampaign.adapters.ids import SequentialIds
    from influcampaign.services.workspace import Workspace

    return Workspace(
        ic_store,
        ic_clock,
        ids=SequentialIds(),
        keys=ic_workspace_factory.keys,
        rates=ic_workspace_factory.rates,
    )
