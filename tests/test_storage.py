"""Storage: the contract on every backend, agreement with memory, and SQL specifics."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pendulum
import pytest
import sqlalchemy as sa
from hypothesis import settings
from tests.conftest import postgres

import influcampaign as ic
from influcampaign.adapters.sql_schema import LATEST_VERSION, metadata
from influcampaign.ports import Store
from influcampaign.testing import StorageContract, agreement_machine


class TestMemoryStore(StorageContract):
    """The reference backend passes the contract."""

    def make_store(self) -> Store:
        return ic.MemoryStore()


class TestSqliteStore(StorageContract):
    """The embedded SQLite backend passes the contract."""

    @pytest.fixture(autouse=True)
    def _directory(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self.directory = tmp_path_factory.mktemp("sqlite")
        self.count = 0

    def make_store(self) -> Store:
        self.count += 1
        store = ic.SqlStore(f"sqlite:///{self.directory / f'store{self.count}.sqlite'}")
        store.migrate()
        return store


class TestPostgresStore(StorageContract):
    """The PostgreSQL backend passes the contract (a real server, started by make test)."""

    def make_store(self) -> Store:
        store = ic.SqlStore(postgres().migrated())
        store.migrate()
        return store


class TestPostgresAgreesWithMemory(agreement_machine(lambda: _fresh_postgres()).TestCase):  # type: ignore[misc]
    """Random operations give the same answers on PostgreSQL as on the memory store."""

    settings = settings(stateful_step_count=30, deadline=None)


def _fresh_postgres() -> Store:
    return ic.SqlStore(postgres().migrated())


class TestSqliteAgreesWithMemory(agreement_machine(lambda: _fresh_sqlite()).TestCase):  # type: ignore[misc]
    """Random operations give the same answers on SQLite as on the memory store."""

    settings = settings(stateful_step_count=30, deadline=None)


_COUNTER = iter(range(10**9))


def _fresh_sqlite() -> Store:
    import tempfile

    directory = Path(tempfile.mkdtemp(prefix="ic-agree-"))
    store = ic.SqlStore(f"sqlite:///{directory / f'{next(_COUNTER)}.sqlite'}")
    store.migrate()
    return store


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


class TestSqliteConcurrency:
    def test_two_stores_on_one_file_never_lose_an_update(self, tmp_path: Path) -> None:
        """Writers in two threads with two stores on one file: every increment lands, or conflicts."""
        url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
        first = ic.SqlStore(url)
        first.migrate()
        second = ic.SqlStore(url)
        with first.unit_of_work() as uow:
            uow.creators.add(ic.Creator(id="c1", display_name="0"))
            uow.commit()
        landed = {"first": 0, "second": 0}

        def bump(store: ic.SqlStore, name: str) -> None:
            for _ in range(40):
                while True:
                    try:
                        with store.unit_of_work() as uow:
                            creator = uow.creators.get("c1")
                            creator.display_name = str(int(creator.display_name) + 1)
                            uow.creators.save(creator)
                            uow.commit()
                        landed[name] += 1
                        break
                    except ic.ConcurrencyConflict:
                        continue

        threads = [
            threading.Thread(target=bump, args=(s, n))
            for s, n in ((first, "first"), (second, "second"))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with first.unit_of_work(read_only=True) as uow:
            final = uow.creators.get("c1")
        assert int(final.display_name) == 80 == landed["first"] + landed["second"]
        assert final.version == 81
        first.close()
        second.close()
