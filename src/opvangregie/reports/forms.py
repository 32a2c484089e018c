from django import forms
from django.utils.translation import gettext_lazy as _

from opvangregie.core.forms import StyledForm

from .constants import Audience
from .content import InvalidWeekError, week_monday


class WeekForm(StyledForm):
    week = forms.CharField(label=_("Week"), max_length=8, help_text=_("ISO week, e.g. 2024-W10."))
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)

    def __init__(self, *args: object, audiences: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["audience"]
        field.choices = [(a, label) for a, label in Audience.choices if a in audiences]  # type: ignore[attr-defined]
        self.fields["week"].widget.input_type = "week"

    def clean_week(self) -> str:
        week = str(self.cleaned_data["week"]).strip().upper()
        try:
            week_monday(week)
        except InvalidWeekError as exc:
            raise forms.ValidationError(
                _("'%(week)s' is not an ISO week; use the form 2024-W10."), params={"week": week}
            ) from exc
        return week


class IssueForm(WeekForm):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
