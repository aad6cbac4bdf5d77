"""Chapter 6: tracked links, promo codes, clicks, signed Shopify webhooks and an orders
export; the sales each creator brought."""

from __future__ import annotations

from decimal import Decimal

import pendulum

import influcampaign as ic
from influcampaign.demo._story import Story

__all__ = ["track_sales"]

_SHOP = "maison-verte.myshopify.com"
_SHOP_SECRET = "demo-shopify-app-secret"  # noqa: S105 - the demo's own, published on purpose
_PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 Instagram 330.0.0.40.92"
)


def _webhook(topic: str, payload: dict[str, object], event_id: str) -> tuple[dict[str, str], bytes]:
    """A webhook delivery as Shopify sends it: headers and a body signed with the secret."""
    import base64
    import hashlib
    import hmac
    import json

    body = json.dumps(payload).encode()
    digest = hmac.new(_SHOP_SECRET.encode(), body, hashlib.sha256).digest()
    return {
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": base64.b64encode(digest).decode(),
        "X-Shopify-Shop-Domain": _SHOP,
        "X-Shopify-Event-Id": event_id,
    }, body


def _order(number: int, at: pendulum.DateTime, subtotal: str, **more: object) -> dict[str, object]:
    """A Shopify order payload ``#number`` placed ``at``, paid, with one kit; ``more`` overrides."""
    return {
        "id": 5_300_000 + number,
        "name": f"#{number}",
        "created_at": at.isoformat(),
        "updated_at": at.isoformat(),
        "currency": more.pop("currency", "EUR"),
        "subtotal_price": subtotal,
        "total_price": str(Decimal(subtotal) + Decimal("4.90")),
        "financial_status": "paid",
        "source_name": more.pop("source_name", "web"),
        "landing_site": more.pop("landing_site", None),
        "discount_codes": [{"code": c, "amount": "5.00"} for c in more.pop("codes", ())],  # type: ignore[attr-defined]
        "note_attributes": more.pop("note_attributes", []),
        "cancelled_at": None,
        "test": False,
        "line_items": [{"title": "Kit potager", "quantity": 1, "price": subtotal}],
    }


def track_sales(story: Story, offer: ic.Campaign, joined: list[ic.Participation]) -> None:
    """Tracked links, promo codes, clicks, Shopify webhooks and an orders export; sales per
    creator."""
    ws, clock, manager, say = story.ws, story.clock, story.manager, story.say
    from influcampaign.adapters.shopify import ShopifyShop, ShopifyWebhooks, read_orders_csv

    first, second = joined
    say("")
    say("Links, codes and clicks")
    links, codes = {}, {}
    for p in joined:
        links[p.id] = ws.links.create(manager, p.id, landing_url="https://maisonverte.example/kit")
        codes[p.id] = ws.codes.create(manager, p.id, percent_off=15)
        say(
            f"  {p.creator_id}: {links[p.id].url('https://go.maisonverte.example')}  "
            f"code {codes[p.id].code}"
        )
    say(f"    → {links[first.id].destination}")
    visits = [
        (first, "203.0.113.10", _PHONE),
        (first, "203.0.113.10", _PHONE),  # the same visitor again within the hour
        (first, "198.51.100.7", _PHONE),
        (
            first,
            "203.0.113.99",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        ),
        (second, "192.0.2.44", _PHONE),
    ]
    tokens = []
    for participation, ip, agent in visits:
        outcome = ws.links.click(links[participation.id].slug, ip=ip, user_agent=agent)
        tokens.append(outcome.click_token)
        shown = "unique" if outcome.unique else "repeat" if outcome.counted else outcome.reason
        say(f"  click on {links[participation.id].slug} from {ip}: {shown}")

    say("")
    say("Shopify orders (signed webhooks, retried and out of order, then an export)")
    hooks = ShopifyWebhooks(ws, {_SHOP: ShopifyShop("maison-verte", (_SHOP_SECRET,))})
    now = clock.now()
    by_code = _order(1041, now, "49.00", codes=(codes[first.id].code.lower(), "WELCOME5"))
    by_click = _order(1042, now, "59.00", note_attributes=[{"name": "icclid", "value": tokens[4]}])
    landing = f"/products/kit?utm_source=instagram&utm_content={links[first.id].slug}"
    in_usd = _order(1043, now, "65.00", currency="USD", landing_site=landing)
    deliveries = [
        (
            "refunds/create",
            {
                "id": 901,
                "order_id": 5_301_041,
                "created_at": now.add(hours=2).isoformat(),
                "transactions": [
                    {"kind": "refund", "status": "success", "amount": "10.00", "currency": "EUR"}
                ],
            },
            "evt-9",
        ),  # the refund arrives before its order
        ("orders/create", by_code, "evt-1"),
        ("orders/create", by_code, "evt-1"),  # Shopify retries
        ("orders/create", by_click, "evt-2"),
        ("orders/create", in_usd, "evt-3"),
        ("orders/paid", in_usd, "evt-4"),
    ]
    for topic, payload, event_id in deliveries:
        headers, body = _webhook(topic, payload, event_id)
        response = hooks.handle(headers, body)
        say(f"  {topic:<15} {event_id:<6} → {response.status} {response.outcome}")
    headers, body = _webhook("orders/create", by_code, "evt-x")
    response = hooks.handle(headers, body.replace(b"49.00", b"4900.00"))
    say(f"  orders/create   tampered body → {response.status} {response.detail}")
    export = (
        "Name,Financial Status,Currency,Subtotal,Total,Discount Code,Created at,Cancelled at,"
        "Refunded Amount,Note Attributes,Source,Lineitem name,Id\n"
        f"#1044,paid,EUR,39.00,39.00,{codes[second.id].code},"
        f"{now.in_timezone('Europe/Paris').format('YYYY-MM-DD HH:mm:ss ZZ')},,,,pos,Kit potager,"
        "5301044\n"
        "#1044,,,,,,,,,,,Graines bio,\n"
    )
    applied = ws.sales.apply_all(manager, "maison-verte", _SHOP, read_orders_csv(export))
    say(f"  orders export: {len(applied)} order imported (one row per line item)")
    for number in (1041, 1042, 1043, 1044):
        order = ws.sales.order(manager, "maison-verte", _SHOP, str(5_300_000 + number))
        attribution = order.attribution
        assert attribution is not None
        rate = f", at {attribution.rate.rate} {attribution.rate.source}" if attribution.rate else ""
        say(f"  #{number} → {attribution.creator_id} ({attribution.reason}{rate})")

    say("")
    say("Sales per creator")
    report = ws.sales.report(manager, offer.id)
    for creator_id, line in [*report.per_creator.items(), ("total", report.total)]:
        conversion = "—" if line.conversion_rate is None else f"{line.conversion_rate:.0%}"
        say(
            f"  {creator_id:<9} clicks {line.clicks} ({line.unique_clicks} unique), "
            f"orders {line.orders} ({line.orders_via_link} via a link), conversion "
            f"{conversion}, gross {line.gross}, net {line.net}, "
            f"per click {line.revenue_per_click or '—'}"
        )
