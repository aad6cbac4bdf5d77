"""Post capture: feed lines read or reported, posts matched to creators by handle (never a
stranger's), filed through the manual submission path, idempotent by post id; earned
mentions; periodic capture by the scheduler."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.domain.capture import parse_feed_item
from influcampaign.domain.scheduling import JobKind, JobStatus
from influcampaign.rules.capture import CampaignWatch
from tests.conftest import MANAGER

SYSTEM = ic.SystemActor()
PARIS = "Europe/Paris"
T0 = pendulum.datetime(2026, 3, 2, 9, tz=PARIS)


def item(post_id: str = "17895", **changes: Any) -> dict[str, Any]:
    """A feed object in the documented shape (Léa's reel with the campaign's hashtag)."""
    base: dict[str, Any] = {
        "id": post_id,
        "platform": "instagram",
        "permalink": f"https://www.instagram.com/reel/{post_id}/",
        "username": "lea.jardine",
        "caption": "Ma routine #SummerGlow avec @maison.lumiere",
        "media_type": "VIDEO",
        "media_product_type": "REELS",
        "timestamp": "2026-03-01T18:05:00+0100",
        "metrics": {"like_count": 120, "comments_count": 4},
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def project(ws: ic.Workspace) -> ic.Campaign:
    campaign = ws.campaigns.create(
        MANAGER,
        brand_id="acme",
        name="Été radieux",
        kind="product_placement",
        mode="project",
        start=pendulum.datetime(2026, 3, 1, tz=PARIS),
        end=pendulum.datetime(2026, 7, 1, tz=PARIS),
        timezone=PARIS,
        hashtags=["#SummerGlow"],
        mentions=["@maison.lumiere"],
        requirements=ic.BriefRequirements(jurisdiction="US"),
    )
    ws.campaigns.start(MANAGER, campaign.id)
    return campaign


def join(ws: ic.Workspace, campaign: ic.Campaign, handle: str = "Lea.Jardine") -> str:
    creator = ws.creators.register(
        MANAGER, handle, handles={"instagram": handle}, audience={"instagram": ic.AudienceStats(9)}
    )
    pid = ws.participations.add(MANAGER, campaign.id, creator.id).id
    ws.participations.confirm(MANAGER, pid)
    return pid


def stored(ws: ic.Workspace) -> tuple[object, ...]:
    """Every aggregate's id and version, and the outbox length: what a no-op leaves alone."""
    with ws.store.unit_of_work(read_only=True) as uow:
        return (
            sorted((s.id, s.version) for s in uow.submissions.find()),
            sorted((m.id, m.version) for m in uow.earned_mentions.find()),
            sorted((d.id, d.version) for d in uow.deliverables.find()),
            sorted((j.id, j.version) for j in uow.jobs.find()),
            sorted((p.id, p.version) for p in uow.participations.find()),
            len(list(ws.store.outbox.all())),
        )


class TestFeedParsing:
    """Feed objects in the documented shape, and the problems of bad lines."""

    def test_a_reel_is_read_with_its_figures(self) -> None:
        """Instagram's media object becomes a post: REELS is a reel, figures are mapped."""
        post = parse_feed_item(item())
        assert post.format is ic.ContentFormat.REEL
        assert post.is_video
        assert post.author == "lea.jardine"
        assert post.published_at == pendulum.datetime(2026, 3, 1, 17, 5, tz="UTC")
        assert post.metrics == ic.Metrics(likes=120, comments=4)
        assert post.expires_at is None

    def test_a_story_expires_a_day_after_it_was_published(self) -> None:
        """A story without an expiry of its own lives 24 hours."""
        post = parse_feed_item(item(media_type="IMAGE", media_product_type="STORY"))
        assert post.format is ic.ContentFormat.STORY
        assert post.expires_at == post.published_at.add(hours=24)

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"id": None}, "id"),
            ({"timestamp": "2026-03-05T18:05:00"}, "timestamp"),
            ({"platform": "myspace"}, "platform"),
            ({"media_type": "HOLOGRAM"}, "media_type"),
            ({"metrics": {"hearts": 3}}, "metrics.hearts"),
            ({"permalink": "ftp://x"}, "permalink"),
        ],
    )
    def test_a_bad_object_names_its_field(self, changes: dict[str, Any], field: str) -> None:
        """A missing id, a naive time, an unknown platform … is a ValidationError naming it."""
        with pytest.raises(ic.ValidationError) as caught:
            parse_feed_item(item(**changes))
        assert caught.value.field == field

    def test_json_lines_report_each_bad_line_and_read_the_rest(self, tmp_path: Path) -> None:
        """Bad lines of a file are reported with their number; the good ones are read."""
        path = tmp_path / "feed.jsonl"
        lines = [
            json.dumps(item("1")),
            "{not json",
            "",
            json.dumps(item("2", timestamp="2026-03-05T18:05:00")),
            json.dumps(item("3")),
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        read = list(ic.JsonLinesPostSource(path).posts())
        posts = [p for p in read if isinstance(p, ic.CapturedPost)]
        problems = [p for p in read if isinstance(p, ic.FeedProblem)]
        assert [p.post_id for p in posts] == ["1", "3"]
        assert [p.line for p in posts] == [1, 5]
        assert [(p.line, p.field) for p in problems] == [(2, "line"), (4, "timestamp")]

    def test_a_missing_file_is_a_validation_error(self, tmp_path: Path) -> None:
        """Reading a file that is not there names the path."""
        with pytest.raises(ic.ValidationError, match="path"):
            list(ic.JsonLinesPostSource(tmp_path / "none.jsonl").posts())

    @given(st.lists(st.sampled_from(["good", "no id", "naive", "platform", "json"]), max_size=20))
    def test_bad_lines_never_stop_the_batch(self, kinds: list[str]) -> None:
        """Whatever the mix, every good line is read and every bad one reported at its line."""
        bad = {
            "no id": item(id=None),
            "naive": item(timestamp="2026-03-05T18:05:00"),
            "platform": item(platform="myspace"),
        }
        text = [
            json.dumps(item(str(i)))
            if kind == "good"
            else "{oops"
            if kind == "json"
            else json.dumps(bad[kind])
            for i, kind in enumerate(kinds)
        ]
        source = ic.MemoryPostSource()
        read: list[ic.CapturedPost | ic.FeedProblem] = []
        for line in text:
            try:
                source.add(json.loads(line))
            except json.JSONDecodeError:
                source.add({"junk": line})
        read = list(source.posts())
        assert [isinstance(r, ic.CapturedPost) for r in read] == [k == "good" for k in kinds]
        assert [r.line for r in read if isinstance(r, ic.FeedProblem)] == [
            i + 1 for i, k in enumerate(kinds) if k != "good"
        ]


def _watch(creators: Mapping[str, str]) -> CampaignWatch:
    """The watch of a campaign whose creators have these Instagram handles (→ participation)."""
    campaign = ic.Campaign(
        id="cmp_1",
        brand_id="acme",
        name="Été",
        kind="seeding",
        mode="project",
        window=ic.DateWindow(
            pendulum.datetime(2026, 3, 1, tz=PARIS), pendulum.datetime(2026, 7, 1, tz=PARIS), PARIS
        ),
        hashtags=["#SummerGlow"],
        mentions=["@maison.lumiere"],
    )
    handles = {(ic.Platform.INSTAGRAM, h.casefold()): pid for h, pid in creators.items()}
    return CampaignWatch(
        campaign.id, campaign.window, campaign.hashtags, campaign.mentions, handles
    )


_HANDLES = st.from_regex(r"[a-z0-9_.]{1,12}", fullmatch=True)


class TestCampaignWatch:
    """Which post belongs to a creator, which is an earned mention, which is neither."""

    def test_a_creators_post_with_the_hashtag_is_theirs(self) -> None:
        """Handle on the platform + the campaign's hashtag, within its dates: credited."""
        match = _watch({"Lea.Jardine": "par_1"}).match(parse_feed_item(item()))
        assert match is not None
        assert match.participation_id == "par_1"
        assert match.matched == ("#SummerGlow", "@maison.lumiere")

    def test_a_post_outside_the_dates_or_without_markers_is_ignored(self) -> None:
        """Before the campaign, or carrying none of its markers: not the campaign's."""
        watch = _watch({"lea.jardine": "par_1"})
        assert watch.match(parse_feed_item(item(timestamp="2026-02-27T10:00:00Z"))) is None
        assert watch.match(parse_feed_item(item(caption="breakfast"))) is None

    def test_the_same_handle_on_another_platform_is_a_stranger(self) -> None:
        """A handle is matched on its own platform only."""
        post = parse_feed_item(item(platform="tiktok"))
        match = _watch({"lea.jardine": "par_1"}).match(post)
        assert match is not None
        assert match.earned

    @given(
        creators=st.dictionaries(_HANDLES, st.sampled_from(["par_1", "par_2"]), max_size=4),
        author=_HANDLES,
        caption=st.sampled_from(["#summerglow", "@Maison.Lumiere hi", "#SUMMERGLOW!", "x"]),
    )
    def test_a_strangers_post_is_never_credited(
        self, creators: dict[str, str], author: str, caption: str
    ) -> None:
        """A post whose author is no creator's handle is never credited to one."""
        post = parse_feed_item(item(username=author, caption=caption))
        match = _watch(creators).match(post)
        if author.casefold() in {h.casefold() for h in creators}:
            assert match is None or match.participation_id is not None
        else:
            assert match is None or match.participation_id is None


class TestCapture:
    """The capture use case, on every backend."""

    def test_a_captured_post_goes_the_manual_submission_path(self, ws: ic.Workspace) -> None:
        """The post fulfils the deliverable, gets the brief check, stops the publication
        reminders and starts the validation clock, like a manual submission."""
        campaign = project(ws)
        pid = join(ws, campaign)
        reel = ws.deliverables.plan(MANAGER, pid, platform="instagram", format="reel")
        kit = ws.shipments.create(
            MANAGER, pid, items=[ic.ShipmentItem("Kit", 1, ic.Money.of(30, "EUR"))]
        )
        ws.shipments.ship(MANAGER, kit.id, carrier="La Poste")
        ws.shipments.deliver(MANAGER, kit.id)
        assert ws.scheduler.pending(SYSTEM, subject_id=pid) != []  # publication reminders
        run = ws.capture.run(SYSTEM, ic.MemoryPostSource([item()]))
        (sid,) = run.captured
        sub = ws.submissions.get(MANAGER, sid)
        assert (sub.post_id, sub.deliverable_id, sub.participation_id) == ("17895", reel.id, pid)
        assert sub.brief_check is not None
        assert sub.metrics == ic.Metrics(likes=120, comments=4)
        assert ws.participations.get(MANAGER, pid).first_content_at == ws.clock.now()
        kinds = {j.kind for j in ws.scheduler.pending(SYSTEM, subject_id=sid)}
        assert JobKind.AUTO_VALIDATION in kinds
        assert ws.scheduler.pending(SYSTEM, subject_id=pid) == []  # no publication reminder

    def test_a_replayed_feed_changes_nothing(self, ws: ic.Workspace) -> None:
        """The second run over the same feed writes nothing, events included."""
        campaign = project(ws)
        join(ws, campaign)
        feed = ic.MemoryPostSource([item("1"), item("2", username="fan")])
        first = ws.capture.run(SYSTEM, feed)
        assert (len(first.captured), len(first.earned)) == (1, 1)
        before = stored(ws)
        again = ws.capture.run(SYSTEM, feed)
        assert not again.changed
        assert stored(ws) == before

    def test_new_figures_add_a_snapshot_and_an_expired_story_keeps_its_last(
        self, ws: ic.Workspace
    ) -> None:
        """A post seen again with new figures gets a snapshot; after a story expires its
        last snapshot stays."""
        campaign = project(ws)
        join(ws, campaign)
        ws.clock.advance(days=3)  # type: ignore[attr-defined]
        published = ws.clock.now().subtract(hours=2).isoformat()
        story = item("s1", media_type="IMAGE", media_product_type="STORY", timestamp=published)
        (sid,) = ws.capture.run(SYSTEM, ic.MemoryPostSource([story])).captured
        story["metrics"] = {"like_count": 150, "reach": 900}
        ws.clock.advance(hours=1)  # type: ignore[attr-defined]
        assert ws.capture.run(SYSTEM, ic.MemoryPostSource([story])).updated == (sid,)
        story["metrics"] = {"like_count": 999}
        ws.clock.advance(days=2)  # type: ignore[attr-defined]
        assert not ws.capture.run(SYSTEM, ic.MemoryPostSource([story])).changed
        sub = ws.submissions.get(MANAGER, sid)
        assert len(sub.metrics_history) == 2
        assert sub.metrics == ic.Metrics(likes=150, comments=4, reach=900)

    def test_a_post_submitted_by_hand_is_not_filed_twice(self, ws: ic.Workspace) -> None:
        """Capture finds a manual submission under the same permalink and updates it."""
        campaign = project(ws)
        pid = join(ws, campaign)
        creator = ic.CreatorUser(ws.participations.get(MANAGER, pid).creator_id)
        manual = ws.submissions.submit(
            creator,
            pid,
            url="https://www.instagram.com/reel/17895/",
            platform="instagram",
            format="reel",
            published_at=pendulum.datetime(2026, 3, 1, 12, tz=PARIS),
        )
        run = ws.capture.run(SYSTEM, ic.MemoryPostSource([item()]))
        assert run.captured == ()
        assert run.updated == (manual.id,)

    def test_earned_mentions_are_counted_never_credited(self, ws: ic.Workspace) -> None:
        """A stranger's post with the hashtag is an earned mention, and no submission."""
        campaign = project(ws)
        pid = join(ws, campaign)
        fan = item("9", username="Fan.Club", metrics={"reach": 5_000})
        run = ws.capture.run(SYSTEM, ic.MemoryPostSource([fan]))
        assert run.captured == ()
        assert len(run.earned) == 1
        earned = ws.capture.earned(MANAGER, campaign.id)
        assert (earned.count, earned.authors, earned.reach) == (1, ("instagram:fan.club",), 5_000)
        assert ws.submissions.list(MANAGER, pid) == []

    def test_a_post_refused_by_the_domain_is_a_problem_of_its_line(self, ws: ic.Workspace) -> None:
        """A post published in the future is reported at its line; the next one is filed."""
        campaign = project(ws)
        join(ws, campaign)
        future = item("1", timestamp="2026-04-01T10:00:00+02:00")
        run = ws.capture.run(SYSTEM, ic.MemoryPostSource([future, item("2")]))
        assert [(p.line, p.field) for p in run.problems] == [(1, "published_at")]
        assert len(run.captured) == 1

    def test_a_creator_may_not_capture(self, ws: ic.Workspace) -> None:
        """Capturing is the brand's (or the scheduler's), not a creator's."""
        campaign = project(ws)
        join(ws, campaign)
        before = stored(ws)
        with pytest.raises(ic.PermissionDenied):
            ws.capture.run(ic.CreatorUser("cre_x"), ic.MemoryPostSource([item()]))
        assert stored(ws) == before

    def test_the_scheduler_captures_periodically(self, ws: ic.Workspace) -> None:
        """A scheduled capture reads the workspace's feed and schedules the next one."""
        feed = ic.MemoryPostSource()
        ws = ic.Workspace(ws.store, ws.clock, ids=ws.ids, posts=feed)
        campaign = project(ws)
        join(ws, campaign)
        job = ws.capture.schedule(MANAGER, campaign.id, every=pendulum.duration(hours=6))
        feed.add(item())
        assert ws.scheduler.run(SYSTEM).done == 1
        assert (
            len(ws.submissions.list(MANAGER, ws.participations.list(MANAGER, campaign.id)[0].id))
            == 1
        )
        pending = ws.scheduler.pending(SYSTEM, subject_id=campaign.id)
        assert [j.due_at for j in pending] == [job.due_at.add(hours=6)]
        ws.campaigns.end(MANAGER, campaign.id)
        ws.clock.advance(hours=7)  # type: ignore[attr-defined]
        run = ws.scheduler.run(SYSTEM)
        assert run.cancelled == 1
        assert ws.scheduler.pending(SYSTEM, subject_id=campaign.id) == []
        with ws.store.unit_of_work(read_only=True) as uow:
            assert uow.jobs.get(job.id).status is JobStatus.DONE


_AUTHORS = st.sampled_from(["lea.jardine", "LEA.JARDINE", "sam.potager", "fan", "troll"])
_CAPTIONS = st.sampled_from(["#SummerGlow", "hello @maison.lumiere", "nothing", "#summerglow!"])
_FEED = st.lists(
    st.builds(
        lambda n, author, caption, likes: item(
            str(n), username=author, caption=caption, metrics=likes
        ),
        st.integers(0, 6),
        _AUTHORS,
        _CAPTIONS,
        st.none() | st.builds(lambda n: {"like_count": n}, st.integers(0, 3)),
    ),
    max_size=8,
)


class TestCaptureProperties:
    """Rules that hold for any feed (on the memory store)."""

    @settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(feed=_FEED)
    def test_capture_is_idempotent_and_credits_only_creators(
        self, feed: list[dict[str, Any]], clock: ic.FrozenClock
    ) -> None:
        """Any feed captured twice: the second run changes nothing, and every submission is
        the post of the creator whose handle wrote it."""
        ws = ic.Workspace(ic.MemoryStore(), ic.FrozenClock(clock.now()), ids=ic.SequentialIds())
        campaign = project(ws)
        lea, sam = join(ws, campaign, "Lea.Jardine"), join(ws, campaign, "sam.potager")
        handles = {lea: "lea.jardine", sam: "sam.potager"}
        ws.capture.run(SYSTEM, ic.MemoryPostSource(feed))
        before = stored(ws)
        assert not ws.capture.run(SYSTEM, ic.MemoryPostSource(feed)).changed
        assert stored(ws) == before
        authors = {(p["id"], p["username"].casefold()) for p in feed}
        for pid, handle in handles.items():
            for sub in ws.submissions.list(MANAGER, pid):
                assert (sub.post_id, handle) in authors
        for mention in ws.capture.earned(MANAGER, campaign.id).mentions:
            assert mention.author not in handles.values()


class TestCaptureAccess:
    """Who may capture."""

    def test_another_brand_captures_nothing_and_an_analyst_is_refused(self) -> None:
        """A manager of another brand finds nothing of its own to capture; an analyst of the
        brand may not capture."""
        ws = ic.Workspace(ic.MemoryStore(), ic.FrozenClock(T0), ids=ic.SequentialIds())
        join(ws, project(ws))
        feed = ic.MemoryPostSource([item()])
        rival = ic.BrandMember("u_rival", brand_id="globex", role="manager")
        assert not ws.capture.run(rival, feed).changed
        analyst = ic.BrandMember("u_ana", brand_id="acme", role="analyst")
        with pytest.raises(ic.PermissionDenied):
            ws.capture.run(analyst, feed)
        assert ws.capture.run(MANAGER, feed).captured != ()
