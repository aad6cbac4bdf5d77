"""The rules a campaign runs by, as frozen values (see :class:`CampaignPolicies`)."""

from __future__ import annotations

import enum
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import check_count, int_tuple, parse_enum
from influcampaign.domain.money import check_currency
from influcampaign.errors import ValidationError

__all__ = [
    "ApplicationPolicy",
    "AttributionPolicy",
    "AttributionRule",
    "ClickPolicy",
    "EmvPolicy",
    "ListApprovalPolicy",
    "ReminderPolicy",
    "RevenueBasis",
    "ValidationPolicy",
]


def _days(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple) or not value:
        raise ValidationError(attribute.name, value, "must be a non-empty list of days")
    for day in value:
        if isinstance(day, bool) or not isinstance(day, int) or day < 1:
            raise ValidationError(attribute.name, value, "days must be whole numbers ≄ 1")
    if list(value) != sorted(set(value)):
        raise ValidationError(attribute.name, value, "days must be strictly increasing")


def _count(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_count(attribute.name, value)


def _positive(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (check_count(attribute.name, value) == 0):
        raise ValidationError(attribute.name, value, "must be at least 1")


@attrs.frozen
class ReminderPolicy:
    """When creators are reminded to publish: days after delivery, in the campaign's time zone.

    Reminders stop as soon as the creator submits content.
    """

    after_delivery_days: tuple[int, ...] = attrs.field(
        default=(3, 7, 14), converter=int_tuple, validator=_days
    )

    def after_delivery(
        self, delivered_at: pendulum.DateTime, timezone: str
    ) -> tuple[pendulum.DateTime, ...]:
        """When the reminders fall, in UTC: each ``after_delivery_days`` calendar days after
        ``delivered_at`` in ``timezone`` (same local time across a DST change)."""
        local = delivered_at.in_timezone(timezone)
        return tuple(local.add(days=d).in_timezone("UTC") for d in self.after_delivery_days)


@attrs.frozen
class ApplicationPolicy:
    """How a marketplace offer takes applications.

    ``max_accepted``: cap on accepted creators (None: no cap). ``pending_alert_days``: the
    brand is reminded of an application still undecided after this many days.
    """

    max_accepted: int | None = attrs.field(default=None, validator=_positive)
    pending_alert_days: int = attrs.field(default=3, validator=_positive)


@attrs.frozen
class ListApprovalPolicy:
    """How colleagues or a client approve the creator list.

    A creator is approved once ``required_approvals`` reviewers approved and none rejected;
    one rejection declines it. With ``hold_without_audience``, creators whose audience data
    is hidden or opted out stay pending even when approved, until the brand confirms them.
    """

    required_approvals: int = attrs.field(default=1, validator=_positive)
    hold_without_audience: bool = True


def _percent(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValidationError(attribute.name, value, "must be a whole percentage 0-100")


@attrs.frozen
class ValidationPolicy:
    """How the brand validates submitted content, in calendar days of the campaign's time zone.

    The brand validates within ``validate_within_days`` of the submission and is reminded
    ``remind_days_before`` days before that deadline (0: no reminder). A submission still
    not validated ``auto_validate_after_days`` days after it was submitted (or re-opened)
    is validated automatically at ``auto_compliance`` percent.
    """

    validate_within_days: int = attrs.field(default=7, validator=_positive)
    auto_validate_after_days: int = attrs.field(default=10, validator=_positive)
    remind_days_before: int = attrs.field(default=1, validator=_count)
    auto_compliance: int = attrs.field(default=100, validator=_percent)

    def __attrs_post_init__(self) -> None:
        if self.auto_validate_after_days < self.validate_within_days:
            raise ValidationError(
                "auto_validate_after_days",
                self.auto_validate_after_days,
                f"must not come before the {self.validate_within_days}-day validation deadline",
            )
        if self.remind_days_before >= self.validate_within_days:
            raise ValidationError(
                "remind_days_before",
                self.remind_days_before,
                f"must be fewer than the {self.validate_within_days} days to validate",
            )


class AttributionRule(enum.StrEnum):
    """Which touch gets the sale when an order carries several.

    ``code_wins``: a creator's promo code, else a tracked link. ``link_wins``: a tracked
    link, else a code. ``last_touch``: the most recent touch; a code is typed at checkout,
    so it counts at the order's time, as does the landing page of the checkout session,
    while a click counts at the time it was made.
    """

    CODE_WINS = "code_wins"
    LINK_WINS = "link_wins"
    LAST_TOUCH = "last_touch"


class RevenueBasis(enum.StrEnum):
    """Which amount of an order is credited: ``subtotal`` (line items after discounts,
    without shipping; Shopify's ``subtotal_price``) or ``total`` (what the buyer paid)."""

    SUBTOTAL = "subtotal"
    TOTAL = "total"


def _rule(value: Any) -> AttributionRule:
    return parse_enum(AttributionRule, "rule", value)


def _basis(value: Any) -> RevenueBasis:
    return parse_enum(RevenueBasis, "basis", value)


def _optional_currency(_instance: Any, _attribute: Any, value: Any) -> None:
    if value is not None:
        check_currency("currency", value)


@attrs.frozen
class AttributionPolicy:
    """How a campaign is credited with sales.

    An order is credited to at most one participation, chosen by ``rule``; a click counts
    only if the order came within ``window_days`` of it. ``currency`` is the currency the
    campaign's sales are reported in (None: the campaign's compensation currency); orders
    in another currency are converted with the workspace's rate provider.
    """

    rule: AttributionRule = attrs.field(default=AttributionRule.CODE_WINS, converter=_rule)
    window_days: int = attrs.field(default=30, validator=_positive)
    basis: RevenueBasis = attrs.field(default=RevenueBasis.SUBTOTAL, converter=_basis)
    currency: str | None = attrs.field(default=None, validator=_optional_currency)


def _card_name(_instance: Any, _attribute: Any, value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ValidationError("card", value, "must be the name of one of the brand's rate cards")


@attrs.frozen
class EmvPolicy:
    """Which rate card values a campaign's content: the brand's card named ``card`` (its
    version in force at each content's publication date), or the shipped default card."""

    card: str | None = attrs.field(default=None, validator=_card_name)


@attrs.frozen
class ClickPolicy:
    """How clicks on tracked links are counted: a visitor's clicks on one link within
    ``dedup_window_seconds`` of its previous one count once as unique (1 hour by default)."""

    dedup_window_seconds: int = attrs.field(default=3_600, validator=_positive)
