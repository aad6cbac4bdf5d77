"""Participations (influcampaign.domain.participation): the lifecycle table and its rules."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

import influcampaign as ic
from influcampaign.domain.participation import (
    PARTICIPATION_LIFECYCLE,
    ParticipationAction,
    ParticipationStatus,
    Verdict,
)
from tests.conftest import MANAGER
from tests.helpers import NOW, check_pair, creator, make_offer, participation


def participation_in(ws: ic.Workspace, state: ParticipationStatus) -> str:
    campaign, c = make_offer(ws, "project"), creator(ws)
    pid = ws.participations.add(MANAGER, campaign.id, c.id).id
    steps: dict[ParticipationStatus, list[Callable[[], object]]] = {
        ParticipationStatus.PROPOSED: [],
        ParticipationStatus.APPROVED: [lambda: ws.participations.review(MANAGER, pid, "approve")],
        ParticipationStatus.CONFIRMED: [lambda: ws.participations.confirm(MANAGER, pid)],
        ParticipationStatus.COMPLETED: [
            lambda: ws.participations.confirm(MANAGER, pid),
            lambda: ws.participations.complete(MANAGER, pid),
        ],
        ParticipationStatus.DECLINED: [
            lambda: ws.participations.decline(ic.CreatorUser(c.id), pid)
        ],
        ParticipationStatus.DROPPED: [
            lambda: ws.participations.confirm(MANAGER, pid),
            lambda: ws.participations.drop(MANAGER, pid),
        ],
    }
    for step in steps[state]:
        step()
    return pid


def do_participation(ws: ic.Workspace, pid: str, action: ParticipationAction) -> None:
    calls: dict[ParticipationAction, Callable[[], object]] = {
        ParticipationAction.APPROVE: lambda: ws.participations.review(MANAGER, pid, "approve"),
        ParticipationAction.REJECT: lambda: ws.participations.review(
            MANAGER, pid, "reject", comment="no"
        ),
        ParticipationAction.CONFIRM: lambda: ws.participations.confirm(MANAGER, pid),
        ParticipationAction.DECLINE: lambda: ws.participations.decline(MANAGER, pid),
        ParticipationAction.COMPLETE: lambda: ws.participations.complete(MANAGER, pid),
        ParticipationAction.DROP: lambda: ws.participations.drop(MANAGER, pid),
    }
    calls[action]()


class TestParticipationRules:
    def test_only_proposed_creators_are_reviewed(self) -> None:
        """A creator no longer proposed refuses a list review and records nothing."""
        p = participation(ParticipationStatus.CONFIRMED)
        with pytest.raises(ic.InvalidTransition, match="review"):
            p.review(
                NOW,
                reviewer_id="member:u1",
                verdict=Verdict.APPROVE,
                comment="",
                policy=ic.ListApprovalPolicy(),
                audience=ic.AudienceDataState.SHARED,
            )
        assert (p.reviews, p.recorded) == ((), ())


class TestParticipationLifecycle:
    """Every (state, action) pair of a participation, through the services and the store."""

    @pytest.mark.parametrize(
        ("state", "action"), list(itertools.product(ParticipationStatus, ParticipationAction))
    )
    def test_participation_pairs(
        self, ws: ic.Workspace, state: ParticipationStatus, action: ParticipationAction
    ) -> None:
        """Participations: proposed → approved → confirmed → completed; declined; dropped."""
        pid = participation_in(ws, state)
        assert ws.participations.get(MANAGER, pid).status is state
        check_pair(
            ws,
            PARTICIPATION_LIFECYCLE.table.get((state, action)),
            lambda: do_participation(ws, pid, action),
            lambda: ws.participations.get(MANAGER, pid).status,
        )
