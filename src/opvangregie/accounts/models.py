from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from opvangregie.core.models import TimeStampedModel, ValidityPeriod
from opvangregie.organisations.models import Organisation

from .constants import Role
from .role_cache import role_cache_clear


class User(AbstractUser):
    is_demo = models.BooleanField(
        _("demo user"),
        default=False,
        help_text=_("Demo users can only log in while the instance runs in demo mode."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class RoleAssignment(TimeStampedModel, ValidityPeriod):
    """A user holds a role on behalf of an organisation. A user may hold several roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role"]
        constraints = [
            ValidityPeriod.period_constraint("roleassignment_valid_period"),
            models.UniqueConstraint(
                fields=["user", "role", "organisation", "valid_from"],
                name="roleassignment_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} ({self.organisation})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        role_cache_clear()  # a request that changes roles reads the change

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        result = super().delete(*args, **kwargs)
        role_cache_clear()
        return result
