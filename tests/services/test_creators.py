"""The creators service: register, read and update creators."""

from __future__ import annotations

import pytest

import influcampaign as ic
from influcampaign.domain.events import CreatorUpdated
from tests.conftest import MANAGER
from tests.helpers import ANALYST, VIEWER, event_types, register, stored


class TestCreators:
    def test_register_stores_and_emits(self, ws: ic.Workspace, clock: ic.FrozenClock) -> None:
        """Registering stores the creator (stamped by the clock) and records CreatorRegistered."""
        alice = register(ws)
        assert alice.id == "cre_0001"
        assert alice.created_at == clock.now()
        assert ws.creators.get(MANAGER, alice.id) == alice
        assert event_types(ws) == ["CreatorRegistered"]

    def test_personal_data_only_for_allowed_roles(self, ws: ic.Workspace) -> None:
        """Managers read contact details; analysts get the creator without them and cannot ask."""
        alice = register(ws)
        assert ws.creators.get(MANAGER, alice.id).contact is not None
        assert ws.creators.get(ANALYST, alice.id).contact is None
        assert all(c.contact is None for c in ws.creators.find(VIEWER))
        with pytest.raises(ic.PermissionDenied):
            ws.creators.contact(ANALYST, alice.id)
        assert ws.creators.contact(MANAGER, alice.id) == ic.ContactDetails(
            email="alice@example.org", phone="+33600000000"
        )

    def test_a_creator_sees_only_its_own_personal_data(self, ws: ic.Workspace) -> None:
        """A creator reads its own contact details, never another creator's."""
        alice, bob = register(ws, "Alice"), register(ws, "Bob")
        as_alice = ic.CreatorUser(alice.id)
        assert ws.creators.contact(as_alice, alice.id) is not None
        with pytest.raises(ic.PermissionDenied):
            ws.creators.contact(as_alice, bob.id)
        with pytest.raises(ic.PermissionDenied):
            ws.creators.get(as_alice, bob.id)
        assert [c.id for c in ws.creators.find(as_alice)] == [alice.id]

    def test_a_creator_can_register_itself(self, ws: ic.Workspace) -> None:
        """Self-registration works with the creator's own id, and only with it."""
        me = ic.CreatorUser("cre_self")
        ws.creators.register(me, "Me", id="cre_self")
        with pytest.raises(ic.PermissionDenied):
            ws.creators.register(me, "Someone else", id="cre_other")

    def test_update_records_the_changed_fields(self, ws: ic.Workspace) -> None:
        """update() saves, bumps the version and names the changed fields (not their values)."""
        alice = register(ws)
        updated = ws.creators.update(MANAGER, alice.id, display_name="Alice B.", themes=["food"])
        assert (updated.display_name, updated.version) == ("Alice B.", 2)
        last = list(ws.store.outbox.all())[-1].event
        assert updated.created_at is not None
        assert last == CreatorUpdated(
            occurred_at=updated.created_at, creator_id=alice.id, fields=("display_name", "themes")
        )

    def test_analyst_cannot_change_contact(self, ws: ic.Workspace) -> None:
        """Changing personal data needs the right to read it."""
        alice = register(ws)
        with pytest.raises(ic.PermissionDenied):
            ws.creators.update(ANALYST, alice.id, contact=None)

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"id": "bad id"}, "id"),
            ({"handles": {"friendster": "x"}}, "handles"),
            (
                {"audience": {"instagram": ic.AudienceStats(1)}, "audience_data": "maybe"},
                "audience_data",
            ),
            ({"country": "FRA"}, "country"),
        ],
    )
    def test_bad_input_stores_nothing(
        self, ws: ic.Workspace, kwargs: dict[str, object], field: str
    ) -> None:
        """Invalid registrations raise ValidationError naming the field, and nothing is stored."""
        before = stored(ws)
        with pytest.raises(ic.ValidationError) as info:
            ws.creators.register(MANAGER, "X", **kwargs)  # type: ignore[arg-type]
        assert field in info.value.field
        assert stored(ws) == before

    def test_duplicate_id_is_refused(self, ws: ic.Workspace) -> None:
        """Registering an id twice raises AlreadyExists."""
        ws.creators.register(MANAGER, "A", id="cre_x")
        with pytest.raises(ic.AlreadyExists):
            ws.creators.register(MANAGER, "B", id="cre_x")

    def test_unknown_update_fields_are_refused(self, ws: ic.Workspace) -> None:
        """Only editable fields can be changed; version and id cannot."""
        alice = register(ws)
        with pytest.raises(ic.ValidationError, match="changes"):
            ws.creators.update(MANAGER, alice.id, version=99)
