from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opvangregie.allocation.backends import BACKENDS
from opvangregie.capacity.models import Location
from opvangregie.core.forms import DateInput, StyledForm


class RunForm(StyledForm):
    on = forms.DateField(label=_("Situation on"), widget=DateInput())
    backend = forms.ChoiceField(
        label=_("Solver"),
        choices=[(b, {"highs": "HiGHS", "cpsat": "OR-Tools CP-SAT"}.get(b, b)) for b in BACKENDS],
    )
    time_limit = forms.FloatField(
        label=_("Time limit (seconds)"),
        min_value=1,
        max_value=600,
        help_text=_("The best placement found within this time is proposed."),
    )


class OverrideForm(StyledForm):
    location = forms.ModelChoiceField(
        label=_("New location"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("— do not place —"),
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=500)

    def __init__(self, *args: Any, locations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["location"]
        field.queryset = locations if locations is not None else Location.objects.none()  # type: ignore[attr-defined]
        field.label_from_instance = lambda loc: f"{loc.name} ({loc.municipality.name})"  # type: ignore[attr-defined]


class ResponseForm(StyledForm):
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        help_text=_("Required when declining."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("answer") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for declining."))
        return data


class ApproveForm(StyledForm):
    on = forms.DateField(
        label=_("Move on"),
        widget=DateInput(),
        help_text=_("The accepted households move from the CNO to their location on this date."),
    )
