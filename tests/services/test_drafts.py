"""Drafts before publication: versions with brief checks, the brand's verdicts, and the
published content compared with the approved draft (submitted by hand or captured)."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.domain.drafts import DRAFT_LIFECYCLE, DraftAction
from influcampaign.rules.brief import BriefCheck
from influcampaign.rules.drafts import published_differences
from tests.conftest import MANAGER
from tests.services.test_capture import item, join, project

SYSTEM = ic.SystemActor()
APPROVED_CAPTION = "#ad Ma routine #SummerGlow avec @maison.lumiere, code LEA10"


def creator(ws: ic.Workspace, pid: str) -> ic.CreatorUser:
    return ic.CreatorUser(ws.participations.get(MANAGER, pid).creator_id)


def approved_draft(ws: ic.Workspace, pid: str, caption: str = APPROVED_CAPTION) -> ic.Draft:
    draft = ws.drafts.submit(
        creator(ws, pid),
        pid,
        platform="instagram",
        format="reel",
        caption=caption,
        media=["https://cdn.example/reel.mp4"],
    )
    return ws.drafts.approve(MANAGER, draft.id, comments="parfait")


class TestDraftService:
    """Submitting, revising, approving and sending back drafts."""

    def test_versions_are_kept_with_their_checks_and_reviews(self, ws: ic.Workspace) -> None:
        """A draft sent back and revised keeps both versions, each with its brief check."""
        pid = join(ws, project(ws))
        draft = ws.drafts.submit(
            creator(ws, pid), pid, platform="instagram", format="reel", caption="Ma routine"
        )
        first = draft.latest.brief_check
        assert first is not None
        assert first.suggested_compliance < 100
        ws.drafts.request_changes(MANAGER, draft.id, comments="add #ad and the hashtag")
        ws.drafts.revise(creator(ws, pid), draft.id, caption=APPROVED_CAPTION)
        draft = ws.drafts.approve(MANAGER, draft.id)
        assert [v.number for v in draft.versions] == [1, 2]
        assert [r.verdict.value for r in draft.reviews] == ["changes_requested", "approved"]
        assert draft.status is ic.DraftStatus.APPROVED
        second = draft.versions[1].brief_check
        assert second is not None
        assert second.suggested_compliance > first.suggested_compliance
        kinds = [m.event.type for m in ws.store.outbox.all() if m.event.type.startswith("Draft")]
        assert kinds == [
            "DraftSubmitted",
            "DraftChangesRequested",
            "DraftSubmitted",
            "DraftApproved",
        ]

    def test_a_creator_may_not_approve_and_changes_need_comments(self, ws: ic.Workspace) -> None:
        """Approving is the brand's; asking for changes without saying which is refused."""
        pid = join(ws, project(ws))
        draft = ws.drafts.submit(creator(ws, pid), pid, platform="instagram", format="reel")
        with pytest.raises(ic.PermissionDenied):
            ws.drafts.approve(creator(ws, pid), draft.id)
        with pytest.raises(ic.ValidationError, match="comments"):
            ws.drafts.request_changes(MANAGER, draft.id, comments="  ")
        assert ws.drafts.get(MANAGER, draft.id).version == 1

    def test_an_approved_draft_cannot_be_revised(self, ws: ic.Workspace) -> None:
        """Once approved, a new version is refused (the lifecycle table says so)."""
        pid = join(ws, project(ws))
        draft = approved_draft(ws, pid)
        with pytest.raises(ic.InvalidTransition):
            ws.drafts.revise(creator(ws, pid), draft.id, caption="other")
        assert not DRAFT_LIFECYCLE.can(ic.DraftStatus.APPROVED, DraftAction.REVISE)


class TestPublishedVersusApproved:
    """The publication compared with the approved draft."""

    def test_a_caption_that_drops_the_disclosure_is_flagged(self, ws: ic.Workspace) -> None:
        """Submitted without the approved #ad: the disclosure is flagged on the draft."""
        pid = join(ws, project(ws))
        draft = approved_draft(ws, pid)
        sub = ws.submissions.submit(
            creator(ws, pid),
            pid,
            url="https://www.instagram.com/reel/C1/",
            platform="instagram",
            format="reel",
            published_at=ws.clock.now(),
            caption="Ma routine #SummerGlow avec @maison.lumiere, code LEA10",
        )
        assert sub.draft_id == draft.id
        (publication,) = ws.drafts.get(MANAGER, draft.id).publications
        assert publication.submission_id == sub.id
        assert [(d.kind, d.label) for d in publication.differences] == [
            ("disclosure", "disclosure")
        ]
        (published,) = [m.event for m in ws.store.outbox.all() if m.event.type == "DraftPublished"]
        assert published.flagged == ("disclosure: disclosure",)  # type: ignore[attr-defined]

    def test_a_captured_post_is_compared_too(self, ws: ic.Workspace) -> None:
        """A captured post that lost the mention and the code is flagged, like a manual one."""
        pid = join(ws, project(ws))
        draft = approved_draft(ws, pid)
        post = item(caption="#ad Ma routine #SummerGlow")
        ws.capture.run(SYSTEM, ic.MemoryPostSource([post]))
        (publication,) = ws.drafts.get(MANAGER, draft.id).publications
        flagged = [(d.kind, d.label) for d in publication.differences]
        assert ("mention", "@maison.lumiere") in flagged
        assert all(kind != "disclosure" for kind, _ in flagged)

    def test_a_faithful_publication_flags_nothing(self, ws: ic.Workspace) -> None:
        """The approved caption published as it is: no difference."""
        pid = join(ws, project(ws))
        draft = approved_draft(ws, pid)
        ws.capture.run(SYSTEM, ic.MemoryPostSource([item(caption=APPROVED_CAPTION)]))
        (publication,) = ws.drafts.get(MANAGER, draft.id).publications
        assert publication.differences == ()

    @given(
        kept=st.lists(
            st.sampled_from(["#ad", "#SummerGlow", "@maison.lumiere", "LEA10"]), unique=True
        )
    )
    def test_what_is_dropped_is_flagged_and_what_is_kept_is_not(self, kept: list[str]) -> None:
        """Each marker of the approved caption missing from the publication is flagged once;
        none that was kept is."""
        check = BriefCheck(
            ic.BriefRequirements(jurisdiction="US", promo_code=True),
            hashtags=["#SummerGlow"],
            mentions=["@maison.lumiere"],
        )
        draft = ic.DraftVersion(
            1, pendulum.datetime(2026, 3, 1, tz="UTC"), caption=APPROVED_CAPTION
        )
        differences = published_differences(
            check, draft, caption=" ".join(kept), promo_codes=["LEA10"]
        )
        flagged = {d.label.casefold() for d in differences}
        for marker, label in [
            ("#ad", "disclosure"),
            ("#SummerGlow", "#summerglow"),
            ("@maison.lumiere", "@maison.lumiere"),
            ("LEA10", "promo code"),
        ]:
            assert (label in flagged) == (marker not in kept), (marker, differences)
        assert len(differences) == len(flagged)
