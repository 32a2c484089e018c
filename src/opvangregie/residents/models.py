"""Households, persons and their stays. Occupancy is derived from the stays, never typed in.

Personal data is kept to what placement and reporting need.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opvangregie.capacity.models import Location
from opvangregie.core.models import PublicModel
from opvangregie.organisations.models import Organisation

from .constants import Arrival, DepartureReason, Need, Sex, TieKind


class Household(PublicModel):
    external_id = models.CharField(
        _("external id"), max_length=100, unique=True, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    anonymised_at = models.DateTimeField(
        _("anonymised at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Personal data removed after the retention period; figures remain."),
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.external_id or str(self.uuid)[:8]


class HouseholdNeed(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="needs")
    need = models.CharField(_("need"), max_length=32, choices=Need.choices)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [
            models.UniqueConstraint(fields=["household", "need"], name="household_need_once")
        ]

    def __str__(self) -> str:
        return str(self.get_need_display())


class HouseholdTie(models.Model):
    """A tie to a municipality (work, school, family) that placement takes into account."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="ties")
    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=TieKind.choices)

    class Meta:
        verbose_name = _("tie")
        verbose_name_plural = _("ties")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "municipality", "kind"], name="household_tie_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.get_kind_display()}"


class Person(PublicModel):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="persons")
    external_id = models.CharField(
        _("external id"), max_length=100, unique=True, null=True, blank=True
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    nationality = models.CharField(
        _("nationality"), max_length=3, default="UKR", help_text=_("ISO 3166 alpha-3 code.")
    )
    languages = models.CharField(
        _("languages"),
        max_length=100,
        blank=True,
        help_text=_("ISO 639-1 codes, comma-separated, e.g. uk,ru,en."),
    )
    bsn_encrypted = models.TextField(_("BSN (encrypted)"), blank=True, editable=False)
    bsn_hash = models.CharField(
        _("BSN (keyed hash)"), max_length=64, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["household", "birth_date"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def has_bsn(self) -> bool:
        return bool(self.bsn_encrypted)


class Stay(PublicModel):
    """A person stays at a location from ``start_date`` until ``end_date`` (exclusive).

    A move ends one stay and starts the next on the same day; a departure ends the last one with
    a reason. A person never has two overlapping stays (database exclusion constraint on
    PostgreSQL, a unique open stay everywhere, and the service's check).
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="stays")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="stays")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    arrival = models.CharField(_("arrival"), max_length=16, choices=Arrival.choices)
    departure_reason = models.CharField(
        _("reason for departure"), max_length=32, choices=DepartureReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        ordering = ["person", "start_date"]
        indexes = [
            models.Index(fields=["location", "start_date", "end_date"]),
            models.Index(fields=["person", "start_date"]),
            # The occupancy on a date, the flows and the figures' history count the stays that
            # start or end in a period per location: with these columns the database counts
            # them from the index alone (an index-only scan), without reading the table.
            models.Index(
                fields=["start_date", "end_date", "location"], name="residents_stay_start_cov"
            ),
            models.Index(
                fields=["end_date", "location", "departure_reason"],
                name="residents_stay_end_cov",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="stay_ends_after_start",
                violation_error_message=_("A stay ends after it starts."),
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end_date__isnull=True),
                name="stay_one_open_per_person",
                violation_error_message=_("This person already has a current stay."),
            ),
            models.CheckConstraint(
                condition=Q(departure_reason="") | Q(end_date__isnull=False),
                name="stay_departure_needs_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.location_id} {self.start_date}..{self.end_date or ''}"
