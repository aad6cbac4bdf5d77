"""The overlap service: a campaign's audience overlap and reach plan."""

from __future__ import annotations

import pendulum
import pytest

import influcampaign as ic
from tests.conftest import MANAGER


class TestCampaignOverlap:
    def _campaign(self, ws: ic.Workspace) -> tuple[ic.Campaign, dict[str, ic.Creator]]:
        campaign = ws.campaigns.create(
            MANAGER,
            brand_id="acme",
            name="Overlap",
            kind="seeding",
            mode="project",
            start=pendulum.datetime(2026, 3, 1, tz="Europe/Paris"),
            end=pendulum.datetime(2026, 6, 1, tz="Europe/Paris"),
            timezone="Europe/Paris",
            compensation=ic.Compensation(
                product_value=ic.Money.of("30", "EUR"), fee=ic.Money.of("70", "EUR")
            ),
        )
        creators = {}
        for name, state in (
            ("Léa", "shared"),
            ("Tom", "shared"),
            ("Zoé", "shared"),
            ("Ana", "hidden"),
            ("Max", "opted_out"),
            ("Eva", "shared"),
        ):
            creator = ws.creators.register(
                MANAGER,
                name,
                audience={"instagram": ic.AudienceStats(1_000)},
                audience_data=state,
            )
            ws.participations.add(MANAGER, campaign.id, creator.id)
            creators[name] = creator
        return campaign, creators

    def test_report_excludes_creators_without_data_and_never_reads_opted_out(
        self, ws: ic.Workspace
    ) -> None:
        """Hidden and opted-out creators and those without data are listed, with their state,
        outside the figures; the source is never asked for the opted-out creator."""
        campaign, c = self._campaign(ws)
        directory = ic.AudienceDirectory(
            {
                (c["Léa"].id, "instagram"): range(600),
                (c["Tom"].id, "instagram"): range(400, 900),
                (c["Zoé"].id, "instagram"): range(2_000, 2_100),
                (c["Max"].id, "instagram"): range(10),  # held, but must never be read
            }
        )
        report = ws.overlap.for_campaign(MANAGER, campaign.id, directory)
        assert report.creator_ids == (c["Léa"].id, c["Tom"].id, c["Zoé"].id)
        assert {(e.creator_id, e.state) for e in report.excluded} == {
            (c["Ana"].id, "hidden"),
            (c["Max"].id, "opted_out"),
            (c["Eva"].id, "no data"),
        }
        assert all(creator_id != c["Max"].id for creator_id, _ in directory.reads)
        assert report.distinct_reach.value == 1_000
        assert report.pair(c["Léa"].id, c["Tom"].id).shared.value == 200

    def test_plan_under_the_campaign_budget(self, ws: ic.Workspace) -> None:
        """With a budget, each creator costs the campaign's fee plus product (100 EUR)."""
        campaign, c = self._campaign(ws)
        directory = ic.AudienceDirectory(
            {
                (c["Léa"].id, "instagram"): range(600),
                (c["Tom"].id, "instagram"): range(400, 900),
                (c["Zoé"].id, "instagram"): range(2_000, 2_100),
            }
        )
        _, plan = ws.overlap.plan(MANAGER, campaign.id, directory, budget=ic.Money.of("200", "EUR"))
        assert plan.creator_ids == (c["Léa"].id, c["Tom"].id)
        assert plan.reach == 900
        assert plan.cost == ic.Money.of("200", "EUR")

    def test_statuses_filter(self, ws: ic.Workspace) -> None:
        """Only the statuses asked for; an unknown status is a ValidationError."""
        campaign, c = self._campaign(ws)
        from influcampaign.domain.participation import participation_id

        ws.participations.confirm(MANAGER, participation_id(campaign.id, c["Léa"].id))
        directory = ic.AudienceDirectory({(c["Léa"].id, "instagram"): [1, 2]})
        report = ws.overlap.for_campaign(MANAGER, campaign.id, directory, statuses=["confirmed"])
        assert report.creator_ids == (c["Léa"].id,)
        assert report.excluded == ()
        with pytest.raises(ic.ValidationError, match="statuses"):
            ws.overlap.for_campaign(MANAGER, campaign.id, directory, statuses=["lost"])

    def test_only_the_brand_reads_it(self, ws: ic.Workspace) -> None:
        """A creator cannot read a campaign's overlap."""
        campaign, c = self._campaign(ws)
        with pytest.raises(ic.PermissionDenied):
            ws.overlap.for_campaign(
                ic.CreatorUser(c["Léa"].id), campaign.id, ic.AudienceDirectory()
            )
