"""Use cases of finance: enter a cost, submit (freeze) a declaration or a cost statement.

Each is one transaction and checks permissions itself. A submitted statement is never changed:
a correction is a new version that points to the one it corrects.
"""

import datetime
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opvangregie.accounts.constants import Role
from opvangregie.accounts.models import RoleAssignment, User
from opvangregie.core.dates import today
from opvangregie.core.validity import valid_on_q
from opvangregie.organisations.models import Organisation

from . import selectors
from .constants import CostCategory
from .models import CostEntry, CostStatement, Declaration, FrozenStatement


def _check_submittable(first_day: datetime.date, last_day: datetime.date) -> None:
    if last_day < first_day:
        raise ValidationError(_("The period ends before it starts."))
    if last_day >= today():
        raise ValidationError(_("A period can be submitted once it has ended."))


def _next_version(
    model: type[FrozenStatement],
    scope: dict[str, Any],
    first_day: datetime.date,
    last_day: datetime.date,
    figures: dict[str, Any],
    reason: str,
) -> tuple[int, FrozenStatement | None]:
    """The version number a submission gets, after the checks every statement shares."""
    statements = model._default_manager.filter(**scope)
    clash = (
        statements.filter(first_day__lte=last_day, last_day__gte=first_day)
        .exclude(first_day=first_day, last_day=last_day)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _(
                "The period overlaps the one submitted for %(first)s to %(last)s; correct that "
                "one or choose a period next to it."
            )
            % {"first": clash.first_day.isoformat(), "last": clash.last_day.isoformat()}
        )
    latest = statements.filter(first_day=first_day, last_day=last_day).order_by("-version").first()
    if latest is None:
        return 1, None
    if latest.checksum == selectors.checksum(figures):
        raise ValidationError(
            _("Nothing changed since version %(version)d; there is nothing to correct.")
            % {"version": latest.version}
        )
    if not reason:
        raise ValidationError(_("Give the reason for the correction."))
    return latest.version + 1, latest


@transaction.atomic
def declaration_submit(
    *,
    user: User,
    municipality: Organisation,
    first_day: datetime.date,
    last_day: datetime.date,
    reason: str = "",
) -> Declaration:
    """Freeze the declaration of ``municipality`` over [first_day, last_day] as computed now.

    A second submission for the same period is a correction: a new version, with a reason."""
    if not selectors.may_submit_declaration(user=user, municipality=municipality.code):
        raise PermissionDenied(
            _("Only the municipality's finance officer or a coordinator may submit this.")
        )
    _check_submittable(first_day, last_day)
    # The municipality's row serialises submissions, so two never get the same version.
    Organisation.objects.select_for_update().get(pk=municipality.pk)
    computed = selectors.declaration_compute(
        municipality=municipality, first_day=first_day, last_day=last_day
    )
    if computed.missing:
        raise ValidationError(
            _("No standard rate is known for some days of the period; an administrator enters it.")
        )
    figures = computed.as_dict()
    version, previous = _next_version(
        Declaration, {"municipality": municipality}, first_day, last_day, figures, reason.strip()
    )
    return Declaration.objects.create(
        municipality=municipality,
        first_day=first_day,
        last_day=last_day,
        version=version,
        previous=cast(Declaration | None, previous),
        figures=figures,
        checksum=selectors.checksum(figures),
        total=computed.total,
        reason=reason.strip(),
        submitted_by=user,
    )


def _require_cost_manager(user: User) -> None:
    if not selectors.may_manage_costs(user=user):
        raise PermissionDenied(_("Only a coordinator of the TWOV may do this."))


@transaction.atomic
def cost_entry_create(
    *,
    user: User,
    incurred_on: datetime.date,
    category: str,
    description: str,
    amount: Decimal,
    document_reference: str = "",
) -> CostEntry:
    _require_cost_manager(user)
    if category not in CostCategory.values:
        raise ValidationError(_("Unknown cost category %(name)s.") % {"name": category})
    if amount == 0:
        raise ValidationError(_("Enter an amount other than zero."))
    entry = CostEntry(
        incurred_on=incurred_on,
        category=category,
        description=description.strip(),
        amount=selectors.money(Decimal(amount)),
        document_reference=document_reference.strip(),
        entered_by=user,
    )
    entry.full_clean()
    entry.save()
    return entry


def _office(user: User) -> Organisation:
    assignment = (
        RoleAssignment.objects.filter(valid_on_q(today()), user=user, role=Role.COORDINATOR)
        .select_related("organisation")
        .order_by("organisation__code")
        .first()
    )
    if assignment is None:
        raise PermissionDenied(_("Only a coordinator of the TWOV may do this."))
    return assignment.organisation


@transaction.atomic
def cost_statement_submit(
    *, user: User, first_day: datetime.date, last_day: datetime.date, reason: str = ""
) -> CostStatement:
    """Freeze the TWOV's cost statement over [first_day, last_day] as the costs stand now."""
    _require_cost_manager(user)
    _check_submittable(first_day, last_day)
    office = _office(user)
    Organisation.objects.select_for_update().get(pk=office.pk)
    computed = selectors.cost_statement_compute(first_day=first_day, last_day=last_day)
    if not computed.entries:
        raise ValidationError(_("No costs were entered for this period."))
    figures = computed.as_dict()
    version, previous = _next_version(
        CostStatement, {"organisation": office}, first_day, last_day, figures, reason.strip()
    )
    return CostStatement.objects.create(
        organisation=office,
        first_day=first_day,
        last_day=last_day,
        version=version,
        previous=cast(CostStatement | None, previous),
        figures=figures,
        checksum=selectors.checksum(figures),
        total=computed.total,
        reason=reason.strip(),
        submitted_by=user,
    )
