"""Campaigns (influcampaign.domain.campaign): windows, briefs, lifecycle and updates."""

from __future__ import annotations

import itertools

import attrs
import pendulum
import pytest

import influcampaign as ic
import influcampaign.domain
from influcampaign.domain.campaign import CAMPAIGN_LIFECYCLE, CampaignAction, CampaignStatus
from tests.helpers import END, START


def campaign(
    mode: str = "marketplace", status: CampaignStatus = CampaignStatus.DRAFT
) -> ic.Campaign:
    return ic.Campaign(
        id="cmp_1",
        brand_id="acme",
        name="Spring",
        kind="seeding",
        mode=mode,
        window=ic.DateWindow(START, END, "Europe/Paris"),
        status=status,
    )


class TestCampaign:
    def test_window_must_end_after_it_starts(self) -> None:
        """An end before (or at) the start is refused naming 'end'."""
        with pytest.raises(ic.ValidationError, match="end"):
            ic.DateWindow(END, START, "Europe/Paris")

    def test_window_needs_aware_datetimes_and_a_real_time_zone(self) -> None:
        """Naive datetimes and unknown time zones are refused."""
        with pytest.raises(ic.ValidationError, match="start"):
            ic.DateWindow(pendulum.naive(2026, 5, 1), END, "Europe/Paris")
        with pytest.raises(ic.ValidationError, match="timezone"):
            ic.DateWindow(START, END, "Europe/Atlantis")

    def test_window_is_stored_in_utc(self) -> None:
        """Start and end are kept in UTC; local() shows them in the campaign's zone."""
        window = ic.DateWindow(START, END, "Europe/Paris")
        assert window.start.timezone_name == "UTC"
        assert window.local(window.start).hour == 0

    def test_hashtags_and_mentions_are_normalised(self) -> None:
        """'SummerGlow' becomes '#SummerGlow', 'brand' becomes '@brand', duplicates are dropped."""
        c = attrs.evolve(
            campaign(), hashtags=["SummerGlow", "#SummerGlow", "#été"], mentions=["brand", "@brand"]
        )
        assert c.hashtags == ("#SummerGlow", "#été")
        assert c.mentions == ("@brand",)
        with pytest.raises(ic.ValidationError, match="hashtags"):
            attrs.evolve(c, hashtags=["two words"])

    def test_negative_compensation_is_refused(self) -> None:
        """A fee below zero makes no sense."""
        with pytest.raises(ic.ValidationError, match="fee"):
            ic.Compensation(fee=ic.Money.of(-1, "EUR"))

    def test_paid_and_gifted(self) -> None:
        """A fee makes a campaign paid, a product value makes it gifted; both can hold."""
        both = ic.Compensation(product_value=ic.Money.of(30, "EUR"), fee=ic.Money.of(200, "EUR"))
        assert (both.is_paid, both.is_gifted) == (True, True)
        assert ic.Compensation(product_value=ic.Money.of(30, "EUR")).is_paid is False


class TestCampaignLifecycle:
    @pytest.mark.parametrize(
        ("state", "action"), list(itertools.product(CampaignStatus, CampaignAction))
    )
    def test_every_state_and_action(self, state: CampaignStatus, action: CampaignAction) -> None:
        """Allowed pairs of the table move to the table's state; all others raise and change nothing."""
        c = campaign(status=state)
        if CAMPAIGN_LIFECYCLE.can(state, action):
            assert c.apply(action) == (state, CAMPAIGN_LIFECYCLE.table[(state, action)])
        else:
            with pytest.raises(ic.InvalidTransition):
                c.apply(action)
            assert c.status is state

    def test_projects_cannot_open_to_applications(self) -> None:
        """Only marketplace offers open to applications; a project starts directly."""
        project = campaign(mode="project")
        with pytest.raises(ic.InvalidTransition, match="open"):
            project.apply(CampaignAction.OPEN)
        statuses = [project.status]
        project.apply(CampaignAction.START)
        statuses.append(project.status)
        assert statuses == [CampaignStatus.DRAFT, CampaignStatus.RUNNING]

    def test_the_happy_path(self) -> None:
        """draft → open → running → ended → reviewed."""
        c = campaign()
        for action in ("open", "start", "end", "review"):
            c.apply(CampaignAction(action))
        assert c.status is CampaignStatus.REVIEWED
        assert CAMPAIGN_LIFECYCLE.allowed(CampaignStatus.REVIEWED) == frozenset()


class TestCampaignUpdate:
    @pytest.mark.parametrize(
        "status", [CampaignStatus.ENDED, CampaignStatus.REVIEWED, CampaignStatus.CANCELLED]
    )
    def test_ended_campaigns_are_frozen(self, status: CampaignStatus) -> None:
        """Once ended, reviewed or cancelled, a campaign refuses changes and records nothing."""
        c = campaign(status=status)
        with pytest.raises(ic.InvalidTransition, match="update"):
            c.update(START, name="Autumn")
        assert (c.name, c.recorded) == ("Spring", ())

    def test_only_editable_fields_change(self) -> None:
        """Fields outside the editable ones (status, version …) are refused before anything is set."""
        c = campaign()
        with pytest.raises(ic.ValidationError, match="changes"):
            c.update(START, name="Autumn", status="ended")
        assert (c.name, c.status, c.recorded) == ("Spring", CampaignStatus.DRAFT, ())
