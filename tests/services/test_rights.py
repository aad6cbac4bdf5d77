"""Usage rights: channels, territories, local dates at their boundaries, revocation, the fee
as a cost, and the reminder before they expire."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import influcampaign as ic
from tests.conftest import MANAGER
from tests.services.test_capture import item, join, project

SYSTEM = ic.SystemActor()
PARIS = "Europe/Paris"
FIRST, LAST = dt.date(2026, 4, 1), dt.date(2026, 10, 25)  # LAST: the day clocks go back


def rights(**changes: object) -> ic.UsageRights:
    fields: dict[str, object] = {
        "id": "rgt_1",
        "submission_id": "sub_1",
        "participation_id": "par_1",
        "campaign_id": "cmp_1",
        "brand_id": "acme",
        "creator_id": "cre_1",
        "channels": ["paid_ads", "organic_repost"],
        "territories": ["FR", "be"],
        "starts_on": FIRST,
        "ends_on": LAST,
        "timezone": PARIS,
    }
    fields.update(changes)
    return ic.UsageRights(**fields)  # type: ignore[arg-type]


def captured(ws: ic.Workspace) -> str:
    """A captured post's submission id, in a running campaign with one creator."""
    join(ws, project(ws))
    (sid,) = ws.capture.run(SYSTEM, ic.MemoryPostSource([item()])).captured
    return sid


class TestUsageRights:
    """The rule of :meth:`UsageRights.may_use`."""

    def test_the_answer_says_why(self) -> None:
        """Allowed with the rights named; refused naming the channel, territory or date."""
        r = rights()
        assert r.may_use("paid_ads", "fr", FIRST).reason == (
            "rights rgt_1: paid_ads in FR until 2026-10-25"
        )
        assert r.may_use("print", "FR", FIRST).reason == (
            "rights rgt_1 cover organic_repost, paid_ads, not print"
        )
        assert r.may_use("paid_ads", "DE", FIRST).reason == "rights rgt_1 cover BE, FR, not DE"
        assert r.may_use("paid_ads", "FR", LAST.replace(day=26)).reason == (
            "rights rgt_1 ended on 2026-10-25"
        )
        assert not r.may_use("paid_ads", "FR", dt.date(2026, 3, 31))

    def test_worldwide_and_perpetual(self) -> None:
        """Worldwide rights cover every country; without a last day they never end."""
        r = rights(territories=["worldwide"], ends_on=None)
        assert r.may_use("paid_ads", "JP", dt.date(2099, 1, 1))

    @given(st.integers(-36 * 60, 36 * 60))
    def test_the_boundaries_are_local_days_of_the_campaign(self, minutes: int) -> None:
        """At any instant around the first and the last day, the answer is whether its
        local day in Paris lies within them (the last day is a 25-hour day)."""
        r = rights()
        for day in (FIRST, LAST):
            midnight = pendulum.datetime(day.year, day.month, day.day, tz=PARIS)
            moment = midnight.add(minutes=minutes).in_timezone("UTC")
            local = moment.in_timezone(PARIS).date()
            assert bool(r.may_use("paid_ads", "FR", moment)) == (FIRST <= local <= LAST)

    def test_the_last_instant_of_the_last_day(self) -> None:
        """23:59 in Paris on the last day is allowed; 22:30 UTC that evening is the next
        local day in summer, and 23:30 UTC on 25 October (winter time) is still the 26th."""
        r = rights()
        assert r.may_use("paid_ads", "FR", pendulum.datetime(2026, 10, 25, 23, 59, tz=PARIS))
        assert not r.may_use("paid_ads", "FR", pendulum.datetime(2026, 10, 25, 23, 30, tz="UTC"))
        assert r.may_use("paid_ads", "FR", pendulum.datetime(2026, 10, 25, 22, 59, tz="UTC"))
        summer = rights(ends_on=dt.date(2026, 7, 31))
        assert not summer.may_use(
            "paid_ads", "FR", pendulum.datetime(2026, 7, 31, 22, 30, tz="UTC")
        )

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"channels": ["billboard"]}, "channels"),
            ({"channels": []}, "channels"),
            ({"territories": ["France"]}, "territories"),
            ({"ends_on": dt.date(2026, 3, 1)}, "ends_on"),
            ({"starts_on": pendulum.datetime(2026, 4, 1)}, "starts_on"),
            ({"fee": 300}, "fee"),
        ],
    )
    def test_bad_rights_name_the_field(self, changes: dict[str, object], field: str) -> None:
        """Bad input is a ValidationError naming the field."""
        with pytest.raises(ic.ValidationError) as caught:
            rights(**changes)
        assert caught.value.field == field

    def test_a_naive_instant_is_refused(self) -> None:
        """``on`` must be a date or an aware datetime."""
        with pytest.raises(ic.ValidationError, match="on"):
            rights().may_use("paid_ads", "FR", dt.datetime(2026, 5, 1, 12))  # noqa: DTZ001


class TestRightsService:
    """Granting, asking, revoking and being reminded, on every backend."""

    def test_grant_plans_the_fee_and_answers(self, ws: ic.Workspace) -> None:
        """The fee is a planned cost of the participation; ``may_use`` answers by date."""
        sid = captured(ws)
        granted = ws.rights.grant(
            MANAGER,
            sid,
            channels=["paid_ads", "allowlisting"],
            territories=["FR"],
            starts_on=FIRST,
            ends_on=LAST,
            exclusive=True,
            fee=ic.Money.of(450, "EUR"),
        )
        (cost,) = ws.costs.list(MANAGER, granted.campaign_id)
        assert (cost.kind, cost.amount, cost.id) == (
            ic.CostKind.USAGE_RIGHTS,
            ic.Money.of(450, "EUR"),
            granted.cost_id,
        )
        assert ws.rights.may_use(MANAGER, sid, "allowlisting", "FR", LAST)
        answer = ws.rights.may_use(MANAGER, sid, "allowlisting", "FR", LAST.replace(day=26))
        assert answer.reason == f"rights {granted.id} ended on 2026-10-25"

    def test_without_rights_the_answer_is_no(self, ws: ic.Workspace) -> None:
        """A content without rights may not be used, and the answer says so."""
        sid = captured(ws)
        answer = ws.rights.may_use(MANAGER, sid, "website", "FR", FIRST)
        assert answer == ic.RightsAnswer(False, f"no usage rights are recorded for {sid}")

    def test_the_brand_is_reminded_before_expiry_once(self, ws: ic.Workspace) -> None:
        """The scheduler reminds the brand 14 days before the last day, once."""
        sid = captured(ws)
        granted = ws.rights.grant(
            MANAGER, sid, channels=["website"], territories=["FR"], starts_on=FIRST, ends_on=LAST
        )
        ws.clock.advance(days=225)  # type: ignore[attr-defined]  # 13 October
        ws.scheduler.run(SYSTEM)
        assert ws.scheduler.run(SYSTEM).finished == 0
        expiring = [m.event for m in ws.store.outbox.all() if m.event.type == "UsageRightsExpiring"]
        assert [e.rights_id for e in expiring] == [granted.id]  # type: ignore[attr-defined]

    def test_revoked_rights_refuse_and_are_not_reminded(self, ws: ic.Workspace) -> None:
        """Revoking cancels the reminder; from that day on, uses are refused."""
        sid = captured(ws)
        granted = ws.rights.grant(
            MANAGER, sid, channels=["website"], territories=["FR"], starts_on=FIRST, ends_on=LAST
        )
        ws.rights.revoke(MANAGER, granted.id, reason="the creator asked")
        assert ws.scheduler.pending(SYSTEM, subject_id=granted.id) == []
        answer = ws.rights.may_use(MANAGER, sid, "website", "FR", FIRST)
        assert answer.reason == f"rights {granted.id} were revoked: the creator asked"

    def test_only_the_brand_grants(self, ws: ic.Workspace) -> None:
        """A creator or an analyst may not record rights."""
        sid = captured(ws)
        analyst = ic.BrandMember("u_ana", brand_id="acme", role="analyst")
        with pytest.raises(ic.PermissionDenied):
            ws.rights.grant(analyst, sid, channels=["website"], territories=["FR"], starts_on=FIRST)
        assert ws.rights.list(MANAGER, sid) == []
