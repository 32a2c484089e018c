"""Rates and rules as dated data, costs the TWOV enters, and frozen statements.

Amounts are ``Decimal`` with two decimals (euros and cents), never floats. Rates and tables are
reference data an administrator maintains (Django admin); no amount is a constant in code.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opvangregie.capacity.models import Location
from opvangregie.core.models import PublicModel, TimeStampedModel, ValidityPeriod
from opvangregie.organisations.constants import OrganisationKind
from opvangregie.organisations.models import Organisation
from opvangregie.residents.models import Person

from .constants import CostCategory, RateKind


class StandardRate(TimeStampedModel, ValidityPeriod):
    """A standard rate (normbedrag) of one kind for a period; the unit follows from the kind."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=RateKind.choices)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("standard rate")
        verbose_name_plural = _("standard rates")
        ordering = ["kind", "valid_from"]
        constraints = [
            ValidityPeriod.period_constraint("standardrate_valid_period"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="standardrate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount} ({self.valid_from or '…'}-)"


class LivingAllowanceTable(TimeStampedModel, ValidityPeriod):
    """The living allowance (leefgeld) per month for a period, by household composition.

    Each row holds for households of at least its size (a row without a size for every size):
    the row with the largest size not above the household's applies. The monthly amount is the
    row's base amount plus an amount per adult and per child.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    adult_age = models.PositiveSmallIntegerField(
        _("adult from age"), default=18, help_text=_("From this age a person counts as adult.")
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("living allowance table")
        verbose_name_plural = _("living allowance tables")
        ordering = ["valid_from"]
        constraints = [ValidityPeriod.period_constraint("livingallowancetable_valid_period")]

    def __str__(self) -> str:
        return self.name


class LivingAllowanceRow(models.Model):
    table = models.ForeignKey(LivingAllowanceTable, on_delete=models.CASCADE, related_name="rows")
    household_size = models.PositiveSmallIntegerField(
        _("from household size"),
        null=True,
        blank=True,
        help_text=_("Holds for households of at least this size; empty: every size."),
    )
    base_amount = models.DecimalField(
        _("per household per month"), default=0, max_digits=12, decimal_places=2
    )
    per_adult = models.DecimalField(
        _("per adult per month"), default=0, max_digits=12, decimal_places=2
    )
    per_child = models.DecimalField(
        _("per child per month"), default=0, max_digits=12, decimal_places=2
    )

    class Meta:
        verbose_name = _("living allowance row")
        verbose_name_plural = _("living allowance rows")
        ordering = ["table", "household_size"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "household_size"], name="livingallowancerow_size_once"
            ),
            models.CheckConstraint(
                condition=Q(base_amount__gte=0) & Q(per_adult__gte=0) & Q(per_child__gte=0),
                name="livingallowancerow_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.table}: {self.household_size or '*'}"


class PersonalContributionRule(TimeStampedModel, ValidityPeriod):
    """The personal contribution (eigen bijdrage) of residents with income, per month."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    per_adult = models.DecimalField(
        _("per adult with income per month"), max_digits=12, decimal_places=2
    )
    catering_per_adult = models.DecimalField(
        _("catering part per adult per month"),
        default=0,
        help_text=_("Added where the location provides the meals."),
        max_digits=12,
        decimal_places=2,
    )
    household_maximum = models.DecimalField(
        _("household maximum per month"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    adult_age = models.PositiveSmallIntegerField(_("adult from age"), default=18)
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("personal contribution rule")
        verbose_name_plural = _("personal contribution rules")
        ordering = ["valid_from"]
        constraints = [
            ValidityPeriod.period_constraint("personalcontributionrule_valid_period"),
            models.CheckConstraint(
                condition=Q(per_adult__gte=0) & Q(catering_per_adult__gte=0),
                name="personalcontributionrule_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.per_adult}"


class PersonIncome(TimeStampedModel, ValidityPeriod):
    """A resident has income (from work) in a period: no living allowance, a contribution due."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="incomes")
    monthly_amount = models.DecimalField(
        _("income per month"),
        null=True,
        blank=True,
        help_text=_("If known."),
        max_digits=12,
        decimal_places=2,
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("income")
        verbose_name_plural = _("incomes")
        ordering = ["person", "valid_from"]
        constraints = [ValidityPeriod.period_constraint("personincome_valid_period")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.valid_from or '…'}-{self.valid_to or ''}"


class LocationCatering(TimeStampedModel, ValidityPeriod):
    """A location provides the meals in a period (the catering part of the contribution)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="catering")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("catering at a location")
        verbose_name_plural = _("catering at locations")
        ordering = ["location", "valid_from"]
        constraints = [ValidityPeriod.period_constraint("locationcatering_valid_period")]

    def __str__(self) -> str:
        return f"{self.location} {self.valid_from or '…'}-{self.valid_to or ''}"


class CostEntry(PublicModel):
    """A cost the TWOV made and charges to the national government, with its document."""

    incurred_on = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=32, choices=CostCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    document_reference = models.CharField(
        _("document"),
        max_length=300,
        blank=True,
        help_text=_("Invoice number or the document's number or address in the records system."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("cost entry")
        verbose_name_plural = _("cost entries")
        ordering = ["incurred_on", "pk"]
        indexes = [models.Index(fields=["incurred_on", "category"])]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="costentry_not_zero")]

    def __str__(self) -> str:
        return f"{self.incurred_on} {self.get_category_display()}: {self.amount}"


class FrozenStatement(PublicModel):
    """A statement over [first_day, last_day] as submitted: its figures, frozen.

    ``figures`` is the computation as JSON (amounts as strings); ``checksum`` the SHA-256 of
    its canonical form. A correction is a new version; earlier versions never change.
    """

    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("corrects"),
    )
    figures = models.JSONField(_("figures"))
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64)
    total = models.DecimalField(_("total (EUR)"), max_digits=14, decimal_places=2)
    reason = models.TextField(_("reason for the correction"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.first_day}..{self.last_day} v{self.version}"


class Declaration(FrozenStatement):
    """A municipality's declaration of the standard rates over a period, as submitted."""

    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="declarations",
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
        verbose_name=_("municipality"),
    )

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        ordering = ["municipality", "-first_day", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "first_day", "last_day", "version"],
                name="declaration_version_once",
            ),
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="declaration_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {super().__str__()}"


class CostStatement(FrozenStatement):
    """The TWOV's statement of costs to the national government over a period, as submitted."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cost_statements",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("cost statement")
        verbose_name_plural = _("cost statements")
        ordering = ["organisation", "-first_day", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "first_day", "last_day", "version"],
                name="coststatement_version_once",
            ),
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="coststatement_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {super().__str__()}"
