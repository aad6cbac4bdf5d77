"""The messages service: templates and threads."""

from __future__ import annotations

import pytest

import influcampaign as ic
from influcampaign.domain.messaging import Message
from tests.conftest import MANAGER
from tests.helpers import ITEMS, creator, join, make_offer


class TestTemplates:
    @pytest.mark.parametrize(
        "body",
        [
            "Hi {creator.__class__}",
            "Hi {creator_name.__class__.__mro__}",
            "Hi {creator_name[0]}",
            "Hi {creator_name!r}",
            "Hi {creator_name:>40}",
            "Hi {password}",
            "Hi {0}",
            "Hi {}",
            "Hi {creator_name",
        ],
    )
    def test_unsafe_or_unknown_placeholders_are_refused(self, ws: ic.Workspace, body: str) -> None:
        """Only plain whitelisted {name} placeholders; attribute, index, conversion and format are refused."""
        with pytest.raises(ic.ValidationError, match="body"):
            ws.messages.save_template(MANAGER, brand_id="acme", kind="welcome", name="x", body=body)
        assert ws.messages.templates(MANAGER, "acme") == []

    def test_braces_can_be_escaped(self) -> None:
        """Doubled braces print braces."""
        from influcampaign.domain.messaging import render

        assert render("{{code}} for {creator_name}", {"creator_name": "Léa"}) == "{code} for Léa"

    def test_a_missing_value_stops_the_message_before_it_is_sent(self, ws: ic.Workspace) -> None:
        """A shipping template needing {tracking_url} fails when there is none, and nothing is shipped."""
        project = make_offer(ws, "project")
        pid = join(ws, project).id
        ws.messages.save_template(
            MANAGER, brand_id="acme", kind="shipping", name="Ship", body="Suivi : {tracking_url}"
        )
        sid = ws.shipments.create(MANAGER, pid, ITEMS).id
        with pytest.raises(ic.ValidationError, match="tracking_url"):
            ws.shipments.ship(MANAGER, sid, carrier="La Poste")
        assert ws.shipments.get(MANAGER, sid).status.value == "to_prepare"
        assert ws.messages.thread(MANAGER, pid) == []


class TestMessaging:
    def test_threads_read_state_and_unread_counts(self, ws: ic.Workspace) -> None:
        """Each side's unread count falls to zero once it reads the thread."""
        project = make_offer(ws, "project")
        pid = join(ws, project).id
        creator_id = ws.participations.get(MANAGER, pid).creator_id
        me = ic.CreatorUser(creator_id)
        ws.messages.send(MANAGER, pid, "Bonjour !")
        ws.messages.send(me, pid, "Bonjour, merci !")
        ws.messages.send(me, pid, "Quand arrive le colis ?")
        assert ws.messages.unread_counts(MANAGER, project.id) == {pid: 2}
        assert ws.messages.unread_counts(me, project.id) == {pid: 1}
        assert ws.messages.mark_read(MANAGER, pid) == 2
        assert ws.messages.unread_counts(MANAGER, project.id) == {}
        assert [m.author.value for m in ws.messages.thread(me, pid)] == [
            "brand",
            "creator",
            "creator",
        ]

    def test_messages_written_at_one_instant_keep_their_writing_order(
        self, ws: ic.Workspace
    ) -> None:
        """Under a frozen clock and random ids, a thread comes back in the order its
        messages were written (time, then sequence of writing), on every backend."""
        random_ids = ic.Workspace(ws.store, ws.clock)  # random ids, as in production
        project = make_offer(random_ids, "project")
        pid = join(random_ids, project).id
        me = ic.CreatorUser(random_ids.participations.get(MANAGER, pid).creator_id)
        bodies = [f"message {n}" for n in range(12)]
        for n, body in enumerate(bodies):
            random_ids.messages.send(MANAGER if n % 2 else me, pid, body)
        thread = random_ids.messages.thread(MANAGER, pid)
        assert [m.body for m in thread] == bodies
        assert [m.sequence for m in thread] == list(range(1, 13))
        assert isinstance(ws.clock, ic.FrozenClock)
        ws.clock.advance(seconds=1)
        random_ids.messages.send(me, pid, "later")
        assert random_ids.messages.thread(me, pid)[-1].body == "later"

    def test_a_message_written_before_sequences_reads_as_zero(self) -> None:
        """A stored message without ``sequence`` (written by an older version) reads as 0."""
        message = ic.make_converter().structure(
            {
                "id": "msg_1",
                "participation_id": "par_1",
                "campaign_id": "cmp_1",
                "brand_id": "acme",
                "creator_id": "cre_1",
                "author": "brand",
                "body": "Bonjour",
                "sent_at": "2026-03-02T08:00:00+00:00",
            },
            Message,
        )
        assert message.sequence == 0

    def test_a_message_to_a_participation_of_another_campaign_is_refused(
        self, ws: ic.Workspace
    ) -> None:
        """Naming the wrong campaign for a thread is an error and nothing is sent."""
        first, second = make_offer(ws, "project"), make_offer(ws, "project")
        pid = join(ws, first).id
        with pytest.raises(ic.ValidationError, match="another campaign"):
            ws.messages.send(MANAGER, pid, "Hello", campaign_id=second.id)
        assert ws.messages.thread(MANAGER, pid) == []

    def test_creators_cannot_read_other_threads(self, ws: ic.Workspace) -> None:
        """A creator reads only its own thread."""
        project = make_offer(ws, "project")
        pid = join(ws, project, "A").id
        other = creator(ws, "B")
        with pytest.raises(ic.PermissionDenied):
            ws.messages.thread(ic.CreatorUser(other.id), pid)
        with pytest.raises(ic.PermissionDenied):
            ws.messages.send(ic.CreatorUser(other.id), pid, "hi")
