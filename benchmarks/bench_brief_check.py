"""Brief check: captions per second over 100,000 realistic captions (French and English,
emoji, line breaks, hashtags glued to words and emoji, disclosures upfront, late or absent).

Ours: a brief compiled once (:class:`BriefCheck`), one pass per caption that finds hashtags,
mentions and every phrase of interest, then a verdict per requirement with its reason.
Baseline: a naive scan that runs one regular expression per requirement and label over the
folded caption. Both must give the same verdicts before any speed is reported.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import median_time, parse_args, report

import influcampaign as ic
from influcampaign.domain.brief import MandatoryElement, RequirementKind
from influcampaign.rules.brief_check import BriefCheck, fold
from influcampaign.rules.disclosure import DISCLOSURE_RULES

HASHTAGS = ["#SummerGlow", "#MaisonLumiere", "#ÉtéRadieux", "#SPFeveryday"]
MENTIONS = ["@maison.lumiere", "@lumiere.paris"]
CODE = "LEA20"
MANDATORY = [
    MandatoryElement("SPF", match=["spf 50", "spf50"]),
    MandatoryElement("texture", match=["texture"]),
    MandatoryElement("vegan", match=["vegan", "végane"]),
]
REQUIREMENTS = ic.BriefRequirements(
    jurisdiction="US", promo_code=True, product_shown=False, mandatory=MANDATORY
)
"""A realistic brief: 4 hashtags, 2 mentions, the US disclosure, a promo code and 3 elements."""
RULE = DISCLOSURE_RULES[ic.Jurisdiction.US]

BODY = [
    "Okay so I have been testing this for three weeks now",
    "ma peau n'a jamais été aussi belle",
    "the texture is light and it layers well under sunscreen",
    "routine du matin ☀ avant le travail",
    "honestly obsessed 😍😍",
    "Finally an SPF 50 that does not feel greasy",
    "100% vegan and cruelty free 🐰",
    "une crème végane 🌿",
    "link in bio 🛍",
    "thanks for the goodies",
    "j'adore la texture ✹",
    "swipe to see the before/after ➡",
]
FILLER_TAGS = ["#skincare", "#glow", "#beauty", "#routine", "#selfcare", "#sp", "#partner"]
DISCLOSURES = ["#ad", "Ad |", "Sponsored", "#AD", "#sponsored"]


def make_captions(n: int, seed: int = 11) -> list[str]:
    """Captions with required elements present or not, in random realistic positions."""
    rng = random.Random(seed)
    captions = []
    for _ in range(n):
        parts: list[str] = []
        where = rng.random()
        disclosure = rng.choice(DISCLOSURES)
        if where < 0.45:
            parts.append(disclosure)
        parts.extend(rng.sample(BODY, rng.randint(1, 4)))
        if 0.45 <= where < 0.6:
            parts.append(disclosure)  # often after the fold
        if rng.random() < 0.6:
            parts.append(f"code {CODE.lower() if rng.random() < 0.3 else CODE} for 20% off")
        for mention in MENTIONS:
            if rng.random() < 0.6:
                parts.append(mention.upper() if rng.random() < 0.2 else mention)
        tags = [t for t in HASHTAGS if rng.random() < 0.6]
        tags += rng.sample(FILLER_TAGS, rng.randint(0, 3))
        rng.shuffle(tags)
        glue = rng.choice([" ", "", "✹", "\n"])
        parts.append(glue.join(tags))
        captions.append(rng.choice([" ", "\n", "\n\n"]).join(parts))
    return captions


def ours(captions: list[str]) -> list[tuple[tuple[str, str, str], ...]]:
    brief = BriefCheck(REQUIREMENTS, hashtags=HASHTAGS, mentions=MENTIONS)
    return [
        tuple(
            (r.kind, r.label, r.verdict)  # StrEnums: equal to the baseline's strings
            for r in brief.check(caption, promo_codes=[CODE]).results
        )
        for caption in captions
    ]


def naive(captions: list[str]) -> list[tuple[tuple[str, str, str], ...]]:
    """One regular expression per requirement and label, each scanning the caption."""
    tag_res = [(h, re.compile(re.escape(fold(h)) + r"(?!\w)")) for h in HASHTAGS]
    mention_res = [
        (m, re.compile(r"(?<![\w@])" + re.escape(fold(m)) + r"(?![\w.]*\w)")) for m in MENTIONS
    ]
    accepted = [
        re.compile(
            (re.escape(fold(a)) if a.startswith("#") else r"(?<!\w)" + re.escape(fold(a)))
            + r"(?!\w)"
        )
        for a in RULE.accepted
    ]
    insufficient = [
        re.compile(r"(?<!\w)" + re.escape(fold(w)).replace(r"\ ", r"\s+") + r"(?!\w)")
        for w, _ in RULE.insufficient
    ]
    code_re = re.compile(r"(?<![^\W_])" + re.escape(fold(CODE)) + r"(?![^\W_])")
    mandatory = [
        (
            element.label,
            [
                re.compile(r"(?<!\w)" + re.escape(fold(p)).replace(r"\ ", r"\s+") + r"(?!\w)")
                for p in element.match
            ],
        )
        for element in MANDATORY
    ]
    found, missing = "found", "missing"
    results = []
    for caption in captions:
        text = fold(caption)
        row = [("hashtag", h, found if r.search(text) else missing) for h, r in tag_res]
        row += [("mention", m, found if r.search(text) else missing) for m, r in mention_res]
        hits = [m.start() for r in accepted if (m := r.search(text))]
        upfront = any(p < (RULE.upfront_chars or 0) for p in hits)
        if not upfront:
            any(r.search(text) for r in insufficient)  # for the reason, as the SDK does
        row.append(("disclosure", "disclosure", found if upfront else missing))
        row.append(("promo_code", "promo code", found if code_re.search(text) else missing))
        row += [
            ("mandatory", label, found if any(r.search(text) for r in res) else missing)
            for label, res in mandatory
        ]
        results.append(tuple(row))
    return results


def main() -> None:
    args = parse_args(__doc__ or "")
    n = 10_000 if args.quick else 100_000
    captions = make_captions(n)
    ours_s, got = median_time(lambda: ours(captions), args.repeats)
    naive_s, want = median_time(lambda: naive(captions), args.repeats)
    assert got == want, "the SDK and the naive scan disagree"
    kinds = {RequirementKind(k) for row in got for k, _, _ in row}
    found_share = sum(v == "found" for row in got for _, _, v in row) / sum(len(r) for r in got)
    print(f"captions: {n:,}, requirements per caption: {len(got[0])} ({len(kinds)} kinds)")
    print(f"share of requirements found: {found_share:.1%}")
    print(f"ours : {ours_s:.3f} s  ({n / ours_s:,.0f} captions/s)")
    print(f"naive: {naive_s:.3f} s  ({n / naive_s:,.0f} captions/s)")
    print(f"speedup: {naive_s / ours_s:.2f}x")
    report(
        {
            "benchmark": "brief_check",
            "size": {"captions": n, "requirements": len(got[0])},
            "ours_s": round(ours_s, 4),
            "baseline": "naive per-requirement regex scan",
            "baseline_s": round(naive_s, 4),
            "speedup": round(naive_s / ours_s, 2),
            "captions_per_s": round(n / ours_s),
        }
    )


if __name__ == "__main__":
    main()
