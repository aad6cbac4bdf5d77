"""Tracked links, clicks, promo codes, Shopify webhooks and CSV export, attribution and sales
figures: exact, de-duplicated and safe against tampering."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.adapters.shopify import (
    ShopifyShop,
    ShopifyWebhooks,
    parse_webhook,
    read_orders_csv,
    verify_webhook,
)
from influcampaign.domain.orders import TouchKind
from influcampaign.rules.attribution import Touch, decide
from influcampaign.rules.promo_codes import CodeRules, render_pattern
from tests.conftest import MANAGER, upgrade_old_database

PARIS = "Europe/Paris"
SECRET = "hush-its-a-shopify-secret"
SHOP = "maison-lumiere.myshopify.com"
KEYS = ic.SigningKeys({"k1": b"k1-" + b"x" * 40}, current="k1")
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 330.0.0.40.92"
T0 = pendulum.datetime(2026, 3, 2, 9, tz=PARIS)


# -- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def sws(make_workspace: Callable[[], ic.Workspace]) -> ic.Workspace:
    """A workspace with signing keys and a USD→EUR rate, on each backend."""
    base = make_workspace()
    return ic.Workspace(
        base.store,
        base.clock,
        ids=base.ids,
        keys=KEYS,
        rates=ic.FixedRates({("USD", "EUR"): "0.9"}, source="test table"),
    )


def campaign(ws: ic.Workspace, **changes: Any) -> ic.Campaign:
    made = ws.campaigns.create(
        MANAGER,
        brand_id="acme",
        brand_name="Maison Lumière",
        name="Été Radieux",
        kind="sales_tracking",
        mode="project",
        start=pendulum.datetime(2026, 3, 1, tz=PARIS),
        end=pendulum.datetime(2026, 7, 1, tz=PARIS),
        timezone=PARIS,
        compensation=ic.Compensation(fee=ic.Money.of(100, "EUR")),
        **changes,
    )
    ws.campaigns.start(MANAGER, made.id)
    return made


def join(ws: ic.Workspace, cmp: ic.Campaign, name: str, handle: str) -> ic.Participation:
    creator = ws.creators.register(
        MANAGER,
        name,
        handles={"instagram": handle},
        audience={"instagram": ic.AudienceStats(25_000)},
    )
    p = ws.participations.add(MANAGER, cmp.id, creator.id)
    ws.participations.confirm(MANAGER, p.id)
    return ws.participations.get(MANAGER, p.id)


def order_payload(
    order_id: int,
    *,
    subtotal: str = "100.00",
    total: str = "108.00",
    currency: str = "EUR",
    codes: tuple[str, ...] = (),
    landing_site: str | None = None,
    click_token: str | None = None,
    created_at: str = "2026-03-10T14:00:00+01:00",
    updated_at: str | None = None,
    financial_status: str = "pending",
    source_name: str = "web",
    cancelled_at: str | None = None,
    refunds: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An order webhook body shaped like Shopify's (fields the SDK ignores included)."""
    return {
        "id": order_id,
        "admin_graphql_api_id": f"gid://shopify/Order/{order_id}",
        "name": f"#{order_id % 10_000}",
        "email": "jon@example.com",
        "browser_ip": "203.0.113.9",
        "created_at": created_at,
        "updated_at": updated_at or created_at,
        "processed_at": created_at,
        "currency": currency,
        "presentment_currency": currency,
        "subtotal_price": subtotal,
        "total_price": total,
        "total_tax": "8.00",
        "total_discounts": "10.00" if codes else "0.00",
        "taxes_included": False,
        "financial_status": financial_status,
        "fulfillment_status": None,
        "source_name": source_name,
        "landing_site": landing_site,
        "referring_site": "https://l.instagram.com/" if landing_site else None,
        "discount_codes": [{"code": c, "amount": "5.00", "type": "percentage"} for c in codes],
        "note_attributes": [{"name": "icclid", "value": click_token}] if click_token else [],
        "cancelled_at": cancelled_at,
        "cancel_reason": "customer" if cancelled_at else None,
        "test": False,
        "line_items": [{"id": 466157049, "title": "Sérum éclat", "quantity": 1, "price": subtotal}],
        "refunds": refunds or [],
        "customer": {"id": 115310627314723954, "email": "jon@example.com"},
    }


def refund_payload(
    refund_id: int, order_id: int, amount: str, currency: str = "EUR", **more: Any
) -> dict[str, Any]:
    """A refunds/create body: the refund's transactions carry the money."""
    return {
        "id": refund_id,
        "order_id": order_id,
        "created_at": more.get("created_at", "2026-03-20T10:00:00+01:00"),
        "note": "damaged",
        "restock": True,
        "refund_line_items": [],
        "transactions": [
            {
                "id": refund_id * 10,
                "order_id": order_id,
                "kind": "refund",
                "gateway": "shopify_payments",
                "status": more.get("status", "success"),
                "amount": amount,
                "currency": currency,
            }
        ],
        "order_adjustments": [],
    }


def sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def deliver(
    hooks: ShopifyWebhooks, topic: str, payload: dict[str, Any], event_id: str, **headers: str
) -> Any:
    body = json.dumps(payload).encode()
    sent = {
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": sign(body),
        "X-Shopify-Shop-Domain": SHOP,
        "X-Shopify-Event-Id": event_id,
        "X-Shopify-Webhook-Id": f"wh-{event_id}",
        **headers,
    }
    return hooks.handle(sent, body)


def hooks_for(ws: ic.Workspace) -> ShopifyWebhooks:
    return ShopifyWebhooks(ws, {SHOP: ShopifyShop("acme", (SECRET,))})


def events(ws: ic.Workspace, type_: str) -> list[Any]:
    return [m.event for m in ws.store.outbox.all() if m.event.type == type_]


# -- signed tokens and signatures ---------------------------------------------------------------


class TestSigning:
    def test_shopify_signature_matches_a_digest_computed_elsewhere(self) -> None:
        """The known vector was computed with `openssl dgst -sha256 -hmac … -binary | base64`."""
        body = b'{"id":820982911946154508,"email":"jon@example.com","total_price":"379.69"}'
        digest = "pXl0pT1wXvEWk2yC8e3N6lsYJh+5i1vMMwOQwP7O5Ro="
        verify_webhook(body, digest, [SECRET])
        verify_webhook(body, digest, ["the-new-secret", SECRET])  # during a rotation
        with pytest.raises(ic.SignatureError, match="does not match"):
            verify_webhook(body.replace(b"379.69", b"379.60"), digest, [SECRET])
        with pytest.raises(ic.SignatureError, match="does not match"):
            verify_webhook(body + b" ", digest, [SECRET])
        with pytest.raises(ic.SignatureError, match="missing"):
            verify_webhook(body, None, [SECRET])
        with pytest.raises(ic.SignatureError, match="does not match"):
            verify_webhook(body, digest, ["another-secret"])

    def test_tokens_verify_with_current_and_previous_keys_only(self) -> None:
        old = ic.SigningKeys({"k1": b"a" * 32}, current="k1")
        rotated = ic.SigningKeys({"k1": b"a" * 32, "k2": b"b" * 32}, current="k2")
        token = old.sign("clk_1")
        assert rotated.verify(token) == "clk_1"
        assert rotated.sign("clk_1").split(".")[1] == "k2"
        after = ic.SigningKeys({"k2": b"b" * 32}, current="k2")
        with pytest.raises(ic.SignatureError, match="unknown key"):
            after.verify(token)
        payload, kid, sig = token.split(".")
        for forged in (f"clk_2.{kid}.{sig}", f"{payload}.{kid}.{sig[:-1]}A", "clk_1", "", None):
            with pytest.raises(ic.SignatureError):
                old.verify(forged)
        assert "a" * 32 not in repr(rotated)

    def test_short_secrets_and_unknown_current_key_are_refused(self) -> None:
        with pytest.raises(ic.ValidationError, match="at least 32 bytes") as info:
            ic.SigningKeys({"k1": b"short"}, current="k1")
        assert "short" not in str(info.value)
        with pytest.raises(ic.ValidationError, match="current"):
            ic.SigningKeys({"k1": b"a" * 32}, current="k9")


# -- links and clicks ------------------------------------------------------------------------


class TestLinks:
    def test_link_has_an_unguessable_slug_and_lower_case_utm(self, sws: ic.Workspace) -> None:
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
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
        assert events(sws, "LinkCreated")[-1].slug == other.slug
        custom = sws.links.create(
            MANAGER, emma.id, landing_url="https://shop.example/", utm_source="TikTok Ads"
        )
        assert custom.utm.source == "tiktok-ads"

    def test_bad_landing_url_changes_nothing(self, sws: ic.Workspace) -> None:
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        with pytest.raises(ic.ValidationError, match="destination"):
            sws.links.create(MANAGER, emma.id, landing_url="javascript:alert(1)")
        assert sws.links.list(MANAGER, cmp.id) == []

    def test_clicks_are_deduplicated_per_visitor_within_the_window(self, sws: ic.Workspace) -> None:
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        link = sws.links.create(MANAGER, emma.id, landing_url="https://shop.example/")
        first = sws.links.click(link.slug, ip="203.0.113.7", user_agent=PHONE)
        assert first.counted
        assert first.unique
        assert first.click_token is not None
        assert f"icclid={first.click_token}" in first.redirect_to
        assert KEYS.verify(first.click_token) == first.click_id
        sws.clock.advance(minutes=59)  # type: ignore[attr-defined]
        again = sws.links.click(link.slug, ip="203.0.113.7", user_agent=PHONE)
        assert again.counted
        assert not again.unique
        other_person = sws.links.click(link.slug, ip="198.51.100.4", user_agent=PHONE)
        assert other_person.unique
        sws.clock.advance(minutes=60)  # type: ignore[attr-defined]
        later = sws.links.click(link.slug, ip="203.0.113.7", user_agent=PHONE)
        assert later.unique  # more than an hour after the visitor's previous click

        report = sws.sales.report(MANAGER, cmp.id)
        assert report.per_link[link.id] == ic.ClickCount(4, 3)
        assert report.per_creator[emma.creator_id].clicks == 4
        assert report.per_creator[emma.creator_id].unique_clicks == 3
        assert report.per_day == {pendulum.date(2026, 3, 2): ic.ClickCount(4, 3)}

    def test_the_raw_ip_is_never_stored(self, sws: ic.Workspace) -> None:
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
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
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
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
        cmp = campaign(ws)
        emma = join(ws, cmp, "Emma", "emma.glow")
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
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        link = sws.links.create(MANAGER, emma.id, landing_url="https://shop.example/")
        first = sws.links.click(link.slug, ip="198.51.100.1, 10.0.0.1", user_agent=PHONE)
        again = sws.links.click(link.slug, ip="198.51.100.1", user_agent=PHONE)
        assert first.unique
        assert not again.unique

    def test_links_need_signing_keys(self, ws: ic.Workspace) -> None:
        """Without signing keys a link is refused at creation (ConfigurationError), and
        nothing is stored, rather than created with every click failing."""
        cmp = campaign(ws)
        emma = join(ws, cmp, "Emma", "emma.glow")
        before = list(ws.store.outbox.all())
        with pytest.raises(ic.ConfigurationError, match="signing keys"):
            ws.links.create(MANAGER, emma.id, landing_url="https://shop.example/")
        assert list(ws.store.outbox.all()) == before
        assert ws.links.list(MANAGER, cmp.id) == []

    def test_a_creator_reads_only_its_own_line(self, sws: ic.Workspace) -> None:
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        leo = join(sws, cmp, "Léo", "leo.runs")
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


# -- promo codes -----------------------------------------------------------------------------


class TestPromoCodes:
    def test_pattern_and_suffix_on_collision(self, sws: ic.Workspace) -> None:
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        first = sws.codes.create(MANAGER, emma.id, percent_off=15)
        assert first.code == "EMMAGLOW15"
        second = sws.codes.create(MANAGER, emma.id, percent_off=15)
        assert second.code.startswith("EMMAGLOW15")
        assert len(second.code) == len("EMMAGLOW15") + 3
        named = sws.codes.create(MANAGER, emma.id, pattern="{NAME}-{YEAR}")
        assert named.code == "EMMA-2026"
        assert events(sws, "PromoCodeCreated")[-1].code == "EMMA-2026"

    def test_codes_are_unique_case_insensitively(self, sws: ic.Workspace) -> None:
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        leo = join(sws, cmp, "Léo", "leo.runs")
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
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        with pytest.raises(ic.ValidationError, match=reason):
            sws.codes.create(MANAGER, emma.id, code=code)
        assert sws.codes.list(MANAGER, cmp.id) == []

    def test_words_inside_longer_words_pass(self) -> None:
        rules = CodeRules()
        for code in ("ASSUNTA10", "GRAPE20", "SALOPETTE15", "CLASSIC5"):
            assert rules.check(code) == code

    def test_patterns_cannot_reach_attributes(self) -> None:
        with pytest.raises(ic.ValidationError, match="brace"):
            render_pattern("{HANDLE.__class__}", {"HANDLE": "x"})
        with pytest.raises(ic.ValidationError, match="unknown placeholders"):
            render_pattern("{EMAIL}", {"HANDLE": "x"})
        with pytest.raises(ic.ValidationError, match="brace"):
            render_pattern("{handle}", {"HANDLE": "x"})
        with pytest.raises(ic.ValidationError, match="PERCENT"):
            render_pattern("{HANDLE}{PERCENT}", {"HANDLE": "x"})
        assert render_pattern("{HANDLE}{PERCENT}", {"HANDLE": "zoé.b", "PERCENT": "20"}) == "ZOEB20"


# -- attribution -----------------------------------------------------------------------------

AT = pendulum.datetime(2026, 3, 10, 13)


def touch(kind: TouchKind, pid: str, at: pendulum.DateTime = AT, **more: Any) -> Touch:
    return Touch(kind, pid, "cmp", f"cre_{pid}", at, f"{kind.value}-{pid}", **more)


class TestAttributionRule:
    def test_code_wins_link_wins_last_touch(self) -> None:
        code = touch(TouchKind.CODE, "a")
        click = touch(TouchKind.CLICK, "b", AT.subtract(days=2))
        for rule, winner in [
            (ic.AttributionRule.CODE_WINS, "a"),
            (ic.AttributionRule.LINK_WINS, "b"),
            (ic.AttributionRule.LAST_TOUCH, "a"),
        ]:
            touches = [attrs.evolve(t, rule=rule) for t in (code, click)]
            decision = decide(AT, touches)
            assert decision.touch is not None
            assert decision.touch.participation_id == winner
            assert rule.value in decision.reason
            assert len(decision.left_out) == 1

    def test_last_touch_prefers_a_later_click_to_an_earlier_landing(self) -> None:
        rule = ic.AttributionRule.LAST_TOUCH
        landing = touch(TouchKind.LANDING, "a", AT.subtract(hours=1), rule=rule)
        click = touch(TouchKind.CLICK, "b", AT.subtract(minutes=5), rule=rule)
        assert decide(AT, [landing, click]).touch == click

    def test_click_outside_the_window_or_after_the_order_is_left_out(self) -> None:
        old = touch(TouchKind.CLICK, "a", AT.subtract(days=30, seconds=1))
        edge = touch(TouchKind.CLICK, "a", AT.subtract(days=30))
        future = touch(TouchKind.CLICK, "a", AT.add(seconds=1))
        assert decide(AT, [old]).touch is None
        assert "30-day" in decide(AT, [old]).left_out[0][1]
        assert decide(AT, [edge]).touch == edge
        assert decide(AT, [future]).touch is None
        short = touch(TouchKind.CLICK, "a", AT.subtract(days=8), window_days=7)
        assert decide(AT, [short]).touch is None

    @given(
        order_hours=st.integers(-2_000, 2_000),
        since_hours=st.integers(-2_000, 2_000),
        start_hours=st.integers(-2_000, 2_000),
        length_hours=st.integers(1, 3_000),
        kinds=st.lists(st.sampled_from(list(TouchKind)), min_size=1, max_size=3),
        rule=st.sampled_from(list(ic.AttributionRule)),
    )
    def test_no_order_before_its_touch_existed_or_outside_the_campaign_is_credited(
        self,
        order_hours: int,
        since_hours: int,
        start_hours: int,
        length_hours: int,
        kinds: list[TouchKind],
        rule: ic.AttributionRule,
    ) -> None:
        """No order placed before its promo code or link existed, or outside the campaign's
        dates, is ever credited, whatever the rule and touches; otherwise the dates change
        nothing."""
        order_at = AT.add(hours=order_hours)
        since, start = AT.add(hours=since_hours), AT.add(hours=start_hours)
        end = start.add(hours=length_hours)
        bare = [
            touch(kind, "a", order_at.subtract(hours=1), rule=rule, window_days=365)
            for kind in kinds
        ]
        dated = [attrs.evolve(t, since=since, campaign_start=start, campaign_end=end) for t in bare]
        decision = decide(order_at, dated)
        if since <= order_at and start <= order_at < end:
            winner = decide(order_at, bare).touch
            assert decision.touch == (None if winner is None else dated[bare.index(winner)])
        else:
            assert decision.touch is None
            assert all(
                "before the" in why or "outside the campaign" in why for _, why in decision.left_out
            )

    def test_two_codes_of_two_creators(self) -> None:
        a, b = touch(TouchKind.CODE, "a"), touch(TouchKind.CODE, "b")
        decision = decide(AT, [a, b])
        assert decision.touch is None
        assert "belong to different creators" in decision.reason
        link_to_b = touch(TouchKind.LANDING, "b")
        assert decide(AT, [a, b, link_to_b]).touch == b


# -- Shopify webhooks ------------------------------------------------------------------------


class TestOrderMerge:
    def test_a_cancelled_order_with_a_refund_records_its_events_in_order(self) -> None:
        """Order.merge records OrderAttributed, then OrderRefunded, then OrderCancelled (once,
        though both the placement and the topic cancel it), each at the merge's time."""
        now = pendulum.datetime(2026, 3, 3, tz="UTC")
        placed = T0.in_timezone("UTC")
        placement = ic.OrderPlacement(
            external_id="1001",
            name="#1001",
            created_at=placed,
            updated_at=placed.add(hours=2),
            subtotal=ic.Money.of("90.00", "EUR"),
            total=ic.Money.of("95.00", "EUR"),
            cancelled_at=placed.add(hours=1),
        )
        refund = ic.Refund("rf_1", ic.Money.of("95.00", "EUR"), placed.add(hours=1))
        event = ic.ShopEvent("orders/cancelled", "1001", "EUR", placement, refunds=(refund,))
        order = ic.Order(id="ord_1", brand_id="acme", shop=SHOP, external_id="1001", currency="EUR")
        credit = ic.Attribution("par_1", "cmp_1", "cre_1", TouchKind.CODE, "EMMA15", "code", now)
        assert order.merge(now, event, lambda _placement: credit) == credit
        assert order.cancelled_at == placed.add(hours=1)
        recorded = [(e.type, e.occurred_at, e.campaign_id) for e in order.recorded]  # type: ignore[attr-defined]
        assert recorded == [
            ("OrderAttributed", now, "cmp_1"),
            ("OrderRefunded", now, "cmp_1"),
            ("OrderCancelled", now, "cmp_1"),
        ]
        order.pull_events()
        assert order.merge(now, event, lambda _placement: credit) is None
        assert order.recorded == ()


class TestShopifyWebhooks:
    def test_orders_are_credited_by_code_click_or_landing(self, sws: ic.Workspace) -> None:
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        leo = join(sws, cmp, "Léo", "leo.runs")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        link = sws.links.create(MANAGER, leo.id, landing_url="https://shop.example/")
        click = sws.links.click(link.slug, ip="203.0.113.7", user_agent=PHONE)
        hooks = hooks_for(sws)

        several_codes = order_payload(1001, codes=("WELCOME5", "emma15"), subtotal="90.00")
        assert deliver(hooks, "orders/create", several_codes, "e1").status == 200
        by_click = order_payload(1002, click_token=click.click_token, subtotal="40.00")
        assert deliver(hooks, "orders/create", by_click, "e2").status == 200
        landing = f"/products/serum?utm_source=instagram&utm_content={link.slug}"
        no_click = order_payload(1003, landing_site=landing, subtotal="20.00")
        assert deliver(hooks, "orders/create", no_click, "e3").status == 200
        pos = order_payload(1004, source_name="pos", codes=("EMMA15",), subtotal="30.00")
        assert deliver(hooks, "orders/create", pos, "e4").status == 200
        nothing = order_payload(1005, subtotal="500.00")
        assert deliver(hooks, "orders/create", nothing, "e5").status == 200

        first = sws.sales.order(MANAGER, "acme", SHOP, "1001")
        assert first.attribution is not None
        assert first.attribution.via is TouchKind.CODE
        assert first.attribution.detail == "EMMA15"
        assert sws.sales.order(MANAGER, "acme", SHOP, "1002").attribution.via is TouchKind.CLICK  # type: ignore[union-attr]
        assert sws.sales.order(MANAGER, "acme", SHOP, "1003").attribution.via is TouchKind.LANDING  # type: ignore[union-attr]
        unattributed = sws.sales.order(MANAGER, "acme", SHOP, "1005")
        assert unattributed.participation_id is None
        assert "no promo code" in unattributed.attribution.reason  # type: ignore[union-attr]

        report = sws.sales.report(MANAGER, cmp.id)

        def eur(amount: str) -> ic.Money:
            return ic.Money.of(amount, "EUR")

        assert report.per_creator[emma.creator_id].orders == 2
        assert report.per_creator[emma.creator_id].gross == eur("120.00")
        assert report.per_creator[leo.creator_id].orders == 2
        assert report.per_creator[leo.creator_id].gross == eur("60.00")
        assert report.total.gross == eur("180.00")
        assert report.per_creator[leo.creator_id].conversion_rate == Decimal(2)
        assert report.per_creator[leo.creator_id].average_order_value == eur("30.00")
        assert report.per_creator[leo.creator_id].revenue_per_click == eur("60.00")
        assert report.per_creator[emma.creator_id].orders_via_link == 0
        assert report.per_creator[emma.creator_id].conversion_rate is None  # no clicks: unknown
        assert report.per_creator[emma.creator_id].revenue_per_click is None

    def test_orders_before_the_code_or_outside_the_campaign_are_not_credited(
        self, sws: ic.Workspace
    ) -> None:
        """A 2008 order, an order placed before the code or link was created and one after
        the campaign's end carry a valid code and landing page but are credited to nobody."""
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")  # 2 March 2026, 09:00 in Paris
        link = sws.links.create(MANAGER, emma.id, landing_url="https://shop.example/")
        landing = f"/?utm_content={link.slug}"
        hooks = hooks_for(sws)
        for number, placed in [
            (2001, "2008-05-04T10:00:00+02:00"),
            (2002, "2026-03-02T08:59:00+01:00"),
            (2003, "2026-07-01T00:00:00+02:00"),
        ]:
            payload = order_payload(
                number, codes=("EMMA15",), landing_site=landing, created_at=placed
            )
            assert deliver(hooks, "orders/create", payload, f"e{number}").status == 200
            order = sws.sales.order(MANAGER, "acme", SHOP, str(number))
            assert order.participation_id is None, placed
        inside = order_payload(2004, codes=("EMMA15",), created_at="2026-03-02T09:01:00+01:00")
        assert deliver(hooks, "orders/create", inside, "e2004").status == 200
        assert sws.sales.order(MANAGER, "acme", SHOP, "2004").participation_id == emma.id
        assert sws.sales.report(MANAGER, cmp.id).total.orders == 1

    def test_paid_partial_refunds_and_cancellation(self, sws: ic.Workspace) -> None:
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        hooks = hooks_for(sws)
        order = order_payload(2001, codes=("EMMA15",), subtotal="100.00")
        deliver(hooks, "orders/create", order, "a1")
        paid = {**order, "financial_status": "paid", "updated_at": "2026-03-10T14:05:00+01:00"}
        deliver(hooks, "orders/paid", paid, "a2")
        deliver(hooks, "refunds/create", refund_payload(91, 2001, "15.50"), "a3")
        deliver(hooks, "refunds/create", refund_payload(92, 2001, "4.50"), "a4")
        line = sws.sales.report(MANAGER, cmp.id).per_creator[emma.creator_id]
        assert (line.orders, line.gross, line.refunded, line.net) == (
            1,
            ic.Money.of("100.00", "EUR"),
            ic.Money.of("20.00", "EUR"),
            ic.Money.of("80.00", "EUR"),
        )
        assert sws.sales.order(MANAGER, "acme", SHOP, "2001").placement.financial_status == "paid"  # type: ignore[union-attr]

        other = order_payload(2002, codes=("EMMA15",), subtotal="50.00")
        deliver(hooks, "orders/create", other, "b1")
        cancelled = {**other, "cancelled_at": "2026-03-11T09:00:00+01:00"}
        deliver(hooks, "orders/cancelled", cancelled, "b2")
        line = sws.sales.report(MANAGER, cmp.id).per_creator[emma.creator_id]
        assert line.orders == 1
        assert line.cancelled == 1
        assert line.net == ic.Money.of("80.00", "EUR")
        assert len(events(sws, "OrderCancelled")) == 1
        assert len(events(sws, "OrderRefunded")) == 2

    def test_retries_and_duplicates_apply_once(self, sws: ic.Workspace) -> None:
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        hooks = hooks_for(sws)
        order = order_payload(3001, codes=("EMMA15",))
        assert deliver(hooks, "orders/create", order, "r1").outcome == "applied"
        for _ in range(8):  # Shopify retries up to 8 times
            assert deliver(hooks, "orders/create", order, "r1").outcome == "duplicate"
        # the same topic for the same order under another event id is applied once too
        assert deliver(hooks, "orders/create", order, "r1-bis").outcome == "duplicate"
        refund = refund_payload(71, 3001, "10.00")
        assert deliver(hooks, "refunds/create", refund, "r2").outcome == "applied"
        assert deliver(hooks, "refunds/create", refund, "r3").outcome == "duplicate"
        line = sws.sales.report(MANAGER, cmp.id).per_creator[emma.creator_id]
        assert line.orders == 1
        assert line.refunded == ic.Money.of("10.00", "EUR")
        assert len(events(sws, "OrderAttributed")) == 1

    def test_refund_before_its_order(self, sws: ic.Workspace) -> None:
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        hooks = hooks_for(sws)
        deliver(hooks, "refunds/create", refund_payload(81, 4001, "25.00"), "x1")
        assert sws.sales.report(MANAGER, cmp.id).total.orders == 0
        deliver(hooks, "orders/create", order_payload(4001, codes=("EMMA15",)), "x2")
        line = sws.sales.report(MANAGER, cmp.id).per_creator[emma.creator_id]
        assert line.net == ic.Money.of("75.00", "EUR")

    def test_another_currency_is_converted_and_the_rate_recorded(self, sws: ic.Workspace) -> None:
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        hooks = hooks_for(sws)
        usd = order_payload(5001, codes=("EMMA15",), currency="USD", subtotal="33.33")
        deliver(hooks, "orders/create", usd, "c1")
        deliver(hooks, "refunds/create", refund_payload(51, 5001, "11.11", "USD"), "c2")
        order = sws.sales.order(MANAGER, "acme", SHOP, "5001")
        rate = order.attribution.rate  # type: ignore[union-attr]
        assert rate is not None
        assert (rate.base, rate.quote, rate.rate, rate.source) == (
            "USD",
            "EUR",
            Decimal("0.9"),
            "test table",
        )
        assert rate.on == pendulum.date(2026, 3, 10)
        line = sws.sales.report(MANAGER, cmp.id).per_creator[emma.creator_id]
        assert line.gross == ic.Money.of("30.00", "EUR")  # 33.33 x 0.9 = 29.997
        assert line.net == ic.Money.of("20.00", "EUR")  # 22.22 x 0.9 = 19.998
        assert line.refunded == ic.Money.of("10.00", "EUR")

    def test_no_rate_is_a_retry_that_changes_nothing(self, sws: ic.Workspace) -> None:
        """An order in a currency without a rate is not applied and answered 503, so Shopify
        retries; once the rate is known the same delivery is applied."""
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        hooks = hooks_for(sws)
        gbp = order_payload(5002, codes=("EMMA15",), currency="GBP")
        response = deliver(hooks, "orders/create", gbp, "g1")
        assert response.status == 503
        assert response.outcome == "retry"
        assert "no exchange rate from GBP to EUR" in response.detail
        with pytest.raises(ic.NotFound):
            sws.sales.order(MANAGER, "acme", SHOP, "5002")
        event = parse_webhook("orders/create", json.dumps(gbp).encode(), "g2")
        with pytest.raises(ic.ConfigurationError, match="no exchange rate from GBP to EUR"):
            sws.sales.apply(ic.SystemActor("shopify"), "acme", SHOP, event)
        later = ic.Workspace(
            sws.store,
            sws.clock,
            ids=sws.ids,
            keys=KEYS,
            rates=ic.FixedRates({("GBP", "EUR"): "1.15"}, source="test table"),
        )
        assert deliver(hooks_for(later), "orders/create", gbp, "g1").status == 200
        assert later.sales.order(MANAGER, "acme", SHOP, "5002").participation_id == emma.id

    def test_an_unsupported_topic_is_acknowledged_and_ignored(
        self, sws: ic.Workspace, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A signed webhook of a topic the SDK does not handle gets 200 "ignored" (Shopify
        would otherwise retry it for hours, then drop the subscription), is logged, and
        changes nothing."""
        hooks = hooks_for(sws)
        before = list(sws.store.outbox.all())
        response = deliver(hooks, "products/update", {"id": 1, "title": "Sérum"}, "p1")
        assert response.status == 200
        assert response.outcome == "ignored"
        assert "products/update" in caplog.text
        assert list(sws.store.outbox.all()) == before

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            (lambda p: p.pop("total_price"), "order.total_price: is missing"),
            (lambda p: p.update(subtotal_price="12,50"), "order.subtotal_price"),
            (lambda p: p.update(subtotal_price=12.5), "must be a decimal string"),
            (lambda p: p.update(currency="EUX"), "not a known ISO 4217"),
            (lambda p: p.update(created_at="yesterday"), "order.created_at"),
            (lambda p: p.update(discount_codes=[{"amount": "1"}]), "discount_codes"),
        ],
    )
    def test_malformed_orders_are_rejected_whole(
        self, sws: ic.Workspace, change: Callable[[dict[str, Any]], Any], field: str
    ) -> None:
        hooks = hooks_for(sws)
        payload = order_payload(6001)
        change(payload)
        response = deliver(hooks, "orders/create", payload, "m1")
        assert response.status == 400
        assert field in response.detail
        with pytest.raises(ic.NotFound):
            sws.sales.order(MANAGER, "acme", SHOP, "6001")
        # once fixed, the same event id is applied: the rejection left no receipt behind
        assert deliver(hooks, "orders/create", order_payload(6001), "m1").outcome == "applied"

    def test_negative_refund_is_rejected(self, sws: ic.Workspace) -> None:
        response = deliver(
            hooks_for(sws), "refunds/create", refund_payload(61, 7001, "-5.00"), "n1"
        )
        assert response.status == 400
        assert "must not be negative" in response.detail

    def test_bad_signature_or_changed_body_is_refused_before_parsing(
        self, sws: ic.Workspace
    ) -> None:
        hooks = hooks_for(sws)
        body = json.dumps(order_payload(8001)).encode()
        headers = {
            "X-Shopify-Topic": "orders/create",
            "X-Shopify-Hmac-Sha256": sign(body),
            "X-Shopify-Shop-Domain": SHOP,
        }
        tampered = body.replace(b'"100.00"', b'"900.00"')
        assert hooks.handle(headers, tampered).status == 401
        assert hooks.handle({**headers, "X-Shopify-Hmac-Sha256": ""}, body).status == 401
        assert (
            hooks.handle(
                {**headers, "X-Shopify-Hmac-Sha256": sign(b"{not json")}, b"{not json"
            ).status
            == 400
        )
        wrong_secret = {**headers, "X-Shopify-Hmac-Sha256": sign(body, "other")}
        assert hooks.handle(wrong_secret, body).status == 401
        unknown_shop = {**headers, "X-Shopify-Shop-Domain": "evil.myshopify.com"}
        assert hooks.handle(unknown_shop, body).status == 401
        with pytest.raises(ic.NotFound):
            sws.sales.order(MANAGER, "acme", SHOP, "8001")
        lower = {k.lower(): v for k, v in headers.items()}  # header names are case-insensitive
        assert hooks.handle(lower, body).status == 200

    def test_forged_click_id_gives_no_credit(self, sws: ic.Workspace) -> None:
        cmp = campaign(sws)
        leo = join(sws, cmp, "Léo", "leo.runs")
        link = sws.links.create(MANAGER, leo.id, landing_url="https://shop.example/")
        click = sws.links.click(link.slug, ip="203.0.113.7", user_agent=PHONE)
        assert click.click_id is not None
        forged = f"{click.click_id}.k1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        deliver(hooks_for(sws), "orders/create", order_payload(9001, click_token=forged), "f1")
        order = sws.sales.order(MANAGER, "acme", SHOP, "9001")
        assert order.participation_id is None
        assert "click id refused" in order.attribution.reason  # type: ignore[union-attr]

    def test_test_orders_are_never_credited(self, sws: ic.Workspace) -> None:
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        payload = {**order_payload(9101, codes=("EMMA15",)), "test": True}
        deliver(hooks_for(sws), "orders/create", payload, "t1")
        assert sws.sales.report(MANAGER, cmp.id).total.orders == 0


# -- the CSV export --------------------------------------------------------------------------

CSV_HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,"
    "Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
    "Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,"
    "Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
    "Billing Name,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,"
    "Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,"
    "Risk Level,Source,Lineitem discount"
)


def csv_row(name: str, **values: str) -> str:
    columns = CSV_HEADER.split(",")
    row = dict.fromkeys(columns, "")
    row["Name"] = name
    row.update({k.replace("_", " "): v for k, v in values.items()})
    return ",".join(f'"{row[c]}"' if ("," in row[c] or "\n" in row[c]) else row[c] for c in columns)


def export(click_token: str = "") -> str:
    attrs = f"icclid: {click_token}\nwrap: yes" if click_token else ""
    lines = [
        CSV_HEADER,
        csv_row(
            "#1101",
            **{
                "Financial Status": "paid",
                "Currency": "EUR",
                "Subtotal": "80.00",
                "Total": "86.90",
                "Discount Code": "EMMA15",
                "Created at": "2026-03-12 10:00:00 +0100",
                "Lineitem quantity": "1",
                "Lineitem name": "Sérum",
                "Refunded Amount": "10.00",
                "Id": "5550001101",
                "Source": "web",
            },
        ),
        csv_row("#1101", **{"Lineitem quantity": "2", "Lineitem name": "Crème, 50 ml"}),
        csv_row(
            "#1102",
            **{
                "Financial Status": "paid",
                "Currency": "EUR",
                "Subtotal": "45.00",
                "Total": "45.00",
                "Created at": "2026-03-12 11:00:00 +0100",
                "Lineitem quantity": "1",
                "Note Attributes": attrs,
                "Id": "5550001102",
                "Source": "pos",
            },
        ),
    ]
    return "\n".join(lines) + "\n"


class TestCsvExport:
    def test_import_groups_line_items_and_credits_orders(self, sws: ic.Workspace) -> None:
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        leo = join(sws, cmp, "Léo", "leo.runs")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        link = sws.links.create(MANAGER, leo.id, landing_url="https://shop.example/")
        click = sws.links.click(link.slug, ip="203.0.113.7", user_agent=PHONE)
        events_ = read_orders_csv(export(click.click_token or ""))
        assert [e.external_order_id for e in events_] == ["5550001101", "5550001102"]
        sws.sales.apply_all(MANAGER, "acme", SHOP, events_)
        report = sws.sales.report(MANAGER, cmp.id)
        assert report.per_creator[emma.creator_id].net == ic.Money.of("70.00", "EUR")
        assert report.per_creator[leo.creator_id].gross == ic.Money.of("45.00", "EUR")
        # importing the same export again, and a webhook refund already counted in it
        sws.sales.apply_all(MANAGER, "acme", SHOP, read_orders_csv(export(click.click_token or "")))
        deliver(hooks_for(sws), "refunds/create", refund_payload(11, 5550001101, "10.00"), "z1")
        again = sws.sales.report(MANAGER, cmp.id)
        assert again.total == report.total

    def test_importing_the_same_export_again_writes_nothing(self, sws: ic.Workspace) -> None:
        """A second import of the same export leaves every stored order as it was (same
        version), with no event: it is not a write that a concurrent one could conflict with."""
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        sws.sales.apply_all(MANAGER, "acme", SHOP, read_orders_csv(export()))
        with sws.store.unit_of_work(read_only=True) as uow:
            before = uow.orders.find()
        written = len(list(sws.store.outbox.all()))
        sws.sales.apply_all(MANAGER, "acme", SHOP, read_orders_csv(export()))
        with sws.store.unit_of_work(read_only=True) as uow:
            assert uow.orders.find() == before
        assert len(list(sws.store.outbox.all())) == written

    def test_missing_column_or_bad_amount_imports_nothing(self, sws: ic.Workspace) -> None:
        text = export().replace("Refunded Amount", "Refunded")
        with pytest.raises(ic.ValidationError, match="Refunded Amount"):
            read_orders_csv(text)
        bad = export().replace("80.00", "eighty")
        with pytest.raises(ic.ValidationError, match="csv line 2: Subtotal"):
            read_orders_csv(bad)

    def test_a_failing_order_rolls_the_whole_import_back(self, sws: ic.Workspace) -> None:
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        good = read_orders_csv(export())
        gbp = read_orders_csv(export().replace(",EUR,", ",GBP,").replace("5550001101", "77"))
        with pytest.raises(ic.ConfigurationError, match="exchange rate"):
            sws.sales.apply_all(MANAGER, "acme", SHOP, [*good, gbp[0]])
        assert sws.sales.report(MANAGER, cmp.id).total.orders == 0

    def test_a_bulk_import_commits_in_chunks_and_finishes_when_run_again(
        self, sws: ic.Workspace
    ) -> None:
        """An import commits chunk by chunk: a failing event keeps the chunks before it, and
        importing the same events again applies the rest and reports the others duplicate."""
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        stream = [
            parse_webhook(topic, json.dumps(body).encode(), event_id)
            for topic, body, event_id in STREAM
            if topic != "orders/cancelled"
        ]
        failing = parse_webhook(
            "orders/create",
            json.dumps(order_payload(99_999, codes=("EMMA15",), currency="GBP")).encode(),
            "gbp",
        )
        with pytest.raises(ic.ConfigurationError, match="exchange rate"):
            sws.sales.apply_all(MANAGER, "acme", SHOP, [*stream[:4], failing, *stream[4:]], chunk=2)
        first_two_chunks = sws.sales.report(MANAGER, cmp.id).total
        assert first_two_chunks.orders == 1  # the first order and its refunds landed
        applied = sws.sales.apply_all(MANAGER, "acme", SHOP, stream, chunk=2)
        assert [a.status for a in applied] == ["duplicate"] * 4 + ["applied"] * (len(stream) - 4)
        assert sws.sales.report(MANAGER, cmp.id).total.orders == 2  # LEO10 is nobody's code

    def test_a_bulk_import_checks_every_event_before_writing(self, sws: ic.Workspace) -> None:
        """A bad item anywhere in the batch, or a bad chunk size, is refused before anything is written."""
        cmp = campaign(sws)
        emma = join(sws, cmp, "Emma", "emma.glow")
        sws.codes.create(MANAGER, emma.id, code="EMMA15")
        good = read_orders_csv(export())
        with pytest.raises(ic.ValidationError, match=r"events\[2\]"):
            sws.sales.apply_all(MANAGER, "acme", SHOP, [*good, "not an event"], chunk=1)  # type: ignore[list-item]
        with pytest.raises(ic.ValidationError, match="chunk"):
            sws.sales.apply_all(MANAGER, "acme", SHOP, good, chunk=0)
        assert sws.sales.report(MANAGER, cmp.id).total.orders == 0


# -- a random stream of webhooks --------------------------------------------------------------


def _stream_events() -> list[tuple[str, dict[str, Any], str]]:
    """The distinct events of three orders, in their natural order (topic, body, event id)."""
    out: list[tuple[str, dict[str, Any], str]] = []
    for n, code in [(1, "EMMA15"), (2, "LEO10"), (3, "EMMA15")]:
        oid = 10_000 + n
        base = order_payload(oid, codes=(code,), subtotal=f"{40 * n}.00")
        out.append(("orders/create", base, f"s{n}-create"))
        paid = {**base, "financial_status": "paid", "updated_at": "2026-03-10T15:00:00+01:00"}
        out.append(("orders/paid", paid, f"s{n}-paid"))
        out.append(("refunds/create", refund_payload(oid * 10, oid, f"{5 * n}.00"), f"s{n}-r1"))
        out.append(("refunds/create", refund_payload(oid * 10 + 1, oid, "2.50"), f"s{n}-r2"))
        if n == 2:
            cancelled = {
                **paid,
                "cancelled_at": "2026-03-11T09:00:00+01:00",
                "updated_at": "2026-03-11T09:00:00+01:00",
            }
            out.append(("orders/cancelled", cancelled, f"s{n}-cancel"))
    return out


STREAM = _stream_events()


def _credited(
    ws: ic.Workspace, cmp_id: str
) -> dict[str, tuple[int, int, ic.Money | None, ic.Money | None]]:
    report = ws.sales.report(MANAGER, cmp_id)
    return {k: (v.orders, v.cancelled, v.gross, v.net) for k, v in report.per_creator.items()}


def _setup(ws: ic.Workspace) -> ic.Campaign:
    cmp = campaign(ws)
    emma = join(ws, cmp, "Emma", "emma.glow")
    leo = join(ws, cmp, "Léo", "leo.runs")
    ws.codes.create(MANAGER, emma.id, code="EMMA15")
    ws.codes.create(MANAGER, leo.id, code="LEO10")
    return cmp


@settings(max_examples=25)
@given(
    deliveries=st.lists(
        st.tuples(st.integers(0, len(STREAM) - 1), st.booleans()), min_size=len(STREAM), max_size=40
    ).map(lambda extra: [(i, False) for i in range(len(STREAM))] + extra),
    order=st.randoms(use_true_random=False),
)
def test_any_delivery_order_with_retries_credits_what_one_ordered_delivery_does(
    deliveries: list[tuple[int, bool]], order: Any
) -> None:
    """Every distinct event is delivered at least once; some are retried (same event id) or
    re-sent under a new event id; everything is shuffled. The credited figures equal those
    of delivering each distinct event once, in its natural order."""
    reference_ws = ic.Workspace(
        ic.MemoryStore(), ic.FrozenClock(T0), ids=ic.SequentialIds(), keys=KEYS
    )
    reference_cmp = _setup(reference_ws)
    reference_hooks = hooks_for(reference_ws)
    for topic, body, event_id in STREAM:
        deliver(reference_hooks, topic, body, event_id)
    expected = _credited(reference_ws, reference_cmp.id)

    ws = ic.Workspace(ic.MemoryStore(), ic.FrozenClock(T0), ids=ic.SequentialIds(), keys=KEYS)
    cmp = _setup(ws)
    hooks = hooks_for(ws)
    shuffled = list(deliveries)
    order.shuffle(shuffled)
    for number, (index, new_event_id) in enumerate(shuffled):
        topic, body, event_id = STREAM[index]
        response = deliver(
            hooks, topic, body, f"{event_id}-again{number}" if new_event_id else event_id
        )
        assert response.status == 200
    assert _credited(ws, cmp.id) == expected


# -- storage ---------------------------------------------------------------------------------


def test_orders_links_codes_and_clicks_round_trip_through_json() -> None:
    converter = ic.make_converter()
    hooks_ws = ic.Workspace(ic.MemoryStore(), ic.FrozenClock(T0), keys=KEYS)
    cmp = _setup(hooks_ws)
    emma = hooks_ws.participations.list(MANAGER, cmp.id)[0]
    link = hooks_ws.links.create(MANAGER, emma.id, landing_url="https://shop.example/")
    hooks_ws.links.click(link.slug, ip="203.0.113.7", user_agent=PHONE)
    deliver(hooks_for(hooks_ws), "orders/create", order_payload(1, codes=("EMMA15",)), "j1")
    order = hooks_ws.sales.order(MANAGER, "acme", SHOP, "1")
    for value in [link, order, *hooks_ws.codes.list(MANAGER, cmp.id)]:
        assert converter.structure(converter.unstructure(value), type(value)) == value


def test_parse_webhook_of_a_refund_keeps_the_order_id() -> None:
    event = parse_webhook("refunds/create", json.dumps(refund_payload(5, 42, "3.10")).encode(), "e")
    assert (event.external_order_id, event.currency, event.refunds[0].amount) == (
        "42",
        "EUR",
        ic.Money.of("3.10", "EUR"),
    )
    with pytest.raises(ic.ValidationError, match="X-Shopify-Topic"):
        parse_webhook("orders/updated", b"{}")


# -- bulk attribution ------------------------------------------------------------------------


@settings(max_examples=60)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(-1, 3),  # code owner
            st.integers(-1, 3),  # click owner
            st.integers(-2, 40),  # click age in days
            st.integers(-1, 3),  # landing owner
        ),
        max_size=30,
    ),
    rule=st.sampled_from(list(ic.AttributionRule)),
    windows=st.lists(st.integers(1, 35), min_size=4, max_size=4),
)
def test_bulk_attribution_decides_as_the_per_order_rule(
    rows: list[tuple[int, int, int, int]], rule: ic.AttributionRule, windows: list[int]
) -> None:
    import numpy as np

    from influcampaign.analytics.attribution import VIA, attribute_orders

    day = 86_400_000_000
    order_at = 100 * day
    result = attribute_orders(
        order_at=np.full(len(rows), order_at, dtype=np.int64),
        code=np.array([r[0] for r in rows], dtype=np.int64),
        click=np.array([r[1] for r in rows], dtype=np.int64),
        click_at=np.array([order_at - r[2] * day for r in rows], dtype=np.int64),
        landing=np.array([r[3] for r in rows], dtype=np.int64),
        window=np.array([w * day for w in windows], dtype=np.int64),
        rule=rule,
    )
    for index, (code, click, age, landing) in enumerate(rows):
        touches = []
        for kind, owner, at in [
            (TouchKind.CODE, code, AT),
            (TouchKind.CLICK, click, AT.subtract(days=age)),
            (TouchKind.LANDING, landing, AT),
        ]:
            if owner >= 0:
                touches.append(Touch(kind, str(owner), "cmp", "c", at, "d", rule, windows[owner]))
        expected = decide(AT, touches).touch
        assert result.winner[index] == (-1 if expected is None else int(expected.participation_id))
        assert VIA[result.via[index]] == ("none" if expected is None else expected.kind.value)


def test_code_owners_match_case_insensitively_and_exactly() -> None:
    from influcampaign.analytics.attribution import code_owners, credited_totals

    owners = code_owners(
        ["emma15", "", "LEO10", "LEO1", "léo10", "EMMA15X"], ["EMMA15", "Leo10"], [4, 7]
    )
    assert owners.tolist() == [4, -1, 7, -1, -1, -1]
    with pytest.raises(ic.ValidationError, match="unique"):
        code_owners(["A"], ["EMMA15", "emma15"], [0, 1])
    assert credited_totals([0, 1, 0, -1], [150, 275, 1, 999], 3).tolist() == [151, 275, 0]
    big = 2**60
    assert credited_totals([0, 0], [big, 3], 1).tolist() == [big + 3]  # beyond float precision


def test_a_version_3_database_upgrades_and_its_campaigns_take_the_default_policies(
    tmp_path: object,
) -> None:
    """Campaigns written before attribution existed load with the default policies, and the
    new tables are there."""

    source = ic.Workspace(ic.MemoryStore(), ic.FrozenClock(T0))
    made = campaign(source)
    doc = ic.make_converter().unstructure(source.campaigns.get(MANAGER, made.id))
    del doc["policies"]["attribution"], doc["policies"]["clicks"]
    url = f"sqlite:///{tmp_path}/v3.sqlite"
    ws = ic.Workspace(upgrade_old_database(url, 3, doc), ic.FrozenClock(T0), keys=KEYS)
    loaded = ws.campaigns.get(MANAGER, made.id)
    assert loaded.policies.attribution == ic.AttributionPolicy()
    assert loaded.policies.attribution.window_days == 30
    assert loaded.policies.clicks.dedup_window_seconds == 3_600
    assert ws.sales.report(MANAGER, made.id).total == ic.SalesLine("EUR")
    ws.close()
