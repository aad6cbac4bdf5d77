"""What the parts of the storage contract share: a fresh store per test and sample records."""

from __future__ import annotations

import abc
from collections.abc import Iterator

import pendulum
import pytest
from hypothesis import HealthCheck

from influcampaign.adapters._aggregates import SPECS
from influcampaign.domain.application import Application
from influcampaign.domain.creator import AudienceStats, ContactDetails, Creator
from influcampaign.domain.events import CreatorRegistered
from influcampaign.ports import Store

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


def _application(
    id: str, creator_id: str, at: pendulum.DateTime, campaign: str = "cmp_1"
) -> Application:
    return Application(
        id=id, campaign_id=campaign, brand_id="b1", creator_id=creator_id, applied_at=at
    )


class ContractBase(abc.ABC):
    """A fresh, migrated store per test, from the backend's ``make_store``."""

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
