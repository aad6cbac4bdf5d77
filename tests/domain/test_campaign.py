"""Creators, tiers, groups, campaigns and their lifecycle."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import pkgutil
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import strategies as st

import influcampaign as ic
import influcampaign.domain
from influcampaign.domain.access import Permission, Resource
from influcampaign.domain.campaign import CAMPAIGN_LIFECYCLE, CampaignAction, CampaignStatus
from influcampaign.domain.scheduling import Job
from influcampaign.testing import strategies as ics

START = pendulum.datetime(2026, 5, 1, tz="Europe/Paris")
END = pendulum.datetime(2026, 6, 1, tz="Europe/Paris")
DOMAIN_MODULES = [
    importlib.import_module(f"influcampaign.domain.{m.name}")
    for m in pkgutil.iter_modules(influcampaign.domain.__path__)
]


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


class TestTiers:
    @pytest.mark.parametrize(
        ("followers", "tier"),
        [
            (0, "nano"),
            (9_999, "nano"),
            (10_000, "micro"),
            (99_999, "micro"),
            (100_000, "mid"),
            (499_999, "mid"),
            (500_000, "macro"),
            (999_999, "macro"),
            (1_000_000, "mega"),
        ],
    )
    def test_default_thresholds(self, followers: int, tier: str) -> None:
        """The documented default split: <10k nano, <100k micro, <500k mid, <1M macro, else mega."""
        assert ic.TierPolicy().tier_for(followers) == tier

    def test_thresholds_are_configurable(self) -> None:
        """A brand can set its own boundaries."""
        policy = ic.TierPolicy((5_000, 50_000, 250_000, 2_000_000))
        assert policy.tier_for(7_000) == ic.Tier.MICRO
        assert policy.tier_for(1_500_000) == ic.Tier.MACRO

    @pytest.mark.parametrize("thresholds", [(1, 2, 3), (10, 5, 20, 30), (0, 1, 2, 3), (1, 2, 2, 3)])
    def test_refuses_thresholds_that_do_not_increase(self, thresholds: tuple[int, ...]) -> None:
        """Thresholds must be four positive, strictly increasing numbers."""
        with pytest.raises(ic.ValidationError, match="thresholds"):
            ic.TierPolicy(thresholds)

    def test_creator_tier_is_from_its_largest_platform(self) -> None:
        """A creator with 8k on Instagram and 150k on TikTok is mid."""
        creator = ic.Creator(
            id="c1",
            display_name="Sam",
            audience={"instagram": ic.AudienceStats(8_000), "tiktok": ic.AudienceStats(150_000)},
        )
        assert creator.followers == 150_000
        assert creator.tier() == ic.Tier.MID


class TestCreatorValidation:
    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"id": "has space"}, "id"),
            ({"id": ""}, "id"),
            ({"display_name": "   "}, "display_name"),
            ({"handles": {"myspace": "x"}}, "handles"),
            ({"handles": {"instagram": "bad handle!"}}, "handles.instagram"),
            ({"audience": {"instagram": ic.AudienceStats(1)}, "country": "France"}, "country"),
            ({"audience_data": "secret"}, "audience_data"),
            ({"created_at": pendulum.naive(2026, 1, 1)}, "created_at"),
            ({"themes": "food"}, "themes"),
            ({"contact": None, "language": "french"}, "language"),
        ],
    )
    def test_bad_fields_are_named(self, kwargs: dict[str, object], field: str) -> None:
        """Each invalid field raises ValidationError naming that field."""
        values: dict[str, object] = {"id": "c1", "display_name": "Alice", **kwargs}
        with pytest.raises(ic.ValidationError) as info:
            ic.Creator(**values)  # type: ignore[arg-type]
        assert field in info.value.field

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"followers": -1}, "followers"),
            ({"followers": 10, "engagement_rate": 1.5}, "engagement_rate"),
            ({"followers": 10, "average_views": -3}, "average_views"),
            ({"followers": True}, "followers"),
        ],
    )
    def test_negative_or_impossible_statistics_are_refused(
        self, kwargs: dict[str, object], field: str
    ) -> None:
        """Negative follower counts, rates above 1 and negative views are refused."""
        with pytest.raises(ic.ValidationError) as info:
            ic.AudienceStats(**kwargs)  # type: ignore[arg-type]
        assert info.value.field == field

    def test_handles_are_normalised(self) -> None:
        """'@alice' and 'INSTAGRAM' are read as platform instagram, handle alice."""
        creator = ic.Creator(id="c1", display_name=" Alice ", handles={"INSTAGRAM": "@alice"})
        assert creator.handles == {ic.Platform.INSTAGRAM: "alice"}
        assert creator.display_name == "Alice"

    def test_assignments_are_validated_too(self) -> None:
        """Setting a field on an aggregate runs the same validation."""
        creator = ic.Creator(id="c1", display_name="Alice")
        with pytest.raises(ic.ValidationError):
            creator.display_name = ""
        assert creator.display_name == "Alice"

    def test_redacted_copy_has_no_personal_data(self) -> None:
        """redacted() drops contact details and keeps the rest."""
        creator = ic.Creator(id="c1", display_name="A", contact=ic.ContactDetails(email="a@b.co"))
        assert creator.redacted().contact is None
        assert creator.contact is not None


class TestGroup:
    def test_members_are_unique_and_ordered(self) -> None:
        """Adding twice keeps one entry, in first-added order; add/remove report what changed."""
        group = ic.Group(id="g1", brand_id="acme", name="Food", creator_ids=["c2", "c1", "c2"])
        assert group.creator_ids == ("c2", "c1")
        assert group.add(["c1", "c3"]) == ("c3",)
        assert group.remove(["c2", "c9"]) == ("c2",)
        assert group.creator_ids == ("c1", "c3")


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


class TestFrozenClock:
    def test_advances_and_jumps(self) -> None:
        """advance() moves forward by an exact duration; set() jumps anywhere."""
        clock = ic.FrozenClock(pendulum.datetime(2026, 3, 28, 12, tz="Europe/Paris"))
        assert clock.now().timezone_name == "UTC"
        assert clock.advance(hours=25) == pendulum.datetime(2026, 3, 29, 12)
        clock.set(pendulum.datetime(2020, 1, 1))
        assert clock.now().year == 2020

    def test_refuses_naive_and_backwards(self) -> None:
        """A naive start, or advancing by a negative duration, is refused."""
        with pytest.raises(ic.ValidationError):
            ic.FrozenClock(pendulum.naive(2026, 1, 1))
        with pytest.raises(ic.ValidationError):
            ic.FrozenClock(pendulum.datetime(2026, 1, 1)).advance(days=-1)

    def test_system_clock_is_aware_utc(self) -> None:
        """The system clock returns an aware UTC instant."""
        assert ic.SystemClock().now().timezone_name == "UTC"


class TestErrors:
    def test_hierarchy(self) -> None:
        """One root; validation is a ValueError, not-found a LookupError."""
        assert issubclass(ic.ValidationError, ic.InflucampaignError)
        assert issubclass(ic.ValidationError, ValueError)
        assert issubclass(ic.NotFound, LookupError)
        for error in (
            ic.InvalidTransition,
            ic.ConcurrencyConflict,
            ic.PermissionDenied,
            ic.StorageError,
        ):
            assert issubclass(error, ic.InflucampaignError)

    def test_a_naive_timestamp_names_its_own_field(self) -> None:
        """A naive ``Job.finished_at`` is refused naming finished_at, not created_at, on
        construction and on assignment."""
        naive = dt.datetime(2026, 5, 4, 9)  # noqa: DTZ001 - naive on purpose
        with pytest.raises(ic.ValidationError, match="must be timezone-aware") as error:
            Job("job_1", "publication_reminder", START, "par_1", "cmp_1", finished_at=naive)
        assert error.value.field == "finished_at"
        job = Job("job_1", "publication_reminder", START, "par_1", "cmp_1")
        with pytest.raises(ic.ValidationError) as error:
            job.finished_at = naive  # type: ignore[assignment]
        assert error.value.field == "finished_at"
        job.finished_at = START
        assert job.finished_at.timezone_name == "UTC"

    def test_every_domain_field_error_names_its_own_field(self) -> None:
        """For every field of every domain type, a naive datetime is refused (if at all) by
        an error naming that field, whichever shared converter or validator it uses."""
        naive = dt.datetime(2026, 5, 4, 9)  # noqa: DTZ001 - naive on purpose
        checked = 0
        for module in DOMAIN_MODULES:
            for cls in vars(module).values():
                if not (
                    isinstance(cls, type) and attrs.has(cls) and cls.__module__ == module.__name__
                ):
                    continue
                for field in attrs.fields(cls):
                    errors: list[ic.ValidationError] = []
                    value: object = naive
                    try:
                        if field.converter is not None:
                            value = field.converter(value)
                        if field.validator is not None:
                            field.validator(None, field, value)
                    except ic.ValidationError as e:
                        errors.append(e)
                    except Exception:  # other checks need a real instance: not ours here
                        continue
                    for error in errors:
                        if "timezone-aware" in error.reason:
                            checked += 1
                            assert error.field.split(".")[-1] == field.name, (cls, field.name)
        assert checked >= 15

    def test_permission_denied_names_the_kind_once(self) -> None:
        """ "may not manage campaign cmp_1", not "manage campaign campaign cmp_1", for every
        permission and resource kind."""
        policy = ic.AccessPolicy()
        outsider = ic.BrandMember("u_x", brand_id="other", role="viewer")
        for kind in ("campaign", "creator", "group", "participation", "shipment", "templates"):
            resource = Resource(kind, "x_1", brand_id="acme")
            for permission in Permission:
                with pytest.raises(ic.PermissionDenied) as error:
                    policy.check(outsider, permission, resource)
                text = str(error.value)
                assert f"{kind} {kind}" not in text
                assert text.endswith(f"{kind} x_1")
                assert error.value.resource == f"{kind} x_1"
        with pytest.raises(ic.PermissionDenied, match=r"may not manage campaign x_1$"):
            policy.check(outsider, Permission.CAMPAIGN_WRITE, Resource("campaign", "x_1"))

    def test_messages_name_field_and_value(self) -> None:
        """ValidationError says which field, what was wrong and what was given."""
        error = ic.ValidationError("followers", -5, "must be a non-negative integer")
        assert str(error) == "followers: must be a non-negative integer (got -5)"


@pytest.mark.parametrize(
    "strategy",
    [ics.creators(), ics.campaigns(), ics.groups(), ics.principals(), ics.events(), ics.money()],
    ids=["creator", "campaign", "group", "principal", "event", "money"],
)
def test_strategies_build_valid_objects(strategy: st.SearchStrategy[Any]) -> None:
    """Every shipped strategy yields objects that pass their own validation."""
    from hypothesis import given, settings

    @settings(max_examples=20)
    @given(strategy)
    def check(value: object) -> None:
        assert attrs.has(type(value)) or isinstance(value, ic.Money)

    check()
