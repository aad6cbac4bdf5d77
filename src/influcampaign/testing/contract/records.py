"""The outbox, the named finders the services use, the rules a store holds across records,
and the same answers on every backend."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influcampaign.domain.application import ApplicationAction, ApplicationStatus
from influcampaign.domain.events import CreatorRegistered, CreatorUpdated
from influcampaign.domain.messaging import Message
from influcampaign.domain.scheduling import Job, JobKind, JobStatus
from influcampaign.errors import AlreadyExists, ValidationError
from influcampaign.ports import Store
from influcampaign.testing import strategies as ics
from influcampaign.testing.contract._base import (
    _INHERITED,
    T0,
    ContractBase,
    _application,
    _creator,
    _registered,
)


class RecordContract(ContractBase):
    """The outbox, the named finders the services use, the rules a store holds across records,
    and the same answers on every backend."""

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
