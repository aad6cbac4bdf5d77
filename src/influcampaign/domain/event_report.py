"""What a brand event came to: attendance and coverage, per guest (values)."""

from __future__ import annotations

import attrs

from influcampaign.domain.brand_event import BrandEvent, RsvpStatus

__all__ = ["Attendance", "CoverageLine"]


@attrs.frozen
class Attendance:
    """The guest list's figures: invited, answers, places, who came (with plus-ones)."""

    invited: int
    accepted: int
    waitlisted: int
    declined: int
    no_answer: int
    places_taken: int
    capacity: int
    checked_in: int
    plus_ones_present: int
    no_shows: tuple[str, ...]  # accepted guests (creator ids) who did not check in

    @property
    def people_present(self) -> int:
        """Guests who checked in and the plus-ones they came with."""
        return self.checked_in + self.plus_ones_present

    @classmethod
    def of(cls, event: BrandEvent) -> Attendance:
        """The attendance of ``event`` as it stands."""
        accepted = event.having(RsvpStatus.ACCEPTED)
        came = [g for g in accepted if g.checked_in_at is not None]
        return cls(
            invited=len(event.guests),
            accepted=len(accepted),
            waitlisted=len(event.waitlist),
            declined=len(event.having(RsvpStatus.DECLINED)),
            no_answer=len(event.having(RsvpStatus.INVITED)),
            places_taken=event.taken,
            capacity=event.capacity,
            checked_in=len(came),
            plus_ones_present=sum(g.plus_ones_present for g in came),
            no_shows=tuple(g.creator_id for g in accepted if g.checked_in_at is None),
        )


@attrs.frozen
class CoverageLine:
    """One guest's coverage of the event: contents expected (planned coverage deliverables)
    and delivered (submissions fulfilling them)."""

    creator_id: str
    creator_name: str
    expected: int
    delivered: int

    @property
    def complete(self) -> bool:
        """Whether every expected content was delivered."""
        return self.delivered >= self.expected
