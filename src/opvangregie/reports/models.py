"""Issued (frozen) weekly reports. A report is stored as the canonical JSON it was sent with
and the SHA-256 checksum of that JSON; it is shown and exported from there, never recomputed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opvangregie.core.models import PublicModel

from .constants import Audience


class IssuedReport(PublicModel):
    """One version of the weekly report of one audience for one ISO week."""

    week = models.CharField(_("week"), max_length=8, help_text=_("ISO week, e.g. 2024-W10."))
    audience = models.CharField(_("audience"), max_length=32, choices=Audience.choices)
    version = models.PositiveIntegerField(_("version"))
    document = models.TextField(
        _("document"),
        help_text=_("The report as issued: canonical JSON (sorted keys, no spaces, UTF-8)."),
    )
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        ordering = ["-week", "audience", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["week", "audience", "version"], name="report_one_version_number"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="report_version_positive"),
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="report_known_audience"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.audience} v{self.version}"
