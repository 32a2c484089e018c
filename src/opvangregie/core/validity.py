"""Selecting records that hold on a given date."""

import datetime

from django.db.models import Q


def valid_on_q(day: datetime.date, prefix: str = "") -> Q:
    """A filter for records of :class:`~opvangregie.core.models.ValidityPeriod` valid on ``day``."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def holds_on(
    valid_from: datetime.date | None, valid_to: datetime.date | None, day: datetime.date
) -> bool:
    """The same test as :func:`valid_on_q`, for one record in memory."""
    return (valid_from is None or valid_from <= day) and (valid_to is None or valid_to > day)
