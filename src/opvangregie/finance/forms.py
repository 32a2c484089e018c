from django import forms
from django.utils.translation import gettext_lazy as _

from opvangregie.capacity.forms import DateInput
from opvangregie.core.forms import StyledForm

from .constants import CostCategory


class SubmitForm(StyledForm):
    first_day = forms.DateField(widget=forms.HiddenInput())
    last_day = forms.DateField(widget=forms.HiddenInput())
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when a version for this period was submitted before."),
    )


class CostEntryForm(StyledForm):
    incurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    category = forms.ChoiceField(label=_("Category"), choices=CostCategory.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    amount = forms.DecimalField(
        label=_("Amount (EUR)"),
        max_digits=12,
        decimal_places=2,
        help_text=_("A credit note is a negative amount."),
    )
    document_reference = forms.CharField(
        label=_("Document"),
        max_length=300,
        required=False,
        help_text=_("Invoice number or the document's number or address in the records system."),
    )
