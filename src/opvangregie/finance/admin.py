"""The administrator maintains the rates and tables here (dated records, never overwritten by a
reload of the reference data). Submitted statements are read-only: they are frozen."""

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from opvangregie.core.admin import ReadOnlyAdmin

from .models import (
    CostEntry,
    CostStatement,
    Declaration,
    LivingAllowanceRow,
    LivingAllowanceTable,
    LocationCatering,
    PersonalContributionRule,
    PersonIncome,
    StandardRate,
)
from .selectors import rates_overlapping


class StandardRateForm(forms.ModelForm):
    class Meta:
        model = StandardRate
        fields = ["code", "kind", "amount", "valid_from", "valid_to", "source", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind"):
            clash = rates_overlapping(
                kind=data["kind"], valid_from=data.get("valid_from"), valid_to=data.get("valid_to")
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(
                    _("The period overlaps the rate %(code)s of the same kind.")
                    % {"code": clash.first().code}  # type: ignore[union-attr]
                )
        return data


@admin.register(StandardRate)
class StandardRateAdmin(admin.ModelAdmin):
    form = StandardRateForm
    list_display = ["code", "kind", "amount", "valid_from", "valid_to", "source"]
    list_filter = ["kind"]
    search_fields = ["code", "source"]


class LivingAllowanceRowInline(admin.TabularInline):
    model = LivingAllowanceRow
    extra = 1


@admin.register(LivingAllowanceTable)
class LivingAllowanceTableAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "valid_from", "valid_to", "adult_age"]
    inlines = [LivingAllowanceRowInline]


@admin.register(PersonalContributionRule)
class PersonalContributionRuleAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "per_adult",
        "catering_per_adult",
        "household_maximum",
        "valid_from",
        "valid_to",
    ]


@admin.register(PersonIncome)
class PersonIncomeAdmin(admin.ModelAdmin):
    list_display = ["person", "valid_from", "valid_to", "monthly_amount"]
    raw_id_fields = ["person"]


@admin.register(LocationCatering)
class LocationCateringAdmin(admin.ModelAdmin):
    list_display = ["location", "valid_from", "valid_to"]
    autocomplete_fields = ["location"]


@admin.register(CostEntry)
class CostEntryAdmin(admin.ModelAdmin):
    list_display = ["incurred_on", "category", "description", "amount", "document_reference"]
    list_filter = ["category"]
    search_fields = ["description", "document_reference"]
    date_hierarchy = "incurred_on"
    readonly_fields = ["entered_by"]


class FrozenAdmin(ReadOnlyAdmin):
    """Submitted through the finance pages, the API or the command line; frozen."""

    list_display = ["__str__", "version", "total", "submitted_by", "submitted_at"]
    readonly_fields = [
        "first_day",
        "last_day",
        "version",
        "previous",
        "figures",
        "checksum",
        "total",
        "reason",
        "submitted_by",
        "submitted_at",
    ]


@admin.register(Declaration)
class DeclarationAdmin(FrozenAdmin):
    list_filter = ["municipality"]


@admin.register(CostStatement)
class CostStatementAdmin(FrozenAdmin):
    pass
