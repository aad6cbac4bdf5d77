"""Versioned aggregates in atomic units of work: add, get, save, find, roll back."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings

from influcampaign.domain.campaign import Campaign, Compensation, DateWindow
from influcampaign.domain.creator import Creator
from influcampaign.domain.group import Group
from influcampaign.domain.money import Money
from influcampaign.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    NotFound,
    StorageError,
    ValidationError,
)
from influcampaign.ports import Store
from influcampaign.testing import strategies as ics
from influcampaign.testing.contract._base import _INHERITED, T0, ContractBase, _creator, _registered


class UnitOfWorkContract(ContractBase):
    """Versioned aggregates in atomic units of work: add, get, save, find, roll back."""

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
