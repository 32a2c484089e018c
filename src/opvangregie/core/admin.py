"""Admin bases for records that change only through their use cases: the admin shows them."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class NoAddAdmin(admin.ModelAdmin):
    """Records are made through the pages, the API or the command line, never in the admin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ReadOnlyAdmin(NoAddAdmin):
    """The admin shows the record; its use cases change it."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
