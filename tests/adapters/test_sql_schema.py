"""The SQL schema and its migrations (influcampaign.adapters.sql_schema)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import attrs
import pendulum
import pytest
import sqlalchemy as sa

import influcampaign as ic
from influcampaign.adapters.sql_schema import LATEST_VERSION, metadata
from influcampaign.domain.events import CreatorRegistered
from tests.conftest import upgrade_old_database
from tests.helpers import KEYS, MANAGER, T0, at, card, kit_offer, money_project, sales_project


def ic_event() -> ic.DomainEvent:

    return CreatorRegistered(
        occurred_at=pendulum.datetime(2025, 1, 1), creator_id="cre_old", display_name="Ancienne"
    )


APPLIED_AT = pendulum.datetime(2026, 5, 4, 9, 30)
"""When the version-6 database's applications were made."""


class TestSqlSchema:
    def test_migrate_creates_the_schema_and_is_idempotent(self, tmp_path: Path) -> None:
        """migrate() brings an empty file to the latest version; running it again changes nothing."""
        store = ic.SqlStore(f"sqlite:///{tmp_path / 'a.sqlite'}")
        assert store.schema_version() == 0
        assert store.migrate() == LATEST_VERSION
        assert store.migrate() == LATEST_VERSION
        assert store.schema_version() == LATEST_VERSION
        store.close()

    def test_migrated_tables_match_what_the_code_queries(self, tmp_path: Path) -> None:
        """Replaying the migrations on a database gives exactly the tables and columns of metadata()."""
        store = ic.SqlStore(f"sqlite:///{tmp_path / 'a.sqlite'}")
        store.migrate()
        inspector = sa.inspect(store.engine)
        expected = {name: {c.name for c in t.columns} for name, t in metadata().tables.items()}
        actual = {
            name: {c["name"] for c in inspector.get_columns(name)}
            for name in inspector.get_table_names()
        }
        assert actual == expected
        store.close()

    def test_sqlite_pragmas(self, tmp_path: Path) -> None:
        """The SQLite file runs in WAL mode with foreign keys on."""
        store = ic.SqlStore(f"sqlite:///{tmp_path / 'a.sqlite'}")
        store.migrate()
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        store.close()

    def test_amounts_are_stored_exactly_as_text(self, tmp_path: Path) -> None:
        """Money in stored documents is a decimal string, never a REAL."""
        ws = ic.open(f"sqlite:///{tmp_path / 'a.sqlite'}")
        manager = ic.BrandMember("u", brand_id="acme", role="owner")
        ws.campaigns.create(
            manager,
            brand_id="acme",
            name="X",
            kind="seeding",
            mode="project",
            start=pendulum.datetime(2026, 1, 1),
            end=pendulum.datetime(2026, 2, 1),
            timezone="UTC",
            compensation=ic.Compensation(fee=ic.Money.of("1234567.89", "EUR")),
            id="cmp_1",
        )
        ws.close()
        raw = (
            sqlite3.connect(tmp_path / "a.sqlite")
            .execute("SELECT doc FROM ic_campaigns")
            .fetchone()[0]
        )
        assert '"fee":{"amount":"1234567.89","currency":"EUR"}' in raw

    def test_unmigrated_store_says_to_migrate(self, tmp_path: Path) -> None:
        """Using a store before migrate() raises a StorageError that says what to do."""
        store = ic.SqlStore(f"sqlite:///{tmp_path / 'a.sqlite'}")
        with pytest.raises(ic.StorageError, match="migrate"):
            store.unit_of_work()
        store.close()

    def test_corrupt_file_is_a_storage_error(self, tmp_path: Path) -> None:
        """A file that is not SQLite gives a clear StorageError, never a driver traceback."""
        path = tmp_path / "corrupt.sqlite"
        path.write_bytes(b"this is not a database, just some bytes" * 200)
        with pytest.raises(ic.StorageError, match="corrupt or not SQLite") as info:
            ic.open(f"sqlite:///{path}")
        assert isinstance(info.value.__cause__, sa.exc.DatabaseError)

    def test_foreign_sqlite_file_is_refused_and_untouched(self, tmp_path: Path) -> None:
        """Another application's database is not written into."""
        path = tmp_path / "other.sqlite"
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        with pytest.raises(ic.StorageError, match="another application"):
            ic.open(f"sqlite:///{path}")
        with sqlite3.connect(path) as conn:
            names = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
        assert names == ["invoices"]

    def test_newer_schema_is_refused(self, tmp_path: Path) -> None:
        """A database written by a newer influcampaign is not downgraded or misread."""
        store = ic.SqlStore(f"sqlite:///{tmp_path / 'a.sqlite'}")
        store.migrate()
        with store.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE ic_meta SET value = '999' WHERE key = 'schema_version'")
        store.close()
        with pytest.raises(ic.StorageError, match="newer"):
            ic.open(f"sqlite:///{tmp_path / 'a.sqlite'}")

    def test_unknown_url_scheme_is_a_validation_error(self) -> None:
        """open() names the url it cannot use."""
        with pytest.raises(ic.ValidationError, match="url"):
            ic.open("mysql://localhost/x")


class TestUpgrades:
    """Databases written by older versions upgrade to the latest schema without loss."""

    def test_a_version_1_database_upgrades_without_loss(self, tmp_path: Path) -> None:
        """Data written at schema 1 reads back identically after migrating to the latest schema."""
        from influcampaign.adapters.sql_schema import LATEST_VERSION, MIGRATIONS

        url = f"sqlite:///{tmp_path / 'old.sqlite'}"
        store = ic.SqlStore(url)
        with store.engine.begin() as conn:
            from influcampaign.adapters.sql_schema import metadata

            replay = metadata(0)
            for step in MIGRATIONS[0]:
                step.apply(conn, replay)
            store._set_version(conn, 1)
        assert store.schema_version() == 1
        store._schema_checked = True  # write through the v1 tables, as an old library would
        creator = ic.Creator(id="cre_old", display_name="Ancienne", country="FR")
        with store.unit_of_work() as uow:
            uow.creators.add(creator)
            uow.emit(ic_event())
            uow.commit()
        store.close()

        upgraded = ic.SqlStore(url)
        assert upgraded.migrate() == LATEST_VERSION >= 2
        with upgraded.unit_of_work(read_only=True) as uow:
            assert uow.creators.get("cre_old") == attrs.evolve(creator, version=1)
            assert uow.participations.find() == []
        assert [m.event for m in upgraded.outbox.all()] == [ic_event()]
        upgraded.close()

    def test_a_version_2_submission_loads_with_the_new_fields_defaulted(
        self, tmp_path: object
    ) -> None:
        """A submission written before deliverables and validation existed reads back."""
        import json

        from influcampaign.adapters.sql_schema import LATEST_VERSION, MIGRATIONS, metadata

        url = f"sqlite:///{tmp_path}/v2.sqlite"
        store = ic.SqlStore(url)
        with store.engine.begin() as conn:
            replay = metadata(0)
            for steps in MIGRATIONS[:2]:
                for step in steps:
                    step.apply(conn, replay)
            store._set_version(conn, 2)
            old = {
                "id": "sub_1",
                "participation_id": "par_1",
                "campaign_id": "cmp_1",
                "brand_id": "acme",
                "creator_id": "cre_1",
                "url": "https://instagram.com/p/1",
                "platform": "instagram",
                "format": "post",
                "published_at": "2025-06-01T10:00:00+00:00",
                "submitted_at": "2025-06-01T11:00:00+00:00",
                "caption": "#ad",
                "is_video": False,
                "version": 0,
            }
            conn.exec_driver_sql(
                "INSERT INTO ic_submissions (id, version, doc, participation_id, campaign_id) "
                "VALUES (?, ?, ?, ?, ?)",
                ("sub_1", 1, json.dumps(old), "par_1", "cmp_1"),
            )
        store.close()
        upgraded = ic.SqlStore(url)
        assert upgraded.migrate() == LATEST_VERSION >= 3
        with upgraded.unit_of_work(read_only=True) as uow:
            sub = uow.submissions.get("sub_1")
            assert uow.deliverables.find() == []
        upgraded.close()
        assert (sub.caption, sub.status, sub.metrics, sub.validations) == (
            "#ad",
            ic.SubmissionStatus.SUBMITTED,
            None,
            (),
        )

    def test_a_v5_database_upgrades_with_default_targeting(self, tmp_path: Path) -> None:
        """A campaign stored before targeting and the matching policy existed reads with the
        defaults, and reviews can be stored after the upgrade."""

        source = ic.Workspace(ic.MemoryStore(), ic.FrozenClock(at(2)))
        made = kit_offer(source)
        doc = ic.make_converter().unstructure(source.campaigns.get(MANAGER, made.id))
        del doc["targeting"]
        del doc["policies"]["matching"]
        url = f"sqlite:///{tmp_path}/v5.sqlite"
        ws = ic.Workspace(upgrade_old_database(url, 5, doc), ic.FrozenClock(at(2)))
        loaded = ws.campaigns.get(MANAGER, made.id)
        assert loaded.targeting == ic.Targeting()
        assert loaded.policies.matching == ic.MatchingPolicy()
        assert ws.history.brand(MANAGER, "acme") == {}
        ws.close()

    def test_a_version_4_database_upgrades_with_the_money_tables(self, tmp_path: object) -> None:
        """A v4 database (before costs and rate cards) upgrades; its campaigns take the default
        EMV policy, and costs and cards can be written."""

        source = ic.Workspace(ic.MemoryStore(), ic.FrozenClock(at(1)))
        made = money_project(source)
        doc = ic.make_converter().unstructure(source.campaigns.get(MANAGER, made.id))
        del doc["policies"]["emv"]
        url = f"sqlite:///{tmp_path}/v4.sqlite"
        ws = ic.Workspace(upgrade_old_database(url, 4, doc), ic.FrozenClock(at(1)))
        assert ws.campaigns.get(MANAGER, made.id).policies.emv == ic.EmvPolicy()
        ws.costs.plan(MANAGER, made.id, "agency", ic.Money.of(10, "EUR"))
        ws.rate_cards.define(MANAGER, "acme", card(1, "0.1", dt.date(2026, 1, 1)))
        assert ws.costs.budget(MANAGER, made.id).total.planned == ic.Money.of(10, "EUR")
        ws.close()

    def test_a_version_3_database_upgrades_and_its_campaigns_take_the_default_policies(
        self,
        tmp_path: object,
    ) -> None:
        """Campaigns written before attribution existed load with the default policies, and the
        new tables are there."""

        source = ic.Workspace(ic.MemoryStore(), ic.FrozenClock(T0))
        made = sales_project(source)
        doc = ic.make_converter().unstructure(source.campaigns.get(MANAGER, made.id))
        del doc["policies"]["attribution"], doc["policies"]["clicks"]
        url = f"sqlite:///{tmp_path}/v3.sqlite"
        ws = ic.Workspace(upgrade_old_database(url, 3, doc), ic.FrozenClock(T0), keys=KEYS)
        loaded = ws.campaigns.get(MANAGER, made.id)
        assert loaded.policies.attribution == ic.AttributionPolicy()
        assert loaded.policies.attribution.window_days == 30
        assert loaded.policies.clicks.dedup_window_seconds == 3_600
        assert ws.sales.report(MANAGER, made.id).total == ic.SalesLine("EUR")
        ws.close()

    def test_a_version_6_database_keys_its_live_applications(self, tmp_path: Path) -> None:
        """Upgrading to version 7 keys the pending and accepted applications already stored, so
        a second live application of the same creator to the same offer is refused."""
        from influcampaign.adapters.sql_schema import MIGRATIONS

        url = f"sqlite:///{tmp_path / 'v6.sqlite'}"
        old = ic.SqlStore(url)
        with old.engine.begin() as conn:
            replay = metadata(0)
            for steps in MIGRATIONS[:6]:
                for step in steps:
                    step.apply(conn, replay)
            old._set_version(conn, 6)
            for id, creator, status in (
                ("app_1", "cre_1", "pending"),
                ("app_2", "cre_2", "refused"),
            ):
                doc = {
                    "id": id,
                    "campaign_id": "cmp_1",
                    "brand_id": "b1",
                    "creator_id": creator,
                    "applied_at": "2026-05-04T09:30:00Z",
                    "status": status,
                }
                conn.exec_driver_sql(
                    "INSERT INTO ic_applications (id, version, doc, campaign_id, creator_id, "
                    "status, applied_at_us) VALUES (?, 1, ?, 'cmp_1', ?, ?, 0)",
                    (id, json.dumps(doc), creator, status),
                )
        old.close()
        store = ic.SqlStore(url)
        assert store.migrate() == LATEST_VERSION
        with store.unit_of_work() as uow:
            with pytest.raises(ic.AlreadyExists) as info:
                uow.applications.add(
                    ic.Application(
                        id="app_3",
                        campaign_id="cmp_1",
                        brand_id="b1",
                        creator_id="cre_1",
                        applied_at=APPLIED_AT,
                    )
                )
            assert info.value.id == "app_1"
            uow.applications.add(
                ic.Application(
                    id="app_4",
                    campaign_id="cmp_1",
                    brand_id="b1",
                    creator_id="cre_2",
                    applied_at=APPLIED_AT,
                )
            )
            uow.commit()
        store.close()
