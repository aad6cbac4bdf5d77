"""The messages the SDK writes itself (a parcel shipped, a publication reminder), in the
creator's language: a catalogue of texts by key and language, English as the fallback.

A brand's own template of the same kind always wins over these texts.

>>> system_message("shipped", "fr")
'Bonjour {creator_name}, votre colis pour {campaign_name} est en route avec {carrier}.'
>>> system_message("shipped", "de") == system_message("shipped", "en")
True
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from types import MappingProxyType

from influcampaign.errors import ValidationError

__all__ = ["FALLBACK_LANGUAGE", "SYSTEM_MESSAGES", "local_date", "system_message"]

FALLBACK_LANGUAGE = "en"
"""The language of a system message when the creator's has no text (or is unknown)."""

_SHIPPED = {
    "en": "Hi {creator_name}, your parcel for {campaign_name} is on its way with {carrier}.",
    "fr": "Bonjour {creator_name}, votre colis pour {campaign_name} est en route avec {carrier}.",
}

SYSTEM_MESSAGES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "shipped": MappingProxyType(_SHIPPED),
        "shipped_tracked": MappingProxyType(
            {
                "en": _SHIPPED["en"] + " Follow it here: {tracking_url}",
                "fr": _SHIPPED["fr"] + " Suivez-le ici : {tracking_url}",
            }
        ),
        "publication_reminder_plain": MappingProxyType(
            {
                "en": "Hi {creator_name}, a friendly reminder from {brand}: we look forward to "
                "your content for {campaign_name}. Once it is live, submit its link here. "
                "Thank you!",
                "fr": "Bonjour {creator_name}, un petit rappel de la part de {brand} : nous "
                "attendons votre contenu pour {campaign_name} avec impatience. Dès qu'il est en "
                "ligne, déposez son lien ici. Merci !",
            }
        ),
        "publication_reminder": MappingProxyType(
            {
                "en": "Hi {creator_name}, a friendly reminder from {brand}: your parcel arrived "
                "on {delivered_on} and we look forward to your content for {campaign_name}. "
                "Once it is live, submit its link here. Thank you!",
                "fr": "Bonjour {creator_name}, un petit rappel de la part de {brand} : votre "
                "colis est arrivé le {delivered_on} et nous attendons votre contenu pour "
                "{campaign_name} avec impatience. Dès qu'il est en ligne, déposez son lien "
                "ici. Merci !",
            }
        ),
    }
)
"""Every system message by key, then by language (ISO 639-1); each has English."""


def _language_of(language: str | None) -> str:
    return (language or FALLBACK_LANGUAGE).replace("_", "-").split("-")[0].lower()


def local_date(day: _dt.date, language: str | None) -> str:
    """``day`` written as a reader of ``language`` expects it (babel's long format):
    ``4 March 2026`` in English, ``4 mars 2026`` in French."""
    from babel.dates import format_date  # lazy: babel loads its locale data

    wanted = _language_of(language)
    return str(format_date(day, "d MMMM y", locale=wanted if wanted in _DATE_LOCALES else "en"))


_DATE_LOCALES = frozenset({"en", "fr", "de", "es", "it", "nl", "pt"})


def system_message(key: str, language: str | None) -> str:
    """The text of system message ``key`` in ``language`` (``fr``, ``fr-CA`` and ``FR`` all
    give French), else in English."""
    texts = SYSTEM_MESSAGES.get(key)
    if texts is None:
        raise ValidationError("key", key, f"is not one of {', '.join(sorted(SYSTEM_MESSAGES))}")
    return texts.get(_language_of(language), texts[FALLBACK_LANGUAGE])
