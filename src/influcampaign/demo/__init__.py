"""The demo campaign: the SDK's main job end to end, on an SQLite file, with its report.

Each chapter is a module, run in the order below; they share a :class:`~._story.Story`
(workspace, frozen clock, the acting manager, the output) and hand each other what they made.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import pendulum

import influcampaign as ic
from influcampaign.demo import (
    capture,
    content,
    creators,
    kinds,
    matching,
    money,
    offer,
    overlap,
    pay,
    privacy,
    review,
    sales,
    workflow,
)
from influcampaign.demo._story import PARIS, Story

__all__ = ["run_demo"]


def run_demo(url: str, out: TextIO, *, ics_path: Path | None = None) -> ic.Workspace:
    """Run a project and a marketplace offer in the store at ``url`` and print their report;
    the content calendar is written to ``ics_path`` when given."""
    clock = ic.FrozenClock(pendulum.datetime(2026, 3, 2, 9, tz=PARIS))
    ws = ic.open(
        url,
        clock=clock,
        ids=ic.SequentialIds(),
        keys=ic.SigningKeys({"demo-2026": b"demo-only-secret-" + b"0" * 24}, current="demo-2026"),
        rates=ic.FixedRates({("USD", "EUR"): "0.92"}, source="ECB reference rate (demo)"),
        payouts=ic.MemoryPayouts(),
    )
    manager = ic.BrandMember("u_claire", brand_id="maison-verte", role="manager")
    story = Story(ws, clock, manager, out)
    story.say(f"influcampaign demo — store {ws.store!r}, clock at {clock.now().in_timezone(PARIS)}")

    cast = creators.register_creators(story)
    project = creators.start_project(story, cast)
    overlap.audience_overlap(story, project, cast)
    kit, joined = offer.open_offer(story, cast)
    workflow.ship_plan_and_remind(story, kit, joined)
    content.check_content(story, kit, joined, ics_path)
    sales.track_sales(story, kit, joined)
    money.costs_and_report(story, kit, joined)
    review.review_offer(story, kit, joined, cast)
    matching.rank_for_next_offer(story)
    capture.capture_posts(story, project)
    pay.pay_by_commission(story)
    kinds.run_contest(story, cast[0])
    kinds.run_event(story, cast)
    privacy.export_and_erase(story, kit, joined)

    story.say()
    pending = ws.store.outbox.pending(limit=100_000)
    types = sorted({m.event.type for m in pending})
    story.say(f"Outbox: {len(pending)} events to deliver, of {len(types)} kinds")
    return ws
