"""Who acts: brand members, client reviewers, creators and the system scheduler."""

from __future__ import annotations

import enum
from typing import Any

import attrs

from influcampaign.domain._validate import parse_enum, str_frozenset, valid_id

__all__ = [
    "BrandMember",
    "BrandRole",
    "ClientReviewer",
    "CreatorUser",
    "Principal",
    "SystemActor",
    "actor_id",
]


class BrandRole(enum.StrEnum):
    """A brand member's role; the access policy maps roles to permissions."""

    OWNER = "owner"
    MANAGER = "manager"
    ANALYST = "analyst"
    VIEWER = "viewer"


def _role(value: Any) -> BrandRole:
    return parse_enum(BrandRole, "role", value)


@attrs.frozen
class BrandMember:
    """A person working for a brand, with a role."""

    user_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    role: BrandRole = attrs.field(converter=_role)

    def __str__(self) -> str:
        return f"{self.role.value} {self.user_id} of brand {self.brand_id}"


@attrs.frozen
class ClientReviewer:
    """A colleague or client invited to review the creator list of some campaigns."""

    reviewer_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    campaign_ids: frozenset[str] = attrs.field(converter=str_frozenset)

    def __str__(self) -> str:
        return f"reviewer {self.reviewer_id} of brand {self.brand_id}"


@attrs.frozen
class CreatorUser:
    """A creator acting for itself."""

    creator_id: str = attrs.field(validator=valid_id)

    def __str__(self) -> str:
        return f"creator {self.creator_id}"


@attrs.frozen
class SystemActor:
    """The SDK's own automation (the scheduler)."""

    name: str = "scheduler"

    def __str__(self) -> str:
        return f"system {self.name}"


Principal = BrandMember | ClientReviewer | CreatorUser | SystemActor
"""Anyone who can act through the workspace."""


def actor_id(actor: Principal) -> str:
    """Who acted, as recorded on what they did: a member's user id, a creator's id, else the
    principal's description."""
    if isinstance(actor, BrandMember):
        return actor.user_id
    if isinstance(actor, CreatorUser):
        return actor.creator_id
    return str(actor)
