"""The samples of the aggregates of creator pay, privacy, post capture, usage rights and the
campaign kinds (contests and brand events); :data:`influcampaign.testing.samples.BUILDERS`
lists them with the others."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

from influcampaign.domain.brand_event import BrandEvent, Guest, RsvpStatus, Venue
from influcampaign.domain.brief import Jurisdiction
from influcampaign.domain.campaign import (
    DateWindow,
)
from influcampaign.domain.capture import EarnedMention
from influcampaign.domain.commission import Commission, CommissionStatus, EntryKind, LedgerEntry
from influcampaign.domain.contest import (
    Contest,
    ContestEntry,
    ContestEntryRecord,
    EligibilityPolicy,
    EntryStatus,
    RejectionReason,
    RulesDocument,
)
from influcampaign.domain.contest_draw import seed_commitment
from influcampaign.domain.creator import Platform
from influcampaign.domain.deliverable import ContentFormat
from influcampaign.domain.drafts import Draft, DraftStatus, DraftVersion
from influcampaign.domain.exchanges import Exchange, ExchangeChannel
from influcampaign.domain.money import Money
from influcampaign.domain.payout import LineKind, PayoutStatement, StatementLine
from influcampaign.domain.privacy import AuditAction, AuditEntry
from influcampaign.domain.rights import UsageChannel, UsageRights
from influcampaign.testing._sample_parts import (
    T0,
    _brand,
    _campaign,
    _cycle,
    _id,
    _of_participation,
    _participation,
)


def _commission(n: int) -> Commission:
    approved = n % 3 == 1
    amount = Money.of(f"{n + 1}.25", "EUR")
    entries = (
        (LedgerEntry(EntryKind.APPROVED, amount, _dt.date(2026, 6, 3), "the lock period is over"),)
        if approved
        else ()
    )
    return Commission(
        id=_id("com", n),
        brand_id=_cycle(n, "brand_a", "brand_B"),
        campaign_id=_campaign(n),
        participation_id=_participation(n),
        creator_id=_cycle(n, "cre_a", "cre_B", "cre_c"),
        order_id=_id("ord", n),
        rule="10% of sales",
        amount=amount,
        payout=amount,
        rate=None,
        earned_on=T0.date(),
        period="2026-05",
        lock_until=T0.add(days=30),
        status=CommissionStatus.APPROVED if approved else CommissionStatus.PENDING,
        entries=entries,
        created_at=T0,
    )


def _contest(n: int) -> Contest:
    drawn = n % 3 == 2
    return Contest(
        id=_id("cst", n),
        campaign_id=_campaign(n),
        brand_id=_brand(n),
        rules=RulesDocument(f"https://brand.example/rules/{n}", f"v{n % 2 + 1}"),
        jurisdictions=(_cycle(n, Jurisdiction.FR, Jurisdiction.US, Jurisdiction.UK),),
        window=DateWindow(T0, T0.add(days=10), "Europe/Paris"),
        prize=f"Prize {n}",
        winners_count=1 + n % 2,
        reserves_count=n % 3,
        eligibility=EligibilityPolicy(countries=("FR",) if n % 2 else ()),
        commitment=seed_commitment(f"sample-seed-number-{n}") if n % 3 else None,
        committed_at=T0.add(days=1) if n % 3 else None,
        seed=f"sample-seed-number-{n}" if drawn else None,
        drawn_at=T0.add(days=11) if drawn else None,
        winners=(f"ent_{n}",) if drawn else (),
        created_at=T0,
    )


def _statement(n: int) -> PayoutStatement:
    line = StatementLine(
        LineKind.COMMISSION, f"com_{n}", "10% of 12.50 EUR net", Money.of("1.25", "EUR")
    )
    return PayoutStatement(
        id=_id("pst", n),
        brand_id=_cycle(n, "brand_a", "brand_B"),
        creator_id=_cycle(n, "cre_a", "cre_B", "cre_c"),
        number=n + 1,
        sequence=n + 1,
        period_start=_dt.date(2026, 5, 1),
        period_end=_dt.date(2026, 5, 31),
        currency="EUR",
        lines=(line,),
        total=line.amount,
        issued_at=T0,
    )


def _audit_entry(n: int) -> AuditEntry:
    return AuditEntry(
        id=_id("aud", n),
        creator_id=_cycle(n, "cre_a", "cre_B"),
        action=_cycle(n, AuditAction.READ, AuditAction.EXPORT, AuditAction.ERASURE),
        actor=f"manager u_{n} of brand brand_a",
        at=T0.add(minutes=n // 2),
        brand_id=_cycle(n, "brand_a", None),
        what=("contact",),
        counts={"messages": n} if n % 3 == 2 else {},
    )


def _draft(n: int) -> Draft:
    return Draft(
        **_of_participation("dft", n),
        platform=Platform.INSTAGRAM,
        format=_cycle(n, ContentFormat.REEL, ContentFormat.STORY),
        versions=(
            DraftVersion(
                1, T0, caption=f"Draft {n} #Spring", media=(f"https://cdn.example/d{n}.mp4",)
            ),
        ),
        status=_cycle(n, DraftStatus.SUBMITTED, DraftStatus.APPROVED, DraftStatus.SUBMITTED),
    )


def _earned_mention(n: int) -> EarnedMention:
    return EarnedMention(
        id=_id("ern", n),
        campaign_id=_campaign(n),
        brand_id="brand_a",
        platform=Platform.INSTAGRAM,
        post_id=f"1789{n}",
        author=f"stranger{n}",
        url=f"https://instagram.com/p/stranger{n}",
        format=ContentFormat.POST,
        published_at=T0.add(hours=n % 4),
        captured_at=T0.add(hours=5),
        caption="love it #Spring",
        matched=("#Spring",),
    )


def _usage_rights(n: int) -> UsageRights:
    return UsageRights(
        id=_id("rgt", n),
        submission_id=_cycle(n, "sub_a", "sub_B", "sub_c"),
        participation_id=_participation(n),
        campaign_id=_campaign(n),
        brand_id=_brand(n),
        creator_id=f"cre_{n}",
        channels=frozenset({_cycle(n, UsageChannel.PAID_ADS, UsageChannel.WEBSITE)}),
        territories=(_cycle(n, "FR", "worldwide"),),
        starts_on=_dt.date(2026, 5, 1),
        ends_on=_cycle(n, _dt.date(2026, 8, 31), None),
        timezone="Europe/Paris",
        fee=_cycle(n, None, Money(Decimal("150.00"), "EUR")),
        granted_at=T0,
    )


def _contest_entry(n: int) -> ContestEntry:
    eligible = n % 3 != 1
    return ContestEntry(
        id=_id("ent", n),
        contest_id=_cycle(n, "cst_a", "cst_B"),
        campaign_id=_campaign(n),
        brand_id=_brand(n),
        details=ContestEntryRecord(
            handle=f"entrant{n}",
            platform=_cycle(n, "instagram", "tiktok"),
            entered_at=T0.add(hours=n),
            post_url=_cycle(n, None, f"https://instagram.com/p/{n}"),
            country=_cycle(n, "FR", None),
            age=_cycle(n, 30, None),
        ),
        status=EntryStatus.ELIGIBLE if eligible else EntryStatus.REJECTED,
        reason=None if eligible else RejectionReason.DUPLICATE,
        detail="" if eligible else "already entered",
        unique_key=f"cst_{n % 2}/Person{n}" if eligible else None,  # never repeated
        received_at=T0.add(hours=n),
    )


def _brand_event(n: int) -> BrandEvent:
    guests = tuple(
        Guest(
            f"cre_{i}",
            f"par_{i}",
            invited_at=T0,
            status=_cycle(i, RsvpStatus.ACCEPTED, RsvpStatus.WAITLISTED, RsvpStatus.INVITED),
            waitlist_rank=1 if i % 3 == 1 else None,
        )
        for i in range(n % 4)
    )
    starts = T0.add(days=_cycle(n, 3, 10))
    return BrandEvent(
        id=_id("evt", n),
        campaign_id=_campaign(n),
        brand_id=_brand(n),
        name=f"Event {n}",
        starts_at=starts,
        ends_at=starts.add(hours=3),
        timezone=_cycle(n, "Europe/Paris", "America/New_York"),
        venue=_cycle(n, Venue("Atelier", "Paris"), Venue(online_url="https://meet.example/x")),
        capacity=1 + n % 4,
        guests=guests,
        next_rank=2,
        created_at=T0,
    )


def _exchange(n: int) -> Exchange:
    return Exchange(
        id=_id("exc", n),
        brand_id=_brand(n),
        creator_id=_cycle(n, "cre_a", "cre_B"),
        channel=_cycle(n, *ExchangeChannel),
        summary=f"Talked rates for the spring shoot ({n})",
        by=_cycle(n, "u_ana", "u_bo"),
        happened_at=T0.add(hours=n % 5),
        contact=_cycle(n, "", "Agent Smith"),
        campaign_id=_cycle(n, None, _campaign(n)),
        logged_by=_cycle(n, "u_ana", "u_bo"),
        logged_at=T0.add(hours=6),
    )
