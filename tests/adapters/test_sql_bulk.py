"""Bulk reads and writes of a repository (get_many, add_many), alike on every backend."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import influcampaign as ic
from influcampaign.adapters._aggregates import SPECS
from influcampaign.testing.samples import sample


class TestBulkRepository:
    @pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.kind)
    def test_add_many_then_get_many(
        self, make_workspace: Callable[[], ic.Workspace], spec: object
    ) -> None:
        """Aggregates added in bulk read back in bulk as one by one, absent ids left out,
        each at version 1."""
        ws = make_workspace()
        items = [sample(spec, n) for n in range(3)]  # type: ignore[call-overload]
        attribute = spec.attribute  # type: ignore[attr-defined]
        with ws.store.unit_of_work() as uow:
            getattr(uow, attribute).add_many(items)
            uow.commit()
        ids = [item.id for item in items]
        with ws.store.unit_of_work(read_only=True) as uow:
            repository = getattr(uow, attribute)
            found = repository.get_many([*ids, "nobody_here", ids[0]])
            assert list(found) == ids or set(found) == set(ids)
            for item_id in ids:
                assert found[item_id] == repository.get(item_id)
                assert found[item_id].version == 1

    def test_add_many_refuses_a_taken_id_and_stores_none(
        self, make_workspace: Callable[[], ic.Workspace]
    ) -> None:
        """One taken id: AlreadyExists, and none of the others is stored."""
        ws = make_workspace()
        spec = next(s for s in SPECS if s.attribute == "orders")
        first, second, third = (sample(spec, n) for n in range(3))
        with ws.store.unit_of_work() as uow:
            uow.orders.add(first)
            uow.commit()
        with ws.store.unit_of_work() as uow:
            with pytest.raises(ic.AlreadyExists):
                uow.orders.add_many([second, sample(spec, 0), third])
            uow.commit()
        with ws.store.unit_of_work(read_only=True) as uow:
            assert set(uow.orders.get_many([first.id, second.id, third.id])) == {first.id}

    def test_add_many_of_nothing(self, make_workspace: Callable[[], ic.Workspace]) -> None:
        """Adding no aggregate writes nothing and raises nothing."""
        ws = make_workspace()
        with ws.store.unit_of_work() as uow:
            uow.orders.add_many([])
            assert uow.orders.get_many([]) == {}
