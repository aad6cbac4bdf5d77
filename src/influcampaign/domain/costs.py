"""What a campaign costs: fees, products, shipping, gifts, bonuses and agency costs, each
planned, then committed, then paid (or cancelled), in its own currency."""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import check_text, optional_instant_field, parse_enum, valid_id
from influcampaign.domain.aggregate import Aggregate
from influcampaign.domain.event import DomainEvent, register
from influcampaign.domain.lifecycle import Lifecycle
from influcampaign.domain.money import Money
from influcampaign.domain.privacy import erase_fields, scrub
from influcampaign.errors import ValidationError

__all__ = [
    "COST_LIFECYCLE",
    "Cost",
    "CostAction",
    "CostKind",
    "CostPutOnStatement",
    "CostStatus",
]


class CostKind(enum.StrEnum):
    """What the money is for."""

    FEE = "fee"
    PRODUCT = "product"  # the cost of the products given
    SHIPPING = "shipping"
    GIFT = "gift"  # a gift beyond the campaign's product (a voucher, an experience)
    BONUS = "bonus"
    AGENCY = "agency"
    USAGE_RIGHTS = "usage_rights"  # the fee for using a content beyond the campaign
    TRAVEL = "travel"  # a creator's journey to a brand event
    HOTEL = "hotel"  # a creator's stay for a brand event
    OTHER = "other"
    COMMISSION = "commission"  # on attributed sales: reports take it from the ledger


class CostStatus(enum.StrEnum):
    """Planned (in the budget), committed (agreed, owed), paid, or cancelled."""

    PLANNED = "planned"
    COMMITTED = "committed"
    PAID = "paid"
    CANCELLED = "cancelled"


class CostAction(enum.StrEnum):
    """What can happen to a cost."""

    COMMIT = "commit"
    PAY = "pay"
    CANCEL = "cancel"


_S, _A = CostStatus, CostAction

COST_LIFECYCLE: Lifecycle[CostStatus, CostAction] = Lifecycle(
    "cost",
    {
        (_S.PLANNED, _A.COMMIT): _S.COMMITTED,
        (_S.PLANNED, _A.PAY): _S.PAID,
        (_S.COMMITTED, _A.PAY): _S.PAID,
        (_S.PLANNED, _A.CANCEL): _S.CANCELLED,
        (_S.COMMITTED, _A.CANCEL): _S.CANCELLED,
    },
)
"""planned → committed → paid; planned → paid; planned or committed → cancelled."""


def _kind(value: Any) -> CostKind:
    return parse_enum(CostKind, "kind", value)


def _status(value: Any) -> CostStatus:
    return parse_enum(CostStatus, "status", value)


def _amount(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None and attribute.name != "amount":
        return
    if not isinstance(value, Money):
        raise ValidationError(attribute.name, value, "must be Money")
    if value.amount < 0:
        raise ValidationError(attribute.name, str(value), "must not be negative")


def _description(value: Any) -> str:
    return check_text("description", value, max_length=500, allow_empty=True)


def _due_on(value: Any) -> _dt.date | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise ValidationError("due_on", value, "must be a date (no time)")
    return _dt.date(value.year, value.month, value.day)


def _compliance(_instance: Any, _attribute: Any, value: Any) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100
    ):
        raise ValidationError("compliance", value, "must be a whole percentage from 0 to 100")


# -- what happens to a cost (recorded by Cost, written to the outbox) ------------------------


@register
@attrs.frozen(kw_only=True)
class CostPlanned(DomainEvent):
    """A cost was put in a campaign's budget."""

    cost_id: str
    campaign_id: str
    participation_id: str | None
    creator_id: str | None
    kind: str
    amount: Money


@register
@attrs.frozen(kw_only=True)
class CostCommitted(DomainEvent):
    """A planned cost was agreed: it is owed."""

    cost_id: str
    campaign_id: str
    amount: Money


@register
@attrs.frozen(kw_only=True)
class CostPaid(DomainEvent):
    """A cost was paid (``compliance``: the brief percentage it was paid for, if tied to it)."""

    cost_id: str
    campaign_id: str
    participation_id: str | None
    creator_id: str | None
    amount: Money
    compliance: int | None
    reference: str


@register
@attrs.frozen(kw_only=True)
class CostCancelled(DomainEvent):
    """A planned or committed cost was cancelled, with why."""

    cost_id: str
    campaign_id: str
    reason: str


@register
@attrs.frozen(kw_only=True)
class CostPutOnStatement(DomainEvent):
    """An owed cost was put on a creator's payout statement (it is paid through it)."""

    cost_id: str
    campaign_id: str
    statement_id: str


@attrs.define
class Cost(Aggregate):
    """One cost of a campaign, for one participation (a creator's fee) or for the whole
    campaign (``participation_id`` None: an agency's fee, say). Aggregate.

    ``amount`` is what is planned or agreed. ``paid`` is what was actually paid: the amount,
    or, when ``pay_by_compliance`` is set, the amount times the validated brief percentage
    (``compliance``), as marketplaces pay a fee only for the part of the brief respected.
    """

    id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    kind: CostKind = attrs.field(converter=_kind)
    amount: Money = attrs.field(validator=_amount)
    participation_id: str | None = None
    creator_id: str | None = None
    description: str = attrs.field(default="", converter=_description)
    due_on: _dt.date | None = attrs.field(default=None, converter=_due_on)
    pay_by_compliance: bool = False
    status: CostStatus = attrs.field(default=CostStatus.PLANNED, converter=_status)
    committed_at: pendulum.DateTime | None = optional_instant_field()
    paid_at: pendulum.DateTime | None = optional_instant_field()
    cancelled_at: pendulum.DateTime | None = optional_instant_field()
    paid: Money | None = attrs.field(default=None, validator=_amount)
    compliance: int | None = attrs.field(default=None, validator=_compliance)
    reference: str = ""  # the host's payment reference (a transfer id, an invoice number)
    statement_id: str | None = None  # the payout statement it is paid through, once on one
    created_at: pendulum.DateTime | None = optional_instant_field()
    version: int = 0

    @property
    def currency(self) -> str:
        """The cost's currency."""
        return self.amount.currency

    @property
    def effective(self) -> Money:
        """What this cost weighs: the paid amount once paid, else the amount."""
        return self.paid if self.paid is not None else self.amount

    @property
    def day(self) -> _dt.date | None:
        """The day money is converted at: the payment's, else the due date, else creation."""
        if self.paid_at is not None:
            return self.paid_at.date()
        if self.due_on is not None:
            return self.due_on
        if self.committed_at is not None:
            return self.committed_at.date()
        return None if self.created_at is None else self.created_at.date()

    def apply(self, action: CostAction) -> tuple[CostStatus, CostStatus]:
        """Move through the lifecycle; returns (before, after) or raises InvalidTransition."""
        before = self.status
        self.status = COST_LIFECYCLE.next(self.id, self.status, action)
        return before, self.status

    @classmethod
    def plan(cls, now: pendulum.DateTime, **fields: Any) -> Cost:
        """A new cost in the budget (planned), recording CostPlanned."""
        cost = cls(**fields, created_at=now)
        cost.record(
            CostPlanned(
                occurred_at=now,
                cost_id=cost.id,
                campaign_id=cost.campaign_id,
                participation_id=cost.participation_id,
                creator_id=cost.creator_id,
                kind=cost.kind.value,
                amount=cost.amount,
            )
        )
        return cost

    def commit(self, now: pendulum.DateTime) -> None:
        """The planned cost is agreed: it is owed."""
        self.apply(CostAction.COMMIT)
        self.committed_at = now
        self.record(
            CostCommitted(
                occurred_at=now, cost_id=self.id, campaign_id=self.campaign_id, amount=self.amount
            )
        )

    def pay(
        self,
        now: pendulum.DateTime,
        *,
        compliance: int | None,
        reference: str = "",
        statement_id: str | None = None,
    ) -> None:
        """Record the payment: the amount, or its share for the validated brief percentage
        ``compliance`` when the cost is paid by compliance (refused before any validation).
        A cost on a payout statement is paid only through it (``statement_id``)."""
        self._check_statement(statement_id, "paid")
        paid = self.amount_for(compliance)
        self.apply(CostAction.PAY)
        self.paid_at = now
        self.paid = paid
        self.compliance = compliance if self.pay_by_compliance else None
        self.reference = reference
        self.record(
            CostPaid(
                occurred_at=now,
                cost_id=self.id,
                campaign_id=self.campaign_id,
                participation_id=self.participation_id,
                creator_id=self.creator_id,
                amount=paid,
                compliance=self.compliance,
                reference=reference,
            )
        )

    def cancel(self, now: pendulum.DateTime, *, reason: str) -> None:
        """Take the cost out of the budget, with why (a paid cost cannot be)."""
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError("reason", reason, "say why the cost is cancelled")
        self._check_statement(None, "cancelled")
        self.apply(CostAction.CANCEL)
        self.cancelled_at = now
        self.record(
            CostCancelled(
                occurred_at=now,
                cost_id=self.id,
                campaign_id=self.campaign_id,
                reason=reason.strip(),
            )
        )

    def put_on_statement(self, now: pendulum.DateTime, statement_id: str) -> None:
        """The owed cost is on a payout statement: from now on it is paid through it."""
        if self.status is not CostStatus.COMMITTED or self.statement_id is not None:
            raise ValidationError(
                "cost_id", self.id, "only a committed cost on no statement goes on a statement"
            )
        self.statement_id = statement_id
        self.record(
            CostPutOnStatement(
                occurred_at=now,
                cost_id=self.id,
                campaign_id=self.campaign_id,
                statement_id=statement_id,
            )
        )

    def _check_statement(self, statement_id: str | None, what: str) -> None:
        if self.statement_id is not None and statement_id != self.statement_id:
            raise ValidationError(
                "cost_id",
                self.id,
                f"is on payout statement {self.statement_id}: it is {what} through the statement",
            )

    def amount_for(self, compliance: int | None) -> Money:
        """What to pay: the amount, or its share for a validated brief percentage."""
        if not self.pay_by_compliance:
            return self.amount
        if compliance is None:
            raise ValidationError(
                "compliance",
                None,
                f"cost {self.id} is paid by the validated brief percentage: validate the "
                "creator's content first",
            )
        _compliance(None, None, compliance)
        share = self.amount.amount * Decimal(compliance) / 100
        return Money(share, self.currency).rounded(ROUND_HALF_EVEN)

    def erase(self, now: pendulum.DateTime, personal: Iterable[str]) -> tuple[str, ...]:
        """Take the creator's ``personal`` strings out of the description and reference; the
        cost itself (amounts, dates, payment) is kept, as accounting law requires. Records
        PersonalDataErased when they held some."""
        changes = {
            "description": scrub(self.description, personal),
            "reference": scrub(self.reference, personal),
        }
        return erase_fields(
            self, now, changes, kind="cost", creator_id=self.creator_id, reason="erasure"
        )
