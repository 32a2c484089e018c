from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    PROVINCE = "province", _("province")
    SAFETY_REGION = "safety_region", _("safety region")
    MUNICIPALITY = "municipality", _("municipality")
    COOPERATION_REGION = "cooperation_region", _("cooperation region")
    COORDINATION_OFFICE = "coordination_office", _("coordination office")
    NATIONAL_PARTY = "national_party", _("national party")


class RegionKind(models.TextChoices):
    """What a cooperation region cooperates on."""

    HOUSING = "housing", _("housing region")
    OTHER = "other", _("other cooperation")


class MembershipKind(models.TextChoices):
    COOPERATION = "cooperation", _("member of a cooperation region")
    SAFETY_REGION = "safety_region", _("in the territory of a safety region")
    PROVINCE = "province", _("in a province")
    UNIT = "unit", _("part of an organisation")


class BodyKind(models.TextChoices):
    TABLE = "table", _("coordination table")
    STEERING_GROUP = "steering_group", _("steering group")
    POLICY_TEAM = "policy_team", _("policy team")
    CONSULTATION = "consultation", _("administrative consultation")


class BodyLevel(models.TextChoices):
    NATIONAL = "national", _("national")
    PROVINCIAL = "provincial", _("provincial")
    REGIONAL = "regional", _("safety region")
    HOUSING_REGION = "housing_region", _("housing region")


class SeatRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    VICE_CHAIR = "vice_chair", _("vice-chair")
    MEMBER = "member", _("member")
    SECRETARY = "secretary", _("secretary")
    ADVISER = "adviser", _("adviser")


class ResponsibleHolder(models.TextChoices):
    MAYOR = "mayor", _("mayor")
    COLLEGE = "college", _("college of mayor and aldermen")


class RelationKind(models.TextChoices):
    REPORTS_TO = "reports_to", _("reports to")
    PREPARES = "prepares", _("prepares and feeds back")
    COORDINATES_WITH = "coordinates_with", _("coordinates with")
    COMMISSIONS = "commissions", _("commissions")
    SUPPORTS = "supports", _("supports")
    REPRESENTED_AT = "represented_at", _("is represented at")


class CommissioningKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("administrative commissioner")
    OFFICIAL = "official", _("official commissioner")


class DecisionMaker(models.TextChoices):
    BODY = "body", _("body")
    DAILY_BOARD = "daily_board", _("daily board")
    GENERAL_BOARD = "general_board", _("general board")
    COLLEGE = "college", _("college of mayor and aldermen")
    COUNCIL = "council", _("municipal council")
    MAYOR = "mayor", _("mayor")


class DecisionOutcome(models.TextChoices):
    ADOPTED = "adopted", _("adopted")
    REQUESTED = "requested", _("requested, pending")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")
