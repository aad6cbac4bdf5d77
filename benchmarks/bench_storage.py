"""Storage throughput: aggregate writes and reads per second, per backend (memory, SQLite).

Each write is one unit of work adding one creator (as a service call would); reads load
creators by id inside read-only units of work, in batches of 100.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import median_time, parse_args, report

import influcampaign as ic


def creators(n: int, offset: int) -> list[ic.Creator]:
    return [
        ic.Creator(
            id=f"cre_{offset + i}",
            display_name=f"Creator {i}",
            handles={"instagram": f"c{offset + i}"},
            audience={"instagram": ic.AudienceStats(followers=1_000 + i, engagement_rate=0.03)},
            themes=frozenset({"food", "travel"}),
            country="FR",
        )
        for i in range(n)
    ]


def measure(make_store, n: int, repeats: int) -> tuple[float, float]:
    store = make_store()
    offset = 0

    def write() -> None:
        nonlocal offset
        for creator in creators(n, offset):
            with store.unit_of_work() as uow:
                uow.creators.add(creator)
                uow.commit()
        offset += n

    write_s, _ = median_time(write, repeats)
    ids = [f"cre_{i}" for i in range(n)]

    def read() -> int:
        found = 0
        for start in range(0, n, 100):
            with store.unit_of_work(read_only=True) as uow:
                found += sum(1 for i in ids[start : start + 100] if uow.creators.get(i))
        return found

    read_s, found = median_time(read, repeats)
    assert found == n, "every written creator must read back"
    store.close()
    return n / write_s, n / read_s


def main() -> None:
    args = parse_args(__doc__ or "")
    n = 200 if args.quick else 2_000
    directory = Path(tempfile.mkdtemp(prefix="ic-bench-storage-"))
    counter = iter(range(1000))

    def sqlite() -> ic.SqlStore:
        store = ic.SqlStore(f"sqlite:///{directory / f'{next(counter)}.sqlite'}")
        store.migrate()
        return store

    figures: dict[str, dict[str, float]] = {"writes_per_s": {}, "reads_per_s": {}}
    for name, make in (("memory", ic.MemoryStore), ("sqlite", sqlite)):
        writes, reads = measure(make, n, args.repeats)
        figures["writes_per_s"][name] = round(writes, 1)
        figures["reads_per_s"][name] = round(reads, 1)
        print(
            f"{name:<7} {writes:>10,.0f} writes/s (one unit of work each)   {reads:>10,.0f} reads/s"
        )
    report({"benchmark": "storage", "size": {"creators": n}, **figures})


if __name__ == "__main__":
    main()
