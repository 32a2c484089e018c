from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import IssuedReport


@admin.register(IssuedReport)
class IssuedReportAdmin(admin.ModelAdmin):
    """Read only: an issued report is never edited (its checksum would no longer match)."""

    list_display = ["week", "audience", "version", "issued_at", "issued_by", "checksum"]
    list_filter = ["audience"]
    search_fields = ["week"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
