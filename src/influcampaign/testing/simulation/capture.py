"""Steps of the simulation for issue 17: drafts approved before publication, feeds of posts
captured (twice: the second run changes nothing; no post is credited to a creator who did not
post it), and usage rights answered by their dates."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from influcampaign.adapters.posts import MemoryPostSource
from influcampaign.domain.money import Money
from influcampaign.domain.principals import SystemActor
from influcampaign.testing import strategies as ics
from influcampaign.testing.simulation.model import (
    _FORMATS,
    _MANAGER,
    _PICK,
    SimulationModel,
    _actors,
    _Side,
)


class CaptureSteps(SimulationModel):
    """Steps of the simulation: drafts, post capture and usage rights."""

    # -- drafts, capture and usage rights (issue 17) -----------------------------------------

    @precondition(lambda self: bool(self.participations))
    @rule(
        actor=_actors("creator"),
        pick=_PICK,
        format=_FORMATS,
        caption=ics.captions(),
        media=st.lists(st.sampled_from(["https://cdn.example/a.mp4"] * 4 + ["nope"]), max_size=2),
    )
    def submit_draft(
        self, actor: str, pick: int, format: str, caption: str, media: list[str]
    ) -> None:
        """A creator submits a draft for approval before publishing."""
        self._step("submit_draft")
        participation = self._pick(self.participations, pick)
        if participation is None:
            return
        self.focus = self._campaign_of(participation)
        principal = self._who(actor, self._creator_of(participation))
        outcomes = self._call(
            lambda side: side.ws.drafts.submit(
                principal,
                participation,
                platform="instagram",
                format=format,
                caption=caption,
                media=media,
            ),
            what="drafts.submit",
        )
        if outcomes[0].ok:
            self.drafts.append(outcomes[0].value.id)
            self.statistics["drafts submitted"] += 1

    @precondition(lambda self: bool(self.drafts))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        action=st.sampled_from(["approve", "approve", "request_changes", "revise"]),
        caption=ics.captions(),
    )
    def judge_draft(self, actor: str, pick: int, action: str, caption: str) -> None:
        """The brand approves a draft or asks for changes; the creator revises it."""
        self._step("judge_draft")
        draft = self._pick(self.drafts, pick)
        if draft is None:
            return
        owner = self.sides[0].ws.drafts.get(SystemActor(), draft).creator_id
        principal = self._who("creator" if action == "revise" else actor, owner)

        def call(side: _Side) -> Any:
            service = side.ws.drafts
            if action == "approve":
                return service.approve(principal, draft, comments="ok")
            if action == "request_changes":
                return service.request_changes(principal, draft, comments="add the code")
            return service.revise(principal, draft, caption=caption)

        self._call(call, what=f"drafts.{action}")

    @precondition(lambda self: bool(self.creators))
    @rule(
        actor=_actors("system", 3),
        posts=st.lists(
            st.tuples(
                st.integers(0, 5),  # the post's id
                st.none() | _PICK,  # the author: a creator of the run, or a stranger
                _FORMATS,
                st.sampled_from(["Spring is here #SpringGlow with @acme", "#springglow"])
                | ics.captions(),
                st.integers(-2, 30),  # hours ago (a negative one is in the future)
                st.none() | st.integers(0, 5_000),
            ),
            max_size=5,
        ),
        junk=st.booleans(),
    )
    def capture_feed(
        self,
        actor: str,
        posts: list[tuple[int, int | None, str, str, int, int | None]],
        junk: bool,
    ) -> None:
        """Posts by the run's creators and strangers are captured; the same feed captured
        again changes nothing, and no stranger's post becomes a submission."""
        self._step("capture_feed")
        now = self.clock.now()
        items: list[Any] = []
        for number, author, format, caption, hours_ago, likes in posts:
            creator = None if author is None else self._pick(self.creators, author)
            handle = "a.stranger" if creator is None else self._handle(creator)
            self.post_authors.setdefault(f"post{number}", set()).add(handle.casefold())
            items.append(
                {
                    "id": f"post{number}",
                    "platform": "instagram",
                    "permalink": f"https://www.instagram.com/p/post{number}/",
                    "username": handle,
                    "caption": caption,
                    "media_type": "IMAGE",
                    "media_product_type": {"reel": "REELS", "story": "STORY"}.get(format, "FEED"),
                    "timestamp": now.subtract(hours=hours_ago).isoformat(),
                    "metrics": None if likes is None else {"like_count": likes},
                }
            )
        if junk:
            items.append({"platform": "instagram"})
        principal = self._who(actor)
        first = self._call(
            lambda side: side.ws.capture.run(principal, MemoryPostSource(items)),
            what="capture.run",
        )
        if not first[0].ok:
            return
        run = first[0].value
        assert len(run.problems) >= int(junk)
        self.statistics["posts captured"] += len(run.captured)
        self.statistics["earned mentions"] += len(run.earned)
        self._call(
            lambda side: side.ws.capture.run(principal, MemoryPostSource(items)),
            what="capture.run again",
            changes_nothing=lambda run: True,
        )
        with self.sides[0].ws.store.unit_of_work(read_only=True) as uow:
            for submission in uow.submissions.find():
                if submission.post_id is not None:
                    handle = self._handle(submission.creator_id).casefold()
                    assert handle in self.post_authors[submission.post_id], (
                        f"{submission.post_id} credited to {handle}, who did not post it"
                    )

    def _handle(self, creator_id: str) -> str:
        creator = self.sides[0].ws.creators.get(SystemActor(), creator_id)
        return next(iter(creator.handles.values()), "nobody")

    @precondition(lambda self: bool(self.submissions))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        channels=st.lists(st.sampled_from(["paid_ads", "website", "tv"]), max_size=2),
        start=st.integers(-5, 10),
        length=st.none() | st.integers(-1, 40),
        fee=st.none() | st.sampled_from(["0", "120.00"]),
        ask=st.integers(-10, 60),
    )
    def grant_rights(
        self,
        actor: str,
        pick: int,
        channels: list[str],
        start: int,
        length: int | None,
        fee: str | None,
        ask: int,
    ) -> None:
        """The brand records usage rights on a content and asks whether a use is allowed."""
        self._step("grant_rights")
        submission = self._pick(self.submissions, pick)
        if submission is None:
            return
        today = self.clock.now().in_timezone("Europe/Paris").date()
        first = today + _dt.timedelta(days=start)
        last = None if length is None else first + _dt.timedelta(days=length)
        outcomes = self._call(
            lambda side: side.ws.rights.grant(
                self._who(actor),
                submission,
                channels=channels,
                territories=["FR"],
                starts_on=first,
                ends_on=last,
                fee=None if fee is None else Money.parse(fee, "EUR"),
            ),
            what="rights.grant",
        )
        if outcomes[0].ok:
            self.rights.append(outcomes[0].value.id)
            self.statistics["rights granted"] += 1
        day = today + _dt.timedelta(days=ask)
        answers = self._call(
            lambda side: side.ws.rights.may_use(_MANAGER, submission, "paid_ads", "FR", day),
            write=False,
            what="rights.may_use",
        )
        if outcomes[0].ok and answers[0].ok and "paid_ads" in channels:
            inside = first <= day and (last is None or day <= last)
            assert answers[0].value.allowed == inside, (first, last, day, answers[0].value)
