"""Scheduler: one pass over a day where 1% of 100,000 participations have a reminder due.

Ours: the indexed query of due jobs (status, due time) that the scheduler runs.
Baseline: a full scan of all participations, asking for each whether a reminder is due.
Both must find the same jobs. Then one real scheduler pass (sending the reminders) is
timed on a copy of the database; its cost grows with the due items, not with the total.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pendulum
import sqlalchemy as sa
from _common import median_time, parse_args, report

import influcampaign as ic
from influcampaign.adapters._aggregates import CAMPAIGNS, CREATORS, JOBS, PARTICIPATIONS
from influcampaign.domain._validate import to_micros
from influcampaign.domain.participation import Participation, participation_id
from influcampaign.domain.scheduling import Job, JobKind

DAY = pendulum.datetime(2026, 6, 1, 8)  # the day measured
SYSTEM = ic.SystemActor()


def bulk_load(store: ic.SqlStore, total: int, due_share: float, seed: int = 7) -> None:
    """Write creators, one campaign, participations and one pending reminder each, in bulk."""
    rng = random.Random(seed)
    converter = store._converter
    campaign = ic.Campaign(
        id="cmp_bench",
        brand_id="acme",
        name="Bench",
        kind="seeding",
        mode="project",
        window=ic.DateWindow(DAY.subtract(days=90), DAY.add(days=90), "Europe/Paris"),
        status="running",
    )

    def rows(spec, objects):  # type: ignore[no-untyped-def]
        out = []
        for obj in objects:
            obj.version = 1
            out.append(
                {
                    "id": obj.id,
                    "version": 1,
                    "doc": converter.unstructure(obj),
                    **spec.index_values(obj),
                }
            )
        return out

    due_count = int(total * due_share)
    with store.engine.begin() as conn:
        conn.execute(sa.insert(store._tables.tables[CAMPAIGNS.table]), rows(CAMPAIGNS, [campaign]))
        for start in range(0, total, 10_000):
            chunk = range(start, min(total, start + 10_000))
            creators = [ic.Creator(id=f"cre_{i}", display_name=f"Creator {i}") for i in chunk]
            participations = [
                Participation(
                    id=participation_id(campaign.id, c.id),
                    campaign_id=campaign.id,
                    brand_id="acme",
                    creator_id=c.id,
                    source="manual",
                    status="confirmed",
                    joined_at=DAY.subtract(days=60),
                )
                for c in creators
            ]
            jobs = []
            for i, p in zip(chunk, participations, strict=True):
                # the first `due_count` are due within the measured day, the others later
                offset = rng.uniform(-20, 0) if i < due_count else rng.uniform(1, 100) * 24
                jobs.append(
                    Job(
                        id=f"job_{i}",
                        kind=JobKind.PUBLICATION_REMINDER,
                        due_at=DAY.add(hours=offset),
                        subject_id=p.id,
                        campaign_id=campaign.id,
                        payload={"shipment_id": f"shp_{i}", "number": "1"},
                    )
                )
            conn.execute(sa.insert(store._tables.tables[CREATORS.table]), rows(CREATORS, creators))
            conn.execute(
                sa.insert(store._tables.tables[PARTICIPATIONS.table]),
                rows(PARTICIPATIONS, participations),
            )
            conn.execute(sa.insert(store._tables.tables[JOBS.table]), rows(JOBS, jobs))


def indexed_due(store: ic.SqlStore) -> set[str]:
    with store.unit_of_work(read_only=True) as uow:
        due = uow.jobs.find(
            status="pending", at_most={"due_at_us": to_micros(DAY)}, order_by="due_at_us"
        )
    return {j.id for j in due}


def full_scan(store: ic.SqlStore) -> set[str]:
    found: set[str] = set()
    with store.unit_of_work(read_only=True) as uow:
        for participation in uow.participations.find(campaign_id="cmp_bench"):
            for job in uow.jobs.find(subject_id=participation.id, status="pending"):
                if job.due_at <= DAY:
                    found.add(job.id)
    return found


def main() -> None:
    args = parse_args(__doc__ or "")
    total = 10_000 if args.quick else 100_000
    repeats = 3 if args.quick else args.repeats
    directory = Path(tempfile.mkdtemp(prefix="ic-bench-scheduler-"))
    path = directory / "scheduler.sqlite"
    store = ic.SqlStore(f"sqlite:///{path}")
    store.migrate()
    started = time.perf_counter()
    bulk_load(store, total, 0.01)
    loaded_s = time.perf_counter() - started
    print(f"loaded {total:,} participations, one pending reminder each, in {loaded_s:.1f} s")

    ours_s, ours = median_time(lambda: indexed_due(store), repeats)
    baseline_s, theirs = median_time(lambda: full_scan(store), max(1, repeats // 2))
    assert ours == theirs, "the indexed query and the full scan must find the same due jobs"
    store.close()
    print(f"due today: {len(ours):,} of {total:,}")
    print(f"indexed due query: {ours_s * 1000:8.1f} ms")
    print(f"full scan:         {baseline_s * 1000:8.1f} ms   ({baseline_s / ours_s:.0f}x slower)")

    pass_times = []
    for i in range(min(repeats, 3)):
        copy = directory / f"pass{i}.sqlite"
        shutil.copy(path, copy)
        ws = ic.open(f"sqlite:///{copy}", clock=ic.FrozenClock(DAY))
        start = time.perf_counter()
        run = ws.scheduler.run(SYSTEM)
        pass_times.append(time.perf_counter() - start)
        assert run.done == len(ours), (run, len(ours))
        ws.close()
    pass_s = sorted(pass_times)[len(pass_times) // 2]
    per = pass_s / len(ours) * 1000
    print(f"scheduler pass sending {len(ours):,} reminders: {pass_s:.2f} s ({per:.2f} ms each)")
    report(
        {
            "benchmark": "scheduler",
            "size": {"participations": total, "due": len(ours)},
            "ours_s": round(ours_s, 4),
            "baseline": "full scan of all participations",
            "baseline_s": round(baseline_s, 4),
            "speedup": round(baseline_s / ours_s, 1),
            "participations": total,
            "due": len(ours),
            "pass_s": round(pass_s, 3),
        }
    )


if __name__ == "__main__":
    main()
