"""What every requirement kind shares: the brief it is derived from, the content it checks,
and the base class of the kinds (:class:`Requirement`)."""

from __future__ import annotations

import abc
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import ClassVar, Self

import attrs

from influcampaign.domain.brief import (
    BriefRequirements,
    BriefVerdict,
    RequirementKind,
    RequirementResult,
)
from influcampaign.domain.deliverable import ContentFormat
from influcampaign.rules.brief.scan import Label, Scan
from influcampaign.rules.contest_frames import ContestFrame
from influcampaign.rules.disclosure import FRANCE, DisclosureRule

__all__ = ["FOUND", "MISSING", "REVIEW", "Brief", "Content", "Requirement"]

# enum members looked up once (a class attribute lookup on an Enum is slow in a hot loop)
FOUND, MISSING, REVIEW = BriefVerdict.FOUND, BriefVerdict.MISSING, BriefVerdict.NEEDS_REVIEW


@attrs.frozen
class Brief:
    """What the requirements are derived from: the campaign's brief and its disclosure rule."""

    requirements: BriefRequirements
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    contest: bool = False  # the campaign is a contest (its rules must be referred to)
    rule: DisclosureRule | None = None  # of the jurisdiction; None: no disclosure checked
    frames: tuple[ContestFrame, ...] = ()  # legal frames whose mentions a contest must carry
    rules_url: str | None = None  # where the contest's rules are (cited counts as referred)

    @property
    def label_rule(self) -> DisclosureRule:
        """The rule whose image labels apply: the jurisdiction's, or France's without one."""
        return self.rule or FRANCE


@attrs.frozen
class Content:
    """One content to check: its three texts scanned, and what the creator was given."""

    caption: Scan
    screen: Scan
    comment: Scan
    format: ContentFormat | None = None
    promo_codes: Iterable[str] = ()  # the creator's own codes
    links: Iterable[str] = ()  # the creator's own tracked links
    everywhere: tuple[Scan, Scan, Scan] = attrs.field(init=False)
    """The caption, the on-screen text and the first comment, in that order."""

    @everywhere.default
    def _everywhere(self) -> tuple[Scan, Scan, Scan]:
        return self.caption, self.screen, self.comment


@attrs.frozen(kw_only=True)
class Requirement(abc.ABC):
    """One requirement of a brief; each kind is a subclass, listed in the table the check
    iterates (:data:`influcampaign.rules.brief.kinds.REQUIREMENT_KINDS`).

    A kind derives its requirements from the brief (:meth:`derive`), names the labels the
    scan must find for it (:attr:`wanted`), and checks a content, explaining its verdict
    (:meth:`check`). Its weight is the kind's weight shared among its requirements.
    """

    kind: ClassVar[RequirementKind]
    label: str
    weight: Decimal = Decimal(0)

    @classmethod
    def derive(cls, brief: Brief) -> Sequence[Self]:
        """The requirements of this kind that ``brief`` asks for (none by default)."""
        return ()

    @property
    def wanted(self) -> Sequence[Label]:
        """The labels whose phrases the scan must find for this requirement."""
        return ()

    @abc.abstractmethod
    def check(self, content: Content) -> RequirementResult:
        """The verdict on ``content``, with its reason."""

    def result(
        self, verdict: BriefVerdict, reason: str, where: str = "", evidence: str = ""
    ) -> RequirementResult:
        """This requirement's result: ``verdict`` because of ``reason``, found ``where``
        (``""`` if not) as ``evidence``."""
        return RequirementResult(
            self.kind, self.label, verdict, reason, where, evidence, self.weight
        )
