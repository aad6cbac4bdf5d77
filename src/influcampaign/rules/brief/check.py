"""The brief check: a brief compiled once into its requirements and one scanner, then a
verdict per requirement for each content."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from influcampaign.domain.brief import BriefReport, BriefRequirements, Jurisdiction
from influcampaign.domain.campaign import Campaign, CampaignKind
from influcampaign.domain.deliverable import ContentFormat
from influcampaign.rules.brief.kinds import REQUIREMENT_KINDS
from influcampaign.rules.brief.requirement import Brief, Content, Requirement
from influcampaign.rules.brief.scan import CAPTION, COMMENT, SCREEN, Scanner, checked_text
from influcampaign.rules.contest_frames import CONTEST_FRAMES, ContestFrame
from influcampaign.rules.disclosure import DISCLOSURE_RULES, DisclosureRule

if TYPE_CHECKING:
    from influcampaign.domain.contest import Contest

__all__ = ["BriefCheck"]


class BriefCheck:
    """A brief compiled for checking many captions.

    Each kind of :data:`~influcampaign.rules.brief.kinds.REQUIREMENT_KINDS` derives its
    requirements from the brief (``items``, in the order of the report, each with its share
    of its kind's weight); one scanner finds what they all look for in one pass.

    >>> check = BriefCheck(BriefRequirements(jurisdiction="US"), hashtags=["#SummerGlow"])
    >>> report = check.check("#ad Loving my new serum ✹ #summerglow")
    >>> [(r.label, r.verdict.value) for r in report.results]
    [('#SummerGlow', 'found'), ('disclosure', 'found'), ('product shown', 'needs_review')]
    >>> report.suggested_compliance
    75
    """

    def __init__(
        self,
        requirements: BriefRequirements,
        *,
        hashtags: Iterable[str] = (),
        mentions: Iterable[str] = (),
        contest: bool = False,
        rules: Mapping[Jurisdiction, DisclosureRule] | None = None,
        contest_legal: Iterable[ContestFrame] = (),
        rules_url: str | None = None,
    ) -> None:
        rules = DISCLOSURE_RULES if rules is None else rules
        jurisdiction = requirements.jurisdiction
        self.requirements = requirements
        self.rule = None if jurisdiction is None else rules[jurisdiction]
        legal = requirements.contest_legal
        self.brief = Brief(
            requirements,
            hashtags=tuple(hashtags),
            mentions=tuple(mentions),
            contest=contest if requirements.contest_rules is None else requirements.contest_rules,
            rule=self.rule,
            frames=tuple(contest_legal) if legal is None or legal else (),
            rules_url=rules_url,
        )
        items: list[Requirement] = []
        for kind in REQUIREMENT_KINDS:
            derived = kind.derive(self.brief)
            if derived:  # the kind's weight is shared among its requirements
                share = Decimal(requirements.weights.of(kind.kind)) / len(derived)
                items += [attrs.evolve(item, weight=share) for item in derived]
        self.items: tuple[Requirement, ...] = tuple(items)
        self._scanner = Scanner.of(label for item in items for label in item.wanted)

    @classmethod
    def for_campaign(
        cls,
        campaign: Campaign,
        rules: Mapping[Jurisdiction, DisclosureRule] | None = None,
        *,
        contest: Contest | None = None,
        frames: Mapping[Jurisdiction, ContestFrame] | None = None,
    ) -> BriefCheck:
        """The check of ``campaign``'s brief: its hashtags, mentions and requirements, and
        what its kind adds by its kind policy. A contest (``contest``: its rules document and
        jurisdictions) requires its rules, the legal mentions of each jurisdiction's frame,
        and the disclosure (of its first jurisdiction when the brief names none)."""
        requirements = campaign.requirements
        policy = campaign.policies.kinds
        is_contest = campaign.kind is CampaignKind.CONTEST
        legal: list[ContestFrame] = []
        if is_contest and policy.contest_legal:
            frames = CONTEST_FRAMES if frames is None else frames
            places = (
                contest.jurisdictions
                if contest is not None
                else tuple(j for j in (requirements.jurisdiction,) if j is not None)
            )
            legal = [frames[j] for j in places if j in frames]
        if (
            is_contest
            and policy.contest_disclosure
            and requirements.jurisdiction is None
            and contest is not None
        ):
            requirements = attrs.evolve(requirements, jurisdiction=contest.jurisdictions[0])
        return cls(
            requirements,
            hashtags=campaign.hashtags,
            mentions=campaign.mentions,
            contest=is_contest and policy.contest_rules,
            rules=rules,
            contest_legal=legal,
            rules_url=None if contest is None else contest.rules.url,
        )

    def check(
        self,
        caption: str,
        *,
        first_comment: str = "",
        on_screen_text: str = "",
        format: ContentFormat | None = None,
        promo_codes: Iterable[str] = (),
        links: Iterable[str] = (),
    ) -> BriefReport:
        """Check one content. ``promo_codes`` and ``links`` are the creator's own, if any."""
        scan = self._scanner.scan
        content = Content(
            scan(checked_text("caption", caption), CAPTION),
            scan(checked_text("on_screen_text", on_screen_text), SCREEN),
            scan(checked_text("first_comment", first_comment), COMMENT),
            format,
            promo_codes,
            links,
        )
        return BriefReport(
            tuple([item.check(content) for item in self.items]), self.requirements.jurisdiction
        )
