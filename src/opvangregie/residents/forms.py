from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opvangregie.capacity.models import Location
from opvangregie.core.forms import DateInput, StyledForm

from .constants import DepartureReason, Need, Sex


class LocationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Location) -> str:
        return f"{obj.name} ({obj.municipality.name})"


def _locations(codes: set[str] | None) -> Any:
    qs = Location.objects.select_related("municipality").order_by("type", "name")
    return qs if codes is None else qs.filter(municipality__code__in=codes)


class HouseholdForm(StyledForm):
    external_id = forms.CharField(label=_("External id"), max_length=100, required=False)
    needs = forms.MultipleChoiceField(
        label=_("Needs"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    location = LocationChoiceField(label=_("Intake at"), queryset=Location.objects.none())
    intake_on = forms.DateField(label=_("Intake on"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, municipalities: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = _locations(municipalities)  # type: ignore[attr-defined]


class PersonForm(StyledForm):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput())
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    languages = forms.CharField(
        label=_("Languages"),
        max_length=100,
        required=False,
        help_text=_("ISO 639-1 codes, comma-separated, e.g. uk,ru,en."),
    )


class BasePersonFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        filled = [f for f in self.forms if f.has_changed() and not f.errors]
        if not filled and not any(f.errors for f in self.forms):
            raise forms.ValidationError(_("A household has at least one person."))


PersonFormSet = forms.formset_factory(PersonForm, formset=BasePersonFormSet, extra=4, max_num=12)


class MoveForm(StyledForm):
    location = LocationChoiceField(label=_("Move to"), queryset=Location.objects.none())
    on = forms.DateField(label=_("On"), widget=DateInput())

    def __init__(self, *args: Any, municipalities: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = _locations(municipalities)  # type: ignore[attr-defined]


class DepartureForm(StyledForm):
    on = forms.DateField(label=_("On"), widget=DateInput())
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *DepartureReason.choices])


class SearchForm(StyledForm):
    q = forms.CharField(label=_("Name or external id"), required=False, max_length=100)
