"""Exchanges (issue 17): the brand's log of contacts with a creator outside the thread,
readable only by the roles allowed to, exported and erased with the creator's data."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given

import influcampaign as ic
from influcampaign.domain.events import ExchangeLogged
from influcampaign.testing.publishing import exchanges
from tests.helpers import MANAGER, T0, campaign, events, register, stored

OWNER = ic.BrandMember("u_olga", brand_id="acme", role="owner")
ANALYST = ic.BrandMember("u_ana", brand_id="acme", role="analyst")
OTHER_BRAND = ic.BrandMember("u_g", brand_id="globex", role="owner")


def call(ws: ic.Workspace, creator_id: str, **changes: object) -> ic.Exchange:
    """MANAGER logs a call with the creator an hour before now."""
    fields: dict[str, object] = {
        "brand_id": "acme",
        "creator_id": creator_id,
        "channel": "call",
        "summary": "Agreed on two reels, fee 300 EUR",
        "happened_at": T0.subtract(hours=1),
        "contact": "Sam (agent)",
    }
    fields.update(changes)
    return ws.exchanges.log(MANAGER, **fields)  # type: ignore[arg-type]


class TestExchange:
    """The :class:`Exchange` aggregate."""

    @given(exchanges())
    def test_erasure_leaves_no_text(self, exchange: ic.Exchange) -> None:
        """Erasing an exchange erases its summary and contact once; a second time is a no-op."""
        assert exchange.erase(T0)
        assert exchange.summary == "[erased]"
        assert exchange.contact in ("", "[erased]")
        assert not exchange.erase(T0)

    def test_a_contact_cannot_be_in_the_future(self) -> None:
        """An exchange logged as happening after now is refused, naming the field."""
        with pytest.raises(ic.ValidationError) as raised:
            ic.Exchange.log(
                T0,
                id="exc_1",
                brand_id="acme",
                creator_id="cre_1",
                channel="meeting",
                summary="Lunch",
                by="u_claire",
                happened_at=T0.add(minutes=1),
            )
        assert raised.value.field == "happened_at"


class TestExchangeService:
    """``workspace.exchanges`` on every backend."""

    def test_logged_exchanges_are_listed_in_the_order_they_happened(self, ws: ic.Workspace) -> None:
        """The log holds who, when, how and what; it lists them oldest first."""
        lea = register(ws, "Lea")
        later = call(ws, lea.id, channel="email", happened_at=T0.subtract(minutes=5))
        first = call(ws, lea.id, happened_at=pendulum.datetime(2026, 2, 27, 15, tz="UTC"))
        assert (first.by, first.logged_by, first.contact) == ("u_claire", "u_claire", "Sam (agent)")
        assert first.channel is ic.ExchangeChannel.CALL
        listed = ws.exchanges.list(MANAGER, brand_id="acme", creator_id=lea.id)
        assert [e.id for e in listed] == [first.id, later.id]
        assert ws.exchanges.get(OWNER, first.id) == first
        (logged, _) = events(ws, ExchangeLogged)
        assert logged.exchange_id == later.id
        assert "fee" not in repr(logged)

    def test_an_exchange_may_be_about_a_campaign(self, ws: ic.Workspace) -> None:
        """An exchange names one of the brand's campaigns; the list filters on it."""
        lea = register(ws, "Lea")
        project = campaign(ws)
        about = call(ws, lea.id, campaign_id=project.id, by="u_olga")
        call(ws, lea.id)
        found = ws.exchanges.list(
            MANAGER, brand_id="acme", creator_id=lea.id, campaign_id=project.id
        )
        assert found == [about]
        assert about.by == "u_olga"

    def test_only_allowed_roles_read_or_log(self, ws: ic.Workspace) -> None:
        """Analysts, other brands and the creator itself may not read the log, nor write it."""
        lea = register(ws, "Lea")
        made = call(ws, lea.id)
        for actor in (ANALYST, OTHER_BRAND, ic.CreatorUser(lea.id)):
            with pytest.raises(ic.PermissionDenied):
                ws.exchanges.list(actor, brand_id="acme", creator_id=lea.id)
            with pytest.raises(ic.PermissionDenied):
                ws.exchanges.get(actor, made.id)
            before = stored(ws)
            with pytest.raises(ic.PermissionDenied):
                ws.exchanges.log(
                    actor,
                    brand_id="acme",
                    creator_id=lea.id,
                    channel="note",
                    summary="x",
                    happened_at=T0,
                )
            assert stored(ws) == before

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"channel": "fax"}, "channel"),
            ({"summary": "  "}, "summary"),
            ({"happened_at": T0.add(days=1)}, "happened_at"),
            ({"happened_at": pendulum.naive(2026, 3, 1)}, "happened_at"),
        ],
    )
    def test_bad_input_writes_nothing(
        self, ws: ic.Workspace, changes: dict[str, object], field: str
    ) -> None:
        """Bad input is refused naming its field, and nothing is written."""
        lea = register(ws, "Lea")
        before = stored(ws)
        with pytest.raises(ic.ValidationError) as raised:
            call(ws, lea.id, **changes)
        assert raised.value.field == field
        assert stored(ws) == before

    def test_another_brands_campaign_is_not_found(self, ws: ic.Workspace) -> None:
        """An exchange cannot name a campaign of another brand."""
        lea = register(ws, "Lea")
        theirs = ws.campaigns.create(
            OTHER_BRAND,
            brand_id="globex",
            name="G",
            kind="seeding",
            mode="project",
            start=T0,
            end=T0.add(days=9),
            timezone="UTC",
        )
        with pytest.raises(ic.NotFound):
            call(ws, lea.id, campaign_id=theirs.id)


class TestExchangesAndPrivacy:
    """Exchanges hold personal data: exported and erased with the creator's data."""

    def test_the_export_holds_the_brands_exchanges(self, ws: ic.Workspace) -> None:
        """The creator's export lists its exchanges; a brand member's, its brand's only."""
        lea = register(ws, "Lea")
        made = call(ws, lea.id)
        ws.exchanges.log(
            OTHER_BRAND,
            brand_id="globex",
            creator_id=lea.id,
            channel="note",
            summary="Globex note",
            happened_at=T0,
        )
        own = ws.privacy.export(ic.CreatorUser(lea.id), lea.id)
        assert sorted(e["brand_id"] for e in own["exchanges"]) == ["acme", "globex"]
        brand = ws.privacy.export(OWNER, lea.id)
        assert [e["id"] for e in brand["exchanges"]] == [made.id]
        assert brand["exchanges"][0]["summary"] == made.summary

    def test_erasure_erases_the_exchanges(self, ws: ic.Workspace) -> None:
        """Erasure erases each exchange's text and contact, and counts them."""
        lea = register(ws, "Lea")
        made = call(ws, lea.id, summary="Lea's new address is 3 rue Lepic")
        entry = ws.privacy.erase(ic.CreatorUser(lea.id), lea.id)
        assert entry.counts["exchanges"] == 1
        erased = ws.exchanges.get(OWNER, made.id)
        assert (erased.summary, erased.contact) == ("[erased]", "[erased]")
        again = ws.privacy.erase(ic.CreatorUser(lea.id), lea.id)
        assert again.counts["exchanges"] == 1
