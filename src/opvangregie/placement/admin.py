"""Placement is changed through its use cases only; the admin shows the record."""

from django.contrib import admin

from opvangregie.core.admin import ReadOnlyAdmin

from .models import PlacementEvent, PlacementRun, ProposalLine


@admin.register(PlacementRun)
class PlacementRunAdmin(ReadOnlyAdmin):
    list_display = ["on", "state", "solver_status", "objective", "gap", "created_by", "created_at"]
    list_filter = ["state"]


@admin.register(ProposalLine)
class ProposalLineAdmin(ReadOnlyAdmin):
    list_display = ["run", "household", "location", "response", "outcome"]
    list_filter = ["response", "outcome"]


@admin.register(PlacementEvent)
class PlacementEventAdmin(ReadOnlyAdmin):
    list_display = ["run", "action", "actor", "at"]
    list_filter = ["action"]
