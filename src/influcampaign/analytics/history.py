"""What a brand learned: a campaign's retrospective (what to adjust next time) and each
creator's relationship history across the brand's campaigns. Pure functions over loaded
objects; ``workspace.reviews`` and ``workspace.history`` load them.

Definitions, used the same way everywhere:

- a creator **joined** a campaign when its participation was confirmed at some point
  (confirmed, completed, or dropped after that);
- **on-time rate** = contents delivered by their due date / contents delivered, pooled over
  campaigns (not a mean of per-campaign rates), from ``rules.delivery``;
- **compliance** = the mean validated "% of brief respected" of the creator's contents,
  pooled over campaigns;
- **reminders**: the scheduler stops reminding a creator as soon as content arrives, so of
  the publication reminders sent to a creator, the last one is *answered* if content came
  afterwards, and every other one went *unanswered*.
"""

from __future__ import annotations

import enum
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs

from influcampaign.domain.application import Application, ApplicationStatus, RefusalReason
from influcampaign.domain.brief import BriefVerdict
from influcampaign.domain.campaign import Campaign
from influcampaign.domain.content import Submission
from influcampaign.domain.deliverable import ContentFormat, Deliverable
from influcampaign.domain.money import Money
from influcampaign.domain.participation import (
    JOINED,
    TAKING_PART,
    Participation,
    ParticipationStatus,
    Verdict,
)
from influcampaign.domain.review import RATING_CRITERIA, CreatorReview, ReactivationTag
from influcampaign.domain.scheduling import Job
from influcampaign.domain.targeting import Collaboration
from influcampaign.errors import ValidationError
from influcampaign.rules.delivery import fulfilments

__all__ = [
    "Adjustment",
    "AdjustmentTopic",
    "CampaignLine",
    "CampaignRecord",
    "CreatorHistory",
    "LateDelivery",
    "LowCompliance",
    "Retrospective",
    "RetrospectivePolicy",
    "collaboration_of",
    "creator_histories",
    "retrospective",
]

_RATE = Decimal("0.0001")
_CENT = Decimal("0.01")


def _share(part: int, whole: int) -> Decimal | None:
    return None if whole == 0 else (Decimal(part) / whole).quantize(_RATE, ROUND_HALF_EVEN)


def _mean(values: Sequence[int | Decimal]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(_CENT, ROUND_HALF_EVEN)


def collaboration_of(campaign: Campaign) -> Collaboration:
    """The collaboration a campaign offers: its targeting's, else paid when it pays a fee."""
    if campaign.targeting.collaboration is not None:
        return campaign.targeting.collaboration
    return Collaboration.PAID if campaign.compensation.is_paid else Collaboration.GIFTED


@attrs.frozen
class CampaignRecord:
    """What one campaign holds about its creators, as loaded by a service.

    ``reminders``: the publication-reminder jobs sent (done) for its participations;
    ``emv`` and ``sales``: per creator, in the campaign's report currency (missing: none).
    """

    campaign: Campaign
    participations: Sequence[Participation] = ()
    applications: Sequence[Application] = ()
    deliverables: Sequence[Deliverable] = ()
    submissions: Sequence[Submission] = ()
    reviews: Sequence[CreatorReview] = ()
    reminders: Sequence[Job] = ()
    emv: Mapping[str, Money | None] = attrs.Factory(dict)
    sales: Mapping[str, Money] = attrs.Factory(dict)


@attrs.frozen
class _Delivery:
    expected: int
    delivered: int
    on_time: int
    late: tuple[tuple[Submission, Deliverable], ...]


def _deliveries(record: CampaignRecord) -> dict[str, _Delivery]:
    """Per creator: contents expected, delivered, on time, and the late ones with their
    deliverable, by the campaign's time zone."""
    plan, _extra = fulfilments(
        record.deliverables, record.submissions, record.campaign.window.timezone
    )
    sums: dict[str, _Delivery] = {}
    for deliverable, done in plan:
        before = sums.get(deliverable.creator_id, _Delivery(0, 0, 0, ()))
        sums[deliverable.creator_id] = _Delivery(
            before.expected + deliverable.quantity,
            before.delivered + len(done),
            before.on_time + sum(1 for item in done if item.on_time),
            (*before.late, *((item.submission, deliverable) for item in done if not item.on_time)),
        )
    return sums


# -- retrospective -----------------------------------------------------------------------


def _threshold(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValidationError(attribute.name, value, "must be a fraction between 0 and 1")


def _percent(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValidationError(attribute.name, value, "must be a whole percentage 0-100")


@attrs.frozen
class RetrospectivePolicy:
    """When a retrospective suggests a change.

    A content is *low compliance* below ``low_compliance`` %. Deadlines are questioned
    when at least ``late_share`` of delivered contents were late, or contents are still
    owed; the brief when the mean compliance is below ``low_compliance`` or at least
    ``low_share`` of validated contents are low; the gift value (or fee) when at least
    ``unanswered_share`` of reminders went unanswered, or at least ``silent_share`` of
    creators published nothing, or a creator declined.
    """

    low_compliance: int = attrs.field(default=80, validator=_percent)
    late_share: float = attrs.field(default=0.2, validator=_threshold)
    low_share: float = attrs.field(default=0.25, validator=_threshold)
    unanswered_share: float = attrs.field(default=0.5, validator=_threshold)
    silent_share: float = attrs.field(default=0.2, validator=_threshold)


class AdjustmentTopic(enum.StrEnum):
    """What a retrospective suggests adjusting."""

    GIFT_VALUE = "gift_value"
    DEADLINES = "deadlines"
    BRIEF = "brief"


@attrs.frozen
class Adjustment:
    """One thing to change next time: the topic, what the data showed, and the suggestion."""

    topic: AdjustmentTopic
    finding: str
    suggestion: str


@attrs.frozen
class LateDelivery:
    """A content published after its deliverable's due date."""

    creator_id: str
    submission_id: str
    deliverable_id: str
    format: ContentFormat
    days_late: int  # whole calendar days after the due date, in the campaign's time zone


@attrs.frozen
class LowCompliance:
    """A validated content below the compliance threshold, with what its brief check missed."""

    creator_id: str
    submission_id: str
    compliance: int
    feedback: str
    missed: tuple[str, ...]


@attrs.frozen
class Retrospective:
    """What a campaign teaches: delivery, compliance, reminders, and what to adjust."""

    campaign_id: str
    creators: int  # taking part at the end
    expected: int
    delivered: int
    on_time: int
    late: tuple[LateDelivery, ...]
    outstanding: int
    low_compliance: tuple[LowCompliance, ...]
    mean_compliance: Decimal | None
    most_missed: tuple[tuple[str, int], ...]  # brief requirements missing most often
    reminders_sent: int
    unanswered_reminders: int
    silent_creators: tuple[str, ...]  # taking part, no content at all
    declined: tuple[str, ...]  # declined the campaign themselves, or dropped
    adjustments: tuple[Adjustment, ...]

    @property
    def on_time_rate(self) -> Decimal | None:
        """Contents delivered on time / delivered."""
        return _share(self.on_time, self.delivered)

    def lines(self) -> list[str]:
        """The retrospective as short sentences, for a report."""
        rate = self.on_time_rate
        out = [
            f"{self.delivered} of {self.expected} contents delivered"
            + (f", {rate:.0%} on time" if rate is not None else ""),
            f"mean compliance {self.mean_compliance}%"
            if self.mean_compliance is not None
            else "no content validated",
            f"{self.unanswered_reminders} of {self.reminders_sent} reminders unanswered",
        ]
        if not self.adjustments:
            return [*out, "nothing to adjust"]
        return [*out, *(f"adjust {a.topic.value}: {a.suggestion}" for a in self.adjustments)]


def _said_no(participation: Participation) -> bool:
    """Dropped, or declined by the creator (not rejected by the list's reviewers)."""
    if participation.status is ParticipationStatus.DROPPED:
        return True
    return participation.status is ParticipationStatus.DECLINED and not any(
        r.verdict is Verdict.REJECT for r in participation.reviews
    )


def _reminders(record: CampaignRecord) -> tuple[int, int]:
    """Reminders sent, and how many went unanswered (see the module docstring)."""
    sent: Counter[str] = Counter(job.subject_id for job in record.reminders)
    answered = sum(
        1 for p in record.participations if sent[p.id] and p.first_content_at is not None
    )
    total = sum(sent.values())
    return total, total - answered


def retrospective(
    record: CampaignRecord, policy: RetrospectivePolicy | None = None
) -> Retrospective:
    """The retrospective of one campaign from its data."""
    policy = policy or RetrospectivePolicy()
    campaign = record.campaign
    timezone = campaign.window.timezone
    taking_part = [p for p in record.participations if p.status in TAKING_PART]
    inside = {p.creator_id for p in record.participations if p.status in JOINED}
    submissions = [s for s in record.submissions if s.creator_id in inside]
    deliveries = _deliveries(attrs.evolve(record, submissions=submissions))
    late: list[LateDelivery] = []
    for creator_id, d in sorted(deliveries.items()):
        for s, deliverable in d.late:
            due = deliverable.due_at(timezone)
            assert due is not None  # late implies a due date
            days = (s.published_at.in_timezone(timezone).date() - due.date()).days + 1
            late.append(
                LateDelivery(creator_id, s.id, deliverable.id, deliverable.format, max(days, 1))
            )
    expected = sum(d.expected for d in deliveries.values())
    delivered = sum(d.delivered for d in deliveries.values())
    on_time = sum(d.on_time for d in deliveries.values())
    validated = [s for s in submissions if s.validation is not None]
    low: list[LowCompliance] = []
    missed: Counter[str] = Counter()
    for s in sorted(validated, key=lambda s: (s.published_at, s.id)):
        labels = (
            ()
            if s.brief_check is None
            else tuple(r.label for r in s.brief_check.having(BriefVerdict.MISSING))
        )
        missed.update(labels)
        validation = s.validation
        assert validation is not None
        if validation.compliance < policy.low_compliance:
            low.append(
                LowCompliance(
                    s.creator_id, s.id, validation.compliance, validation.feedback, labels
                )
            )
    mean = _mean([s.validation.compliance for s in validated if s.validation is not None])
    sent, unanswered = _reminders(record)
    silent = tuple(sorted(p.creator_id for p in taking_part if p.first_content_at is None))
    declined = tuple(sorted(p.creator_id for p in record.participations if _said_no(p)))
    most_missed = tuple(sorted(missed.items(), key=lambda kv: (-kv[1], kv[0]))[:5])
    adjustments: list[Adjustment] = []
    outstanding = expected - delivered
    if (delivered and len(late) / delivered >= policy.late_share) or outstanding:
        delays = [item.days_late for item in late]
        extra = math.ceil(statistics.median(delays)) if delays else 0
        finding = f"{len(late)} of {delivered} contents late" + (
            f", {outstanding} never delivered" if outstanding else ""
        )
        suggestion = (
            f"allow {extra} more day{'s' if extra != 1 else ''} (the median delay) "
            "or set due dates from the delivery of the product"
            if extra
            else "check due dates with the creators before they accept"
        )
        adjustments.append(Adjustment(AdjustmentTopic.DEADLINES, finding, suggestion))
    low_share = len(low) / len(validated) if validated else 0.0
    if mean is not None and (mean < policy.low_compliance or low_share >= policy.low_share):
        finding = f"mean compliance {mean}%, {len(low)} of {len(validated)} contents below " + (
            f"{policy.low_compliance}%"
        )
        focus = ", ".join(label for label, _ in most_missed[:3])
        suggestion = (
            f"make the brief explicit about {focus}" if focus else "make the brief shorter"
        ) + ", and show an example of a compliant content"
        adjustments.append(Adjustment(AdjustmentTopic.BRIEF, finding, suggestion))
    silent_share = len(silent) / len(taking_part) if taking_part else 0.0
    unanswered_share = unanswered / sent if sent else 0.0
    if (
        (sent and unanswered_share >= policy.unanswered_share)
        or (taking_part and silent_share >= policy.silent_share)
        or declined
    ):
        paid = collaboration_of(campaign) is Collaboration.PAID
        finding = (
            f"{unanswered} of {sent} reminders unanswered, {len(silent)} of "
            f"{len(taking_part)} creators published nothing, {len(declined)} declined"
        )
        what = "the fee" if paid else "the gift value"
        suggestion = f"raise {what} or ask for less content for the same compensation"
        adjustments.append(Adjustment(AdjustmentTopic.GIFT_VALUE, finding, suggestion))
    return Retrospective(
        campaign.id,
        len(taking_part),
        expected,
        delivered,
        on_time,
        tuple(late),
        outstanding,
        tuple(low),
        mean,
        most_missed,
        sent,
        unanswered,
        silent,
        declined,
        tuple(adjustments),
    )


# -- relationship history ----------------------------------------------------------------


@attrs.frozen
class CampaignLine:
    """One creator in one campaign of the brand."""

    campaign_id: str
    campaign_name: str
    collaboration: Collaboration
    application: ApplicationStatus | None
    refusal_reason: RefusalReason | None
    participation: ParticipationStatus | None
    expected: int
    delivered: int
    on_time: int
    compliance: Decimal | None
    emv: Money | None
    sales: Money | None
    review: CreatorReview | None

    @property
    def joined(self) -> bool:
        """Whether the creator was in the campaign."""
        return self.participation in JOINED


@attrs.frozen
class CreatorHistory:
    """A creator's relationship with one brand across its campaigns (oldest first).

    Money stays per currency: ``emv`` (valued in each campaign's rate card currency) and
    ``sales`` (in each campaign's sales currency) map a currency to the sum of the
    campaigns in it.
    """

    creator_id: str
    brand_id: str
    campaigns: tuple[CampaignLine, ...]
    applications: Mapping[str, int]  # applied, and each outcome: accepted, refused ...
    refusal_reasons: Mapping[str, int]
    joined: int
    completed: int
    delivered: int
    on_time: int
    on_time_rate: Decimal | None
    compliance: Decimal | None
    emv: Mapping[str, Money]
    sales: Mapping[str, Money]
    ratings: Mapping[str, Decimal]  # mean per criterion rated at least once
    rating: Decimal | None  # mean of the reviews' overall ratings
    reviews: int
    work_again: bool | None  # from the latest review
    tags: frozenset[ReactivationTag]  # from the latest review
    collaborations: frozenset[Collaboration]  # kinds of campaigns joined

    def record(self) -> dict[str, Any]:
        """Plain values, for a table."""
        return {
            "creator_id": self.creator_id,
            "campaigns": len(self.campaigns),
            "joined": self.joined,
            "completed": self.completed,
            "applied": self.applications.get("applied", 0),
            "accepted": self.applications.get("accepted", 0),
            "refused": self.applications.get("refused", 0),
            "delivered": self.delivered,
            "on_time_rate": self.on_time_rate,
            "compliance": self.compliance,
            **{f"emv_{c}": m.amount for c, m in self.emv.items()},
            **{f"sales_{c}": m.amount for c, m in self.sales.items()},
            "rating": self.rating,
            "reviews": self.reviews,
            "work_again": self.work_again,
            "tags": ",".join(sorted(t.value for t in self.tags)),
        }


def _totals(values: Iterable[Money | None]) -> dict[str, Money]:
    sums: dict[str, Money] = {}
    for money in values:
        if money is not None:
            sums[money.currency] = sums.get(money.currency, Money.zero(money.currency)) + money
    return dict(sorted(sums.items()))


def creator_histories(
    brand_id: str, records: Sequence[CampaignRecord], creator_ids: Iterable[str] | None = None
) -> dict[str, CreatorHistory]:
    """Each creator's history with the brand over ``records`` (its campaigns), for the
    creators who applied to or took part in any of them (or only ``creator_ids``)."""
    wanted = None if creator_ids is None else set(creator_ids)
    lines: dict[str, list[tuple[Any, CampaignLine]]] = defaultdict(list)
    contents: dict[str, list[int]] = defaultdict(list)
    ordered = sorted(records, key=lambda r: (r.campaign.window.start, r.campaign.id))
    for record in ordered:
        campaign = record.campaign
        collaboration = collaboration_of(campaign)
        applications = {a.creator_id: a for a in record.applications}
        participations = {p.creator_id: p for p in record.participations}
        reviews = {r.creator_id: r for r in record.reviews}
        deliveries = _deliveries(record)
        by_creator: dict[str, list[Submission]] = defaultdict(list)
        for s in record.submissions:
            by_creator[s.creator_id].append(s)
        for creator_id in sorted(set(applications) | set(participations)):
            if wanted is not None and creator_id not in wanted:
                continue
            application = applications.get(creator_id)
            participation = participations.get(creator_id)
            in_it = participation is not None and participation.status in JOINED
            delivery = deliveries.get(creator_id, _Delivery(0, 0, 0, ()))
            validated = [
                v.compliance for s in by_creator[creator_id] if (v := s.validation) is not None
            ]
            if in_it:
                contents[creator_id].extend(validated)
            lines[creator_id].append(
                (
                    (campaign.window.start, campaign.id),
                    CampaignLine(
                        campaign.id,
                        campaign.name,
                        collaboration,
                        None if application is None else application.status,
                        None if application is None else application.refusal_reason,
                        None if participation is None else participation.status,
                        delivery.expected if in_it else 0,
                        delivery.delivered if in_it else 0,
                        delivery.on_time if in_it else 0,
                        _mean(validated) if in_it else None,
                        record.emv.get(creator_id) if in_it else None,
                        record.sales.get(creator_id) if in_it else None,
                        reviews.get(creator_id),
                    ),
                )
            )
    result: dict[str, CreatorHistory] = {}
    for creator_id, items in sorted(lines.items()):
        campaign_lines = tuple(line for _, line in items)
        applied = [line for line in campaign_lines if line.application is not None]
        outcomes = Counter(line.application.value for line in applied if line.application)
        reasons = Counter(
            line.refusal_reason.value for line in applied if line.refusal_reason is not None
        )
        reviewed = [line.review for line in campaign_lines if line.review is not None]
        per_criterion: dict[str, list[int]] = defaultdict(list)
        for review in reviewed:
            for name, value in review.ratings.given().items():
                per_criterion[name].append(value)
        delivered = sum(line.delivered for line in campaign_lines)
        on_time = sum(line.on_time for line in campaign_lines)
        latest = reviewed[-1] if reviewed else None
        result[creator_id] = CreatorHistory(
            creator_id=creator_id,
            brand_id=brand_id,
            campaigns=campaign_lines,
            applications={"applied": len(applied), **dict(sorted(outcomes.items()))},
            refusal_reasons=dict(sorted(reasons.items())),
            joined=sum(1 for line in campaign_lines if line.joined),
            completed=sum(
                1 for line in campaign_lines if line.participation is ParticipationStatus.COMPLETED
            ),
            delivered=delivered,
            on_time=on_time,
            on_time_rate=_share(on_time, delivered),
            compliance=_mean(contents[creator_id]),
            emv=_totals(line.emv for line in campaign_lines),
            sales=_totals(line.sales for line in campaign_lines),
            ratings={
                name: m for name in RATING_CRITERIA if (m := _mean(per_criterion[name])) is not None
            },
            rating=_mean([r.ratings.overall for r in reviewed]),
            reviews=len(reviewed),
            work_again=None if latest is None else latest.work_again,
            tags=frozenset() if latest is None else latest.tags,
            collaborations=frozenset(line.collaboration for line in campaign_lines if line.joined),
        )
    return result
