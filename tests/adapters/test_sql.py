"""The SQL store (influcampaign.adapters.sql): the contract and agreement with memory on
SQLite and PostgreSQL, concurrency, driver errors and host transactions."""

from __future__ import annotations

import threading
from pathlib import Path

import pendulum
import pytest
import sqlalchemy as sa
from hypothesis import settings

import influcampaign as ic
from influcampaign.adapters.sql_schema import LATEST_VERSION
from influcampaign.domain.events import CreatorRegistered
from influcampaign.ports import Store
from influcampaign.testing import StorageContract, agreement_machine
from tests.conftest import postgres


def _fresh_postgres() -> Store:
    return ic.SqlStore(postgres().migrated())


_COUNTER = iter(range(10**9))


def _fresh_sqlite() -> Store:
    import tempfile

    directory = Path(tempfile.mkdtemp(prefix="ic-agree-"))
    store = ic.SqlStore(f"sqlite:///{directory / f'{next(_COUNTER)}.sqlite'}")
    store.migrate()
    return store


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


T0 = pendulum.datetime(2026, 5, 4, 9, 30)


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


class TestSqliteAgreesWithMemory(agreement_machine(lambda: _fresh_sqlite()).TestCase):  # type: ignore[misc]
    """Random operations give the same answers on SQLite as on the memory store."""

    settings = settings(stateful_step_count=30, deadline=None)


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
        from influcampaign.adapters.sql_errors import _translated

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
        (message,) = store.outbox.all()
        assert isinstance(message.event, CreatorRegistered)
        assert message.event.creator_id == "cre_1"
        store.close()

    def test_bind_needs_a_connection(self, tmp_path: Path) -> None:
        """bind() names what it was given when it is not a SQLAlchemy connection."""
        store = ic.SqlStore(f"sqlite:///{tmp_path / 'a.sqlite'}")
        with pytest.raises(ic.ValidationError, match="connection"):
            store.bind("not a connection")  # type: ignore[arg-type]
        store.close()
