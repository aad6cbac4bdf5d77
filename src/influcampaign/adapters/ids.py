"""Id generators: random (the default) and sequential (deterministic, for tests and demos)."""

from __future__ import annotations

import itertools
import threading
import uuid

__all__ = ["RandomIds", "SequentialIds"]


class RandomIds:
    """Ids such as ``cre_1f0c…``: a prefix and 128 random bits."""

    def new(self, prefix: str) -> str:
        """A new random id."""
        return f"{prefix}_{uuid.uuid4().hex}"


class SequentialIds:
    """Ids such as ``cre_0001``, counted per prefix; thread-safe."""

    def __init__(self) -> None:
        self._counters: dict[str, itertools.count[int]] = {}
        self._lock = threading.Lock()

    def new(self, prefix: str) -> str:
        """The next id for ``prefix``."""
        with self._lock:
            counter = self._counters.setdefault(prefix, itertools.count(1))
            return f"{prefix}_{next(counter):04d}"
