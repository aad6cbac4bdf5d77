"""The in-memory store passes the storage contract."""

from __future__ import annotations

import influcampaign as ic
from influcampaign.ports import Store
from influcampaign.testing import StorageContract


class TestMemoryStore(StorageContract):
    """The reference backend passes the contract."""

    def make_store(self) -> Store:
        return ic.MemoryStore()
