"""Audiences of the weekly report, its formats, and the small-count suppression defaults."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Who a weekly report is for. The audience decides the units in it and whether small
    counts are suppressed (figures that leave the region)."""

    STEERING_GROUP = "stuurgroep", _("Steering group TWOV")
    RRT_HOLLAND_RIJNLAND = "rrt-holland-rijnland", _("RRT Holland Rijnland")
    RRT_MIDDEN_HOLLAND = "rrt-midden-holland", _("RRT Midden-Holland")
    PROVINCE = "prt", _("Provincial table (PRT)")


# The housing region (cooperation region code) of each RRT audience.
AUDIENCE_HOUSING_REGION: dict[str, str] = {
    Audience.RRT_HOLLAND_RIJNLAND: "holland-rijnland",
    Audience.RRT_MIDDEN_HOLLAND: "midden-holland",
}


class Format(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"
    CSV = "csv", "CSV"


# Defaults of the settings SUPPRESSION_AUDIENCES and SMALL_COUNT_THRESHOLD.
DEFAULT_SUPPRESSION_AUDIENCES = (Audience.PROVINCE.value,)
DEFAULT_SMALL_COUNT_THRESHOLD = 5

# How a hidden value is written: a primary suppression shows "<5" (for threshold 5), a
# secondary one (hidden only so that a small count cannot be worked out) shows this mark.
HIDDEN = "x"

# The number of weeks of flows in a report (the week and the four weeks before it: the last
# four weeks are summed, the four before the week are the basis of the runway's average).
FLOW_WEEKS = 5
RUNWAY_BASIS_WEEKS = 4

# The breakdowns of the figures, in the order of the tables.
BREAKDOWNS = (
    "total",
    "short_stay",
    "long_stay",
    "cno",
    "municipal",
    "private_hosting",
    "other",
)

# The version of the frozen document's shape; a reader refuses a shape it does not know.
SCHEMA = 1
