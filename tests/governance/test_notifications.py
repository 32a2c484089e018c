"""E-mail notices: to members who want them, never the same notice twice."""

from collections.abc import Iterator

import pytest
from django.core import mail
from django.utils import translation
from icalendar import Calendar

from opvangregie.governance import ical, services

from .conftest import D, Gov, at


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Texts are matched in English here (the Dutch catalogue is tested on its own)."""
    with translation.override("en"):
        yield


def _published_meeting(gov: Gov, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    meeting = services.meeting_create(
        user=gov.secretary, body=gov.rrt, starts_at=at(D(2024, 3, 14)), place="Leiden"
    )
    services.agenda_item_add(user=gov.secretary, meeting=meeting, title="Voortgang afspraken")
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_transition(user=gov.secretary, meeting=meeting, state="published")
    meeting.refresh_from_db()
    return meeting


def test_agenda_published_goes_to_members_once(
    gov: Gov, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    services.notification_preferences_set(user=gov.chair, agenda_published=False)
    meeting = _published_meeting(gov, django_capture_on_commit_callbacks)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["leiden@example.org", "secretary@example.org"]
    assert "Voortgang afspraken" in mail.outbox[0].body
    assert services.notify_agenda_published(meeting=meeting) == 0
    assert len(mail.outbox) == 2


def test_deadline_notices_once_per_stage(gov: Gov) -> None:
    services.escalation_raise(
        user=gov.coordinator,
        title="Reserve-CNO",
        question="Wanneer?",
        deadline=D(2024, 3, 20),
        raised_on=D(2024, 3, 1),
    )
    assert services.notify_deadlines(on=D(2024, 3, 1)) == 0  # 19 days ahead: not near yet
    first = services.notify_deadlines(on=D(2024, 3, 15))  # near
    assert first == 2  # the coordinator (secretary) and the steering group member
    assert services.notify_deadlines(on=D(2024, 3, 16)) == 0  # the same notice: not again
    assert services.notify_deadlines(on=D(2024, 3, 21)) == 2  # passed: a new notice
    assert services.notify_deadlines(on=D(2024, 3, 22)) == 0
    assert [m.subject for m in mail.outbox][-1].startswith("Dilemma overdue")


def test_ical_has_one_event_per_meeting(gov: Gov, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    meeting = _published_meeting(gov, django_capture_on_commit_callbacks)
    calendar = Calendar.from_ical(ical.meetings_ical([meeting]))
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"{meeting.uuid}@opvangregie"
    assert str(event["location"]) == "Leiden"
    assert event.decoded("dtstart") == meeting.starts_at
    assert "Voortgang afspraken" in str(event["description"])
    assert str(event["status"]) == "CONFIRMED"


@pytest.mark.parametrize("state", ["draft"])
def test_draft_agenda_stays_out_of_the_calendar(gov: Gov, state: str) -> None:
    meeting = services.meeting_create(
        user=gov.secretary, body=gov.rrt, starts_at=at(D(2024, 3, 14))
    )
    services.agenda_item_add(user=gov.secretary, meeting=meeting, title="Geheim concept")
    assert meeting.state == state
    assert b"Geheim concept" not in ical.meetings_ical([meeting])
