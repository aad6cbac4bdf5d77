"""Use cases of post capture: read a feed of published posts, match them to the running
campaigns' creators (by handle, within the dates, carrying the campaign's markers), file them
as submissions through the same path as a manual one, keep the others as earned mentions,
and let the scheduler run it periodically."""

from __future__ import annotations

import builtins
import datetime as _dt
from collections.abc import Iterable

import attrs
import pendulum

from influcampaign.domain.access import Permission, Resource
from influcampaign.domain.campaign import Campaign, CampaignStatus
from influcampaign.domain.capture import CapturedPost, EarnedMention, FeedProblem
from influcampaign.domain.principals import BrandMember, Principal
from influcampaign.domain.scheduling import Job, JobKind, JobStatus
from influcampaign.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    InflucampaignError,
    ValidationError,
)
from influcampaign.ports import PostSource, UnitOfWork
from influcampaign.rules.capture import CampaignWatch, PostMatch
from influcampaign.services._base import Service, campaign_resource, stable_id
from influcampaign.services._context import ServiceContext
from influcampaign.services.submissions import file_submission

__all__ = [
    "CaptureRun",
    "CaptureService",
    "EarnedMentions",
    "capture_post",
    "watch_campaign",
]

_CAPTURED, _UPDATED, _EARNED, _EARNED_UPDATED, _UNCHANGED = (
    "captured",
    "updated",
    "earned",
    "earned_updated",
    "unchanged",
)


@attrs.frozen
class CaptureRun:
    """What one capture did: submissions filed and updated, earned mentions kept and
    updated (ids), posts that belong to no running campaign, and the feed's problems (each
    with its line; the batch went on)."""

    at: pendulum.DateTime
    read: int = 0
    captured: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    earned: tuple[str, ...] = ()
    earned_updated: tuple[str, ...] = ()
    unmatched: int = 0
    problems: tuple[FeedProblem, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether anything was written (a replayed feed writes nothing)."""
        return bool(self.captured or self.updated or self.earned or self.earned_updated)

    def summary(self) -> str:
        """One line: ``3 posts read: 1 captured, 0 updated, 1 earned, 1 problem``."""
        problems = len(self.problems)
        return (
            f"{self.read} posts read: {len(self.captured)} captured, {len(self.updated)} updated, "
            f"{len(self.earned)} earned ({len(self.earned_updated)} updated), "
            f"{self.unmatched} unmatched, {problems} problem{'' if problems == 1 else 's'}"
        )


@attrs.frozen
class EarnedMentions:
    """A campaign's earned mentions: posts by people outside it carrying its hashtags or
    mentions, oldest first, with their count, authors and known reach."""

    campaign_id: str
    mentions: tuple[EarnedMention, ...]

    @property
    def count(self) -> int:
        """How many posts."""
        return len(self.mentions)

    @property
    def authors(self) -> tuple[str, ...]:
        """The distinct authors (platform:handle), sorted."""
        return tuple(sorted({f"{m.platform.value}:{m.author}" for m in self.mentions}))

    @property
    def reach(self) -> int:
        """The reach the feeds reported, summed (posts without it count 0)."""
        return sum((m.metrics.reach or 0) if m.metrics else 0 for m in self.mentions)


def watch_campaign(uow: UnitOfWork, campaign: Campaign) -> CampaignWatch:
    """What capture looks for in ``campaign``: its active creators' handles, active promo
    codes and tracked links."""
    participations = uow.participations.find(campaign_id=campaign.id)
    pairs = [(p, uow.creators.get(p.creator_id)) for p in participations if p.is_active]
    codes: dict[str, list[str]] = {}
    for code in uow.promo_codes.find(campaign_id=campaign.id):
        if code.active:
            codes.setdefault(code.participation_id, []).append(code.code)
    slugs: dict[str, list[str]] = {}
    for link in uow.links.find(campaign_id=campaign.id):
        if link.active:
            slugs.setdefault(link.participation_id, []).append(link.slug)
    return CampaignWatch.of(campaign, pairs, codes=codes, slugs=slugs)


def capture_post(
    uow: UnitOfWork, now: pendulum.DateTime, post: CapturedPost, match: PostMatch
) -> tuple[str, str]:
    """File one matched post: a creator's new post becomes a submission (the manual path:
    deliverable, brief check, draft comparison, reminders stopped, validation scheduled), one
    seen again adds a snapshot if its figures changed; anyone else's post is an earned
    mention. Ids are stable per (campaign, platform, post, author), so this is idempotent.
    A post published after ``now`` is refused. Returns
    (what happened, the id)."""
    if post.published_at > now:
        raise ValidationError(
            "published_at", post.published_at.isoformat(), "cannot be in the future"
        )
    key = (match.campaign_id, post.platform.value, post.post_id)
    if match.participation_id is None:
        mention_id = stable_id("ern", *key, post.author)
        if uow.earned_mentions.exists(mention_id):
            mention = uow.earned_mentions.get(mention_id)
            if not mention.seen_again(now, post):
                return _UNCHANGED, mention_id
            uow.earned_mentions.save(mention)
            return _EARNED_UPDATED, mention_id
        campaign = uow.campaigns.get(match.campaign_id)
        uow.earned_mentions.add(
            EarnedMention.capture(
                now,
                id=mention_id,
                campaign_id=campaign.id,
                brand_id=campaign.brand_id,
                post=post,
                matched=match.matched,
            )
        )
        return _EARNED, mention_id
    submission_id = stable_id("sub", *key, match.participation_id)
    participation = uow.participations.get(match.participation_id)
    known = [
        s
        for s in uow.submissions.find(participation_id=participation.id)
        if s.id == submission_id or s.url.rstrip("/") == post.url.rstrip("/")
    ]
    if known:  # captured before, or submitted by hand under the same permalink
        submission = known[0]
        if not submission.seen_again(now, post.metrics):
            return _UNCHANGED, submission.id
        uow.submissions.save(submission)
        return _UPDATED, submission.id
    if not participation.is_active:
        return _UNCHANGED, ""
    codes = [c.code for c in uow.promo_codes.find(participation_id=participation.id) if c.active]
    slugs = [link.slug for link in uow.links.find(participation_id=participation.id) if link.active]
    file_submission(
        uow,
        now,
        participation,
        uow.campaigns.get(participation.campaign_id),
        id=submission_id,
        url=post.url,
        platform=post.platform,
        format=post.format,
        published_at=post.published_at,
        caption=post.caption,
        is_video=post.is_video,
        metrics=post.metrics,
        recorded_by="capture",
        promo_codes=codes,
        links=slugs,
        post_id=post.post_id,
        expires_at=post.expires_at,
    )
    return _CAPTURED, submission_id


def _latest(
    items: Iterable[CapturedPost | FeedProblem],
) -> list[tuple[int, CapturedPost | FeedProblem]]:
    """The feed with its positions (from 1), a post listed twice kept only where it was last
    (the freshest figures), so that a feed replayed ends where it ended the first time."""
    listed = list(enumerate(items, start=1))
    last: dict[tuple[str, str, str], int] = {}
    for line, item in listed:
        if isinstance(item, CapturedPost):
            last[(item.platform.value, item.post_id, item.author)] = line
    return [
        (line, item)
        for line, item in listed
        if isinstance(item, FeedProblem)
        or last[(item.platform.value, item.post_id, item.author)] == line
    ]


def _problem(line: int, error: InflucampaignError) -> FeedProblem:
    if isinstance(error, ValidationError):
        return FeedProblem(line, error.field, _shown(error.value), error.reason)
    return FeedProblem(line, "post", "", str(error))


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


class _Tally:
    """Counts what a capture did, by outcome."""

    def __init__(self) -> None:
        self.read = 0
        self.unmatched = 0
        self.ids: dict[str, list[str]] = {
            _CAPTURED: [],
            _UPDATED: [],
            _EARNED: [],
            _EARNED_UPDATED: [],
            _UNCHANGED: [],
        }
        self.problems: list[FeedProblem] = []

    def run(self, now: pendulum.DateTime) -> CaptureRun:
        return CaptureRun(
            at=now,
            read=self.read,
            captured=tuple(self.ids[_CAPTURED]),
            updated=tuple(self.ids[_UPDATED]),
            earned=tuple(self.ids[_EARNED]),
            earned_updated=tuple(self.ids[_EARNED_UPDATED]),
            unmatched=self.unmatched,
            problems=tuple(self.problems),
        )


class CaptureService(Service):
    """``workspace.capture``: published posts read from a :class:`~influcampaign.ports.PostSource`
    (the workspace's ``posts``, or one given), matched to running campaigns."""

    def __init__(self, context: ServiceContext, *, source: PostSource | None = None) -> None:
        super().__init__(context)
        self._source = source

    def run(
        self,
        actor: Principal,
        source: PostSource | None = None,
        *,
        campaign_ids: Iterable[str] | None = None,
    ) -> CaptureRun:
        """Capture the feed for the running campaigns ``actor`` may capture (or those named):
        each post in its own transaction; a bad line or a refused post is a problem of the
        run and the batch goes on. Running it again on the same feed changes nothing."""
        now = self._now()
        feed = self._feed(source)
        with self._read() as uow:
            watches = [watch_campaign(uow, c) for c in self._campaigns(uow, actor, campaign_ids)]
        tally = _Tally()
        for line, item in _latest(feed.posts()):
            if isinstance(item, FeedProblem):
                tally.problems.append(item)
                continue
            tally.read += 1
            matches = [m for m in (w.match(item) for w in watches) if m is not None]
            if not matches:
                tally.unmatched += 1
            for match in matches:
                try:
                    outcome, ident = self._one(now, item, match)
                except InflucampaignError as error:
                    tally.problems.append(_problem(item.line or line, error))
                    continue
                tally.ids[outcome].append(ident)
        return tally.run(now)

    def earned(self, actor: Principal, campaign_id: str) -> EarnedMentions:
        """The campaign's earned mentions (never credited to a creator), oldest first."""
        with self._read() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.PARTICIPATION_READ, _internal(campaign))
            found = uow.earned_mentions.find(campaign_id=campaign_id, order_by="published_at_us")
        return EarnedMentions(campaign_id, tuple(found))

    def schedule(
        self, actor: Principal, campaign_id: str, *, every: _dt.timedelta | None = None
    ) -> Job:
        """Have the scheduler capture the workspace's feed for a campaign now and then every
        ``every`` (default 6 hours) while it runs."""
        interval = every if every is not None else _dt.timedelta(hours=6)
        seconds = int(interval.total_seconds())
        if seconds < 60:
            raise ValidationError("every", str(interval), "must be at least a minute")
        now = self._now()
        with self._write() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.CONTENT_CAPTURE, campaign_resource(campaign))
            job = _capture_job(campaign.id, now, seconds)
            if uow.jobs.exists(job.id):
                return uow.jobs.get(job.id)
            uow.jobs.add(job)
        return job

    def capture_job(
        self, uow: UnitOfWork, job: Job, now: pendulum.DateTime
    ) -> tuple[JobStatus, str]:
        """The scheduler's handler: capture the workspace's feed for the job's campaign, in
        the job's transaction (a savepoint per post), then schedule the next capture while
        the campaign runs."""
        campaign = uow.campaigns.get(job.campaign_id)
        if campaign.status is not CampaignStatus.RUNNING:
            return JobStatus.CANCELLED, f"campaign {campaign.status.value}"
        if self._source is None:
            return JobStatus.CANCELLED, "the workspace has no post source"
        watch = watch_campaign(uow, campaign)
        tally = _Tally()
        for line, item in _latest(self._source.posts()):
            if isinstance(item, FeedProblem):
                tally.problems.append(item)
                continue
            tally.read += 1
            match = watch.match(item)
            if match is None:
                tally.unmatched += 1
                continue
            try:
                with uow.savepoint():
                    outcome, ident = capture_post(uow, now, item, match)
            except InflucampaignError as error:
                tally.problems.append(_problem(item.line or line, error))
                continue
            tally.ids[outcome].append(ident)
        seconds = int(job.payload.get("every_seconds", "21600"))
        due = job.due_at
        while due <= now:
            due = due.add(seconds=seconds)
        following = _capture_job(campaign.id, due, seconds)
        if not uow.jobs.exists(following.id):
            uow.jobs.add(following)
        return JobStatus.DONE, tally.run(now).summary()

    # -- inside a use case -------------------------------------------------------------

    def _feed(self, source: PostSource | None) -> PostSource:
        feed = source if source is not None else self._source
        if feed is None:
            raise ValidationError(
                "source", None, "give a PostSource (or open the workspace with posts=...)"
            )
        return feed

    def _campaigns(
        self, uow: UnitOfWork, actor: Principal, campaign_ids: Iterable[str] | None
    ) -> builtins.list[Campaign]:
        """The campaigns to capture: those named (each checked), else every running one
        ``actor`` may capture (refused when it may capture none of any brand)."""
        if campaign_ids is not None:
            named = [uow.campaigns.get(cid) for cid in dict.fromkeys(campaign_ids)]
            for campaign in named:
                self._check(actor, Permission.CONTENT_CAPTURE, campaign_resource(campaign))
            return [c for c in named if c.status is CampaignStatus.RUNNING]
        running = uow.campaigns.find(status=CampaignStatus.RUNNING.value)
        allowed = [
            c
            for c in running
            if self._allowed(actor, Permission.CONTENT_CAPTURE, campaign_resource(c))
        ]
        if running and not allowed:
            # a brand member may capture for its own brand (nothing of it runs: nothing to
            # do); anyone else, or a role without the permission, is refused
            own = (
                Resource("campaign", "*", brand_id=actor.brand_id)
                if isinstance(actor, BrandMember)
                else campaign_resource(running[0])
            )
            self._check(actor, Permission.CONTENT_CAPTURE, own)
        return allowed

    def _one(self, now: pendulum.DateTime, post: CapturedPost, match: PostMatch) -> tuple[str, str]:
        """One post in its own transaction; a concurrent capture of the same post (its id
        taken meanwhile) is retried once, and then finds it."""
        for attempt in range(2):
            try:
                with self._write() as uow:
                    return capture_post(uow, now, post, match)
            except (AlreadyExists, ConcurrencyConflict):
                if attempt:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover


def _capture_job(campaign_id: str, due: pendulum.DateTime, seconds: int) -> Job:
    return Job(
        id=stable_id("job", JobKind.POST_CAPTURE.value, campaign_id, due.isoformat()),
        kind=JobKind.POST_CAPTURE,
        due_at=due,
        subject_id=campaign_id,
        campaign_id=campaign_id,
        payload={"every_seconds": str(seconds)},
    )


def _internal(campaign: Campaign) -> Resource:
    """The brand-internal view of a campaign (never public, not a creator's)."""
    return Resource(
        "earned mentions", campaign.id, brand_id=campaign.brand_id, campaign_id=campaign.id
    )
