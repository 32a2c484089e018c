"""Meetings as iCalendar (RFC 5545), for the members' own calendars."""

import datetime
from collections.abc import Iterable

from icalendar import Calendar, Event

from .constants import MeetingState
from .models import Meeting

DEFAULT_DURATION = datetime.timedelta(hours=2)


def meetings_ical(meetings: Iterable[Meeting]) -> bytes:
    """One VEVENT per meeting (a cancelled one as STATUS:CANCELLED), identified by its UUID so
    that a calendar updates the same event when the file is fetched again."""
    calendar = Calendar()
    calendar.add("prodid", "-//Opvangregie//governance//NL")
    calendar.add("version", "2.0")
    for meeting in meetings:
        event = Event()
        event.add("uid", f"{meeting.uuid}@opvangregie")
        event.add("dtstamp", meeting.updated_at)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at or meeting.starts_at + DEFAULT_DURATION)
        event.add("summary", str(meeting.body.short_name or meeting.body.name))
        if meeting.place:
            event.add("location", meeting.place)
        items = [f"{i.position}. {i.title}" for i in meeting.items.all()]
        if items and meeting.state != MeetingState.DRAFT:
            event.add("description", "\n".join(items))
        event.add("status", "CANCELLED" if meeting.state == MeetingState.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
