"""Storage: the contract on every backend, agreement with memory, and SQL specifics."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pendulum
import pytest
import sqlalchemy as sa
from hypothesis import settings

import influcampaign as ic
from influcampaign.adapters.sql_schema import LATEST_VERSION, metadata
from influcampaign.domain.events import CreatorRegistered
from influcampaign.ports import Store
from influcampaign.testing import StorageContract, agreement_machine
from tests.conftest import postgres


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


def _sql_url(backend: str, directory: Path) -> str:
    return f"sqlite:///{directory / 'store.sqlite'}" if backend == "sqlite" else postgres().fresh()


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database on each SQL backend."""
    return _sql_url(str(request.param), tmp_path)


def _fake_driver_error(**attributes: object) -> sa.exc.OperationalError:
    orig = Exception("driver says something")
    for name, value in attributes.items():
        setattr(orig, name, value)
    return sa.exc.OperationalError("SELECT 1", {}, orig)


class TestStorageErrors:
    @pytest.mark.parametrize(
        ("attributes", "expected"),
        [
            ({"sqlite_errorcode": 5}, ic.StorageBusy),  # SQLITE_BUSY
            ({"sqlite_errorcode": 6}, ic.StorageBusy),  # SQLITE_LOCKED
            ({"sqlite_errorcode": 5 | (2 << 8)}, ic.StorageBusy),  # SQLITE_BUSY_SNAPSHOT
            ({"sqlite_errorcode": 14}, ic.StorageUnavailable),  # SQLITE_CANTOPEN
            ({"sqlite_errorcode": 19}, ic.StorageIntegrityError),  # SQLITE_CONSTRAINT
            ({"sqlite_errorcode": 11}, ic.StorageError),  # SQLITE_CORRUPT
            ({"sqlstate": "40001"}, ic.StorageBusy),  # serialization_failure
            ({"sqlstate": "40P01"}, ic.StorageBusy),  # deadlock_detected
            ({"sqlstate": "55P03"}, ic.StorageBusy),  # lock_not_available
            ({"sqlstate": "08006"}, ic.StorageUnavailable),  # connection_failure
            ({"sqlstate": "57P01"}, ic.StorageUnavailable),  # admin_shutdown
            ({"sqlstate": "23505"}, ic.StorageIntegrityError),  # unique_violation
            ({"sqlstate": "42P01"}, ic.StorageError),  # undefined_table
        ],
    )
    def test_driver_errors_are_typed_by_code_not_text(
        self, attributes: dict[str, object], expected: type[ic.StorageError]
    ) -> None:
        """Each driver error becomes the StorageError subclass its code says, whatever its text."""
        from influcampaign.adapters.sql import _translated

        with pytest.raises(ic.StorageError) as info, _translated("doing it"):
            raise _fake_driver_error(**attributes)
        assert type(info.value) is expected
        assert isinstance(info.value.__cause__, sa.exc.OperationalError)
        retryable = expected in (ic.StorageBusy, ic.StorageUnavailable)
        assert isinstance(info.value, ic.TransientError) is retryable

    def test_a_busy_sqlite_writer_is_a_retryable_storage_busy(self, tmp_path: Path) -> None:
        """A writer that waits past busy_timeout for another writer gets StorageBusy, a
        TransientError; once the other commits, a retry succeeds."""
        url = f"sqlite:///{tmp_path / 'busy.sqlite'}"
        first = ic.SqlStore(url)
        first.migrate()
        second = ic.SqlStore(url, busy_timeout=0.05)
        holder = first.unit_of_work()
        holder.creators.add(ic.Creator(id="cre_1", display_name="Alice"))  # takes the write lock
        with pytest.raises(ic.StorageBusy), second.unit_of_work() as uow:
            uow.creators.add(ic.Creator(id="cre_2", display_name="Bea"))
        holder.commit()
        holder.__exit__(None, None, None)

        def add_bea() -> None:
            with second.unit_of_work() as uow:
                uow.creators.add(ic.Creator(id="cre_2", display_name="Bea"))
                uow.commit()

        ic.retry(add_bea)
        with second.unit_of_work(read_only=True) as uow:
            assert [c.id for c in uow.creators.find()] == ["cre_1", "cre_2"]
        first.close()
        second.close()

    def test_an_unreachable_postgresql_is_storage_unavailable(self, tmp_path: Path) -> None:
        """A server that does not answer is StorageUnavailable (retryable), not a driver error."""
        store = ic.SqlStore(f"postgresql+psycopg://nobody@/nothing?host={tmp_path}&port=1")
        with pytest.raises(ic.StorageUnavailable) as info:
            store.migrate()
        assert isinstance(info.value, ic.TransientError)
        store.close()

    def test_a_damaged_document_names_its_aggregate(self, sql_url: str) -> None:
        """A stored document that no longer parses (or no longer fits its type) raises
        CorruptDocument naming the kind and id, for aggregates and for events alike."""
        store = ic.SqlStore(sql_url)
        store.migrate()
        with store.unit_of_work() as uow:
            uow.creators.add(ic.Creator(id="cre_1", display_name="Alice"))
            uow.creators.add(ic.Creator(id="cre_2", display_name="Bea"))
            uow.emit(CreatorRegistered(occurred_at=T0, creator_id="cre_1", display_name="A"))
            uow.commit()
        damage = '\'{"id": "cre_2"\' ' if store.dialect == "sqlite" else "'{\"id\": 7}'"
        with store.engine.begin() as conn:
            conn.exec_driver_sql(f"UPDATE ic_creators SET doc = {damage} WHERE id = 'cre_2'")
            conn.exec_driver_sql('UPDATE ic_outbox SET payload = \'{"type": "nope"}\'')
        with store.unit_of_work(read_only=True) as uow:
            assert uow.creators.get("cre_1").display_name == "Alice"
            with pytest.raises(ic.CorruptDocument) as info:
                uow.creators.get("cre_2")
            assert (info.value.kind, info.value.id) == ("creator", "cre_2")
            with pytest.raises(ic.CorruptDocument):
                uow.creators.find()
        with pytest.raises(ic.CorruptDocument) as event_info:
            store.outbox.pending()
        assert event_info.value.kind == "event"
        store.close()


T0 = pendulum.datetime(2026, 5, 4, 9, 30)


class TestReadersNeverWait:
    def test_reads_go_on_while_a_writer_holds_the_sqlite_lock(self, tmp_path: Path) -> None:
        """With a writer holding SQLite's write lock, the outbox, the schema version and
        read-only units answer at once (a short busy_timeout would fail them otherwise)."""
        url = f"sqlite:///{tmp_path / 'readers.sqlite'}"
        writer_store = ic.SqlStore(url)
        writer_store.migrate()
        with writer_store.unit_of_work() as uow:
            uow.creators.add(ic.Creator(id="cre_1", display_name="Alice"))
            uow.emit(CreatorRegistered(occurred_at=T0, creator_id="cre_1", display_name="A"))
            uow.commit()
        reader = ic.SqlStore(url, busy_timeout=0.05)
        writer = writer_store.unit_of_work()
        writer.creators.add(ic.Creator(id="cre_2", display_name="Bea"))  # holds the write lock
        try:
            assert reader.schema_version() == LATEST_VERSION
            assert [m.event.type for m in reader.outbox.pending()] == ["CreatorRegistered"]
            assert len(list(reader.outbox.all())) == 1
            with reader.unit_of_work(read_only=True) as uow:
                assert [c.id for c in uow.creators.find()] == ["cre_1"]
            with pytest.raises(ic.StorageBusy):
                reader.outbox.mark_delivered([m.id for m in reader.outbox.pending()])
        finally:
            writer.__exit__(None, None, None)
            reader.close()
            writer_store.close()


class TestHostTransactions:
    def test_the_sdk_writes_commit_and_roll_back_with_the_host(self, sql_url: str) -> None:
        """A workspace bound to the host's connection writes inside the host's transaction:
        the host's own table and the SDK's aggregates and outbox land together or not at all."""
        store = ic.SqlStore(sql_url)
        store.migrate()
        host = sa.MetaData()
        invoices = sa.Table("host_invoices", host, sa.Column("id", sa.String(20), primary_key=True))
        host.create_all(store.engine)
        owner = ic.BrandMember("u1", brand_id="acme", role="owner")
        for commit in (False, True):
            with store.engine.connect() as conn:
                ws = ic.Workspace(store.bind(conn), ic.FrozenClock(T0))
                conn.execute(sa.insert(invoices).values(id=f"inv_{commit}"))
                ws.creators.register(owner, f"Creator {commit}", id=f"cre_{int(commit)}")
                with pytest.raises(ic.ValidationError):
                    ws.creators.register(owner, "")  # a failing call undoes only its own writes
                if commit:
                    conn.commit()
                else:
                    conn.rollback()
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(invoices.c.id)).scalars().all() == ["inv_True"]
        with store.unit_of_work(read_only=True) as uow:
            assert [c.id for c in uow.creators.find()] == ["cre_1"]
        assert [m.event.creator_id for m in store.outbox.all()] == ["cre_1"]  # type: ignore[attr-defined]
        store.close()

    def test_bind_needs_a_connection(self, tmp_path: Path) -> None:
        """bind() names what it was given when it is not a SQLAlchemy connection."""
        store = ic.SqlStore(f"sqlite:///{tmp_path / 'a.sqlite'}")
        with pytest.raises(ic.ValidationError, match="connection"):
            store.bind("not a connection")  # type: ignore[arg-type]
        store.close()


class TestSchemaVersion7:
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
                        applied_at=T0,
                    )
                )
            assert info.value.id == "app_1"
            uow.applications.add(
                ic.Application(
                    id="app_4",
                    campaign_id="cmp_1",
                    brand_id="b1",
                    creator_id="cre_2",
                    applied_at=T0,
                )
            )
            uow.commit()
        store.close()
