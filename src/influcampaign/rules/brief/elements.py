"""The kinds the brief adds: contest rules, the product shown, free-form mandatory elements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

import attrs

from influcampaign.domain.brief import MandatoryElement, RequirementKind, RequirementResult
from influcampaign.rules.brief.requirement import (
    FOUND,
    MISSING,
    REVIEW,
    Brief,
    Content,
    Requirement,
)
from influcampaign.rules.brief.scan import Label, first

__all__ = ["ContestRules", "Mandatory", "ProductShown"]

_CONTEST_RULES = (
    "règlement",
    "reglement",
    "conditions",
    "rules",
    "terms",
    "t&c",
    "t&cs",
    "terms and conditions",
    "cgu",
)


@attrs.frozen(kw_only=True)
class ContestRules(Requirement):
    """A contest refers to its rules («règlement», "T&Cs" …)."""

    kind = RequirementKind.CONTEST_RULES
    labels: tuple[Label, ...]

    @classmethod
    def derive(cls, brief: Brief) -> Sequence[Self]:
        """One when the campaign is a contest (or the brief says so)."""
        if not brief.contest:
            return []
        return [cls(label="contest rules", labels=Label.all(_CONTEST_RULES))]

    @property
    def wanted(self) -> Sequence[Label]:
        """The words that refer to the rules."""
        return self.labels

    def check(self, content: Content) -> RequirementResult:
        """Found anywhere, or missing."""
        found = first(self.labels, content.everywhere)
        if found is None:
            return self.result(MISSING, "the contest rules are not referred to")
        return self.result(FOUND, f"in the {found.place}", found.place, found.label.shown)


@attrs.frozen(kw_only=True)
class ProductShown(Requirement):
    """The product is shown: always a person's check."""

    kind = RequirementKind.PRODUCT_SHOWN

    @classmethod
    def derive(cls, brief: Brief) -> Sequence[Self]:
        """One when the brief asks for it."""
        return [cls(label="product shown")] if brief.requirements.product_shown else []

    def check(self, content: Content) -> RequirementResult:
        """Needs review."""
        return self.result(REVIEW, "a person checks that the product is shown")


@attrs.frozen(kw_only=True)
class Mandatory(Requirement):
    """A free-form element of the brief: any of its phrases, or a person's check."""

    kind = RequirementKind.MANDATORY
    element: MandatoryElement
    phrases: tuple[Label, ...]

    @classmethod
    def derive(cls, brief: Brief) -> Sequence[Self]:
        """One per mandatory element."""
        return [
            cls(label=e.label, element=e, phrases=Label.all(e.match))
            for e in brief.requirements.mandatory
        ]

    @property
    def wanted(self) -> Sequence[Label]:
        """The element's phrases."""
        return self.phrases

    def check(self, content: Content) -> RequirementResult:
        """Found anywhere, missing, or a person's check when it has no phrase."""
        if not self.phrases:
            return self.result(REVIEW, "a person checks this element")
        found = first(self.phrases, content.everywhere)
        if found is None:
            wanted = " / ".join(label.shown for label in self.phrases)
            return self.result(MISSING, f"none of: {wanted}")
        return self.result(FOUND, f"in the {found.place}", found.place, found.label.shown)
