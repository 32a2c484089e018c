"""The audit trail of personal data: every read and every change of a household's or person's
record, with who, when, from which interface and what. Rows are only ever added; on PostgreSQL
the database itself refuses to update or delete them (migration 0002)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import AuditAction, Interface


class AuditEvent(models.Model):
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    interface = models.CharField(_("interface"), max_length=16, choices=Interface.choices)
    object_type = models.CharField(_("kind of record"), max_length=32)
    object_uuid = models.UUIDField(_("record"), null=True, blank=True)
    household_uuid = models.UUIDField(_("household"), null=True, blank=True, db_index=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '—'} {self.action} {self.object_type}"
        )
