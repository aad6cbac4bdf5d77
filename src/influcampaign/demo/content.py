"""Chapter 5: content checked against the brief, validated by hand or automatically; delivery
progress and the content calendar."""

from __future__ import annotations

from pathlib import Path

import influcampaign as ic
from influcampaign.demo._story import Story

__all__ = ["check_content"]


def check_content(
    story: Story, offer: ic.Campaign, joined: list[ic.Participation], ics_path: Path | None
) -> None:
    """Submissions checked against the brief, validated by hand or automatically; delivery
    progress and the calendar."""
    ws, clock, manager, say = story.ws, story.clock, story.manager, story.say
    system = ic.SystemActor()
    paris = offer.window.timezone
    first, second = joined
    say("")
    say("Content and brief checks (France: «Publicité» on the media)")
    late = ws.submissions.submit(
        ic.CreatorUser(second.creator_id),
        second.id,
        url="https://www.instagram.com/reel/DkPotagerSam/",
        platform="instagram",
        format="reel",
        published_at=clock.now().subtract(hours=20),
        caption="Enfin mon kit potager !\n\n#ad #kitpotager #jardin #diy",
        is_video=True,
    )
    for sub in [*ws.submissions.list(manager, first.id), late]:
        report = sub.brief_check
        assert report is not None
        say(
            f"  {sub.id} by {sub.creator_id}: suggested {report.suggested_compliance} % "
            f"({report.if_reviews_pass} % if the manual checks pass)"
        )
        for result in report.results:
            say(f"    {result.verdict.value:<12} {result.label:<14} {result.reason}")
    (reel,) = ws.submissions.list(manager, first.id)
    ws.submissions.record_metrics(
        ic.CreatorUser(first.creator_id), reel.id, {"views": 5_800, "likes": 402, "saves": 37}
    )
    say(f"  {reel.id}: metrics updated, now {_metrics(ws, manager, reel.id)}")
    deadlines = ws.submissions.deadlines(manager, late.id)
    say(
        f"  {late.id}: to validate by {deadlines.validate_by.in_timezone(paris):%d %b %H:%M}, "
        f"automatic on {deadlines.auto_validate_at.in_timezone(paris):%d %b %H:%M}"
    )
    for _ in range(10):
        clock.advance(days=1)
        ws.scheduler.run(system)
    validation = ws.submissions.get(manager, late.id).validation
    assert validation is not None
    say(
        f"  {late.id}: {validation.feedback} → {validation.compliance} % "
        f"(automatic: {validation.automatic})"
    )

    say("")
    say("Delivered vs expected")
    progress = ws.deliverables.progress(manager, offer.id)
    for creator_id, line in progress.per_creator.items():
        say(
            f"  {creator_id}: {line.delivered}/{line.expected} delivered, "
            f"{line.on_time} on time, {line.late} late, {line.outstanding} outstanding"
        )
    for fmt, line in progress.per_format.items():
        say(f"  {fmt.value:<6} {line.delivered}/{line.expected}")

    say("")
    say("Calendar, week by week")
    calendar = ws.calendar.for_campaigns(manager, [offer.id])
    for monday, entries in calendar.by_week().items():
        say(f"  week of {monday:%d %b}")
        for entry in entries:
            at = f"{entry.time:%H:%M}" if entry.time else "all day"
            say(f"    {entry.day:%a %d} {at:<7} {entry.title}")
    if ics_path is not None:
        ics_path.parent.mkdir(parents=True, exist_ok=True)
        ics_path.write_bytes(ws.calendar.ics(manager, [offer.id], name=offer.name))
        say(f"  written to {ics_path} ({len(calendar.entries)} events)")


def _metrics(ws: ic.Workspace, actor: ic.BrandMember, submission_id: str) -> str:
    """The metrics a submission reports, as a short list (``5,800 views, 402 likes``)."""
    metrics = ws.submissions.get(actor, submission_id).metrics
    if metrics is None:
        return "not reported"
    figures = {
        k: v
        for k, v in (
            ("views", metrics.views),
            ("likes", metrics.likes),
            ("comments", metrics.comments),
            ("saves", metrics.saves),
        )
        if v is not None
    }
    return ", ".join(f"{v:,} {k}" for k, v in figures.items())
