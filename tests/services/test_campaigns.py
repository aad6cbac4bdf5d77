"""The campaigns service: create, lifecycle, reads and updates."""

from __future__ import annotations

import pendulum
import pytest

import influcampaign as ic
from tests.conftest import MANAGER
from tests.helpers import ANALYST, END, RIVAL, START, VIEWER, event_types, register, stored


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
        assert event_types(ws)[-5:] == [
            "CampaignCreated",
            "CampaignOpened",
            "CampaignStarted",
            "CampaignEnded",
            "CampaignReviewed",
        ]

    def test_an_invalid_transition_changes_nothing(self, ws: ic.Workspace) -> None:
        """Ending a draft raises InvalidTransition; the stored campaign and outbox are untouched."""
        campaign = create_campaign(ws)
        before = stored(ws)
        with pytest.raises(ic.InvalidTransition):
            ws.campaigns.end(MANAGER, campaign.id)
        assert stored(ws) == before

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
        before = stored(ws)
        with pytest.raises(ic.ValidationError) as info:
            create_campaign(ws, **kwargs)
        assert field in info.value.field
        assert stored(ws) == before

    def test_a_group_of_another_brand_cannot_be_used(self, ws: ic.Workspace) -> None:
        """Creating a campaign from a rival brand's group is NotFound."""
        group = ws.groups.create(RIVAL, brand_id="rival", name="Theirs")
        with pytest.raises(ic.NotFound):
            create_campaign(ws, group_id=group.id)
