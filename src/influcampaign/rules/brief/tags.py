"""The kinds the campaign names: its hashtags and its @mentions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

import attrs

from influcampaign.domain.brief import RequirementKind, RequirementResult
from influcampaign.rules.brief.requirement import (
    FOUND,
    MISSING,
    Brief,
    Content,
    Requirement,
)
from influcampaign.rules.brief.scan import COMMENT, Label, first

__all__ = ["Hashtag", "Mention"]


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
