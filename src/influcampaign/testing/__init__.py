"""For host test suites: Hypothesis strategies, sample aggregates of every kind, the storage
contract, fakes and a pytest plugin.

Needs the ``testing`` extra (hypothesis, pytest). The in-memory store
(:class:`influcampaign.MemoryStore`) is the fake; :class:`influcampaign.FrozenClock` the clock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from influcampaign.testing.agreement import StoreAgreement, agreement_machine
    from influcampaign.testing.by_type import strategy_for
    from influcampaign.testing.contract import StorageContract
    from influcampaign.testing.samples import sample
    from influcampaign.testing.workspaces import WorkspaceFactory

__all__ = [
    "StorageContract",
    "StoreAgreement",
    "WorkspaceFactory",
    "agreement_machine",
    "sample",
    "samples",
    "strategies",
    "strategy_for",
]

_LAZY = {
    "StorageContract": "influcampaign.testing.contract",
    "StoreAgreement": "influcampaign.testing.agreement",
    "agreement_machine": "influcampaign.testing.agreement",
    "sample": "influcampaign.testing.samples",
    "strategy_for": "influcampaign.testing.by_type",
    "WorkspaceFactory": "influcampaign.testing.workspaces",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name in ("samples", "strategies"):
        return importlib.import_module(f"influcampaign.testing.{name}")
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'influcampaign.testing' has no attribute {name!r}")
