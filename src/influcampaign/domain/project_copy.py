"""Where a project copied from another came from (issue 17): the projects module advises a
project without the creators whose audience data is hidden or opted out, so that its
audience figures are complete; the copy remembers its source, those creators and why."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import optional_instant_field, parse_enum, valid_id
from influcampaign.domain.creator import AudienceDataState

__all__ = ["HiddenCreators", "OriginCreator", "ProjectOrigin"]


class HiddenCreators(enum.StrEnum):
    """What a project copy does with the creators whose audience data is hidden or opted out.

    ``move``: they leave the source project for the copy (the source is then without them);
    ``leave_out``: they stay in the source only, and the copy gets the other creators.
    """

    MOVE = "move"
    LEAVE_OUT = "leave_out"


def _hidden(value: Any) -> HiddenCreators:
    return parse_enum(HiddenCreators, "hidden", value)


def _audience(value: Any) -> AudienceDataState:
    return parse_enum(AudienceDataState, "audience_data", value)


@attrs.frozen
class OriginCreator:
    """A creator whose audience data is not shared, moved or left out by a copy, and why."""

    creator_id: str = attrs.field(validator=valid_id)
    participation_id: str = attrs.field(validator=valid_id)  # in the source project
    audience_data: AudienceDataState = attrs.field(converter=_audience)

    @property
    def reason(self) -> str:
        """Why the creator was set apart (its audience data state, in words)."""
        return f"audience data {self.audience_data.value.replace('_', ' ')}"


def _creators(values: Iterable[OriginCreator]) -> tuple[OriginCreator, ...]:
    return tuple(values)


@attrs.frozen
class ProjectOrigin:
    """The record a copied project keeps: the source project, what the copy did with the
    creators whose audience data is hidden or opted out (``hidden``), which they are and why,
    and when it was copied."""

    campaign_id: str = attrs.field(validator=valid_id)
    hidden: HiddenCreators = attrs.field(converter=_hidden)
    creators: tuple[OriginCreator, ...] = attrs.field(default=(), converter=_creators)
    copied_at: pendulum.DateTime | None = optional_instant_field()

    @property
    def creator_ids(self) -> tuple[str, ...]:
        """The ids of the creators set apart, in the order of the record."""
        return tuple(c.creator_id for c in self.creators)
