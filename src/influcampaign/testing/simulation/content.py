"""Steps of the simulation: messages, parcels, deliverables, submissions, and time passing."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from influcampaign.domain.money import Money
from influcampaign.domain.principals import SystemActor
from influcampaign.domain.shipment import ShipmentItem
from influcampaign.testing import strategies as ics
from influcampaign.testing.simulation.model import (
    _FORMATS,
    _PICK,
    _PLATFORMS,
    _TEMPLATES,
    BRAND,
    SimulationModel,
    _actors,
    _Side,
)


class ContentSteps(SimulationModel):
    """Steps of the simulation: messages, parcels, deliverables, submissions, and time passing."""

    # -- messages ----------------------------------------------------------------------------

    @rule(
        actor=_actors("manager"),
        kind=st.sampled_from(["acceptance", "refusal", "shipping", "reminder"]),
        body=st.sampled_from(_TEMPLATES),
    )
    def save_template(self, actor: str, kind: str, body: str) -> None:
        """The brand saves a message template (unsafe placeholders are refused)."""
        self._step("save_template")
        outcomes = self._call(
            lambda side: side.ws.messages.save_template(
                self._who(actor), brand_id=BRAND, kind=kind, name=f"{kind} template", body=body
            ),
            what="messages.save_template",
        )
        if outcomes[0].ok:
            self.templates.append(outcomes[0].value.id)

    @precondition(lambda self: bool(self.participations))
    @rule(actor=_actors("creator", 3), pick=_PICK, read=st.booleans())
    def talk(self, actor: str, pick: int, read: bool) -> None:
        """The brand or the creator writes in a thread, or marks it read."""
        self._step("talk")
        participation = self._pick(self.participations, pick)
        if participation is None:
            return
        principal = self._who(actor, self._creator_of(participation))
        if read:
            self._call(
                lambda side: side.ws.messages.mark_read(principal, participation),
                what="messages.mark_read",
            )
        else:
            self._call(
                lambda side: side.ws.messages.send(principal, participation, "Any news?"),
                what="messages.send",
            )

    # -- shipments ---------------------------------------------------------------------------

    @precondition(lambda self: bool(self.participations))
    @rule(actor=_actors("manager"), pick=_PICK, tracked=st.booleans())
    def ship(self, actor: str, pick: int, tracked: bool) -> None:
        """The brand prepares a parcel and ships it (the creator is told)."""
        self._step("ship")
        participation = self._pick(self.participations, pick)
        if participation is None:
            return
        self.focus = self._campaign_of(participation)
        principal = self._who(actor)
        items = [ShipmentItem("Serum", 1, Money.of("29", "EUR"))]
        outcomes = self._call(
            lambda side: side.ws.shipments.create(principal, participation, items),
            what="shipments.create",
        )
        if not outcomes[0].ok:
            return
        shipment = outcomes[0].value.id
        self.shipments.append(shipment)
        self._call(
            lambda side: side.ws.shipments.ship(
                principal,
                shipment,
                carrier="Colissimo",
                tracking_url="https://www.laposte.fr/suivi?code=6A1" if tracked else None,
            ),
            what="shipments.ship",
        )

    @precondition(lambda self: bool(self.shipments))
    @rule(
        actor=_actors("creator", 3),
        pick=_PICK,
        action=st.sampled_from(["deliver", "deliver", "lose", "return_"]),
        hours_ago=st.sampled_from([None, 0, 2]),
    )
    def parcel_moves(self, actor: str, pick: int, action: str, hours_ago: int | None) -> None:
        """A parcel is delivered (maybe told later), lost, or returned."""
        self._step("parcel_moves")
        shipment = self._pick(self.shipments, pick)
        if shipment is None:
            return
        owner = self.sides[0].ws.shipments.get(SystemActor(), shipment).creator_id
        kind = "manager" if actor == "creator" and action != "deliver" else actor
        principal = self._who(kind, owner)
        if action == "deliver":
            at = None if hours_ago is None else self.clock.now().subtract(hours=hours_ago)
            self._call(
                lambda side: side.ws.shipments.deliver(principal, shipment, at=at),
                what="shipments.deliver",
            )
        else:
            self._call(
                lambda side: getattr(side.ws.shipments, action)(principal, shipment),
                what=f"shipments.{action}",
            )

    # -- content -----------------------------------------------------------------------------

    @precondition(lambda self: bool(self.participations))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        platform=_PLATFORMS,
        format=_FORMATS,
        quantity=st.integers(1, 2),
        planned=st.none() | st.integers(-2, 20),
        time=st.none() | st.sampled_from([_dt.time(9, 0), _dt.time(18, 30)]),
        due=st.none() | st.integers(-1, 25),
    )
    def plan_deliverable(
        self,
        actor: str,
        pick: int,
        platform: str,
        format: str,
        quantity: int,
        planned: int | None,
        time: _dt.time | None,
        due: int | None,
    ) -> None:
        """The brand plans what a creator owes (some dates are inconsistent)."""
        self._step("plan_deliverable")
        participation = self._pick(self.participations, pick)
        if participation is None:
            return
        self.focus = self._campaign_of(participation)
        today = self.clock.now().in_timezone("Europe/Paris").date()
        outcomes = self._call(
            lambda side: side.ws.deliverables.plan(
                self._who(actor),
                participation,
                platform=platform,
                format=format,
                quantity=quantity,
                planned_on=None if planned is None else today + _dt.timedelta(days=planned),
                planned_time=time,
                due_on=None if due is None else today + _dt.timedelta(days=due),
            ),
            what="deliverables.plan",
        )
        if outcomes[0].ok:
            self.deliverables.append(outcomes[0].value.id)

    @precondition(lambda self: bool(self.deliverables))
    @rule(actor=_actors("manager"), pick=_PICK, days=st.none() | st.integers(-3, 10))
    def move_deliverable(self, actor: str, pick: int, days: int | None) -> None:
        """The brand moves a deliverable's date, or cancels it (days None)."""
        self._step("move_deliverable")
        deliverable = self._pick(self.deliverables, pick)
        if deliverable is None:
            return
        principal = self._who(actor)
        if days is None:
            self._call(
                lambda side: side.ws.deliverables.cancel(principal, deliverable, reason="dropped"),
                what="deliverables.cancel",
            )
            return
        day = self.clock.now().in_timezone("Europe/Paris").date() + _dt.timedelta(days=days)
        self._call(
            lambda side: side.ws.deliverables.reschedule(principal, deliverable, planned_on=day),
            what="deliverables.reschedule",
        )

    @precondition(lambda self: bool(self.participations))
    @rule(
        actor=_actors("creator"),
        pick=_PICK,
        platform=_PLATFORMS,
        format=_FORMATS,
        hours_ago=st.integers(0, 72),
        caption=ics.captions(),
        on_screen=st.sampled_from(["", "Publicité", "#ad"]),
        metrics=st.none() | ics.metrics(),
    )
    def submit(
        self,
        actor: str,
        pick: int,
        platform: str,
        format: str,
        hours_ago: int,
        caption: str,
        on_screen: str,
        metrics: Any,
    ) -> None:
        """A creator submits a published content, with a caption and maybe metrics."""
        self._step("submit")
        participation = self._pick(self.participations, pick)
        if participation is None:
            return
        self.focus = self._campaign_of(participation)
        number = self._next()
        principal = self._who(actor, self._creator_of(participation))
        outcomes = self._call(
            lambda side: side.ws.submissions.submit(
                principal,
                participation,
                url=f"https://www.{platform}.com/p/sim{number}/",
                platform=platform,
                format=format,
                published_at=self.clock.now().subtract(hours=hours_ago),
                caption=caption,
                on_screen_text=on_screen,
                metrics=metrics,
            ),
            what="submissions.submit",
        )
        if outcomes[0].ok:
            self.submissions.append(outcomes[0].value.id)

    @precondition(lambda self: bool(self.submissions))
    @rule(actor=_actors("creator", 3), pick=_PICK, metrics=ics.metrics())
    def record_metrics(self, actor: str, pick: int, metrics: Any) -> None:
        """New metrics for a content (figures not given are kept)."""
        self._step("record_metrics")
        submission = self._pick(self.submissions, pick)
        if submission is None:
            return
        owner = self.sides[0].ws.submissions.get(SystemActor(), submission).creator_id
        self._call(
            lambda side: side.ws.submissions.record_metrics(
                self._who(actor, owner), submission, metrics
            ),
            what="submissions.record_metrics",
        )

    @precondition(lambda self: bool(self.submissions))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        action=st.sampled_from(["validate", "validate", "reopen", "check_brief"]),
        compliance=st.integers(-5, 105),
    )
    def judge(self, actor: str, pick: int, action: str, compliance: int) -> None:
        """The brand validates a content, re-opens it, or checks its brief again."""
        self._step("judge")
        submission = self._pick(self.submissions, pick)
        if submission is None:
            return
        principal = self._who(actor)

        def call(side: _Side) -> Any:
            service = side.ws.submissions
            if action == "validate":
                return service.validate(
                    principal, submission, compliance=compliance, feedback="thanks"
                )
            if action == "reopen":
                return service.reopen(principal, submission, reason="the code is missing")
            return service.check_brief(principal, submission, promo_codes=side.codes[-1:])

        self._call(call, what=f"submissions.{action}")

    # -- time --------------------------------------------------------------------------------

    @rule(
        hours=st.sampled_from([1, 6, 20, 24, 49, 24 * 3, 24 * 7 + 5]), actor=_actors("system", 10)
    )
    def time_passes(self, hours: int, actor: str) -> None:
        """Time passes and the scheduler runs, twice: the second run has nothing to do."""
        self._step("time_passes")
        self.clock.advance(hours=hours)
        principal = self._who(actor)
        first = self._call(lambda side: side.ws.scheduler.run(principal), what="scheduler.run")
        if first[0].ok:
            assert first[0].value.failed == (), first[0].value.failed
            again = self._call(lambda side: side.ws.scheduler.run(principal), what="scheduler.run")
            assert again[0].value.finished == 0, f"a job acted twice: {again[0].value}"
            self.statistics["jobs finished"] += first[0].value.finished
