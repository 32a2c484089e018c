from django.contrib import admin

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
    list_display = ["decided_on", "decision_maker", "organisation", "body", "outcome"]
    list_filter = ["decision_maker", "outcome"]
    search_fields = ["subject", "code"]
