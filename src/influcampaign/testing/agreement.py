"""A Hypothesis state machine that runs any store side by side with the in-memory one.

Random adds, saves (fresh and stale), reads, queries, events, commits and rollbacks are
applied to both stores; after each step both must have answered alike (the same value or
the same kind of error) and hold the same aggregates and outbox.

    TestSqliteAgreesWithMemory = agreement_machine(lambda: SqlStore("sqlite:///…")).TestCase
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import attrs
import pendulum
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, precondition, rule

from influcampaign.adapters.memory import MemoryStore
from influcampaign.domain.creator import Creator
from influcampaign.domain.events import CreatorUpdated
from influcampaign.errors import InflucampaignError
from influcampaign.ports import Store, UnitOfWork
from influcampaign.testing import strategies as ics

__all__ = ["StoreAgreement", "agreement_machine"]

_IDS = st.sampled_from([f"cre_{i}" for i in range(6)])
_COUNTRIES = st.sampled_from(["FR", "GB", None])


def _outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return ("ok", call())
    except InflucampaignError as e:
        return ("error", type(e).__name__)


class StoreAgreement(RuleBasedStateMachine):
    """The reference (memory) and the store under test, driven by the same random steps."""

    make_store: Callable[[], Store]

    copies = Bundle("copies")

    def __init__(self) -> None:
        super().__init__()
        self.stores: tuple[Store, Store] = (MemoryStore(), type(self).make_store())
        self.units: tuple[UnitOfWork, UnitOfWork] | None = None
        self.tick = 0

    def teardown(self) -> None:
        if self.units is not None:
            for unit in self.units:
                unit.__exit__(None, None, None)
        for store in self.stores:
            store.close()

    def _both(self, action: Callable[[UnitOfWork], Any]) -> Any:
        """Run ``action`` in the open units (or one-off units) of both stores and compare."""
        results = []
        for i, store in enumerate(self.stores):
            if self.units is not None:
                results.append(_outcome(functools.partial(action, self.units[i])))
            else:
                with store.unit_of_work() as unit:
                    result = _outcome(functools.partial(action, unit))
                    if result[0] == "ok":
                        unit.commit()
                results.append(result)
        assert results[0] == results[1], f"memory gave {results[0]}, the other store {results[1]}"
        return results[0]

    @precondition(lambda self: self.units is None)
    @rule()
    def begin(self) -> None:
        """Open a unit of work on both stores; later steps run inside it until commit/rollback."""
        self.units = (self.stores[0].unit_of_work(), self.stores[1].unit_of_work())

    @precondition(lambda self: self.units is not None)
    @rule(commit=st.booleans())
    def finish(self, commit: bool) -> None:
        """Commit, or roll back, the open units."""
        assert self.units is not None
        outcomes = []
        for unit in self.units:
            outcomes.append(_outcome(unit.commit if commit else unit.rollback))
            unit.__exit__(None, None, None)
        self.units = None
        assert outcomes[0] == outcomes[1]

    @rule(creator=ics.creators(), id=_IDS, country=_COUNTRIES)
    def add(self, creator: Creator, id: str, country: str | None) -> None:
        """Add a creator (possibly an id already taken)."""
        creator = attrs.evolve(creator, id=id, country=country, version=0)
        self._both(lambda uow: uow.creators.add(attrs.evolve(creator)))

    @rule(target=copies, id=_IDS)
    def load(self, id: str) -> Any:
        """Load a creator and keep the copy (it may go stale later)."""
        kind, value = self._both(lambda uow: uow.creators.get(id))
        # A copy of something that does not exist: saving it must fail alike on both stores.
        return value if kind == "ok" else Creator(id=id, display_name="Ghost", version=1)

    @rule(copy=copies, name=st.sampled_from(["Ann", "Bea", "Cy"]), country=_COUNTRIES)
    def save(self, copy: Creator, name: str, country: str | None) -> None:
        """Save a changed copy; stale copies must fail alike."""
        changed = attrs.evolve(copy, display_name=name, country=country)
        self.tick += 1
        event = CreatorUpdated(
            occurred_at=pendulum.datetime(2026, 1, 1).add(seconds=self.tick),
            creator_id=copy.id,
            fields=("display_name",),
        )

        def action(uow: UnitOfWork) -> int:
            mine = attrs.evolve(changed)
            uow.creators.save(mine)
            uow.emit(event)
            return mine.version

        self._both(action)

    @rule(country=_COUNTRIES)
    def find(self, country: str | None) -> None:
        """Query by an indexed field."""
        self._both(lambda uow: uow.creators.find(country=country))

    @invariant()
    def same_committed_state(self) -> None:
        """Outside units of work, both stores hold the same creators and outbox."""
        if self.units is not None:
            return
        snapshots = []
        for store in self.stores:
            with store.unit_of_work(read_only=True) as uow:
                creators = uow.creators.find()
            events = [m.event for m in store.outbox.all()]
            snapshots.append((creators, events))
        assert snapshots[0] == snapshots[1]


def agreement_machine(make_store: Callable[[], Store]) -> type[StoreAgreement]:
    """A StoreAgreement subclass comparing ``make_store()`` stores with the memory store."""
    return type("StoreAgreementFor", (StoreAgreement,), {"make_store": staticmethod(make_store)})
