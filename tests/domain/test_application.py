"""Applications (influcampaign.domain.application): the lifecycle table and its rules."""

from __future__ import annotations

import itertools

import pytest

import influcampaign as ic
from influcampaign.domain.application import (
    APPLICATION_LIFECYCLE,
    Application,
    ApplicationAction,
    ApplicationStatus,
)
from tests.conftest import MANAGER
from tests.helpers import NOW, check_pair, creator, make_offer


def application_in(ws: ic.Workspace, state: ApplicationStatus) -> str:
    campaign, c = make_offer(ws), creator(ws)
    app = ws.applications.apply(ic.CreatorUser(c.id), campaign.id, c.id, pitch="Hello")
    if state is ApplicationStatus.ACCEPTED:
        ws.applications.accept(MANAGER, app.id, message="Welcome!")
    elif state is ApplicationStatus.REFUSED:
        ws.applications.refuse(MANAGER, app.id, message="Not this time", reason="out_of_target")
    elif state is ApplicationStatus.WITHDRAWN:
        ws.applications.withdraw(ic.CreatorUser(c.id), app.id)
    return app.id


def do_application(ws: ic.Workspace, app_id: str, action: ApplicationAction) -> None:
    app = ws.applications.get(MANAGER, app_id)
    if action is ApplicationAction.ACCEPT:
        ws.applications.accept(MANAGER, app_id, message="Welcome!")
    elif action is ApplicationAction.REFUSE:
        ws.applications.refuse(MANAGER, app_id, message="Sorry")
    else:
        ws.applications.withdraw(ic.CreatorUser(app.creator_id), app_id)


class TestApplicationRules:
    def test_a_decided_application_is_not_decided_again(self) -> None:
        """Once accepted, an application refuses another decision and records nothing more."""
        app = Application.submit(
            NOW, id="app_1", campaign_id="cmp_1", brand_id="acme", creator_id="cre_1"
        )
        app.accept(NOW, by="u1", message="Welcome!", participation_id="par_1")
        with pytest.raises(ic.InvalidTransition, match="decide"):
            app.ensure_pending()
        assert [e.type for e in app.recorded] == ["ApplicationSubmitted", "ApplicationAccepted"]


class TestApplicationLifecycle:
    """Every (state, action) pair of an application, through the services and the store."""

    @pytest.mark.parametrize(
        ("state", "action"), list(itertools.product(ApplicationStatus, ApplicationAction))
    )
    def test_application_pairs(
        self, ws: ic.Workspace, state: ApplicationStatus, action: ApplicationAction
    ) -> None:
        """Applications: pending → accepted | refused | withdrawn, and a decision is final."""
        app_id = application_in(ws, state)
        assert ws.applications.get(MANAGER, app_id).status is state
        check_pair(
            ws,
            APPLICATION_LIFECYCLE.table.get((state, action)),
            lambda: do_application(ws, app_id, action),
            lambda: ws.applications.get(MANAGER, app_id).status,
        )
