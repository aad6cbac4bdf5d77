"""The tracking service: tracked links, clicks and promo codes."""

from __future__ import annotations

import hashlib
import json

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.domain.events import LinkCreated, PromoCodeCreated
from influcampaign.rules.promo_codes import CodeRules, render_pattern
from tests.conftest import MANAGER
from tests.helpers import KEYS, PHONE, T0, events, sales_join, sales_project


class TestLinks:
    def test_link_has_an_unguessable_slug_and_lower_case_utm(self, sws: ic.Workspace) -> None:
        """A tracked link has a random 16-character lower-case slug and normalised UTM parameters
        appended to the landing URL."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        link = sws.links.create(MANAGER, emma.id, landing_url="https://shop.example/serum?ref=x")
        other = sws.links.create(MANAGER, emma.id, landing_url="https://shop.example/serum")
        assert link.slug != other.slug
        assert len(link.slug) == 16
        assert link.slug.isalnum()
        assert link.slug.islower()
        assert link.utm.params() == {
            "utm_source": "instagram",
            "utm_medium": "influencer",
            "utm_campaign": "ete-radieux",
            "utm_content": link.slug,
        }
        assert link.destination == (
            "https://shop.example/serum?ref=x&utm_source=instagram&utm_medium=influencer"
            f"&utm_campaign=ete-radieux&utm_content={link.slug}"
        )
        assert link.url("https://go.example/") == f"https://go.example/{link.slug}"
        assert events(sws, LinkCreated)[-1].slug == other.slug
        custom = sws.links.create(
            MANAGER, emma.id, landing_url="https://shop.example/", utm_source="TikTok Ads"
        )
        assert custom.utm.source == "tiktok-ads"

    def test_bad_landing_url_changes_nothing(self, sws: ic.Workspace) -> None:
        """A landing URL that is not http(s) is refused and no link is stored."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        with pytest.raises(ic.ValidationError, match="destination"):
            sws.links.create(MANAGER, emma.id, landing_url="javascript:alert(1)")
        assert sws.links.list(MANAGER, cmp.id) == []

    def test_clicks_are_deduplicated_per_visitor_within_the_window(
        self, sws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Clicks by one visitor within an hour count once as unique; a signed click token is added
        to the redirect."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        link = sws.links.create(MANAGER, emma.id, landing_url="https://shop.example/")
        first = sws.links.click(link.slug, ip="203.0.113.7", user_agent=PHONE)
        assert first.counted
        assert first.unique
        assert first.click_token is not None
        assert f"icclid={first.click_token}" in first.redirect_to
        assert KEYS.verify(first.click_token) == first.click_id
        clock.advance(minutes=59)
        again = sws.links.click(link.slug, ip="203.0.113.7", user_agent=PHONE)
        assert again.counted
        assert not again.unique
        other_person = sws.links.click(link.slug, ip="198.51.100.4", user_agent=PHONE)
        assert other_person.unique
        clock.advance(minutes=60)
        later = sws.links.click(link.slug, ip="203.0.113.7", user_agent=PHONE)
        assert later.unique  # more than an hour after the visitor's previous click

        report = sws.sales.report(MANAGER, cmp.id)
        assert report.per_link[link.id] == ic.ClickCount(4, 3)
        assert report.per_creator[emma.creator_id].clicks == 4
        assert report.per_creator[emma.creator_id].unique_clicks == 3
        assert report.per_day == {pendulum.date(2026, 3, 2): ic.ClickCount(4, 3)}

    def test_the_raw_ip_is_never_stored(self, sws: ic.Workspace) -> None:
        """A click stores a keyed visitor hash, never the raw IP nor its plain SHA-256."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        link = sws.links.create(MANAGER, emma.id, landing_url="https://shop.example/")
        sws.links.click(link.slug, ip="203.0.113.77", user_agent=PHONE)
        with sws.store.unit_of_work(read_only=True) as uow:
            (click,) = uow.clicks.find(link_id=link.id)
        stored = json.dumps(ic.make_converter().unstructure(click))
        assert "203.0.113.77" not in stored
        assert len(click.visitor) == 32
        assert click.visitor != hashlib.sha256(b"203.0.113.77").hexdigest()[:32]

    @pytest.mark.parametrize(
        ("user_agent", "method"),
        [
            ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "GET"),
            ("WhatsApp/2.24.6.77 A", "GET"),
            ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "GET"),
            ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "GET"),
            ("TelegramBot (like TwitterBot)", "GET"),
            ("", "GET"),
            (PHONE, "HEAD"),
            (PHONE, "POST"),
        ],
    )
    def test_robots_previews_and_non_get_requests_are_not_counted(
        self, sws: ic.Workspace, user_agent: str, method: str
    ) -> None:
        """Robots, link previews and non-GET requests are redirected but not counted, with a reason."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        link = sws.links.create(MANAGER, emma.id, landing_url="https://shop.example/")
        outcome = sws.links.click(link.slug, ip="203.0.113.7", user_agent=user_agent, method=method)
        assert not outcome.counted
        assert outcome.redirect_to == link.destination
        assert outcome.reason
        assert sws.sales.report(MANAGER, cmp.id).total.clicks == 0

    def test_unknown_slug_is_not_found(self, sws: ic.Workspace) -> None:
        """A slug that no link has is NotFound."""
        with pytest.raises(ic.NotFound):
            sws.links.click("nope", ip="203.0.113.7", user_agent=PHONE)

    @given(
        ip=st.sampled_from(
            ["testclient", "", "not-an-ip", "1.2.3.4, 5.6.7.8", " 2001:db8::1 ", "203.0.113.7"]
        ),
        method=st.sampled_from(["GET", "HEAD", "POST", "get"]),
        agent=st.sampled_from([PHONE, "facebookexternalhit/1.1", ""]),
    )
    @settings(max_examples=30)
    def test_a_known_slug_always_redirects(self, ip: str, method: str, agent: str) -> None:
        """Whatever the client address (a test client's, empty, an X-Forwarded-For list),
        method or agent, a known slug is redirected; only the counting depends on them."""
        ws = ic.Workspace(ic.MemoryStore(), ic.FrozenClock(T0), keys=KEYS)
        cmp = sales_project(ws)
        emma = sales_join(ws, cmp, "Emma", "emma.glow")
        link = ws.links.create(MANAGER, emma.id, landing_url="https://shop.example/")
        outcome = ws.links.click(link.slug, ip=ip, user_agent=agent, method=method)
        assert outcome.redirect_to.startswith(link.destination)
        counted = (
            method.upper() == "GET" and agent == PHONE and ip not in ("testclient", "", "not-an-ip")
        )
        assert outcome.counted is counted
        assert ws.sales.report(MANAGER, cmp.id).total.clicks == int(counted)

    def test_the_first_forwarded_address_is_the_visitor(self, sws: ic.Workspace) -> None:
        """An X-Forwarded-For list counts as its first address: the same visitor as that
        address alone."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        link = sws.links.create(MANAGER, emma.id, landing_url="https://shop.example/")
        first = sws.links.click(link.slug, ip="198.51.100.1, 10.0.0.1", user_agent=PHONE)
        again = sws.links.click(link.slug, ip="198.51.100.1", user_agent=PHONE)
        assert first.unique
        assert not again.unique

    def test_links_need_signing_keys(self, ws: ic.Workspace) -> None:
        """Without signing keys a link is refused at creation (ConfigurationError), and
        nothing is stored, rather than created with every click failing."""
        cmp = sales_project(ws)
        emma = sales_join(ws, cmp, "Emma", "emma.glow")
        before = list(ws.store.outbox.all())
        with pytest.raises(ic.ConfigurationError, match="signing keys"):
            ws.links.create(MANAGER, emma.id, landing_url="https://shop.example/")
        assert list(ws.store.outbox.all()) == before
        assert ws.links.list(MANAGER, cmp.id) == []

    def test_a_creator_reads_only_its_own_line(self, sws: ic.Workspace) -> None:
        """A creator reads only its own sales line and links, and cannot create links."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        leo = sales_join(sws, cmp, "Léo", "leo.runs")
        for p in (emma, leo):
            link = sws.links.create(MANAGER, p.id, landing_url="https://shop.example/")
            sws.links.click(link.slug, ip="203.0.113.7", user_agent=PHONE)
        mine = sws.sales.report(ic.CreatorUser(emma.creator_id), cmp.id)
        assert list(mine.per_creator) == [emma.creator_id]
        assert [lk.creator_id for lk in sws.links.list(ic.CreatorUser(leo.creator_id), cmp.id)] == [
            leo.creator_id
        ]
        with pytest.raises(ic.PermissionDenied):
            sws.links.create(ic.CreatorUser(emma.creator_id), emma.id, landing_url="https://a.b/")


class TestPromoCodes:
    def test_pattern_and_suffix_on_collision(self, sws: ic.Workspace) -> None:
        """Generated codes follow the pattern (handle and percent by default) and take a suffix on
        collision."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        first = sws.codes.create(MANAGER, emma.id, percent_off=15)
        assert first.code == "EMMAGLOW15"
        second = sws.codes.create(MANAGER, emma.id, percent_off=15)
        assert second.code.startswith("EMMAGLOW15")
        assert len(second.code) == len("EMMAGLOW15") + 3
        named = sws.codes.create(MANAGER, emma.id, pattern="{NAME}-{YEAR}")
        assert named.code == "EMMA-2026"
        assert events(sws, PromoCodeCreated)[-1].code == "EMMA-2026"

    def test_codes_are_unique_case_insensitively(self, sws: ic.Workspace) -> None:
        """A code taken in another case is refused, and lookup ignores case."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        leo = sales_join(sws, cmp, "Léo", "leo.runs")
        sws.codes.create(MANAGER, emma.id, code="Glow10")
        with pytest.raises(ic.ValidationError, match="already used"):
            sws.codes.create(MANAGER, leo.id, code="gLoW10")
        found = sws.codes.lookup(MANAGER, "acme", "glow10")
        assert found is not None
        assert found.participation_id == emma.id

    @pytest.mark.parametrize(
        ("code", "reason"),
        [
            ("AB", "3 to 255"),
            ("X" * 256, "3 to 255"),
            ("GLOW 10", "letters"),
            ("GLÖW10", "letters"),
            ("TEST", "reserved"),
            ("FUCK15", "may not be used"),
            ("SH1T-20", "may not be used"),
        ],
    )
    def test_bad_codes_are_refused(self, sws: ic.Workspace, code: str, reason: str) -> None:
        """Codes of the wrong length, with other than plain letters and digits, reserved or
        offensive are refused with the reason, and nothing is stored."""
        cmp = sales_project(sws)
        emma = sales_join(sws, cmp, "Emma", "emma.glow")
        with pytest.raises(ic.ValidationError, match=reason):
            sws.codes.create(MANAGER, emma.id, code=code)
        assert sws.codes.list(MANAGER, cmp.id) == []

    def test_words_inside_longer_words_pass(self) -> None:
        """A blocked word inside a longer harmless word does not refuse the code."""
        rules = CodeRules()
        for code in ("ASSUNTA10", "GRAPE20", "SALOPETTE15", "CLASSIC5"):
            assert rules.check(code) == code

    def test_patterns_cannot_reach_attributes(self) -> None:
        """Code patterns take only the known upper-case placeholders, never attributes, and render
        accents away."""
        with pytest.raises(ic.ValidationError, match="brace"):
            render_pattern("{HANDLE.__class__}", {"HANDLE": "x"})
        with pytest.raises(ic.ValidationError, match="unknown placeholders"):
            render_pattern("{EMAIL}", {"HANDLE": "x"})
        with pytest.raises(ic.ValidationError, match="brace"):
            render_pattern("{handle}", {"HANDLE": "x"})
        with pytest.raises(ic.ValidationError, match="PERCENT"):
            render_pattern("{HANDLE}{PERCENT}", {"HANDLE": "x"})
        assert render_pattern("{HANDLE}{PERCENT}", {"HANDLE": "zoé.b", "PERCENT": "20"}) == "ZOEB20"
