"""What the governance commands share: reading a housing region's code from the command line."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from opvangregie.organisations.constants import OrganisationKind
from opvangregie.organisations.models import Organisation


def housing_region_option(code: str) -> Organisation:
    """The housing region (cooperation region) with ``code``, or a clear error."""
    region = Organisation.objects.filter(
        code=code, kind=OrganisationKind.COOPERATION_REGION
    ).first()
    if region is None:
        raise CommandError(_("No housing region with code %(code)s.") % {"code": code})
    return region
