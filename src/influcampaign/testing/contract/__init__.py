"""The storage contract: one test suite every backend must pass.

Subclass it and say how to make a fresh, migrated store::

    class TestMyStore(StorageContract):
        def make_store(self) -> Store:
            return MyStore(...)

The in-memory store is the reference; influcampaign runs this suite against memory,
SQLite and PostgreSQL, and hosts may run it against their own backend.
"""

from __future__ import annotations

from influcampaign.testing.contract.every_kind import EveryKindContract
from influcampaign.testing.contract.records import RecordContract
from influcampaign.testing.contract.units import UnitOfWorkContract

__all__ = ["StorageContract"]


class StorageContract(UnitOfWorkContract, RecordContract, EveryKindContract):
    """What every store promises: versioned aggregates, atomic units of work, an outbox."""
