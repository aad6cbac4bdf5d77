"""The Workspace and its use cases, on every backend."""

from __future__ import annotations

from collections.abc import Callable

import pendulum
import pytest

import influcampaign as ic
from influcampaign.domain.events import CreatorUpdated
from tests.conftest import MANAGER

ANALYST = ic.BrandMember("u_tom", brand_id="acme", role="analyst")
VIEWER = ic.BrandMember("u_vi", brand_id="acme", role="viewer")
RIVAL = ic.BrandMember("u_eve", brand_id="rival", role="owner")
START = pendulum.datetime(2026, 5, 1, tz="Europe/Paris")
END = pendulum.datetime(2026, 6, 1, tz="Europe/Paris")


def register(ws: ic.Workspace, name: str = "Alice", **kwargs: object) -> ic.Creator:
    return ws.creators.register(
        MANAGER,
        name,
        handles={"instagram": name.lower()},
        audience={"instagram": ic.AudienceStats(followers=20_000, engagement_rate=0.04)},
        contact=ic.ContactDetails(email=f"{name.lower()}@example.org", phone="+33600000000"),
        **kwargs,  # type: ignore[arg-type]
    )


def create_campaign(ws: ic.Workspace, **kwargs: object) -> ic.Campaign:
    values: dict[str, object] = {
        "brand_id": "acme",
        "name": "Spring",
        "kind": "seeding",
        "mode": "marketplace",
        "start": START,
        "end": END,
        "timezone": "Europe/Paris",
        "summary": "internal: budget is tight",
        "brief": "Show the product",
    }
    values.update(kwargs)
    return ws.campaigns.create(MANAGER, **values)  # type: ignore[arg-type]


def events(ws: ic.Workspace) -> list[str]:
    return [m.event.type for m in ws.store.outbox.all()]


def snapshot(ws: ic.Workspace) -> tuple[object, ...]:
    with ws.store.unit_of_work(read_only=True) as uow:
        return (uow.creators.find(), uow.groups.find(), uow.campaigns.find(), events(ws))


class TestCreators:
    def test_register_stores_and_emits(self, ws: ic.Workspace, clock: ic.FrozenClock) -> None:
        """Registering stores the creator (stamped by the clock) and records CreatorRegistered."""
        alice = register(ws)
        assert alice.id == "cre_0001"
        assert alice.created_at == clock.now()
        assert ws.creators.get(MANAGER, alice.id) == alice
        assert events(ws) == ["CreatorRegistered"]

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
        before = snapshot(ws)
        with pytest.raises(ic.ValidationError) as info:
            ws.creators.register(MANAGER, "X", **kwargs)  # type: ignore[arg-type]
        assert field in info.value.field
        assert snapshot(ws) == before

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


class TestGroups:
    def test_create_add_remove(self, ws: ic.Workspace) -> None:
        """A group is created from existing creators; members are added and removed with events."""
        a, b, c = register(ws, "A"), register(ws, "B"), register(ws, "C")
        group = ws.groups.create(MANAGER, brand_id="acme", name="Food", creator_ids=[a.id, b.id])
        ws.groups.add_creators(MANAGER, group.id, [c.id, a.id])
        group = ws.groups.remove_creators(MANAGER, group.id, [b.id])
        assert ws.groups.get(MANAGER, group.id).creator_ids == (a.id, c.id)
        assert events(ws)[-3:] == ["GroupCreated", "GroupMembersChanged", "GroupMembersChanged"]
        assert [g.id for g in ws.groups.list(VIEWER, "acme")] == [group.id]

    def test_unknown_creator_is_refused_and_nothing_stored(self, ws: ic.Workspace) -> None:
        """A group naming a creator that does not exist raises NotFound and is not created."""
        before = snapshot(ws)
        with pytest.raises(ic.NotFound, match="cre_ghost"):
            ws.groups.create(MANAGER, brand_id="acme", name="Ghosts", creator_ids=["cre_ghost"])
        assert snapshot(ws) == before

    def test_other_brands_cannot_read_or_change(self, ws: ic.Workspace) -> None:
        """A member of another brand is denied, and nothing changes."""
        a = register(ws, "A")
        group = ws.groups.create(MANAGER, brand_id="acme", name="Food", creator_ids=[a.id])
        with pytest.raises(ic.PermissionDenied):
            ws.groups.get(RIVAL, group.id)
        with pytest.raises(ic.PermissionDenied):
            ws.groups.remove_creators(RIVAL, group.id, [a.id])
        assert ws.groups.get(MANAGER, group.id).creator_ids == (a.id,)


class TestCampaigns:
    def test_create_from_a_group_and_run_the_lifecycle(self, ws: ic.Workspace) -> None:
        """A draft from a group opens, starts, ends and is reviewed, each with its event."""
        a = register(ws)
        group = ws.groups.create(MANAGER, brand_id="acme", name="G", creator_ids=[a.id])
        campaign = create_campaign(ws, group_id=group.id)
        assert campaign.status is ic.CampaignStatus.DRAFT
        for step in ("open", "start", "end", "review"):
            campaign = getattr(ws.campaigns, step)(MANAGER, campaign.id)
        assert campaign.status is ic.CampaignStatus.REVIEWED
        assert events(ws)[-5:] == [
            "CampaignCreated",
            "CampaignOpened",
            "CampaignStarted",
            "CampaignEnded",
            "CampaignReviewed",
        ]

    def test_an_invalid_transition_changes_nothing(self, ws: ic.Workspace) -> None:
        """Ending a draft raises InvalidTransition; the stored campaign and outbox are untouched."""
        campaign = create_campaign(ws)
        before = snapshot(ws)
        with pytest.raises(ic.InvalidTransition):
            ws.campaigns.end(MANAGER, campaign.id)
        assert snapshot(ws) == before

    def test_internal_summary_is_for_the_team_only(self, ws: ic.Workspace) -> None:
        """Viewers and creators see the brief but not the internal summary."""
        campaign = create_campaign(ws)
        ws.campaigns.open(MANAGER, campaign.id)
        assert ws.campaigns.get(ANALYST, campaign.id).summary == "internal: budget is tight"
        assert ws.campaigns.get(VIEWER, campaign.id).summary == ""
        seen_by_creator = ws.campaigns.get(ic.CreatorUser("cre_any"), campaign.id)
        assert (seen_by_creator.summary, seen_by_creator.brief) == ("", "Show the product")

    def test_creators_cannot_read_private_projects_or_drafts(self, ws: ic.Workspace) -> None:
        """A project, or an offer still in draft, is not visible to creators."""
        offer = create_campaign(ws)
        project = create_campaign(ws, mode="project")
        ws.campaigns.start(MANAGER, project.id)
        for campaign in (offer, project):
            with pytest.raises(ic.PermissionDenied):
                ws.campaigns.get(ic.CreatorUser("cre_any"), campaign.id)

    def test_client_reviewers_read_only_their_campaigns(self, ws: ic.Workspace) -> None:
        """A client reviewer reads the campaigns it was invited to and changes none."""
        mine, other = create_campaign(ws), create_campaign(ws)
        reviewer = ic.ClientReviewer("client_1", brand_id="acme", campaign_ids={mine.id})
        assert ws.campaigns.get(reviewer, mine.id).id == mine.id
        with pytest.raises(ic.PermissionDenied):
            ws.campaigns.get(reviewer, other.id)
        with pytest.raises(ic.PermissionDenied):
            ws.campaigns.start(reviewer, mine.id)

    def test_list_by_status(self, ws: ic.Workspace) -> None:
        """A brand lists its campaigns, optionally by status."""
        first, second = create_campaign(ws), create_campaign(ws, mode="project")
        ws.campaigns.start(MANAGER, second.id)
        assert [c.id for c in ws.campaigns.list(MANAGER, "acme")] == [first.id, second.id]
        assert [c.id for c in ws.campaigns.list(MANAGER, "acme", status="running")] == [second.id]
        assert ws.campaigns.list(RIVAL, "acme") == []
        with pytest.raises(ic.ValidationError, match="status"):
            ws.campaigns.list(MANAGER, "acme", status="paused")

    def test_update_a_brief_and_freeze_after_the_end(self, ws: ic.Workspace) -> None:
        """The brief can change while the campaign runs; an ended campaign is frozen."""
        campaign = create_campaign(ws, mode="project")
        ws.campaigns.start(MANAGER, campaign.id)
        updated = ws.campaigns.update(MANAGER, campaign.id, brief="New brief", hashtags=["#New"])
        assert (updated.brief, updated.hashtags) == ("New brief", ("#New",))
        ws.campaigns.end(MANAGER, campaign.id)
        with pytest.raises(ic.InvalidTransition):
            ws.campaigns.update(MANAGER, campaign.id, brief="Too late")

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"end": pendulum.datetime(2026, 4, 1, tz="Europe/Paris")}, "end"),
            ({"start": pendulum.naive(2026, 5, 1)}, "start"),
            ({"timezone": "Mars/Olympus"}, "timezone"),
            ({"kind": "giveaway"}, "kind"),
            ({"name": ""}, "name"),
            ({"brand_id": "acme corp"}, "brand_id"),
        ],
    )
    def test_bad_input_stores_nothing(
        self, ws: ic.Workspace, kwargs: dict[str, object], field: str
    ) -> None:
        """Invalid campaigns raise ValidationError naming the field; nothing is stored."""
        before = snapshot(ws)
        with pytest.raises(ic.ValidationError) as info:
            create_campaign(ws, **kwargs)
        assert field in info.value.field
        assert snapshot(ws) == before

    def test_a_group_of_another_brand_cannot_be_used(self, ws: ic.Workspace) -> None:
        """Creating a campaign from a rival brand's group is NotFound."""
        group = ws.groups.create(RIVAL, brand_id="rival", name="Theirs")
        with pytest.raises(ic.NotFound):
            create_campaign(ws, group_id=group.id)


class TestAtomic:
    def test_calls_in_atomic_commit_together(self, ws: ic.Workspace) -> None:
        """Everything in an atomic block is committed at its end."""
        with ws.atomic() as tx:
            a = register(tx, "A")
            tx.groups.create(MANAGER, brand_id="acme", name="G", creator_ids=[a.id])
        assert [g.name for g in ws.groups.list(MANAGER, "acme")] == ["G"]

    def test_an_exception_leaving_the_block_keeps_nothing(self, ws: ic.Workspace) -> None:
        """If the block raises, none of its calls are kept."""
        before = snapshot(ws)

        def fail() -> None:
            with ws.atomic() as tx:
                register(tx, "A")
                raise RuntimeError("host failure")

        with pytest.raises(RuntimeError):
            fail()
        assert snapshot(ws) == before

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
        assert events(ws) == ["CreatorRegistered", "GroupCreated"]


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
