"""The automatic brief check: from a caption (and its first comment and on-screen text), a
verdict per requirement with its reason, and a suggested compliance percentage.

One class per requirement kind (in :mod:`.tags`, :mod:`.labels`, :mod:`.tracking`,
:mod:`.elements`) derives its requirements from the brief, names what the scan must find and
explains its verdict; :class:`BriefCheck` iterates their table (:data:`REQUIREMENT_KINDS`,
in :mod:`.kinds`). A brief is compiled once into one regular expression (:mod:`.scan`) that
finds hashtags, @mentions and every phrase of interest in a single pass over a caption folded
for matching, so checking is fast enough to run on every submission and over a whole
campaign's back catalogue.
"""

from __future__ import annotations

from influcampaign.rules.brief.check import BriefCheck
from influcampaign.rules.brief.kinds import REQUIREMENT_KINDS
from influcampaign.rules.brief.requirement import Brief, Content, Requirement
from influcampaign.rules.brief.scan import MAX_TEXT, fold

__all__ = [
    "MAX_TEXT",
    "REQUIREMENT_KINDS",
    "Brief",
    "BriefCheck",
    "Content",
    "Requirement",
    "fold",
]
