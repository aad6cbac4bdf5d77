"""Every aggregate kind (each ``AggregateSpec``) through the port methods the services use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influcampaign.adapters._aggregates import SPECS, AggregateSpec
from influcampaign.errors import AlreadyExists, ConcurrencyConflict
from influcampaign.ports import Store
from influcampaign.testing.contract._base import _EVERY_KIND, _INHERITED, ContractBase
from influcampaign.testing.samples import aggregates, sample, spec_of


class EveryKindContract(ContractBase):
    """Every aggregate kind (each ``AggregateSpec``) through the port methods the services use."""

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
