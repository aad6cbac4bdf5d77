"""What a contest gathered, per creator: entries, eligible entries and reach (values)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

import attrs

from influcampaign.domain.contest import ContestEntry, EntryStatus

__all__ = ["ContestReport", "ContestReportLine"]


@attrs.frozen
class ContestReportLine:
    """One creator's share of a contest: the entries that came through their posts, how many
    count, and the reach of their contest posts (None: not reported)."""

    creator_id: str
    creator_name: str
    entries: int
    eligible: int
    reach: int | None

    @property
    def entries_per_thousand_reach(self) -> Decimal | None:
        """Entries per 1,000 people reached (None without reach)."""
        if not self.reach:
            return None
        rate = Decimal(self.entries) * 1000 / Decimal(self.reach)
        return rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@attrs.frozen
class ContestReport:
    """A contest's entries per creator (best first), those through no known creator, and the
    rejections counted by reason."""

    contest_id: str
    lines: tuple[ContestReportLine, ...]
    unattributed: int
    rejected: Mapping[str, int]

    @property
    def entries(self) -> int:
        """Every entry received."""
        return sum(line.entries for line in self.lines) + self.unattributed

    @property
    def eligible(self) -> int:
        """Entries that count in the draw."""
        return self.entries - sum(self.rejected.values())

    @classmethod
    def of(
        cls,
        contest_id: str,
        entries: Iterable[ContestEntry],
        names: Mapping[str, str],
        reach: Mapping[str, int | None],
    ) -> ContestReport:
        """The report of ``entries``; ``names`` and ``reach`` are per creator id (every
        creator of the campaign has a line, even without entries)."""
        counts = {creator: [0, 0] for creator in names}
        unattributed = 0
        rejected: dict[str, int] = {}
        for entry in entries:
            if entry.status is EntryStatus.REJECTED and entry.reason is not None:
                rejected[entry.reason.value] = rejected.get(entry.reason.value, 0) + 1
            creator = entry.creator_id
            if creator is None or creator not in counts:
                unattributed += 1
                continue
            counts[creator][0] += 1
            counts[creator][1] += entry.status is EntryStatus.ELIGIBLE
        lines = [
            ContestReportLine(creator, names[creator], total, eligible, reach.get(creator))
            for creator, (total, eligible) in counts.items()
        ]
        lines.sort(key=lambda line: (-line.entries, line.creator_name, line.creator_id))
        return cls(contest_id, tuple(lines), unattributed, dict(sorted(rejected.items())))
