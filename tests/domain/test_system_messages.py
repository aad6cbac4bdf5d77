"""System messages in the creator's language (domain/system_messages.py), as the shipment and
scheduler services write them."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

import influcampaign as ic
from influcampaign.domain.messaging import placeholders_of
from influcampaign.domain.system_messages import (
    FALLBACK_LANGUAGE,
    SYSTEM_MESSAGES,
    local_date,
    system_message,
)
from influcampaign.testing.workspaces import WorkspaceFactory

ME = ic.BrandMember("u1", brand_id="acme", role="manager")
PARIS = "Europe/Paris"


class TestCatalogue:
    """The catalogue of system messages."""

    def test_every_message_has_english_and_french_with_the_same_placeholders(self) -> None:
        """Each key has an English and a French text, filled from the same placeholders."""
        for key, texts in SYSTEM_MESSAGES.items():
            assert {"en", "fr"} <= set(texts), key
            english = placeholders_of(texts[FALLBACK_LANGUAGE])
            assert all(placeholders_of(t) == english for t in texts.values()), key

    @pytest.mark.parametrize("language", ["fr", "FR", "fr-CA", "fr_BE"])
    def test_regional_and_upper_case_tags_give_french(self, language: str) -> None:
        """A region or upper case does not hide the language."""
        assert system_message("shipped", language).startswith("Bonjour")

    @pytest.mark.parametrize("language", [None, "de", "en"])
    def test_other_languages_fall_back_to_english(self, language: str | None) -> None:
        """Without a text in the creator's language, the message is in English."""
        assert system_message("publication_reminder", language).startswith("Hi ")

    @pytest.mark.parametrize(
        ("language", "written"),
        [
            ("fr", "14 juillet 2026"),
            ("en", "14 July 2026"),
            (None, "14 July 2026"),
            ("xx", "14 July 2026"),
        ],
    )
    def test_dates_are_written_for_the_language(self, language: str | None, written: str) -> None:
        """local_date writes a date as a reader of the language expects (babel)."""
        assert local_date(dt.date(2026, 7, 14), language) == written

    def test_an_unknown_key_is_refused(self) -> None:
        """A key that is not in the catalogue names itself."""
        with pytest.raises(ic.ValidationError, match="key"):
            system_message("birthday", "fr")


def _parcel_for(
    ws: ic.Workspace, language: str | None, campaign_language: str | None = None
) -> tuple[ic.Participation, ic.Shipment]:
    campaign = ws.campaigns.create(
        ME,
        brand_id="acme",
        name="Printemps",
        kind="seeding",
        mode="project",
        start=pendulum.datetime(2026, 3, 1, tz=PARIS),
        end=pendulum.datetime(2026, 6, 30, tz=PARIS),
        timezone=PARIS,
        language=campaign_language,
    )
    ws.campaigns.start(ME, campaign.id)
    creator = ws.creators.register(ME, "Léa", language=language)
    p = ws.participations.add(ME, campaign.id, creator.id)
    ws.participations.confirm(ME, p.id)
    item = ic.ShipmentItem("Tisane", 1, ic.Money.of("12.00", "EUR"))
    return p, ws.shipments.create(ME, p.id, [item])


class TestServicesSpeakTheCreatorsLanguage:
    """Shipped notices and reminders are written in the creator's language."""

    @pytest.mark.parametrize(
        ("language", "shipped", "reminder"),
        [
            (
                "fr",
                "Bonjour Léa, votre colis pour Printemps est en route avec Colissimo. Suivez-le ici : https://t.example/1",
                "Bonjour Léa, un petit rappel",
            ),
            (
                None,
                "Hi Léa, your parcel for Printemps is on its way with Colissimo. Follow it here: https://t.example/1",
                "Hi Léa, a friendly reminder",
            ),
        ],
    )
    def test_shipped_and_reminder(self, language: str | None, shipped: str, reminder: str) -> None:
        """The shipped notice and the first publication reminder follow creator.language."""
        ws = WorkspaceFactory(start=pendulum.datetime(2026, 3, 2, 9, tz=PARIS))()
        p, parcel = _parcel_for(ws, language)
        ws.shipments.ship(ME, parcel.id, carrier="Colissimo", tracking_url="https://t.example/1")
        ws.shipments.deliver(ME, parcel.id)
        assert isinstance(ws.clock, ic.FrozenClock)
        ws.clock.advance(dt.timedelta(days=30))
        ws.scheduler.run(ic.SystemActor())
        bodies = [m.body for m in ws.messages.thread(ME, p.id)]
        assert bodies[0] == shipped
        assert bodies[1].startswith(reminder)
        arrived = "le 2 mars 2026" if language == "fr" else "on 2 March 2026"
        assert arrived in bodies[1]  # the delivery date, written for the language

    def test_a_brand_template_wins_over_the_catalogue(self) -> None:
        """A brand's shipping template is used whatever the creator's language."""
        ws = WorkspaceFactory(start=pendulum.datetime(2026, 3, 2, 9, tz=PARIS))()
        ws.messages.save_template(
            ME, brand_id="acme", kind="shipping", name="ours", body="Parcel out via {carrier}."
        )
        p, parcel = _parcel_for(ws, "fr")
        ws.shipments.ship(ME, parcel.id, carrier="DHL")
        assert [m.body for m in ws.messages.thread(ME, p.id)] == ["Parcel out via DHL."]

    def test_the_campaigns_language_wins_over_the_creators(self) -> None:
        """A campaign in French writes French to every creator, whatever their language."""
        ws = WorkspaceFactory(start=pendulum.datetime(2026, 3, 2, 9, tz=PARIS))()
        p, parcel = _parcel_for(ws, "en", campaign_language="fr")
        ws.shipments.ship(ME, parcel.id, carrier="DHL")
        (message,) = ws.messages.thread(ME, p.id)
        assert message.body.startswith("Bonjour Léa")

    def test_a_bad_campaign_language_is_refused(self) -> None:
        """A language that is not an ISO 639 code names the field; nothing is created."""
        ws = WorkspaceFactory()()
        with pytest.raises(ic.ValidationError, match="language"):
            _parcel_for(ws, None, campaign_language="français")
        assert ws.campaigns.list(ME, "acme") == []
