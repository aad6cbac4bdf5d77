"""Chapter 4: the workflow of the offer: shipments, planned deliverables, fifteen days of
reminders from the scheduler, and the messages thread."""

from __future__ import annotations

import datetime as dt

import influcampaign as ic
from influcampaign.demo._story import PARIS, Story, local

__all__ = ["ship_plan_and_remind"]


def ship_plan_and_remind(story: Story, offer: ic.Campaign, joined: list[ic.Participation]) -> None:
    """Ship the kit, plan the content, let fifteen days pass with the scheduler every morning."""
    ws, clock, manager, say = story.ws, story.clock, story.manager, story.say
    system = ic.SystemActor()
    say("")
    say("Shipments")
    for participation in joined:
        shipment = ws.shipments.create(
            manager,
            participation.id,
            [ic.ShipmentItem("Kit potager", 1, ic.Money.of("59.00", "EUR"))],
        )
        ws.shipments.ship(
            manager,
            shipment.id,
            carrier="Colissimo",
            tracking_number=f"6A{shipment.id[-4:]}",
            tracking_url=f"https://www.laposte.fr/outils/suivre-vos-envois?code=6A{shipment.id[-4:]}",
        )
        clock.advance(days=2)
        ws.shipments.deliver(ic.CreatorUser(participation.creator_id), shipment.id)
        when = local(clock, PARIS)
        say(f"  {shipment.id} to {participation.creator_id}: shipped, delivered {when}")

    say("")
    say("Deliverables (dates in Europe/Paris)")
    for n, participation in enumerate(joined):
        ws.deliverables.plan(
            manager,
            participation.id,
            platform="instagram",
            format="reel",
            planned_on=dt.date(2026, 3, 12 + 2 * n),
            planned_time=dt.time(18, 0) if n == 0 else None,
            due_on=dt.date(2026, 3, 20),
        )
        ws.deliverables.plan(
            manager,
            participation.id,
            platform="instagram",
            format="story",
            quantity=2,
            planned_on=dt.date(2026, 3, 21),
        )
        for d in ws.deliverables.list(manager, participation.id):
            at = f" {d.planned_time:%H:%M}" if d.planned_time else ""
            say(
                f"  {participation.creator_id}: {d.quantity} x {d.platform.value} "
                f"{d.format.value}, planned {d.planned_on}{at}, due {d.due_on or '—'}"
            )

    say("")
    say("Fifteen days pass; the scheduler runs every morning")
    submitter = joined[0]
    for day in range(1, 16):
        clock.advance(days=1)
        if day == 5:
            ws.submissions.submit(
                ic.CreatorUser(submitter.creator_id),
                submitter.id,
                url="https://www.instagram.com/p/Cz3kitPotager/",
                platform="instagram",
                format="reel",
                published_at=clock.now().subtract(hours=3),
                caption="Publicité — mon kit potager 🌱 premières pousses #KitPotager @MaisonVerte",
                on_screen_text="Publicité",
                is_video=True,
                metrics={"views": 2_300, "likes": 180, "comments": 14},
            )
            say(f"  day {day:>2}: {submitter.creator_id} submits its reel; its reminders stop")
        if day == 8:
            (reel,) = ws.submissions.list(manager, submitter.id)
            ws.submissions.validate(
                manager, reel.id, compliance=95, feedback="Parfait, le kit est bien visible."
            )
            say(f"  day {day:>2}: the brand validates {reel.id} at 95 %")
        run = ws.scheduler.run(system)
        if run.finished:
            sent = [
                m.event
                for m in ws.store.outbox.pending(limit=100_000)
                if m.event.occurred_at == clock.now()
                and m.event.type
                in ("PublicationReminderSent", "ApplicationPendingTooLong", "ValidationDue")
            ]
            for event in sent:
                if event.type == "PublicationReminderSent":
                    detail = f"reminder {event.number} to {event.creator_id}"  # type: ignore[attr-defined]
                elif event.type == "ValidationDue":
                    deadline = event.deadline.in_timezone(PARIS).format("D MMM HH:mm")  # type: ignore[attr-defined]
                    detail = f"brand reminded to validate {event.submission_id} by {deadline}"  # type: ignore[attr-defined]
                else:
                    detail = f"brand alerted: application of {event.creator_id} waiting"  # type: ignore[attr-defined]
                say(f"  day {day:>2}: {detail}")
    ws.messages.send(
        ic.CreatorUser(joined[1].creator_id), joined[1].id, "Désolé, je publie ce week-end !"
    )
    unread = ws.messages.unread_counts(manager, offer.id)
    say(f"  unread by the brand: {sum(unread.values())}; thread of {joined[1].creator_id}:")
    for message in ws.messages.thread(manager, joined[1].id):
        say(f"    [{message.author.value}] {message.body}")
