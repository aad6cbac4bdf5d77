"""The legal frame of a contest per jurisdiction, as data (issue 23).

Each frame lists the mentions a contest's content must carry where its entrants live, each
with the phrases that make it (matched with case and accents ignored) and whether it must be
upfront (in the first characters of the caption, before "more"). The brief check derives one
requirement per mention (:class:`~influcampaign.rules.brief.elements.ContestLegal`). Sources
are cited on each frame; they summarise the law and regulators' guidance and are not legal
advice. A new jurisdiction is one :class:`ContestFrame` here, with its line in
:data:`CONTEST_FRAMES` (and its :class:`~influcampaign.domain.brief.Jurisdiction` member).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from influcampaign.domain.brief import Jurisdiction

__all__ = ["CONTEST_FRAMES", "ContestFrame", "LegalMention"]


@attrs.frozen
class LegalMention:
    """One mention a contest must carry: its label, the phrases that make it, and whether it
    must be upfront in the caption."""

    label: str
    phrases: tuple[str, ...]
    upfront: bool = False


@attrs.frozen
class ContestFrame:
    """What the law of one jurisdiction asks of a contest's content."""

    jurisdiction: Jurisdiction
    authority: str
    source: str
    mentions: tuple[LegalMention, ...]
    upfront_chars: int = 125

    @property
    def name(self) -> str:
        """``'UK (CAP Code)'``, for reasons."""
        return f"{self.jurisdiction.value} ({self.authority})"


FRANCE = ContestFrame(
    jurisdiction=Jurisdiction.FR,
    authority="jeu-concours",
    source=(
        "Code de la consommation, art. L121-36 à L121-38 (loteries publicitaires licites si "
        "non déloyales); Code de la sécurité intérieure, art. L322-1 et s. (loterie prohibée "
        "si un sacrifice financier est exigé)"
    ),
    mentions=(
        LegalMention("rules available", ("règlement", "voir règlement", "règlement complet")),
        LegalMention(
            "no purchase required",
            ("sans obligation d'achat", "sans obligation d achat", "jeu gratuit", "sans achat"),
        ),
    ),
)
"""France: the «rÚglement» available to everyone, and no purchase required (a contest that
demands a purchase is an illegal lottery)."""

UNITED_STATES = ContestFrame(
    jurisdiction=Jurisdiction.US,
    authority="sweepstakes law",
    source=(
        "state sweepstakes statutes (e.g. N.Y. Gen. Bus. Law § 369-e, Fla. Stat. § 849.094); "
        "a purchase requirement turns a sweepstakes into an illegal lottery"
    ),
    mentions=(
        LegalMention("no purchase necessary", ("no purchase necessary", "no purchase required")),
        LegalMention("void where prohibited", ("void where prohibited",)),
    ),
)
"""United States: "No purchase necessary" and "Void where prohibited"."""

UNITED_KINGDOM = ContestFrame(
    jurisdiction=Jurisdiction.UK,
    authority="CAP Code",
    source="CAP Code, section 8 (promotional marketing), rules 8.17-8.18: significant conditions",
    mentions=(
        LegalMention(
            "closing date upfront",
            ("closes", "closing date", "ends", "enter by", "deadline"),
            upfront=True,
        ),
        LegalMention(
            "eligibility upfront",
            ("18+", "uk only", "uk residents", "open to uk"),
            upfront=True,
        ),
    ),
)
"""United Kingdom: significant conditions — the closing date and who may enter — stated
upfront, before people engage."""

CONTEST_FRAMES: Mapping[Jurisdiction, ContestFrame] = {
    Jurisdiction.FR: FRANCE,
    Jurisdiction.US: UNITED_STATES,
    Jurisdiction.UK: UNITED_KINGDOM,
}
"""The shipped frames; a host may pass its own to the brief check."""
