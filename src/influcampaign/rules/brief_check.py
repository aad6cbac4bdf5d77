"""The automatic brief check: from a caption (and its first comment and on-screen text), a
verdict per requirement with its reason, and a suggested compliance percentage.

A brief is compiled once (:class:`BriefCheck`) into one regular expression that finds
hashtags, @mentions and every phrase of interest in a single pass over a caption folded
for matching (case, accents and "fancy" Unicode letters ignored), so checking is fast
enough to run on every submission and over a whole campaign's back catalogue.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import attrs

from influcampaign.domain.brief import (
    BriefReport,
    BriefRequirements,
    BriefVerdict,
    Jurisdiction,
    MandatoryElement,
    RequirementKind,
    RequirementResult,
)
from influcampaign.domain.campaign import Campaign, CampaignKind
from influcampaign.domain.content import ContentFormat
from influcampaign.errors import ValidationError
from influcampaign.rules.disclosure import DISCLOSURE_RULES, FRANCE, DisclosureRule

__all__ = ["MAX_TEXT", "BriefCheck", "fold"]

MAX_TEXT = 100_000
"""The longest caption, comment or on-screen text checked, in characters."""

_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_WORD = re.compile(r"\w")


def fold(text: str) -> str:
    """``text`` for matching: compatibility-decomposed (mathematical bold letters become plain
    letters, a full-width number sign becomes ``#``), accents removed, case folded."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()


@attrs.frozen
class _Label:
    """A label to look for: a hashtag only (``#ad``) or a phrase that may also be a hashtag."""

    shown: str
    key: str  # the hashtag body it matches: folded words without spaces
    phrase: str | None  # the folded words separated by one space; None for a hashtag only

    @classmethod
    def of(cls, text: str) -> _Label:
        folded = fold(text.strip())
        if folded.startswith("#"):
            return cls(text, folded[1:], None)
        if folded.startswith("@"):
            folded = folded[1:]
        words = folded.split()
        return cls(text, "".join(words), " ".join(words))


@attrs.frozen
class _Scan:
    """What one pass over a text found: hashtags (position, hashtags before it in its run),
    mentions, and phrases (positions)."""

    text: str
    tags: Mapping[str, Sequence[tuple[int, int]]]
    mentions: frozenset[str]
    phrases: Mapping[str, Sequence[int]]

    def has(self, label: _Label) -> bool:
        """Whether ``label`` occurs at all."""
        return label.key in self.tags or (label.phrase is not None and label.phrase in self.phrases)

    def positions(self, label: _Label) -> list[tuple[int, int]]:
        """Where ``label`` occurs, as (position, hashtags before it in its run)."""
        found = list(self.tags.get(label.key, ()))
        if label.phrase is not None:
            found += [(p, 0) for p in self.phrases.get(label.phrase, ())]
        return sorted(found)

    def has_word(self, word: str) -> bool:
        """Whether folded ``word`` occurs with no letter or digit glued on either side."""
        start = self.text.find(word)
        while start != -1:
            end = start + len(word)
            before = start == 0 or not self.text[start - 1].isalnum()
            after = end == len(self.text) or not self.text[end].isalnum()
            if before and after:
                return True
            start = self.text.find(word, start + 1)
        return False


_EMPTY = _Scan("", {}, frozenset(), {})

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

_CAPTION, _SCREEN, _COMMENT = "caption", "on-screen text", "first comment"
# enum members looked up once (a class attribute lookup on an Enum is slow in a hot loop)
_FOUND, _MISSING, _REVIEW = BriefVerdict.FOUND, BriefVerdict.MISSING, BriefVerdict.NEEDS_REVIEW


class _K:
    HASHTAG = RequirementKind.HASHTAG
    MENTION = RequirementKind.MENTION
    DISCLOSURE = RequirementKind.DISCLOSURE
    RETOUCHED_LABEL = RequirementKind.RETOUCHED_LABEL
    VIRTUAL_LABEL = RequirementKind.VIRTUAL_LABEL
    PROMO_CODE = RequirementKind.PROMO_CODE
    TRACKED_LINK = RequirementKind.TRACKED_LINK
    CONTEST_RULES = RequirementKind.CONTEST_RULES
    PRODUCT_SHOWN = RequirementKind.PRODUCT_SHOWN
    MANDATORY = RequirementKind.MANDATORY


def _text(field: str, value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError(field, value, "must be a string")
    if len(value) > MAX_TEXT:
        raise ValidationError(field, f"{value[:40]}…", f"must be at most {MAX_TEXT} characters")
    return value


class BriefCheck:
    """A brief compiled for checking many captions.

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
    ) -> None:
        self.requirements = requirements
        rules = DISCLOSURE_RULES if rules is None else rules
        self.rule = None if requirements.jurisdiction is None else rules[requirements.jurisdiction]
        labels_rule = self.rule or FRANCE
        self.hashtags = [_Label.of(h if h.startswith("#") else f"#{h}") for h in hashtags]
        # a required hashtag written without '#' is a phrase we look for, to say so
        self._bare_tags = [_Label.of(h.key) for h in self.hashtags]
        self.mentions = [_Label.of(m.removeprefix("@")) for m in mentions]
        self.mention_shown = ["@" + m.lstrip("@") for m in mentions]
        self.accepted = [_Label.of(t) for t in (self.rule.accepted if self.rule else ())]
        self._accepted_text = ", ".join(a.shown for a in self.accepted)  # for reasons
        self.insufficient = [
            (_Label.of(t), why) for t, why in (self.rule.insufficient if self.rule else ())
        ]
        self.equivalents = [_Label.of(t) for t in (self.rule.equivalents if self.rule else ())]
        self.retouched = [_Label.of(t) for t in labels_rule.retouched]
        self.virtual = [_Label.of(t) for t in labels_rule.virtual]
        self.link_in_bio = [_Label.of(t) for t in _LINK_IN_BIO]
        self.contest_rules = [_Label.of(t) for t in _CONTEST_RULES]
        self.contest = (
            requirements.contest_rules if requirements.contest_rules is not None else contest
        )
        self.mandatory = [
            (element, [_Label.of(p) for p in element.match]) for element in requirements.mandatory
        ]
        r = requirements
        self._tag_pairs = list(zip(self.hashtags, self._bare_tags, strict=True))
        self._mention_pairs = list(zip(self.mentions, self.mention_shown, strict=True))
        counts = {
            _K.HASHTAG: len(self.hashtags),
            _K.MENTION: len(self.mentions),
            _K.DISCLOSURE: int(self.rule is not None),
            _K.RETOUCHED_LABEL: int(r.retouched_images),
            _K.VIRTUAL_LABEL: int(r.virtual_images),
            _K.PROMO_CODE: int(r.promo_code),
            _K.TRACKED_LINK: int(r.tracked_link),
            _K.CONTEST_RULES: int(self.contest),
            _K.PRODUCT_SHOWN: int(r.product_shown),
            _K.MANDATORY: len(self.mandatory),
        }
        self._share = {
            kind: Decimal(r.weights.of(kind)) / count if count else Decimal(0)
            for kind, count in counts.items()
        }
        self._product_shown = RequirementResult(
            _K.PRODUCT_SHOWN,
            "product shown",
            _REVIEW,
            "a person checks that the product is shown",
            "",
            "",
            self._share[_K.PRODUCT_SHOWN],
        )
        wanted: list[_Label] = [*self._bare_tags, *self.mentions]
        if self.rule is not None:
            wanted += [*self.accepted, *self.equivalents, *(w for w, _ in self.insufficient)]
        if r.retouched_images:
            wanted += self.retouched
        if r.virtual_images:
            wanted += self.virtual
        if r.tracked_link:
            wanted += self.link_in_bio
        if self.contest:
            wanted += self.contest_rules
        wanted += [label for _, labels in self.mandatory for label in labels]
        phrases = {label.phrase for label in wanted if label.phrase}
        self._phrases = frozenset(phrases)
        alternatives = [
            r"\s+".join(re.escape(word) for word in phrase.split())
            for phrase in sorted(phrases, key=len, reverse=True)
        ]
        pattern = r"(?P<tag>#\w+)|(?P<mention>(?<![\w@])@[\w.]*\w)"
        if alternatives:
            pattern += r"|(?<!\w)(?P<phrase>" + "|".join(alternatives) + r")(?!\w)"
        self._pattern = re.compile(pattern)

    @classmethod
    def for_campaign(
        cls, campaign: Campaign, rules: Mapping[Jurisdiction, DisclosureRule] | None = None
    ) -> BriefCheck:
        """The check of ``campaign``'s brief: its hashtags, mentions and requirements."""
        return cls(
            campaign.requirements,
            hashtags=campaign.hashtags,
            mentions=campaign.mentions,
            contest=campaign.kind is CampaignKind.CONTEST,
            rules=rules,
        )

    # -- scanning -------------------------------------------------------------------------

    def _scan(self, text: str) -> _Scan:
        if not text:
            return _EMPTY
        folded = fold(text)
        tags: dict[str, list[tuple[int, int]]] = {}
        mentions: set[str] = set()
        phrases: dict[str, list[int]] = {}
        run, last_end = 0, -1
        word = _WORD.search
        for match in self._pattern.finditer(folded):
            kind = match.lastgroup
            start, end = match.span()
            if kind == "tag":
                glued = last_end >= 0 and word(folded, last_end, start) is None
                run = run + 1 if glued else 0
                last_end = end
                key = folded[start + 1 : end]
                if key in tags:
                    tags[key].append((start, run))
                else:
                    tags[key] = [(start, run)]
            elif kind == "mention":
                mentions.add(folded[start + 1 : end].rstrip("."))
            else:
                phrase = folded[start:end]
                if phrase not in self._phrases:  # spaces other than one blank between words
                    phrase = " ".join(phrase.split())
                phrases.setdefault(phrase, []).append(start)
        return _Scan(folded, tags, frozenset(mentions), phrases)

    # -- checking -------------------------------------------------------------------------

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
        caption = _text("caption", caption)
        scans = {
            _CAPTION: self._scan(caption),
            _SCREEN: self._scan(_text("on_screen_text", on_screen_text)),
            _COMMENT: self._scan(_text("first_comment", first_comment)),
        }
        r = self.requirements
        share = self._share
        results: list[RequirementResult] = []
        add = results.append
        for tag, bare in self._tag_pairs:
            add(RequirementResult(_K.HASHTAG, *self._hashtag(tag, bare, scans), share[_K.HASHTAG]))
        for mention, shown in self._mention_pairs:
            add(
                RequirementResult(
                    _K.MENTION, *self._mention(mention, shown, scans), share[_K.MENTION]
                )
            )
        if self.rule is not None:
            add(
                RequirementResult(
                    _K.DISCLOSURE, *self._disclosure(self.rule, scans), share[_K.DISCLOSURE]
                )
            )
        for on, kind, labels, name in (
            (r.retouched_images, _K.RETOUCHED_LABEL, self.retouched, "retouched"),
            (r.virtual_images, _K.VIRTUAL_LABEL, self.virtual, "virtual"),
        ):
            if on:
                add(RequirementResult(kind, *self._image_label(labels, name, scans), share[kind]))
        if r.promo_code:
            add(
                RequirementResult(
                    _K.PROMO_CODE, *self._promo_code(promo_codes, scans), share[_K.PROMO_CODE]
                )
            )
        if r.tracked_link:
            add(
                RequirementResult(
                    _K.TRACKED_LINK, *self._link(links, format, scans), share[_K.TRACKED_LINK]
                )
            )
        if self.contest:
            add(RequirementResult(_K.CONTEST_RULES, *self._contest(scans), share[_K.CONTEST_RULES]))
        if r.product_shown:
            add(self._product_shown)
        for element, labels in self.mandatory:
            add(
                RequirementResult(
                    _K.MANDATORY, *self._mandatory(element, labels, scans), share[_K.MANDATORY]
                )
            )
        return BriefReport(tuple(results), r.jurisdiction)

    @staticmethod
    def _first(
        labels: Sequence[_Label], scans: Mapping[str, _Scan], where: Sequence[str]
    ) -> tuple[str, _Label] | None:
        for place in where:
            scan = scans[place]
            if scan is _EMPTY:
                continue
            for label in labels:
                if scan.has(label):
                    return place, label
        return None

    def _hashtag(
        self, tag: _Label, bare: _Label, scans: Mapping[str, _Scan]
    ) -> tuple[str, BriefVerdict, str, str, str]:
        shown = tag.shown
        for place in (_CAPTION, _SCREEN):
            if scans[place].tags.get(tag.key):
                return shown, _FOUND, f"in the {place}", place, shown
        if scans[_COMMENT].tags.get(tag.key):
            if self.requirements.hashtags_in_first_comment:
                return shown, _FOUND, "in the first comment", _COMMENT, shown
            return (
                shown,
                _MISSING,
                "only in the first comment, which this brief does not accept",
                "",
                shown,
            )
        if self._first([bare], scans, (_CAPTION, _SCREEN, _COMMENT)):
            return shown, _MISSING, f"'{tag.key}' is written without '#'", "", tag.key
        return shown, _MISSING, f"{shown} is not in the caption", "", ""

    def _mention(
        self, mention: _Label, shown: str, scans: Mapping[str, _Scan]
    ) -> tuple[str, BriefVerdict, str, str, str]:
        name = mention.key
        for place in (_CAPTION, _SCREEN):
            if name in scans[place].mentions:
                return shown, _FOUND, f"in the {place}", place, shown
        if name in scans[_COMMENT].mentions:
            return (
                shown,
                _MISSING,
                "only in the first comment: tag the account in the caption",
                "",
                shown,
            )
        if self._first([mention], scans, (_CAPTION, _SCREEN)):
            return shown, _MISSING, f"'{name}' is named without '@'", "", name
        return shown, _MISSING, f"{shown} is not tagged", "", ""

    def _disclosure(
        self, rule: DisclosureRule, scans: Mapping[str, _Scan]
    ) -> tuple[str, BriefVerdict, str, str, str]:
        label = "disclosure"
        accepted = self._accepted_text
        on_screen = self._first(self.accepted, scans, (_SCREEN,))
        if on_screen is not None:
            return label, _FOUND, "on the image or video", _SCREEN, on_screen[1].shown
        upfront: tuple[_Label, int] | None = None
        misplaced: tuple[_Label, int, int] | None = None
        caption = scans[_CAPTION]
        for candidate in self.accepted:
            if not caption.has(candidate):
                continue
            for position, before in caption.positions(candidate):
                late = rule.upfront_chars is not None and position >= rule.upfront_chars
                buried = rule.max_hashtags_before is not None and before >= rule.max_hashtags_before
                if not late and not buried:
                    if upfront is None or position < upfront[1]:
                        upfront = (candidate, position)
                elif misplaced is None or position < misplaced[1]:
                    misplaced = (candidate, position, before)
        if upfront is not None:
            shown = upfront[0].shown
            if rule.on_media:
                return (
                    label,
                    _REVIEW,
                    f"'{shown}' is in the caption; {rule.name} requires it on the image or "
                    "video itself for the whole promotion: check the media",
                    _CAPTION,
                    shown,
                )
            return label, _FOUND, f"'{shown}' upfront in the caption", _CAPTION, shown
        if misplaced is not None:
            shown, position, before = misplaced[0].shown, misplaced[1], misplaced[2]
            if rule.max_hashtags_before is not None and before >= rule.max_hashtags_before:
                why = f"follows {before} other hashtags: buried in a pile of hashtags"
            else:
                why = (
                    f"starts at character {position + 1}, after the first {rule.upfront_chars} "
                    "shown before 'more'"
                )
            return (
                label,
                _MISSING,
                f"'{shown}' {why}; {rule.name} wants it clear and upfront",
                "",
                shown,
            )
        if self._first(self.accepted, scans, (_COMMENT,)):
            return (
                label,
                _MISSING,
                f"only in the first comment; {rule.name} requires it in the content itself",
                "",
                "",
            )
        equivalent = self._first(self.equivalents, scans, (_SCREEN, _CAPTION))
        if equivalent is not None:
            return (
                label,
                _REVIEW,
                f"'{equivalent[1].shown}' may be an equivalent mention under {rule.name}: "
                f"a person decides whether it is as clear as {accepted}",
                equivalent[0],
                equivalent[1].shown,
            )
        for weak, why in self.insufficient:
            if self._first([weak], scans, (_CAPTION, _SCREEN)):
                return (
                    label,
                    _MISSING,
                    f"'{weak.shown}' is not enough under {rule.name}: {why}. Use: {accepted}",
                    "",
                    weak.shown,
                )
        return (
            label,
            _MISSING,
            f"no disclosure; {rule.name} requires: {accepted}",
            "",
            "",
        )

    def _image_label(
        self, labels: Sequence[_Label], name: str, scans: Mapping[str, _Scan]
    ) -> tuple[str, BriefVerdict, str, str, str]:
        title = f"{name} image label"
        accepted = " / ".join(a.shown for a in labels)
        found = self._first(labels, scans, (_SCREEN, _CAPTION))
        if found is None:
            return title, _MISSING, f"no '{accepted}' label", "", ""
        place, label = found
        rule = self.rule or FRANCE
        if place == _CAPTION and rule.on_media:
            return (
                title,
                _REVIEW,
                f"'{label.shown}' is in the caption; it must be on the image or video: check",
                place,
                label.shown,
            )
        return title, _FOUND, f"in the {place}", place, label.shown

    def _promo_code(
        self, codes: Iterable[str], scans: Mapping[str, _Scan]
    ) -> tuple[str, BriefVerdict, str, str, str]:
        wanted = [(code, fold(code.strip())) for code in codes if code.strip()]
        if not wanted:
            return (
                "promo code",
                _REVIEW,
                "no promo code is assigned to this creator yet: check by hand",
                "",
                "",
            )
        for place in (_CAPTION, _SCREEN, _COMMENT):
            for code, key in wanted:
                if scans[place].has_word(key):
                    return "promo code", _FOUND, f"in the {place}", place, code
        names = ", ".join(code for code, _ in wanted)
        return (
            "promo code",
            _MISSING,
            f"the creator's code ({names}) is not given",
            "",
            "",
        )

    def _link(
        self, links: Iterable[str], format: ContentFormat | None, scans: Mapping[str, _Scan]
    ) -> tuple[str, BriefVerdict, str, str, str]:
        title = "tracked link"
        wanted = [
            (link, fold(re.sub(r"^(https?://)?(www\.)?", "", link.strip())))
            for link in links
            if link.strip()
        ]
        for place in (_CAPTION, _SCREEN, _COMMENT):
            for link, key in wanted:
                if key and key in scans[place].text:
                    return title, _FOUND, f"in the {place}", place, link
        bio = self._first(self.link_in_bio, scans, (_CAPTION, _SCREEN, _COMMENT))
        if bio is not None:
            return (
                title,
                _REVIEW,
                f"points to '{bio[1].shown}': check that it is the tracked link",
                bio[0],
                bio[1].shown,
            )
        if format is ContentFormat.STORY:
            return (
                title,
                _REVIEW,
                "a story's link sticker is not in its text: check the story",
                "",
                "",
            )
        if not wanted:
            return title, _REVIEW, "no tracked link is known to compare", "", ""
        return title, _MISSING, "the tracked link is not given", "", ""

    def _contest(self, scans: Mapping[str, _Scan]) -> tuple[str, BriefVerdict, str, str, str]:
        found = self._first(self.contest_rules, scans, (_CAPTION, _SCREEN, _COMMENT))
        if found is None:
            return (
                "contest rules",
                _MISSING,
                "the contest rules are not referred to",
                "",
                "",
            )
        return "contest rules", _FOUND, f"in the {found[0]}", found[0], found[1].shown

    def _mandatory(
        self, element: MandatoryElement, labels: Sequence[_Label], scans: Mapping[str, _Scan]
    ) -> tuple[str, BriefVerdict, str, str, str]:
        if not labels:
            return element.label, _REVIEW, "a person checks this element", "", ""
        found = self._first(labels, scans, (_CAPTION, _SCREEN, _COMMENT))
        if found is None:
            wanted = " / ".join(label.shown for label in labels)
            return element.label, _MISSING, f"none of: {wanted}", "", ""
        return element.label, _FOUND, f"in the {found[0]}", found[0], found[1].shown
