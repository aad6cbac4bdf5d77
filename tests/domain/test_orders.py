"""Orders merging their webhook events (influcampaign.domain.orders)."""

from __future__ import annotations

import pendulum

import influcampaign as ic
from influcampaign.domain.orders import (
    OrderAttributed,
    OrderCancelled,
    OrderRefunded,
    TouchKind,
)
from tests.helpers import SHOP, T0


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
        recorded = []
        for e in order.recorded:
            assert isinstance(e, OrderAttributed | OrderRefunded | OrderCancelled)
            recorded.append((e.type, e.occurred_at, e.campaign_id))
        assert recorded == [
            ("OrderAttributed", now, "cmp_1"),
            ("OrderRefunded", now, "cmp_1"),
            ("OrderCancelled", now, "cmp_1"),
        ]
        order.pull_events()
        assert order.merge(now, event, lambda _placement: credit) is None
        assert order.recorded == ()
