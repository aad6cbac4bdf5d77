"""A small retry helper for hosts: run a use case again when a retry may cure its failure."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from influcampaign.errors import TransientError, ValidationError

__all__ = ["retry"]

T = TypeVar("T")


def retry(
    call: Callable[[], T],
    *,
    attempts: int = 5,
    backoff: float = 0.05,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``call()``, run again (up to ``attempts`` times in all) while it raises a
    :class:`~influcampaign.TransientError`: a concurrent writer won, or the database was busy.

    A use case that raises has written nothing, so running it again is safe; it re-reads
    the state and decides again (an offer full meanwhile raises ``LimitReached``). Waits
    grow exponentially from ``backoff`` seconds, with jitter so that competitors spread out.
    The last error is raised when every attempt failed; other errors are raised at once.

    >>> import influcampaign as ic
    >>> tries = []
    >>> def flaky() -> str:
    ...     tries.append(1)
    ...     if len(tries) < 3:
    ...         raise ic.ConcurrencyConflict("campaign", "cmp_1", 1, 2)
    ...     return "done"
    >>> ic.retry(flaky, sleep=lambda s: None), len(tries)
    ('done', 3)
    """
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
        raise ValidationError("attempts", attempts, "must be a whole number ≥ 1")
    if not isinstance(backoff, int | float) or backoff < 0:
        raise ValidationError("backoff", backoff, "must be a number of seconds ≥ 0")
    for attempt in range(attempts):
        try:
            return call()
        except TransientError:
            if attempt == attempts - 1:
                raise
            sleep(backoff * (2**attempt) * (0.5 + random.random()))  # noqa: S311 - jitter, not security
    raise AssertionError("unreachable")  # pragma: no cover
