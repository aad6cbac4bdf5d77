"""Campaigns (marketplace offers or private projects), their window, compensation and lifecycle."""

from __future__ import annotations

import enum
import re
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import (
    check_datetime,
    check_text,
    check_timezone,
    name_text,
    optional_instant_field,
    parse_enum,
    unique_tuple,
    valid_id,
)
from influcampaign.domain.aggregate import Aggregate, apply_changes, check_editable
from influcampaign.domain.brief import BriefRequirements
from influcampaign.domain.commission import CommissionPolicy
from influcampaign.domain.creator import TierPolicy
from influcampaign.domain.creator import _language as _language_code
from influcampaign.domain.event import DomainEvent, register
from influcampaign.domain.kinds import KindPolicy
from influcampaign.domain.lifecycle import Lifecycle
from influcampaign.domain.money import Money
from influcampaign.domain.policies import (
    ApplicationPolicy,
    AttributionPolicy,
    ClickPolicy,
    EmvPolicy,
    ListApprovalPolicy,
    ReminderPolicy,
    ValidationPolicy,
)
from influcampaign.domain.project_copy import ProjectOrigin
from influcampaign.domain.targeting import MatchingPolicy, Targeting
from influcampaign.errors import InvalidTransition, ValidationError

__all__ = [
    "ProjectCopied",
    "CAMPAIGN_LIFECYCLE",
    "Campaign",
    "CampaignAction",
    "CampaignCancelled",
    "CampaignCreated",
    "CampaignEnded",
    "CampaignKind",
    "CampaignMode",
    "CampaignOpened",
    "CampaignPolicies",
    "CampaignReviewed",
    "CampaignStarted",
    "CampaignStatus",
    "CampaignUpdated",
    "Compensation",
    "DateWindow",
    "normalise_hashtag",
    "normalise_mention",
]


class CampaignKind(enum.StrEnum):
    """What the campaign is for."""

    SEEDING = "seeding"
    PRODUCT_PLACEMENT = "product_placement"
    EVENT = "event"
    CONTEST = "contest"
    SALES_TRACKING = "sales_tracking"


class CampaignMode(enum.StrEnum):
    """A public marketplace offer creators apply to, or a private project built by the brand."""

    MARKETPLACE = "marketplace"
    PROJECT = "project"


class CampaignStatus(enum.StrEnum):
    """Where a campaign is in its life."""

    DRAFT = "draft"
    OPEN = "open"  # a marketplace offer accepting applications
    RUNNING = "running"
    ENDED = "ended"
    REVIEWED = "reviewed"
    CANCELLED = "cancelled"


class CampaignAction(enum.StrEnum):
    """What can happen to a campaign's status."""

    OPEN = "open"
    START = "start"
    END = "end"
    REVIEW = "review"
    CANCEL = "cancel"


_S, _A = CampaignStatus, CampaignAction

CAMPAIGN_LIFECYCLE: Lifecycle[CampaignStatus, CampaignAction] = Lifecycle(
    "campaign",
    {
        (_S.DRAFT, _A.OPEN): _S.OPEN,
        (_S.DRAFT, _A.START): _S.RUNNING,
        (_S.OPEN, _A.START): _S.RUNNING,
        (_S.OPEN, _A.END): _S.ENDED,
        (_S.RUNNING, _A.END): _S.ENDED,
        (_S.ENDED, _A.REVIEW): _S.REVIEWED,
        (_S.DRAFT, _A.CANCEL): _S.CANCELLED,
        (_S.OPEN, _A.CANCEL): _S.CANCELLED,
        (_S.RUNNING, _A.CANCEL): _S.CANCELLED,
    },
)
"""draft → open (marketplace) → running → ended → reviewed; cancel before the end."""

CHANGEABLE = frozenset({_S.DRAFT, _S.OPEN, _S.RUNNING})
"""Statuses in which a campaign's fields may change: ended, reviewed and cancelled are frozen."""

_EDITABLE = frozenset(
    {
        "brand_name",
        "language",
        "name",
        "requirements",
        "kind",
        "compensation",
        "hashtags",
        "mentions",
        "summary",
        "brief",
        "window",
        "policies",
        "targeting",
    }
)
"""The fields ``Campaign.update`` may change."""


def _start(value: Any) -> pendulum.DateTime:
    return check_datetime("start", value)


def _end(value: Any) -> pendulum.DateTime:
    return check_datetime("end", value)


def _timezone(_instance: Any, _attribute: Any, value: Any) -> None:
    check_timezone("timezone", value)


@attrs.frozen
class DateWindow:
    """A start and an end (aware, stored in UTC) and the IANA time zone days are counted in."""

    start: pendulum.DateTime = attrs.field(converter=_start)
    end: pendulum.DateTime = attrs.field(converter=_end)
    timezone: str = attrs.field(validator=_timezone)

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise ValidationError(
                "end", self.end.isoformat(), f"must be after start {self.start.isoformat()}"
            )

    def local(self, moment: pendulum.DateTime) -> pendulum.DateTime:
        """``moment`` seen in this window's time zone."""
        return moment.in_timezone(self.timezone)

    def contains(self, moment: pendulum.DateTime) -> bool:
        """Whether ``moment`` falls within [start, end)."""
        return self.start <= moment < self.end


_TAG = re.compile(r"[^\W_][\w]*", re.UNICODE)


def normalise_hashtag(value: Any) -> str:
    """``'#SummerGlow'`` or ``'SummerGlow'`` → ``'#SummerGlow'`` (case kept for display)."""
    text = value.strip().removeprefix("#") if isinstance(value, str) else value
    if not isinstance(text, str) or not _TAG.fullmatch(text) or len(text) > 100:
        raise ValidationError("hashtags", value, "is not a hashtag")
    return "#" + text


def normalise_mention(value: Any) -> str:
    """``'@brand'`` or ``'brand'`` → ``'@brand'``."""
    text = value.strip().removeprefix("@") if isinstance(value, str) else value
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9_.]{1,100}", text):
        raise ValidationError("mentions", value, "is not a @mention")
    return "@" + text


def _hashtags(values: Any) -> tuple[str, ...]:
    return unique_tuple("hashtags", (normalise_hashtag(v) for v in _strings("hashtags", values)))


def _mentions(values: Any) -> tuple[str, ...]:
    return unique_tuple("mentions", (normalise_mention(v) for v in _strings("mentions", values)))


def _strings(field: str, values: Any) -> list[Any]:
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise ValidationError(field, values, "must be a list")
    return list(values)


@attrs.frozen
class Compensation:
    """What a creator receives: a gifted product value, a fee, or both."""

    product_value: Money | None = None
    fee: Money | None = None

    def __attrs_post_init__(self) -> None:
        for name in ("product_value", "fee"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, Money) or value.amount < 0):
                raise ValidationError(f"compensation.{name}", value, "must be non-negative Money")

    @property
    def is_paid(self) -> bool:
        """True when a fee is paid (possibly with a gift)."""
        return self.fee is not None and not self.fee.is_zero()

    @property
    def is_gifted(self) -> bool:
        """True when a product is given (possibly with a fee)."""
        return self.product_value is not None


@attrs.frozen
class CampaignPolicies:
    """The rules a campaign runs by, as one frozen value; later capabilities add theirs here."""

    tiers: TierPolicy = attrs.Factory(TierPolicy)
    applications: ApplicationPolicy = attrs.Factory(ApplicationPolicy)
    list_approval: ListApprovalPolicy = attrs.Factory(ListApprovalPolicy)
    reminders: ReminderPolicy = attrs.Factory(ReminderPolicy)
    validation: ValidationPolicy = attrs.Factory(ValidationPolicy)
    attribution: AttributionPolicy = attrs.Factory(AttributionPolicy)
    clicks: ClickPolicy = attrs.Factory(ClickPolicy)
    emv: EmvPolicy = attrs.Factory(EmvPolicy)
    matching: MatchingPolicy = attrs.Factory(MatchingPolicy)
    commission: CommissionPolicy = attrs.Factory(CommissionPolicy)
    kinds: KindPolicy = attrs.Factory(KindPolicy)


def _brand_name(value: Any) -> str:
    return check_text("brand_name", value, allow_empty=True)


def _kind(value: Any) -> CampaignKind:
    return parse_enum(CampaignKind, "kind", value)


def _mode(value: Any) -> CampaignMode:
    return parse_enum(CampaignMode, "mode", value)


def _status(value: Any) -> CampaignStatus:
    return parse_enum(CampaignStatus, "status", value)


def _brief(value: Any) -> str:
    return check_text("brief", value, max_length=20_000, allow_empty=True)


def _summary(value: Any) -> str:
    return check_text("summary", value, max_length=20_000, allow_empty=True)


# -- what happens to a campaign (recorded by Campaign, written to the outbox) ----------------


@register
@attrs.frozen(kw_only=True)
class CampaignCreated(DomainEvent):
    """A campaign was created, as a draft."""

    campaign_id: str
    brand_id: str
    name: str
    mode: str
    kind: str


@register
@attrs.frozen(kw_only=True)
class CampaignUpdated(DomainEvent):
    """Some of a campaign's fields (brief, dates, hashtags ...) changed."""

    campaign_id: str
    fields: tuple[str, ...]


@attrs.frozen(kw_only=True)
class _CampaignStatusEvent(DomainEvent):
    campaign_id: str
    previous_status: str


@register
@attrs.frozen(kw_only=True)
class CampaignOpened(_CampaignStatusEvent):
    """A marketplace offer opened to applications."""


@register
@attrs.frozen(kw_only=True)
class CampaignStarted(_CampaignStatusEvent):
    """A campaign started running."""


@register
@attrs.frozen(kw_only=True)
class CampaignEnded(_CampaignStatusEvent):
    """A campaign ended."""


@register
@attrs.frozen(kw_only=True)
class CampaignReviewed(_CampaignStatusEvent):
    """The brand closed the campaign's review."""


@register
@attrs.frozen(kw_only=True)
class CampaignCancelled(_CampaignStatusEvent):
    """A campaign was cancelled before its end."""


_MOVED: dict[CampaignAction, type[_CampaignStatusEvent]] = {
    CampaignAction.OPEN: CampaignOpened,
    CampaignAction.START: CampaignStarted,
    CampaignAction.END: CampaignEnded,
    CampaignAction.REVIEW: CampaignReviewed,
    CampaignAction.CANCEL: CampaignCancelled,
}
"""The event each move of the lifecycle records."""


@register
@attrs.frozen(kw_only=True)
class ProjectCopied(DomainEvent):
    """A project was created from another one, with the creators whose audience data is
    hidden or opted out moved to it or left out (``hidden``)."""

    campaign_id: str
    source_campaign_id: str
    hidden: str
    creator_ids: tuple[str, ...]


@attrs.define
class Campaign(Aggregate):
    """A campaign of one brand: a marketplace offer or a private project. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    name: str = attrs.field(converter=name_text)
    kind: CampaignKind = attrs.field(converter=_kind)
    mode: CampaignMode = attrs.field(converter=_mode)
    window: DateWindow = attrs.field(validator=attrs.validators.instance_of(DateWindow))
    compensation: Compensation = attrs.Factory(Compensation)
    hashtags: tuple[str, ...] = attrs.field(default=(), converter=_hashtags)
    mentions: tuple[str, ...] = attrs.field(default=(), converter=_mentions)
    summary: str = attrs.field(default="", converter=_summary)
    brief: str = attrs.field(default="", converter=_brief)
    requirements: BriefRequirements = attrs.Factory(BriefRequirements)
    group_id: str | None = None
    brand_name: str = attrs.field(default="", converter=_brand_name)
    # The language the SDK writes to its creators in (ISO 639); None: each creator's own.
    language: str | None = attrs.field(default=None, converter=_language_code)
    policies: CampaignPolicies = attrs.Factory(CampaignPolicies)
    targeting: Targeting = attrs.Factory(Targeting)
    status: CampaignStatus = attrs.field(default=CampaignStatus.DRAFT, converter=_status)
    created_at: pendulum.DateTime | None = optional_instant_field()
    origin: ProjectOrigin | None = None  # when copied from another project (issue 17)
    version: int = 0

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.targeting, Targeting):
            raise ValidationError("targeting", self.targeting, "must be a Targeting")
        self.targeting.check_tiers(self.policies.tiers)

    @property
    def brand(self) -> str:
        """The brand as shown to creators: its name, else its id."""
        return self.brand_name or self.brand_id

    def apply(self, action: CampaignAction) -> tuple[CampaignStatus, CampaignStatus]:
        """Move through the lifecycle; returns (before, after) or raises InvalidTransition.

        Opening to applications only exists for marketplace offers.
        """
        if action is CampaignAction.OPEN and self.mode is not CampaignMode.MARKETPLACE:
            raise InvalidTransition(
                "campaign", self.id, f"{self.status.value} (project)", action.value
            )
        before = self.status
        self.status = CAMPAIGN_LIFECYCLE.next(self.id, self.status, action)
        return before, self.status

    @classmethod
    def create(cls, now: pendulum.DateTime, **fields: Any) -> Campaign:
        """A new draft campaign, recording CampaignCreated."""
        campaign = cls(**fields, created_at=now)
        campaign.record(
            CampaignCreated(
                occurred_at=now,
                campaign_id=campaign.id,
                brand_id=campaign.brand_id,
                name=campaign.name,
                mode=campaign.mode.value,
                kind=campaign.kind.value,
            )
        )
        return campaign

    @classmethod
    def copy_of(
        cls, now: pendulum.DateTime, source: Campaign, *, id: str, name: str, origin: ProjectOrigin
    ) -> Campaign:
        """A new draft project copying ``source``'s brief, dates, tracking (hashtags and
        mentions), requirements, compensation, policies and targeting, with its ``origin``;
        records CampaignCreated and ProjectCopied. Only a project may be copied so."""
        if source.mode is not CampaignMode.PROJECT:
            raise ValidationError("campaign_id", source.id, "is a marketplace offer, not a project")
        campaign = cls.create(
            now,
            id=id,
            brand_id=source.brand_id,
            name=name,
            kind=source.kind,
            mode=source.mode,
            window=source.window,
            compensation=source.compensation,
            hashtags=source.hashtags,
            mentions=source.mentions,
            summary=source.summary,
            brief=source.brief,
            requirements=source.requirements,
            group_id=source.group_id,
            brand_name=source.brand_name,
            policies=source.policies,
            targeting=source.targeting,
            origin=origin,
        )
        campaign.record(
            ProjectCopied(
                occurred_at=now,
                campaign_id=campaign.id,
                source_campaign_id=source.id,
                hidden=origin.hidden.value,
                creator_ids=origin.creator_ids,
            )
        )
        return campaign

    def update(self, now: pendulum.DateTime, **changes: Any) -> tuple[str, ...]:
        """Change the name, brief, requirements, summary, hashtags, mentions, window,
        compensation, policies or targeting; records CampaignUpdated with the names of those
        that changed, which it returns. Ended, reviewed and cancelled campaigns are frozen."""
        check_editable(changes, _EDITABLE)
        if self.status not in CHANGEABLE:
            raise InvalidTransition("campaign", self.id, self.status.value, "update")
        fields = apply_changes(self, changes, editable=_EDITABLE)
        if fields:
            self.record(CampaignUpdated(occurred_at=now, campaign_id=self.id, fields=fields))
        return fields

    def open(self, now: pendulum.DateTime) -> None:
        """Open a marketplace offer to applications."""
        self._move(CampaignAction.OPEN, now)

    def start(self, now: pendulum.DateTime) -> None:
        """Start the campaign."""
        self._move(CampaignAction.START, now)

    def end(self, now: pendulum.DateTime) -> None:
        """End the campaign: from now on its fields are frozen."""
        self._move(CampaignAction.END, now)

    def review(self, now: pendulum.DateTime) -> None:
        """Close the end-of-campaign review."""
        self._move(CampaignAction.REVIEW, now)

    def cancel(self, now: pendulum.DateTime) -> None:
        """Cancel the campaign before its end."""
        self._move(CampaignAction.CANCEL, now)

    def _move(self, action: CampaignAction, now: pendulum.DateTime) -> None:
        before, _after = self.apply(action)
        self.record(
            _MOVED[action](occurred_at=now, campaign_id=self.id, previous_status=before.value)
        )
