"""The Workspace itself: atomic blocks and several workspaces on one store."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import influcampaign as ic
from tests.conftest import MANAGER
from tests.helpers import event_types, register, stored


class TestAtomic:
    def test_calls_in_atomic_commit_together(self, ws: ic.Workspace) -> None:
        """Everything in an atomic block is committed at its end."""
        with ws.atomic() as tx:
            a = register(tx, "A")
            tx.groups.create(MANAGER, brand_id="acme", name="G", creator_ids=[a.id])
        assert [g.name for g in ws.groups.list(MANAGER, "acme")] == ["G"]

    def test_an_exception_leaving_the_block_keeps_nothing(self, ws: ic.Workspace) -> None:
        """If the block raises, none of its calls are kept."""
        before = stored(ws)

        def fail() -> None:
            with ws.atomic() as tx:
                register(tx, "A")
                raise RuntimeError("host failure")

        with pytest.raises(RuntimeError):
            fail()
        assert stored(ws) == before

    def test_a_failed_call_inside_undoes_only_itself(self, ws: ic.Workspace) -> None:
        """A call that raises inside the block is undone; the block can catch it and go on."""
        with ws.atomic() as tx:
            a = register(tx, "A")
            with pytest.raises(ic.NotFound):
                tx.groups.create(
                    MANAGER, brand_id="acme", name="Half", creator_ids=[a.id, "cre_ghost"]
                )
            tx.groups.create(MANAGER, brand_id="acme", name="Whole", creator_ids=[a.id])
        assert [g.name for g in ws.groups.list(MANAGER, "acme")] == ["Whole"]
        assert event_types(ws) == ["CreatorRegistered", "GroupCreated"]


class TestTwoWorkspaces:
    def test_workspaces_on_one_store_see_each_other(
        self, make_workspace: Callable[[], ic.Workspace]
    ) -> None:
        """Two workspaces (two processes, say) on one store share state."""
        first, second = make_workspace(), make_workspace()
        alice = register(first)
        assert second.creators.get(MANAGER, alice.id).display_name == "Alice"

    def test_a_stale_write_from_another_workspace_conflicts(
        self, make_workspace: Callable[[], ic.Workspace]
    ) -> None:
        """A copy loaded in one unit of work cannot overwrite a newer save from elsewhere."""
        first, second = make_workspace(), make_workspace()
        alice = register(first)
        with second.store.unit_of_work(read_only=True) as uow:
            stale = uow.creators.get(alice.id)
        first.creators.update(MANAGER, alice.id, display_name="New")
        stale.display_name = "Old"
        with second.store.unit_of_work() as uow, pytest.raises(ic.ConcurrencyConflict):
            uow.creators.save(stale)
        assert first.creators.get(MANAGER, alice.id).display_name == "New"
