"""The aggregate specs every backend is built from (``influcampaign.adapters._aggregates``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pendulum

from influcampaign.adapters._aggregates import (
    SPECS,
    JobFinders,
    Query,
    _Finding,
    repository_class,
)
from influcampaign.domain.scheduling import Job


class _OwnFind:
    """A third-party repository that implements ``find`` itself (not ``_find``)."""

    def __init__(self) -> None:
        self.asked: list[dict[str, Any]] = []

    def find(
        self,
        *,
        limit: int | None = None,
        order_by: str | None = None,
        at_most: Mapping[str, Any] | None = None,
        **equals: Any,
    ) -> list[Job]:
        """Record what was asked; nothing is stored."""
        self.asked.append({"limit": limit, "order_by": order_by, "at_most": at_most, **equals})
        return []


class _Recording(_Finding[Job]):
    """A repository that derives from the generic ``find`` and records each Query."""

    def __init__(self) -> None:
        self.seen: list[Query] = []

    def _find(self, q: Query) -> list[Job]:
        self.seen.append(q)
        return []


class TestRepositoryClass:
    """``repository_class``: a backend's repository with an aggregate's finders mixed in."""

    def test_a_backends_own_find_serves_the_finders(self) -> None:
        """A backend that implements ``find`` itself keeps it: the finders' generic ``find``
        (which hands a Query to ``_find``) comes after it."""
        repository = repository_class(_OwnFind, JobFinders)()
        assert repository.due(pendulum.datetime(2026, 1, 1), limit=3) == []
        assert repository.asked == [
            {
                "limit": 3,
                "order_by": "due_at_us",
                "at_most": {"due_at_us": 1_767_225_600_000_000},
                "status": "pending",
            }
        ]

    def test_the_generic_find_hands_the_backend_one_query(self) -> None:
        """For the SDK's own backends, ``find`` hands ``_find`` the filters as one Query."""
        repository = repository_class(_Recording, JobFinders)()
        assert repository.find(limit=2, order_by="kind", status="pending") == []
        assert repository.seen == [Query({"status": "pending"}, None, "kind", 2)]


class TestSpecs:
    """The specs of the aggregate kinds."""

    def test_each_table_is_named_after_its_repository_attribute(self) -> None:
        """Every spec's table is ``ic_<attribute>``, and kinds, attributes and tables are
        unique."""
        assert all(spec.table == f"ic_{spec.attribute}" for spec in SPECS)
        for values in (
            [s.kind for s in SPECS],
            [s.attribute for s in SPECS],
            [s.table for s in SPECS],
        ):
            assert len(values) == len(set(values))
