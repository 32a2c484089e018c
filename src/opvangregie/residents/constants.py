from django.db import models
from django.utils.translation import gettext_lazy as _

from opvangregie.capacity.constants import Feature


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    OTHER = "other", _("other or unknown")


class Need(models.TextChoices):
    """Needs relevant to placement; each is met by a location feature (NEED_FEATURE)."""

    WHEELCHAIR = "wheelchair", _("wheelchair access")
    PET = "pet", _("travels with a pet")
    MEDICAL_CARE = "medical_care", _("medical care nearby")
    GROUND_FLOOR = "ground_floor", _("ground-floor room")


NEED_FEATURE: dict[str, str] = {
    Need.WHEELCHAIR: Feature.WHEELCHAIR_ACCESSIBLE,
    Need.PET: Feature.PETS_ALLOWED,
    Need.MEDICAL_CARE: Feature.MEDICAL_CARE_NEARBY,
    Need.GROUND_FLOOR: Feature.GROUND_FLOOR,
}


class TieKind(models.TextChoices):
    WORK = "work", _("work")
    SCHOOL = "school", _("school")
    FAMILY = "family", _("family")
    CARE = "care", _("care or treatment")
    OTHER = "other", _("other")


class Arrival(models.TextChoices):
    INTAKE = "intake", _("intake")
    MOVE = "move", _("move")


class DepartureReason(models.TextChoices):
    RETURNED = "returned", _("returned to Ukraine")
    OTHER_REGION = "other_region", _("moved to another region")
    OWN_HOUSING = "own_housing", _("own housing")
    LEFT_WITHOUT_NOTICE = "left_without_notice", _("left without notice")
    OTHER = "other", _("other")
