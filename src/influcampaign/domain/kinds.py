"""What a campaign's kind shapes by default, as a policy each brand can change (issue 23).

A contest's brief requires its rules, its legal mentions and the disclosure; a brand event's
guests owe coverage (deliverables during and after the event) and are reminded before it; a
sales-tracking campaign gives every confirmed creator a tracked link and a promo code. Each
of these is a field of :class:`KindPolicy` (``CampaignPolicies.kinds``), so a brand turns it
off or changes it like any other policy.
"""

from __future__ import annotations

from typing import Any

import attrs

from influcampaign.domain._validate import check_count, check_text, parse_enum
from influcampaign.domain.creator import Platform
from influcampaign.domain.deliverable import ContentFormat
from influcampaign.errors import ValidationError

__all__ = ["CoverageItem", "KindPolicy"]


def _platform(value: Any) -> Platform:
    return parse_enum(Platform, "coverage.platform", value)


def _format(value: Any) -> ContentFormat:
    return parse_enum(ContentFormat, "coverage.format", value)


def _quantity(_instance: Any, _attribute: Any, value: Any) -> None:
    if check_count("coverage.quantity", value) < 1:
        raise ValidationError("coverage.quantity", value, "must be at least 1")


def _after_days(_instance: Any, _attribute: Any, value: Any) -> None:
    if value is not None and check_count("coverage.after_days", value) < 1:
        raise ValidationError("coverage.after_days", value, "must be at least 1 (None: during)")


@attrs.frozen
class CoverageItem:
    """Coverage a guest of a brand event owes: ``quantity`` contents of one platform and
    format, during the event (``after_days`` None: planned on the event's day and time) or
    due ``after_days`` calendar days after it, in the event's time zone."""

    platform: Platform = attrs.field(converter=_platform)
    format: ContentFormat = attrs.field(converter=_format)
    quantity: int = attrs.field(default=1, validator=_quantity)
    after_days: int | None = attrs.field(default=None, validator=_after_days)

    @property
    def during(self) -> bool:
        """True for coverage published during the event."""
        return self.after_days is None

    @property
    def label(self) -> str:
        """``'instagram story x3, during'``."""
        what = f"{self.platform.value} {self.format.value}"
        if self.quantity > 1:
            what += f" x{self.quantity}"
        when = "during" if self.during else f"within {self.after_days} day(s) after"
        return f"{what}, {when}"


def _coverage(values: Any) -> tuple[CoverageItem, ...]:
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise ValidationError("event_coverage", values, "must be a list of CoverageItem")
    items = tuple(values)
    if not all(isinstance(i, CoverageItem) for i in items):
        raise ValidationError("event_coverage", values, "must be a list of CoverageItem")
    return items


def _reminder_days(values: Any) -> tuple[int, ...]:
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise ValidationError("event_reminder_days", values, "must be a list of days")
    days = tuple(values)
    for day in days:
        if isinstance(day, bool) or not isinstance(day, int) or day < 1:
            raise ValidationError("event_reminder_days", values, "days must be whole numbers ≄ 1")
    if list(days) != sorted(set(days), reverse=True):
        raise ValidationError("event_reminder_days", values, "must be strictly decreasing")
    return days


def _destination(_instance: Any, _attribute: Any, value: Any) -> None:
    if value is not None:
        check_text("sales_link_destination", value, max_length=2_048)


def _percent_off(_instance: Any, _attribute: Any, value: Any) -> None:
    if check_count("sales_percent_off", value) not in range(1, 101):
        raise ValidationError("sales_percent_off", value, "must be a whole percentage 1-100")


_DEFAULT_COVERAGE = (
    CoverageItem(Platform.INSTAGRAM, ContentFormat.STORY, 3),
    CoverageItem(Platform.INSTAGRAM, ContentFormat.POST, 1, after_days=3),
)


@attrs.frozen
class KindPolicy:
    """The defaults a campaign's kind brings, each one changeable.

    Contests: ``contest_rules`` (the brief requires the rules to be referred to),
    ``contest_legal`` (the legal mentions of the contest's jurisdictions) and
    ``contest_disclosure`` (the advertising disclosure, of the contest's first jurisdiction
    when the brief names none). Brand events: ``event_coverage`` (planned for each guest who
    accepts) and ``event_reminder_days`` (reminders that many days before, by the scheduler).
    Sales tracking: ``sales_links`` and ``sales_codes`` for every confirmed creator (links
    need ``sales_link_destination``), ``sales_percent_off`` for the codes.
    """

    contest_rules: bool = True
    contest_legal: bool = True
    contest_disclosure: bool = True
    event_coverage: tuple[CoverageItem, ...] = attrs.field(
        default=_DEFAULT_COVERAGE, converter=_coverage
    )
    event_reminder_days: tuple[int, ...] = attrs.field(default=(7, 1), converter=_reminder_days)
    sales_links: bool = True
    sales_codes: bool = True
    sales_link_destination: str | None = attrs.field(default=None, validator=_destination)
    sales_percent_off: int = attrs.field(default=15, validator=_percent_off)
