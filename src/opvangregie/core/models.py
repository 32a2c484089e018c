"""Abstract building blocks shared by every app: timestamps, public UUIDs, validity periods."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Every row knows when it was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class PublicModel(TimeStampedModel):
    """A resource the API exposes by UUID, never by database id."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class ValidityPeriod(models.Model):
    """A half-open validity period [valid_from, valid_to).

    An empty ``valid_from`` means "since before our records"; an empty ``valid_to`` means
    "still valid". ``valid_to`` is the first day on which the record no longer holds.
    """

    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("First day on which this no longer holds; empty while it still holds."),
    )

    class Meta:
        abstract = True

    @staticmethod
    def period_constraint(name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=Q(valid_to__isnull=True)
            | Q(valid_from__isnull=True)
            | Q(valid_to__gt=models.F("valid_from")),
            name=name,
            violation_error_message=_("The end date must lie after the start date."),
        )
