"""The table of requirement kinds the brief check iterates (:data:`REQUIREMENT_KINDS`).

A new kind: a :class:`~influcampaign.domain.brief.RequirementKind` member with its weight and
its switch in :class:`~influcampaign.domain.brief.BriefRequirements`, a subclass of
:class:`~influcampaign.rules.brief.requirement.Requirement` (in the module of its family, or
its own), and its line here. Nothing else changes: the check, the scan and the weights read
the table.
"""

from __future__ import annotations

from influcampaign.rules.brief.elements import (
    ContestLegal,
    ContestRules,
    Mandatory,
    ProductShown,
)
from influcampaign.rules.brief.labels import Disclosure, RetouchedLabel, VirtualLabel
from influcampaign.rules.brief.requirement import Requirement
from influcampaign.rules.brief.tags import Hashtag, Mention
from influcampaign.rules.brief.tracking import PromoCode, TrackedLink

__all__ = ["REQUIREMENT_KINDS"]

REQUIREMENT_KINDS: tuple[type[Requirement], ...] = (
    Hashtag,
    Mention,
    Disclosure,
    RetouchedLabel,
    VirtualLabel,
    PromoCode,
    TrackedLink,
    ContestRules,
    ContestLegal,
    ProductShown,
    Mandatory,
)
"""Every requirement kind, in the order a report lists their results."""
