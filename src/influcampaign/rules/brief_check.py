"""The automatic brief check, kept for imports: it lives in :mod:`influcampaign.rules.brief`."""

from __future__ import annotations

from influcampaign.rules.brief import MAX_TEXT, BriefCheck, fold

__all__ = ["MAX_TEXT", "BriefCheck", "fold"]
