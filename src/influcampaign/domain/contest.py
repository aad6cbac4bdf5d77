"""Contests (giveaways run through creators): rules, entry window, eligibility, and an
auditable draw from a seed committed before the window closes and revealed after it.

The draw itself is a pure function of the revealed seed and the list of eligible entries
(:mod:`influcampaign.domain.contest_draw`).
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Collection, Sequence
from typing import Any

import attrs
import pendulum

from influcampaign.domain._urls import check_http_url
from influcampaign.domain._validate import (
    check_count,
    check_datetime,
    check_text,
    in_utc,
    optional_instant,
    parse_enum,
    valid_id,
)
from influcampaign.domain.aggregate import Aggregate
from influcampaign.domain.brief import Jurisdiction
from influcampaign.domain.campaign import Campaign, CampaignKind, DateWindow
from influcampaign.domain.contest_draw import (
    ContestDraw,
    draw_winners,
    entry_list_digest,
    seed_commitment,
)
from influcampaign.domain.creator import Platform, parse_platform
from influcampaign.domain.event import DomainEvent, register
from influcampaign.errors import InvalidTransition, ValidationError

__all__ = [
    "Contest",
    "ContestCreated",
    "ContestDrawn",
    "ContestEntry",
    "ContestEntryReceived",
    "ContestEntryRecord",
    "ContestSeedCommitted",
    "ContestWinnerNotified",
    "EligibilityPolicy",
    "EntryStatus",
    "RejectionReason",
    "RulesDocument",
    "contest_id",
]


def contest_id(campaign_id: str) -> str:
    """The id of a campaign's contest (one per contest campaign)."""
    return f"cst_{campaign_id}"


class EntryStatus(enum.StrEnum):
    """An entry counts in the draw (eligible) or not (rejected, with its reason)."""

    ELIGIBLE = "eligible"
    REJECTED = "rejected"


class RejectionReason(enum.StrEnum):
    """Why an entry does not count."""

    OUTSIDE_WINDOW = "outside_window"
    DUPLICATE = "duplicate"  # the person already entered
    STAFF = "staff"  # the brand's staff
    CREATOR = "creator"  # a creator of the campaign itself
    COUNTRY = "country"
    AGE = "age"


def _url(value: Any) -> str:
    return check_http_url("rules.url", value)


def _version(value: Any) -> str:
    return check_text("rules.version", value, max_length=50)


@attrs.frozen
class RulesDocument:
    """The contest's rules («règlement», official rules, T&Cs): where they are and which
    version applies."""

    url: str = attrs.field(converter=_url)
    version: str = attrs.field(converter=_version)


def _countries(values: Any) -> tuple[str, ...]:
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise ValidationError("eligibility.countries", values, "must be a list of country codes")
    codes = []
    for value in values:
        if not isinstance(value, str) or len(value) != 2 or not value.isalpha():
            raise ValidationError("eligibility.countries", value, "is not a 2-letter country code")
        codes.append(value.upper())
    return tuple(dict.fromkeys(codes))


def normalise_handle(field: str, value: Any) -> str:
    """``'@Ana.B'`` → ``'ana.b'``: how entrants are compared (one person per handle)."""
    text = value.strip().removeprefix("@") if isinstance(value, str) else value
    if not isinstance(text, str) or not text or len(text) > 100 or any(c.isspace() for c in text):
        raise ValidationError(field, value, "is not a handle")
    return text.casefold()


def _handles(values: Any) -> tuple[str, ...]:
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise ValidationError("eligibility.excluded_handles", values, "must be a list of handles")
    return tuple(dict.fromkeys(normalise_handle("eligibility.excluded_handles", v) for v in values))


def _minimum_age(_instance: Any, _attribute: Any, value: Any) -> None:
    if value is not None and not 0 < check_count("eligibility.minimum_age", value) <= 120:
        raise ValidationError("eligibility.minimum_age", value, "must be an age from 1 to 120")


@attrs.frozen
class EligibilityPolicy:
    """Who may enter: within the window, ``one_entry_per_person`` (per handle and platform),
    from ``countries`` (empty: anywhere; an entrant must declare one otherwise), aged at
    least ``minimum_age`` as declared (None: no minimum), never the brand's staff
    (``excluded_handles``) nor, with ``exclude_creators``, the campaign's own creators."""

    one_entry_per_person: bool = True
    countries: tuple[str, ...] = attrs.field(default=(), converter=_countries)
    minimum_age: int | None = attrs.field(default=18, validator=_minimum_age)
    excluded_handles: tuple[str, ...] = attrs.field(default=(), converter=_handles)
    exclude_creators: bool = True


def _entered_at(value: Any) -> pendulum.DateTime:
    return check_datetime("entered_at", value)


def _record_handle(value: Any) -> str:
    return normalise_handle("handle", value)


def _record_platform(value: Any) -> Platform:
    return parse_platform(value, "platform")


def _post_url(value: Any) -> str | None:
    return None if value is None else check_http_url("post_url", value)


def _country(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 2 or not value.isalpha():
        raise ValidationError("country", value, "is not a 2-letter country code")
    return value.upper()


def _age(_instance: Any, _attribute: Any, value: Any) -> None:
    if value is not None and not 0 < check_count("age", value) <= 130:
        raise ValidationError("age", value, "must be an age from 1 to 130")


@attrs.frozen
class ContestEntryRecord:
    """One entry as a source gives it (a comments or likes export, or the host): who, on
    which platform, through which post (and so which creator), when, and what the entrant
    declared (country, age)."""

    handle: str = attrs.field(converter=_record_handle)
    platform: Platform = attrs.field(converter=_record_platform)
    entered_at: pendulum.DateTime = attrs.field(converter=_entered_at)
    post_url: str | None = attrs.field(default=None, converter=_post_url)
    country: str | None = attrs.field(default=None, converter=_country)
    age: int | None = attrs.field(default=None, validator=_age)
    creator_id: str | None = None  # the creator whose post it came through, if known

    @property
    def person(self) -> str:
        """``'instagram:ana.b'``: one person, as far as a contest can tell."""
        return f"{self.platform.value}:{self.handle}"

    @property
    def key(self) -> str:
        """The entry's public key in the draw: the person and the moment (and the post)."""
        return f"{self.person}:{self.entered_at.isoformat()}:{self.post_url or ''}"


# -- what happens to a contest (recorded by Contest and ContestEntry) ------------------------


@register
@attrs.frozen(kw_only=True)
class ContestCreated(DomainEvent):
    """A contest campaign got its rules, entry window and eligibility."""

    contest_id: str
    campaign_id: str
    rules_url: str
    rules_version: str
    jurisdictions: tuple[str, ...]
    closes_at: pendulum.DateTime


@register
@attrs.frozen(kw_only=True)
class ContestSeedCommitted(DomainEvent):
    """The commitment to the draw's seed was fixed (before the entry window closed)."""

    contest_id: str
    campaign_id: str
    commitment: str


@register
@attrs.frozen(kw_only=True)
class ContestEntryReceived(DomainEvent):
    """An entry came in: eligible, or rejected with its reason."""

    entry_id: str
    contest_id: str
    campaign_id: str
    key: str
    status: str
    reason: str | None
    detail: str


@register
@attrs.frozen(kw_only=True)
class ContestDrawn(DomainEvent):
    """The draw was made: the revealed seed, the digest of the entry list, the winners and
    the reserves (entry ids, in the order drawn)."""

    contest_id: str
    campaign_id: str
    seed: str
    commitment: str
    entries: int
    entry_list_digest: str
    winners: tuple[str, ...]
    reserves: tuple[str, ...]


@register
@attrs.frozen(kw_only=True)
class ContestWinnerNotified(DomainEvent):
    """A winner is to be told (the host delivers ``text`` to ``handle`` on ``platform``)."""

    entry_id: str
    contest_id: str
    campaign_id: str
    handle: str
    platform: str
    text: str


def _jurisdictions(values: Any) -> tuple[Jurisdiction, ...]:
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise ValidationError("jurisdictions", values, "must be a list of jurisdictions")
    found = tuple(dict.fromkeys(parse_enum(Jurisdiction, "jurisdictions", v) for v in values))
    if not found:
        raise ValidationError("jurisdictions", values, "name at least one jurisdiction")
    return found


def _positive(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if check_count(attribute.name, value) < 1:
        raise ValidationError(attribute.name, value, "must be at least 1")


def _count(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_count(attribute.name, value)


def _prize(value: Any) -> str:
    return check_text("prize", value, max_length=300)


@attrs.define
class Contest(Aggregate):
    """The contest of one contest campaign: rules, jurisdictions, entry window, eligibility,
    the committed seed and the draw. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    rules: RulesDocument = attrs.field(validator=attrs.validators.instance_of(RulesDocument))
    jurisdictions: tuple[Jurisdiction, ...] = attrs.field(converter=_jurisdictions)
    window: DateWindow = attrs.field(validator=attrs.validators.instance_of(DateWindow))
    prize: str = attrs.field(converter=_prize)
    winners_count: int = attrs.field(default=1, validator=_positive)
    reserves_count: int = attrs.field(default=0, validator=_count)
    eligibility: EligibilityPolicy = attrs.Factory(EligibilityPolicy)
    commitment: str | None = None
    committed_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=in_utc, validator=optional_instant
    )
    seed: str | None = None
    drawn_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=in_utc, validator=optional_instant
    )
    entry_list_digest: str | None = None
    winners: tuple[str, ...] = ()  # entry ids, in the order drawn
    reserves: tuple[str, ...] = ()
    created_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=in_utc, validator=optional_instant
    )
    version: int = 0

    @property
    def drawn(self) -> bool:
        """Whether the draw was made."""
        return self.drawn_at is not None

    @classmethod
    def create(cls, now: pendulum.DateTime, campaign: Campaign, **fields: Any) -> Contest:
        """The contest of a contest campaign, recording ContestCreated."""
        if campaign.kind is not CampaignKind.CONTEST:
            raise ValidationError("campaign.kind", campaign.kind.value, "must be a contest")
        contest = cls(
            id=contest_id(campaign.id),
            campaign_id=campaign.id,
            brand_id=campaign.brand_id,
            created_at=now,
            **fields,
        )
        contest.record(
            ContestCreated(
                occurred_at=now,
                contest_id=contest.id,
                campaign_id=contest.campaign_id,
                rules_url=contest.rules.url,
                rules_version=contest.rules.version,
                jurisdictions=tuple(j.value for j in contest.jurisdictions),
                closes_at=contest.window.end,
            )
        )
        return contest

    def commit_seed(self, now: pendulum.DateTime, commitment: str) -> None:
        """Fix the commitment to the seed (its SHA-256 in hex), once, before the window
        closes; records ContestSeedCommitted."""
        if self.commitment is not None:
            raise InvalidTransition("contest", self.id, "seed committed", "commit a seed")
        if now >= self.window.end:
            raise InvalidTransition("contest", self.id, "entries closed", "commit a seed")
        text = commitment.strip().lower() if isinstance(commitment, str) else commitment
        if not isinstance(text, str) or len(text) != 64 or set(text) - set("0123456789abcdef"):
            raise ValidationError("commitment", commitment, "must be a SHA-256 in hex (64 chars)")
        self.commitment = text
        self.committed_at = now
        self.record(
            ContestSeedCommitted(
                occurred_at=now, contest_id=self.id, campaign_id=self.campaign_id, commitment=text
            )
        )

    def judge(
        self, record: ContestEntryRecord, *, entered_before: bool, creators: Collection[str]
    ) -> tuple[RejectionReason | None, str]:
        """Whether ``record`` counts: None and ``""``, or the reason it does not and why.
        ``entered_before``: the person already has an eligible entry; ``creators``: the
        campaign's creators' persons (``'instagram:lea'``)."""
        rules = self.eligibility
        if not self.window.contains(record.entered_at):
            local = self.window.local(record.entered_at).format("YYYY-MM-DD HH:mm")
            return RejectionReason.OUTSIDE_WINDOW, f"entered {local}, outside the entry window"
        if entered_before:
            return RejectionReason.DUPLICATE, f"{record.person} already entered"
        if record.handle in rules.excluded_handles:
            return RejectionReason.STAFF, f"{record.handle} is on the brand's staff"
        if rules.exclude_creators and record.person in creators:
            return RejectionReason.CREATOR, f"{record.handle} is a creator of the campaign"
        if rules.countries and record.country not in rules.countries:
            declared = record.country or "no country"
            allowed = ", ".join(rules.countries)
            return RejectionReason.COUNTRY, f"declared {declared}; open to {allowed}"
        if rules.minimum_age is not None and (record.age is None or record.age < rules.minimum_age):
            declared = "no age" if record.age is None else f"age {record.age}"
            return RejectionReason.AGE, f"declared {declared}; minimum {rules.minimum_age}"
        return None, ""

    def unique_key(self, record: ContestEntryRecord) -> str:
        """The key an eligible entry of ``record`` holds alone: its person (one entry per
        person) or its own key, as a digest short enough to index."""
        unique = record.person if self.eligibility.one_entry_per_person else record.key
        return f"{self.id}/{hashlib.sha256(unique.encode()).hexdigest()[:40]}"

    def ensure_open(self) -> None:
        """Raise InvalidTransition once the draw is made (entries are then frozen)."""
        if self.drawn:
            raise InvalidTransition("contest", self.id, "drawn", "take entries")

    def draw(
        self, now: pendulum.DateTime, seed: str, entries: Sequence[ContestEntry]
    ) -> ContestDraw:
        """Reveal ``seed`` and draw from the eligible ``entries``: only after the window
        closed, once, and only with the seed committed to (another is refused); records
        ContestDrawn and returns the draw (as entry keys)."""
        self.ensure_open()
        if now < self.window.end:
            raise InvalidTransition("contest", self.id, "entries open", "draw")
        if self.commitment is None:
            raise InvalidTransition("contest", self.id, "no seed committed", "draw")
        if seed_commitment(seed) != self.commitment:
            raise ValidationError("seed", seed, "does not match the commitment: refused")
        eligible = [e for e in entries if e.status is EntryStatus.ELIGIBLE]
        by_key = {e.key: e.id for e in eligible}
        result = draw_winners(
            seed, by_key, winners=self.winners_count, reserves=self.reserves_count
        )
        self.seed = seed
        self.drawn_at = now
        self.entry_list_digest = entry_list_digest(by_key)
        self.winners = tuple(by_key[k] for k in result.winners)
        self.reserves = tuple(by_key[k] for k in result.reserves)
        self.record(
            ContestDrawn(
                occurred_at=now,
                contest_id=self.id,
                campaign_id=self.campaign_id,
                seed=seed,
                commitment=self.commitment,
                entries=len(eligible),
                entry_list_digest=self.entry_list_digest,
                winners=self.winners,
                reserves=self.reserves,
            )
        )
        return result


def _status(value: Any) -> EntryStatus:
    return parse_enum(EntryStatus, "status", value)


def _reason(value: Any) -> RejectionReason | None:
    return None if value is None else parse_enum(RejectionReason, "reason", value)


@attrs.define
class ContestEntry(Aggregate):
    """One entry of a contest, eligible or rejected with its reason. Aggregate.

    ``unique_key`` is set on eligible entries only: the person (one entry per person) or the
    entry's own key; a unique index on it keeps one eligible entry per key on every backend.
    """

    id: str = attrs.field(validator=valid_id)
    contest_id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    details: ContestEntryRecord = attrs.field(
        validator=attrs.validators.instance_of(ContestEntryRecord)
    )
    status: EntryStatus = attrs.field(converter=_status)
    reason: RejectionReason | None = attrs.field(default=None, converter=_reason)
    detail: str = ""
    unique_key: str | None = None
    received_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=in_utc, validator=optional_instant
    )
    notified_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=in_utc, validator=optional_instant
    )
    version: int = 0

    @property
    def key(self) -> str:
        """The entry's public key in the draw."""
        return self.details.key

    @property
    def handle(self) -> str:
        """The entrant's handle (lower case, no '@')."""
        return self.details.handle

    @property
    def creator_id(self) -> str | None:
        """The creator whose post the entry came through, if known."""
        return self.details.creator_id

    @classmethod
    def receive(
        cls,
        now: pendulum.DateTime,
        contest: Contest,
        record: ContestEntryRecord,
        *,
        id: str,
        entered_before: bool,
        creators: Collection[str],
    ) -> ContestEntry:
        """An entry judged by the contest's eligibility rules, recording
        ContestEntryReceived (eligible, or rejected with its reason)."""
        contest.ensure_open()
        reason, detail = contest.judge(record, entered_before=entered_before, creators=creators)
        eligible = reason is None
        entry = cls(
            id=id,
            contest_id=contest.id,
            campaign_id=contest.campaign_id,
            brand_id=contest.brand_id,
            details=record,
            status=EntryStatus.ELIGIBLE if eligible else EntryStatus.REJECTED,
            reason=reason,
            detail=detail,
            unique_key=contest.unique_key(record) if eligible else None,
            received_at=now,
        )
        entry.record(
            ContestEntryReceived(
                occurred_at=now,
                entry_id=entry.id,
                contest_id=entry.contest_id,
                campaign_id=entry.campaign_id,
                key=entry.key,
                status=entry.status.value,
                reason=None if reason is None else reason.value,
                detail=detail,
            )
        )
        return entry

    def notify_win(self, now: pendulum.DateTime, contest: Contest, text: str) -> None:
        """Tell the winner (once): records ContestWinnerNotified with the message to deliver."""
        if self.id not in contest.winners:
            raise InvalidTransition("contest entry", self.id, "not a winner", "notify")
        if self.notified_at is not None:
            raise InvalidTransition("contest entry", self.id, "notified", "notify")
        self.notified_at = now
        self.record(
            ContestWinnerNotified(
                occurred_at=now,
                entry_id=self.id,
                contest_id=self.contest_id,
                campaign_id=self.campaign_id,
                handle=self.details.handle,
                platform=self.details.platform.value,
                text=text,
            )
        )
