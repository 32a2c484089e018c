from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opvangregie.core.forms import DateInput, StyledForm
from opvangregie.organisations.constants import OrganisationKind
from opvangregie.organisations.models import Organisation

from .constants import Feature, LocationStatus, LocationType


class LocationForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=LocationType.choices)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).order_by("name"),
        to_field_name="code",
    )
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    beds = forms.IntegerField(label=_("Beds"), min_value=0)
    blocked_beds = forms.IntegerField(label=_("Blocked beds"), min_value=0, initial=0)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (LocationStatus.OPEN, LocationStatus.OPEN.label),
            (LocationStatus.PLANNED, LocationStatus.PLANNED.label),
        ],
    )
    features = forms.MultipleChoiceField(
        label=_("Features"),
        choices=Feature.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lets_units = forms.BooleanField(label=_("Lets whole units"), required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, municipalities: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            field = self.fields["municipality"]
            field.queryset = field.queryset.filter(code__in=municipalities)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("blocked_beds", 0) > data.get("beds", 0):
            self.add_error("blocked_beds", _("More beds are blocked than the location has."))
        return data


class CapacityForm(StyledForm):
    valid_from = forms.DateField(label=_("From"), widget=DateInput())
    beds = forms.IntegerField(label=_("Beds"), min_value=0)
    blocked_beds = forms.IntegerField(label=_("Blocked beds"), min_value=0, initial=0)
    blocked_reason = forms.CharField(label=_("Reason blocked"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class StatusForm(StyledForm):
    status = forms.ChoiceField(label=_("New status"), choices=LocationStatus.choices)
    effective_date = forms.DateField(label=_("From"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
