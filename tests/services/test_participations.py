"""The participations service: list approval by reviewers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import influcampaign as ic
from influcampaign.domain.events import CreatorReviewed
from influcampaign.domain.policies import ListApprovalPolicy
from tests.conftest import MANAGER
from tests.helpers import creator, events, make_offer


class TestListApproval:
    def test_reviewers_approve_and_reject_with_comments(self, ws: ic.Workspace) -> None:
        """With two approvals required, one approval leaves a creator pending; a rejection declines."""
        project = make_offer(ws, "project", list_approval=ListApprovalPolicy(required_approvals=2))
        a, b = creator(ws, "A"), creator(ws, "B")
        group = ws.groups.create(MANAGER, brand_id="acme", name="G", creator_ids=[a.id, b.id])
        added = ws.participations.invite_group(MANAGER, project.id, group.id)
        assert [p.status.value for p in added] == ["proposed", "proposed"]
        client = ic.ClientReviewer("cl_1", brand_id="acme", campaign_ids={project.id})
        colleague = ic.BrandMember("u_max", brand_id="acme", role="manager")
        ws.participations.submit_for_approval(MANAGER, project.id, ["cl_1", "u_max"])
        pa, pb = added
        ws.participations.review(client, pa.id, "approve", comment="Parfait")
        status = ws.participations.list_status(client, project.id)
        assert [(p.participation.id, p.reason) for p in status.pending] == [
            (pa.id, "1 of 2 approvals"),
            (pb.id, "0 of 2 approvals"),
        ]
        ws.participations.review(colleague, pa.id, "approve")
        ws.participations.review(client, pb.id, "reject", comment="Audience trop jeune")
        status = ws.participations.list_status(MANAGER, project.id)
        assert [p.id for p in status.approved] == [pa.id]
        assert [p.id for p in status.declined] == [pb.id]
        reviewed = events(ws, CreatorReviewed)
        assert [e.comment for e in reviewed] == ["Parfait", "", "Audience trop jeune"]

    def test_a_creator_added_meanwhile_by_another_process_is_a_retryable_conflict(
        self, make_workspace: Callable[[], ic.Workspace], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """When another process puts the creator on the list between this call's look and its
        write, the call raises ConcurrencyConflict (retryable), writes nothing, and a retry
        answers as if it had come second (AlreadyExists)."""
        ws, other = make_workspace(), make_workspace()
        project = make_offer(ws, "project")
        lea = creator(ws)
        before = len(list(ws.store.outbox.all()))
        looked = ws.store.unit_of_work

        def racing(*args: object, **kwargs: object) -> ic.UnitOfWork:
            uow = looked(*args, **kwargs)  # type: ignore[arg-type]
            if not kwargs.get("read_only"):
                monkeypatch.setattr(ws.store, "unit_of_work", looked)
                other.participations.add(MANAGER, project.id, lea.id)  # commits first
                # this call looked before the other committed: it saw no participation
                monkeypatch.setattr(uow.participations, "exists", lambda pid: False)
            return uow

        monkeypatch.setattr(ws.store, "unit_of_work", racing)
        with pytest.raises(ic.ConcurrencyConflict):
            ws.participations.add(MANAGER, project.id, lea.id)
        assert len(list(ws.store.outbox.all())) == before + 1  # only the other's event
        with pytest.raises(ic.AlreadyExists):
            ic.retry(lambda: ws.participations.add(MANAGER, project.id, lea.id))

    def test_creators_without_audience_data_are_held_pending(self, ws: ic.Workspace) -> None:
        """An approved creator whose audience is hidden stays pending, with the reason shown."""
        project = make_offer(ws, "project")
        hidden = creator(ws, "Hidden", audience_data="hidden")
        pid = ws.participations.add(MANAGER, project.id, hidden.id).id
        ws.participations.review(MANAGER, pid, "approve")
        status = ws.participations.list_status(MANAGER, project.id)
        assert [(p.participation.id, p.reason) for p in status.pending] == [
            (pid, "approved, held: audience data hidden")
        ]
        ws.participations.confirm(MANAGER, pid)  # the brand decides for itself
        assert [p.id for p in ws.participations.list_status(MANAGER, project.id).confirmed] == [pid]

    def test_reviewers_only_reach_their_campaigns(self, ws: ic.Workspace) -> None:
        """A client reviewer of another campaign cannot review or read this list."""
        project = make_offer(ws, "project")
        pid = ws.participations.add(MANAGER, project.id, creator(ws).id).id
        outsider = ic.ClientReviewer("cl_2", brand_id="acme", campaign_ids={"cmp_other"})
        with pytest.raises(ic.PermissionDenied):
            ws.participations.review(outsider, pid, "approve")
        with pytest.raises(ic.PermissionDenied):
            ws.participations.list_status(outsider, project.id)

    def test_a_creator_sees_only_its_own_participations(self, ws: ic.Workspace) -> None:
        """Listing a campaign as a creator returns its own participation only."""
        project = make_offer(ws, "project")
        a, b = creator(ws, "A"), creator(ws, "B")
        pa = ws.participations.add(MANAGER, project.id, a.id)
        ws.participations.add(MANAGER, project.id, b.id)
        assert ws.participations.list(ic.CreatorUser(a.id), project.id) == [pa]
        assert len(ws.participations.list(MANAGER, project.id)) == 2
