"""Payouts held in memory: the fake :class:`~influcampaign.ports.PayoutGateway`, which pays
nothing and remembers what it was asked (once per statement)."""

from __future__ import annotations

from influcampaign.ports import PayoutRequest

__all__ = ["MemoryPayouts"]


class MemoryPayouts:
    """A PayoutGateway that records each statement's payout once and answers a stable
    reference (``memory-payout-1`` …); asking again for a statement returns its reference.

    >>> from influcampaign.domain.money import Money
    >>> gateway = MemoryPayouts()
    >>> gateway.pay(PayoutRequest("pst_1", "PS-000001", "brand", "cre", Money.of(5, "EUR")))
    'memory-payout-1'
    """

    def __init__(self) -> None:
        self.paid: dict[str, tuple[PayoutRequest, str]] = {}

    def pay(self, request: PayoutRequest) -> str:
        """Record the payout (once per statement id) and return its reference."""
        if request.statement_id not in self.paid:
            reference = f"memory-payout-{len(self.paid) + 1}"
            self.paid[request.statement_id] = (request, reference)
        return self.paid[request.statement_id][1]

    def __repr__(self) -> str:
        return f"MemoryPayouts({len(self.paid)} paid)"
