"""The brief check (influcampaign.rules.brief) on real captions, disclosure rules,
the other requirement kinds, the compliance percentage, properties and bad input."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.domain.brief import MandatoryElement, RequirementKind
from influcampaign.rules.brief_check import BriefCheck, fold
from influcampaign.rules.disclosure import DISCLOSURE_RULES

F, M, R = ic.BriefVerdict.FOUND, ic.BriefVerdict.MISSING, ic.BriefVerdict.NEEDS_REVIEW


TAG, ETE, AT, DISC = "#SummerGlow", "#ÉtéRadieux", "@maison.lumiere", "disclosure"


LONG = (
    "Okay so I have been testing this for three full weeks now and honestly my skin has never "
    "looked this good, the texture is light and it layers well under sunscreen "
)


def check(
    jurisdiction: str | None,
    caption: str,
    *,
    first_comment: str = "",
    on_screen_text: str = "",
    **requirements: Any,
) -> ic.BriefReport:
    brief = BriefCheck(
        ic.BriefRequirements(jurisdiction=jurisdiction, **requirements),
        hashtags=[TAG, ETE],
        mentions=[AT],
    )
    return brief.check(caption, first_comment=first_comment, on_screen_text=on_screen_text)


# (id, jurisdiction, caption, first comment, on-screen text, expected verdicts, a word of the reason)
CAPTIONS: list[tuple[str, str, str, str, str, dict[str, ic.BriefVerdict], str]] = [
    # -- United States (FTC) ------------------------------------------------------------
    (
        "us-ad-upfront",
        "US",
        "#ad Loving my new @maison.lumiere serum ✹ #SummerGlow",
        "",
        "",
        {TAG: F, AT: F, DISC: F},
        "",
    ),
    (
        "us-word-ad",
        "US",
        "Ad | Morning routine with @Maison.Lumiere 🌞\n\n#summerglow #skincare",
        "",
        "",
        {TAG: F, AT: F, DISC: F},
        "",
    ),
    (
        "us-sponsored-by",
        "US",
        "Sponsored by @maison.lumiere — glow all summer long! #SummerGlow",
        "",
        "",
        {DISC: F},
        "",
    ),
    (
        "us-pile-of-hashtags",
        "US",
        "Obsessed with this serum!!! 😍😍 @maison.lumiere\n.\n.\n.\n#skincare #glow #beauty #summerglow #ad",
        "",
        "",
        {TAG: F, AT: F, DISC: M},
        "pile of hashtags",
    ),
    (
        "us-after-the-fold",
        "US",
        LONG + "@maison.lumiere #SummerGlow. #ad",
        "",
        "",
        {DISC: M},
        "first 125",
    ),
    (
        "us-thanks-brand",
        "US",
        "Thanks @maison.lumiere for the goodies! #SummerGlow",
        "",
        "",
        {AT: F, DISC: M},
        "thanks",
    ),
    ("us-sp", "US", "#sp Summer vibes with @maison.lumiere #SummerGlow", "", "", {DISC: M}, "#sp"),
    (
        "us-partner",
        "US",
        "New favourite 💛 #partner @maison.lumiere #summerglow",
        "",
        "",
        {DISC: M},
        "#partner",
    ),
    (
        "us-upper-case-glued-to-emoji",
        "US",
        "#AD Glowing ✹#SummerGlow✹ @MAISON.LUMIERE",
        "",
        "",
        {TAG: F, AT: F, DISC: F},
        "",
    ),
    (
        "us-glued-to-words",
        "US",
        "Glow getter#ad#summerglow @maison.lumiere",
        "",
        "",
        {TAG: F, AT: F, DISC: F},
        "",
    ),
    (
        "us-paid-partnership",
        "US",
        "Paid partnership with @maison.lumiere. #SummerGlow",
        "",
        "",
        {AT: F, DISC: F},
        "",
    ),
    (
        "us-tag-without-hash",
        "US",
        "#ad My summer skin 🌞 summerglow @maison.lumiere",
        "",
        "",
        {TAG: M},
        "without '#'",
    ),
    (
        "us-mention-in-first-comment",
        "US",
        "#ad Summer skin! #SummerGlow",
        "@maison.lumiere",
        "",
        {AT: M},
        "first comment",
    ),
    (
        "us-hashtags-in-first-comment",
        "US",
        "#ad Summer skin with @maison.lumiere",
        "#SummerGlow #skincare #glow",
        "",
        {TAG: F, DISC: F},
        "",
    ),
    (
        "us-disclosure-in-first-comment",
        "US",
        "Summer skin with @maison.lumiere #SummerGlow",
        "#ad",
        "",
        {DISC: M},
        "first comment",
    ),
    (
        "us-mention-without-at",
        "US",
        "#ad glowing with maison.lumiere #SummerGlow",
        "",
        "",
        {AT: M},
        "without '@'",
    ),
    (
        "us-adidas-is-not-ad",
        "US",
        "#adidas fit check 👟 @maison.lumiere #SummerGlow",
        "",
        "",
        {DISC: M},
        "no disclosure",
    ),
    (
        "us-fancy-unicode",
        "US",
        "#𝗮𝗱 𝗦𝘂𝗺𝗺𝗲𝗿 glow #SummerGlow @maison.lumiere",
        "",
        "",
        {TAG: F, AT: F, DISC: F},
        "",
    ),
    (
        "us-email-is-not-a-mention",
        "US",
        "email me at hello@maison.lumiere.com #ad #SummerGlow",
        "",
        "",
        {AT: M, DISC: F},
        "",
    ),
    (
        "us-full-width",
        "US",
        "ＡＤ ｜ summer glow ＃SummerGlow @maison.lumiere",
        "",
        "",
        {TAG: F, DISC: F},
        "",
    ),
    (
        "us-ambassador",
        "US",
        "#ambassador life ✹ @maison.lumiere #SummerGlow",
        "",
        "",
        {DISC: M},
        "#ambassador",
    ),
    (
        "us-story-on-screen",
        "US",
        "",
        "",
        "Ad • @maison.lumiere #SummerGlow",
        {TAG: F, AT: F, DISC: F},
        "image or video",
    ),
    (
        "us-ad-first-of-a-run",
        "US",
        "#ad #SummerGlow #skincare #beauty #glow",
        "",
        "",
        {TAG: F, AT: M, DISC: F},
        "",
    ),
    (
        "us-line-breaks",
        "US",
        "Ad\n\n\nSummer skin\n\n#SummerGlow\n\n@maison.lumiere",
        "",
        "",
        {TAG: F, AT: F, DISC: F},
        "",
    ),
    (
        "us-nothing",
        "US",
        "Just a nice day at the beach 🏖",
        "",
        "",
        {TAG: M, AT: M, DISC: M},
        "no disclosure",
    ),
    # -- United Kingdom (ASA/CMA) --------------------------------------------------------
    (
        "uk-ad-upfront",
        "UK",
        "Ad | my @maison.lumiere haul #SummerGlow",
        "",
        "",
        {TAG: F, AT: F, DISC: F},
        "",
    ),
    (
        "uk-sponsored-not-enough",
        "UK",
        "#sponsored by @maison.lumiere #SummerGlow",
        "",
        "",
        {DISC: M},
        "ASA",
    ),
    ("uk-gifted", "UK", "Gifted by @maison.lumiere 🎁 #SummerGlow", "", "", {DISC: M}, "gifted"),
    (
        "uk-in-collaboration-with",
        "UK",
        "In collaboration with @maison.lumiere #SummerGlow",
        "",
        "",
        {DISC: M},
        "in collaboration with",
    ),
    (
        "uk-advertisement-feature",
        "UK",
        "Advertisement feature: @maison.lumiere #SummerGlow",
        "",
        "",
        {DISC: F},
        "",
    ),
    (
        "uk-buried-at-the-end",
        "UK",
        LONG + "#SummerGlow @maison.lumiere #ad",
        "",
        "",
        {DISC: M},
        "first 125",
    ),
    (
        "uk-ad-and-hashtag",
        "UK",
        "AD - new in from @maison.lumiere #summerglow #ad",
        "",
        "",
        {TAG: F, DISC: F},
        "",
    ),
    # -- France (loi du 9 juin 2023, ordonnance du 6 novembre 2024) -------------------------
    (
        "fr-on-screen",
        "FR",
        "Publicité | Ma routine été avec @maison.lumiere ☀ #SummerGlow",
        "",
        "Publicité",
        {TAG: F, AT: F, DISC: F},
        "",
    ),
    (
        "fr-caption-only",
        "FR",
        "Publicité - ma routine #SummerGlow @maison.lumiere",
        "",
        "",
        {DISC: R},
        "image or video",
    ),
    (
        "fr-no-accents-capitals",
        "FR",
        "PUBLICITE ma routine #summerglow @maison.lumiere",
        "",
        "PUBLICITÉ",
        {DISC: F},
        "",
    ),
    (
        "fr-collaboration-commerciale",
        "FR",
        "Collaboration commerciale avec @maison.lumiere #SummerGlow",
        "",
        "Collaboration commerciale",
        {AT: F, DISC: F},
        "",
    ),
    (
        "fr-pub-abbreviation",
        "FR",
        "#pub ma routine @maison.lumiere #SummerGlow",
        "",
        "",
        {DISC: R},
        "equivalent",
    ),
    (
        "fr-english-ad",
        "FR",
        "#ad ma routine ✹ @maison.lumiere #SummerGlow",
        "",
        "",
        {DISC: M},
        "English",
    ),
    (
        "fr-accents-in-hashtag",
        "FR",
        "Publicité ✹ #EteRadieux @maison.lumiere",
        "",
        "publicité",
        {ETE: F, TAG: M, DISC: F},
        "",
    ),
    ("fr-lower-case-accented-tag", "FR", "publicité 🌞#étéradieux", "", "Publicité", {ETE: F}, ""),
    (
        "fr-gift-is-advertising",
        "FR",
        "Merci @maison.lumiere pour ce cadeau 🎁 produit offert #SummerGlow",
        "",
        "",
        {AT: F, DISC: M},
        "offert",
    ),
    ("fr-sponsorise", "FR", "Sponsorisé par @maison.lumiere", "", "", {DISC: R}, "equivalent"),
    (
        "fr-partenariat-remunere",
        "FR",
        "En partenariat rémunéré avec @maison.lumiere",
        "",
        "",
        {DISC: R},
        "partenariat",
    ),
    (
        "fr-mention-at-the-end",
        "FR",
        "Ma routine du matin\n\nPublicité\n#SummerGlow @maison.lumiere",
        "",
        "Publicité",
        {DISC: F},
        "",
    ),
    (
        "fr-hashtag-publicite",
        "FR",
        "#Publicité ma routine #SummerGlow",
        "",
        "#publicité",
        {DISC: F},
        "",
    ),
    ("fr-nothing", "FR", "Ma routine du matin ☀", "", "", {DISC: M}, "no disclosure"),
]


def _result(report: ic.BriefReport, label: str) -> ic.RequirementResult:
    kind = {
        "#": RequirementKind.HASHTAG,
        "@": RequirementKind.MENTION,
    }.get(label[0], RequirementKind.DISCLOSURE)
    return report.result(kind, None if kind is RequirementKind.DISCLOSURE else label)


_pieces = st.sampled_from(
    [
        "love it",
        "✹",
        "😍😍",
        "\n\n",
        "#skincare",
        "#glow",
        "@someone",
        "thanks",
        "#sp",
        "Ad",
        "#ad",
        "Publicité",
        "summerglow",
        "code LEA20",
        "link in bio",
        "règlement",
        LONG,
    ]
)


_captions = st.lists(_pieces, max_size=12).map(" ".join)


_required = st.sampled_from(
    [
        TAG,
        ETE,
        AT,
        "#ad",
        "Ad",
        "Sponsored",
        "Publicité",
        "Collaboration commerciale",
        "Image retouchée",
        "LEA20",
        "shop.example/r/abc123",
        "Règlement",
        "SPF 50",
    ]
)


_requirements = st.builds(
    ic.BriefRequirements,
    jurisdiction=st.sampled_from([None, "US", "UK", "FR"]),
    retouched_images=st.booleans(),
    promo_code=st.booleans(),
    tracked_link=st.booleans(),
    contest_rules=st.booleans(),
    product_shown=st.booleans(),
    mandatory=st.just([MandatoryElement("SPF", match=["SPF 50"])]),
    hashtags_in_first_comment=st.booleans(),
)


def _run(requirements: ic.BriefRequirements, caption: str, screen: str) -> ic.BriefReport:
    return BriefCheck(requirements, hashtags=[TAG, ETE], mentions=[AT]).check(
        caption,
        on_screen_text=screen,
        promo_codes=["LEA20"],
        links=["https://shop.example/r/abc123"],
    )


class TestRealCaptions:
    def test_there_are_at_least_forty(self) -> None:
        """The table covers at least 40 captions, in French and English."""
        assert len(CAPTIONS) >= 40
        assert {row[1] for row in CAPTIONS} == {"US", "UK", "FR"}

    @pytest.mark.parametrize(
        ("jurisdiction", "caption", "comment", "screen", "expected", "why"),
        [row[1:] for row in CAPTIONS],
        ids=[row[0] for row in CAPTIONS],
    )
    def test_verdicts(
        self,
        jurisdiction: str,
        caption: str,
        comment: str,
        screen: str,
        expected: dict[str, ic.BriefVerdict],
        why: str,
    ) -> None:
        """Each requirement gets the verdict a careful reviewer would give, with its reason."""
        report = check(jurisdiction, caption, first_comment=comment, on_screen_text=screen)
        got = {label: _result(report, label).verdict for label in expected}
        assert got == expected
        if why:
            reasons = " ".join(r.reason for r in report.results)
            assert why.casefold() in reasons.casefold()


class TestDisclosure:
    def test_the_reason_names_the_rule_that_failed(self) -> None:
        """A failed disclosure names its jurisdiction and authority."""
        report = check("US", "#sp love it")
        result = report.result(RequirementKind.DISCLOSURE)
        assert "US (FTC)" in result.reason
        assert "#sp" in result.reason
        assert result.evidence == "#sp"

    def test_rules_are_data(self) -> None:
        """Each shipped rule cites its source and lists accepted and insufficient labels."""
        for jurisdiction, rule in DISCLOSURE_RULES.items():
            assert rule.jurisdiction is jurisdiction
            assert rule.source
            assert rule.accepted
            assert rule.insufficient

    def test_a_host_can_bring_its_own_rule(self) -> None:
        """Passing rules replaces the shipped ones."""
        import attrs

        strict = attrs.evolve(DISCLOSURE_RULES[ic.Jurisdiction.US], upfront_chars=5)
        brief = BriefCheck(
            ic.BriefRequirements(jurisdiction="US"), rules={ic.Jurisdiction.US: strict}
        )
        assert brief.check("#ad hi").result(RequirementKind.DISCLOSURE).verdict is F
        assert brief.check("hello #ad").result(RequirementKind.DISCLOSURE).verdict is M

    def test_no_jurisdiction_no_disclosure_check(self) -> None:
        """Without a jurisdiction the brief does not check a disclosure."""
        report = check(None, "hello")
        assert all(r.kind is not RequirementKind.DISCLOSURE for r in report.results)

    @pytest.mark.parametrize(
        ("screen", "caption", "verdict"),
        [
            ("Publicité · Image retouchée", "", F),
            ("Publicité · Images retouchées", "", F),
            ("Publicité", "Image retouchée", R),
            ("Publicité", "", M),
        ],
    )
    def test_retouched_image_label(
        self, screen: str, caption: str, verdict: ic.BriefVerdict
    ) -> None:
        """France: «Image(s) retouchée(s)» on the media; in the caption only, a person checks."""
        report = check("FR", caption, on_screen_text=screen, retouched_images=True)
        assert report.result(RequirementKind.RETOUCHED_LABEL).verdict is verdict

    def test_virtual_image_label(self) -> None:
        """France: «Image virtuelle» or «Images virtuelles»."""
        found = check("FR", "", on_screen_text="Images virtuelles", virtual_images=True)
        missing = check("FR", "Publicité", virtual_images=True)
        assert found.result(RequirementKind.VIRTUAL_LABEL).verdict is F
        assert missing.result(RequirementKind.VIRTUAL_LABEL).verdict is M


class TestOtherRequirements:
    def _brief(self, **requirements: Any) -> BriefCheck:
        return BriefCheck(ic.BriefRequirements(product_shown=False, **requirements))

    @pytest.mark.parametrize(
        ("caption", "codes", "verdict"),
        [
            ("20% off with code LEA20 ✹", ["LEA20"], F),
            ("code lea20 for 20% off", ["LEA20"], F),
            ("use LEA200 at checkout", ["LEA20"], M),
            ("use my code at checkout", [], R),
        ],
    )
    def test_promo_code(self, caption: str, codes: list[str], verdict: ic.BriefVerdict) -> None:
        """The creator's own code must be given, as a whole word, any case."""
        report = self._brief(promo_code=True).check(caption, promo_codes=codes)
        assert report.result(RequirementKind.PROMO_CODE).verdict is verdict

    @pytest.mark.parametrize(
        ("caption", "format", "verdict"),
        [
            ("shop it: shop.example/r/abc123", None, F),
            ("https://SHOP.example/r/AbC123 🛍", None, F),
            ("link in bio!", None, R),
            ("lien en bio 💛", None, R),
            ("", ic.ContentFormat.STORY, R),
            ("go buy it", None, M),
        ],
    )
    def test_tracked_link(
        self, caption: str, format: ic.ContentFormat | None, verdict: ic.BriefVerdict
    ) -> None:
        """The tracked link in the text is found; "link in bio" or a story sticker needs a look."""
        report = self._brief(tracked_link=True).check(
            caption, format=format, links=["https://shop.example/r/AbC123"]
        )
        assert report.result(RequirementKind.TRACKED_LINK).verdict is verdict

    def test_contest_rules_for_a_contest(self) -> None:
        """A contest must refer to its rules; "Règlement" without its accent counts."""
        brief = BriefCheck(ic.BriefRequirements(product_shown=False), contest=True)
        assert brief.check("Reglement en bio").result(RequirementKind.CONTEST_RULES).verdict is F
        assert brief.check("Win it!").result(RequirementKind.CONTEST_RULES).verdict is M
        not_a_contest = BriefCheck(ic.BriefRequirements()).check("Win it!")
        assert all(r.kind is not RequirementKind.CONTEST_RULES for r in not_a_contest.results)

    def test_mandatory_elements(self) -> None:
        """An element with phrases is looked for; one without needs a person."""
        brief = self._brief(
            mandatory=[
                MandatoryElement("say it is SPF 50", match=["spf 50", "spf50"]),
                "show the texture on the hand",
            ]
        )
        report = brief.check("Finally an SPF50 that does not feel greasy")
        assert [r.verdict for r in report.results] == [F, R]
        assert brief.check("nice").results[0].verdict is M

    def test_product_shown_is_a_manual_check(self) -> None:
        """The product shown always needs a human look."""
        report = BriefCheck(ic.BriefRequirements()).check("anything")
        assert report.result(RequirementKind.PRODUCT_SHOWN).verdict is R


class TestPercentage:
    def test_hand_computed(self) -> None:
        """Weights are shared within a kind: 2 hashtags of weight 2, a mention of 2, a
        disclosure of 4, the product 2 → found 1 + 2 + 4 of 10 = 70 %, 90 % if reviews pass."""
        brief = BriefCheck(
            ic.BriefRequirements(jurisdiction="US"), hashtags=[TAG, "#Other"], mentions=[AT]
        )
        report = brief.check("#ad #SummerGlow @maison.lumiere")
        assert [r.weight for r in report.results] == [
            Decimal(1),
            Decimal(1),
            Decimal(2),
            Decimal(4),
            Decimal(2),
        ]
        assert report.suggested_compliance == 70
        assert report.if_reviews_pass == 90

    def test_weights_are_configurable(self) -> None:
        """A weight of 0 leaves a kind out of the percentage."""
        weights = ic.BriefWeights(product_shown=0, hashtag=1)
        brief = BriefCheck(ic.BriefRequirements(jurisdiction="US", weights=weights), hashtags=[TAG])
        assert brief.check("#ad").suggested_compliance == 80  # 4 of 5

    def test_nothing_required_is_fully_compliant(self) -> None:
        """An empty brief scores 100."""
        report = BriefCheck(ic.BriefRequirements(product_shown=False)).check("hi")
        assert report.results == ()
        assert report.suggested_compliance == 100

    def test_bad_weights_are_refused(self) -> None:
        """Weights are integers 0-1000."""
        with pytest.raises(ic.ValidationError, match=r"weights\.hashtag"):
            ic.BriefWeights(hashtag=-1)


class TestProperties:
    @given(_requirements, st.text(max_size=300), st.text(max_size=50))
    def test_percentage_is_between_0_and_100(
        self, requirements: ic.BriefRequirements, caption: str, screen: str
    ) -> None:
        """Any text gives a report whose percentages are within 0-100, confirmed ≀ if reviews pass."""
        report = _run(requirements, caption, screen)
        assert 0 <= report.suggested_compliance <= report.if_reviews_pass <= 100

    @given(_requirements, _captions, _captions, _required)
    def test_adding_a_required_element_never_lowers_it(
        self, requirements: ic.BriefRequirements, caption: str, screen: str, element: str
    ) -> None:
        """Appending a required element to the caption or the on-screen text never lowers the
        suggested percentage nor the one if reviews pass."""
        before = _run(requirements, caption, screen)
        for after in (
            _run(requirements, caption + "\n" + element, screen),
            _run(requirements, caption, screen + "\n" + element),
        ):
            assert after.suggested_compliance >= before.suggested_compliance
            assert after.if_reviews_pass >= before.if_reviews_pass

    @given(st.text(min_size=1, max_size=30))
    def test_fold_ignores_case_and_accents(self, word: str) -> None:
        """Folding is idempotent and ignores case."""
        assume(word.upper().lower() == word.lower())
        assert fold(fold(word)) == fold(word)
        assert fold(word.upper()) == fold(word.lower())


class TestBadInput:
    def test_100_kb_of_emoji_is_checked(self) -> None:
        """A caption of 100 KB of emoji gets a correct answer."""
        caption = "😀" * 25_000
        assert len(caption.encode()) == 100_000
        report = check("US", caption)
        assert report.result(RequirementKind.DISCLOSURE).verdict is M
        assert report.suggested_compliance == 0

    def test_longer_than_the_limit_is_refused(self) -> None:
        """Beyond 100,000 characters: a ValidationError naming the field."""
        with pytest.raises(ic.ValidationError, match="caption"):
            check("US", "#ad " + "a" * 100_000)

    def test_a_caption_must_be_text(self) -> None:
        """Not a string: a ValidationError naming the field."""
        with pytest.raises(ic.ValidationError, match="first_comment"):
            BriefCheck(ic.BriefRequirements()).check("ok", first_comment=None)  # type: ignore[arg-type]

    def test_unknown_jurisdiction(self) -> None:
        """An unknown jurisdiction is refused, naming the field."""
        with pytest.raises(ic.ValidationError, match="jurisdiction"):
            ic.BriefRequirements(jurisdiction="DE")
