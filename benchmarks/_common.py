"""Shared helpers for the benchmark scripts (see ../shared BENCHMARKS.md for the convention)."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any


def parse_args(description: str) -> argparse.Namespace:
    """``--quick`` for a smaller size that finishes in seconds."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="small size, for smoke runs")
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats (median reported)")
    return parser.parse_args()


def median_time(run: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Median wall time of ``repeats`` runs, and the last run's result."""
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def report(figures: dict[str, Any]) -> None:
    """Print the one JSON line that ends every benchmark."""
    print(json.dumps(figures, sort_keys=False))
