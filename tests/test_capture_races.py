"""Races of post capture between host processes: the same feed captured by four processes at
once files each post once (a submission or an earned mention), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import influcampaign as ic
from tests.conftest import MANAGER, T0
from tests.test_races import (
    RACERS,
    TRIALS,
    Race,
    Tally,
    _campaign,
    _confirmed,
    _creator,
    _unexpected,
    race,
)

__all__ = ["race"]  # the fixture, imported for pytest

SYSTEM = ic.SystemActor()


def _capture(ws: ic.Workspace, campaign_id: str, items: list[dict[str, Any]]) -> str:
    """A racer's step: capture the feed for one campaign."""
    run = ws.capture.run(SYSTEM, ic.MemoryPostSource(items), campaign_ids=[campaign_id])
    return json.dumps({"problems": [str(p) for p in run.problems]})


def _feed(trial: int, handle: str) -> list[dict[str, Any]]:
    def post(number: int, author: str) -> dict[str, Any]:
        return {
            "id": f"{trial}0{number}",
            "platform": "instagram",
            "permalink": f"https://www.instagram.com/p/{trial}x{number}/",
            "username": author,
            "caption": "Mon kit #Printemps",
            "media_type": "IMAGE",
            "timestamp": T0.subtract(hours=number + 1).isoformat(),
            "metrics": {"like_count": 10 * number},
        }

    return [post(1, handle), post(2, handle), post(3, "a.neighbour")]


class TestCaptureRace:
    def test_a_feed_captured_by_four_processes_files_each_post_once(self, race: Race) -> None:
        """Four processes capture one feed at once: two submissions and one earned mention,
        each with one metrics snapshot, and every racer succeeds."""
        tally = Tally(race, "capture-once")
        for trial in range(TRIALS):
            ws = race.ws
            campaign = _campaign(ws, "project")
            ws.campaigns.update(MANAGER, campaign.id, hashtags=["#Printemps"])
            handle = f"nora.{trial}"
            pid = _confirmed(ws, campaign, _creator(ws, f"Nora {trial}", handle))
            feed = _feed(trial, handle)
            outcomes = race.run(
                "capture-once", *[(_capture, (campaign.id, feed)) for _ in range(RACERS)]
            )
            problems = _unexpected(outcomes, {"ok"})
            problems += [
                o.detail for o in outcomes if o.kind == "ok" and '"problems": []' not in o.detail
            ]
            submissions = ws.submissions.list(MANAGER, pid)
            earned = ws.capture.earned(MANAGER, campaign.id)
            if sorted(s.post_id or "" for s in submissions) != [f"{trial}01", f"{trial}02"]:
                problems.append(f"submissions {[s.post_id for s in submissions]}")
            if [len(s.metrics_history) for s in submissions] != [1, 1]:
                problems.append("a post got more than one snapshot")
            if earned.count != 1:
                problems.append(f"{earned.count} earned mentions")
            tally.trial(problems)
        tally.check()
