"""Scheduler jobs (influcampaign.domain.scheduling)."""

from __future__ import annotations

import pendulum
import pytest

import influcampaign as ic
from influcampaign.domain.events import PublicationReminderSent


class TestJobRecords:
    def test_a_reminder_finishes_its_job_and_records_when(self) -> None:
        """Job.remind_publication finishes the job as done and records PublicationReminderSent
        at its finishing time; a finished job reminds no more."""
        due = pendulum.datetime(2026, 4, 1, 9, tz="UTC")
        job = ic.Job("job_1", "publication_reminder", due, "par_1", "cmp_1", {"number": "2"})
        participation = ic.Participation(
            id="par_1", campaign_id="cmp_1", brand_id="acme", creator_id="cre_1", source="manual"
        )
        job.remind_publication(due.add(minutes=5), participation)
        assert (job.status, job.outcome) == (ic.JobStatus.DONE, "reminder 2 sent")
        (event,) = job.pull_events()
        assert isinstance(event, PublicationReminderSent)
        assert event.occurred_at == job.finished_at
        assert (event.number, event.job_id) == (2, "job_1")
        with pytest.raises(ic.ValidationError, match="already finished"):
            job.remind_publication(due.add(minutes=6), participation)
        assert job.recorded == ()
