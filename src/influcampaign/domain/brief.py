"""What a brief asks a content to contain, and the verdicts of a check against it (values).

The decisions themselves (matching captions, disclosure rules per jurisdiction) live in
:mod:`influcampaign.rules`; these are the frozen values they read and return.
"""

from __future__ import annotations

import enum
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs

from influcampaign.domain._validate import check_text, parse_enum
from influcampaign.errors import ValidationError

__all__ = [
    "BriefReport",
    "BriefRequirements",
    "BriefWeights",
    "Jurisdiction",
    "MandatoryElement",
    "RequirementKind",
    "RequirementResult",
    "BriefVerdict",
]


class Jurisdiction(enum.StrEnum):
    """Where the content is aimed at, which decides its advertising disclosure rule."""

    FR = "FR"
    US = "US"
    UK = "UK"


class RequirementKind(enum.StrEnum):
    """One kind of thing a brief requires."""

    HASHTAG = "hashtag"
    MENTION = "mention"
    DISCLOSURE = "disclosure"
    RETOUCHED_LABEL = "retouched_label"
    VIRTUAL_LABEL = "virtual_label"
    PROMO_CODE = "promo_code"
    TRACKED_LINK = "tracked_link"
    CONTEST_RULES = "contest_rules"
    CONTEST_LEGAL = "contest_legal"
    PRODUCT_SHOWN = "product_shown"
    MANDATORY = "mandatory"


class BriefVerdict(enum.StrEnum):
    """What the automatic check concluded for one requirement."""

    FOUND = "found"
    MISSING = "missing"
    NEEDS_REVIEW = "needs_review"  # a human has to look (the product shown, a link in bio …)


def _label(value: Any) -> str:
    return check_text("mandatory.label", value, max_length=500)


def _phrases(values: Any) -> tuple[str, ...]:
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise ValidationError("mandatory.match", values, "must be a list of phrases")
    return tuple(dict.fromkeys(check_text("mandatory.match", v, max_length=200) for v in values))


@attrs.frozen
class MandatoryElement:
    """A free-form element the brief requires.

    With ``match`` phrases the check looks for any of them (case and accents ignored);
    without, a human has to look (``"show the product in the first 3 seconds"``).
    """

    label: str = attrs.field(converter=_label)
    match: tuple[str, ...] = attrs.field(default=(), converter=_phrases)


def _weight(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000:
        raise ValidationError(f"weights.{attribute.name}", value, "must be an integer 0-1000")


@attrs.frozen
class BriefWeights:
    """How much each kind of requirement counts in the suggested compliance percentage.

    A kind's weight is shared among its items: with the default, three hashtags weigh
    2/3 each and together as much as two mentions together. A weight of 0 ignores the kind.
    """

    hashtag: int = attrs.field(default=2, validator=_weight)
    mention: int = attrs.field(default=2, validator=_weight)
    disclosure: int = attrs.field(default=4, validator=_weight)
    retouched_label: int = attrs.field(default=2, validator=_weight)
    virtual_label: int = attrs.field(default=2, validator=_weight)
    promo_code: int = attrs.field(default=2, validator=_weight)
    tracked_link: int = attrs.field(default=2, validator=_weight)
    contest_rules: int = attrs.field(default=2, validator=_weight)
    contest_legal: int = attrs.field(default=2, validator=_weight)
    product_shown: int = attrs.field(default=2, validator=_weight)
    mandatory: int = attrs.field(default=2, validator=_weight)

    def of(self, kind: RequirementKind) -> int:
        """The weight of ``kind``."""
        value: int = getattr(self, kind.value)
        return value


def _jurisdiction(value: Any) -> Jurisdiction | None:
    return None if value is None else parse_enum(Jurisdiction, "jurisdiction", value)


def _mandatory(values: Any) -> tuple[MandatoryElement, ...]:
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise ValidationError("mandatory", values, "must be a list of elements")
    elements = []
    for value in values:
        if isinstance(value, str):
            value = MandatoryElement(value)
        if not isinstance(value, MandatoryElement):
            raise ValidationError("mandatory", value, "must be a MandatoryElement or a label")
        elements.append(value)
    return tuple(elements)


@attrs.frozen
class BriefRequirements:
    """What every content of a campaign must carry, beyond its hashtags and @mentions.

    ``jurisdiction`` picks the disclosure rule (None: no disclosure is checked).
    ``retouched_images`` / ``virtual_images``: the French labels "Image retouchée" /
    "Image virtuelle" (or their plural) are required. ``contest_rules`` (a reference to the
    rules) and ``contest_legal`` (the legal mentions of the contest's jurisdictions) None mean
    "as the campaign's kind policy says" (required for a contest by default).
    ``product_shown`` is a manual check.
    """

    jurisdiction: Jurisdiction | None = attrs.field(default=None, converter=_jurisdiction)
    retouched_images: bool = False
    virtual_images: bool = False
    promo_code: bool = False
    tracked_link: bool = False
    contest_rules: bool | None = None
    contest_legal: bool | None = None
    product_shown: bool = True
    mandatory: tuple[MandatoryElement, ...] = attrs.field(default=(), converter=_mandatory)
    hashtags_in_first_comment: bool = True
    weights: BriefWeights = attrs.Factory(BriefWeights)


@attrs.frozen
class RequirementResult:
    """The verdict for one requirement, with why, and where it was found (if it was)."""

    kind: RequirementKind
    label: str
    verdict: BriefVerdict
    reason: str
    where: str  # "caption", "first comment", "on-screen text", or "" when not found
    evidence: str  # the text that matched, or ""
    weight: Decimal  # its share of the percentage


_HUNDRED = Decimal(100)


def percentage(found: Decimal, total: Decimal) -> int:
    """``found / total`` as a whole percentage, rounded half up (100 when nothing is weighed)."""
    if total <= 0:
        return 100
    return int((found * _HUNDRED / total).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@attrs.frozen
class BriefReport:
    """The automatic check of one content against its brief.

    ``suggested_compliance`` counts only what the check confirmed; ``if_reviews_pass`` is
    what it becomes if every item that needs a human look passes.
    """

    results: tuple[RequirementResult, ...]
    jurisdiction: Jurisdiction | None = None

    @property
    def suggested_compliance(self) -> int:
        """The suggested "% of brief respected", 0-100."""
        total = sum((r.weight for r in self.results), Decimal(0))
        found = sum((r.weight for r in self.results if r.verdict is BriefVerdict.FOUND), Decimal(0))
        return percentage(found, total)

    @property
    def if_reviews_pass(self) -> int:
        """The percentage if every item needing review is confirmed."""
        total = sum((r.weight for r in self.results), Decimal(0))
        ok = sum(
            (r.weight for r in self.results if r.verdict is not BriefVerdict.MISSING), Decimal(0)
        )
        return percentage(ok, total)

    def having(self, verdict: BriefVerdict) -> tuple[RequirementResult, ...]:
        """The results with ``verdict``."""
        return tuple(r for r in self.results if r.verdict is verdict)

    def result(self, kind: RequirementKind, label: str | None = None) -> RequirementResult:
        """The first result of ``kind`` (and ``label``, case-insensitive), or LookupError."""
        for r in self.results:
            if r.kind is kind and (label is None or r.label.casefold() == label.casefold()):
                return r
        raise LookupError(f"no {kind.value} requirement {label or ''}".strip())
