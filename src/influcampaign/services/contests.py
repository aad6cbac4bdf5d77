"""Use cases of contests: set up, commit the seed, take entries (one by one or from a
source), draw, notify the winners, ship their prizes, and report entries per creator."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import pendulum

from influcampaign.domain.access import Permission
from influcampaign.domain.brief import Jurisdiction
from influcampaign.domain.campaign import Campaign, DateWindow
from influcampaign.domain.contest import (
    Contest,
    ContestEntry,
    ContestEntryRecord,
    EligibilityPolicy,
    EntryStatus,
    RulesDocument,
)
from influcampaign.domain.contest_report import ContestReport
from influcampaign.domain.messaging import TemplateKind, render
from influcampaign.domain.participation import TAKING_PART, participation_id
from influcampaign.domain.principals import Principal
from influcampaign.domain.shipment import Shipment, ShipmentItem
from influcampaign.errors import AlreadyExists, ConcurrencyConflict, ValidationError
from influcampaign.ports import ContestEntrySource, UnitOfWork
from influcampaign.services._base import (
    Service,
    campaign_resource,
    participation_resource,
)

__all__ = ["ContestService", "EntryImport"]

_WINNER_DEFAULT = (
    "Congratulations @{winner_handle}! You won {prize} in the {campaign_name} contest by "
    "{brand}. Rules: {rules_url}. Reply with your postal address to receive it."
)


@attrs.frozen
class EntryImport:
    """What an import did: the entries added (eligible or rejected) and the records skipped
    because the same entry (person, time and post) was already in."""

    added: tuple[ContestEntry, ...]
    already_in: int

    @property
    def eligible(self) -> int:
        """Entries added that count in the draw."""
        return sum(e.status is EntryStatus.ELIGIBLE for e in self.added)

    @property
    def rejected(self) -> int:
        """Entries added that do not count (each with its reason)."""
        return len(self.added) - self.eligible


class ContestService(Service):
    """``workspace.contests``: giveaways run through a contest campaign's creators."""

    def create(
        self,
        actor: Principal,
        campaign_id: str,
        *,
        rules: RulesDocument,
        jurisdictions: Iterable[Jurisdiction | str],
        closes_at: pendulum.DateTime,
        prize: str,
        opens_at: pendulum.DateTime | None = None,
        winners: int = 1,
        reserves: int = 0,
        eligibility: EligibilityPolicy | None = None,
    ) -> Contest:
        """Set up the contest of a contest campaign: its rules document, the jurisdictions
        whose legal frame its content must follow, the entry window (from ``opens_at``, by
        default the campaign's start, to ``closes_at``, in the campaign's time zone), the
        prize and how many winners and reserves are drawn."""
        with self._write() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.CAMPAIGN_WRITE, campaign_resource(campaign))
            window = DateWindow(
                opens_at if opens_at is not None else campaign.window.start,
                closes_at,
                campaign.window.timezone,
            )
            contest = Contest.create(
                self._now(),
                campaign,
                rules=rules,
                jurisdictions=jurisdictions,
                window=window,
                prize=prize,
                winners_count=winners,
                reserves_count=reserves,
                eligibility=EligibilityPolicy() if eligibility is None else eligibility,
            )
            uow.contests.add(contest)
        return contest

    def get(self, actor: Principal, contest_id: str) -> Contest:
        """A contest (with its commitment, and once drawn its seed and winners)."""
        with self._read() as uow:
            return self._load(uow, actor, contest_id, Permission.CAMPAIGN_READ)[0]

    def commit_seed(self, actor: Principal, contest_id: str, commitment: str) -> Contest:
        """Fix the commitment to the draw's seed (``seed_commitment(seed)``), before the
        entry window closes; the seed itself stays with the brand until the draw."""
        with self._write() as uow:
            contest, _ = self._load(uow, actor, contest_id, Permission.CAMPAIGN_WRITE)
            contest.commit_seed(self._now(), commitment)
            uow.contests.save(contest)
        return contest

    def enter(self, actor: Principal, contest_id: str, record: ContestEntryRecord) -> ContestEntry:
        """Add one entry (the host's form, say): it is judged and kept, eligible or rejected
        with its reason."""
        return self.import_entries(actor, contest_id, [record]).added[0]

    def import_entries(
        self,
        actor: Principal,
        contest_id: str,
        source: ContestEntrySource | Iterable[ContestEntryRecord],
    ) -> EntryImport:
        """Take the entries of ``source`` (a port: a comments or likes export …), each judged
        by the contest's eligibility rules; an entry already in (same person, time and post)
        is skipped, so importing an export again adds only what is new. An entry through a
        creator's post (its URL matching a submission) is counted for that creator."""
        records = list(source.entries() if hasattr(source, "entries") else source)
        for record in records:
            if not isinstance(record, ContestEntryRecord):
                raise ValidationError("entries", record, "must be ContestEntryRecord values")
        now = self._now()
        with self._write() as uow:
            contest, campaign = self._load(uow, actor, contest_id, Permission.CAMPAIGN_WRITE)
            contest.ensure_open()
            known = uow.contest_entries.find(contest_id=contest.id)
            keys = {e.key for e in known}
            taken = {e.unique_key for e in known if e.unique_key is not None}
            creators, posts = self._creators_and_posts(uow, campaign)
            added: list[ContestEntry] = []
            already_in = 0
            for record in records:
                if record.key in keys:
                    already_in += 1
                    continue
                if record.creator_id is None and record.post_url in posts:
                    record = attrs.evolve(record, creator_id=posts[record.post_url])
                entry = ContestEntry.receive(
                    now,
                    contest,
                    record,
                    id=self._new_id("ent"),
                    entered_before=contest.unique_key(record) in taken,
                    creators=creators,
                )
                try:
                    uow.contest_entries.add(entry)
                except AlreadyExists as e:
                    # another process took this person's place since we looked: decide again
                    raise ConcurrencyConflict("contest entry", entry.id, 0, None) from e
                keys.add(record.key)
                if entry.unique_key is not None:
                    taken.add(entry.unique_key)
                added.append(entry)
        return EntryImport(tuple(added), already_in)

    def entries(
        self, actor: Principal, contest_id: str, *, status: EntryStatus | str | None = None
    ) -> builtins.list[ContestEntry]:
        """The contest's entries (all, or of one ``status``), in the order they were taken."""
        with self._read() as uow:
            contest, _ = self._load(uow, actor, contest_id, Permission.CAMPAIGN_INTERNAL_READ)
            filters: dict[str, Any] = (
                {} if status is None else {"status": EntryStatus(status).value}
            )
            found = uow.contest_entries.find(contest_id=contest.id, **filters)
        return sorted(found, key=lambda e: (e.received_at or e.details.entered_at, e.id))

    def entry_list(self, actor: Principal, contest_id: str) -> tuple[str, ...]:
        """The public list the draw is made from: the eligible entries' keys, sorted. Publish
        it with the seed once drawn: anyone re-runs ``draw_winners`` and checks the winners."""
        with self._read() as uow:
            contest, _ = self._load(uow, actor, contest_id, Permission.CAMPAIGN_READ)
            eligible = uow.contest_entries.find(
                contest_id=contest.id, status=EntryStatus.ELIGIBLE.value
            )
        return tuple(sorted(e.key for e in eligible))

    def draw(self, actor: Principal, contest_id: str, seed: str) -> Contest:
        """Reveal the seed and draw the winners and reserves from the eligible entries (after
        the window closed; a seed that does not match the commitment is refused)."""
        with self._write() as uow:
            contest, _ = self._load(uow, actor, contest_id, Permission.CAMPAIGN_WRITE)
            entries = uow.contest_entries.find(
                contest_id=contest.id, status=EntryStatus.ELIGIBLE.value
            )
            contest.draw(self._now(), seed, entries)
            uow.contests.save(contest)
        return contest

    def notify_winners(
        self, actor: Principal, contest_id: str, *, template_id: str | None = None
    ) -> builtins.list[ContestEntry]:
        """Tell each winner not yet told, with the brand's contest-winner template (or
        ``template_id``, or a default text): ContestWinnerNotified carries the message the
        host delivers. Returns the entries notified now."""
        now = self._now()
        with self._write() as uow:
            contest, campaign = self._load(uow, actor, contest_id, Permission.CAMPAIGN_WRITE)
            template = self._template(
                uow, campaign.brand_id, template_id, TemplateKind.CONTEST_WINNER
            )
            body = _WINNER_DEFAULT if template is None else template.body
            notified = []
            for entry_id in contest.winners:
                entry = uow.contest_entries.get(entry_id)
                if entry.notified_at is not None:
                    continue
                text = render(
                    body,
                    {
                        "winner_handle": entry.handle,
                        "prize": contest.prize,
                        "campaign_name": campaign.name,
                        "brand": campaign.brand,
                        "rules_url": contest.rules.url,
                    },
                )
                entry.notify_win(now, contest, text)
                uow.contest_entries.save(entry)
                notified.append(entry)
        return notified

    def ship_prize(
        self,
        actor: Principal,
        entry_id: str,
        items: Sequence[ShipmentItem],
        *,
        participation_id: str | None = None,
    ) -> Shipment:
        """Prepare a winner's prize as a shipment (then ``ws.shipments.ship`` / ``deliver``),
        under the participation of the creator the entry came through, or the one given."""
        with self._write() as uow:
            entry = uow.contest_entries.get(entry_id)
            contest = uow.contests.get(entry.contest_id)
            if participation_id is None:
                if entry.creator_id is None:
                    raise ValidationError(
                        "participation_id",
                        None,
                        "the entry came through no known creator: name one",
                    )
                participation_id = _participation_of(contest, entry.creator_id)
            participation = uow.participations.get(participation_id)
            self._check(
                actor, Permission.SHIPMENT_WRITE, participation_resource(participation, "shipment")
            )
            shipment = Shipment.prize(
                self._now(),
                participation,
                contest,
                entry,
                id=self._new_id("shp"),
                items=tuple(items),
            )
            uow.shipments.add(shipment)
        return shipment

    def report(self, actor: Principal, contest_id: str) -> ContestReport:
        """Entries, eligible entries and reach per creator of the campaign, and rejections
        counted by reason."""
        with self._read() as uow:
            contest, campaign = self._load(
                uow, actor, contest_id, Permission.CAMPAIGN_INTERNAL_READ
            )
            names: dict[str, str] = {}
            reach: dict[str, int | None] = {}
            for p in uow.participations.find(campaign_id=campaign.id):
                if p.status not in TAKING_PART:
                    continue
                names[p.creator_id] = uow.creators.get(p.creator_id).display_name
                figures = [
                    s.metrics.reach
                    for s in uow.submissions.find(participation_id=p.id)
                    if s.metrics is not None and s.metrics.reach is not None
                ]
                reach[p.creator_id] = sum(figures) if figures else None
            entries = uow.contest_entries.find(contest_id=contest.id)
        return ContestReport.of(contest.id, entries, names, reach)

    # -- helpers -----------------------------------------------------------------------

    def _load(
        self, uow: UnitOfWork, actor: Principal, contest_id: str, permission: Permission
    ) -> tuple[Contest, Campaign]:
        contest = uow.contests.get(contest_id)
        campaign = uow.campaigns.get(contest.campaign_id)
        self._check(actor, permission, campaign_resource(campaign))
        return contest, campaign

    @staticmethod
    def _creators_and_posts(
        uow: UnitOfWork, campaign: Campaign
    ) -> tuple[frozenset[str], dict[str, str]]:
        """The campaign's creators as persons (``'instagram:lea'``), and its posts' URLs to
        their creators."""
        persons: set[str] = set()
        posts: dict[str, str] = {}
        for p in uow.participations.find(campaign_id=campaign.id):
            creator = uow.creators.get(p.creator_id)
            persons.update(
                f"{platform.value}:{handle.casefold()}"
                for platform, handle in creator.handles.items()
            )
        for s in uow.submissions.find(campaign_id=campaign.id):
            posts[s.url] = s.creator_id
        return frozenset(persons), posts


def _participation_of(contest: Contest, creator_id: str) -> str:
    return participation_id(contest.campaign_id, creator_id)
