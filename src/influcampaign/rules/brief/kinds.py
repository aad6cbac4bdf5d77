"""One class per requirement kind, and the table the check iterates (:data:`REQUIREMENT_KINDS`).

A new kind: a :class:`~influcampaign.domain.brief.RequirementKind` member with its weight and
its switch in :class:`~influcampaign.domain.brief.BriefRequirements`, then a subclass of
:class:`~influcampaign.rules.brief.requirement.Requirement` here and its line in the table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Self

import attrs

from influcampaign.domain.brief import MandatoryElement, RequirementKind, RequirementResult
from influcampaign.domain.content import ContentFormat
from influcampaign.rules.brief.labels import Disclosure, RetouchedLabel, VirtualLabel
from influcampaign.rules.brief.requirement import (
    FOUND,
    MISSING,
    REVIEW,
    Brief,
    Content,
    Requirement,
)
from influcampaign.rules.brief.scan import COMMENT, Label, first, fold

__all__ = [
    "REQUIREMENT_KINDS",
    "ContestRules",
    "Hashtag",
    "Mandatory",
    "Mention",
    "ProductShown",
    "PromoCode",
    "TrackedLink",
]

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
_SCHEME = re.compile(r"^(https?://)?(www\.)?")


@attrs.frozen(kw_only=True)
class Hashtag(Requirement):
    """A campaign hashtag, in the caption or on screen (or the first comment, if the brief
    accepts it); written without '#', it is named as such."""

    kind = RequirementKind.HASHTAG
    tag: Label
    bare: Label  # the hashtag's words without '#', looked for to say so
    in_first_comment: bool

    @classmethod
    def derive(cls, brief: Brief) -> Sequence[Self]:
        """One per campaign hashtag, '#' added if missing."""
        accepted = brief.requirements.hashtags_in_first_comment
        tags = [Label.of(h if h.startswith("#") else f"#{h}") for h in brief.hashtags]
        return [
            cls(label=t.shown, tag=t, bare=Label.of(t.key), in_first_comment=accepted) for t in tags
        ]

    @property
    def wanted(self) -> Sequence[Label]:
        """The hashtag's words written without '#'."""
        return (self.bare,)

    def check(self, content: Content) -> RequirementResult:
        """Found as a hashtag where the brief accepts it, or why not."""
        shown, key = self.label, self.tag.key
        for scan in (content.caption, content.screen):
            if scan.tags.get(key):
                return self.result(FOUND, f"in the {scan.place}", scan.place, shown)
        if content.comment.tags.get(key):
            if self.in_first_comment:
                return self.result(FOUND, "in the first comment", COMMENT, shown)
            return self.result(
                MISSING, "only in the first comment, which this brief does not accept", "", shown
            )
        if first((self.bare,), content.everywhere):
            return self.result(MISSING, f"'{key}' is written without '#'", "", key)
        return self.result(MISSING, f"{shown} is not in the caption")


@attrs.frozen(kw_only=True)
class Mention(Requirement):
    """A campaign account, tagged in the caption or on screen."""

    kind = RequirementKind.MENTION
    account: Label

    @classmethod
    def derive(cls, brief: Brief) -> Sequence[Self]:
        """One per campaign mention, shown with one '@'."""
        return [
            cls(label="@" + m.lstrip("@"), account=Label.of(m.removeprefix("@")))
            for m in brief.mentions
        ]

    @property
    def wanted(self) -> Sequence[Label]:
        """The account's name written without '@'."""
        return (self.account,)

    def check(self, content: Content) -> RequirementResult:
        """Found as an @mention in the caption or on screen, or why not."""
        shown, name = self.label, self.account.key
        for scan in (content.caption, content.screen):
            if name in scan.mentions:
                return self.result(FOUND, f"in the {scan.place}", scan.place, shown)
        if name in content.comment.mentions:
            return self.result(
                MISSING, "only in the first comment: tag the account in the caption", "", shown
            )
        if first((self.account,), (content.caption, content.screen)):
            return self.result(MISSING, f"'{name}' is named without '@'", "", name)
        return self.result(MISSING, f"{shown} is not tagged")


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


REQUIREMENT_KINDS: tuple[type[Requirement], ...] = (
    Hashtag,
    Mention,
    Disclosure,
    RetouchedLabel,
    VirtualLabel,
    PromoCode,
    TrackedLink,
    ContestRules,
    ProductShown,
    Mandatory,
)
"""Every requirement kind, in the order a report lists their results."""
