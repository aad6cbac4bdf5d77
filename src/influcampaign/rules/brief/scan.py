"""Folding text for matching, the labels a brief looks for, and the one-pass scan of a text.

A brief's labels are compiled once (:class:`Scanner`) into one regular expression that finds
hashtags, @mentions and every phrase of interest in a single pass over a text folded for
matching (case, accents and "fancy" Unicode letters ignored).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

import attrs

from influcampaign.errors import ValidationError

__all__ = [
    "CAPTION",
    "COMMENT",
    "MAX_TEXT",
    "SCREEN",
    "Hit",
    "Label",
    "Scan",
    "Scanner",
    "checked_text",
    "first",
    "fold",
]

MAX_TEXT = 100_000
"""The longest caption, comment or on-screen text checked, in characters."""

CAPTION, SCREEN, COMMENT = "caption", "on-screen text", "first comment"
"""Where a requirement can be found: the ``where`` of a result."""

_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_WORD = re.compile(r"\w")


def fold(text: str) -> str:
    """``text`` for matching: compatibility-decomposed (mathematical bold letters become plain
    letters, a full-width number sign becomes ``#``), accents removed, case folded."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()


def checked_text(field: str, value: object) -> str:
    """``value`` if it is a text of at most :data:`MAX_TEXT` characters, else ValidationError."""
    if not isinstance(value, str):
        raise ValidationError(field, value, "must be a string")
    if len(value) > MAX_TEXT:
        raise ValidationError(field, f"{value[:40]}…", f"must be at most {MAX_TEXT} characters")
    return value


@attrs.frozen
class Label:
    """A label to look for: a hashtag only (``#ad``) or a phrase that may also be a hashtag."""

    shown: str
    key: str  # the hashtag body it matches: folded words without spaces
    phrase: str | None  # the folded words separated by one space; None for a hashtag only

    @classmethod
    def of(cls, text: str) -> Label:
        """The label of ``text`` as a brief or a rule writes it (``#ad``, ``@brand``, ``Ad``)."""
        folded = fold(text.strip())
        if folded.startswith("#"):
            return cls(text, folded[1:], None)
        if folded.startswith("@"):
            folded = folded[1:]
        words = folded.split()
        return cls(text, "".join(words), " ".join(words))

    @classmethod
    def all(cls, texts: Iterable[str]) -> tuple[Label, ...]:
        """The labels of ``texts``, in order."""
        return tuple(cls.of(text) for text in texts)


@attrs.frozen
class Scan:
    """What one pass over the text of one place found: hashtags (position, hashtags before it
    in its run), mentions, and phrases (positions)."""

    place: str  # CAPTION, SCREEN or COMMENT
    text: str  # folded
    tags: Mapping[str, Sequence[tuple[int, int]]]
    mentions: frozenset[str]
    phrases: Mapping[str, Sequence[int]]

    def has(self, label: Label) -> bool:
        """Whether ``label`` occurs at all."""
        return label.key in self.tags or (label.phrase is not None and label.phrase in self.phrases)

    def positions(self, label: Label) -> list[tuple[int, int]]:
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


_EMPTY = {place: Scan(place, "", {}, frozenset(), {}) for place in (CAPTION, SCREEN, COMMENT)}


@attrs.frozen
class Hit:
    """Where a label was found first: the place and the label."""

    place: str
    label: Label


def first(labels: Sequence[Label], scans: Iterable[Scan]) -> Hit | None:
    """The first of ``labels`` found in ``scans``, tried in order (places first), or None."""
    for scan in scans:
        if not scan.text:
            continue
        for label in labels:
            if scan.has(label):
                return Hit(scan.place, label)
    return None


@attrs.frozen
class Scanner:
    """One regular expression for hashtags, @mentions and every phrase of the labels given."""

    pattern: re.Pattern[str]
    phrases: frozenset[str]

    @classmethod
    def of(cls, labels: Iterable[Label]) -> Scanner:
        """The scanner of ``labels`` (hashtags and mentions are always found)."""
        phrases = {label.phrase for label in labels if label.phrase}
        alternatives = [
            r"\s+".join(re.escape(word) for word in phrase.split())
            for phrase in sorted(phrases, key=len, reverse=True)
        ]
        pattern = r"(?P<tag>#\w+)|(?P<mention>(?<![\w@])@[\w.]*\w)"
        if alternatives:
            pattern += r"|(?<!\w)(?P<phrase>" + "|".join(alternatives) + r")(?!\w)"
        return cls(re.compile(pattern), frozenset(phrases))

    def scan(self, text: str, place: str) -> Scan:
        """What ``text``, shown in ``place``, holds, in one pass over it folded."""
        if not text:
            return _EMPTY[place]
        folded = fold(text)
        tags: dict[str, list[tuple[int, int]]] = {}
        mentions: set[str] = set()
        phrases: dict[str, list[int]] = {}
        known = self.phrases
        run, last_end = 0, -1
        word = _WORD.search
        for match in self.pattern.finditer(folded):
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
                if phrase not in known:  # spaces other than one blank between words
                    phrase = " ".join(phrase.split())
                phrases.setdefault(phrase, []).append(start)
        return Scan(place, folded, tags, frozenset(mentions), phrases)
