"""Who may do what: a frozen policy that maps principals and roles to permissions."""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from influcampaign.domain.principals import (
    BrandMember,
    BrandRole,
    ClientReviewer,
    CreatorUser,
    Principal,
    SystemActor,
)
from influcampaign.errors import PermissionDenied

__all__ = ["AccessPolicy", "Permission", "Resource"]


class Permission(enum.StrEnum):
    """An action on a kind of resource."""

    CREATOR_READ = "read creator"
    CREATOR_WRITE = "edit creator"
    CONTACT_READ = "read the personal data of creator"
    GROUP_READ = "read group"
    GROUP_WRITE = "edit group"
    CAMPAIGN_READ = "read campaign"
    CAMPAIGN_WRITE = "manage campaign"
    CAMPAIGN_INTERNAL_READ = "read the internal summary of campaign"
    APPLY = "apply to"
    PARTICIPATION_READ = "read participation"
    PARTICIPATION_RESPOND = "confirm or decline participation"
    LIST_REVIEW = "review the creator list of"
    MESSAGE_READ = "read messages of"
    MESSAGE_WRITE = "send messages to"
    TEMPLATE_WRITE = "edit message templates of"
    SHIPMENT_READ = "read shipment"
    SHIPMENT_WRITE = "manage shipment"
    SHIPMENT_RECEIVE = "confirm delivery of"
    CONTENT_SUBMIT = "submit content for"
    CONTENT_VALIDATE = "validate content of"
    DELIVERABLE_WRITE = "plan deliverables of"
    TRACKING_WRITE = "manage the links and promo codes of"
    SALES_READ = "read the sales of"
    SALES_WRITE = "record the shop orders of"
    COST_READ = "read the costs and payments of"
    COST_WRITE = "manage the costs and payments of"
    RATE_CARD_WRITE = "define the EMV rate cards of"
    REVIEW_READ = "read the creator reviews and relationship history of"
    REVIEW_WRITE = "review the creators of"
    PERSONAL_DATA_EXPORT = "export the personal data of creator"
    PERSONAL_DATA_ERASE = "erase the personal data of creator"
    AUDIT_READ = "read the personal-data audit of creator"
    CONTENT_CAPTURE = "capture the published posts of"
    RIGHTS_WRITE = "manage the usage rights of"
    EXCHANGE_READ = "read the exchanges log of"  # issue 17: owners and managers by default
    EXCHANGE_WRITE = "log exchanges with"


_P = Permission

_ERASURE_ONLY: frozenset[Permission] = frozenset({_P.PERSONAL_DATA_ERASE})
"""Erasure reaches every brand's records of a creator: by default only the creator itself
(or the host, as the system) may run it, never one brand's member."""

_DEFAULT_ROLES: Mapping[BrandRole, frozenset[Permission]] = {
    BrandRole.OWNER: frozenset(Permission) - _ERASURE_ONLY,
    BrandRole.MANAGER: frozenset(Permission) - _ERASURE_ONLY - {_P.AUDIT_READ},
    BrandRole.ANALYST: frozenset(
        {
            _P.CREATOR_READ,
            _P.GROUP_READ,
            _P.CAMPAIGN_READ,
            _P.CAMPAIGN_INTERNAL_READ,
            _P.PARTICIPATION_READ,
            _P.SHIPMENT_READ,
            _P.SALES_READ,
            _P.COST_READ,
            _P.REVIEW_READ,
        }
    ),
    BrandRole.VIEWER: frozenset(
        {_P.CREATOR_READ, _P.GROUP_READ, _P.CAMPAIGN_READ, _P.PARTICIPATION_READ}
    ),
}

_REVIEWER: frozenset[Permission] = frozenset(
    {_P.CREATOR_READ, _P.CAMPAIGN_READ, _P.PARTICIPATION_READ, _P.LIST_REVIEW}
)
_CREATOR_OWN: frozenset[Permission] = frozenset(
    {
        _P.CREATOR_READ,
        _P.CREATOR_WRITE,
        _P.CONTACT_READ,
        _P.CAMPAIGN_READ,
        _P.APPLY,
        _P.PARTICIPATION_READ,
        _P.PARTICIPATION_RESPOND,
        _P.MESSAGE_READ,
        _P.MESSAGE_WRITE,
        _P.SHIPMENT_READ,
        _P.SHIPMENT_RECEIVE,
        _P.CONTENT_SUBMIT,
        _P.SALES_READ,
        _P.COST_READ,
        _P.PERSONAL_DATA_EXPORT,
        _P.PERSONAL_DATA_ERASE,
        _P.AUDIT_READ,
    }
)


@attrs.frozen
class Resource:
    """What an action touches: its kind and id, and who owns it (brand, creator, campaign)."""

    kind: str
    id: str
    brand_id: str | None = None
    creator_id: str | None = None
    campaign_id: str | None = None
    public: bool = False  # a marketplace offer any creator may read

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"


@attrs.frozen
class AccessPolicy:
    """Decides whether a principal may act on a resource.

    - brand members act within their own brand, as far as their role allows
      (``roles`` maps each role to its permissions; owners and managers by default may read
      creators' personal data and export it, analysts and viewers may not; owners read the
      audit of their members' reads);
    - client reviewers read the campaigns they were invited to;
    - creators reach only their own profile, personal data, participations, messages and
      shipments, export and erase their own data and read its audit, and read (and apply
      to) marketplace offers in progress;
    - the system scheduler may do everything.
    """

    roles: Mapping[BrandRole, frozenset[Permission]] = attrs.field(
        factory=lambda: dict(_DEFAULT_ROLES)
    )

    def allows(self, actor: Principal, permission: Permission, resource: Resource) -> bool:
        """Whether ``actor`` may perform ``permission`` on ``resource``."""
        if isinstance(actor, SystemActor):
            return True
        if isinstance(actor, BrandMember):
            if permission not in self.roles.get(actor.role, frozenset()):
                return False
            return resource.brand_id is None or resource.brand_id == actor.brand_id
        if isinstance(actor, ClientReviewer):
            return (
                permission in _REVIEWER
                and resource.brand_id in (None, actor.brand_id)
                and (resource.campaign_id in actor.campaign_ids or resource.kind == "creator")
            )
        if isinstance(actor, CreatorUser):
            if resource.creator_id == actor.creator_id:
                return permission in _CREATOR_OWN
            return permission in (_P.CAMPAIGN_READ, _P.APPLY) and resource.public
        # Hosts are not type-checked: anything that is not a known principal is refused.
        return False  # type: ignore[unreachable]

    def check(self, actor: Principal, permission: Permission, resource: Resource) -> None:
        """Raise PermissionDenied unless :meth:`allows`."""
        if not self.allows(actor, permission, resource):
            raise PermissionDenied(str(actor), _verb(permission, resource), str(resource))


def _verb(permission: Permission, resource: Resource) -> str:
    """The permission's words without the kind the resource names next ("manage", not
    "manage campaign", before "campaign cmp_1")."""
    words = permission.value
    suffix = f" {resource.kind}"
    return words.removesuffix(suffix) if words.endswith(suffix) else words
