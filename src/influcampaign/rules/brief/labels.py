"""The requirement kinds whose labels come from the jurisdiction's rule
(:mod:`influcampaign.rules.disclosure`): the advertising disclosure and the image labels.

A new jurisdiction is data only: a :class:`~influcampaign.rules.disclosure.DisclosureRule`.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import ClassVar, Self

import attrs

from influcampaign.domain.brief import BriefRequirements, RequirementKind, RequirementResult
from influcampaign.rules.brief.requirement import (
    FOUND,
    MISSING,
    REVIEW,
    Brief,
    Content,
    Requirement,
)
from influcampaign.rules.brief.scan import CAPTION, SCREEN, Label, first
from influcampaign.rules.disclosure import DisclosureRule

__all__ = ["Disclosure", "ImageLabel", "RetouchedLabel", "VirtualLabel", "Weak"]


@attrs.frozen
class Weak:
    """A label people use that is not enough under a rule, and why."""

    label: Label
    why: str


@attrs.frozen
class _Placed:
    """An accepted label in the caption: where it starts and how many hashtags precede it."""

    label: Label
    position: int
    before: int


@attrs.frozen(kw_only=True)
class Disclosure(Requirement):
    """The advertising disclosure the jurisdiction's rule requires: an accepted label, placed
    where the rule wants it (on the media, upfront, not buried in hashtags)."""

    kind = RequirementKind.DISCLOSURE
    rule: DisclosureRule
    accepted: tuple[Label, ...]
    equivalents: tuple[Label, ...]
    insufficient: tuple[Weak, ...]

    @classmethod
    def derive(cls, brief: Brief) -> Sequence[Self]:
        """One disclosure when the brief has a jurisdiction."""
        rule = brief.rule
        if rule is None:
            return ()
        return (
            cls(
                label="disclosure",
                rule=rule,
                accepted=Label.all(rule.accepted),
                equivalents=Label.all(rule.equivalents),
                insufficient=tuple(Weak(Label.of(t), why) for t, why in rule.insufficient),
            ),
        )

    @property
    def wanted(self) -> Sequence[Label]:
        """The accepted, equivalent and insufficient labels (to name them in reasons)."""
        return (*self.accepted, *self.equivalents, *(w.label for w in self.insufficient))

    @property
    def accepted_text(self) -> str:
        """The accepted labels, for reasons."""
        return ", ".join(a.shown for a in self.accepted)

    def _in_caption(self, content: Content) -> tuple[_Placed | None, _Placed | None]:
        """The first accepted label well placed in the caption, and the first misplaced one."""
        rule, caption = self.rule, content.caption
        upfront: _Placed | None = None
        misplaced: _Placed | None = None
        for candidate in self.accepted:
            if not caption.has(candidate):
                continue
            for position, before in caption.positions(candidate):
                late = rule.upfront_chars is not None and position >= rule.upfront_chars
                buried = rule.max_hashtags_before is not None and before >= rule.max_hashtags_before
                if not late and not buried:
                    if upfront is None or position < upfront.position:
                        upfront = _Placed(candidate, position, before)
                elif misplaced is None or position < misplaced.position:
                    misplaced = _Placed(candidate, position, before)
        return upfront, misplaced

    def check(self, content: Content) -> RequirementResult:
        """Found on the media or upfront; otherwise why not, naming the rule."""
        rule = self.rule
        on_screen = first(self.accepted, (content.screen,))
        if on_screen is not None:
            return self.result(FOUND, "on the image or video", SCREEN, on_screen.label.shown)
        upfront, misplaced = self._in_caption(content)
        if upfront is not None:
            shown = upfront.label.shown
            if rule.on_media:
                return self.result(
                    REVIEW,
                    f"'{shown}' is in the caption; {rule.name} requires it on the image or "
                    "video itself for the whole promotion: check the media",
                    CAPTION,
                    shown,
                )
            return self.result(FOUND, f"'{shown}' upfront in the caption", CAPTION, shown)
        if misplaced is not None:
            return self._misplaced(misplaced)
        if first(self.accepted, (content.comment,)):
            return self.result(
                MISSING,
                f"only in the first comment; {rule.name} requires it in the content itself",
            )
        equivalent = first(self.equivalents, (content.screen, content.caption))
        if equivalent is not None:
            shown = equivalent.label.shown
            return self.result(
                REVIEW,
                f"'{shown}' may be an equivalent mention under {rule.name}: "
                f"a person decides whether it is as clear as {self.accepted_text}",
                equivalent.place,
                shown,
            )
        for weak in self.insufficient:
            if first((weak.label,), (content.caption, content.screen)):
                shown = weak.label.shown
                return self.result(
                    MISSING,
                    f"'{shown}' is not enough under {rule.name}: {weak.why}. "
                    f"Use: {self.accepted_text}",
                    "",
                    shown,
                )
        return self.result(MISSING, f"no disclosure; {rule.name} requires: {self.accepted_text}")

    def _misplaced(self, misplaced: _Placed) -> RequirementResult:
        rule = self.rule
        before = misplaced.before
        if rule.max_hashtags_before is not None and before >= rule.max_hashtags_before:
            why = f"follows {before} other hashtags: buried in a pile of hashtags"
        else:
            why = (
                f"starts at character {misplaced.position + 1}, after the first "
                f"{rule.upfront_chars} shown before 'more'"
            )
        shown = misplaced.label.shown
        return self.result(
            MISSING, f"'{shown}' {why}; {rule.name} wants it clear and upfront", "", shown
        )


@attrs.frozen(kw_only=True)
class ImageLabel(Requirement):
    """A label the media must carry («Image retouchée», «Image virtuelle»); in the caption
    only, a person checks when the rule wants it on the media."""

    name: ClassVar[str]  # "retouched", "virtual"
    labels: tuple[Label, ...]
    on_media: bool

    @classmethod
    def derive(cls, brief: Brief) -> Sequence[Self]:
        """One label when the brief asks for it, as the rule (France's by default) words it."""
        if not cls.asked(brief.requirements):
            return ()
        rule = brief.label_rule
        labels = Label.all(cls.texts(rule))
        return (cls(label=f"{cls.name} image label", labels=labels, on_media=rule.on_media),)

    @staticmethod
    @abc.abstractmethod
    def asked(requirements: BriefRequirements) -> bool:
        """Whether ``requirements`` ask for this label."""

    @staticmethod
    @abc.abstractmethod
    def texts(rule: DisclosureRule) -> Sequence[str]:
        """The label as ``rule`` words it."""

    @property
    def wanted(self) -> Sequence[Label]:
        """The labels of the rule."""
        return self.labels

    def check(self, content: Content) -> RequirementResult:
        """Found on the media (or in the caption, to check), or missing."""
        found = first(self.labels, (content.screen, content.caption))
        if found is None:
            accepted = " / ".join(a.shown for a in self.labels)
            return self.result(MISSING, f"no '{accepted}' label")
        place, shown = found.place, found.label.shown
        if place == CAPTION and self.on_media:
            return self.result(
                REVIEW,
                f"'{shown}' is in the caption; it must be on the image or video: check",
                place,
                shown,
            )
        return self.result(FOUND, f"in the {place}", place, shown)


@attrs.frozen(kw_only=True)
class RetouchedLabel(ImageLabel):
    """«Image(s) retouchée(s)»: a silhouette or a face was retouched."""

    kind = RequirementKind.RETOUCHED_LABEL
    name = "retouched"

    @staticmethod
    def asked(requirements: BriefRequirements) -> bool:
        """``retouched_images``."""
        return requirements.retouched_images

    @staticmethod
    def texts(rule: DisclosureRule) -> Sequence[str]:
        """The rule's ``retouched`` labels."""
        return rule.retouched


@attrs.frozen(kw_only=True)
class VirtualLabel(ImageLabel):
    """«Image(s) virtuelle(s)»: the image was generated."""

    kind = RequirementKind.VIRTUAL_LABEL
    name = "virtual"

    @staticmethod
    def asked(requirements: BriefRequirements) -> bool:
        """``virtual_images``."""
        return requirements.virtual_images

    @staticmethod
    def texts(rule: DisclosureRule) -> Sequence[str]:
        """The rule's ``virtual`` labels."""
        return rule.virtual
