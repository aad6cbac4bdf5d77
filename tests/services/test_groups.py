"""The groups service."""

from __future__ import annotations

import pytest

import influcampaign as ic
from tests.conftest import MANAGER
from tests.helpers import RIVAL, VIEWER, event_types, register, stored


class TestGroups:
    def test_create_add_remove(self, ws: ic.Workspace) -> None:
        """A group is created from existing creators; members are added and removed with events."""
        a, b, c = register(ws, "A"), register(ws, "B"), register(ws, "C")
        group = ws.groups.create(MANAGER, brand_id="acme", name="Food", creator_ids=[a.id, b.id])
        ws.groups.add_creators(MANAGER, group.id, [c.id, a.id])
        group = ws.groups.remove_creators(MANAGER, group.id, [b.id])
        assert ws.groups.get(MANAGER, group.id).creator_ids == (a.id, c.id)
        assert event_types(ws)[-3:] == [
            "GroupCreated",
            "GroupMembersChanged",
            "GroupMembersChanged",
        ]
        assert [g.id for g in ws.groups.list(VIEWER, "acme")] == [group.id]

    def test_unknown_creator_is_refused_and_nothing_stored(self, ws: ic.Workspace) -> None:
        """A group naming a creator that does not exist raises NotFound and is not created."""
        before = stored(ws)
        with pytest.raises(ic.NotFound, match="cre_ghost"):
            ws.groups.create(MANAGER, brand_id="acme", name="Ghosts", creator_ids=["cre_ghost"])
        assert stored(ws) == before

    def test_other_brands_cannot_read_or_change(self, ws: ic.Workspace) -> None:
        """A member of another brand is denied, and nothing changes."""
        a = register(ws, "A")
        group = ws.groups.create(MANAGER, brand_id="acme", name="Food", creator_ids=[a.id])
        with pytest.raises(ic.PermissionDenied):
            ws.groups.get(RIVAL, group.id)
        with pytest.raises(ic.PermissionDenied):
            ws.groups.remove_creators(RIVAL, group.id, [a.id])
        assert ws.groups.get(MANAGER, group.id).creator_ids == (a.id,)
