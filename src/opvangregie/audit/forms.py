from django import forms
from django.utils.translation import gettext_lazy as _

from opvangregie.core.forms import DateInput, StyledForm

from .constants import AuditAction


class AuditSearchForm(StyledForm):
    household = forms.UUIDField(label=_("Household (UUID)"), required=False)
    username = forms.CharField(label=_("User name"), max_length=150, required=False)
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", "—"), *AuditAction.choices], required=False
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput())
