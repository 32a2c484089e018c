"""Parsing the ``on`` date that pages, API calls and commands accept."""

import calendar
import datetime

from django.utils import timezone
from django.utils.translation import gettext as _


class InvalidDateError(ValueError):
    pass


def today() -> datetime.date:
    return timezone.localdate()


def parse_on(value: str | None) -> datetime.date:
    """``YYYY-MM-DD`` or empty (today); raises :class:`InvalidDateError` (translated)."""
    if not value:
        return today()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidDateError(
            _("'%(value)s' is not a valid date; use the form YYYY-MM-DD.") % {"value": value}
        ) from exc


def parse_on_or_today(value: str | None) -> tuple[datetime.date, str | None]:
    """For pages: the date asked for, or today with the (translated) reason the input was bad."""
    try:
        return parse_on(value), None
    except InvalidDateError as exc:
        return today(), str(exc)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (earlier when negative), clipped to the month's last day."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
