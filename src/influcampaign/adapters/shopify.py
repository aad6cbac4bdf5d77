"""Shopify: webhooks (verified, parsed, applied once) and the orders CSV export.

Webhooks are checked before anything else is read: ``X-Shopify-Hmac-Sha256`` must be the
base64 HMAC-SHA256 of the raw body with the app's secret, compared in constant time (several
secrets may be given while one is being rotated). Then ``orders/create``, ``orders/paid``,
``orders/cancelled`` and ``refunds/create`` are parsed into :class:`ShopEvent` values and
applied through ``workspace.sales`` — once per ``X-Shopify-Event-Id``, and once per topic and
order (or refund), however often Shopify retries.

Money fields are decimal strings (``"379.69"``) in the order's ``currency``; a missing or
non-decimal amount, or an unknown currency, is a ValidationError naming the field.
"""

from __future__ import annotations

import base64
import csv
import datetime as _dt
import hashlib
import hmac
import io
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import pendulum

from influcampaign.domain.money import Money, check_currency
from influcampaign.domain.orders import OrderLine, OrderPlacement, Refund, ShopEvent, ShopTopic
from influcampaign.domain.principals import SystemActor
from influcampaign.domain.tracking import CLICK_ID_PARAMETER
from influcampaign.errors import InflucampaignError, SignatureError, ValidationError

__all__ = [
    "CSV_COLUMNS",
    "MIN_WEBHOOK_SECRET",
    "ShopifyShop",
    "ShopifyWebhooks",
    "WebhookResponse",
    "parse_order",
    "parse_refund",
    "parse_webhook",
    "read_orders_csv",
    "verify_webhook",
]

log = logging.getLogger("influcampaign.shopify")

TOPICS = {
    "orders/create": ShopTopic.ORDER_CREATED,
    "orders/paid": ShopTopic.ORDER_PAID,
    "orders/cancelled": ShopTopic.ORDER_CANCELLED,
    "refunds/create": ShopTopic.REFUND_CREATED,
}
_MAX_BODY = 5_000_000
_CLICK_ATTRIBUTES = (CLICK_ID_PARAMETER, f"_{CLICK_ID_PARAMETER}")


MIN_WEBHOOK_SECRET = 16
"""The shortest webhook secret a :class:`ShopifyShop` accepts, in bytes."""


def _secret(value: str | bytes) -> bytes:
    raw = value.encode() if isinstance(value, str) else value
    if not isinstance(raw, bytes) or not raw:
        raise ValidationError("secret", "<secret>", "must be a non-empty string or bytes")
    return raw


def verify_webhook(body: bytes, signature: str | None, secrets: Sequence[str | bytes]) -> None:
    """Raise SignatureError unless ``signature`` (the ``X-Shopify-Hmac-Sha256`` header) is
    the base64 HMAC-SHA256 of ``body`` with one of ``secrets``; constant-time comparison."""
    if not isinstance(body, bytes | bytearray):
        raise SignatureError("webhook", "the body must be the raw bytes received")
    if not signature or not isinstance(signature, str):
        raise SignatureError("webhook", "the X-Shopify-Hmac-Sha256 header is missing")
    given = signature.strip().encode("ascii", "replace")
    matched = False
    for secret in secrets:
        digest = base64.b64encode(hmac.new(_secret(secret), bytes(body), hashlib.sha256).digest())
        matched |= hmac.compare_digest(digest, given)  # every secret is tried: no early exit
    if not matched:
        raise SignatureError("webhook", "the HMAC signature does not match the body")


# -- payload fields -----------------------------------------------------------------------


def _get(payload: Mapping[str, Any], field: str, where: str) -> Any:
    if field not in payload or payload[field] is None:
        raise ValidationError(f"{where}.{field}", None, "is missing")
    return payload[field]


def _money(payload: Mapping[str, Any], field: str, currency: str, where: str) -> Money:
    value = _get(payload, field, where)
    if not isinstance(value, str):
        raise ValidationError(f"{where}.{field}", value, "must be a decimal string")
    money = Money.parse(value, currency, field=f"{where}.{field}")
    if money.amount < 0:
        raise ValidationError(f"{where}.{field}", value, "must not be negative")
    return money


def _moment(value: Any, field: str) -> pendulum.DateTime:
    if not isinstance(value, str):
        raise ValidationError(field, value, "must be an ISO 8601 date and time")
    try:
        moment = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as e:
        raise ValidationError(field, value, "is not an ISO 8601 date and time") from e
    if moment.tzinfo is None:
        raise ValidationError(field, value, "must carry a UTC offset")
    return pendulum.instance(moment).in_timezone("UTC")


def _optional_moment(
    payload: Mapping[str, Any], field: str, where: str
) -> pendulum.DateTime | None:
    value = payload.get(field)
    return None if value in (None, "") else _moment(value, f"{where}.{field}")


def _id(payload: Mapping[str, Any], field: str, where: str) -> str:
    value = _get(payload, field, where)
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip():
        raise ValidationError(f"{where}.{field}", value, "must be an id")
    return str(value).strip()


def _currency(payload: Mapping[str, Any], where: str) -> str:
    return check_currency(f"{where}.currency", _get(payload, "currency", where))


def _click_token(attributes: Any) -> str | None:
    if not isinstance(attributes, list):
        return None
    for item in attributes:
        if isinstance(item, Mapping) and item.get("name") in _CLICK_ATTRIBUTES:
            value = item.get("value")
            return value if isinstance(value, str) and value else None
    return None


def _codes(payload: Mapping[str, Any]) -> list[str]:
    codes = payload.get("discount_codes") or []
    if not isinstance(codes, list):
        raise ValidationError("order.discount_codes", codes, "must be a list")
    found: list[str] = []
    for item in codes:
        code = item.get("code") if isinstance(item, Mapping) else None
        if not isinstance(code, str) or not code.strip():
            raise ValidationError("order.discount_codes[].code", item, "must be a code")
        found.append(code)
    return found


def _refund(payload: Mapping[str, Any], currency: str, where: str) -> Refund:
    refund_id = _id(payload, "id", where)
    created = _moment(_get(payload, "created_at", where), f"{where}.created_at")
    transactions = payload.get("transactions") or []
    if not isinstance(transactions, list):
        raise ValidationError(f"{where}.transactions", transactions, "must be a list")
    total = Money.zero(currency)
    for item in transactions:
        if not isinstance(item, Mapping):
            raise ValidationError(f"{where}.transactions[]", item, "must be an object")
        if item.get("kind") != "refund" or item.get("status", "success") != "success":
            continue
        tx_currency = item.get("currency", currency)
        if tx_currency != currency:
            check_currency(f"{where}.transactions[].currency", tx_currency)
            raise ValidationError(
                f"{where}.transactions[].currency", tx_currency, f"is not the order's {currency}"
            )
        total = total + _money(item, "amount", currency, f"{where}.transactions[]")
    return Refund(refund_id, total, created)


def _lines(payload: Mapping[str, Any], currency: str) -> tuple[OrderLine, ...]:
    """The line items with a product id, each at its price times quantity less its discounts
    (what commission rules exclude products by); items without a product id are skipped."""
    items = payload.get("line_items") or []
    if not isinstance(items, list):
        raise ValidationError("order.line_items", items, "must be a list")
    lines: list[OrderLine] = []
    for item in items:
        if not isinstance(item, Mapping) or item.get("product_id") is None:
            continue
        where = "order.line_items[]"
        quantity = item.get("quantity", 1)
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            raise ValidationError(f"{where}.quantity", quantity, "must be a whole number")
        amount = _money(item, "price", currency, where) * quantity
        allocations = item.get("discount_allocations")
        if isinstance(allocations, list) and allocations:
            for a in allocations:
                if isinstance(a, Mapping):
                    amount = amount - _money(
                        a, "amount", currency, f"{where}.discount_allocations[]"
                    )
        elif item.get("total_discount") is not None:
            amount = amount - _money(item, "total_discount", currency, where)
        if amount.amount < 0:
            amount = Money.zero(currency)
        lines.append(OrderLine(_id(item, "product_id", where), amount))
    return tuple(lines)


def _new_customer(payload: Mapping[str, Any]) -> bool | None:
    """Whether the buyer placed its first order, when the order's customer says (None: not
    said)."""
    customer = payload.get("customer")
    count = customer.get("orders_count") if isinstance(customer, Mapping) else None
    if isinstance(count, bool) or not isinstance(count, int):
        return None
    return count == 1


def parse_order(payload: Mapping[str, Any]) -> tuple[OrderPlacement, tuple[Refund, ...]]:
    """An order webhook's body (``orders/create``, ``paid``, ``cancelled``): the order as
    placed, and the refunds it already lists."""
    if not isinstance(payload, Mapping):
        raise ValidationError("order", payload, "must be a JSON object")
    currency = _currency(payload, "order")
    created = _moment(_get(payload, "created_at", "order"), "order.created_at")
    placement = OrderPlacement(
        external_id=_id(payload, "id", "order"),
        name=str(payload.get("name") or payload["id"]),
        created_at=created,
        updated_at=_optional_moment(payload, "updated_at", "order") or created,
        subtotal=_money(payload, "subtotal_price", currency, "order"),
        total=_money(payload, "total_price", currency, "order"),
        discount_codes=_codes(payload),
        landing_site=payload.get("landing_site") or None,
        click_token=_click_token(payload.get("note_attributes")),
        source_name=payload.get("source_name") or None,
        financial_status=payload.get("financial_status") or None,
        cancelled_at=_optional_moment(payload, "cancelled_at", "order"),
        test=bool(payload.get("test", False)),
        lines=_lines(payload, currency),
        new_customer=_new_customer(payload),
    )
    refunds = payload.get("refunds") or []
    if not isinstance(refunds, list):
        raise ValidationError("order.refunds", refunds, "must be a list")
    return placement, tuple(_refund(r, currency, "order.refunds[]") for r in refunds)


def parse_refund(
    payload: Mapping[str, Any], currency: str | None = None
) -> tuple[str, str, Refund]:
    """A ``refunds/create`` body: the order id, the currency and the refund (the sum of its
    successful refund transactions)."""
    if not isinstance(payload, Mapping):
        raise ValidationError("refund", payload, "must be a JSON object")
    transactions = payload.get("transactions") or []
    found = next(
        (t.get("currency") for t in transactions if isinstance(t, Mapping) and t.get("currency")),
        currency,
    )
    if found is None:
        raise ValidationError("refund.transactions[].currency", None, "is missing")
    money_currency = check_currency("refund.currency", found)
    return (
        _id(payload, "order_id", "refund"),
        money_currency,
        _refund(payload, money_currency, "refund"),
    )


def parse_webhook(topic: str, body: bytes, event_id: str | None = None) -> ShopEvent:
    """A verified webhook body as a ShopEvent (verify the signature first)."""
    if topic not in TOPICS:
        raise ValidationError("X-Shopify-Topic", topic, f"is not one of {sorted(TOPICS)}")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise ValidationError("body", body[:80], "is not JSON") from e
    kind = TOPICS[topic]
    if kind is ShopTopic.REFUND_CREATED:
        order_id, currency, refund = parse_refund(payload)
        return ShopEvent(kind, order_id, currency, refunds=(refund,), event_id=event_id)
    placement, refunds = parse_order(payload)
    return ShopEvent(
        kind,
        placement.external_id,
        placement.currency,
        placement=placement,
        refunds=refunds,
        event_id=event_id,
    )


# -- the webhook endpoint -----------------------------------------------------------------


def _secrets(value: Iterable[str | bytes]) -> tuple[str | bytes, ...]:
    if isinstance(value, str | bytes):
        value = (value,)
    found = tuple(value)
    if not found:
        raise ValidationError("secrets", "<secrets>", "give at least one webhook secret")
    for secret in found:
        if len(_secret(secret)) < MIN_WEBHOOK_SECRET:
            # The secret itself is never shown in the error, only its position.
            raise ValidationError(
                f"secrets[{found.index(secret)}]",
                "<secret>",
                f"must be at least {MIN_WEBHOOK_SECRET} bytes (a shop app's secret is longer)",
            )
    return found


@attrs.frozen(repr=False)
class ShopifyShop:
    """A connected shop: its brand and its webhook secrets (the current one first; keep the
    previous one while rotating)."""

    brand_id: str
    secrets: tuple[str | bytes, ...] = attrs.field(converter=_secrets)

    def __repr__(self) -> str:
        return f"ShopifyShop(brand_id={self.brand_id!r}, secrets=<{len(self.secrets)}>)"


@attrs.frozen
class WebhookResponse:
    """What to answer Shopify: 200 when applied, a duplicate or an unsupported topic (ignored
    and logged, so it stops retrying), 401 for a bad signature, 400 for a malformed payload
    (logged), 503 when it should retry (a missing exchange rate, a busy store).

    ``error`` is the typed error behind a refusal (a :class:`SignatureError` behind a 401, a
    :class:`ValidationError` behind a 400, the store's or configuration's error behind a
    503), for a host that logs or counts them; None when there is none."""

    status: int
    outcome: str
    detail: str = ""
    order_id: str | None = None
    error: InflucampaignError | None = attrs.field(default=None, eq=False, repr=False)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


class ShopifyWebhooks:
    """The webhook endpoint's logic, for any web framework: give it the headers and the
    raw body, answer with the returned status."""

    def __init__(self, workspace: Any, shops: Mapping[str, ShopifyShop]) -> None:
        self._ws = workspace
        self._shops = dict(shops)
        self._actor = SystemActor("shopify")

    def handle(self, headers: Mapping[str, str], body: bytes) -> WebhookResponse:
        """Verify, parse and apply one webhook delivery."""
        domain = _header(headers, "X-Shopify-Shop-Domain") or ""
        shop = self._shops.get(domain)
        if shop is None:
            log.warning("webhook from unknown shop %r refused", domain)
            error = SignatureError("X-Shopify-Shop-Domain", f"unknown shop {domain!r}")
            return WebhookResponse(401, "rejected", f"unknown shop {domain!r}", error=error)
        if len(body) > _MAX_BODY:
            too_large = ValidationError("body", f"<{len(body)} bytes>", "is too large")
            return WebhookResponse(413, "rejected", "body too large", error=too_large)
        try:
            verify_webhook(body, _header(headers, "X-Shopify-Hmac-Sha256"), shop.secrets)
        except SignatureError as e:
            log.warning("webhook from %s refused: %s", domain, e.reason)
            return WebhookResponse(401, "rejected", e.reason, error=e)
        topic = _header(headers, "X-Shopify-Topic") or ""
        if topic not in TOPICS:
            # Acknowledged: refusing would make Shopify retry for hours, then drop the webhook.
            log.warning("webhook %s from %s ignored: not a supported topic", topic, domain)
            return WebhookResponse(200, "ignored", f"unsupported topic {topic!r}")
        try:
            event = parse_webhook(topic, body, _header(headers, "X-Shopify-Event-Id"))
            applied = self._ws.sales.apply(self._actor, shop.brand_id, domain, event)
        except ValidationError as e:
            log.warning("webhook %s from %s rejected: %s", topic, domain, e)
            return WebhookResponse(400, "rejected", str(e), error=e)
        except InflucampaignError as e:
            log.warning("webhook %s from %s not applied, Shopify will retry: %s", topic, domain, e)
            return WebhookResponse(503, "retry", str(e), error=e)
        return WebhookResponse(200, applied.status, "", applied.order_id)


# -- the orders CSV export -----------------------------------------------------------------

CSV_COLUMNS = (
    "Name",
    "Financial Status",
    "Currency",
    "Subtotal",
    "Total",
    "Discount Code",
    "Created at",
    "Cancelled at",
    "Refunded Amount",
    "Note Attributes",
    "Source",
)
"""The columns of Shopify's orders export that are read (``Id`` too, when present)."""


def _csv_moment(value: str, field: str) -> pendulum.DateTime:
    text = value.strip()
    try:
        moment = _dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        return _moment(text, field)
    return pendulum.instance(moment).in_timezone("UTC")


def _csv_attributes(text: str) -> str | None:
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip() in _CLICK_ATTRIBUTES and value.strip():
            return value.strip()
    return None


def read_orders_csv(source: str | bytes | Iterable[str]) -> list[ShopEvent]:
    """The orders of a Shopify orders export: one row per line item, the order's own columns
    on its first row. Each order gives one ShopEvent (its refunded total included). A
    missing column, a bad amount or date is a ValidationError naming the row and column;
    nothing is returned then."""
    if isinstance(source, bytes):
        source = source.decode("utf-8-sig")
    lines = io.StringIO(source.lstrip("\ufeff")) if isinstance(source, str) else source
    reader = csv.DictReader(lines)
    columns = set(reader.fieldnames or ())
    missing = [c for c in CSV_COLUMNS if c not in columns]
    if missing:
        raise ValidationError("csv", missing, "the orders export lacks these columns")
    events: list[ShopEvent] = []
    seen: set[str] = set()
    for number, row in enumerate(reader, start=2):
        name = (row.get("Name") or "").strip()
        if not name:
            raise ValidationError(f"csv line {number}: Name", row.get("Name"), "is empty")
        if name in seen:
            continue  # a further line item of an order already read
        if not (row.get("Currency") or "").strip():
            raise ValidationError(
                f"csv line {number}: Currency", "", "is empty on the order's first row"
            )
        seen.add(name)
        events.append(_csv_order(row, number))
    return events


def _csv_order(row: Mapping[str, str], number: int) -> ShopEvent:
    where = f"csv line {number}"
    currency = check_currency(f"{where}: Currency", row["Currency"].strip())

    def money(column: str, *, blank_is_zero: bool = False) -> Money:
        text = (row.get(column) or "").strip()
        if not text and blank_is_zero:
            text = "0"
        value = Money.parse(text, currency, field=f"{where}: {column}")
        if value.amount < 0:
            raise ValidationError(f"{where}: {column}", text, "must not be negative")
        return value

    external = (row.get("Id") or "").strip() or row["Name"].strip().lstrip("#")
    created = _csv_moment(row["Created at"], f"{where}: Created at")
    cancelled = row["Cancelled at"].strip()
    codes = [c.strip() for c in row["Discount Code"].split(",") if c.strip()]
    placement = OrderPlacement(
        external_id=external,
        name=row["Name"].strip(),
        created_at=created,
        updated_at=created,
        subtotal=money("Subtotal"),
        total=money("Total"),
        discount_codes=codes,
        click_token=_csv_attributes(row.get("Note Attributes") or ""),
        source_name=(row.get("Source") or "").strip() or None,
        financial_status=(row.get("Financial Status") or "").strip() or None,
        cancelled_at=_csv_moment(cancelled, f"{where}: Cancelled at") if cancelled else None,
    )
    refunded = money("Refunded Amount", blank_is_zero=True)
    return ShopEvent(
        ShopTopic.CSV_EXPORT,
        external,
        currency,
        placement=placement,
        refunded_total=None if refunded.is_zero() else refunded,
    )
