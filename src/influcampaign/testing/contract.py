"""The storage contract: one test suite every backend must pass.

Subclass it and say how to make a fresh, migrated store::

    class TestMyStore(StorageContract):
        def make_store(self) -> Store:
            return MyStore(...)

The in-memory store is the reference; influcampaign runs this suite against memory,
SQLite and PostgreSQL, and hosts may run it against their own backend.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Sequence
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from influcampaign.adapters._aggregates import SPECS, AggregateSpec
from influcampaign.domain.application import Application, ApplicationAction, ApplicationStatus
from influcampaign.domain.campaign import Campaign, Compensation, DateWindow
from influcampaign.domain.creator import AudienceStats, ContactDetails, Creator
from influcampaign.domain.events import CreatorRegistered, CreatorUpdated
from influcampaign.domain.group import Group
from influcampaign.domain.messaging import Message
from influcampaign.domain.money import Money
from influcampaign.domain.scheduling import Job, JobKind, JobStatus
from influcampaign.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    NotFound,
    StorageError,
    ValidationError,
)
from influcampaign.ports import Store
from influcampaign.testing import strategies as ics
from influcampaign.testing.samples import aggregates, sample, spec_of

__all__ = ["StorageContract"]

T0 = pendulum.datetime(2026, 5, 4, 9, 30)

# Property tests here run once per backend subclass: each subclass is another "executor"
# of the same test function, which is this suite's purpose, not an accident.
_INHERITED = [HealthCheck.too_slow, HealthCheck.differing_executors]

_EVERY_KIND = pytest.mark.parametrize("spec", SPECS, ids=[spec.kind for spec in SPECS])
"""Run a contract test once per aggregate kind (``AggregateSpec``), with the kind as its id."""


def _creator(id: str = "cre_1", name: str = "Alice", country: str | None = "FR") -> Creator:
    return Creator(
        id=id,
        display_name=name,
        handles={"instagram": "alice"},
        audience={"instagram": AudienceStats(followers=12_000, engagement_rate=0.05)},
        themes=frozenset({"food"}),
        country=country,
        contact=ContactDetails(email="alice@example.org"),
        created_at=T0,
    )


def _registered(creator_id: str) -> CreatorRegistered:
    return CreatorRegistered(occurred_at=T0, creator_id=creator_id, display_name="x")


class StorageContract(abc.ABC):
    """What every store promises: versioned aggregates, atomic units of work, an outbox."""

    @abc.abstractmethod
    def make_store(self) -> Store:
        """A fresh, empty, migrated store."""

    @pytest.fixture
    def store(self) -> Iterator[Store]:
        """A fresh store, closed after the test."""
        store = self.make_store()
        yield store
        store.close()

    def _add(self, store: Store, *creators: Creator) -> None:
        with store.unit_of_work() as uow:
            for creator in creators:
                uow.creators.add(creator)
            uow.commit()

    # -- aggregates ----------------------------------------------------------------

    def test_added_aggregate_reads_back_equal_at_version_1(self, store: Store) -> None:
        """What is added and committed reads back equal, at version 1."""
        creator = _creator()
        self._add(store, creator)
        with store.unit_of_work(read_only=True) as uow:
            loaded = uow.creators.get("cre_1")
        assert loaded == creator
        assert loaded.version == 1

    def test_missing_id_raises_not_found(self, store: Store) -> None:
        """Getting an unknown id raises NotFound, which is also a LookupError."""
        with store.unit_of_work(read_only=True) as uow, pytest.raises(LookupError) as info:
            uow.campaigns.get("cmp_missing")
        assert isinstance(info.value, NotFound)
        assert "cmp_missing" in str(info.value)

    def test_adding_an_existing_id_raises_and_keeps_the_original(self, store: Store) -> None:
        """A second add with the same id raises AlreadyExists and the first stays."""
        self._add(store, _creator(name="Alice"))
        with pytest.raises(AlreadyExists):
            self._add(store, _creator(name="Impostor"))
        with store.unit_of_work(read_only=True) as uow:
            assert uow.creators.get("cre_1").display_name == "Alice"

    def test_save_increments_the_version(self, store: Store) -> None:
        """Each save of a fresh copy raises the version by one."""
        self._add(store, _creator())
        for expected in (2, 3):
            with store.unit_of_work() as uow:
                creator = uow.creators.get("cre_1")
                creator.display_name = f"Alice {expected}"
                uow.creators.save(creator)
                uow.commit()
            assert creator.version == expected
        with store.unit_of_work(read_only=True) as uow:
            loaded = uow.creators.get("cre_1")
        assert (loaded.version, loaded.display_name) == (3, "Alice 3")

    def test_saving_a_stale_copy_raises_and_writes_nothing(self, store: Store) -> None:
        """A copy loaded before someone else's save cannot overwrite it: ConcurrencyConflict."""
        self._add(store, _creator())
        with store.unit_of_work(read_only=True) as uow:
            stale = uow.creators.get("cre_1")
        with store.unit_of_work() as uow:
            fresh = uow.creators.get("cre_1")
            fresh.display_name = "First writer"
            uow.creators.save(fresh)
            uow.commit()
        stale.display_name = "Lost update"
        with store.unit_of_work() as uow:
            uow.creators.add(_creator("cre_2", "Bystander"))
            with pytest.raises(ConcurrencyConflict) as info:
                uow.creators.save(stale)
        assert (info.value.expected, info.value.actual) == (1, 2)
        with store.unit_of_work(read_only=True) as uow:
            assert uow.creators.get("cre_1").display_name == "First writer"
            assert not uow.creators.exists("cre_2")

    def test_saving_an_aggregate_never_added_is_a_conflict(self, store: Store) -> None:
        """Saving something that was never added raises ConcurrencyConflict (actual None)."""
        ghost = _creator("cre_ghost")
        ghost.version = 1
        with store.unit_of_work() as uow, pytest.raises(ConcurrencyConflict) as info:
            uow.creators.save(ghost)
        assert info.value.actual is None

    def test_leaving_without_commit_rolls_back(self, store: Store) -> None:
        """Writes and events of a unit of work left without commit are forgotten."""
        with store.unit_of_work() as uow:
            uow.creators.add(_creator())
            uow.emit(_registered("cre_1"))
            assert uow.creators.exists("cre_1")  # visible inside its own unit of work
        with store.unit_of_work(read_only=True) as uow:
            assert not uow.creators.exists("cre_1")
        assert list(store.outbox.pending()) == []

    def test_an_exception_rolls_back(self, store: Store) -> None:
        """An exception leaving the block rolls back everything of the unit of work."""

        def add_then_fail() -> None:
            with store.unit_of_work() as uow:
                uow.creators.add(_creator())
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            add_then_fail()
        with store.unit_of_work(read_only=True) as uow:
            assert not uow.creators.exists("cre_1")

    def test_explicit_rollback_then_more_work(self, store: Store) -> None:
        """After rollback, the same unit of work can write and commit again."""
        with store.unit_of_work() as uow:
            uow.creators.add(_creator("cre_1"))
            uow.rollback()
            uow.creators.add(_creator("cre_2"))
            uow.commit()
        with store.unit_of_work(read_only=True) as uow:
            assert [c.id for c in uow.creators.find()] == ["cre_2"]

    def test_loaded_objects_are_copies(self, store: Store) -> None:
        """Changing a loaded object changes nothing stored until it is saved."""
        self._add(store, _creator())
        with store.unit_of_work() as uow:
            loaded = uow.creators.get("cre_1")
            loaded.display_name = "Mutated"
            assert uow.creators.get("cre_1").display_name == "Alice"
            uow.commit()
        with store.unit_of_work(read_only=True) as uow:
            assert uow.creators.get("cre_1").display_name == "Alice"

    def test_added_objects_are_copied(self, store: Store) -> None:
        """Changing an object after add does not change what was stored."""
        creator = _creator()
        with store.unit_of_work() as uow:
            uow.creators.add(creator)
            creator.display_name = "Changed after add"
            uow.commit()
        with store.unit_of_work(read_only=True) as uow:
            assert uow.creators.get("cre_1").display_name == "Alice"

    def test_find_filters_on_indexed_fields_in_id_order(self, store: Store) -> None:
        """find() returns matches of every filter, ordered by id, up to limit."""
        self._add(
            store,
            _creator("cre_3", country="FR"),
            _creator("cre_1", country="FR"),
            _creator("cre_2", country="GB"),
            _creator("cre_4", country=None),
        )
        with store.unit_of_work(read_only=True) as uow:
            assert [c.id for c in uow.creators.find(country="FR")] == ["cre_1", "cre_3"]
            assert [c.id for c in uow.creators.find(country=None)] == ["cre_4"]
            assert [c.id for c in uow.creators.find(limit=2)] == ["cre_1", "cre_2"]
            assert [c.id for c in uow.creators.find(country="FR", audience_data="hidden")] == []

    def test_find_sees_uncommitted_writes_of_its_own_unit(self, store: Store) -> None:
        """Inside a unit of work, find() sees its own adds and saves."""
        self._add(store, _creator("cre_1", country="FR"))
        with store.unit_of_work() as uow:
            moved = uow.creators.get("cre_1")
            moved.country = "GB"
            uow.creators.save(moved)
            uow.creators.add(_creator("cre_2", country="FR"))
            assert [c.id for c in uow.creators.find(country="FR")] == ["cre_2"]

    def test_find_on_an_unindexed_field_is_refused(self, store: Store) -> None:
        """Filtering on a field that is not indexed raises ValidationError naming it."""
        with (
            store.unit_of_work(read_only=True) as uow,
            pytest.raises(ValidationError, match="display_name"),
        ):
            uow.creators.find(display_name="Alice")

    def test_read_only_unit_refuses_writes(self, store: Store) -> None:
        """A read-only unit of work raises StorageError on any write."""
        with store.unit_of_work(read_only=True) as uow, pytest.raises(StorageError):
            uow.creators.add(_creator())

    def test_savepoint_undoes_only_its_block(self, store: Store) -> None:
        """A failing savepoint block is undone; the rest of the unit of work commits."""
        with store.unit_of_work() as uow:
            uow.creators.add(_creator("cre_1"))

            def add_then_fail() -> None:
                with uow.savepoint():
                    uow.creators.add(_creator("cre_2"))
                    uow.emit(_registered("cre_2"))
                    raise RuntimeError("undo me")

            with pytest.raises(RuntimeError):
                add_then_fail()
            uow.emit(_registered("cre_1"))
            uow.commit()
        with store.unit_of_work(read_only=True) as uow:
            assert [c.id for c in uow.creators.find()] == ["cre_1"]
        assert [m.event.creator_id for m in store.outbox.pending()] == ["cre_1"]  # type: ignore[attr-defined]

    def test_each_aggregate_kind_round_trips(self, store: Store) -> None:
        """Groups and campaigns are stored and read back like creators."""
        group = Group(id="grp_1", brand_id="b1", name="Food", creator_ids=("cre_1", "cre_2"))
        campaign = Campaign(
            id="cmp_1",
            brand_id="b1",
            name="Spring",
            kind="seeding",
            mode="marketplace",
            window=DateWindow(T0, T0.add(days=30), "Europe/Paris"),
            compensation=Compensation(fee=Money.of("250", "EUR")),
            hashtags=("#Spring",),
            status="open",
        )
        with store.unit_of_work() as uow:
            uow.groups.add(group)
            uow.campaigns.add(campaign)
            uow.commit()
        with store.unit_of_work(read_only=True) as uow:
            assert uow.groups.get("grp_1") == group
            assert uow.campaigns.get(campaign.id) == campaign
            assert uow.campaigns.find(brand_id=campaign.brand_id, status=campaign.status.value) == [
                campaign
            ]

    @settings(max_examples=25, suppress_health_check=_INHERITED, deadline=None)
    @given(creator=ics.creators(), campaign=ics.campaigns())
    def test_any_valid_aggregate_round_trips(self, creator: Creator, campaign: Campaign) -> None:
        """Every valid creator and campaign reads back exactly as written."""
        store = self.make_store()
        try:
            with store.unit_of_work() as uow:
                uow.creators.add(creator)
                uow.campaigns.add(campaign)
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                assert uow.creators.get(creator.id) == attrs.evolve(creator, version=1)
                assert uow.campaigns.get(campaign.id) == attrs.evolve(campaign, version=1)
        finally:
            store.close()

    # -- outbox --------------------------------------------------------------------

    def test_committed_events_are_pending_in_order_with_stable_ids(self, store: Store) -> None:
        """Committed events are pending oldest first, each with one id that does not change."""
        with store.unit_of_work() as uow:
            uow.emit(_registered("a"), _registered("b"))
            uow.commit()
        with store.unit_of_work() as uow:
            uow.emit(CreatorUpdated(occurred_at=T0, creator_id="a", fields=("display_name",)))
            uow.commit()
        first = list(store.outbox.pending())
        again = list(store.outbox.pending())
        assert [m.event.type for m in first] == [
            "CreatorRegistered",
            "CreatorRegistered",
            "CreatorUpdated",
        ]
        assert [m.id for m in first] == [m.id for m in again]
        assert len({m.id for m in first}) == 3
        assert [m.position for m in first] == sorted(m.position for m in first)
        assert first[2].event == CreatorUpdated(
            occurred_at=T0, creator_id="a", fields=("display_name",)
        )

    def test_delivered_events_leave_the_pending_list(self, store: Store) -> None:
        """mark_delivered removes messages from pending; unknown ids are ignored."""
        with store.unit_of_work() as uow:
            uow.emit(_registered("a"), _registered("b"), _registered("c"))
            uow.commit()
        pending = list(store.outbox.pending())
        store.outbox.mark_delivered([pending[0].id, "evt_unknown"])
        assert [m.id for m in store.outbox.pending()] == [m.id for m in pending[1:]]
        assert [m.id for m in store.outbox.pending(limit=1)] == [pending[1].id]
        assert [m.id for m in store.outbox.all()] == [m.id for m in pending]

    @settings(max_examples=20, suppress_health_check=_INHERITED, deadline=None)
    @given(event=ics.events())
    def test_any_event_round_trips_through_the_outbox(self, event: CreatorRegistered) -> None:
        """Every kind of event comes out of the outbox equal to what went in."""
        store = self.make_store()
        try:
            with store.unit_of_work() as uow:
                uow.emit(event)
                uow.commit()
            assert [m.event for m in store.outbox.pending()] == [event]
        finally:
            store.close()

    # -- named finders: the queries the services use ------------------------------------

    def test_due_jobs_are_the_pending_ones_due_by_now_soonest_first(self, store: Store) -> None:
        """jobs.due(now) lists pending jobs due at or before now, soonest first, then by id,
        up to ``limit``; jobs.pending_for filters by subject, kind and due time."""
        kinds = (JobKind.PUBLICATION_REMINDER, JobKind.APPLICATION_PENDING)
        jobs = [
            Job(
                id=f"job_{i}",
                kind=kinds[i % 2],
                due_at=T0.add(hours=(i * 7) % 5),
                subject_id=f"sub_{i % 3}",
                campaign_id="cmp_1",
            )
            for i in range(9)
        ]
        jobs[4].finish(JobStatus.DONE, T0)
        with store.unit_of_work() as uow:
            for job in jobs:
                uow.jobs.add(job)
            uow.commit()
        pending = [j for j in jobs if j.status is JobStatus.PENDING]
        now = T0.add(hours=2)
        expected = sorted((j for j in pending if j.due_at <= now), key=lambda j: (j.due_at, j.id))
        with store.unit_of_work(read_only=True) as uow:
            assert [j.id for j in uow.jobs.due(now)] == [j.id for j in expected]
            assert [j.id for j in uow.jobs.due(now, limit=2)] == [j.id for j in expected[:2]]
            for subject in ("sub_0", "sub_1"):
                mine = sorted(
                    (j for j in pending if j.subject_id == subject), key=lambda j: (j.due_at, j.id)
                )
                assert [j.id for j in uow.jobs.pending_for(subject)] == [j.id for j in mine]
                assert [j.id for j in uow.jobs.pending_for(subject, kind=kinds[0], due_by=now)] == [
                    j.id for j in mine if j.kind is kinds[0] and j.due_at <= now
                ]

    def test_a_thread_reads_in_writing_order(self, store: Store) -> None:
        """messages.thread lists one participation's messages by time, then by sequence."""

        def message(id: str, pid: str, minutes: int, sequence: int) -> Message:
            return Message(
                id=id,
                participation_id=pid,
                campaign_id="cmp_1",
                brand_id="b1",
                creator_id="cre_1",
                author="brand",
                body=f"hello {id}",
                sent_at=T0.add(minutes=minutes),
                sequence=sequence,
            )

        written = [
            message("msg_z", "par_1", 0, 1),
            message("msg_a", "par_1", 5, 3),
            message("msg_m", "par_1", 5, 2),
            message("msg_b", "par_2", 1, 1),
        ]
        with store.unit_of_work() as uow:
            for m in written:
                uow.messages.add(m)
            uow.commit()
        with store.unit_of_work(read_only=True) as uow:
            assert [m.id for m in uow.messages.thread("par_1")] == ["msg_z", "msg_m", "msg_a"]
            assert [m.id for m in uow.messages.thread("par_3")] == []

    def test_applications_to_an_offer_oldest_first(self, store: Store) -> None:
        """applications.to_offer lists one offer's applications by date (then id), by status."""
        applications = [_application(f"app_{i}", f"cre_{i}", T0.add(hours=-i)) for i in range(4)]
        applications[1].decide(ApplicationAction.REFUSE, now=T0, by="u1")
        with store.unit_of_work() as uow:
            for a in [*applications, _application("app_x", "cre_1", T0, campaign="cmp_2")]:
                uow.applications.add(a)
            uow.commit()
        with store.unit_of_work(read_only=True) as uow:
            assert [a.id for a in uow.applications.to_offer("cmp_1")] == [
                "app_3",
                "app_2",
                "app_1",
                "app_0",
            ]
            pending = uow.applications.to_offer("cmp_1", status=ApplicationStatus.PENDING)
            assert [a.id for a in pending] == ["app_3", "app_2", "app_0"]

    # -- rules the store holds across records --------------------------------------------

    def test_one_live_application_per_offer_and_creator(self, store: Store) -> None:
        """A second pending application of a creator to an offer is refused; once the first
        is withdrawn, the creator may apply again."""
        with store.unit_of_work() as uow:
            uow.applications.add(_application("app_1", "cre_1", T0))
            uow.commit()
        with store.unit_of_work() as uow, pytest.raises(AlreadyExists) as info:
            uow.applications.add(_application("app_2", "cre_1", T0))
        assert info.value.id == "app_1"
        with store.unit_of_work() as uow:
            first = uow.applications.get("app_1")
            first.decide(ApplicationAction.WITHDRAW, now=T0, by="cre_1")
            uow.applications.save(first)
            uow.applications.add(_application("app_2", "cre_1", T0))
            uow.applications.add(_application("app_3", "cre_2", T0))
            uow.commit()
        with store.unit_of_work(read_only=True) as uow:
            assert [a.id for a in uow.applications.to_offer("cmp_1")] == ["app_1", "app_2", "app_3"]

    def test_a_refused_add_leaves_the_unit_usable(self, store: Store) -> None:
        """After AlreadyExists, the same unit of work goes on and commits its other writes."""
        self._add(store, _creator("cre_1"))
        with store.unit_of_work() as uow:
            with pytest.raises(AlreadyExists):
                uow.creators.add(_creator("cre_1", name="Impostor"))
            uow.creators.add(_creator("cre_2", name="Bea"))
            uow.commit()
        with store.unit_of_work(read_only=True) as uow:
            assert [(c.id, c.display_name) for c in uow.creators.find()] == [
                ("cre_1", "Alice"),
                ("cre_2", "Bea"),
            ]

    # -- the same answers on every backend ---------------------------------------------

    def test_ids_sort_by_code_point(self, store: Store) -> None:
        """find() orders ids by code point (as Python sorts them) whatever the server's
        collation, so ``limit`` returns the same rows everywhere."""
        ids = ["cre_b", "cre_B", "cre__", "cre_a", "cre_A", "cre_1", "cre_.", "cre_-", "cre_Z"]
        self._add(store, *(_creator(i) for i in ids))
        with store.unit_of_work(read_only=True) as uow:
            assert [c.id for c in uow.creators.find()] == sorted(ids)
            assert [c.id for c in uow.creators.find(limit=4)] == sorted(ids)[:4]

    @settings(max_examples=25, suppress_health_check=_INHERITED, deadline=None)
    @given(text=st.text(max_size=12))
    def test_any_text_is_stored_exactly_or_refused_naming_its_field(self, text: str) -> None:
        """A message body reads back exactly, or holds a character no backend can store and
        is refused with a ValidationError naming the field, writing nothing."""
        store = self.make_store()
        message = Message(
            id="msg_1",
            participation_id="par_1",
            campaign_id="cmp_1",
            brand_id="b1",
            creator_id="cre_1",
            author="creator",
            body="x",
            sent_at=T0,
        )
        object.__setattr__(message, "body", f"x{text}x")  # past the converter: the store checks too
        try:
            unstorable = any(c == "\x00" or 0xD800 <= ord(c) <= 0xDFFF for c in text)
            with store.unit_of_work() as uow:
                if unstorable:
                    with pytest.raises(ValidationError) as info:
                        uow.messages.add(message)
                    assert info.value.field == "Message.body"
                else:
                    uow.messages.add(message)
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                stored = uow.messages.find()
            assert [m.body for m in stored] == ([] if unstorable else [f"x{text}x"])
        finally:
            store.close()

    # -- every aggregate kind: the port methods the services use ----------------------------

    @_EVERY_KIND
    def test_every_kind_is_written_with_versions_in_units_of_work(
        self, store: Store, spec: AggregateSpec[Any]
    ) -> None:
        """Each kind reads back equal at version 1 and exists; an add of a taken id raises
        AlreadyExists and keeps the original; a save raises the version; a stale save raises
        ConcurrencyConflict and writes nothing of its unit of work; rollback forgets; objects
        added or read are copies."""
        first, other = sample(spec, 0), sample(spec, 1)
        with store.unit_of_work() as uow:
            _repository(uow, spec).add(first)
            uow.commit()
        assert first.version == 1
        with store.unit_of_work(read_only=True) as uow:
            repo = _repository(uow, spec)
            assert repo.get(first.id) == _at_version(sample(spec, 0), 1)
            assert (repo.exists(first.id), repo.exists(other.id)) == (True, False)
        with store.unit_of_work() as uow, pytest.raises(AlreadyExists):
            _repository(uow, spec).add(attrs.evolve(other, id=first.id))
        with store.unit_of_work() as uow:
            repo = _repository(uow, spec)
            assert repo.get(first.id) == _at_version(sample(spec, 0), 1)
            loaded = repo.get(first.id)
            _restyle(loaded, other)
            repo.save(loaded)
            uow.commit()
        assert loaded.version == 2
        with store.unit_of_work(read_only=True) as uow:
            stale = _repository(uow, spec).get(first.id)
        assert stale == attrs.evolve(other, id=first.id, version=2)
        with store.unit_of_work() as uow:
            fresh = _repository(uow, spec).get(first.id)
            _restyle(fresh, sample(spec, 2))
            _repository(uow, spec).save(fresh)
            uow.commit()
        _restyle(stale, sample(spec, 3))
        with store.unit_of_work() as uow:
            _repository(uow, spec).add(other)
            with pytest.raises(ConcurrencyConflict) as info:
                _repository(uow, spec).save(stale)
        assert (info.value.expected, info.value.actual) == (2, 3)
        with store.unit_of_work(read_only=True) as uow:
            repo = _repository(uow, spec)
            assert repo.get(first.id) == attrs.evolve(sample(spec, 2), id=first.id, version=3)
            assert not repo.exists(other.id)
        self._check_rollback_and_copies(store, spec, kept=first.id)

    def _check_rollback_and_copies(self, store: Store, spec: AggregateSpec[Any], kept: str) -> None:
        """Writes left without commit or rolled back are forgotten; changing an object after
        add or after get changes nothing stored (``kept`` is the one aggregate stored)."""
        dropped, added = sample(spec, 4), sample(spec, 5)
        with store.unit_of_work() as uow:
            _repository(uow, spec).add(dropped)
            assert _repository(uow, spec).exists(dropped.id)
        with store.unit_of_work(read_only=True) as uow:
            repo = _repository(uow, spec)
            assert (repo.exists(dropped.id), _ids(repo.find()), repo.count()) == (False, [kept], 1)
        with store.unit_of_work() as uow:
            _repository(uow, spec).add(dropped)
            uow.rollback()
            _repository(uow, spec).add(added)
            _restyle(added, sample(spec, 0))  # after add: the store keeps what was added
            uow.commit()
        with store.unit_of_work() as uow:
            repo = _repository(uow, spec)
            loaded = repo.get(added.id)
            _restyle(loaded, sample(spec, 3))
            assert repo.get(added.id) == _at_version(sample(spec, 5), 1)
            uow.commit()
        with store.unit_of_work(read_only=True) as uow:
            repo = _repository(uow, spec)
            assert repo.get(added.id) == _at_version(sample(spec, 5), 1)
            assert _ids(repo.find()) == sorted([kept, added.id])
            assert not repo.exists(dropped.id)

    @_EVERY_KIND
    def test_every_kind_is_found_by_each_indexed_field_as_the_spec_computes(
        self, store: Store, spec: AggregateSpec[Any]
    ) -> None:
        """find() and count() answer, for every indexed field and every value (None too), with
        ``order_by``, ``limit`` and ``at_most`` on numbers, what the kind's spec computes in
        Python: matches ordered by the field (None last), then by id."""
        stored = [_at_version(sample(spec, n), 1) for n in range(6)]
        with store.unit_of_work() as uow:
            for aggregate in (*stored[3:], *stored[:3]):
                _repository(uow, spec).add(attrs.evolve(aggregate))
            uow.commit()
        pivot = {name: spec.index_values(stored[0])[name] for name in spec.index}
        with store.unit_of_work(read_only=True) as uow:
            repo = _repository(uow, spec)
            assert repo.find() == sorted(stored, key=lambda a: str(a.id))
            assert (_ids(repo.find(limit=2)), repo.count()) == (_expected(spec, stored)[:2], 6)
            for field in spec.index:
                for value in _values_of(spec, stored, field):
                    where = {field: value}
                    expected = _expected(spec, stored, **where)
                    assert _ids(repo.find(**where)) == expected, where
                    assert repo.count(**where) == len(expected), where
                for limit in (None, 3):
                    assert _ids(repo.find(order_by=field, limit=limit)) == _expected(
                        spec, stored, order_by=field, limit=limit
                    ), (field, limit)
                other = next((name for name in spec.index if name != field), field)
                where = {other: pivot[other]}
                assert _ids(repo.find(order_by=field, limit=2, **where)) == _expected(
                    spec, stored, order_by=field, limit=2, **where
                ), (field, where)
                if not _numeric(spec, stored, field):
                    continue
                for value in _values_of(spec, stored, field)[:-1]:
                    bound = {field: value}
                    expected = _expected(spec, stored, order_by=field, at_most=bound)
                    assert _ids(repo.find(at_most=bound, order_by=field)) == expected, bound
                    assert _ids(repo.find(at_most=bound)) == sorted(expected), bound
                    assert repo.count(at_most=bound) == len(expected), bound

    @_EVERY_KIND
    def test_every_kind_may_share_index_values_except_unique_ones(
        self, store: Store, spec: AggregateSpec[Any]
    ) -> None:
        """Saving an aggregate with every indexed value of another one is stored and found
        with it, unless the spec holds one of those values unique: then AlreadyExists names
        the holder and nothing is written."""
        stored = [_at_version(sample(spec, n), 1) for n in range(3)]
        with store.unit_of_work() as uow:
            for aggregate in stored:
                _repository(uow, spec).add(attrs.evolve(aggregate))
            uow.commit()
        moved = attrs.evolve(stored[1], id=stored[0].id, version=1)
        holder = _unique_holder(spec, moved, stored)
        with store.unit_of_work() as uow:
            repo = _repository(uow, spec)
            if holder is not None:
                with pytest.raises(AlreadyExists) as info:
                    repo.save(attrs.evolve(moved))
                assert info.value.id == holder
            else:
                repo.save(attrs.evolve(moved))
                uow.commit()
        now = [
            stored[1],
            stored[2],
            attrs.evolve(moved, version=2) if holder is None else stored[0],
        ]
        where = spec.index_values(stored[1])
        with store.unit_of_work(read_only=True) as uow:
            repo = _repository(uow, spec)
            assert repo.get(stored[0].id) == now[2]
            assert _ids(repo.find(**where)) == _expected(spec, now, **where)

    def test_order_by_sorts_text_by_code_point_with_the_empty_string_first(
        self, store: Store
    ) -> None:
        """find(order_by=) sorts any text the domain accepts by code point, the empty string
        (a value, not a missing one) first, as the spec computes."""
        spec: AggregateSpec[Any] = spec_of("click")
        clicks = [
            _at_version(attrs.evolve(sample(spec, n), visitor=visitor), 1)
            for n, visitor in enumerate(["b7", "", "B7", "", "é"])
        ]
        with store.unit_of_work() as uow:
            for click in clicks:
                uow.clicks.add(attrs.evolve(click))
            uow.commit()
        with store.unit_of_work(read_only=True) as uow:
            assert _ids(uow.clicks.find(order_by="visitor")) == _expected(
                spec, clicks, order_by="visitor"
            )
            assert _ids(uow.clicks.find(visitor="")) == _expected(spec, clicks, visitor="")

    @settings(max_examples=8, suppress_health_check=_INHERITED, deadline=None)
    @given(data=st.data())
    def test_random_writes_over_every_kind_agree_with_a_python_model(self, data: Any) -> None:
        """Any sequence of adds and saves over any kinds leaves find() (whole, and by each
        indexed value) equal to a Python model that applies the spec's rules: ids and unique
        keys taken raise AlreadyExists, saves of what was never added ConcurrencyConflict."""
        steps = data.draw(
            st.lists(
                st.tuples(st.sampled_from(SPECS), st.integers(0, 7), st.booleans()),
                min_size=1,
                max_size=12,
            ),
            label="steps",
        )
        model: dict[str, dict[str, Any]] = {spec.kind: {} for spec in SPECS}
        store = self.make_store()
        try:
            for spec, n, adding in steps:
                held = model[spec.kind]
                if adding:
                    self._model_add(store, spec, held, data.draw(aggregates(spec, n)))
                else:
                    self._model_save(store, spec, held, sample(spec, n).id, data)
            with store.unit_of_work(read_only=True) as uow:
                for spec in {spec.kind: spec for spec, _n, _a in steps}.values():
                    kept = list(model[spec.kind].values())
                    repo = _repository(uow, spec)
                    assert repo.find() == sorted(kept, key=lambda a: str(a.id)), spec.kind
                    for field in spec.index:
                        for value in _values_of(spec, kept, field):
                            where = {field: value}
                            assert _ids(repo.find(**where)) == _expected(spec, kept, **where)
        finally:
            store.close()

    def _model_add(
        self, store: Store, spec: AggregateSpec[Any], held: dict[str, Any], aggregate: Any
    ) -> None:
        """Add ``aggregate`` to the store and, unless the model refuses it, to the model."""
        refused = aggregate.id in held or _unique_holder(spec, aggregate, [*held.values()])
        with store.unit_of_work() as uow:
            if refused:
                with pytest.raises(AlreadyExists):
                    _repository(uow, spec).add(attrs.evolve(aggregate))
            else:
                _repository(uow, spec).add(attrs.evolve(aggregate))
                uow.commit()
                held[aggregate.id] = _at_version(aggregate, 1)

    def _model_save(
        self, store: Store, spec: AggregateSpec[Any], held: dict[str, Any], id: str, data: Any
    ) -> None:
        """Save the aggregate ``id`` changed into a drawn one, or a ghost if it was never
        added, in the store and in the model."""
        with store.unit_of_work() as uow:
            repo = _repository(uow, spec)
            if id not in held:
                ghost = _at_version(attrs.evolve(sample(spec, 0), id=id), 1)
                with pytest.raises(ConcurrencyConflict):
                    repo.save(ghost)
                return
            current = repo.get(id)
            assert current == held[id]
            _restyle(current, data.draw(aggregates(spec)))
            if _unique_holder(spec, current, [*held.values()]):
                with pytest.raises(AlreadyExists):
                    repo.save(current)
                return
            repo.save(current)
            uow.commit()
            held[id] = current


def _application(
    id: str, creator_id: str, at: pendulum.DateTime, campaign: str = "cmp_1"
) -> Application:
    return Application(
        id=id, campaign_id=campaign, brand_id="b1", creator_id=creator_id, applied_at=at
    )


# -- every aggregate kind: helpers that compute in Python what a store must answer ---------


def _repository(uow: Any, spec: AggregateSpec[Any]) -> Any:
    """The repository of ``spec``'s kind in a unit of work."""
    return getattr(uow, spec.attribute)


def _ids(aggregates: Sequence[Any]) -> list[str]:
    return [a.id for a in aggregates]


def _at_version(aggregate: Any, version: int) -> Any:
    """A copy of ``aggregate`` as a store holds it at ``version``."""
    return attrs.evolve(aggregate, version=version)


def _restyle(aggregate: Any, like: Any) -> None:
    """Change ``aggregate`` in place into ``like``, keeping its id and version (so every
    indexed value may move)."""
    for field in attrs.fields(type(aggregate)):
        if field.name not in ("id", "version"):
            setattr(aggregate, field.name, getattr(like, field.name))


def _matches(
    spec: AggregateSpec[Any],
    aggregate: Any,
    equals: dict[str, Any],
    at_most: dict[str, Any] | None = None,
) -> bool:
    """Whether ``find(at_most=at_most, **equals)`` must list ``aggregate``, per the spec."""
    values = spec.index_values(aggregate)
    return all(values[k] == v for k, v in equals.items()) and all(
        values[k] is not None and values[k] <= v for k, v in (at_most or {}).items()
    )


def _expected(
    spec: AggregateSpec[Any],
    aggregates: Sequence[Any],
    *,
    order_by: str | None = None,
    limit: int | None = None,
    at_most: dict[str, Any] | None = None,
    **equals: Any,
) -> list[str]:
    """The ids ``find`` must return, computed from the spec in Python: matches ordered by
    ``order_by`` (None last, then by value), then by id, up to ``limit``."""
    found = sorted(
        (a for a in aggregates if _matches(spec, a, equals, at_most)), key=lambda a: str(a.id)
    )
    if order_by is not None:  # a stable sort: equal values stay in id order
        found.sort(key=lambda a: _none_last(spec.index_values(a)[order_by]))
    return _ids(found[:limit])


def _none_last(value: Any) -> tuple[bool, Any]:
    """A sort key putting None after every value (two Nones compare equal, never less)."""
    return (value is None, value)


def _values_of(spec: AggregateSpec[Any], aggregates: Sequence[Any], field: str) -> list[Any]:
    """The distinct values ``aggregates`` hold in an indexed field, then None."""
    values = [spec.index_values(a)[field] for a in aggregates]
    return [*dict.fromkeys(v for v in values if v is not None), None]


def _numeric(spec: AggregateSpec[Any], aggregates: Sequence[Any], field: str) -> bool:
    """Whether an indexed field holds numbers (microseconds), which ``at_most`` bounds."""
    values = [spec.index_values(a)[field] for a in aggregates]
    known = [v for v in values if v is not None]
    return bool(known) and all(isinstance(v, int) and not isinstance(v, bool) for v in known)


def _unique_holder(spec: AggregateSpec[Any], aggregate: Any, others: Sequence[Any]) -> str | None:
    """The id of another aggregate holding one of ``aggregate``'s unique keys (per the spec)."""
    mine = spec.index_values(aggregate)
    for other in others:
        if other.id == aggregate.id:
            continue
        theirs = spec.index_values(other)
        if any(mine[k] is not None and mine[k] == theirs[k] for k in spec.unique):
            return str(other.id)
    return None
