"""Storage throughput: aggregate writes and reads per second, per backend (memory, SQLite,
PostgreSQL) and number of host processes (1 and 4).

Each write is one unit of work adding one creator (as a service call would); reads load
creators by id inside read-only units of work, in batches of 100. With 4 processes, each
spawned process writes then reads its own share of the creators, all starting at a barrier;
the figure is all their operations over the slowest process's time. The memory store is not
shared between processes: with 4, each has its own (an upper bound, not a shared store).
PostgreSQL is measured when ``INFLUCAMPAIGN_TEST_PG_URL`` names a server
(``python scripts/with_postgres.py -- python benchmarks/bench_storage.py``).
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa
from _common import parse_args, report

import influcampaign as ic

PROCESSES = (1, 4)


def creators(ids: list[str]) -> list[ic.Creator]:
    return [
        ic.Creator(
            id=id_,
            display_name=f"Creator {i}",
            handles={"instagram": f"c{id_}"},
            audience={"instagram": ic.AudienceStats(followers=1_000 + i, engagement_rate=0.03)},
            themes=frozenset({"food", "travel"}),
            country="FR",
        )
        for i, id_ in enumerate(ids)
    ]


def open_store(url: str | None) -> ic.Store:
    if url is None:
        return ic.MemoryStore()
    store = ic.SqlStore(url)
    store.migrate()
    return store


def write_then_read(store: ic.Store, ids: list[str]) -> tuple[float, float]:
    """Seconds to add ``ids`` one unit of work each, and to read them back by 100s."""
    batch = creators(ids)
    start = time.perf_counter()
    for creator in batch:
        with store.unit_of_work() as uow:
            uow.creators.add(creator)
            uow.commit()
    written = time.perf_counter()
    found = 0
    for first in range(0, len(ids), 100):
        with store.unit_of_work(read_only=True) as uow:
            found += sum(1 for i in ids[first : first + 100] if uow.creators.get(i))
    read = time.perf_counter()
    assert found == len(ids), "every written creator must read back"
    return written - start, read - written


def worker(url: str | None, index: int, share: int, repeats: int, barrier: Any, out: Any) -> None:
    """One host process: for each repeat, meet the others at the barrier, then write and read."""
    store = open_store(url)
    for repeat in range(repeats):
        ids = [f"cre_p{index}_r{repeat}_{i}" for i in range(share)]
        barrier.wait()
        out.put((repeat, *write_then_read(store, ids)))
    store.close()


def measure(url: str | None, processes: int, n: int, repeats: int) -> tuple[float, float]:
    """Writes and reads per second of ``processes`` processes sharing ``n`` creators (median
    of ``repeats``): all their operations over the slowest process's time."""
    share = n // processes
    if processes == 1:  # in this process: nothing to synchronise
        store = open_store(url)
        runs = [write_then_read(store, [f"cre_r{r}_{i}" for i in range(n)]) for r in range(repeats)]
        store.close()
        return statistics.median(n / w for w, _ in runs), statistics.median(n / r for _, r in runs)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    out = context.Queue()
    children = [
        context.Process(target=worker, args=(url, i, share, repeats, barrier, out))
        for i in range(processes)
    ]
    for child in children:
        child.start()
    times: dict[int, list[tuple[float, float]]] = {r: [] for r in range(repeats)}
    for _ in range(processes * repeats):
        repeat, write_s, read_s = out.get(timeout=600)
        times[repeat].append((write_s, read_s))
    for child in children:
        child.join()
        assert child.exitcode == 0, f"a worker failed with exit code {child.exitcode}"
    total = share * processes
    writes = statistics.median(total / max(w for w, _ in t) for t in times.values())
    reads = statistics.median(total / max(r for _, r in t) for t in times.values())
    return writes, reads


class Postgres:
    """A database of its own on the server ``INFLUCAMPAIGN_TEST_PG_URL`` names, dropped after."""

    def __init__(self, server: str) -> None:
        self.server = sa.make_url(server)
        self.admin = sa.create_engine(
            self.server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
        )
        self.names: list[str] = []

    def fresh(self) -> str:
        name = f"ic_bench_{os.getpid()}_{len(self.names)}"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        self.names.append(name)
        return self.server.set(database=name).render_as_string(hide_password=False)

    def drop(self) -> None:
        with self.admin.connect() as conn:
            for name in self.names:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()


def main() -> None:
    args = parse_args(__doc__ or "")
    n = 200 if args.quick else 2_000
    repeats = min(args.repeats, 3) if args.quick else args.repeats
    directory = Path(tempfile.mkdtemp(prefix="ic-bench-storage-"))
    server = os.environ.get("INFLUCAMPAIGN_TEST_PG_URL")
    postgres = Postgres(server) if server else None
    files = iter(range(1_000))

    def url(backend: str) -> str | None:
        if backend == "memory":
            return None
        if backend == "sqlite":
            return f"sqlite:///{directory / f'{next(files)}.sqlite'}"
        assert postgres is not None
        return postgres.fresh()

    backends = ["memory", "sqlite"]
    if postgres is None:
        print(
            "postgresql: not measured (no INFLUCAMPAIGN_TEST_PG_URL; run through with_postgres.py)"
        )
    else:
        backends.append("postgresql")
    figures: dict[str, dict[str, dict[str, float]]] = {"writes_per_s": {}, "reads_per_s": {}}
    print(f"{n:,} creators per measure, median of {repeats}; one unit of work per write")
    try:
        for backend in backends:
            for processes in PROCESSES:
                writes, reads = measure(url(backend), processes, n, repeats)
                figures["writes_per_s"].setdefault(backend, {})[str(processes)] = round(writes, 1)
                figures["reads_per_s"].setdefault(backend, {})[str(processes)] = round(reads, 1)
                note = " (a store per process)" if backend == "memory" and processes > 1 else ""
                print(
                    f"{backend:<10} {processes} process{'es' if processes > 1 else '  '}"
                    f" {writes:>10,.0f} writes/s {reads:>10,.0f} reads/s{note}"
                )
    finally:
        if postgres is not None:
            postgres.drop()
    report(
        {
            "benchmark": "storage",
            "size": {"creators": n, "processes": list(PROCESSES), "repeats": repeats},
            "baseline": None,
            "postgresql": "measured" if postgres is not None else "not available",
            **figures,
        }
    )


if __name__ == "__main__":
    main()
