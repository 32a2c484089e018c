"""The organisations and governance registry: who exists, who sits where, who is responsible.

Everything that changes over time carries a validity period (see ``core.models.ValidityPeriod``)
so the registry answers "as of" any date and history is never overwritten.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opvangregie.core.models import PublicModel, TimeStampedModel, ValidityPeriod

from .constants import (
    BodyKind,
    BodyLevel,
    CommissioningKind,
    DecisionMaker,
    DecisionOutcome,
    MembershipKind,
    OrganisationKind,
    RegionKind,
    RelationKind,
    ResponsibleHolder,
    SeatRole,
)


class Organisation(PublicModel, ValidityPeriod):
    code = models.SlugField(
        _("code"),
        max_length=64,
        unique=True,
        help_text=_("Stable key in the reference data; the CBS code for municipalities."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    cbs_code = models.CharField(_("CBS code"), max_length=16, unique=True, null=True, blank=True)
    region_kind = models.CharField(
        _("region kind"), max_length=16, choices=RegionKind.choices, blank=True
    )
    legal_form = models.CharField(_("legal form"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        constraints = [
            ValidityPeriod.period_constraint("organisation_valid_period"),
            models.CheckConstraint(
                condition=~Q(kind=OrganisationKind.MUNICIPALITY) | Q(cbs_code__startswith="GM"),
                name="organisation_municipality_cbs_code",
                violation_error_message=_("A municipality needs a CBS code starting with GM."),
            ),
            models.CheckConstraint(
                condition=Q(kind=OrganisationKind.COOPERATION_REGION) | Q(region_kind=""),
                name="organisation_region_kind_only_for_regions",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PopulationFigure(TimeStampedModel):
    """A municipality's population on a reference date, with where the figure came from."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="population_figures"
    )
    population = models.PositiveIntegerField(_("population"))
    reference_date = models.DateField(_("reference date"))
    status = models.CharField(_("status"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["organisation", "-reference_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference_date"], name="population_one_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.reference_date}: {self.population}"


class Membership(TimeStampedModel, ValidityPeriod):
    """An organisation belongs to another: a municipality to its housing region, safety region
    and province; the TWOV to the safety region."""

    member = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    group = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(_("kind"), max_length=32, choices=MembershipKind.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            ValidityPeriod.period_constraint("membership_valid_period"),
            models.UniqueConstraint(
                fields=["member", "group", "kind", "valid_from"], name="membership_unique"
            ),
            models.CheckConstraint(
                condition=~Q(member=models.F("group")), name="membership_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.group}"


class Body(PublicModel, ValidityPeriod):
    """A table, steering group or policy team where administrators meet."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=BodyKind.choices)
    level = models.CharField(_("level"), max_length=32, choices=BodyLevel.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("organisation"),
        help_text=_("The organisation or territory the body belongs to."),
    )
    secretary_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="secretariats",
        verbose_name=_("secretary (organisation)"),
    )
    secretary_function = models.CharField(_("secretary (function)"), max_length=200, blank=True)
    tasks = models.TextField(_("tasks"), blank=True, help_text=_("One task per line."))
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["level", "name"]
        constraints = [ValidityPeriod.period_constraint("body_valid_period")]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def task_list(self) -> list[str]:
        return [line.strip() for line in self.tasks.splitlines() if line.strip()]


class Seat(PublicModel, ValidityPeriod):
    """A place at a body: held by a named person and/or a function, on behalf of an organisation."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="seats")
    code = models.SlugField(_("code"), max_length=64)
    role = models.CharField(_("role"), max_length=16, choices=SeatRole.choices)
    holder_name = models.CharField(_("holder (name)"), max_length=200, blank=True)
    holder_function = models.CharField(_("holder (function)"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seats",
        verbose_name=_("representing"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["body", "role", "code"]
        constraints = [
            ValidityPeriod.period_constraint("seat_valid_period"),
            models.UniqueConstraint(fields=["body", "code"], name="seat_unique_code"),
            models.CheckConstraint(
                condition=~Q(holder_name="") | ~Q(holder_function=""),
                name="seat_has_holder",
                violation_error_message=_("A seat is held by a named person or a function."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.get_role_display()} — {self.holder}"

    @property
    def holder(self) -> str:
        if self.holder_name and self.holder_function:
            return f"{self.holder_name} ({self.holder_function})"
        return self.holder_name or self.holder_function


class Relation(TimeStampedModel, ValidityPeriod):
    """A line in the structure picture: who reports to, prepares for or commissions whom.

    Each end is either a body or an organisation.
    """

    code = models.SlugField(_("code"), max_length=96, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=RelationKind.choices)
    source_body = models.ForeignKey(
        Body, on_delete=models.CASCADE, null=True, blank=True, related_name="outgoing"
    )
    source_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="outgoing"
    )
    target_body = models.ForeignKey(
        Body, on_delete=models.CASCADE, null=True, blank=True, related_name="incoming"
    )
    target_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="incoming"
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        constraints = [
            ValidityPeriod.period_constraint("relation_valid_period"),
            models.CheckConstraint(
                condition=(Q(source_body__isnull=True) ^ Q(source_organisation__isnull=True))
                & (Q(target_body__isnull=True) ^ Q(target_organisation__isnull=True)),
                name="relation_one_end_each",
                violation_error_message=_(
                    "Each end of a relation is either a body or an organisation."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.code


class ResponsibilityRegime(TimeStampedModel):
    """The legal regime under which the reception task lies with the mayor or the college.

    The regime in force on a date is the one with the latest ``in_force_from`` on or before it.
    The date a law enters into force is often known only later: ``in_force_confirmed`` stays off
    until someone enters the decree's date.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    holder = models.CharField(_("responsible"), max_length=16, choices=ResponsibleHolder.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    in_force_from = models.DateField(_("in force from"), unique=True)
    in_force_confirmed = models.BooleanField(_("date confirmed"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("responsibility regime")
        verbose_name_plural = _("responsibility regimes")
        ordering = ["in_force_from"]

    def __str__(self) -> str:
        return self.name


class PortfolioHolder(TimeStampedModel, ValidityPeriod):
    """The alderman a college names as portfolio holder for the reception of Ukrainians."""

    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="portfolio_holders",
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("portfolio holder")
        verbose_name_plural = _("portfolio holders")
        ordering = ["municipality", "-valid_from"]
        constraints = [
            ValidityPeriod.period_constraint("portfolioholder_valid_period"),
            models.UniqueConstraint(
                fields=["municipality", "valid_from"], name="portfolioholder_one_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"


class CommissioningRole(TimeStampedModel, ValidityPeriod):
    """Who commissions an organisation (bestuurlijk and ambtelijk opdrachtgever)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="commissioners"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=CommissioningKind.choices)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, null=True, blank=True)
    holder_function = models.CharField(_("holder (function)"), max_length=300, blank=True)
    holder_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("commissioning role")
        verbose_name_plural = _("commissioning roles")
        constraints = [
            ValidityPeriod.period_constraint("commissioningrole_valid_period"),
            models.CheckConstraint(
                condition=Q(body__isnull=False) | ~Q(holder_function=""),
                name="commissioningrole_has_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.organisation}"


class Decision(PublicModel):
    """An entry in the decision register."""

    code = models.SlugField(_("code"), max_length=96, unique=True)
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    decision_maker = models.CharField(_("decided by"), max_length=32, choices=DecisionMaker.choices)
    decided_on = models.DateField(_("decided on"))
    date_confirmed = models.BooleanField(_("date confirmed"), default=True)
    subject = models.TextField(_("subject"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=DecisionOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["decided_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(body__isnull=False) | Q(organisation__isnull=False),
                name="decision_has_maker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decided_on} {self.subject[:60]}"
