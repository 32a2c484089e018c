from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from opvangregie.core.admin import ReadOnlyAdmin

from .models import (
    CapacityRecord,
    CapacityUnit,
    DistributionKey,
    DistributionShare,
    Location,
    LocationFeature,
    LocationStatusEvent,
    RegionalTask,
    Target,
)


class FeatureInline(admin.TabularInline):
    model = LocationFeature
    extra = 0


class StatusInline(admin.TabularInline):
    model = LocationStatusEvent
    extra = 0
    readonly_fields = ["status", "effective_date", "note"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # status changes go through the lifecycle check (location page / API)


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "municipality", "external_id", "is_backup"]
    list_filter = ["type", "is_backup"]
    search_fields = ["name", "external_id", "municipality__name"]
    autocomplete_fields = ["municipality"]
    inlines = [FeatureInline, StatusInline]


class UnitInline(admin.TabularInline):
    model = CapacityUnit
    extra = 0


@admin.register(CapacityRecord)
class CapacityRecordAdmin(ReadOnlyAdmin):
    """Read-only: capacity changes go through the service that protects the residents' beds."""

    list_display = ["location", "valid_from", "beds", "blocked_beds"]
    search_fields = ["location__name"]
    inlines = [UnitInline]


class ShareInline(admin.TabularInline):
    model = DistributionShare
    extra = 0
    autocomplete_fields = ["municipality"]


@admin.register(DistributionKey)
class DistributionKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "valid_from", "valid_to"]
    inlines = [ShareInline]


@admin.register(RegionalTask)
class RegionalTaskAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "region", "total", "valid_from", "valid_to"]
    list_filter = ["kind"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    """Targets of a task are computed; the half-yearly status-holder task is entered here."""

    list_display = ["municipality", "kind", "amount", "valid_from", "valid_to", "task"]
    list_filter = ["kind"]
    autocomplete_fields = ["municipality"]
    search_fields = ["municipality__name"]
