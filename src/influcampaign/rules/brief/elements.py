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
from influcampaign.rules.brief.scan import CAPTION, Label, first
from influcampaign.rules.contest_frames import ContestFrame, LegalMention

__all__ = ["ContestLegal", "ContestRules", "Mandatory", "ProductShown"]

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
        """One when the campaign is a contest (or the brief says so); citing the rules
        document's address (without its scheme) counts too."""
        if not brief.contest:
            return []
        words = list(_CONTEST_RULES)
        if brief.rules_url:
            words.append(_bare_url(brief.rules_url))
        return [cls(label="contest rules", labels=Label.all(words))]

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


def _bare_url(url: str) -> str:
    """``'https://www.x.fr/reglement/'`` → ``'x.fr/reglement'``: the address as people cite it."""
    text = url.split("://", 1)[-1].removeprefix("www.")
    return text.rstrip("/")


@attrs.frozen(kw_only=True)
class ContestLegal(Requirement):
    """A mention the legal frame of a contest's jurisdiction requires («sans obligation
    d'achat», "void where prohibited", the closing date upfront …), one per mention."""

    kind = RequirementKind.CONTEST_LEGAL
    frame: ContestFrame
    mention: LegalMention
    phrases: tuple[Label, ...]

    @classmethod
    def derive(cls, brief: Brief) -> Sequence[Self]:
        """One per mention of each frame the brief carries."""
        return [
            cls(
                label=f"{m.label} ({f.jurisdiction.value})",
                frame=f,
                mention=m,
                phrases=Label.all(m.phrases),
            )
            for f in brief.frames
            for m in f.mentions
        ]

    @property
    def wanted(self) -> Sequence[Label]:
        """The mention's phrases."""
        return self.phrases

    def check(self, content: Content) -> RequirementResult:
        """Found (upfront in the caption when the frame wants it there), or why not."""
        if self.mention.upfront:
            limit = self.frame.upfront_chars
            for label in self.phrases:
                positions = content.caption.positions(label)
                if positions and positions[0][0] < limit:
                    return self.result(FOUND, f"upfront in the {CAPTION}", CAPTION, label.shown)
            found = first(self.phrases, content.everywhere)
            if found is not None:
                return self.result(
                    MISSING,
                    f"'{found.label.shown}' is not upfront: {self.frame.name} wants it in the "
                    f"first {limit} characters of the caption",
                    "",
                    found.label.shown,
                )
        else:
            found = first(self.phrases, content.everywhere)
            if found is not None:
                return self.result(FOUND, f"in the {found.place}", found.place, found.label.shown)
        wanted = " / ".join(label.shown for label in self.phrases)
        return self.result(MISSING, f"{self.frame.name} requires one of: {wanted}")
