"""Fresh workspaces for host test suites, configurable, and usable inside ``@given``.

A Hypothesis test may not use a function-scoped pytest fixture (its health check fails,
since the fixture is not reset between examples). Call a :class:`WorkspaceFactory` instead,
once per example: each call is a new, empty store.

>>> from influcampaign.testing.workspaces import WorkspaceFactory
>>> make = WorkspaceFactory()
>>> ws = make()
>>> from influcampaign.testing.workspaces import MANAGER_EXAMPLE
>>> ws.creators.register(MANAGER_EXAMPLE, "Alice").id
'cre_0001'
>>> make().store is ws.store
False
>>> make.close()
"""

from __future__ import annotations

import datetime as _dt
import tempfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pendulum

from influcampaign.adapters.clock import FrozenClock
from influcampaign.adapters.ids import SequentialIds
from influcampaign.adapters.memory import MemoryStore
from influcampaign.adapters.rates import FixedRates
from influcampaign.domain.principals import BrandMember
from influcampaign.domain.tokens import SigningKeys
from influcampaign.errors import ValidationError
from influcampaign.ports import RateProvider, Store
from influcampaign.services.workspace import Workspace

__all__ = ["TEST_KEYS", "TEST_RATES", "WorkspaceFactory"]

TEST_KEYS = SigningKeys({"test": b"influcampaign-test-key-not-secret!"}, current="test")
"""Signing keys for tests (never for production: the secret is published here)."""

TEST_RATES: Mapping[tuple[str, str], Decimal | str] = {
    ("USD", "EUR"): "0.92",
    ("EUR", "USD"): "1.087",
    ("GBP", "EUR"): "1.17",
    ("EUR", "GBP"): "0.855",
}
"""A small fixed table of exchange rates, so that orders in another currency are credited."""

MANAGER_EXAMPLE = BrandMember("u1", brand_id="acme", role="manager")


class WorkspaceFactory:
    """Makes fresh workspaces: ``factory()`` (or ``factory(start=…, backend=…)``).

    ``backend`` is ``"memory"`` (the reference store, the default), ``"sqlite"`` (a new
    migrated file per workspace, in ``directory`` or a temporary one) or a database URL
    (shared: the host empties it). Each workspace has its own :class:`FrozenClock` at
    ``start`` in ``timezone``, sequential ids (``cre_0001``), ``keys`` and ``rates``.
    """

    def __init__(
        self,
        *,
        backend: str = "memory",
        start: _dt.datetime | None = None,
        timezone: str = "UTC",
        keys: SigningKeys | None = TEST_KEYS,
        rates: RateProvider | Mapping[tuple[str, str], Decimal | str] | None = TEST_RATES,
        directory: Path | None = None,
    ) -> None:
        self.backend = backend
        self.timezone = timezone
        self.start = start
        self.keys = keys
        self.rates: RateProvider | None = (
            FixedRates(rates, source="test rates") if isinstance(rates, Mapping) else rates
        )
        self._directory = directory
        self._temporary: tempfile.TemporaryDirectory[str] | None = None
        self._made: list[Workspace] = []
        self._files = 0

    def _start(self, start: _dt.datetime | None) -> pendulum.DateTime:
        moment = start or self.start
        if moment is None:
            return pendulum.datetime(2026, 1, 5, 9, tz=self.timezone)
        if moment.tzinfo is None:
            return pendulum.instance(moment, tz=self.timezone)
        return pendulum.instance(moment)

    def _store(self, backend: str) -> Store:
        if backend == "memory":
            return MemoryStore()
        from influcampaign.adapters.sql import SqlStore

        if backend == "sqlite":
            if self._directory is None:
                self._temporary = self._temporary or tempfile.TemporaryDirectory(prefix="ic-")
                self._directory = Path(self._temporary.name)
            self._files += 1
            url = f"sqlite:///{self._directory / f'ws-{self._files}.sqlite'}"
        elif backend.startswith(("sqlite:", "postgresql")):
            url = backend
        else:
            raise ValidationError("backend", backend, "must be 'memory', 'sqlite' or a URL")
        store = SqlStore(url)
        store.migrate()
        return store

    def __call__(
        self, *, start: _dt.datetime | None = None, backend: str | None = None, **options: Any
    ) -> Workspace:
        """A new workspace on a new, empty store; ``options`` override ``keys``, ``rates``,
        ``access`` or ``bots`` for this one."""
        settings: dict[str, Any] = {"keys": self.keys, "rates": self.rates, **options}
        ws = Workspace(
            self._store(backend or self.backend),
            FrozenClock(self._start(start)),
            ids=SequentialIds(),
            **settings,
        )
        if not isinstance(ws.store, MemoryStore):
            self._made.append(ws)  # files and connections to close; memory stores just go
        return ws

    def close(self) -> None:
        """Close every workspace made, and remove the temporary files."""
        for ws in self._made:
            ws.close()
        self._made.clear()
        if self._temporary is not None:
            self._temporary.cleanup()
            self._temporary = None
