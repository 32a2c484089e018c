from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Body,
    CommissioningRole,
    Decision,
    Membership,
    Organisation,
    PopulationFigure,
    PortfolioHolder,
    Relation,
    ResponsibilityRegime,
    Seat,
)


class PopulationFigureInline(admin.TabularInline):
    model = PopulationFigure
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "member"
    extra = 0
    autocomplete_fields = ["group"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "cbs_code", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "cbs_code"]
    inlines = [MembershipInline, PopulationFigureInline]


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = [
        "code",
        "role",
        "holder_name",
        "holder_function",
        "organisation",
        "valid_from",
        "valid_to",
    ]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "valid_from", "valid_to"]
    list_filter = ["kind", "level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["organisation", "secretary_organisation"]
    inlines = [SeatInline]


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = [
        "body",
        "role",
        "holder_name",
        "holder_function",
        "organisation",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["role", "body"]
    search_fields = ["holder_name", "holder_function"]
    autocomplete_fields = ["body", "organisation"]


@admin.register(ResponsibilityRegime)
class ResponsibilityRegimeAdmin(admin.ModelAdmin):
    list_display = ["name", "holder", "in_force_from", "in_force_confirmed"]


@admin.register(PortfolioHolder)
class PortfolioHolderAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "valid_from", "valid_to"]
    autocomplete_fields = ["municipality"]


@admin.register(Relation)
class RelationAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "valid_from", "valid_to"]
    list_filter = ["kind"]


@admin.register(CommissioningRole)
class CommissioningRoleAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind", "body", "holder_function", "valid_from"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """The register. A decision taken at a meeting (it has a ``record`` from the governance
    workflow, which numbered and dated it on the meeting day) is read-only here: the meeting's
    secretary records it through the governance pages or API. The reference decisions (no
    record) stay editable."""

    list_display = ["decided_on", "decision_maker", "organisation", "body", "outcome"]
    list_filter = ["decision_maker", "outcome"]
    search_fields = ["subject", "code"]

    @staticmethod
    def _recorded_at_a_meeting(obj: Any) -> bool:
        return obj is not None and getattr(obj, "record", None) is not None

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._recorded_at_a_meeting(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._recorded_at_a_meeting(obj):
            return False
        return super().has_delete_permission(request, obj)
