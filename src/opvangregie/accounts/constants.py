from django.db import models
from django.utils.translation import gettext_lazy as _

from opvangregie.organisations.constants import OrganisationKind


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator (TWOV)")
    MUNICIPAL_OFFICER = "municipal_officer", _("municipal officer")
    FINANCE_OFFICER = "finance_officer", _("finance officer (municipality)")
    RRT_MEMBER = "rrt_member", _("portfolio holder / RRT member")
    RRT_SECRETARY = "rrt_secretary", _("RRT secretary")
    STEERING_GROUP_MEMBER = "steering_group_member", _("steering group member")
    PROVINCE = "province", _("province")
    ADMINISTRATOR = "administrator", _("administrator")
    PRIVACY_OFFICER = "privacy_officer", _("privacy officer (TWOV)")


# The kind of organisation each role is scoped to.
ROLE_ORGANISATION_KINDS: dict[str, tuple[str, ...]] = {
    Role.COORDINATOR: (OrganisationKind.COORDINATION_OFFICE,),
    Role.MUNICIPAL_OFFICER: (OrganisationKind.MUNICIPALITY,),
    Role.FINANCE_OFFICER: (OrganisationKind.MUNICIPALITY,),
    Role.RRT_MEMBER: (OrganisationKind.MUNICIPALITY, OrganisationKind.COOPERATION_REGION),
    Role.RRT_SECRETARY: (OrganisationKind.COOPERATION_REGION,),
    Role.STEERING_GROUP_MEMBER: (
        OrganisationKind.SAFETY_REGION,
        OrganisationKind.COOPERATION_REGION,
        OrganisationKind.COORDINATION_OFFICE,
        OrganisationKind.MUNICIPALITY,
    ),
    Role.PROVINCE: (OrganisationKind.PROVINCE,),
    Role.PRIVACY_OFFICER: (OrganisationKind.COORDINATION_OFFICE,),
    Role.ADMINISTRATOR: (
        OrganisationKind.SAFETY_REGION,
        OrganisationKind.COORDINATION_OFFICE,
    ),
}
