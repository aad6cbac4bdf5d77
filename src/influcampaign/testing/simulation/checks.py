"""What the simulation checks after every step, and reading as anyone."""

from __future__ import annotations

from collections import Counter
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from influcampaign.errors import InflucampaignError
from influcampaign.testing.simulation.access import _check_access
from influcampaign.testing.simulation.model import _KINDS, _PICK, SimulationModel, _same_state
from influcampaign.testing.simulation.read_models import _cross_check, _read_models, _reconcile


class Checks(SimulationModel):
    """What the simulation checks after every step, and reading as anyone."""

    # -- reading as anyone -------------------------------------------------------------------

    @precondition(lambda self: bool(self.campaigns))
    @rule(actor=st.sampled_from(_KINDS), pick=_PICK, who=_PICK)
    def read_as(self, actor: str, pick: int, who: int) -> None:
        """Anyone reads a campaign's threads, money, sales, calendar, list and reviews: what
        the access policy denies raises PermissionDenied, what it filters is left out, and
        reading changes nothing."""
        self._step("read_as")
        campaign = self._pick(self.campaigns, pick)
        if campaign is None:
            return
        creator = self._pick(self.creators, who)
        principal = self._who(actor, creator)
        reference = self._state(1)
        for index, side in enumerate(self.sides):
            _check_access(side.ws, principal, campaign, creator)
            _same_state(reference, self._state(index), f"reading as {principal}")

    # -- invariants --------------------------------------------------------------------------

    @invariant()
    def stores_agree(self) -> None:
        """Both stores hold the same aggregates and the same outbox."""
        _same_state(self._memory(), self._state(1), "the store under test")

    @invariant()
    def jobs_act_once(self) -> None:
        """Each reminder, alert and automatic validation happened at most once."""
        events = [m.event for m in self.sides[0].ws.store.outbox.all()]
        seen: Counter[tuple[str, ...]] = Counter()
        reopened: Counter[str] = Counter()
        for e in events:
            data: dict[str, Any] = attrs.asdict(e, recurse=False)
            if e.type in ("PublicationReminderSent", "EventReminderSent"):
                seen[("reminder", data["job_id"])] += 1
            elif e.type == "ApplicationPendingTooLong":
                seen[("alert", data["application_id"])] += 1
            elif e.type == "SubmissionReopened":
                reopened[data["submission_id"]] += 1
            elif e.type in ("ValidationDue", "SubmissionValidated"):
                if e.type == "SubmissionValidated" and not data["automatic"]:
                    continue
                key = (e.type, data["submission_id"], str(reopened[data["submission_id"]]))
                seen[key] += 1
        twice = [k for k, n in seen.items() if n > 1]
        assert not twice, f"scheduled work done twice: {twice}"

    @invariant()
    def read_models_hold(self) -> None:
        """Every read model of the campaign last touched (and the brand's history) computes
        or raises a typed error, alike on both stores, and its totals reconcile. (Skipped when
        neither the state, the clock nor the campaign changed since the last check: the read
        models would answer the same.)"""
        state = self._memory()
        key = (hash(tuple(tuple(v) for v in state.values())), self.clock.now(), self.focus)
        if key == self.checked:
            return
        self.checked = key
        self.rotation += 1
        summaries = []
        for index, side in enumerate(self.sides):
            # Every model on the memory store; a third of them on the store under test, in
            # turn (each reads through the other backend's queries every third check).
            share = None if index == 0 else self.rotation % 3
            results = _read_models(side, self.focus, self.creators, share)
            for name, result in results.items():
                if isinstance(result, InflucampaignError):
                    if index == 0:
                        self.statistics[f"read {name}: {type(result).__name__}"] += 1
                elif index == 0:
                    self.statistics[f"read {name}: ok"] += 1
                    _reconcile(name, result)
            if index == 0 and self.focus is not None:
                _cross_check(side.ws, self.focus, results)
            summaries.append(
                {
                    name: (type(r).__name__, side.canon(str(r)))
                    if isinstance(r, InflucampaignError)
                    else self._plain(side, r)
                    for name, r in results.items()
                }
            )
        for name in summaries[1]:
            assert summaries[0][name] == summaries[1][name], (
                f"{name} differs: memory {summaries[0][name]!r}, "
                f"the store under test {summaries[1][name]!r}"
            )

    @invariant()
    def orders_credited_within_dates(self) -> None:
        """An order is credited only inside its campaign's dates, and after the code or link
        that brought it existed."""
        ws = self.sides[0].ws
        with ws.store.unit_of_work(read_only=True) as uow:
            for order in uow.orders.find():
                credited = order.attribution
                if credited is None or credited.campaign_id is None or order.placement is None:
                    continue
                placed = order.placement.created_at
                campaign = uow.campaigns.get(credited.campaign_id)
                assert campaign.window.start <= placed <= campaign.window.end, (
                    f"order {order.external_id} placed {placed} credited to campaign "
                    f"{campaign.id} of {campaign.window.start}..{campaign.window.end}"
                )
                participation = uow.participations.get(credited.participation_id or "")
                assert participation.joined_at is None or participation.joined_at <= placed, (
                    f"order {order.external_id} placed {placed} before its creator joined"
                )
