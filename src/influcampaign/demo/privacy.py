"""Chapter 13: a creator asks for a copy of their data, then for its erasure (GDPR Art. 15, 20
and 17); the campaign report keeps its totals, with the creator anonymous."""

from __future__ import annotations

import json

import influcampaign as ic
from influcampaign.demo._story import Story

__all__ = ["export_and_erase"]


def _totals(story: Story, campaign_id: str) -> str:
    report = story.ws.reports.campaign(story.manager, campaign_id, draws=2_000, seed=2026)
    roi = report.roi_total
    return (
        f"cost {roi.cost}, EMV {roi.emv or '—'}, net sales {roi.net_revenue}, "
        f"budget paid {report.budget.total.paid}"
    )


def export_and_erase(story: Story, offer: ic.Campaign, joined: list[ic.Participation]) -> None:
    """The first creator of the offer exports its data, then has it erased; the report's
    totals are printed before and after."""
    ws, say = story.ws, story.say
    creator_id = joined[0].creator_id
    me = ic.CreatorUser(creator_id)
    name = ws.creators.get(me, creator_id).display_name
    say("")
    say(f"Privacy: {name} ({creator_id}) asks for a copy of their data, then for erasure")
    export = ws.privacy.export(me, creator_id)
    json.dumps(export)  # one JSON document
    say(f"  export: {export['format']} version {export['version']}")
    sections = [k for k, v in export.items() if isinstance(v, list) and v]
    say("  " + ", ".join(f"{k} {len(export[k])}" for k in sections))
    before = _totals(story, offer.id)
    say(f"  report before: {before}")
    entry = ws.privacy.erase(me, creator_id)
    say(f"  erased ({entry.id}): " + ", ".join(f"{k} {n}" for k, n in entry.counts.items()))
    say(f"  {entry.kept}")
    after = _totals(story, offer.id)
    say(f"  report after:  {after}")
    say(f"  totals {'unchanged' if after == before else 'CHANGED'}; the creator now reads as")
    say(
        f"  {ws.creators.get(story.manager, creator_id).display_name!r}, contact: "
        f"{ws.creators.contact(story.manager, creator_id)}"
    )
    again = ws.privacy.erase(me, creator_id)
    say(f"  erasing again changes nothing: {again.counts == entry.counts}")
