"""The pytest plugin of influcampaign.testing."""

from __future__ import annotations

import pendulum

import influcampaign as ic


class TestPlugin:
    """The pytest plugin's fixtures."""

    def test_clock_store_and_workspace_fit_together(
        self, ic_workspace: ic.Workspace, ic_clock: ic.FrozenClock, ic_store: ic.MemoryStore
    ) -> None:
        """The workspace uses the fixture store and clock, with sequential ids."""
        assert ic_workspace.store is ic_store
        assert ic_clock.now() == pendulum.datetime(2026, 1, 5, 9)
        me = ic.BrandMember("u1", brand_id="acme", role="owner")
        creator = ic_workspace.creators.register(me, "Alice")
        assert creator.id == "cre_0001"
        ic_clock.advance(days=1)
        assert ic_workspace.clock.now() == pendulum.datetime(2026, 1, 6, 9)
        with ic_store.unit_of_work(read_only=True) as uow:
            assert uow.creators.get("cre_0001").created_at == pendulum.datetime(2026, 1, 5, 9)
