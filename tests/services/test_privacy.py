"""Privacy (issue 20): a creator's data exported and erased, retention, the audit of reads."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.adapters.memory import MemoryStore
from influcampaign.adapters.sql import SqlStore
from influcampaign.domain.events import PersonalDataErased
from influcampaign.domain.privacy import ERASED, anonymous_name, scrub
from influcampaign.domain.shipment import ShipmentItem
from influcampaign.services.privacy import EXPORT_FORMAT
from tests.conftest import MANAGER
from tests.test_races import RACERS, Race, race  # noqa: F401 - the racers' fixture

NAME = "Zoé Lefèvre-Quintin"
HANDLE = "zoe.quintin.cooks"
EMAIL = "zoe.quintin@example.org"
PHONE = "+33 6 12 34 56 78"
ADDRESS = "27 rue des Capucines, 69001 Lyon"
PITCH = "Bonjour, je cuisine zéro déchet depuis 2019 et j'adore vos graines."
MESSAGE = "Le colis peut être laissé chez la gardienne, bâtiment B."
CAPTION = "Mon potager d'hiver, semé avec amour #ad"
NOTE = "Très réactive, un peu chère pour un nano profil."
PERSONAL = (NAME, HANDLE, EMAIL, PHONE, ADDRESS, PITCH, MESSAGE, CAPTION, NOTE)
"""Every personal value the scenario writes: none may survive erasure anywhere."""

ANALYST = ic.BrandMember("u_tom", brand_id="acme", role="analyst")
OWNER = ic.BrandMember("u_ana", brand_id="acme", role="owner")
OTHER_OWNER = ic.BrandMember("u_bob", brand_id="globex", role="owner")
SYSTEM = ic.SystemActor()


@attrs.frozen
class Story:
    """The scenario's campaign, creator and participation."""

    campaign: ic.Campaign
    creator: ic.Creator
    participation: ic.Participation
    shipment_id: str


def offer(ws: ic.Workspace) -> ic.Campaign:
    """An open marketplace offer of brand acme."""
    campaign = ws.campaigns.create(
        MANAGER,
        brand_id="acme",
        name="Printemps",
        kind="seeding",
        mode="marketplace",
        start=pendulum.datetime(2026, 3, 1, tz="Europe/Paris"),
        end=pendulum.datetime(2026, 6, 1, tz="Europe/Paris"),
        timezone="Europe/Paris",
    )
    return ws.campaigns.open(MANAGER, campaign.id)


def story(ws: ic.Workspace, clock: ic.FrozenClock) -> Story:
    """A creator with personal data everywhere: it applies, is accepted, writes, receives a
    parcel at its address, publishes, is paid and reviewed."""
    campaign = offer(ws)
    creator = ws.creators.register(
        MANAGER,
        NAME,
        handles={"instagram": HANDLE},
        audience={"instagram": ic.AudienceStats(12_000, engagement_rate=0.05)},
        themes=["food"],
        country="FR",
        contact=ic.ContactDetails(
            email=EMAIL, phone=PHONE, legal_name=NAME, postal_address=ADDRESS
        ),
    )
    me = ic.CreatorUser(creator.id)
    application = ws.applications.apply(me, campaign.id, creator.id, pitch=PITCH)
    participation = ws.applications.accept(MANAGER, application.id, message=f"Bienvenue {NAME} !")
    ws.messages.send(me, participation.id, MESSAGE)
    ws.messages.send(MANAGER, participation.id, f"Merci {NAME}, c'est noté (@{HANDLE}).")
    shipment = ws.shipments.create(
        MANAGER, participation.id, [ShipmentItem("Kit potager", 1, ic.Money.of("30", "EUR"))]
    )
    ws.shipments.ship(MANAGER, shipment.id, carrier="Colissimo")
    ws.shipments.deliver(me, shipment.id)
    ws.campaigns.start(MANAGER, campaign.id)
    clock.advance(days=2)
    ws.submissions.submit(
        me,
        participation.id,
        url=f"https://www.instagram.com/{HANDLE}/reel/1/",
        platform="instagram",
        format="reel",
        published_at=clock.now(),
        caption=CAPTION,
        metrics={"views": 4_000, "likes": 300, "comments": 12, "shares": 5, "saves": 20},
    )
    cost = ws.costs.plan(
        MANAGER,
        campaign.id,
        "fee",
        ic.Money.of("150", "EUR"),
        participation_id=participation.id,
        description=f"Fee for {NAME} ({EMAIL})",
    )
    ws.costs.commit(MANAGER, cost.id)
    ws.costs.pay(MANAGER, cost.id, reference="VIR-2026-0042")
    ws.campaigns.end(MANAGER, campaign.id)
    ws.reviews.rate(
        MANAGER,
        campaign.id,
        creator.id,
        ratings={"content_quality": 5, "reliability": 4},
        work_again=True,
        note=NOTE,
    )
    return Story(campaign, creator, participation, shipment.id)


def stored_texts(store: ic.Store) -> list[tuple[str, str]]:
    """Every row of every table of the store (the outbox included), as (table, text)."""
    if isinstance(store, MemoryStore):
        rows = [
            (kind, json.dumps(row.doc, ensure_ascii=False) + json.dumps(row.index, default=str))
            for kind, table in store._tables.items()
            for row in table.values()
        ]
        return rows + [("outbox", json.dumps(r.doc, ensure_ascii=False)) for r in store._outbox]
    assert isinstance(store, SqlStore)
    found = []
    with store.engine.connect() as conn:
        for table in store._tables.sorted_tables:
            columns = [sa.cast(c, sa.Text) for c in table.columns]
            for row in conn.execute(sa.select(*columns)):
                found.append((table.name, " ".join(str(v) for v in row)))
    return found


def leaks(store: ic.Store) -> list[tuple[str, str]]:
    """The (table, personal value) pairs still found in the store."""
    return [
        (table, value)
        for table, text in stored_texts(store)
        for value in PERSONAL
        if value in text or json.dumps(value)[1:-1] in text
    ]


def totals(ws: ic.Workspace, campaign_id: str) -> dict[str, Any]:
    """The campaign report's totals."""
    report = ws.reports.campaign(MANAGER, campaign_id, draws=200, seed=7)
    return {
        "roi": report.roi_total.record(),
        "budget": report.budget.total,
        "emv": [c.emv for c in report.emv.contents],
        "segments": [s.record() for s in report.segments],
    }


class TestErasure:
    """``workspace.privacy.erase``: personal data gone everywhere, figures kept."""

    def test_no_byte_of_personal_data_remains_in_any_table(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """After erasure, no personal value of the creator remains in any table, the outbox
        included, on every backend; before it, the scan finds them (it does look)."""
        s = story(ws, clock)
        assert {value for _, value in leaks(ws.store)} == set(PERSONAL)
        ws.privacy.erase(ic.CreatorUser(s.creator.id), s.creator.id)
        assert leaks(ws.store) == []

    def test_the_report_keeps_its_totals(self, ws: ic.Workspace, clock: ic.FrozenClock) -> None:
        """A report after erasure gives the same totals, with the creator anonymous."""
        s = story(ws, clock)
        before = totals(ws, s.campaign.id)
        ws.privacy.erase(SYSTEM, s.creator.id)
        assert totals(ws, s.campaign.id) == before
        erased = ws.creators.get(MANAGER, s.creator.id)
        assert erased.display_name == anonymous_name(s.creator.id)
        assert erased.contact is None
        assert erased.handles == {}
        assert erased.audience == s.creator.audience

    def test_erasure_is_idempotent_and_audited_without_personal_data(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Erasing twice writes nothing the second time; the audit entry names counts and
        what was kept (costs, payments, orders), never a personal value."""
        s = story(ws, clock)
        entry = ws.privacy.erase(SYSTEM, s.creator.id)
        outbox = len(list(ws.store.outbox.all()))
        again = ws.privacy.erase(SYSTEM, s.creator.id)
        assert again == entry
        assert len(list(ws.store.outbox.all())) == outbox
        assert entry.counts["messages"] == 4  # accepted, two written, shipped
        assert entry.counts["shipments"] == 1
        assert "costs and payments" in entry.kept
        assert not any(v in repr(entry) for v in PERSONAL)
        (erased,) = [m.event for m in ws.store.outbox.all() if m.event.type == "CreatorErased"]
        assert erased.audit_id == entry.id  # type: ignore[attr-defined]
        cost = ws.costs.list(MANAGER, s.campaign.id)[0]
        assert (cost.paid, cost.reference) == (ic.Money.of("150", "EUR"), "VIR-2026-0042")

    def test_only_the_creator_or_the_system_may_erase(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Erasure reaches every brand: a brand's owner may not run it, and nothing changes."""
        s = story(ws, clock)
        for actor in (OWNER, MANAGER, ANALYST, OTHER_OWNER, ic.CreatorUser("cre_other")):
            with pytest.raises(ic.PermissionDenied):
                ws.privacy.erase(actor, s.creator.id)
        assert ws.creators.get(MANAGER, s.creator.id).display_name == NAME


class TestExport:
    """``workspace.privacy.export``: one versioned JSON document of everything about a creator."""

    def test_the_creator_exports_everything_as_json(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """The document is JSON, in the documented format and version, with every section."""
        s = story(ws, clock)
        doc = ws.privacy.export(ic.CreatorUser(s.creator.id), s.creator.id)
        assert json.loads(json.dumps(doc)) == doc
        assert (doc["format"], doc["version"]) == (EXPORT_FORMAT, ic.EXPORT_VERSION)
        assert doc["creator"]["contact"]["postal_address"] == ADDRESS
        assert [m["body"] for m in doc["messages"]][1] == MESSAGE
        assert doc["shipments"][0]["ship_to"] == ADDRESS
        assert doc["applications"][0]["pitch"] == PITCH
        assert doc["submissions"][0]["caption"] == CAPTION
        assert len(doc["costs"]) == 1
        assert doc["clicks"] == {}
        assert "note" not in doc["reviews"][0]  # the brand's private note is withheld

    def test_a_brand_exports_only_its_own_records(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Another brand's owner gets the profile but none of acme's records; an analyst may
        not export at all."""
        s = story(ws, clock)
        ws.creators.contact(OWNER, s.creator.id)
        doc = ws.privacy.export(OTHER_OWNER, s.creator.id)
        assert doc["creator"]["id"] == s.creator.id
        assert doc["audit"] == []  # acme's reads are acme's
        assert doc["participations"] == doc["messages"] == doc["costs"] == []
        assert ws.privacy.export(OWNER, s.creator.id)["reviews"][0]["note"] == NOTE
        with pytest.raises(ic.PermissionDenied):
            ws.privacy.export(ANALYST, s.creator.id)


class TestAudit:
    """Reads of personal data leave an audit entry (who, what, when)."""

    def test_reads_of_personal_data_are_audited(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """A manager reading contact details or an address is logged; an analyst's redacted
        read and the creator's own read are not."""
        s = story(ws, clock)
        me = ic.CreatorUser(s.creator.id)
        before = len(ws.privacy.audit(me, s.creator.id))
        ws.creators.get(ANALYST, s.creator.id)
        ws.creators.get(me, s.creator.id)
        assert ws.shipments.get(ANALYST, s.shipment_id).ship_to is None
        assert len(ws.privacy.audit(me, s.creator.id)) == before
        ws.creators.contact(MANAGER, s.creator.id)
        assert ws.shipments.get(MANAGER, s.shipment_id).ship_to == ADDRESS
        ws.privacy.export(OWNER, s.creator.id)
        entries = ws.privacy.audit(me, s.creator.id)[before:]
        assert [(e.action.value, e.what, e.at) for e in entries] == [
            ("read", ("contact",), clock.now()),
            ("read", ("shipment address",), clock.now()),
            ("export", ("everything",), clock.now()),
        ]
        assert entries[0].actor == str(MANAGER)
        assert entries[0].brand_id == "acme"
        assert ws.privacy.audit(OTHER_OWNER, s.creator.id) == []
        with pytest.raises(ic.PermissionDenied):
            ws.privacy.audit(MANAGER, s.creator.id)


class TestRetention:
    """A retention policy, applied by the scheduler exactly once per record."""

    def test_the_scheduler_expires_each_record_once(
        self, make_workspace: Callable[[], ic.Workspace], clock: ic.FrozenClock
    ) -> None:
        """Past their retention, message texts, visitor hashes, shipment addresses and stale
        applications' texts go, each with one event, however often the scheduler runs."""
        ws = make_workspace()
        s = story(ws, clock)
        stale = ws.creators.register(MANAGER, "Ines", audience={"instagram": ic.AudienceStats(900)})
        late = offer(ws)
        refused = ws.applications.apply(
            ic.CreatorUser(stale.id), late.id, stale.id, pitch="Je suis Ines, choisissez-moi"
        )
        ws.applications.refuse(MANAGER, refused.id, reason="out_of_target", message="Désolé")
        policy = ic.RetentionPolicy(
            visitor_hashes=30, messages=60, shipment_addresses=30, stale_applications=45
        )
        retained = ic.Workspace(ws.store, clock, ids=ws.ids, retention=policy)
        assert retained.scheduler.run(SYSTEM).expired == 0
        clock.advance(days=61)
        runs = [retained.scheduler.run(SYSTEM) for _ in range(3)]
        assert [r.expired for r in runs] == [4 + 1 + 1, 0, 0]
        erased = [m.event for m in ws.store.outbox.all() if isinstance(m.event, PersonalDataErased)]
        assert sorted((e.kind, e.reason) for e in erased) == [
            ("application", "retention"),
            ("message", "retention"),
            ("message", "retention"),
            ("message", "retention"),
            ("message", "retention"),
            ("shipment", "retention"),
        ]
        assert ws.shipments.get(MANAGER, s.shipment_id).ship_to is None
        assert {m.body for m in ws.messages.thread(MANAGER, s.participation.id)} == {ERASED}
        assert ws.applications.get(MANAGER, refused.id).pitch == ""

    def test_concurrent_schedulers_expire_each_record_once(
        self, make_workspace: Callable[[], ic.Workspace], clock: ic.FrozenClock
    ) -> None:
        """Schedulers running at once (threads, one workspace each) write one event per
        expired record between them."""
        s = story(make_workspace(), clock)
        policy = ic.RetentionPolicy(messages=1, shipment_addresses=1)
        workers = [make_workspace() for _ in range(3)]
        clock.advance(days=2)
        runs: list[ic.SchedulerRun] = []

        def run(ws: ic.Workspace) -> None:
            scheduler = ic.Workspace(ws.store, clock, ids=ws.ids, retention=policy).scheduler
            runs.append(ic.retry(lambda: scheduler.run(SYSTEM), attempts=20))

        threads = [threading.Thread(target=run, args=(w,)) for w in workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sum(r.expired for r in runs) == 4 + 1
        erased = [
            m.event
            for m in workers[0].store.outbox.all()
            if isinstance(m.event, PersonalDataErased)
        ]
        assert len(erased) == 5
        assert len({e.aggregate_id for e in erased}) == 5
        assert workers[0].shipments.get(MANAGER, s.shipment_id).ship_to is None

    def test_a_policy_refuses_nonsense_days(self) -> None:
        """Days are whole and at least 1 (None keeps the data); bad values name the field."""
        with pytest.raises(ic.ValidationError, match="messages"):
            ic.RetentionPolicy(messages=0)
        with pytest.raises(ic.ValidationError, match="visitor_hashes"):
            ic.RetentionPolicy(visitor_hashes=1.5)  # type: ignore[arg-type]
        never = ic.RetentionPolicy(messages=None)
        assert never.cutoff(pendulum.datetime(2026, 3, 2), "messages") is None


class TestScrub:
    """``scrub``: personal strings taken out of free texts."""

    @given(st.text(max_size=40), st.text("abcdeéz ", min_size=3, max_size=12))
    def test_no_occurrence_is_left(self, text: str, secret: str) -> None:
        """Whatever the text, no occurrence of a personal string of 3+ letters is left (unless
        the replacement itself holds it)."""
        scrubbed = scrub(text + secret + text, [secret])
        assert secret not in scrubbed or secret in ERASED


class TestSqliteFile:
    """The SQLite file itself, not only its tables."""

    def test_no_personal_byte_remains_in_the_file(
        self, tmp_path: Path, clock: ic.FrozenClock
    ) -> None:
        """After erasure and closing, the file's bytes hold none of the personal values
        (``secure_delete`` overwrites the freed pages)."""
        path = tmp_path / "erased.sqlite"
        ws = ic.open(f"sqlite:///{path}", clock=clock, ids=ic.SequentialIds())
        s = story(ws, clock)
        ws.privacy.erase(SYSTEM, s.creator.id)
        ws.close()
        data = path.read_bytes()
        assert [v for v in PERSONAL if v.encode() in data] == []


def _expire_personal_data(ws: ic.Workspace) -> str:
    """A racer's step: run the scheduler with a retention policy; how many it expired."""
    policy = ic.RetentionPolicy(messages=1, shipment_addresses=1)
    scheduler = ic.Workspace(ws.store, ws.clock, ids=ws.ids, retention=policy).scheduler
    return str(scheduler.run(SYSTEM).expired)


class TestRetentionRaces:
    """Retention across host processes, on SQLite and PostgreSQL."""

    def test_processes_expire_each_record_once(self, race: Race) -> None:  # noqa: F811
        """Schedulers in several processes at the same moment expire each record once, with
        one event each."""
        s = story(race.ws, race.clock)
        outcomes = race.run(
            "retention",
            *[(_expire_personal_data, ())] * RACERS,
            at=race.clock.now().add(days=2),
        )
        assert [o.kind for o in outcomes] == ["ok"] * RACERS
        assert sum(int(o.detail) for o in outcomes) == 4 + 1
        erased = [
            m.event
            for m in race.ws.store.outbox.all()
            if isinstance(m.event, PersonalDataErased) and m.event.reason == "retention"
        ]
        assert sorted(e.kind for e in erased) == ["message"] * 4 + ["shipment"]
        assert len({e.aggregate_id for e in erased}) == 5
        assert race.ws.shipments.get(MANAGER, s.shipment_id).ship_to is None


class TestCreatorErase:
    """``Creator.erase``: the aggregate's own rule."""

    def test_erase_pseudonymises_once(self) -> None:
        """The name becomes the stable pseudonym, handles and contact go, figures stay; the
        second erase changes and records nothing."""
        at = pendulum.datetime(2026, 3, 2, tz="UTC")
        creator = ic.Creator(
            id="cre_1",
            display_name=NAME,
            handles={"instagram": HANDLE},
            audience={"instagram": ic.AudienceStats(5_000)},
            contact=ic.ContactDetails(email=EMAIL),
        )
        assert creator.personal_strings == {NAME, HANDLE, f"@{HANDLE}", EMAIL}
        assert creator.erase(at) == ("display_name", "contact", "handles")
        assert (creator.display_name, creator.handles, creator.contact) == (
            anonymous_name("cre_1"),
            {},
            None,
        )
        assert creator.followers == 5_000
        assert creator.personal_strings == frozenset()
        assert creator.erase(at) == ()
        assert [type(e).__name__ for e in creator.recorded] == ["PersonalDataErased"]
