"""Steps of the simulation: tracked links, clicks, promo codes and Shopify orders."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from influcampaign.adapters.shopify import WebhookResponse, read_orders_csv
from influcampaign.testing import strategies as ics
from influcampaign.testing.simulation.model import (
    _MANAGER,
    _PICK,
    _SHOP_SECRET,
    BRAND,
    SHOP,
    SimulationModel,
    _actors,
    _Delivery,
    _Side,
)


class SalesSteps(SimulationModel):
    """Steps of the simulation: tracked links, clicks, promo codes and Shopify orders."""

    # -- links, clicks and codes -------------------------------------------------------------

    @precondition(lambda self: bool(self.participations))
    @rule(actor=_actors("manager"), pick=_PICK)
    def create_link(self, actor: str, pick: int) -> None:
        """The brand makes a tracked link for a participation."""
        self._step("create_link")
        participation = self._pick(self.participations, pick)
        if participation is None:
            return
        self.focus = self._campaign_of(participation)
        self._call(
            lambda side: side.ws.links.create(
                self._who(actor), participation, landing_url="https://shop.example/serum"
            ),
            what="links.create",
            learn=lambda side, link: side.slugs.append(link.slug),
        )

    @precondition(lambda self: bool(self.sides[0].slugs))
    @rule(
        pick=_PICK,
        ip=ics.visitor_addresses(),
        agent=ics.user_agents(),
        method=st.sampled_from(["GET", "GET", "GET", "HEAD", "POST"]),
        repeat=st.integers(1, 2),
    )
    def click(self, pick: int, ip: str, agent: str, method: str, repeat: int) -> None:
        """Someone (a person, a robot) opens a tracked link, maybe twice."""
        self._step("click")
        if not self.sides[0].slugs:
            return
        index = pick % len(self.sides[0].slugs)
        for _ in range(repeat):
            outcomes = self._call(
                lambda side: side.ws.links.click(
                    side.slugs[index], ip=ip, user_agent=agent, method=method
                ),
                what="links.click",
            )
            assert outcomes[0].ok, f"a click on a known link failed: {outcomes[0].value!r}"
            visit = outcomes[0].value
            person = agent in ics.PERSON_AGENTS
            if method != "GET" or not person:
                assert not visit.counted, visit
            if visit.counted:
                assert method == "GET", visit
                assert person, visit
                key = (index, ip, agent)
                now = self.clock.now()
                recent = [t for t in self.visits.get(key, []) if t > now.subtract(hours=1)]
                assert visit.unique == (not recent), (visit, recent)
                self.visits.setdefault(key, []).append(now)
                for side, outcome in zip(self.sides, outcomes, strict=True):
                    side.tokens.append(outcome.value.click_token)

    @precondition(lambda self: bool(self.participations))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        code=st.sampled_from([None, None, "SPRING10", "glow-15", "TEST", "SH1T-20"]),
        percent=st.sampled_from([None, 10, 15]),
    )
    def create_code(self, actor: str, pick: int, code: str | None, percent: int | None) -> None:
        """The brand gives a creator a promo code (from the pattern, or as given)."""
        self._step("create_code")
        participation = self._pick(self.participations, pick)
        if participation is None:
            return
        self.focus = self._campaign_of(participation)
        self._call(
            lambda side: side.ws.codes.create(
                self._who(actor), participation, code=code, percent_off=percent
            ),
            what="codes.create",
            learn=lambda side, promo: side.codes.append(promo.code),
        )

    # -- Shopify -----------------------------------------------------------------------------

    def _headers(self, topic: str, body: bytes, event_id: str, secret: str) -> dict[str, str]:
        digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
        return {
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": base64.b64encode(digest).decode(),
            "X-Shopify-Shop-Domain": SHOP,
            "X-Shopify-Event-Id": event_id,
        }

    def _queue(
        self, topic: str, payloads: tuple[dict[str, Any], dict[str, Any]], at_once: bool
    ) -> None:
        """Queue a webhook (kept for a later retry); ``at_once`` delivers it now as well."""
        bodies = (json.dumps(payloads[0]).encode(), json.dumps(payloads[1]).encode())
        self.queue.append(_Delivery(topic, bodies, f"evt-{self._next()}"))
        if at_once:
            self._deliver(self.queue[-1], forged=False)

    @rule(
        code=st.none() | _PICK,
        link=st.none() | _PICK,
        token=st.none() | _PICK,
        hours_ago=st.sampled_from([0, 1, 30, 24 * 12, 24 * 400]),
        currency=st.sampled_from(["EUR", "EUR", "USD", "GBP"]),
        subtotal=st.sampled_from(["0.00", "19.90", "100.00"]),
        lower=st.booleans(),
        test=st.sampled_from([False, False, False, True]),
        at_once=st.sampled_from([True, True, False]),
    )
    def place_order(
        self,
        code: int | None,
        link: int | None,
        token: int | None,
        hours_ago: int,
        currency: str,
        subtotal: str,
        lower: bool,
        test: bool,
        at_once: bool,
    ) -> None:
        """A shop order is placed, with a code, a landing page or a click id (or none)."""
        self._step("place_order")
        number = 820_982_911_946_154_000 + self._next()
        created = self.clock.now().subtract(hours=hours_ago).isoformat()
        payloads = []
        for side in self.sides:
            codes = []
            if code is not None and side.codes:
                text = side.codes[code % len(side.codes)]
                codes = [{"code": text.lower() if lower else text, "amount": "1.00"}]
            landing = None
            if link is not None and side.slugs:
                landing = (
                    f"/serum?utm_source=instagram&utm_content={side.slugs[link % len(side.slugs)]}"
                )
            notes = []
            if token is not None and side.tokens:
                notes = [{"name": "icclid", "value": side.tokens[token % len(side.tokens)]}]
            payloads.append(
                {
                    "id": number,
                    "name": f"#{number % 10_000}",
                    "created_at": created,
                    "currency": currency,
                    "subtotal_price": subtotal,
                    "total_price": subtotal,
                    "discount_codes": codes,
                    "landing_site": landing,
                    "note_attributes": notes,
                    "source_name": "web",
                    "test": test,
                }
            )
        self.orders.append((str(number), currency))
        self._queue("orders/create", (payloads[0], payloads[1]), at_once)

    @precondition(lambda self: bool(self.orders))
    @rule(
        pick=_PICK,
        amount=st.sampled_from(["5.00", "19.90", "150.00"]),
        cancel=st.booleans(),
        at_once=st.booleans(),
    )
    def refund_or_cancel(self, pick: int, amount: str, cancel: bool, at_once: bool) -> None:
        """A refund (maybe larger than the order), or a cancellation, is queued."""
        self._step("refund_or_cancel")
        if not self.orders:
            return
        external, currency = self.orders[pick % len(self.orders)]
        now = self.clock.now().isoformat()
        if cancel:
            payload: dict[str, Any] = {
                "id": int(external),
                "created_at": now,
                "cancelled_at": now,
                "currency": currency,
                "subtotal_price": "19.90",
                "total_price": "19.90",
                "discount_codes": [],
            }
            self._queue("orders/cancelled", (payload, payload), at_once)
            return
        refund = {
            "id": self._next(),
            "order_id": int(external),
            "created_at": now,
            "transactions": [
                {"kind": "refund", "status": "success", "amount": amount, "currency": currency}
            ],
        }
        self._queue("refunds/create", (refund, refund), at_once)

    @precondition(lambda self: bool(self.queue))
    @rule(pick=_PICK, retry_later=st.booleans(), forged=st.sampled_from([False] * 5 + [True]))
    def deliver_webhook(self, pick: int, retry_later: bool, forged: bool) -> None:
        """Shopify delivers a queued webhook (out of order, maybe again later, maybe forged)."""
        self._step("deliver_webhook")
        delivery = self.queue[pick % len(self.queue)]
        if not retry_later:
            self.queue.remove(delivery)
        self._deliver(delivery, forged=forged)

    def _deliver(self, delivery: _Delivery, *, forged: bool) -> None:
        secret = "not-the-secret" if forged else _SHOP_SECRET

        def send(side: _Side) -> WebhookResponse:
            body = delivery.bodies[self.sides.index(side)]
            return side.hooks.handle(
                self._headers(delivery.topic, body, delivery.event_id, secret), body
            )

        outcomes = self._call(
            send,
            what=f"webhook {delivery.topic}",
            changes_nothing=lambda r: r.status != 200 or r.outcome == "duplicate",
        )
        response = outcomes[0].value
        event(f"webhook {delivery.topic}: {response.status} {response.outcome}")
        self.statistics[f"webhook {delivery.topic}: {response.status} {response.outcome}"] += 1
        if forged:
            assert response.status == 401, response
        else:
            # A well-formed, signed delivery is applied, a duplicate, or to be retried.
            assert response.status in (200, 503), response

    @rule(
        topic=st.sampled_from(["orders/updated", "customers/create", "orders/create"]),
        body=st.sampled_from([b"{}", b"not json", b'{"id": 1, "currency": "EUR"}']),
    )
    def odd_webhook(self, topic: str, body: bytes) -> None:
        """A signed webhook of an unsupported topic, or a malformed one: acknowledged or
        rejected, never applied."""
        self._step("odd_webhook")
        delivery = _Delivery(topic, (body, body), f"evt-{self._next()}")
        outcomes = self._call(
            lambda side: side.hooks.handle(
                self._headers(topic, body, delivery.event_id, _SHOP_SECRET), body
            ),
            what=f"webhook {topic} (odd)",
            changes_nothing=lambda response: True,
        )
        response = outcomes[0].value
        self.statistics[f"odd webhook {topic}: {response.status} {response.outcome}"] += 1
        if topic != "orders/create":
            # Unsupported topics are acknowledged, so that Shopify does not retry them.
            assert response.status == 200, response
        else:
            assert response.status == 400, response

    @precondition(lambda self: bool(self.orders))
    @rule(picks=st.lists(_PICK, min_size=1, max_size=3), refunded=st.sampled_from(["", "5.00"]))
    def import_export(self, picks: list[int], refunded: str) -> None:
        """The brand imports Shopify's orders export (orders already known by webhook or
        not); importing the same export again changes nothing."""
        self._step("import_export")
        chosen = sorted({self.orders[i % len(self.orders)] for i in picks})
        header = (
            "Name,Financial Status,Currency,Subtotal,Total,Discount Code,Created at,"
            "Cancelled at,Refunded Amount,Note Attributes,Source,Lineitem name,Id\n"
        )
        created = self.clock.now().subtract(hours=2).format("YYYY-MM-DD HH:mm:ss ZZ")
        rows = "".join(
            f"#{int(external) % 10_000},paid,{currency},19.90,19.90,,{created},,{refunded},,"
            f"web,Serum,{external}\n"
            for external, currency in chosen
        )
        export = header + rows

        def run(side: _Side) -> Any:
            return side.ws.sales.apply_all(_MANAGER, BRAND, SHOP, read_orders_csv(export))

        first = self._call(run, what="sales.apply_all")
        if first[0].ok:
            self._call(run, what="sales.apply_all again", changes_nothing=lambda applied: True)
