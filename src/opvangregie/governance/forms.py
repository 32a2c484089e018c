from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from opvangregie.core.forms import DateInput, StyledForm
from opvangregie.organisations.constants import DecisionOutcome, OrganisationKind
from opvangregie.organisations.models import Body, Decision, Organisation

from .constants import AgreementStatus, Attendance, Metric, Urgency


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(StyledForm):
    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.none())
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput(), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args: Any, bodies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["body"]
        field.queryset = Body.objects.filter(pk__in=[b.pk for b in bodies or []])  # type: ignore[attr-defined]


class MinutesForm(StyledForm):
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea, required=False)


class AgendaItemForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    owner = forms.CharField(label=_("Owner"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    decision_asked = forms.CharField(
        label=_("Decision asked"), widget=forms.Textarea, required=False
    )


class DocumentForm(StyledForm):
    item = forms.UUIDField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Document title"), max_length=300)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, an office document, text, CSV, PNG or JPG; at most 25 MB."),
    )
    reference = forms.CharField(
        label=_("or a reference"),
        max_length=500,
        required=False,
        help_text=_("A link or a register number."),
    )


class AttendanceForm(StyledForm):
    seat = forms.UUIDField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Attendance"), choices=Attendance.choices)
    substitute = forms.CharField(label=_("Substitute"), max_length=200, required=False)


class DecisionForm(StyledForm):
    subject = forms.CharField(label=_("Decision"), widget=forms.Textarea)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=DecisionOutcome.choices, initial=DecisionOutcome.ADOPTED
    )
    item = forms.TypedChoiceField(label=_("Agenda item"), required=False, coerce=str)
    supersedes = forms.ModelChoiceField(
        label=_("Supersedes"), queryset=Decision.objects.none(), required=False
    )

    def __init__(self, *args: Any, meeting: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["item"].choices = [("", "—")] + [  # type: ignore[attr-defined]
                (str(i.uuid), str(i)) for i in meeting.items.all()
            ]
            self.fields["supersedes"].queryset = Decision.objects.filter(  # type: ignore[attr-defined]
                body=meeting.body
            ).order_by("-decided_on")


PARTY_KINDS = (
    OrganisationKind.MUNICIPALITY,
    OrganisationKind.COOPERATION_REGION,
    OrganisationKind.SAFETY_REGION,
    OrganisationKind.PROVINCE,
)


class AgreementForm(StyledForm):
    body = forms.ModelChoiceField(label=_("Made at"), queryset=Body.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    owner = forms.CharField(label=_("Owner"), max_length=200)
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"),
        queryset=Organisation.objects.filter(kind__in=PARTY_KINDS).order_by("kind", "name"),
        # Check boxes: the form template renders a multiple choice as a list of them (a
        # select's options in that list were no controls at all).
        widget=forms.CheckboxSelectMultiple,
    )
    shares = forms.CharField(
        label=_("Shares of the target"),
        required=False,
        help_text=_("Optional, per party code: holland-rijnland=90, midden-holland=30."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())
    metric = forms.ChoiceField(label=_("Measured by"), choices=Metric.choices, required=False)
    target = forms.IntegerField(label=_("Target"), min_value=1, required=False)

    def __init__(self, *args: Any, bodies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(  # type: ignore[attr-defined]
            pk__in=[b.pk for b in bodies or []]
        )

    def clean_shares(self) -> dict[str, int]:
        shares: dict[str, int] = {}
        for part in (self.cleaned_data.get("shares") or "").split(","):
            if not part.strip():
                continue
            code, _sep, amount = part.partition("=")
            try:
                shares[code.strip()] = int(amount)
            except ValueError as exc:
                raise ValidationError(
                    _("Write shares as code=number, separated by commas.")
                ) from exc
        return shares


class NoteForm(StyledForm):
    text = forms.CharField(label=_("Progress note"), widget=forms.Textarea)


class StatusForm(StyledForm):
    status = forms.ChoiceField(label=_("New status"), choices=AgreementStatus.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)


class EscalationForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    question = forms.CharField(label=_("Question"), widget=forms.Textarea)
    options = forms.CharField(label=_("Options"), widget=forms.Textarea, required=False)
    advice = forms.CharField(label=_("Advice"), widget=forms.Textarea, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial="normal")
    deadline = forms.DateField(label=_("Answer needed by"), widget=DateInput())


class ScheduleForm(StyledForm):
    item = forms.ChoiceField(label=_("Agenda item"))

    def __init__(self, *args: Any, items: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [  # type: ignore[attr-defined]
            (str(i.uuid), f"{i.meeting} — {i}") for i in items
        ]


class DecideForm(StyledForm):
    decision = forms.ChoiceField(label=_("Decision"))
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args: Any, decisions: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [  # type: ignore[attr-defined]
            (str(d.uuid), str(d)) for d in decisions
        ]


class CloseForm(StyledForm):
    note = forms.CharField(label=_("Closing note"), widget=forms.Textarea, required=False)


class PackForm(StyledForm):
    housing_region = forms.ModelChoiceField(
        label=_("Housing region"), queryset=Organisation.objects.none()
    )
    on = forms.DateField(label=_("Date of the PRT"), widget=DateInput())

    def __init__(self, *args: Any, regions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["housing_region"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[r.pk for r in regions or []]
        )


class PackNotesForm(StyledForm):
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)


class EvaluationForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2022, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)], coerce=int
    )


class PreferencesForm(StyledForm):
    agenda_published = forms.BooleanField(label=_("An agenda is published"), required=False)
    pack_ready = forms.BooleanField(label=_("A PRT pack is ready"), required=False)
    deadline = forms.BooleanField(
        label=_("A deadline of an agreement or dilemma is near or passed"), required=False
    )
