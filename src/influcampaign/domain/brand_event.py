"""Brand events: a date in the event's time zone, a venue (or online), a capacity, and the
guest list — invitations, RSVPs with a waitlist promoted automatically, plus-ones, check-in.

The guest list lives inside the :class:`BrandEvent` aggregate, saved with its version, so
the capacity holds whatever the number of host processes answering RSVPs at once: two
acceptances of the last place are two writes of one version, and the second is refused
(a ConcurrencyConflict that a retry decides again, against the new list).

The waitlist is first come, first served: a place that frees goes to the first waitlisted
guest whose party fits, and nobody is accepted past a waitlisted guest.
"""

from __future__ import annotations

import datetime as _dt
import enum
from typing import Any

import attrs
import pendulum

from influcampaign.domain._urls import check_http_url
from influcampaign.domain._validate import (
    check_count,
    check_datetime,
    check_text,
    check_timezone,
    in_utc,
    optional_instant,
    parse_enum,
    valid_id,
)
from influcampaign.domain.aggregate import Aggregate
from influcampaign.domain.campaign import Campaign, CampaignKind
from influcampaign.domain.event import DomainEvent, register
from influcampaign.domain.participation import Participation, ParticipationStatus
from influcampaign.errors import InvalidTransition, LimitReached, NotFound, ValidationError

__all__ = [
    "BrandEvent",
    "EventScheduled",
    "Guest",
    "GuestCheckedIn",
    "GuestInvited",
    "GuestPromoted",
    "RsvpReceived",
    "RsvpStatus",
    "Venue",
    "brand_event_id",
]

_INVITABLE = frozenset(
    {ParticipationStatus.PROPOSED, ParticipationStatus.APPROVED, ParticipationStatus.CONFIRMED}
)
"""A creator who declined, was dropped or completed the campaign is not invited again."""

CHECK_IN_OPENS_HOURS = 3
"""Check-in opens this many hours before the event starts (and closes when it ends)."""


def brand_event_id(campaign_id: str) -> str:
    """The id of a campaign's brand event (one per event campaign)."""
    return f"evt_{campaign_id}"


class RsvpStatus(enum.StrEnum):
    """Where a guest stands."""

    INVITED = "invited"
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"


def _venue_name(value: Any) -> str:
    return check_text("venue.name", value, max_length=200, allow_empty=True)


def _address(value: Any) -> str:
    return check_text("venue.address", value, max_length=500, allow_empty=True)


def _online(value: Any) -> str | None:
    return None if value is None else check_http_url("venue.online_url", value)


@attrs.frozen
class Venue:
    """Where the event happens: a place (name, address), or online (a link), or both."""

    name: str = attrs.field(default="", converter=_venue_name)
    address: str = attrs.field(default="", converter=_address)
    online_url: str | None = attrs.field(default=None, converter=_online)

    def __attrs_post_init__(self) -> None:
        if not self.name and not self.address and self.online_url is None:
            raise ValidationError("venue", self, "give a name, an address or an online link")

    @property
    def online(self) -> bool:
        """Whether guests join online (only)."""
        return self.online_url is not None and not self.name and not self.address

    @property
    def location(self) -> str:
        """``'Atelier Verte, 12 rue X, Paris'`` or the online link."""
        place = ", ".join(p for p in (self.name, self.address) if p)
        return place or str(self.online_url)


def _rsvp(value: Any) -> RsvpStatus:
    return parse_enum(RsvpStatus, "status", value)


@attrs.frozen
class Guest:
    """One invited creator: RSVP, plus-ones, place in the waitlist, check-in."""

    creator_id: str
    participation_id: str
    invited_at: pendulum.DateTime = attrs.field(converter=in_utc)
    status: RsvpStatus = attrs.field(default=RsvpStatus.INVITED, converter=_rsvp)
    plus_ones: int = 0
    responded_at: pendulum.DateTime | None = attrs.field(default=None, converter=in_utc)
    waitlist_rank: int | None = None  # order of arrival on the waitlist (lower first)
    checked_in_at: pendulum.DateTime | None = attrs.field(default=None, converter=in_utc)
    plus_ones_present: int = 0

    @property
    def seats(self) -> int:
        """Places the guest's party takes: the guest and their plus-ones."""
        return 1 + self.plus_ones


# -- what happens to an event (recorded by BrandEvent, written to the outbox) -------------


@register
@attrs.frozen(kw_only=True)
class EventScheduled(DomainEvent):
    """A brand event got its date, venue and capacity."""

    event_id: str
    campaign_id: str
    starts_at: pendulum.DateTime
    ends_at: pendulum.DateTime
    timezone: str
    location: str
    capacity: int


@register
@attrs.frozen(kw_only=True)
class GuestInvited(DomainEvent):
    """A creator was invited to a brand event."""

    event_id: str
    campaign_id: str
    creator_id: str
    participation_id: str


@register
@attrs.frozen(kw_only=True)
class RsvpReceived(DomainEvent):
    """A guest answered: ``status`` is accepted, waitlisted (no place left) or declined."""

    event_id: str
    campaign_id: str
    creator_id: str
    participation_id: str
    status: str
    plus_ones: int


@register
@attrs.frozen(kw_only=True)
class GuestPromoted(DomainEvent):
    """A place freed: the first waitlisted guest whose party fits is accepted."""

    event_id: str
    campaign_id: str
    creator_id: str
    participation_id: str
    plus_ones: int


@register
@attrs.frozen(kw_only=True)
class GuestCheckedIn(DomainEvent):
    """A guest arrived at the event (with how many plus-ones)."""

    event_id: str
    campaign_id: str
    creator_id: str
    participation_id: str
    plus_ones_present: int


def _starts(value: Any) -> pendulum.DateTime:
    return check_datetime("starts_at", value)


def _ends(value: Any) -> pendulum.DateTime:
    return check_datetime("ends_at", value)


def _timezone(_instance: Any, _attribute: Any, value: Any) -> None:
    check_timezone("timezone", value)


def _capacity(_instance: Any, _attribute: Any, value: Any) -> None:
    if check_count("capacity", value) < 1:
        raise ValidationError("capacity", value, "must be at least 1")


def _max_plus_ones(_instance: Any, _attribute: Any, value: Any) -> None:
    check_count("max_plus_ones", value)


def _name(value: Any) -> str:
    return check_text("name", value, max_length=200)


@attrs.define
class BrandEvent(Aggregate):
    """The brand event of one event campaign, with its guest list. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    name: str = attrs.field(converter=_name)
    starts_at: pendulum.DateTime = attrs.field(converter=_starts)
    ends_at: pendulum.DateTime = attrs.field(converter=_ends)
    timezone: str = attrs.field(validator=_timezone)
    venue: Venue = attrs.field(validator=attrs.validators.instance_of(Venue))
    capacity: int = attrs.field(validator=_capacity)
    max_plus_ones: int = attrs.field(default=1, validator=_max_plus_ones)
    guests: tuple[Guest, ...] = ()
    next_rank: int = 1
    created_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=in_utc, validator=optional_instant
    )
    version: int = 0

    def __attrs_post_init__(self) -> None:
        if self.ends_at <= self.starts_at:
            raise ValidationError("ends_at", self.ends_at.isoformat(), "must be after starts_at")

    # -- reading -----------------------------------------------------------------------

    @property
    def local_start(self) -> pendulum.DateTime:
        """The start in the event's time zone."""
        return self.starts_at.in_timezone(self.timezone)

    @property
    def local_day(self) -> _dt.date:
        """The event's local day."""
        return self.local_start.date()

    @property
    def taken(self) -> int:
        """Places taken by accepted guests and their plus-ones."""
        return sum(g.seats for g in self.guests if g.status is RsvpStatus.ACCEPTED)

    @property
    def free(self) -> int:
        """Places left."""
        return max(self.capacity - self.taken, 0)

    @property
    def waitlist(self) -> tuple[Guest, ...]:
        """Waitlisted guests, first come first."""
        waiting = [g for g in self.guests if g.status is RsvpStatus.WAITLISTED]
        return tuple(sorted(waiting, key=lambda g: (g.waitlist_rank or 0, g.creator_id)))

    def having(self, status: RsvpStatus) -> tuple[Guest, ...]:
        """The guests with ``status``, in invitation order."""
        return tuple(g for g in self.guests if g.status is status)

    def guest(self, creator_id: str) -> Guest:
        """The guest ``creator_id``, or NotFound."""
        for g in self.guests:
            if g.creator_id == creator_id:
                return g
        raise NotFound("guest", f"{creator_id} at {self.id}")

    # -- changing ------------------------------------------------------------------------

    @classmethod
    def schedule(cls, now: pendulum.DateTime, campaign: Campaign, **fields: Any) -> BrandEvent:
        """The brand event of an event campaign, recording EventScheduled."""
        if campaign.kind is not CampaignKind.EVENT:
            raise ValidationError("campaign.kind", campaign.kind.value, "must be an event")
        event = cls(
            id=brand_event_id(campaign.id),
            campaign_id=campaign.id,
            brand_id=campaign.brand_id,
            created_at=now,
            **fields,
        )
        event.record(
            EventScheduled(
                occurred_at=now,
                event_id=event.id,
                campaign_id=event.campaign_id,
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                timezone=event.timezone,
                location=event.venue.location,
                capacity=event.capacity,
            )
        )
        return event

    def invite(self, now: pendulum.DateTime, participation: Participation) -> bool:
        """Invite the creator of ``participation`` (of this campaign, still in or on the
        list); returns False when already invited. Records GuestInvited."""
        if participation.campaign_id != self.campaign_id:
            raise ValidationError("participation_id", participation.id, "is of another campaign")
        if any(g.creator_id == participation.creator_id for g in self.guests):
            return False
        if participation.status not in _INVITABLE:
            raise InvalidTransition(
                "participation", participation.id, participation.status.value, "be invited"
            )
        self._before_end(now, "invite")
        self.guests = (
            *self.guests,
            Guest(participation.creator_id, participation.id, invited_at=now),
        )
        self.record(
            GuestInvited(
                occurred_at=now,
                event_id=self.id,
                campaign_id=self.campaign_id,
                creator_id=participation.creator_id,
                participation_id=participation.id,
            )
        )
        return True

    def respond(
        self, now: pendulum.DateTime, creator_id: str, *, accept: bool, plus_ones: int = 0
    ) -> tuple[Guest, tuple[Guest, ...]]:
        """A guest's answer. Accepting takes a place for the guest and ``plus_ones`` when the
        party fits and nobody waits, else puts the guest on the waitlist; declining frees
        the guest's places, which go to the waitlist, and is final. Returns the guest as it
        now stands and the guests promoted. Records RsvpReceived (and GuestPromoted)."""
        self._before_end(now, "answer")
        guest = self.guest(creator_id)
        if guest.checked_in_at is not None:
            raise InvalidTransition("guest", creator_id, "checked in", "answer")
        if guest.status is RsvpStatus.DECLINED:  # final, as the participation's decline is
            raise InvalidTransition("guest", creator_id, "declined", "answer")
        plus = check_count("plus_ones", plus_ones) if accept else 0
        if plus > self.max_plus_ones:
            raise ValidationError("plus_ones", plus_ones, f"at most {self.max_plus_ones}")
        others = self.taken - (guest.seats if guest.status is RsvpStatus.ACCEPTED else 0)
        if not accept:
            answered = attrs.evolve(
                guest, status=RsvpStatus.DECLINED, plus_ones=0, waitlist_rank=None
            )
        elif guest.status is RsvpStatus.ACCEPTED:
            if others + 1 + plus > self.capacity:  # an accepted guest changes their party
                raise LimitReached(
                    "event", self.id, f"{self.capacity} places, {others} taken by others"
                )
            answered = attrs.evolve(guest, plus_ones=plus)
        elif others + 1 + plus <= self.capacity and not self._waiting_before(guest):
            answered = attrs.evolve(
                guest, status=RsvpStatus.ACCEPTED, plus_ones=plus, waitlist_rank=None
            )
        elif guest.status is RsvpStatus.WAITLISTED:
            answered = attrs.evolve(guest, plus_ones=plus)  # keeps its rank
        else:
            answered = attrs.evolve(
                guest, status=RsvpStatus.WAITLISTED, plus_ones=plus, waitlist_rank=self.next_rank
            )
            self.next_rank += 1
        answered = attrs.evolve(answered, responded_at=now)
        self._replace(answered)
        self.record(
            RsvpReceived(
                occurred_at=now,
                event_id=self.id,
                campaign_id=self.campaign_id,
                creator_id=creator_id,
                participation_id=guest.participation_id,
                status=answered.status.value,
                plus_ones=answered.plus_ones,
            )
        )
        return answered, self._promote(now)

    def resize(self, now: pendulum.DateTime, capacity: int) -> tuple[Guest, ...]:
        """Change the capacity (never below the places taken); more places promote the
        waitlist. Returns the guests promoted."""
        _capacity(None, None, capacity)
        if capacity < self.taken:
            raise ValidationError("capacity", capacity, f"{self.taken} places are taken")
        self.capacity = capacity
        return self._promote(now)

    def check_in(
        self, now: pendulum.DateTime, creator_id: str, *, plus_ones_present: int = 0
    ) -> Guest:
        """An accepted guest arrived (from a few hours before the start to the end), with up
        to their plus-ones; records GuestCheckedIn."""
        guest = self.guest(creator_id)
        if guest.status is not RsvpStatus.ACCEPTED:
            raise InvalidTransition("guest", creator_id, guest.status.value, "check in")
        if guest.checked_in_at is not None:
            raise InvalidTransition("guest", creator_id, "checked in", "check in")
        if not self.starts_at.subtract(hours=CHECK_IN_OPENS_HOURS) <= now < self.ends_at:
            raise ValidationError("now", now.isoformat(), "check-in is open during the event")
        if not 0 <= check_count("plus_ones_present", plus_ones_present) <= guest.plus_ones:
            raise ValidationError(
                "plus_ones_present", plus_ones_present, f"at most {guest.plus_ones}"
            )
        arrived = attrs.evolve(guest, checked_in_at=now, plus_ones_present=plus_ones_present)
        self._replace(arrived)
        self.record(
            GuestCheckedIn(
                occurred_at=now,
                event_id=self.id,
                campaign_id=self.campaign_id,
                creator_id=creator_id,
                participation_id=guest.participation_id,
                plus_ones_present=plus_ones_present,
            )
        )
        return arrived

    def _before_end(self, now: pendulum.DateTime, action: str) -> None:
        if now >= self.ends_at:
            raise InvalidTransition("event", self.id, "over", action)

    def _waiting_before(self, guest: Guest) -> bool:
        """Whether someone waits before ``guest`` (nobody goes past the waitlist)."""
        rank = guest.waitlist_rank if guest.status is RsvpStatus.WAITLISTED else None
        return any(
            g.creator_id != guest.creator_id and (rank is None or (g.waitlist_rank or 0) < rank)
            for g in self.waitlist
        )

    def _replace(self, guest: Guest) -> None:
        self.guests = tuple(guest if g.creator_id == guest.creator_id else g for g in self.guests)

    def _promote(self, now: pendulum.DateTime) -> tuple[Guest, ...]:
        """Accept waitlisted guests in order while the first one's party fits."""
        promoted: list[Guest] = []
        for waiting in self.waitlist:
            if waiting.seats > self.free:
                break
            accepted = attrs.evolve(waiting, status=RsvpStatus.ACCEPTED, waitlist_rank=None)
            self._replace(accepted)
            promoted.append(accepted)
            self.record(
                GuestPromoted(
                    occurred_at=now,
                    event_id=self.id,
                    campaign_id=self.campaign_id,
                    creator_id=accepted.creator_id,
                    participation_id=accepted.participation_id,
                    plus_ones=accepted.plus_ones,
                )
            )
        return tuple(promoted)
