"""What every service shares: its workspace, the acting principal's checks, the unit of work."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pendulum

from influcampaign.domain.access import Permission, Resource
from influcampaign.domain.principals import Principal

if TYPE_CHECKING:
    from influcampaign.services.workspace import Workspace

__all__ = ["Service"]


class Service:
    """Base of the services hung on a Workspace (``ws.creators``, ``ws.campaigns`` …)."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    def _now(self) -> pendulum.DateTime:
        return self._ws.clock.now()

    def _check(self, actor: Principal, permission: Permission, resource: Resource) -> None:
        self._ws.access.check(actor, permission, resource)

    def _allowed(self, actor: Principal, permission: Permission, resource: Resource) -> bool:
        return self._ws.access.allows(actor, permission, resource)
