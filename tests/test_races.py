"""Races between host processes: every cross-record invariant holds on SQLite and PostgreSQL
when several processes do the conflicting operation at the same moment.

Each test starts the same step in several spawned processes (not threads) held at a barrier,
each retrying what a retry may cure with ``ic.retry``, then checks the invariant from the
parent. The trial count follows the Hypothesis profile (``HYPOTHESIS_PROFILE``); run with
``-s`` to see the counts of trials, violations and retries.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterator
from multiprocessing.context import SpawnContext, SpawnProcess
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any, NamedTuple

import pendulum
import pytest

import influcampaign as ic
from influcampaign.adapters.shopify import parse_webhook
from influcampaign.domain.policies import ApplicationPolicy, ReminderPolicy
from influcampaign.domain.shipment import ShipmentItem
from tests.conftest import MANAGER, T0, postgres

TRIALS = {"dev": 3, "ci": 5, "long": 100}.get(os.environ.get("HYPOTHESIS_PROFILE", "dev"), 3)
"""Trials per invariant and backend: a few in dev and CI, many in the long profile."""

RACERS = 4
"""Processes taking part in each race (two cores make four overlap through the database)."""

RETRY_ATTEMPTS = 8
RETRY_BACKOFF = 0.02  # seconds, doubling: eight attempts wait about five seconds at most
SYSTEM = ic.SystemActor()
SHOP = "acme.myshopify.com"
ITEMS = [ShipmentItem("Seed kit", 1, ic.Money.of("19.95", "EUR"))]
ONE_REMINDER = ReminderPolicy(after_delivery_days=(3,))
REMINDER_AT = T0.add(days=3)


# -- the process side: top-level functions a spawned child can import --------------------


class Outcome(NamedTuple):
    """What one racer's step came to: ``ok`` or the exception's class, its text, and how many
    attempts ``ic.retry`` made."""

    kind: str
    detail: str
    attempts: int


Step = Callable[..., str]


def _attempt(ws: ic.Workspace, step: Step, args: tuple[Any, ...]) -> Outcome:
    attempts = 0

    def call() -> str:
        nonlocal attempts
        attempts += 1
        return step(ws, *args)

    try:
        value = ic.retry(call, attempts=RETRY_ATTEMPTS, backoff=RETRY_BACKOFF)
    except ic.InflucampaignError as e:
        return Outcome(type(e).__name__, str(e), attempts)
    except Exception as e:  # anything else reaching the host is a bug: report it, never hang
        return Outcome(f"unexpected {type(e).__module__}.{type(e).__name__}", str(e), attempts)
    return Outcome("ok", value, attempts)


def _serve(url: str, barrier: Barrier, tasks: Queue[Any], results: Queue[Any]) -> None:
    """A racer: one workspace on the store (random ids), doing each step it is sent at the
    same moment as the others, until it is sent None."""
    clock = ic.FrozenClock(T0)
    ws = ic.open(url, clock=clock, migrate=False)
    try:
        while (task := tasks.get()) is not None:
            step, args, at = task
            clock.set(at)
            barrier.wait(timeout=120)
            results.put(_attempt(ws, step, args))
    finally:
        ws.close()


def _idle(_ws: ic.Workspace) -> str:
    return "idle"


def _accept(ws: ic.Workspace, application_id: str) -> str:
    return ws.applications.accept(MANAGER, application_id, message="Bienvenue !").id


def _apply(ws: ic.Workspace, offer_id: str, creator_id: str) -> str:
    return ws.applications.apply(ic.CreatorUser(creator_id), offer_id, creator_id).id


def _add_participation(ws: ic.Workspace, campaign_id: str, creator_id: str) -> str:
    return ws.participations.add(MANAGER, campaign_id, creator_id).id


def _create_code(ws: ic.Workspace, participation_id: str, code: str | None) -> str:
    return ws.codes.create(MANAGER, participation_id, code=code, percent_off=15).code


def _deliver(ws: ic.Workspace, topic: str, payload: dict[str, Any], event_id: str) -> str:
    event = parse_webhook(topic, json.dumps(payload).encode(), event_id)
    return ws.sales.apply(MANAGER, "acme", SHOP, event).status


def _run_scheduler(ws: ic.Workspace) -> str:
    run = ws.scheduler.run(SYSTEM)
    return json.dumps({"done": run.done, "skipped": run.skipped, "failed": list(run.failed)})


# -- the parent side -----------------------------------------------------------------------


class Race:
    """``RACERS`` spawned processes with a workspace each on one store, and the parent's own
    workspace on it (to set up trials and check invariants)."""

    def __init__(self, backend: str, url: str) -> None:
        self.backend = backend
        self.clock = ic.FrozenClock(T0)
        self.ws = ic.open(url, clock=self.clock)  # migrates, before any racer opens
        context: SpawnContext = multiprocessing.get_context("spawn")
        self._barrier = context.Barrier(RACERS)
        self._tasks: list[Queue[Any]] = [context.Queue() for _ in range(RACERS)]
        self._results: list[Queue[Any]] = [context.Queue() for _ in range(RACERS)]
        self._processes: list[SpawnProcess] = [
            context.Process(
                target=_serve,
                args=(url, self._barrier, self._tasks[i], self._results[i]),
                daemon=True,
            )
            for i in range(RACERS)
        ]
        for process in self._processes:
            process.start()
        self.retries = Counter[str]()

    def run(
        self, name: str, *steps: tuple[Step, tuple[Any, ...]], at: pendulum.DateTime = T0
    ) -> list[Outcome]:
        """Start every step at once, one per racer (idle racers still meet at the barrier)."""
        assert len(steps) <= RACERS
        padded = [*steps, *[(_idle, ())] * (RACERS - len(steps))]
        for tasks, (step, args) in zip(self._tasks, padded, strict=True):
            tasks.put((step, args, at))
        outcomes = []
        for results, process in zip(self._results, self._processes, strict=True):
            try:
                outcomes.append(results.get(timeout=180))
            except Exception as e:
                raise AssertionError(
                    f"racer {process.pid} gave no answer (alive: {process.is_alive()})"
                ) from e
        self.retries[name] += sum(o.attempts - 1 for o in outcomes)
        return outcomes[: len(steps)]

    def close(self) -> None:
        for tasks in self._tasks:
            tasks.put(None)
        for process in self._processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()
            process.close()
        for queue in [*self._tasks, *self._results]:  # now, not whenever a traceback lets go
            queue.close()
            queue.join_thread()
        self.ws.close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def race(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Race]:
    """Racers on an SQLite file, then on a PostgreSQL database of their own."""
    backend = str(request.param)
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('races') / 'races.sqlite'}"
    else:
        url = postgres().fresh()
    racers = Race(backend, url)
    yield racers
    racers.close()


class Tally:
    """Violations found over the trials of one race, printed and asserted to be none."""

    def __init__(self, race: Race, name: str) -> None:
        self.race = race
        self.name = name
        self.trials = 0
        self.violations: list[str] = []

    def trial(self, problems: list[str]) -> None:
        self.trials += 1
        if problems:
            self.violations.append(f"trial {self.trials}: " + "; ".join(problems))

    def check(self) -> None:
        print(
            f"\nrace {self.name} [{self.race.backend}]: {self.trials} trials, "
            f"{len(self.violations)} violations, {self.race.retries[self.name]} retries"
        )
        assert self.trials == TRIALS
        assert self.violations == [], "\n".join(self.violations)


def _unexpected(outcomes: list[Outcome], allowed: set[str]) -> list[str]:
    return [f"{o.kind}: {o.detail}" for o in outcomes if o.kind not in allowed]


def _creator(ws: ic.Workspace, name: str, handle: str | None = None) -> ic.Creator:
    return ws.creators.register(
        MANAGER,
        name,
        handles={"instagram": handle} if handle else None,
        audience={"instagram": ic.AudienceStats(12_000)},
    )


def _campaign(ws: ic.Workspace, mode: str, **policies: Any) -> ic.Campaign:
    campaign = ws.campaigns.create(
        MANAGER,
        brand_id="acme",
        name="Printemps",
        kind="seeding",
        mode=mode,
        start=pendulum.datetime(2026, 3, 1, tz="Europe/Paris"),
        end=pendulum.datetime(2026, 6, 1, tz="Europe/Paris"),
        timezone="Europe/Paris",
        compensation=ic.Compensation(fee=ic.Money.of(150, "EUR")),
        policies=ic.CampaignPolicies(**policies),
    )
    if mode == "marketplace":
        ws.campaigns.open(MANAGER, campaign.id)
    else:
        ws.campaigns.start(MANAGER, campaign.id)
    return campaign


def _confirmed(ws: ic.Workspace, campaign: ic.Campaign, creator: ic.Creator) -> str:
    pid = ws.participations.add(MANAGER, campaign.id, creator.id).id
    ws.participations.confirm(MANAGER, pid)
    return pid


def _events(ws: ic.Workspace, type_: str) -> list[Any]:
    return [m.event for m in ws.store.outbox.all() if m.event.type == type_]


# -- the races -----------------------------------------------------------------------------


class TestAcceptedCap:
    def test_concurrent_accepts_never_exceed_the_cap(self, race: Race) -> None:
        """Four processes accept four applications to an offer capped at two: exactly two are
        accepted (with their participations) and the others get LimitReached."""
        cap = 2
        tally = Tally(race, "accepted-cap")
        for _ in range(TRIALS):
            ws = race.ws
            offer = _campaign(ws, "marketplace", applications=ApplicationPolicy(max_accepted=cap))
            applications = [
                _apply(ws, offer.id, _creator(ws, f"Créatrice {i}").id) for i in range(RACERS)
            ]
            outcomes = race.run("accepted-cap", *[(_accept, (a,)) for a in applications])
            accepted = ws.applications.list(MANAGER, offer.id, status="accepted")
            participations = ws.participations.list(MANAGER, offer.id)
            kinds = Counter(o.kind for o in outcomes)
            tally.trial(
                [
                    *_unexpected(outcomes, {"ok", "LimitReached"}),
                    *([f"{len(accepted)} accepted"] if len(accepted) != cap else []),
                    *(
                        [f"{len(participations)} participations"]
                        if len(participations) != cap
                        else []
                    ),
                    *([f"outcomes {dict(kinds)}"] if kinds["ok"] != cap else []),
                    *(
                        [f"{kinds['LimitReached']} LimitReached"]
                        if kinds["LimitReached"] != RACERS - cap
                        else []
                    ),
                ]
            )
        tally.check()


class TestOneLiveApplication:
    def test_the_same_creator_applying_at_once_leaves_one_live_application(
        self, race: Race
    ) -> None:
        """Four processes apply for the same creator to the same offer: one application is live
        (with one pending alert) and the others get AlreadyExists."""
        tally = Tally(race, "one-live-application")
        for _ in range(TRIALS):
            ws = race.ws
            offer = _campaign(ws, "marketplace")
            creator = _creator(ws, "Léa")
            outcomes = race.run(
                "one-live-application", *[(_apply, (offer.id, creator.id))] * RACERS
            )
            live = [
                a
                for a in ws.applications.list(MANAGER, offer.id)
                if a.status in (ic.ApplicationStatus.PENDING, ic.ApplicationStatus.ACCEPTED)
            ]
            submitted = [
                e for e in _events(ws, "ApplicationSubmitted") if e.campaign_id == offer.id
            ]
            ok = [o for o in outcomes if o.kind == "ok"]
            tally.trial(
                [
                    *_unexpected(outcomes, {"ok", "AlreadyExists"}),
                    *([f"{len(live)} live applications"] if len(live) != 1 else []),
                    *([f"{len(submitted)} ApplicationSubmitted"] if len(submitted) != 1 else []),
                    *([f"{len(ok)} applies succeeded"] if len(ok) != 1 else []),
                    *(
                        ["the live one is not the one answered"]
                        if len(ok) == 1 and len(live) == 1 and ok[0].detail != live[0].id
                        else []
                    ),
                ]
            )
        tally.check()


class TestOneParticipation:
    def test_adding_and_accepting_at_once_leave_one_participation(self, race: Race) -> None:
        """Two processes put a creator on the list while two accept its application: one
        participation, confirmed and linked to the application; one accept wins, the other
        finds it decided; an add succeeds only before the accept."""
        tally = Tally(race, "one-participation")
        for _ in range(TRIALS):
            ws = race.ws
            offer = _campaign(ws, "marketplace")
            creator = _creator(ws, "Inès")
            application = _apply(ws, offer.id, creator.id)
            outcomes = race.run(
                "one-participation",
                (_add_participation, (offer.id, creator.id)),
                (_add_participation, (offer.id, creator.id)),
                (_accept, (application,)),
                (_accept, (application,)),
            )
            adds, accepts = outcomes[:2], outcomes[2:]
            participations = ws.participations.list(MANAGER, offer.id)
            problems = [
                *_unexpected(adds, {"ok", "AlreadyExists"}),
                *_unexpected(accepts, {"ok", "InvalidTransition"}),
            ]
            if len(participations) != 1:
                problems.append(f"{len(participations)} participations")
            else:
                (p,) = participations
                if p.status is not ic.ParticipationStatus.CONFIRMED or p.application_id != (
                    application
                ):
                    problems.append(f"participation {p.status.value}, from {p.application_id}")
            if sorted(o.kind for o in accepts) != ["InvalidTransition", "ok"]:
                problems.append(f"accepts: {[o.kind for o in accepts]}")
            if sum(o.kind == "ok" for o in adds) > 1:
                problems.append("two adds succeeded")
            if ws.applications.get(MANAGER, application).status is not (
                ic.ApplicationStatus.ACCEPTED
            ):
                problems.append("the application is not accepted")
            tally.trial(problems)
        tally.check()


class TestPromoCodes:
    def test_the_same_code_in_any_case_is_created_once_per_brand(self, race: Race) -> None:
        """Four processes create one code in four spellings for four participations of the
        brand: one is created, the others are refused as already used."""
        tally = Tally(race, "promo-code-given")
        for trial in range(TRIALS):
            ws = race.ws
            campaign = _campaign(ws, "project")
            pids = [_confirmed(ws, campaign, _creator(ws, f"Nora {i}")) for i in range(RACERS)]
            spellings = [f"SPRING{trial}X", f"spring{trial}x", f"Spring{trial}X", f"sPrInG{trial}x"]
            outcomes = race.run(
                "promo-code-given",
                *[(_create_code, (pid, code)) for pid, code in zip(pids, spellings, strict=True)],
            )
            stored = list(ws.codes.list(MANAGER, campaign.id))
            found = ws.codes.lookup(MANAGER, "acme", f"SPRING{trial}X")
            problems = _unexpected(outcomes, {"ok", "ValidationError"})
            problems += [
                f"refused otherwise: {o.detail}"
                for o in outcomes
                if o.kind == "ValidationError" and "already used" not in o.detail
            ]
            if len(stored) != 1 or sum(o.kind == "ok" for o in outcomes) != 1:
                problems.append(
                    f"{len(stored)} codes stored, outcomes {[o.kind for o in outcomes]}"
                )
            if found is None or (stored and found.id != stored[0].id):
                problems.append("lookup does not find the one stored code")
            tally.trial(problems)
        tally.check()

    def test_codes_from_one_pattern_get_distinct_suffixes(self, race: Race) -> None:
        """Four processes make a code from the same pattern for one creator in four campaigns
        of the brand: all four are created, distinct case-insensitively, one without suffix."""
        tally = Tally(race, "promo-code-pattern")
        for trial in range(TRIALS):
            ws = race.ws
            handle = f"emma.glow{trial}{race.backend}"
            creator = _creator(ws, "Emma", handle)
            pids = [_confirmed(ws, _campaign(ws, "project"), creator) for _ in range(RACERS)]
            outcomes = race.run(
                "promo-code-pattern", *[(_create_code, (pid, None)) for pid in pids]
            )
            codes = [o.detail for o in outcomes if o.kind == "ok"]
            base = f"EMMAGLOW{trial}{race.backend.upper()}15"
            problems = _unexpected(outcomes, {"ok"})
            if len({c.upper() for c in codes}) != RACERS:
                problems.append(f"codes {codes}")
            if base not in codes:
                problems.append(f"no {base} in {codes}")
            for code in codes:
                found = ws.codes.lookup(MANAGER, "acme", code)
                if found is None or found.creator_id != creator.id:
                    problems.append(f"{code} not stored for the creator")
            tally.trial(problems)
        tally.check()


def _order_payload(number: int, code: str, *, paid: bool = False) -> dict[str, Any]:
    return {
        "id": number,
        "name": f"#{number}",
        "created_at": "2026-03-10T14:00:00+01:00",
        "updated_at": "2026-03-10T15:00:00+01:00" if paid else "2026-03-10T14:00:00+01:00",
        "financial_status": "paid" if paid else "pending",
        "currency": "EUR",
        "subtotal_price": "100.00",
        "total_price": "108.00",
        "discount_codes": [{"code": code, "amount": "15.00", "type": "percentage"}],
        "landing_site": None,
        "note_attributes": [],
        "source_name": "web",
    }


def _refund_payload(number: int) -> dict[str, Any]:
    return {
        "id": number * 10,
        "order_id": number,
        "created_at": "2026-03-12T10:00:00+01:00",
        "transactions": [
            {"kind": "refund", "status": "success", "amount": "25.00", "currency": "EUR"}
        ],
    }


class TestOrders:
    def test_webhooks_of_one_order_at_once_make_one_merged_order(self, race: Race) -> None:
        """orders/create twice (a retry), orders/paid and refunds/create of one order at once:
        one order, credited once, with its refund; every delivery answers applied or duplicate,
        and only the retry is a duplicate."""
        tally = Tally(race, "one-order")
        ws = race.ws
        campaign = _campaign(ws, "project")
        pid = _confirmed(ws, campaign, _creator(ws, "Zoé"))
        code = f"ZOE{race.backend.upper()}"
        ws.codes.create(MANAGER, pid, code=code)
        for trial in range(TRIALS):
            number = 5_000_000 + trial
            create = _order_payload(number, code)
            outcomes = race.run(
                "one-order",
                (_deliver, ("orders/create", create, f"create-{number}")),
                (_deliver, ("orders/create", create, f"create-{number}")),
                (
                    _deliver,
                    ("orders/paid", _order_payload(number, code, paid=True), f"paid-{number}"),
                ),
                (_deliver, ("refunds/create", _refund_payload(number), f"refund-{number}")),
            )
            problems = _unexpected(outcomes, {"ok"})
            answers = [o.detail for o in outcomes]
            if problems == [] and (
                sorted(answers[:2]) != ["applied", "duplicate"] or answers[2:] != ["applied"] * 2
            ):
                problems.append(f"answers {answers}")
            with ws.store.unit_of_work(read_only=True) as uow:
                orders = [
                    o for o in uow.orders.find(brand_id="acme") if o.external_id == str(number)
                ]
            if len(orders) != 1:
                problems.append(f"{len(orders)} orders")
            else:
                (order,) = orders
                if order.placement is None or order.participation_id != pid:
                    problems.append(
                        f"order placed {order.placement is not None}, credited to {order.participation_id}"
                    )
                if [r.id for r in order.refunds] != [str(number * 10)]:
                    problems.append(f"refunds {[r.id for r in order.refunds]}")
                attributed = [e for e in _events(ws, "OrderAttributed") if e.order_id == order.id]
                refunded = [e for e in _events(ws, "OrderRefunded") if e.order_id == order.id]
                if (len(attributed), len(refunded)) != (1, 1):
                    problems.append(
                        f"{len(attributed)} OrderAttributed, {len(refunded)} OrderRefunded"
                    )
            tally.trial(problems)
        tally.check()


class TestScheduler:
    def test_schedulers_in_four_processes_do_each_due_job_once(self, race: Race) -> None:
        """Four schedulers run at once over six due publication reminders: each job is done
        once, with one reminder event and one reminder message, and none fails."""
        jobs = 6
        tally = Tally(race, "scheduler")
        for _ in range(TRIALS):
            ws = race.ws
            race.clock.set(REMINDER_AT)
            ws.scheduler.run(SYSTEM)  # what earlier races left due: only this trial's jobs remain
            race.clock.set(T0)
            campaign = _campaign(ws, "project", reminders=ONE_REMINDER)
            pids = []
            for i in range(jobs):
                pid = _confirmed(ws, campaign, _creator(ws, f"Lina {i}"))
                shipment = ws.shipments.create(MANAGER, pid, ITEMS).id
                ws.shipments.ship(MANAGER, shipment, carrier="DHL")
                ws.shipments.deliver(MANAGER, shipment)
                pids.append(pid)
            before = {pid: len(ws.messages.thread(MANAGER, pid)) for pid in pids}
            outcomes = race.run("scheduler", *[(_run_scheduler, ())] * RACERS, at=REMINDER_AT)
            problems = _unexpected(outcomes, {"ok"})
            runs = [json.loads(o.detail) for o in outcomes if o.kind == "ok"]
            if sum(r["done"] for r in runs) != jobs:
                problems.append(f"runs {runs}")
            problems += [f"failed {r['failed']}" for r in runs if r["failed"]]
            sent = Counter(
                e.participation_id
                for e in _events(ws, "PublicationReminderSent")
                if e.campaign_id == campaign.id
            )
            for pid in pids:
                after = len(ws.messages.thread(MANAGER, pid))
                if sent[pid] != 1 or after != before[pid] + 1:
                    problems.append(f"{pid}: {sent[pid]} reminders, {after - before[pid]} messages")
                if ws.scheduler.pending(SYSTEM, subject_id=pid) != []:
                    problems.append(f"{pid}: a job is left pending")
            tally.trial(problems)
        tally.check()
