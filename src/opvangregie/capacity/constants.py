from django.db import models
from django.utils.translation import gettext_lazy as _


class LocationType(models.TextChoices):
    CNO = "cno", _("crisis emergency reception (CNO)")
    MUNICIPAL = "municipal", _("municipal location")
    PRIVATE_HOSTING = "private_hosting", _("private hosting")
    OTHER = "other", _("other")


# Stays at a CNO last about 72 hours; the rest is long stay.
SHORT_STAY_TYPES = frozenset({LocationType.CNO})


class LocationStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    OPEN = "open", _("open")
    CLOSING = "closing", _("closing")
    CLOSED = "closed", _("closed")


# The lifecycle: which status may follow which.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    LocationStatus.PLANNED: frozenset({LocationStatus.OPEN, LocationStatus.CLOSED}),
    LocationStatus.OPEN: frozenset({LocationStatus.CLOSING, LocationStatus.CLOSED}),
    LocationStatus.CLOSING: frozenset({LocationStatus.OPEN, LocationStatus.CLOSED}),
    LocationStatus.CLOSED: frozenset({LocationStatus.OPEN}),
}

# Statuses in which a location takes in residents.
RECEIVING_STATUSES = frozenset({LocationStatus.OPEN})
# Statuses in which a location still houses residents (and so counts in capacity figures).
OPERATING_STATUSES = frozenset({LocationStatus.OPEN, LocationStatus.CLOSING})


class Feature(models.TextChoices):
    WHEELCHAIR_ACCESSIBLE = "wheelchair_accessible", _("wheelchair accessible")
    PETS_ALLOWED = "pets_allowed", _("pets allowed")
    FAMILY_UNITS = "family_units", _("family units")
    SINGLE_MEN_ONLY = "single_men_only", _("single men only")
    SINGLE_WOMEN_ONLY = "single_women_only", _("single women only")
    MEDICAL_CARE_NEARBY = "medical_care_nearby", _("medical care nearby")
    GROUND_FLOOR = "ground_floor", _("ground-floor rooms")
    OWN_KITCHEN = "own_kitchen", _("own kitchen")


class TaskKind(models.TextChoices):
    UKRAINIAN = "ukrainian", _("places for displaced persons from Ukraine")
    ASYLUM_DURABLE = "asylum_durable", _("durable asylum reception places")
    STATUS_HOLDER = "status_holder", _("status-holder housing")
