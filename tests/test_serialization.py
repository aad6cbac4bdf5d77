"""JSON serialisation (influcampaign.serialization) of every public type."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
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
from tests.helpers import (
    KEYS,
    MANAGER,
    PHONE,
    SHOP,
    T0,
    at,
    coded_sales_project,
    deliver,
    hooks_for,
    order_payload,
)

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
    (ic.AuditEntry, ics.audit_entries()),
    (ic.RetentionPolicy, ics.retention_policies()),
    (ic.Draft, publishing.drafts()),
    (ic.EarnedMention, publishing.earned_mentions()),
    (ic.UsageRights, publishing.usage_rights()),
    (ic.Exchange, publishing.exchanges()),
    (ic.ProjectOrigin, publishing.project_origins()),
    (ic.Campaign, publishing.copied_campaigns()),
]


class TestConverter:
    """The project's one JSON converter."""

    @pytest.mark.parametrize(
        ("type_", "strategy"), TYPES, ids=[str(getattr(t, "__name__", t)) for t, _ in TYPES]
    )
    def test_json_round_trip(self, type_: Any, strategy: st.SearchStrategy[Any]) -> None:
        """Every public type survives unstructure → json.dumps → json.loads → structure unchanged."""

        @given(strategy)
        def check(value: Any) -> None:
            text = json.dumps(CONVERTER.unstructure(value, type_))
            assert CONVERTER.structure(json.loads(text), type_) == value

        check()

    def test_money_and_datetimes_have_a_documented_shape(self) -> None:
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

    def test_events_are_tagged_by_type(self) -> None:
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
    def test_malformed_money_is_a_validation_error(self, data: Any) -> None:
        """Floats, commas, unknown currencies and missing keys raise ValidationError."""
        with pytest.raises(ic.ValidationError):
            from_json(data, ic.Money, CONVERTER)

    def test_naive_datetimes_in_json_are_refused(self) -> None:
        """A datetime without an offset cannot be trusted and is refused."""
        with pytest.raises(ic.ValidationError):
            from_json(
                {
                    "start": "2026-05-01T09:00:00",
                    "end": "2026-05-02T09:00:00+00:00",
                    "timezone": "UTC",
                },
                ic.DateWindow,
                CONVERTER,
            )

    def test_unknown_keys_are_refused(self) -> None:
        """Extra keys are an error, not silently dropped."""
        data = CONVERTER.unstructure(ic.AudienceStats(10))
        data["follwers"] = 3
        with pytest.raises(ic.ValidationError):
            from_json(data, ic.AudienceStats, CONVERTER)


class TestRoundTrips:
    """Domain types round-trip through the project's JSON converter."""

    def test_targeting_reviews_and_rated_events_round_trip_through_json(self) -> None:
        """The new stored types survive the project converter unchanged."""
        from influcampaign.domain.events import CreatorRated
        from influcampaign.serialization import from_json, to_json

        @given(ics.targetings(), ics.creator_reviews(), ics.audience_shares())
        def check(t: ic.Targeting, r: ic.CreatorReview, a: ic.AudienceShares) -> None:
            assert from_json(to_json(t), ic.Targeting) == t
            assert from_json(to_json(r), ic.CreatorReview) == r
            assert from_json(to_json(a), ic.AudienceShares) == a

        check()
        event = CreatorRated(
            occurred_at=at(2),
            review_id="rev_1",
            campaign_id="cmp_1",
            creator_id="cre_1",
            overall=Decimal("4.50"),
            work_again=True,
            tags=("ugc",),
        )
        assert from_json(to_json(event), CreatorRated) == event

    def test_costs_cards_and_events_round_trip_through_json(self) -> None:
        """The new stored types and events survive the project converter unchanged."""
        import json

        from influcampaign.domain.emv import BrandRateCard
        from influcampaign.domain.events import CostPaid
        from influcampaign.serialization import from_json, to_json

        cost = ic.Cost(
            "cost_1",
            "cmp_1",
            "acme",
            "fee",
            ic.Money.of("100.00", "EUR"),
            participation_id="par_1",
            creator_id="cre_1",
            due_on=dt.date(2026, 3, 1),
            pay_by_compliance=True,
            status="paid",
            paid=ic.Money.of("88.00", "EUR"),
            compliance=88,
            paid_at=at(2),
            reference="SEPA-1",
        )
        stored = BrandRateCard("emv_1", "acme", ic.DEFAULT_RATE_CARD, created_at=at(1))
        event = CostPaid(
            occurred_at=at(2),
            cost_id="cost_1",
            campaign_id="cmp_1",
            participation_id="par_1",
            creator_id="cre_1",
            amount=ic.Money.of("88.00", "EUR"),
            compliance=88,
            reference="",
        )
        for value, type_ in ((cost, ic.Cost), (stored, BrandRateCard), (event, CostPaid)):
            assert from_json(json.loads(json.dumps(to_json(value))), type_) == value

    def test_orders_links_codes_and_clicks_round_trip_through_json(self) -> None:
        """Orders, links, clicks and promo codes made by the workspace survive the converter
        unchanged."""
        converter = ic.make_converter()
        hooks_ws = ic.Workspace(ic.MemoryStore(), ic.FrozenClock(T0), keys=KEYS)
        cmp = coded_sales_project(hooks_ws)
        emma = hooks_ws.participations.list(MANAGER, cmp.id)[0]
        link = hooks_ws.links.create(MANAGER, emma.id, landing_url="https://shop.example/")
        hooks_ws.links.click(link.slug, ip="203.0.113.7", user_agent=PHONE)
        deliver(hooks_for(hooks_ws), "orders/create", order_payload(1, codes=("EMMA15",)), "j1")
        order = hooks_ws.sales.order(MANAGER, "acme", SHOP, "1")
        for value in [link, order, *hooks_ws.codes.list(MANAGER, cmp.id)]:
            assert converter.structure(converter.unstructure(value), type(value)) == value
