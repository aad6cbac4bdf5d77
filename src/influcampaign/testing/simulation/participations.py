"""Steps of the simulation: applications, their decisions, the creator list and its review."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from influcampaign.domain.principals import SystemActor
from influcampaign.testing.simulation.model import _KINDS, _PICK, SimulationModel, _actors, _Side


class ParticipationSteps(SimulationModel):
    """Steps of the simulation: applications, their decisions, the creator list and its review."""

    # -- applications and the creator list --------------------------------------------------

    @precondition(lambda self: bool(self.campaigns))
    @rule(actor=_actors("creator"), pick=_PICK, who=_PICK)
    def apply(self, actor: str, pick: int, who: int) -> None:
        """A creator applies to an offer (maybe a project, a closed offer, or twice)."""
        self._step("apply")
        campaign, creator = self._pick(self.campaigns, pick), self._pick(self.creators, who)
        if campaign is None or creator is None:
            return
        self.focus = campaign
        outcomes = self._call(
            lambda side: side.ws.applications.apply(
                self._who(actor, creator), campaign, creator, pitch="I love it"
            ),
            what="applications.apply",
        )
        if outcomes[0].ok:
            self.applications.append(outcomes[0].value.id)

    @precondition(lambda self: bool(self.applications))
    @rule(
        actor=_actors("manager"),
        picks=st.lists(_PICK, min_size=1, max_size=3),
        decision=st.sampled_from(["accept", "accept", "refuse", "accept_many", "refuse_many"]),
        template=st.none() | _PICK,
        message=st.sampled_from([None, "Welcome!", "  "]),
        reason=st.sampled_from([None, "out_of_target", "budget"]),
    )
    def decide(
        self,
        actor: str,
        picks: list[int],
        decision: str,
        template: int | None,
        message: str | None,
        reason: str | None,
    ) -> None:
        """The brand accepts or refuses applications, with a message or a template."""
        self._step("decide")
        chosen = [a for i in picks if (a := self._pick(self.applications, i))]
        if not chosen:
            return
        template_id = None if template is None else self._pick(self.templates, template)
        principal = self._who(actor)
        extra: dict[str, Any] = {} if "accept" in decision else {"reason": reason}

        def act(side: _Side) -> Any:
            service = side.ws.applications
            if decision.endswith("_many"):
                return getattr(service, decision)(
                    principal, chosen, message=message, template_id=template_id, **extra
                )
            return getattr(service, decision)(
                principal, chosen[0], message=message, template_id=template_id, **extra
            )

        outcomes = self._call(act, what=f"applications.{decision}")
        if outcomes[0].ok and "accept" in decision:
            accepted = outcomes[0].value
            for p in accepted if isinstance(accepted, list) else [accepted]:
                if p.id not in self.participations:
                    self.participations.append(p.id)

    @precondition(lambda self: bool(self.applications))
    @rule(actor=_actors("creator"), pick=_PICK)
    def withdraw(self, actor: str, pick: int) -> None:
        """A creator withdraws its application."""
        self._step("withdraw")
        application = self._pick(self.applications, pick)
        if application is None:
            return
        owner = self.sides[0].ws.applications.get(SystemActor(), application).creator_id
        self._call(
            lambda side: side.ws.applications.withdraw(self._who(actor, owner), application),
            what="applications.withdraw",
        )

    @precondition(lambda self: bool(self.campaigns))
    @rule(actor=_actors("manager"), pick=_PICK, who=_PICK, group=st.none() | _PICK)
    def put_on_list(self, actor: str, pick: int, who: int, group: int | None) -> None:
        """The brand puts a creator on a campaign's list, or invites a group."""
        self._step("put_on_list")
        campaign = self._pick(self.campaigns, pick)
        creator = self._pick(self.creators, who)
        if campaign is None or creator is None:
            return
        self.focus = campaign
        principal = self._who(actor)
        if group is None:
            outcomes = self._call(
                lambda side: [side.ws.participations.add(principal, campaign, creator)],
                what="participations.add",
            )
        else:
            group_id = self._pick(self.groups, group)
            outcomes = self._call(
                lambda side: side.ws.participations.invite_group(principal, campaign, group_id),
                what="participations.invite_group",
            )
        if outcomes[0].ok:
            self.participations.extend(p.id for p in outcomes[0].value)

    @precondition(lambda self: bool(self.campaigns))
    @rule(actor=_actors("manager"), pick=_PICK)
    def submit_list(self, actor: str, pick: int) -> None:
        """The brand sends the proposed creators to a client reviewer."""
        self._step("submit_list")
        campaign = self._pick(self.campaigns, pick)
        if campaign is None:
            return
        self.focus = campaign
        self._call(
            lambda side: side.ws.participations.submit_for_approval(
                self._who(actor), campaign, ["client_reviewer"]
            ),
            what="participations.submit_for_approval",
        )

    @precondition(lambda self: bool(self.participations))
    @rule(
        actor=st.sampled_from(["reviewer"] * 4 + ["manager", "owner"] + list(_KINDS)),
        pick=_PICK,
        verdict=st.sampled_from(["approve", "approve", "reject"]),
    )
    def review_list(self, actor: str, pick: int, verdict: str) -> None:
        """A reviewer approves or rejects a proposed creator."""
        self._step("review_list")
        participation = self._pick(self.participations, pick)
        if participation is None:
            return
        self._call(
            lambda side: side.ws.participations.review(
                self._who(actor, self._creator_of(participation)), participation, verdict
            ),
            what="participations.review",
        )

    @precondition(lambda self: bool(self.participations))
    @rule(
        actor=_actors("creator", 3),
        pick=_PICK,
        action=st.sampled_from(["confirm", "confirm", "decline", "complete", "drop"]),
    )
    def participation_moves(self, actor: str, pick: int, action: str) -> None:
        """The creator confirms or declines; the brand completes or drops it."""
        self._step("participation_moves")
        participation = self._pick(self.participations, pick)
        if participation is None:
            return
        creator = self._creator_of(participation)
        kind = "manager" if actor == "creator" and action in ("complete", "drop") else actor
        self._call(
            lambda side: getattr(side.ws.participations, action)(
                self._who(kind, creator), participation
            ),
            what=f"participations.{action}",
        )
