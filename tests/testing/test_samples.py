"""Samples of every aggregate kind (influcampaign.testing.samples)."""

from __future__ import annotations

import functools
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influcampaign.adapters._aggregates import SPECS, AggregateSpec
from influcampaign.serialization import make_converter
from influcampaign.testing.samples import BUILDERS, aggregates, sample, spec_of

EVERY_KIND = pytest.mark.parametrize("spec", SPECS, ids=[spec.kind for spec in SPECS])


N = range(6)


@functools.cache
def _converter() -> Any:
    return make_converter()


def _valid(aggregate: Any) -> None:
    """Rebuilding an aggregate from its fields (which runs every converter and validator)
    and from its stored document gives it back unchanged."""
    assert attrs.evolve(aggregate) == aggregate
    converter = _converter()
    assert converter.structure(converter.unstructure(aggregate), type(aggregate)) == aggregate


class TestSample:
    def test_every_kind_has_a_sample_builder(self) -> None:
        """Each aggregate kind of SPECS, and no other, has a builder."""
        assert sorted(BUILDERS) == sorted(spec.kind for spec in SPECS)

    @EVERY_KIND
    def test_samples_are_valid_new_and_of_the_kind(self, spec: AggregateSpec[Any]) -> None:
        """Each sample is an instance of the kind's class, at version 0, valid and storable."""
        for n in N:
            aggregate = sample(spec, n)
            assert type(aggregate) is spec.cls
            assert aggregate.version == 0
            _valid(aggregate)

    @EVERY_KIND
    def test_samples_are_distinct_and_repeatable(self, spec: AggregateSpec[Any]) -> None:
        """Samples have distinct ids (not sorting in n order) and are the same on every call."""
        ids = [sample(spec, n).id for n in range(48)]
        assert len(set(ids)) == len(ids)
        assert ids[:6] != sorted(ids[:6])
        assert [sample(spec, n) for n in N] == [sample(spec, n) for n in N]

    @EVERY_KIND
    def test_indexed_values_both_repeat_and_differ(self, spec: AggregateSpec[Any]) -> None:
        """Over n = 0..5, every indexed field takes at least two values, and one of them (None
        for a unique field) at least twice, so filters find several samples and leave some out."""
        for field in spec.index:
            values = [spec.index_values(sample(spec, n))[field] for n in N]
            assert len(set(values)) >= 2, field
            if field not in spec.unique or None in values:
                assert len(set(values)) < len(values), field

    def test_nullable_indexed_fields_are_sometimes_none(self) -> None:
        """Indexed fields that may be None are None in some samples."""
        nullable = {
            ("creator", "country"),
            ("application", "live_key"),
            ("order", "campaign_id"),
            ("order", "participation_id"),
            ("cost", "participation_id"),
        }
        for kind, field in nullable:
            spec: AggregateSpec[Any] = spec_of(kind)
            assert None in [spec.index_values(sample(spec, n))[field] for n in N], (kind, field)

    @EVERY_KIND
    def test_unique_values_never_repeat(self, spec: AggregateSpec[Any]) -> None:
        """Unique indexed values, and the (campaign, creator) pair of applications and
        participations, differ between any two samples."""
        samples = [sample(spec, n) for n in range(48)]
        for field in spec.unique:
            values = [spec.index_values(a)[field] for a in samples]
            known = [v for v in values if v is not None]
            assert len(set(known)) == len(known), field
        if spec.kind in ("application", "participation"):
            pairs = [(a.campaign_id, a.creator_id) for a in samples]
            assert len(set(pairs)) == len(pairs)

    def test_kinds_are_named_by_spec_kind_or_attribute(self) -> None:
        """A kind is named by its spec, its kind or its repository attribute; others raise."""
        spec: AggregateSpec[Any] = spec_of("promo code")
        assert spec_of("promo_codes") is spec
        assert spec_of(spec) is spec
        assert sample("promo_codes", 2) == sample(spec, 2)
        with pytest.raises(LookupError, match="coupon"):
            spec_of("coupon")
        with pytest.raises(ValueError, match="n must be"):
            sample(spec, -1)


class TestAggregates:
    @EVERY_KIND
    @settings(max_examples=5, deadline=None)
    @given(data=st.data())
    def test_drawn_aggregates_carry_the_sample_id_and_index_values(
        self, spec: AggregateSpec[Any], data: st.DataObject
    ) -> None:
        """An aggregate drawn for n is valid, of the kind, with the id and indexed values of
        sample n."""
        n = data.draw(st.integers(0, 11), label="n")
        drawn = data.draw(aggregates(spec, n), label="aggregate")
        model = sample(spec, n)
        assert type(drawn) is spec.cls
        assert (drawn.id, spec.index_values(drawn)) == (model.id, spec.index_values(model))
        _valid(drawn)
