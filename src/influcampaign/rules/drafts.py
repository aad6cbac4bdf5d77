"""What a published content lost compared with its approved draft: the brief's requirements
the draft met and the publication no longer does, and the draft's own hashtags, @mentions
and promo codes that disappeared."""

from __future__ import annotations

from collections.abc import Iterable

from influcampaign.domain.brief import BriefVerdict, RequirementKind
from influcampaign.domain.deliverable import ContentFormat
from influcampaign.domain.drafts import DraftDifference, DraftVersion
from influcampaign.rules.brief import BriefCheck
from influcampaign.rules.brief.scan import CAPTION, COMMENT, SCREEN, Scanner, fold

__all__ = ["published_differences"]

_SCANNER = Scanner.of(())


def _tags_and_mentions(
    caption: str, first_comment: str, on_screen: str
) -> tuple[set[str], set[str]]:
    scans = [
        _SCANNER.scan(caption, CAPTION),
        _SCANNER.scan(first_comment, COMMENT),
        _SCANNER.scan(on_screen, SCREEN),
    ]
    tags = {tag for scan in scans for tag in scan.tags}
    mentions = {name for scan in scans for name in scan.mentions}
    return tags, mentions


def published_differences(
    check: BriefCheck,
    approved: DraftVersion,
    *,
    caption: str,
    first_comment: str = "",
    on_screen_text: str = "",
    format: ContentFormat | None = None,
    promo_codes: Iterable[str] = (),
    links: Iterable[str] = (),
) -> tuple[DraftDifference, ...]:
    """The differences that matter between the ``approved`` draft and the published texts:
    each requirement of the brief found in the draft and not in the publication (the
    disclosure first), then each hashtag, @mention or promo code of the draft that is gone."""
    codes, urls = tuple(promo_codes), tuple(links)
    before = check.check(
        approved.caption,
        first_comment=approved.first_comment,
        on_screen_text=approved.on_screen_text,
        format=format,
        promo_codes=codes,
        links=urls,
    )
    after = check.check(
        caption,
        first_comment=first_comment,
        on_screen_text=on_screen_text,
        format=format,
        promo_codes=codes,
        links=urls,
    )
    found: list[DraftDifference] = []
    flagged: set[tuple[str, str]] = set()
    for was, now in zip(before.results, after.results, strict=True):
        if was.verdict is BriefVerdict.FOUND and now.verdict is not BriefVerdict.FOUND:
            found.append(
                DraftDifference(
                    was.kind.value,
                    was.label,
                    f"the approved draft had it ({was.where}); published: {now.reason}",
                )
            )
            flagged.add((was.kind.value, fold(was.label).lstrip("#@")))
            evidence = fold(was.evidence)
            if evidence.startswith("#"):  # a disclosure written as a hashtag: flagged once
                flagged.add((RequirementKind.HASHTAG.value, evidence[1:]))
            elif evidence.startswith("@"):
                flagged.add((RequirementKind.MENTION.value, evidence[1:]))
    old_tags, old_mentions = _tags_and_mentions(
        approved.caption, approved.first_comment, approved.on_screen_text
    )
    new_tags, new_mentions = _tags_and_mentions(caption, first_comment, on_screen_text)
    for kind, sign, old, new in (
        (RequirementKind.HASHTAG, "#", old_tags, new_tags),
        (RequirementKind.MENTION, "@", old_mentions, new_mentions),
    ):
        found.extend(
            DraftDifference(kind.value, sign + key, "in the approved draft, not published")
            for key in sorted(old - new)
            if (kind.value, key) not in flagged
        )
    draft_text = fold(" ".join((approved.caption, approved.first_comment, approved.on_screen_text)))
    published_text = fold(" ".join((caption, first_comment, on_screen_text)))
    for code in codes:
        key = fold(code.strip())
        if (
            key
            and (RequirementKind.PROMO_CODE.value, "promo code") not in flagged
            and _SCANNER.scan(draft_text, CAPTION).has_word(key)
            and not _SCANNER.scan(published_text, CAPTION).has_word(key)
        ):
            found.append(
                DraftDifference(
                    RequirementKind.PROMO_CODE.value, code, "in the approved draft, not published"
                )
            )
    return tuple(found)
