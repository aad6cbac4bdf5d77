"""Shop events applied in bulk (an orders export, a webhook backlog): one chunk at a time,
in one transaction, with a handful of statements instead of a dozen per order.

A chunk reads what it needs at once (receipts, orders, promo codes, clicks, links,
campaigns), merges each event into its order in memory through the same domain methods as
the per-order path (:meth:`Order.merge`), credits the new orders with the vectorised engine
(:func:`influcampaign.analytics.attribution.attribute_orders`) — or with the per-order rule
for the rare orders it does not cover (codes of several creators, campaigns whose rules
differ) — and writes the orders, receipts and outbox events in bulk. The outcome is the
one the per-order path gives, event for event (a property test compares them).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import attrs
import numpy as np
import pendulum

from influcampaign.domain._validate import to_micros
from influcampaign.domain.orders import (
    Attribution,
    Order,
    OrderPlacement,
    ShopEvent,
    TouchKind,
    WebhookReceipt,
)
from influcampaign.domain.policies import AttributionRule
from influcampaign.domain.tokens import SigningKeys
from influcampaign.errors import CurrencyMismatch
from influcampaign.ports import UnitOfWork
from influcampaign.rules.attribution import Touch, decide
from influcampaign.services._touches import (
    LoadedTouches,
    landing_link_id,
    order_touches,
    verified_click,
)
from influcampaign.services.tracking import promo_code_id

__all__ = ["Credit", "apply_chunk"]

_US = 1_000_000
_VIA = {1: TouchKind.CODE, 2: TouchKind.CLICK, 3: TouchKind.LANDING}

Credit = Callable[[Order, OrderPlacement, Touch | None, str], Attribution]
"""Builds the attribution of an order from the winning touch (None: nobody) and the reason
(the sales service's: the campaign's sales currency and the exchange rate)."""


@attrs.frozen
class _Pending:
    """A new placement to credit: the order, its placement and its touches."""

    order: Order
    placement: OrderPlacement
    touches: list[Touch]
    notes: list[str]


def _micros(moment: pendulum.DateTime) -> int:
    micros = to_micros(moment)
    assert micros is not None
    return micros


def _in_dates(touch: Touch, order_at: pendulum.DateTime) -> bool:
    start, end = touch.campaign_start, touch.campaign_end
    if (start is not None and order_at < start) or (end is not None and order_at >= end):
        return False
    return touch.since is None or order_at >= touch.since


def _simple(pending: _Pending) -> bool:
    """Whether the vectorised engine decides this order as the per-order rule does: one
    rule among its campaigns, and its codes (if any) point at one participation."""
    rules = {t.rule for t in pending.touches}
    codes = {t.participation_id for t in pending.touches if t.kind is TouchKind.CODE}
    return len(rules) <= 1 and len(codes) <= 1


def _decide_in_bulk(pendings: Sequence[_Pending]) -> list[tuple[Touch | None, str]]:
    """The winning touch and the reason of each simple order, by the vectorised engine, in
    one pass per attribution rule."""
    from influcampaign.analytics.attribution import attribute_orders

    out: list[tuple[Touch | None, str]] = [(None, "")] * len(pendings)
    by_rule: dict[AttributionRule, list[int]] = {}
    for i, pending in enumerate(pendings):
        rule = pending.touches[0].rule if pending.touches else AttributionRule.CODE_WINS
        by_rule.setdefault(rule, []).append(i)
    for rule, rows in by_rule.items():
        n = len(rows)
        order_at = np.zeros(n, np.int64)
        code = np.full(n, -1, np.int64)
        click = np.full(n, -1, np.int64)
        click_at = np.zeros(n, np.int64)
        landing = np.full(n, -1, np.int64)
        windows: list[int] = []
        chosen: list[dict[int, Touch]] = []
        for row, i in enumerate(rows):
            pending = pendings[i]
            at = pending.placement.created_at
            order_at[row] = _micros(at)
            kinds: dict[int, Touch] = {}
            for touch in pending.touches:
                if not _in_dates(touch, at):
                    continue  # out of the campaign's dates, or before its code or link
                slot = len(windows)
                windows.append(touch.window_days * 86_400 * _US)
                if touch.kind is TouchKind.CODE and 1 not in kinds:
                    code[row], kinds[1] = slot, touch
                elif touch.kind is TouchKind.CLICK:
                    click[row], click_at[row], kinds[2] = slot, _micros(touch.at), touch
                elif touch.kind is TouchKind.LANDING:
                    landing[row], kinds[3] = slot, touch
            chosen.append(kinds)
        result = attribute_orders(
            order_at=order_at,
            code=code,
            click=click,
            click_at=click_at,
            landing=landing,
            window=np.array(windows, np.int64),
            rule=rule,
        )
        for row, i in enumerate(rows):
            via = int(result.via[row])
            if via:
                winner = chosen[row][via]
                out[i] = (winner, f"{rule.value}: {winner.kind.value} {winner.detail}")
            elif pendings[i].touches:
                out[i] = (None, "no valid touch")
            else:
                out[i] = (None, "no promo code or tracked link of a campaign")
    return out


def _load_touches(
    uow: UnitOfWork, keys: SigningKeys | None, brand_id: str, placements: Sequence[OrderPlacement]
) -> LoadedTouches:
    """Everything the placements may point at, read at once."""
    code_ids = [promo_code_id(brand_id, c) for p in placements for c in p.discount_codes]
    clicks = uow.clicks.get_many(
        [c for p in placements if (c := verified_click(keys, "", p, [])) is not None]
    )
    link_ids = [c.link_id for c in clicks.values()]
    link_ids += [link for p in placements if (link := landing_link_id(p)) is not None]
    source = LoadedTouches(
        uow, uow.promo_codes.get_many(code_ids), clicks, uow.links.get_many(link_ids)
    )
    campaigns = {p.campaign_id for p in source._promo_codes.values()}
    campaigns |= {c.campaign_id for c in clicks.values()}
    campaigns |= {link.campaign_id for link in source._links.values()}
    source.load_campaigns(campaigns)
    return source


def apply_chunk(
    uow: UnitOfWork,
    now: pendulum.DateTime,
    keys: SigningKeys | None,
    credit: Credit,
    brand_id: str,
    shop: str,
    events: Sequence[tuple[ShopEvent, str, list[str]]],
) -> list[tuple[str, str, Attribution | None]]:
    """Apply ``(event, order id, receipt keys)`` in order, in ``uow``: per event its status
    (``applied`` or ``duplicate``), order id and the attribution decided now."""
    receipts = uow.receipts.get_many([k for _, _, ks in events for k in ks])
    taken = set(receipts)
    stored = uow.orders.get_many([oid for _, oid, _ in events])
    before = {oid: copy.deepcopy(order) for oid, order in stored.items()}
    orders: dict[str, Order] = dict(stored)
    fresh: list[Order] = []
    # 1. which events are applied, and which of them place their order first
    applied: list[bool] = []
    placed_first: dict[int, Order] = {}
    placing: set[str] = set()
    for index, (event, oid, event_keys) in enumerate(events):
        if any(k in taken for k in event_keys):
            applied.append(False)
            continue
        applied.append(True)
        taken.update(event_keys)
        order = orders.get(oid)
        if order is None:
            order = Order(
                id=oid,
                brand_id=brand_id,
                shop=shop,
                external_id=event.external_order_id,
                currency=event.currency,
            )
            orders[oid] = order
            fresh.append(order)
        elif order.currency != event.currency:
            raise CurrencyMismatch("currency", order.currency, event.currency)
        if event.placement is not None and order.placement is None and oid not in placing:
            placed_first[index] = order
            placing.add(oid)
    # 2. credit the new placements, in bulk
    firsts = [(i, placed_first[i], events[i][0].placement) for i in sorted(placed_first)]
    source = _load_touches(uow, keys, brand_id, [p for _, _, p in firsts if p is not None])
    pendings: dict[int, _Pending] = {}
    credits: dict[int, Attribution] = {}
    for index, order, placement in firsts:
        assert placement is not None
        if placement.test:
            credits[index] = Attribution(
                None, None, None, None, "", "a test order is never credited", now
            )
            continue
        touches, notes = order_touches(source, keys, order.id, brand_id, placement)
        pendings[index] = _Pending(order, placement, touches, notes)
    simple = [i for i, p in pendings.items() if _simple(p)]
    for index, (winner, reason) in zip(
        simple, _decide_in_bulk([pendings[i] for i in simple]), strict=True
    ):
        pending = pendings[index]
        full = "; ".join([reason, *pending.notes])
        credits[index] = credit(pending.order, pending.placement, winner, full)
    for index, pending in pendings.items():
        if index not in credits:  # codes of several creators, or rules that differ
            decision = decide(pending.placement.created_at, pending.touches)
            full = "; ".join([decision.reason, *pending.notes])
            credits[index] = credit(pending.order, pending.placement, decision.touch, full)
    # 3. merge every applied event into its order, in order, as the per-order path does
    out: list[tuple[str, str, Attribution | None]] = []
    new_receipts: list[WebhookReceipt] = []
    for index, (event, oid, event_keys) in enumerate(events):
        if not applied[index]:
            out.append(("duplicate", oid, None))
            continue
        order = orders[oid]
        attribution = order.merge(now, event, _given(credits.get(index)))
        out.append(("applied", oid, attribution))
        new_receipts.extend(
            WebhookReceipt(
                id=key,
                shop=shop,
                key=event.event_id or event.resource_id,
                topic=event.topic.value,
                order_id=oid,
                received_at=now,
            )
            for key in event_keys
        )
    # 4. write: new orders and receipts in bulk, changed orders one by one
    uow.orders.add_many(fresh)
    for oid, order in stored.items():
        if order != before[oid]:
            uow.orders.save(order)
    uow.receipts.add_many(new_receipts)
    return out


def _given(decided: Attribution | None) -> Callable[[OrderPlacement], Attribution]:
    """What :meth:`Order.merge` asks for a first placement: the credit decided above."""

    def attribute(_placement: OrderPlacement) -> Attribution:
        if decided is None:  # pragma: no cover - every first placement was credited above
            raise AssertionError("an order placed without its attribution")
        return decided

    return attribute
