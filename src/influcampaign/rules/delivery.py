"""Delivered vs expected: which submissions fulfil which planned deliverable, on time or
late in the campaign's time zone. Pure functions over domain objects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import attrs

from influcampaign.domain.content import Submission
from influcampaign.domain.deliverable import ContentFormat, Deliverable, DeliverableStatus

__all__ = [
    "DeliveryLine",
    "DeliveryProgress",
    "Fulfilment",
    "delivered_by_deliverable",
    "delivery_progress",
    "fulfilments",
]


@attrs.frozen
class DeliveryLine:
    """Expected vs delivered contents for one creator, one format, or the whole campaign.

    ``delivered`` counts submissions that fulfil a planned deliverable (at most its
    quantity); ``extra`` those beyond the plan; ``on_time`` / ``late`` split ``delivered``
    by the deliverable's due date in the campaign's time zone.
    """

    expected: int = 0
    delivered: int = 0
    on_time: int = 0
    late: int = 0
    extra: int = 0

    @property
    def outstanding(self) -> int:
        """Contents still owed."""
        return self.expected - self.delivered

    @property
    def on_time_rate(self) -> float | None:
        """Share of delivered contents published by their due date (None before any)."""
        return None if self.delivered == 0 else self.on_time / self.delivered

    def __add__(self, other: DeliveryLine) -> DeliveryLine:
        return DeliveryLine(
            *(a + b for a, b in zip(attrs.astuple(self), attrs.astuple(other), strict=True))
        )


@attrs.frozen
class DeliveryProgress:
    """Delivered vs expected per creator, per format and in total, for one campaign."""

    campaign_id: str
    per_creator: Mapping[str, DeliveryLine]
    per_format: Mapping[ContentFormat, DeliveryLine]
    total: DeliveryLine


def delivered_by_deliverable(
    deliverables: Iterable[Deliverable], submissions: Iterable[Submission]
) -> tuple[dict[str, list[Submission]], list[Submission]]:
    """Submissions grouped by the planned deliverable they fulfil (in publication order, at
    most its quantity each), and the rest (unplanned, or beyond the quantity)."""
    plan = {d.id: d for d in deliverables if d.status is DeliverableStatus.PLANNED}
    fulfilled: dict[str, list[Submission]] = {d: [] for d in plan}
    extra: list[Submission] = []
    for submission in sorted(submissions, key=lambda s: (s.published_at, s.id)):
        target = plan.get(submission.deliverable_id or "")
        if target is not None and len(fulfilled[target.id]) < target.quantity:
            fulfilled[target.id].append(submission)
        else:
            extra.append(submission)
    return fulfilled, extra


@attrs.frozen
class Fulfilment:
    """A submission that fulfils a planned deliverable, and whether it was published by
    the deliverable's due date (always, without a due date)."""

    submission: Submission
    on_time: bool


def fulfilments(
    deliverables: Iterable[Deliverable], submissions: Iterable[Submission], timezone: str
) -> tuple[list[tuple[Deliverable, list[Fulfilment]]], list[Submission]]:
    """Each planned deliverable with the submissions fulfilling it, on time or late in
    ``timezone``, and the submissions beyond the plan."""
    planned = [d for d in deliverables if d.status is DeliverableStatus.PLANNED]
    fulfilled, extra = delivered_by_deliverable(planned, submissions)
    plan = []
    for deliverable in planned:
        due = deliverable.due_at(timezone)
        plan.append(
            (
                deliverable,
                [
                    Fulfilment(s, due is None or s.published_at < due)
                    for s in fulfilled[deliverable.id]
                ],
            )
        )
    return plan, extra


def delivery_progress(
    campaign_id: str,
    deliverables: Iterable[Deliverable],
    submissions: Iterable[Submission],
    timezone: str,
) -> tuple[DeliveryProgress, dict[str, bool]]:
    """Delivered vs expected per creator and per format, and for each submission that
    fulfils a planned deliverable whether it was published by its due date (in
    ``timezone``)."""
    plan, extra = fulfilments(deliverables, submissions, timezone)
    per_creator: dict[str, DeliveryLine] = defaultdict(DeliveryLine)
    per_format: dict[ContentFormat, DeliveryLine] = defaultdict(DeliveryLine)
    on_time_by_submission: dict[str, bool] = {}
    for deliverable, done in plan:
        for item in done:
            on_time_by_submission[item.submission.id] = item.on_time
        on_time = sum(1 for item in done if item.on_time)
        line = DeliveryLine(
            expected=deliverable.quantity,
            delivered=len(done),
            on_time=on_time,
            late=len(done) - on_time,
        )
        per_creator[deliverable.creator_id] += line
        per_format[deliverable.format] += line
    for submission in extra:
        per_creator[submission.creator_id] += DeliveryLine(extra=1)
        per_format[submission.format] += DeliveryLine(extra=1)
    total = sum(per_creator.values(), DeliveryLine())
    progress = DeliveryProgress(
        campaign_id=campaign_id,
        per_creator=dict(sorted(per_creator.items())),
        per_format=dict(sorted(per_format.items())),
        total=total,
    )
    return progress, on_time_by_submission
