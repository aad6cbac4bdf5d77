"""influcampaign: the rules of influencer campaign management, as an embeddable SDK.

>>> import influcampaign as ic
>>> ws = ic.open("memory://")
>>> ws.store
MemoryStore()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from influcampaign.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    CurrencyMismatch,
    InflucampaignError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    StorageError,
    ValidationError,
)

if TYPE_CHECKING:
    from influcampaign.adapters.clock import FrozenClock, SystemClock
    from influcampaign.adapters.ids import RandomIds, SequentialIds
    from influcampaign.adapters.memory import MemoryStore
    from influcampaign.adapters.sql import SqlStore
    from influcampaign.domain.access import AccessPolicy, Permission
    from influcampaign.domain.campaign import (
        Campaign,
        CampaignKind,
        CampaignMode,
        CampaignPolicies,
        CampaignStatus,
        Compensation,
        DateWindow,
    )
    from influcampaign.domain.creator import (
        AudienceDataState,
        AudienceStats,
        ContactDetails,
        Creator,
        Platform,
        Tier,
        TierPolicy,
    )
    from influcampaign.domain.events import DomainEvent
    from influcampaign.domain.group import Group
    from influcampaign.domain.money import Money
    from influcampaign.domain.principals import (
        BrandMember,
        BrandRole,
        ClientReviewer,
        CreatorUser,
        Principal,
        SystemActor,
    )
    from influcampaign.ports import Clock, IdGenerator, OutboxMessage, Store, UnitOfWork
    from influcampaign.serialization import make_converter
    from influcampaign.services.workspace import Workspace

__all__ = [
    "AccessPolicy",
    "AlreadyExists",
    "AudienceDataState",
    "AudienceStats",
    "BrandMember",
    "BrandRole",
    "Campaign",
    "CampaignKind",
    "CampaignMode",
    "CampaignPolicies",
    "CampaignStatus",
    "ClientReviewer",
    "Clock",
    "Compensation",
    "ConcurrencyConflict",
    "ContactDetails",
    "Creator",
    "CreatorUser",
    "CurrencyMismatch",
    "DateWindow",
    "DomainEvent",
    "FrozenClock",
    "Group",
    "IdGenerator",
    "InflucampaignError",
    "InvalidTransition",
    "MemoryStore",
    "Money",
    "NotFound",
    "OutboxMessage",
    "Permission",
    "PermissionDenied",
    "Platform",
    "Principal",
    "RandomIds",
    "SequentialIds",
    "SqlStore",
    "StorageError",
    "Store",
    "SystemActor",
    "SystemClock",
    "Tier",
    "TierPolicy",
    "UnitOfWork",
    "ValidationError",
    "Workspace",
    "make_converter",
    "open",
]

_LAZY: dict[str, str] = {
    "AccessPolicy": "influcampaign.domain.access",
    "AudienceDataState": "influcampaign.domain.creator",
    "AudienceStats": "influcampaign.domain.creator",
    "BrandMember": "influcampaign.domain.principals",
    "BrandRole": "influcampaign.domain.principals",
    "Campaign": "influcampaign.domain.campaign",
    "CampaignKind": "influcampaign.domain.campaign",
    "CampaignMode": "influcampaign.domain.campaign",
    "CampaignPolicies": "influcampaign.domain.campaign",
    "CampaignStatus": "influcampaign.domain.campaign",
    "ClientReviewer": "influcampaign.domain.principals",
    "Clock": "influcampaign.ports",
    "Compensation": "influcampaign.domain.campaign",
    "ContactDetails": "influcampaign.domain.creator",
    "Creator": "influcampaign.domain.creator",
    "CreatorUser": "influcampaign.domain.principals",
    "DateWindow": "influcampaign.domain.campaign",
    "DomainEvent": "influcampaign.domain.events",
    "FrozenClock": "influcampaign.adapters.clock",
    "Group": "influcampaign.domain.group",
    "IdGenerator": "influcampaign.ports",
    "MemoryStore": "influcampaign.adapters.memory",
    "Money": "influcampaign.domain.money",
    "OutboxMessage": "influcampaign.ports",
    "Permission": "influcampaign.domain.access",
    "Platform": "influcampaign.domain.creator",
    "Principal": "influcampaign.domain.principals",
    "RandomIds": "influcampaign.adapters.ids",
    "SequentialIds": "influcampaign.adapters.ids",
    "SqlStore": "influcampaign.adapters.sql",
    "Store": "influcampaign.ports",
    "SystemActor": "influcampaign.domain.principals",
    "SystemClock": "influcampaign.adapters.clock",
    "Tier": "influcampaign.domain.creator",
    "TierPolicy": "influcampaign.domain.creator",
    "UnitOfWork": "influcampaign.ports",
    "Workspace": "influcampaign.services.workspace",
    "adapters": "influcampaign.adapters.memory",
    "from": "influcampaign.adapters.memory",
    "import": "influcampaign.adapters.memory",
    "influcampaign": "influcampaign.adapters.memory",
    "make_converter": "influcampaign.serialization",
    "serialization": "influcampaign.adapters.memory",
    "sql": "influcampaign.adapters.memory",
}


def __getattr__(name: str) -> Any:
    """Import public names on first use, so that ``import influcampaign`` does no work."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'influcampaign' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def open(
    url: str,
    *,
    clock: Clock | None = None,
    ids: IdGenerator | None = None,
    access: AccessPolicy | None = None,
    migrate: bool = True,
) -> Workspace:
    """A Workspace over the store at ``url``: ``memory://``, ``sqlite:///path.db`` or ``postgresql://…``.

    The SQL schema is created or upgraded unless ``migrate=False``. Without ``clock``, the
    system clock is used.
    """
    if not isinstance(url, str):
        raise ValidationError("url", url, "must be a string such as 'sqlite:///campaigns.db'")
    from influcampaign.services.workspace import Workspace

    store: Store
    if url.startswith("memory:"):
        from influcampaign.adapters.memory import MemoryStore

        store = MemoryStore(ids=ids)
    elif url.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
        from influcampaign.adapters.sql import SqlStore

        store = SqlStore(url, ids=ids)
        if migrate:
            store.migrate()
    else:
        raise ValidationError("url", url, "must start with memory://, sqlite:/// or postgresql://")
    return Workspace(store, clock, ids=ids, access=access)
