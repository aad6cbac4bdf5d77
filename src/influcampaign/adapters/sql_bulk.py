"""Bulk reads and writes of an SQL repository: many aggregates in a few statements (an
orders import, a report over thousands of aggregates), with the same checks as one by one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from influcampaign.domain.aggregate import pull_events
from influcampaign.errors import AlreadyExists

if TYPE_CHECKING:
    from influcampaign.adapters._aggregates import AggregateSpec
    from influcampaign.adapters.sql_unit_of_work import SqlUnitOfWork

__all__ = ["SqlBulk"]

T = TypeVar("T")

_IN_LIST = 500
"""Ids per ``IN (...)`` list: well below every driver's limit of bound parameters."""


class SqlBulk(Generic[T]):
    """The bulk half of :class:`~influcampaign.adapters.sql.SqlRepository` (mixed in)."""

    _uow: SqlUnitOfWork
    _spec: AggregateSpec[T]
    _table: sa.Table

    def _select(self) -> Any:  # pragma: no cover - provided by the repository
        raise NotImplementedError

    def _load(self, row: Any) -> T:  # pragma: no cover - provided by the repository
        raise NotImplementedError

    def _values(self, aggregate: T, version: int) -> dict[str, Any]:  # pragma: no cover
        raise NotImplementedError

    def add(self, aggregate: T) -> None:  # pragma: no cover - provided by the repository
        raise NotImplementedError

    def _ids_present(self, ids: Sequence[str]) -> set[str]:
        t = self._table
        found: set[str] = set()
        for start in range(0, len(ids), _IN_LIST):
            query = sa.select(t.c.id).where(t.c.id.in_(ids[start : start + _IN_LIST]))
            found.update(self._uow._conn().execute(query).scalars())
        return found

    def get_many(self, ids: Sequence[str]) -> dict[str, T]:
        """The stored aggregates among ``ids``, by id, read ``_IN_LIST`` at a time."""
        from influcampaign.adapters.sql_errors import _translated

        wanted = list(dict.fromkeys(ids))
        t = self._table
        out: dict[str, T] = {}
        with _translated(f"reading {self._spec.kind}s"):
            for start in range(0, len(wanted), _IN_LIST):
                query = self._select().where(t.c.id.in_(wanted[start : start + _IN_LIST]))
                for row in self._uow._conn().execute(query):
                    out[row.id] = self._load(row)
        return out

    def add_many(self, aggregates: Sequence[T]) -> None:
        """Store new aggregates in one multi-row insert; raises AlreadyExists, storing none,
        if one is taken (kinds with unique keys are added one by one, inside a savepoint)."""
        from influcampaign.adapters.sql_errors import _translated

        self._uow._writable()
        if not aggregates:
            return
        if self._spec.unique:
            with self._uow.savepoint():
                for aggregate in aggregates:
                    self.add(aggregate)
            return
        ids: list[str] = [a.id for a in aggregates]  # type: ignore[attr-defined]
        seen: set[str] = set()
        for id in ids:
            if id in seen:
                raise AlreadyExists(self._spec.kind, id)
            seen.add(id)
        rows = [{"id": a.id, **self._values(a, 1)} for a in aggregates]  # type: ignore[attr-defined]
        with _translated(f"adding {self._spec.kind}s"):
            taken = self._ids_present(ids)
            if taken:
                raise AlreadyExists(self._spec.kind, sorted(taken)[0])
            try:
                with self._uow.savepoint():
                    self._uow._conn().execute(sa.insert(self._table), rows)
            except StorageIntegrity as e:  # a concurrent writer added one first
                raise AlreadyExists(self._spec.kind, ids[0]) from e
        for aggregate in aggregates:
            aggregate.version = 1  # type: ignore[attr-defined]
        self._uow.emit(*(e for a in aggregates for e in pull_events(a)))


StorageIntegrity = sa_exc.IntegrityError
