"""The two loops a host runs beside its web processes: the scheduler and the outbox relay.

Both are safe to run in several processes at once: the scheduler applies each due action
exactly once, and outbox delivery is at least once, with a stable id per message for the
receiver to de-duplicate on. Run them as their own processes (``python -m
fastapi_host.workers scheduler``), or as threads of the web process for a small site.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable

import influcampaign as ic

log = logging.getLogger("fastapi_host")
SCHEDULER = ic.SystemActor("scheduler")


def scheduler_tick(ws: ic.Workspace) -> ic.SchedulerRun:
    """One scheduler pass: reminders, auto-validations and alerts due now. A job that
    failed stays pending and is tried again on the next pass."""
    run = ws.scheduler.run(SCHEDULER)
    for job_id, error in run.failed:
        log.warning("job %s failed, retried on the next pass: %s", job_id, error)
    return run


def outbox_tick(
    store: ic.Store, send: Callable[[ic.OutboxMessage], None], *, batch: int = 100
) -> int:
    """Deliver pending outbox messages with ``send`` (a queue, an e-mail, a push), oldest
    first; each one sent is marked delivered. If ``send`` raises, the messages before it
    are marked and the failed one comes again next time (at least once). Returns how many
    were delivered."""
    delivered: list[str] = []
    try:
        for message in store.outbox.pending(limit=batch):
            send(message)
            delivered.append(message.id)
    finally:
        if delivered:
            store.outbox.mark_delivered(delivered)
    return len(delivered)


def every(seconds: float, tick: Callable[[], object], stop: threading.Event) -> None:
    """Call ``tick`` every ``seconds`` until ``stop`` is set; an error is logged and the
    loop goes on (a busy database, a down mail server). Transient errors cure themselves."""
    while not stop.is_set():
        try:
            tick()
        except Exception:
            log.exception("worker tick failed; trying again in %s s", seconds)
        stop.wait(seconds)


def main(argv: list[str]) -> None:  # pragma: no cover - a process entry point
    """``python -m fastapi_host.workers scheduler|outbox [URL]``."""
    import os

    which = argv[0] if argv else "scheduler"
    url = (
        argv[1] if len(argv) > 1 else os.environ.get("INFLUCAMPAIGN_URL", "sqlite:///campaigns.db")
    )
    ws = ic.open(url)
    stop = threading.Event()
    if which == "scheduler":
        every(30, lambda: scheduler_tick(ws), stop)
    else:
        every(2, lambda: outbox_tick(ws.store, lambda m: print(m.id, m.event.type)), stop)


if __name__ == "__main__":  # pragma: no cover
    logging.basicConfig(level=logging.INFO)
    main(sys.argv[1:])
