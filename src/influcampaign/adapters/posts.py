"""Post sources: a feed held in memory, and a JSON Lines file in the shape of the platforms'
media objects (see ``docs/capture.md``). Each bad line is reported with its number; the
others are read all the same."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from influcampaign.domain.capture import CapturedPost, FeedProblem, parse_feed_item
from influcampaign.errors import ValidationError

__all__ = ["JsonLinesPostSource", "MemoryPostSource", "read_feed_line"]


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


def read_feed_line(line: int, item: Any) -> CapturedPost | FeedProblem:
    """One feed object (a mapping, or a CapturedPost already) as a post, or the problem of
    line ``line``."""
    if isinstance(item, CapturedPost):
        return item if item.line else attrs.evolve(item, line=line)
    try:
        return parse_feed_item(item, line)
    except ValidationError as error:
        return FeedProblem(line, error.field, _shown(error.value), error.reason)


class MemoryPostSource:
    """A feed held in memory: posts, or raw feed objects (mappings in the documented shape)
    read as the file adapter reads its lines. ``add`` appends to it."""

    def __init__(self, items: Iterable[CapturedPost | Mapping[str, Any]] = ()) -> None:
        self.items: list[CapturedPost | Mapping[str, Any]] = list(items)

    def __repr__(self) -> str:
        return f"MemoryPostSource({len(self.items)} items)"

    def add(self, *items: CapturedPost | Mapping[str, Any]) -> None:
        """Append posts (or feed objects) to the feed."""
        self.items.extend(items)

    def posts(self) -> Iterator[CapturedPost | FeedProblem]:
        """The feed, in order, a bad object reported with its position (from 1)."""
        for line, item in enumerate(list(self.items), start=1):
            yield read_feed_line(line, item)


class JsonLinesPostSource:
    """A JSON Lines file, one media object per line (UTF-8). A line that is not JSON, or
    whose object lacks an id, has a naive time or an unknown platform, is reported with its
    number; blank lines are skipped (and counted)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"JsonLinesPostSource({str(self.path)!r})"

    def posts(self) -> Iterator[CapturedPost | FeedProblem]:
        """The file's posts, in order; a missing file is a ValidationError naming it."""
        try:
            handle = self.path.open(encoding="utf-8", errors="replace")
        except OSError as e:
            raise ValidationError("path", str(self.path), f"cannot be read ({e.strerror})") from e
        with handle:
            for line, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    item = json.loads(text)
                except json.JSONDecodeError as e:
                    yield FeedProblem(line, "line", _shown(text.strip()), f"is not JSON ({e.msg})")
                    continue
                yield read_feed_line(line, item)
