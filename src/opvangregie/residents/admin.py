from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Household


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    """Administrators see no personal data: only the households' keys, read-only."""

    list_display = ["external_id", "uuid", "created_at"]
    search_fields = ["external_id"]
    fields = ["external_id", "uuid", "created_at"]
    readonly_fields = ("external_id", "uuid", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Persons and stays are deliberately not in the admin: they are reached through the resident
# pages, within the user's scope.
