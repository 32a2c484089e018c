from django.db import models
from django.utils.translation import gettext_lazy as _

from opvangregie.capacity.constants import LocationType


class RateKind(models.TextChoices):
    """What a standard rate (normbedrag) pays for."""

    MUNICIPAL_RECEPTION = (
        "municipal_reception",
        _("municipal reception, per realised place per day"),
    )
    PRIVATE_HOSTING = "private_hosting", _("private hosting, per person per month")


class RateUnit(models.TextChoices):
    PLACE_DAY = "place_day", _("per realised place per day")
    PERSON_MONTH = "person_month", _("per person per month")


RATE_UNITS: dict[str, str] = {
    RateKind.MUNICIPAL_RECEPTION: RateUnit.PLACE_DAY,
    RateKind.PRIVATE_HOSTING: RateUnit.PERSON_MONTH,
}

# Which locations a municipality declares under which rate. The crisis location (CNO) is the
# region's: its costs are on the TWOV's cost statement, not in a municipal declaration.
LOCATION_RATE_KIND: dict[str, str] = {
    LocationType.MUNICIPAL: RateKind.MUNICIPAL_RECEPTION,
    LocationType.OTHER: RateKind.MUNICIPAL_RECEPTION,
    LocationType.PRIVATE_HOSTING: RateKind.PRIVATE_HOSTING,
}


class CostCategory(models.TextChoices):
    """Cost categories of the TWOV's statement to the national government (Rijk)."""

    STAFF = "staff", _("staff")
    CNO_OPERATION = "cno_operation", _("operation of the crisis location (CNO)")
    TRANSPORT = "transport", _("transport")
    SECURITY = "security", _("security")
    CATERING = "catering", _("catering")
    HEALTH = "health", _("health care")
    FACILITIES = "facilities", _("accommodation and facilities")
    OTHER = "other", _("other")
