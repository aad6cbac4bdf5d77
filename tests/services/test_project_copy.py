"""A project copied without the creators whose audience data is hidden or opted out (issue
17): the settings copied, those creators moved or left out, the origin recorded, all in one
transaction."""

from __future__ import annotations

import datetime as dt

import pytest

import influcampaign as ic
from influcampaign.domain.events import ProjectCopied
from tests.helpers import MANAGER, campaign, events, join, stored


def source_project(ws: ic.Workspace) -> tuple[ic.Campaign, dict[str, ic.Participation]]:
    """A running project with a brief and tracking, and three confirmed creators: Léa
    (shared audience), Noor (opted out) and Vic (hidden), each owing a reel."""
    made = campaign(
        ws,
        name="Printemps",
        brief="Show the kit at breakfast",
        hashtags=["#Spring"],
        mentions=["@acme"],
        requirements=ic.BriefRequirements(jurisdiction="FR", promo_code=True),
    )
    people = {
        "Léa": join(ws, made, "Léa"),
        "Noor": join(ws, made, "Noor", audience_data="opted_out"),
        "Vic": join(ws, made, "Vic", audience_data="hidden"),
    }
    for p in people.values():
        ws.deliverables.plan(
            MANAGER, p.id, platform="instagram", format="reel", due_on=dt.date(2026, 4, 1)
        )
    return made, people


def creators_of(ws: ic.Workspace, campaign_id: str) -> dict[str, str]:
    """Each creator of a campaign (by id) and its participation's status."""
    return {p.creator_id: p.status.value for p in ws.participations.list(MANAGER, campaign_id)}


class TestCopyProject:
    """``workspace.campaigns.copy_project``."""

    def test_the_copy_holds_the_source_settings(self, ws: ic.Workspace) -> None:
        """Brief, dates, tracking, requirements and compensation are copied; it is a draft."""
        source, _ = source_project(ws)
        copy = ws.campaigns.copy_project(MANAGER, source.id, name="Printemps (partagés)")
        assert copy.id != source.id
        assert copy.name == "Printemps (partagés)"
        assert copy.status is ic.CampaignStatus.DRAFT
        for field in ("brief", "window", "hashtags", "mentions", "requirements", "compensation"):
            assert getattr(copy, field) == getattr(source, field), field
        assert ws.campaigns.get(MANAGER, copy.id) == copy

    def test_moved_creators_leave_the_source_with_their_plan(self, ws: ic.Workspace) -> None:
        """With ``move``, the hidden and opted-out creators join the copy at their status with
        their planned deliverables; the source keeps only the others."""
        source, people = source_project(ws)
        copy = ws.campaigns.copy_project(MANAGER, source.id, name="Sans audience", hidden="move")
        noor, vic, lea = (
            people["Noor"].creator_id,
            people["Vic"].creator_id,
            people["Léa"].creator_id,
        )
        assert creators_of(ws, copy.id) == {noor: "confirmed", vic: "confirmed"}
        assert creators_of(ws, source.id) == {lea: "confirmed", noor: "dropped", vic: "dropped"}
        dropped = ws.participations.get(MANAGER, people["Noor"].id)
        assert dropped.status is ic.ParticipationStatus.DROPPED
        for p in ws.participations.list(MANAGER, copy.id):
            (planned,) = ws.deliverables.list(MANAGER, p.id)
            assert (planned.format.value, planned.due_on) == ("reel", dt.date(2026, 4, 1))
        assert ws.deliverables.list(MANAGER, people["Noor"].id) == []
        assert len(ws.deliverables.list(MANAGER, people["Léa"].id)) == 1

    def test_left_out_creators_stay_in_the_source(self, ws: ic.Workspace) -> None:
        """With ``leave_out``, the copy gets the creators whose audience is shared (with their
        plan); the source is unchanged."""
        source, people = source_project(ws)
        before = creators_of(ws, source.id)
        copy = ws.campaigns.copy_project(MANAGER, source.id, name="Partagés", hidden="leave_out")
        lea = people["Léa"]
        assert creators_of(ws, copy.id) == {lea.creator_id: "confirmed"}
        assert creators_of(ws, source.id) == before
        (joined,) = ws.participations.list(MANAGER, copy.id)
        assert len(ws.deliverables.list(MANAGER, joined.id)) == 1
        assert len(ws.deliverables.list(MANAGER, lea.id)) == 1

    def test_the_origin_says_where_they_came_from(self, ws: ic.Workspace) -> None:
        """The copy records the source, those creators and why; ProjectCopied says it too."""
        source, people = source_project(ws)
        copy = ws.campaigns.copy_project(MANAGER, source.id, name="Copie", hidden="leave_out")
        origin = copy.origin
        assert origin is not None
        assert (origin.campaign_id, origin.hidden) == (source.id, ic.HiddenCreators.LEAVE_OUT)
        reasons = {c.creator_id: c.reason for c in origin.creators}
        assert reasons == {
            people["Noor"].creator_id: "audience data opted out",
            people["Vic"].creator_id: "audience data hidden",
        }
        assert ws.campaigns.get(MANAGER, copy.id).origin == origin
        (event,) = events(ws, ProjectCopied)
        assert (event.campaign_id, event.source_campaign_id) == (copy.id, source.id)
        assert set(event.creator_ids) == set(reasons)

    def test_proposed_creators_are_declined_in_the_source(self, ws: ic.Workspace) -> None:
        """A proposed creator moved away is declined in the source, with the reason."""
        source = campaign(ws)
        hidden = ws.creators.register(MANAGER, "Ivy", audience_data="hidden")
        proposed = ws.participations.add(MANAGER, source.id, hidden.id)
        copy = ws.campaigns.copy_project(MANAGER, source.id, name="Copie")
        assert creators_of(ws, copy.id) == {hidden.id: "proposed"}
        assert ws.participations.get(MANAGER, proposed.id).status is (
            ic.ParticipationStatus.DECLINED
        )

    @pytest.mark.parametrize(
        ("changes", "field"),
        [({"hidden": "split"}, "hidden"), ({"name": " "}, "name")],
    )
    def test_bad_input_writes_nothing(
        self, ws: ic.Workspace, changes: dict[str, str], field: str
    ) -> None:
        """A bad parameter is refused naming its field, and nothing is written."""
        source, _ = source_project(ws)
        before = stored(ws)
        arguments: dict[str, str] = {"name": "Copie", **changes}
        with pytest.raises(ic.ValidationError) as raised:
            ws.campaigns.copy_project(MANAGER, source.id, **arguments)
        assert raised.value.field == field
        assert stored(ws) == before

    def test_an_offer_is_not_a_project(self, ws: ic.Workspace) -> None:
        """A marketplace offer cannot be copied so; nothing is written."""
        offer = campaign(ws, mode="marketplace")
        before = stored(ws)
        with pytest.raises(ic.ValidationError):
            ws.campaigns.copy_project(MANAGER, offer.id, name="Copie")
        assert stored(ws) == before

    def test_an_ended_project_cannot_lose_its_creators(self, ws: ic.Workspace) -> None:
        """Moving creators out of an ended project is refused; leaving them out is allowed."""
        source, _ = source_project(ws)
        ws.campaigns.end(MANAGER, source.id)
        before = stored(ws)
        with pytest.raises(ic.InvalidTransition):
            ws.campaigns.copy_project(MANAGER, source.id, name="Copie", hidden="move")
        assert stored(ws) == before
        copy = ws.campaigns.copy_project(MANAGER, source.id, name="Copie", hidden="leave_out")
        assert len(creators_of(ws, copy.id)) == 1

    def test_a_viewer_may_not_copy(self, ws: ic.Workspace) -> None:
        """Copying needs the right to manage the source campaign."""
        source, _ = source_project(ws)
        viewer = ic.BrandMember("u_v", brand_id="acme", role="viewer")
        before = stored(ws)
        with pytest.raises(ic.PermissionDenied):
            ws.campaigns.copy_project(viewer, source.id, name="Copie")
        assert stored(ws) == before
