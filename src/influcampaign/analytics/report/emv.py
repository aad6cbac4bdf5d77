"""The EMV of a campaign's contents under the rate card version in force at each publication,
per content, per creator and in total, in the report's currency."""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import numpy as np

from influcampaign.analytics.emv import bulk_emv, metrics_matrix
from influcampaign.analytics.report._common import Rates, convert, flat
from influcampaign.domain.content import Submission
from influcampaign.domain.creator import Platform
from influcampaign.domain.deliverable import ContentFormat
from influcampaign.domain.emv import EmvAction, RateCard, RateCardBook, emv_reason
from influcampaign.domain.money import Money, currency_minor_units
from influcampaign.errors import ValidationError

__all__ = ["ContentEmv", "EmvReport", "emv_of"]


@attrs.frozen
class ContentEmv:
    """The EMV of one content in the report's currency (None: unknown, with the reason)."""

    submission_id: str
    creator_id: str
    platform: Platform
    format: ContentFormat
    published_on: _dt.date
    card: str
    emv: Money | None
    engagements: int | None
    reason: str = ""

    def record(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "submission_id": self.submission_id,
            "creator_id": self.creator_id,
            "platform": self.platform.value,
            "format": self.format.value,
            "published_on": self.published_on,
            "card": self.card,
            "currency": None if self.emv is None else self.emv.currency,
            **flat("emv", self.emv),
            "engagements": self.engagements,
            "reason": self.reason,
        }


@attrs.frozen
class EmvReport:
    """EMV per content, per creator (sum of its contents' known EMV; None when none is
    known) and in total, with the rate cards used."""

    currency: str
    contents: Sequence[ContentEmv]
    per_creator: Mapping[str, Money | None]
    total: Money | None
    cards: tuple[str, ...]

    def records(self) -> list[dict[str, Any]]:
        """One row per content."""
        return [c.record() for c in self.contents]


def emv_of(
    submissions: Sequence[Submission],
    book: RateCardBook,
    currency: str,
    rates: Rates,
) -> EmvReport:
    """The EMV of ``submissions`` (their latest metrics) under the card version in force at
    each one's publication date, in ``currency``: exact per content, then rounded half to
    even to the currency's minor units; creators' and the campaign's EMV add these up."""
    places = currency_minor_units(currency)
    ordered = sorted(submissions, key=lambda s: (s.published_at, s.id))
    days = [s.published_at.in_timezone("UTC").date() for s in ordered]
    cards: list[RateCard | None] = [book.card_for(day) for day in days]
    tables: list[Mapping[EmvAction, Decimal]] = []
    index: dict[tuple[str, Platform, ContentFormat], int] = {}
    rows = np.zeros(len(ordered), dtype=np.intp)
    for i, (s, card) in enumerate(zip(ordered, cards, strict=True)):
        if card is None:
            continue
        key = (card.label, s.platform, s.format)
        if key not in index:
            index[key] = len(tables)
            tables.append(card.unit_values(s.platform, s.format))
        rows[i] = index[key]
    bulk = bulk_emv(metrics_matrix([s.metrics for s in ordered]), rows, tables)
    same = [card is not None and card.currency == currency for card in cards]
    minor = bulk.minor(places)
    contents: list[ContentEmv] = []
    per_creator_minor: dict[str, int] = defaultdict(int)
    known_creators: set[str] = set()
    for i, (s, card, day) in enumerate(zip(ordered, cards, days, strict=True)):
        metrics = s.metrics
        engagements = None if metrics is None else metrics.engagements

        base: dict[str, Any] = {
            "submission_id": s.id,
            "creator_id": s.creator_id,
            "platform": s.platform,
            "format": s.format,
            "published_on": day,
            "engagements": engagements,
        }
        if card is None:
            reason = f"no version of {book.name} is in force on {day}"
            contents.append(ContentEmv(card=book.name, emv=None, reason=reason, **base))
            continue
        missing = bulk.missing_actions(i)
        reason = emv_reason(metrics is not None, bool(bulk.known[i]), missing)
        if not bulk.known[i]:
            contents.append(ContentEmv(card=card.label, emv=None, reason=reason, **base))
            continue
        if same[i]:
            value_minor = int(minor[i])
            value = Money.from_minor(value_minor, currency)
        else:
            exact = bulk.exact(i)
            assert exact is not None  # known[i] holds
            try:
                value = convert(
                    Money(exact, card.currency), currency, day, rates, f"content {s.id}"
                )
            except ValidationError as e:
                unknown = f"{card.currency} cannot be converted: {e.reason}"
                contents.append(ContentEmv(card=card.label, emv=None, reason=unknown, **base))
                continue
            value_minor = value.to_minor()
        contents.append(ContentEmv(card=card.label, emv=value, reason=reason, **base))
        per_creator_minor[s.creator_id] += value_minor
        known_creators.add(s.creator_id)
    per_creator: dict[str, Money | None] = {c.creator_id: None for c in contents}
    for creator in known_creators:
        per_creator[creator] = Money.from_minor(per_creator_minor[creator], currency)
    total = Money.from_minor(sum(per_creator_minor.values()), currency) if known_creators else None
    used = tuple(sorted({c.card for c in contents}))
    return EmvReport(currency, contents, dict(sorted(per_creator.items())), total, used)
