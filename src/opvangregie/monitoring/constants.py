"""The levels figures are given at, and the bands they are broken down in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """From the whole region down to one location. Each unit belongs to one unit a level up."""

    REGION = "region", _("safety region")
    HOUSING_REGION = "housing_region", _("housing region")
    MUNICIPALITY = "municipality", _("municipality")
    LOCATION = "location", _("location")


# The code of a unit that a municipality does not belong to (no housing or safety region).
NO_UNIT = "-"

# Age bands (inclusive lower bound, label), the last one open-ended.
AGE_BANDS: tuple[tuple[int, str], ...] = (
    (0, "0-3"),
    (4, "4-11"),
    (12, "12-17"),
    (18, "18-29"),
    (30, "30-44"),
    (45, "45-64"),
    (65, "65+"),
)

# Household sizes are counted up to this size; larger households count as "5+".
LARGEST_SIZE_BAND = 5

# Waiting at the crisis location (CNO) longer than this many days counts as "over 72 hours".
CNO_NORM_DAYS = 3

# The horizon of the weekly series of a forecast, in weeks.
FORECAST_WEEKS = 26
