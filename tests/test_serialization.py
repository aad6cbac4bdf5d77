"""One converter: every public type to JSON and back."""

from __future__ import annotations

import json
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.domain.events import DomainEvent
from influcampaign.serialization import from_json, make_converter
from influcampaign.testing import publishing
from influcampaign.testing import strategies as ics

CONVERTER = make_converter()

TYPES: list[tuple[Any, st.SearchStrategy[Any]]] = [
    (ic.Money, ics.money()),
    (ic.Creator, ics.creators()),
    (ic.AudienceStats, ics.audience_stats()),
    (ic.ContactDetails, ics.contact_details()),
    (ic.TierPolicy, ics.tier_policies()),
    (ic.Group, ics.groups()),
    (ic.Campaign, ics.campaigns()),
    (ic.DateWindow, ics.date_windows()),
    (ic.Compensation, ics.compensations()),
    (ic.Principal, ics.principals()),
    (DomainEvent, ics.events()),
    (ic.Deliverable, ics.deliverables()),
    (ic.Submission, ics.submissions()),
    (ic.Metrics, ics.metrics()),
    (ic.BriefRequirements, ics.brief_requirements()),
    (ic.BriefReport, ics.brief_reports()),
    (ic.Draft, publishing.drafts()),
    (ic.EarnedMention, publishing.earned_mentions()),
    (ic.UsageRights, publishing.usage_rights()),
]


@pytest.mark.parametrize(
    ("type_", "strategy"), TYPES, ids=[str(getattr(t, "__name__", t)) for t, _ in TYPES]
)
def test_json_round_trip(type_: Any, strategy: st.SearchStrategy[Any]) -> None:
    """Every public type survives unstructure → json.dumps → json.loads → structure unchanged."""

    @given(strategy)
    def check(value: Any) -> None:
        text = json.dumps(CONVERTER.unstructure(value, type_))
        assert CONVERTER.structure(json.loads(text), type_) == value

    check()


def test_money_and_datetimes_have_a_documented_shape() -> None:
    """Money is {"amount": "12.30", "currency": "EUR"}; datetimes are ISO 8601 with an offset, in UTC."""
    window = ic.DateWindow(
        pendulum.datetime(2026, 5, 1, 9, tz="Europe/Paris"),
        pendulum.datetime(2026, 5, 2, tz="Europe/Paris"),
        "Europe/Paris",
    )
    assert CONVERTER.unstructure(ic.Money.of("12.3", "EUR")) == {
        "amount": "12.30",
        "currency": "EUR",
    }
    assert CONVERTER.unstructure(window) == {
        "start": "2026-05-01T07:00:00+00:00",
        "end": "2026-05-01T22:00:00+00:00",
        "timezone": "Europe/Paris",
    }


def test_events_are_tagged_by_type() -> None:
    """An event's JSON carries its class name under "type"."""
    from influcampaign.domain.events import CampaignStarted

    started = CampaignStarted(
        occurred_at=pendulum.datetime(2026, 1, 1), campaign_id="c", previous_status="draft"
    )
    data = CONVERTER.unstructure(started, DomainEvent)
    assert data["type"] == "CampaignStarted"
    assert CONVERTER.structure(data, DomainEvent) == started


@pytest.mark.parametrize(
    "data",
    [
        {"amount": 12.3, "currency": "EUR"},
        {"amount": "12,30", "currency": "EUR"},
        {"amount": "1", "currency": "XYZ"},
        {"amount": "1"},
        "12.30 EUR",
    ],
)
def test_malformed_money_is_a_validation_error(data: Any) -> None:
    """Floats, commas, unknown currencies and missing keys raise ValidationError."""
    with pytest.raises(ic.ValidationError):
        from_json(data, ic.Money, CONVERTER)


def test_naive_datetimes_in_json_are_refused() -> None:
    """A datetime without an offset cannot be trusted and is refused."""
    with pytest.raises(ic.ValidationError):
        from_json(
            {"start": "2026-05-01T09:00:00", "end": "2026-05-02T09:00:00+00:00", "timezone": "UTC"},
            ic.DateWindow,
            CONVERTER,
        )


def test_unknown_keys_are_refused() -> None:
    """Extra keys are an error, not silently dropped."""
    data = CONVERTER.unstructure(ic.AudienceStats(10))
    data["follwers"] = 3
    with pytest.raises(ic.ValidationError):
        from_json(data, ic.AudienceStats, CONVERTER)
