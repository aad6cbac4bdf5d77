"""The kinds the creator is given: a promo code and a tracked link of their own."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Self

import attrs

from influcampaign.domain.brief import RequirementKind, RequirementResult
from influcampaign.domain.deliverable import ContentFormat
from influcampaign.rules.brief.requirement import (
    FOUND,
    MISSING,
    REVIEW,
    Brief,
    Content,
    Requirement,
)
from influcampaign.rules.brief.scan import Label, first, fold

__all__ = ["PromoCode", "TrackedLink"]

_LINK_IN_BIO = (
    "link in bio",
    "link in my bio",
    "link in description",
    "swipe up",
    "lien en bio",
    "lien dans ma bio",
    "lien dans la bio",
    "lien en description",
)
_SCHEME = re.compile(r"^(https?://)?(www\.)?")


@attrs.frozen(kw_only=True)
class PromoCode(Requirement):
    """The creator's own promo code, as a whole word, any case."""

    kind = RequirementKind.PROMO_CODE

    @classmethod
    def derive(cls, brief: Brief) -> Sequence[Self]:
        """One when the brief asks for a promo code."""
        return [cls(label="promo code")] if brief.requirements.promo_code else []

    def check(self, content: Content) -> RequirementResult:
        """Found, missing, or to check by hand when the creator has no code yet."""
        wanted = [(code, fold(code.strip())) for code in content.promo_codes if code.strip()]
        if not wanted:
            return self.result(
                REVIEW, "no promo code is assigned to this creator yet: check by hand"
            )
        for scan in content.everywhere:
            for code, key in wanted:
                if scan.has_word(key):
                    return self.result(FOUND, f"in the {scan.place}", scan.place, code)
        names = ", ".join(code for code, _ in wanted)
        return self.result(MISSING, f"the creator's code ({names}) is not given")


@attrs.frozen(kw_only=True)
class TrackedLink(Requirement):
    """The creator's tracked link in the text; "link in bio" or a story needs a look."""

    kind = RequirementKind.TRACKED_LINK
    link_in_bio: tuple[Label, ...]

    @classmethod
    def derive(cls, brief: Brief) -> Sequence[Self]:
        """One when the brief asks for a tracked link."""
        if not brief.requirements.tracked_link:
            return []
        return [cls(label="tracked link", link_in_bio=Label.all(_LINK_IN_BIO))]

    @property
    def wanted(self) -> Sequence[Label]:
        """The ways of pointing to a link in the bio."""
        return self.link_in_bio

    def check(self, content: Content) -> RequirementResult:
        """Found in the text, pointed to (a person checks), or missing."""
        wanted = [
            (link, fold(_SCHEME.sub("", link.strip()))) for link in content.links if link.strip()
        ]
        for scan in content.everywhere:
            for link, key in wanted:
                if key and key in scan.text:
                    return self.result(FOUND, f"in the {scan.place}", scan.place, link)
        bio = first(self.link_in_bio, content.everywhere)
        if bio is not None:
            shown = bio.label.shown
            return self.result(
                REVIEW, f"points to '{shown}': check that it is the tracked link", bio.place, shown
            )
        if content.format is ContentFormat.STORY:
            return self.result(REVIEW, "a story's link sticker is not in its text: check the story")
        if not wanted:
            return self.result(REVIEW, "no tracked link is known to compare")
        return self.result(MISSING, "the tracked link is not given")
