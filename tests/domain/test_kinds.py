"""What a campaign's kind sets up by default (KindPolicy), and that each default can be
changed: a contest's brief requirements, an event's coverage and reminders, a sales-tracking
campaign's codes and links; bad policy values are refused naming the field."""

from __future__ import annotations

from typing import Any

import pendulum
import pytest

import influcampaign as ic
from influcampaign.domain.brief import RequirementKind
from tests.conftest import MANAGER, T0

PARIS = "Europe/Paris"
KEYS = ic.SigningKeys({"k1": b"a test signing key of 32 bytes!!"}, current="k1")


def campaign(ws: ic.Workspace, kind: str, **policy: Any) -> ic.Campaign:
    """A running project of ``kind`` with a kind policy built from ``policy``."""
    made = ws.campaigns.create(
        MANAGER,
        brand_id="acme",
        name=f"A {kind}",
        kind=kind,
        mode="project",
        start=T0,
        end=T0.add(days=60),
        timezone=PARIS,
        policies=ic.CampaignPolicies(kinds=ic.KindPolicy(**policy)),
    )
    return ws.campaigns.start(MANAGER, made.id)


def confirmed(ws: ic.Workspace, campaign_id: str, name: str) -> str:
    """A creator with an Instagram handle, confirmed on the campaign; its participation id."""
    creator = ws.creators.register(MANAGER, name, handles={"instagram": name.lower()})
    pid = ws.participations.add(MANAGER, campaign_id, creator.id).id
    ws.participations.confirm(MANAGER, pid)
    return pid


class TestKindPolicy:
    def test_the_defaults(self) -> None:
        """By default a contest requires its rules, legal mentions and disclosure; an event
        plans three stories during and a post after, and reminds 7 and 1 days before."""
        policy = ic.KindPolicy()
        assert (policy.contest_rules, policy.contest_legal, policy.contest_disclosure) == (
            True,
            True,
            True,
        )
        assert [item.label for item in policy.event_coverage] == [
            "instagram story x3, during",
            "instagram post, within 3 day(s) after",
        ]
        assert policy.event_reminder_days == (7, 1)

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"event_reminder_days": [1, 7]}, "event_reminder_days"),
            ({"event_reminder_days": [0]}, "event_reminder_days"),
            ({"event_coverage": ["story"]}, "event_coverage"),
            ({"sales_percent_off": 0}, "sales_percent_off"),
        ],
    )
    def test_bad_values_name_their_field(self, fields: dict[str, Any], field: str) -> None:
        """A policy value that makes no sense is refused, naming its field."""
        with pytest.raises(ic.ValidationError) as raised:
            ic.KindPolicy(**fields)
        assert raised.value.field == field

    def test_bad_coverage_names_its_field(self) -> None:
        """Coverage of an unknown format, or of none, is refused."""
        with pytest.raises(ic.ValidationError, match=r"coverage\.format"):
            ic.CoverageItem("instagram", "hologram")
        with pytest.raises(ic.ValidationError, match=r"coverage\.quantity"):
            ic.CoverageItem("instagram", "story", 0)

    def test_a_campaign_keeps_its_kind_policy_through_storage(self, ws: ic.Workspace) -> None:
        """The kind policy is part of the campaign's policies, stored on every backend."""
        made = campaign(ws, "event", event_reminder_days=[3], contest_legal=False)
        stored = ws.campaigns.get(MANAGER, made.id).policies.kinds
        assert (stored.event_reminder_days, stored.contest_legal) == ((3,), False)


class TestContestDefaults:
    def brief_kinds(self, **policy: Any) -> list[RequirementKind]:
        made = ic.Campaign(
            id="cmp_x",
            brand_id="acme",
            name="Giveaway",
            kind="contest",
            mode="project",
            window=ic.DateWindow(T0, T0.add(days=30), PARIS),
            policies=ic.CampaignPolicies(kinds=ic.KindPolicy(**policy)),
        )
        contest = ic.Contest.create(
            T0,
            made,
            rules=ic.RulesDocument("https://acme.example/rules", "v1"),
            jurisdictions=["US"],
            window=made.window,
            prize="a kit",
        )
        check = ic.BriefCheck.for_campaign(made, contest=contest)
        return [item.kind for item in check.items]

    def test_a_contest_brief_requires_rules_legal_mentions_and_disclosure(self) -> None:
        """With the default policy the brief of a contest asks for all three."""
        kinds = set(self.brief_kinds())
        assert {
            RequirementKind.CONTEST_RULES,
            RequirementKind.CONTEST_LEGAL,
            RequirementKind.DISCLOSURE,
        } <= kinds

    def test_each_contest_default_can_be_turned_off(self) -> None:
        """Turning a default off removes its requirement, and only it."""
        assert RequirementKind.CONTEST_RULES not in self.brief_kinds(contest_rules=False)
        assert RequirementKind.CONTEST_LEGAL not in self.brief_kinds(contest_legal=False)
        assert RequirementKind.DISCLOSURE not in self.brief_kinds(contest_disclosure=False)
        assert RequirementKind.CONTEST_LEGAL in self.brief_kinds(contest_rules=False)

    def test_other_kinds_get_no_contest_requirement(self) -> None:
        """A seeding campaign's brief has no contest requirement by default."""
        made = ic.Campaign(
            id="cmp_y",
            brand_id="acme",
            name="Seeding",
            kind="seeding",
            mode="project",
            window=ic.DateWindow(T0, T0.add(days=30), PARIS),
        )
        kinds = {item.kind for item in ic.BriefCheck.for_campaign(made).items}
        assert not kinds & {RequirementKind.CONTEST_RULES, RequirementKind.CONTEST_LEGAL}


class TestEventDefaults:
    def test_changed_coverage_and_reminders_are_what_a_guest_gets(self, ws: ic.Workspace) -> None:
        """A brand that wants one reel two days after and one reminder the day before gets
        exactly that for each accepted guest; no coverage at all plans nothing."""
        launch = campaign(
            ws,
            "event",
            event_coverage=[ic.CoverageItem("tiktok", "video", 1, after_days=2)],
            event_reminder_days=[1],
        )
        event = ws.events.schedule(
            MANAGER,
            launch.id,
            name="Soirée",
            starts_at=pendulum.datetime(2026, 4, 9, 19, tz=PARIS),
            ends_at=pendulum.datetime(2026, 4, 9, 23, tz=PARIS),
            venue=ic.Venue(online_url="https://live.example/soiree"),
            capacity=10,
        )
        creator = ws.creators.register(MANAGER, "Nora").id
        ws.events.invite(MANAGER, event.id, [creator])
        guest = ws.events.respond(MANAGER, event.id, creator, accept=True)
        [video] = ws.deliverables.list(MANAGER, guest.participation_id)
        assert (video.platform.value, video.format.value, str(video.due_on)) == (
            "tiktok",
            "video",
            "2026-04-11",
        )
        jobs = ws.scheduler.pending(ic.SystemActor(), subject_id=guest.participation_id)
        assert [j.due_at.in_timezone(PARIS).isoformat() for j in jobs] == [
            "2026-04-08T19:00:00+02:00"
        ]
        bare = campaign(ws, "event", event_coverage=[], event_reminder_days=[])
        quiet = ws.events.schedule(
            MANAGER,
            bare.id,
            name="Apéro",
            starts_at=pendulum.datetime(2026, 4, 10, 19, tz=PARIS),
            ends_at=pendulum.datetime(2026, 4, 10, 21, tz=PARIS),
            venue=ic.Venue("Bar"),
            capacity=5,
        )
        ws.events.invite(MANAGER, quiet.id, [creator])
        guest = ws.events.respond(MANAGER, quiet.id, creator, accept=True)
        assert ws.deliverables.list(MANAGER, guest.participation_id) == []


class TestSalesTrackingDefaults:
    def test_every_confirmed_creator_gets_a_code_and_a_link_once(
        self, clock: ic.FrozenClock
    ) -> None:
        """Equipping a sales-tracking campaign gives each confirmed creator one promo code
        and one tracked link; running it again adds nothing; other kinds get nothing."""
        ws = ic.Workspace(ic.MemoryStore(), clock, ids=ic.SequentialIds(), keys=KEYS)
        sales = campaign(ws, "sales_tracking", sales_link_destination="https://acme.example/spring")
        first = confirmed(ws, sales.id, "Nora")
        equipped = ws.kinds.equip(MANAGER, sales.id)
        assert [c.participation_id for c in equipped.codes] == [first]
        assert [link.participation_id for link in equipped.links] == [first]
        assert equipped.codes[0].percent_off == 15
        second = confirmed(ws, sales.id, "Sami")
        again = ws.kinds.equip(MANAGER, sales.id)
        assert [c.participation_id for c in again.codes] == [second]
        assert ws.kinds.equip(MANAGER, sales.id) == ic.Equipped()
        seeding = campaign(ws, "seeding")
        confirmed(ws, seeding.id, "Jade")
        assert ws.kinds.equip(MANAGER, seeding.id) == ic.Equipped()

    def test_turned_off_the_campaign_gets_no_code(self, ws: ic.Workspace) -> None:
        """With sales_codes off (and no destination for links), nothing is created."""
        sales = campaign(ws, "sales_tracking", sales_codes=False)
        confirmed(ws, sales.id, "Nora")
        assert ws.kinds.equip(MANAGER, sales.id) == ic.Equipped()


class TestBadInput:
    def test_contest_and_event_values_name_their_field(self) -> None:
        """A venue with nothing, an event of no place, a bad country, a commitment that is
        not a SHA-256 are refused, naming the field."""
        with pytest.raises(ic.ValidationError, match="venue"):
            ic.Venue()
        with pytest.raises(ic.ValidationError, match=r"eligibility\.countries"):
            ic.EligibilityPolicy(countries=["France"])
        with pytest.raises(ic.ValidationError, match=r"rules\.url"):
            ic.RulesDocument("not a url", "v1")
        made = ic.Campaign(
            id="cmp_x",
            brand_id="acme",
            name="Giveaway",
            kind="contest",
            mode="project",
            window=ic.DateWindow(T0, T0.add(days=30), PARIS),
        )
        contest = ic.Contest.create(
            T0,
            made,
            rules=ic.RulesDocument("https://acme.example/rules", "v1"),
            jurisdictions=["FR"],
            window=made.window,
            prize="a kit",
        )
        with pytest.raises(ic.ValidationError, match="commitment"):
            contest.commit_seed(T0, "not-a-hash")
        assert contest.commitment is None
