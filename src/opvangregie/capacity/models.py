"""Locations, their status and capacity over time, and the targets per municipality.

Nothing is overwritten: a status change is an event with a date, a capacity change a new record
valid from a date. The figures for any date are derived from them.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opvangregie.core.models import PublicModel, TimeStampedModel, ValidityPeriod
from opvangregie.organisations.constants import OrganisationKind
from opvangregie.organisations.models import Organisation

from .constants import Feature, LocationStatus, LocationType, TaskKind


class Location(PublicModel):
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The key in the source system, so that re-importing changes nothing."),
    )
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=32, choices=LocationType.choices)
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="locations",
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
        verbose_name=_("municipality"),
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    lets_units = models.BooleanField(
        _("lets whole units"),
        default=False,
        help_text=_("Rooms are let as a whole: a household takes a unit, not loose beds."),
    )
    is_backup = models.BooleanField(
        _("backup location"),
        default=False,
        help_text=_("Held in reserve, opened when needed."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        indexes = [models.Index(fields=["municipality", "type"])]

    def __str__(self) -> str:
        return self.name


class LocationFeature(models.Model):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="features")
    feature = models.CharField(_("feature"), max_length=32, choices=Feature.choices)

    class Meta:
        verbose_name = _("location feature")
        verbose_name_plural = _("location features")
        constraints = [
            models.UniqueConstraint(fields=["location", "feature"], name="location_feature_once")
        ]

    def __str__(self) -> str:
        return f"{self.location}: {self.get_feature_display()}"


class LocationStatusEvent(TimeStampedModel):
    """From ``effective_date`` on, the location has ``status``. Future dates are the pipeline."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="status_events")
    status = models.CharField(_("status"), max_length=16, choices=LocationStatus.choices)
    effective_date = models.DateField(_("effective date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["location", "effective_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "effective_date"], name="location_status_one_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.effective_date}: {self.status}"


class CapacityRecord(TimeStampedModel):
    """The beds of a location from ``valid_from`` until the next record.

    ``blocked_beds`` exist but cannot be allocated (renovation, quarantine); allocable capacity is
    ``beds - blocked_beds``.
    """

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="capacity")
    valid_from = models.DateField(_("valid from"))
    beds = models.PositiveIntegerField(_("beds"))
    blocked_beds = models.PositiveIntegerField(_("blocked beds"), default=0)
    blocked_reason = models.CharField(_("reason blocked"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("capacity record")
        verbose_name_plural = _("capacity records")
        ordering = ["location", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "valid_from"], name="capacity_one_record_per_day"
            ),
            models.CheckConstraint(
                condition=Q(blocked_beds__lte=F("beds")),
                name="capacity_blocked_within_beds",
                violation_error_message=_("More beds are blocked than the location has."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.valid_from}: {self.beds}"

    @property
    def allocable(self) -> int:
        return self.beds - self.blocked_beds


class CapacityUnit(models.Model):
    """Whole units a location lets: ``count`` rooms of ``size`` beds."""

    record = models.ForeignKey(CapacityRecord, on_delete=models.CASCADE, related_name="units")
    size = models.PositiveSmallIntegerField(_("beds per unit"))
    count = models.PositiveSmallIntegerField(_("number of units"))

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["record", "size"], name="capacity_unit_size_once"),
            models.CheckConstraint(
                condition=Q(size__gt=0) & Q(count__gt=0), name="capacity_unit_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count} x {self.size}"


class DistributionKey(TimeStampedModel, ValidityPeriod):
    """Shares of the municipalities in a regional task, for a period."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="distribution_keys"
    )
    basis = models.CharField(_("basis"), max_length=200, default="population")
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("distribution key")
        verbose_name_plural = _("distribution keys")
        ordering = ["region", "-valid_from"]
        constraints = [ValidityPeriod.period_constraint("distributionkey_valid_period")]

    def __str__(self) -> str:
        return self.name


class DistributionShare(models.Model):
    key = models.ForeignKey(DistributionKey, on_delete=models.CASCADE, related_name="shares")
    municipality = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="distribution_shares"
    )
    weight = models.PositiveIntegerField(
        _("weight"), help_text=_("E.g. the population; shares are weight / total weight.")
    )

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        constraints = [
            models.UniqueConstraint(fields=["key", "municipality"], name="share_once_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.weight}"


class RegionalTask(TimeStampedModel, ValidityPeriod):
    """A total the region has to realise, of one kind, in a period."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=TaskKind.choices)
    region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="tasks")
    total = models.PositiveIntegerField(_("total"))
    key = models.ForeignKey(
        DistributionKey,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        help_text=_("How the total is divided over the municipalities."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("regional task")
        verbose_name_plural = _("regional tasks")
        ordering = ["kind", "-valid_from"]
        constraints = [ValidityPeriod.period_constraint("regionaltask_valid_period")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.region}: {self.total}"


class Target(TimeStampedModel, ValidityPeriod):
    """A municipality's target (taakstelling) of one kind for a period.

    Computed from a regional task and its key, or entered as data (the half-yearly
    status-holder task).
    """

    kind = models.CharField(_("kind"), max_length=32, choices=TaskKind.choices)
    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="targets")
    amount = models.PositiveIntegerField(_("amount"))
    task = models.ForeignKey(
        RegionalTask, on_delete=models.CASCADE, null=True, blank=True, related_name="targets"
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["kind", "municipality", "-valid_from"]
        constraints = [
            ValidityPeriod.period_constraint("target_valid_period"),
            models.UniqueConstraint(
                fields=["kind", "municipality", "valid_from"],
                name="target_one_per_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.get_kind_display()}: {self.amount}"
