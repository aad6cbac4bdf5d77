"""Payout statements: what a brand owes one creator for a period — approved commissions, fees
and bonuses, minus clawbacks — numbered, issued once and never changed, then marked paid
with the host's payment reference."""

from __future__ import annotations

import csv
import datetime as _dt
import enum
import io
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import check_text, in_utc, parse_enum, valid_id
from influcampaign.domain.aggregate import Aggregate
from influcampaign.domain.event import DomainEvent, register
from influcampaign.domain.lifecycle import Lifecycle
from influcampaign.domain.money import Money
from influcampaign.domain.orders import RateUsed
from influcampaign.errors import CurrencyMismatch, ValidationError

__all__ = [
    "STATEMENT_LIFECYCLE",
    "LineKind",
    "PayoutStatement",
    "StatementIssued",
    "StatementLine",
    "StatementPaid",
    "StatementStatus",
    "statements_csv",
]


class LineKind(enum.StrEnum):
    """What a statement line pays (or takes back)."""

    COMMISSION = "commission"
    CLAWBACK = "clawback"
    FEE = "fee"
    BONUS = "bonus"
    CARRIED_IN = "carried in"  # what the creator owed from the previous statement
    CARRIED_FORWARD = "carried forward"  # what the creator owes, deducted next time


def _line_kind(value: Any) -> LineKind:
    return parse_enum(LineKind, "kind", value)


@attrs.frozen
class StatementLine:
    """One line, in the statement's currency: ``source_id`` is the commission, cost or
    statement it comes from; ``original`` and ``rate`` show a conversion when there was one."""

    kind: LineKind = attrs.field(converter=_line_kind)
    source_id: str
    description: str
    amount: Money
    campaign_id: str | None = None
    on: _dt.date | None = None
    original: Money | None = None
    rate: RateUsed | None = None
    compliance: int | None = None  # a fee paid by the validated brief percentage


class StatementStatus(enum.StrEnum):
    """Issued (owed), then paid."""

    ISSUED = "issued"
    PAID = "paid"


class StatementAction(enum.StrEnum):
    """What can happen to an issued statement."""

    PAY = "pay"


STATEMENT_LIFECYCLE: Lifecycle[StatementStatus, StatementAction] = Lifecycle(
    "payout statement", {(StatementStatus.ISSUED, StatementAction.PAY): StatementStatus.PAID}
)
"""issued → paid; nothing else, and the lines never change."""


def _status(value: Any) -> StatementStatus:
    return parse_enum(StatementStatus, "status", value)


def _number(_instance: Any, _attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("number", value, "must be a whole number from 1")


@register
@attrs.frozen(kw_only=True)
class StatementIssued(DomainEvent):
    """A payout statement was issued to a creator."""

    statement_id: str
    number: int
    brand_id: str
    creator_id: str
    total: Money
    period_end: _dt.date


@register
@attrs.frozen(kw_only=True)
class StatementPaid(DomainEvent):
    """A statement was paid by the host (``reference``: its payment's id)."""

    statement_id: str
    number: int
    brand_id: str
    creator_id: str
    total: Money
    reference: str


@attrs.define
class PayoutStatement(Aggregate):
    """A numbered statement of what a brand pays one creator for a period. Aggregate.

    Its lines and total are fixed when it is issued: a refund that comes later is a clawback
    on the next statement. ``sequence`` is its rank among the creator's statements of the
    brand (a store-held unique key, like ``number``, so two issuers cannot both take one).
    """

    id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    creator_id: str = attrs.field(validator=valid_id)
    number: int = attrs.field(validator=_number)
    sequence: int = attrs.field(validator=_number)
    period_start: _dt.date
    period_end: _dt.date
    currency: str
    lines: tuple[StatementLine, ...]
    total: Money
    issued_at: pendulum.DateTime = attrs.field(converter=in_utc)
    status: StatementStatus = attrs.field(default=StatementStatus.ISSUED, converter=_status)
    paid_at: pendulum.DateTime | None = attrs.field(default=None, converter=in_utc)
    reference: str = ""
    version: int = 0

    def __attrs_post_init__(self) -> None:
        if self.period_end < self.period_start:
            raise ValidationError(
                "period_end", self.period_end.isoformat(), "must not be before period_start"
            )
        for line in self.lines:
            if line.amount.currency != self.currency:
                raise CurrencyMismatch("line.amount", self.currency, line.amount.currency)
        if Money.sum([line.amount for line in self.lines], self.currency) != self.total:
            raise ValidationError("total", str(self.total), "is not the sum of the lines")

    @property
    def number_text(self) -> str:
        """The statement's number as shown: ``PS-000042``."""
        return f"PS-{self.number:06d}"

    @property
    def carried_forward(self) -> Money:
        """What the creator still owes after this statement (deducted from the next)."""
        return Money.sum(
            [x.amount for x in self.lines if x.kind is LineKind.CARRIED_FORWARD], self.currency
        )

    @classmethod
    def issue(cls, now: pendulum.DateTime, **fields: Any) -> PayoutStatement:
        """A new statement, recording StatementIssued; its total is the sum of its lines."""
        lines = tuple(fields.pop("lines"))
        currency = fields["currency"]
        statement = cls(
            **fields,
            lines=lines,
            total=Money.sum([x.amount for x in lines], currency),
            issued_at=now,
        )
        statement.record(
            StatementIssued(
                occurred_at=now,
                statement_id=statement.id,
                number=statement.number,
                brand_id=statement.brand_id,
                creator_id=statement.creator_id,
                total=statement.total,
                period_end=statement.period_end,
            )
        )
        return statement

    def mark_paid(self, now: pendulum.DateTime, *, reference: str) -> None:
        """The host paid it: record the payment reference (only once)."""
        reference = check_text("reference", reference, max_length=255)
        self.status = STATEMENT_LIFECYCLE.next(self.id, self.status, StatementAction.PAY)
        self.paid_at = now
        self.reference = reference
        self.record(
            StatementPaid(
                occurred_at=now,
                statement_id=self.id,
                number=self.number,
                brand_id=self.brand_id,
                creator_id=self.creator_id,
                total=self.total,
                reference=reference,
            )
        )


CSV_COLUMNS = (
    "statement",
    "creator_id",
    "period_start",
    "period_end",
    "status",
    "reference",
    "kind",
    "source_id",
    "campaign_id",
    "on",
    "description",
    "amount",
    "currency",
    "original_amount",
    "original_currency",
    "rate",
)


def statements_csv(statements: Iterable[PayoutStatement]) -> str:
    """The statements as CSV, one row per line (amounts as exact decimal text)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in statements:
        for line in s.lines:
            writer.writerow(
                (
                    s.number_text,
                    s.creator_id,
                    s.period_start.isoformat(),
                    s.period_end.isoformat(),
                    s.status.value,
                    s.reference,
                    line.kind.value,
                    line.source_id,
                    line.campaign_id or "",
                    "" if line.on is None else line.on.isoformat(),
                    line.description,
                    str(line.amount.amount),
                    line.amount.currency,
                    "" if line.original is None else str(line.original.amount),
                    "" if line.original is None else line.original.currency,
                    "" if line.rate is None else str(line.rate.rate),
                )
            )
    return out.getvalue()
