"""Crash safety: a host process killed with SIGKILL in the middle of a scheduler pass or of a
bulk import leaves a store that reopens consistent, on SQLite and PostgreSQL.

The child reports its progress through a pipe from inside the work; the parent kills it at a
seeded random moment after it started, reopens the store and checks that every document loads,
that versions agree, that the outbox matches the state, and that a re-run does what is left
once.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext
from pathlib import Path
from typing import Any

import pendulum
import pytest
import sqlalchemy as sa

import influcampaign as ic
from influcampaign.adapters._aggregates import SPECS
from influcampaign.adapters.shopify import read_orders_csv
from influcampaign.adapters.sql_schema import metadata
from influcampaign.domain.policies import ReminderPolicy
from influcampaign.domain.scheduling import JobKind
from influcampaign.domain.shipment import ShipmentItem
from tests.conftest import MANAGER, T0, postgres

TRIALS = {"dev": 2, "ci": 2, "long": 20}.get(os.environ.get("HYPOTHESIS_PROFILE", "dev"), 2)
"""Kills per scenario and backend, each at another seeded moment."""

SYSTEM = ic.SystemActor()
SHOP = "acme.myshopify.com"
ITEMS = [ShipmentItem("Seed kit", 1, ic.Money.of("19.95", "EUR"))]
ONE_REMINDER = ReminderPolicy(after_delivery_days=(3,))
REMINDER_AT = T0.add(days=3)
JOBS = 20
ORDERS = 200
CHUNK = 20  # orders per committed chunk of the import: a kill lands between or inside chunks
CODE = "CRASH15"


# -- the child side: top-level functions a spawned process can import --------------------


def _schedule(url: str, progress: Connection) -> None:
    """A host running the scheduler; it reports each job it has done, before its commit."""
    ws = ic.open(url, clock=ic.FrozenClock(REMINDER_AT), migrate=False)
    handler = ws.scheduler.handlers[JobKind.PUBLICATION_REMINDER]

    def reporting(uow: Any, job: Any, now: pendulum.DateTime) -> Any:
        outcome = handler(uow, job, now)
        progress.send_bytes(b"job")
        return outcome

    ws.scheduler.handlers[JobKind.PUBLICATION_REMINDER] = reporting
    progress.send_bytes(b"started")
    ws.scheduler.run(SYSTEM)
    progress.send_bytes(b"finished")
    ws.close()


class ReportingRates:
    """A fixed USD to EUR rate that reports each lookup: one per order being attributed."""

    def __init__(self, progress: Connection | None) -> None:
        self.progress = progress

    def rate(self, base: str, quote: str, on: Any) -> ic.Rate | None:
        if self.progress is not None:
            self.progress.send_bytes(b"order")
        return ic.Rate(Decimal("0.92"), "fixed") if (base, quote) == ("USD", "EUR") else None


def _import(url: str, export: str, progress: Connection) -> None:
    """A host importing a shop's orders export; it reports each order it attributes."""
    ws = ic.open(url, clock=ic.FrozenClock(T0), rates=ReportingRates(progress), migrate=False)
    progress.send_bytes(b"started")
    ws.sales.apply_all(MANAGER, "acme", SHOP, read_orders_csv(export), chunk=CHUNK)
    progress.send_bytes(b"finished")
    ws.close()


# -- the parent side -----------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store: an SQLite file, or a PostgreSQL database of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crash.sqlite'}"
    else:
        yield postgres().fresh()


def _kill_midway(target: Any, args: tuple[Any, ...], seed: str, reports: int) -> None:
    """Run ``target`` in a spawned process; after it started and made a seeded random number
    of progress reports (at least one, at most ``reports``), kill it with SIGKILL."""
    rng = random.Random(seed)
    wanted = rng.randint(1, reports)
    context: SpawnContext = multiprocessing.get_context("spawn")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=target, args=(*args, writer), daemon=True)
    child.start()
    writer.close()
    seen: list[bytes] = []
    try:
        while len(seen) <= wanted:  # "started", then ``wanted`` reports of work
            if not reader.poll(120):
                raise AssertionError(f"the child went quiet after {seen[-3:]}")
            seen.append(reader.recv_bytes())
            assert seen[-1] != b"finished", "the child finished before it could be killed"
        time.sleep(rng.uniform(0, 0.005))  # anywhere in the next piece of work
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
    finally:
        child.join(30)
        reader.close()
    exitcode = child.exitcode
    child.close()
    assert seen[0] == b"started"
    assert exitcode == -signal.SIGKILL, f"exit code {exitcode}"


def _everything(url: str) -> tuple[dict[str, list[Any]], list[str]]:
    """Every stored aggregate of every kind, each loaded through a unit of work, and the
    problems found: a row whose ``version`` column is not its document's, a document that
    does not load or loads with another version."""
    store = ic.SqlStore(url)
    tables = metadata().tables
    loaded: dict[str, list[Any]] = {}
    problems: list[str] = []
    try:
        with store.engine.connect() as conn:
            rows = {
                spec.kind: conn.execute(
                    sa.select(
                        tables[spec.table].c.id,
                        tables[spec.table].c.version,
                        tables[spec.table].c.doc,
                    )
                ).all()
                for spec in SPECS
            }
        with store.unit_of_work(read_only=True) as uow:
            for spec in SPECS:
                repository = getattr(uow, spec.attribute)
                loaded[spec.kind] = []
                for id_, version, doc in rows[spec.kind]:
                    document = json.loads(doc) if isinstance(doc, str | bytes) else doc
                    if document.get("version") != version:
                        problems.append(
                            f"{spec.kind} {id_}: version column {version}, document {document.get('version')}"
                        )
                    try:
                        aggregate = repository.get(id_)
                    except ic.InflucampaignError as e:
                        problems.append(f"{spec.kind} {id_} does not load: {e}")
                        continue
                    if aggregate.version != version:
                        problems.append(f"{spec.kind} {id_} loads as version {aggregate.version}")
                    loaded[spec.kind].append(aggregate)
    finally:
        store.close()
    return loaded, problems


def _outbox(url: str) -> list[Any]:
    store = ic.SqlStore(url)
    try:
        return [m.event for m in store.outbox.all()]
    finally:
        store.close()


def _campaign(ws: ic.Workspace, **policies: Any) -> ic.Campaign:
    campaign = ws.campaigns.create(
        MANAGER,
        brand_id="acme",
        name="Printemps",
        kind="sales_tracking",
        mode="project",
        start=pendulum.datetime(2026, 3, 1, tz="Europe/Paris"),
        end=pendulum.datetime(2026, 6, 1, tz="Europe/Paris"),
        timezone="Europe/Paris",
        compensation=ic.Compensation(fee=ic.Money.of(150, "EUR")),
        policies=ic.CampaignPolicies(**policies),
    )
    ws.campaigns.start(MANAGER, campaign.id)
    return campaign


def _participation(ws: ic.Workspace, campaign: ic.Campaign, name: str) -> str:
    creator = ws.creators.register(MANAGER, name, audience={"instagram": ic.AudienceStats(9_000)})
    pid = ws.participations.add(MANAGER, campaign.id, creator.id).id
    ws.participations.confirm(MANAGER, pid)
    return pid


class TestSchedulerKilled:
    def test_a_scheduler_killed_midway_leaves_a_consistent_store_and_a_rerun_finishes_once(
        self, url: str
    ) -> None:
        """Killed in a pass over 20 due reminders: every document loads with its version, each
        done job has one event and one message and each pending one none, and a re-run does
        every remaining job once."""
        for trial in range(TRIALS):
            with ic.open(url, clock=ic.FrozenClock(T0)) as ws:
                campaign = _campaign(ws, reminders=ONE_REMINDER)
                pids = []
                for i in range(JOBS):
                    pid = _participation(ws, campaign, f"Lina {i}")
                    shipment = ws.shipments.create(MANAGER, pid, ITEMS).id
                    ws.shipments.ship(MANAGER, shipment, carrier="DHL")
                    ws.shipments.deliver(MANAGER, shipment)
                    pids.append(pid)
                before = {pid: len(ws.messages.thread(MANAGER, pid)) for pid in pids}

            _kill_midway(_schedule, (url,), f"scheduler-{url}-{trial}", JOBS // 2)

            done_before = self._check(url, campaign.id, before, pids)
            assert done_before < JOBS, "the pass ended before the kill"
            with ic.open(url, clock=ic.FrozenClock(REMINDER_AT)) as rerun:
                run = rerun.scheduler.run(SYSTEM)
            print(f"\nscheduler killed after {done_before}/{JOBS} jobs; the re-run did {run.done}")
            assert (run.done, run.failed) == (JOBS - done_before, ())
            assert self._check(url, campaign.id, before, pids) == JOBS

    @staticmethod
    def _check(url: str, campaign_id: str, before: dict[str, int], pids: list[str]) -> int:
        """Asserts the store is consistent; returns how many reminder jobs are done."""
        loaded, problems = _everything(url)
        assert problems == []
        jobs = [j for j in loaded["job"] if j.campaign_id == campaign_id]
        assert len(jobs) == JOBS
        sent = Counter(
            e.job_id
            for e in _outbox(url)
            if e.type == "PublicationReminderSent" and e.campaign_id == campaign_id
        )
        messages = Counter(m.participation_id for m in loaded["message"])
        for job in jobs:
            done = job.status is ic.JobStatus.DONE
            assert job.status in (ic.JobStatus.DONE, ic.JobStatus.PENDING)
            assert sent[job.id] == int(done), f"{job.id} {job.status.value}: {sent[job.id]} events"
            assert messages[job.subject_id] == before[job.subject_id] + int(done), job.subject_id
        assert sorted(j.subject_id for j in jobs) == sorted(pids)
        return sum(j.status is ic.JobStatus.DONE for j in jobs)


def _export(first: int, count: int) -> str:
    rows = [
        "Name,Financial Status,Currency,Subtotal,Total,Discount Code,Created at,Cancelled at,"
        "Refunded Amount,Note Attributes,Source,Lineitem name,Id"
    ]
    for n in range(first, first + count):
        rows.append(f"#{n},paid,USD,40.00,44.90,{CODE},2026-03-11 10:00:00 +0100,,,,web,Sérum,{n}")
    return "\n".join(rows) + "\n"


class TestImportKilled:
    def test_an_import_killed_midway_leaves_a_consistent_store_and_a_rerun_applies_the_rest_once(
        self, url: str
    ) -> None:
        """Killed while importing a 200-order export: every document loads with its version, each
        stored order has exactly one attribution event, and importing the export again stores
        every order with one attribution each, the ones already there unchanged."""
        with ic.open(url, clock=ic.FrozenClock(T0)) as ws:
            pid = _participation(ws, _campaign(ws), "Zoé")
            ws.codes.create(MANAGER, pid, code=CODE)
        for trial in range(TRIALS):
            first = 1_000_000 * (trial + 1)
            export = _export(first, ORDERS)
            externals = {str(n) for n in range(first, first + ORDERS)}

            _kill_midway(_import, (url, export), f"import-{url}-{trial}", ORDERS // 2)

            stored = self._check(url, externals)
            before = {o.id: o.attribution for o in stored}
            with ic.open(url, clock=ic.FrozenClock(T0), rates=ReportingRates(None)) as ws:
                results = ws.sales.apply_all(MANAGER, "acme", SHOP, read_orders_csv(export))
            print(
                f"\nimport killed with {len(stored)}/{ORDERS} orders stored; re-run applied the rest"
            )
            for result in results:
                if result.order_id in before:
                    assert result.status == "duplicate" or result.attribution is None, result
                else:
                    assert (result.status, result.attribution is not None) == ("applied", True)
            after = self._check(url, externals)
            assert len(after) == ORDERS
            assert all(o.participation_id == pid for o in after)
            assert {o.id: o.attribution for o in after if o.id in before} == before

    @staticmethod
    def _check(url: str, externals: set[str]) -> list[Any]:
        """Asserts the store is consistent; returns the orders of the export stored so far."""
        loaded, problems = _everything(url)
        assert problems == []
        orders = [o for o in loaded["order"] if o.external_id in externals]
        attributed = Counter(e.order_id for e in _outbox(url) if e.type == "OrderAttributed")
        for order in orders:
            assert order.placement is not None, order.id
            assert order.attribution is not None, order.id
            assert attributed[order.id] == 1, f"{order.id}: {attributed[order.id]} events"
        assert set(attributed) <= {o.id for o in loaded["order"]}, "an event for no order"
        return orders
