"""Pages of the governance workflow. Views read forms and call services; who may see and do
what is decided in the selectors and services (``PermissionDenied`` → 403, unseen → 404)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from opvangregie.accounts.selectors import is_coordinator
from opvangregie.core.dates import today
from opvangregie.core.forms import redirect_after_post, submit, submit_result
from opvangregie.core.pdf import render_pdf
from opvangregie.organisations.constants import BodyLevel
from opvangregie.organisations.models import Body, Decision, Organisation, Seat

from . import ical, packs, selectors, services
from .constants import MEETING_TRANSITIONS, AgreementStatus, MeetingState, PackState
from .forms import (
    AgendaItemForm,
    AgreementForm,
    AttendanceForm,
    CloseForm,
    DecideForm,
    DecisionForm,
    DocumentForm,
    EscalationForm,
    EvaluationForm,
    MeetingForm,
    MinutesForm,
    NoteForm,
    PackForm,
    PackNotesForm,
    PreferencesForm,
    ScheduleForm,
    StatusForm,
)
from .models import (
    AgendaDocument,
    AgendaItem,
    Agreement,
    Meeting,
    NotificationPreference,
    PrtPack,
)


def _meeting_or_404(user: Any, uuid: str) -> tuple[Meeting, selectors.BodyAccess]:
    meeting = Meeting.objects.select_related("body").filter(uuid=uuid).first()
    if meeting is None:
        raise Http404(_("No such meeting."))
    access = selectors.meeting_access(user=user, meeting=meeting)
    if not access.may_view:
        raise Http404(_("No such meeting."))
    return meeting, access


def _error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    day = today()
    editable = selectors.bodies_editable_by(user=user)
    form = MeetingForm(request.POST or None, bodies=editable)

    def create() -> Meeting:
        data = form.cleaned_data
        return services.meeting_create(
            user=user,
            body=data["body"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data["place"],
        )

    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        meeting = submit_result(request, form, create)
        if meeting is not None:
            return redirect_after_post(
                request, reverse("governance:meeting", kwargs={"uuid": meeting.uuid})
            )
    meetings = selectors.meetings_visible_to(user=user)
    escalations = list(selectors.escalations_visible_to(user=user))
    return render(
        request,
        "governance/index.html",
        {
            "bodies": selectors.bodies_visible_to(user=user),
            "upcoming": meetings.filter(starts_at__date__gte=day).order_by("starts_at")[:10],
            "past": meetings.filter(starts_at__date__lt=day)[:10],
            "form": form if editable else None,
            "escalations": [
                (e, selectors.escalation_overdue(e, day))
                for e in escalations
                if e.status in ("raised", "on_agenda")
            ],
            "may_evaluate": selectors.may_see_evaluation(user=user),
        },
    )


def _meeting_context(
    user: Any, meeting: Meeting, access: selectors.BodyAccess, **forms: Any
) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "access": access,
        # A draft agenda is for its secretaries (and the TWOV) until it is published; members
        # see the meeting itself (date, place), as in the API and the calendar.
        "items": meeting.items.prefetch_related("documents", "decisions__decision")
        if meeting.state != MeetingState.DRAFT or access.may_edit or access.coordinator
        else meeting.items.none(),
        "attendance": meeting.attendance.select_related("seat__organisation"),
        "decisions": meeting.decisions.select_related("decision", "item", "supersedes"),
        "transitions": [MeetingState(s) for s in sorted(MEETING_TRANSITIONS[meeting.state])],
        "minutes_form": forms.get("minutes_form")
        or MinutesForm(initial={"place": meeting.place, "minutes": meeting.minutes}),
        "item_form": forms.get("item_form") or AgendaItemForm(prefix="item"),
        "document_form": DocumentForm(prefix="doc"),
        "decision_form": forms.get("decision_form")
        or DecisionForm(prefix="decision", meeting=meeting),
        "attendance_form": AttendanceForm(prefix="att"),
    }


@login_required
def meeting_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    user: Any = request.user
    meeting, access = _meeting_or_404(user, uuid)
    forms: dict[str, Any] = {}
    if request.method == "POST":
        if not access.may_edit:
            raise PermissionDenied
        action = request.POST.get("action")
        form: Any
        if action == "minutes":
            form = MinutesForm(request.POST)
            forms["minutes_form"] = form
            if submit(
                request,
                form,
                lambda: services.meeting_update(user=user, meeting=meeting, **form.cleaned_data),
            ):
                messages.success(request, _("Saved."))
                return redirect_after_post(request, request.path)
        elif action == "item":
            form = AgendaItemForm(request.POST, prefix="item")
            forms["item_form"] = form
            if submit(
                request,
                form,
                lambda: services.agenda_item_add(user=user, meeting=meeting, **form.cleaned_data),
            ):
                return redirect_after_post(request, request.path)
        elif action == "document":
            form = DocumentForm(request.POST, request.FILES, prefix="doc")
            if form.is_valid():
                item = AgendaItem.objects.filter(
                    meeting=meeting, uuid=form.cleaned_data["item"]
                ).first()
                if item is None:
                    raise Http404
                try:
                    services.agenda_document_add(
                        user=user,
                        item=item,
                        title=form.cleaned_data["title"],
                        file=form.cleaned_data["file"],
                        reference=form.cleaned_data["reference"],
                    )
                except ValidationError as exc:
                    _error(request, exc)
            else:
                messages.error(request, _("The document needs a title and a file or reference."))
            return redirect_after_post(request, request.path)
        elif action == "attendance":
            form = AttendanceForm(request.POST, prefix="att")
            if form.is_valid():
                seat = Seat.objects.filter(uuid=form.cleaned_data["seat"]).first()
                if seat is None:
                    raise Http404
                try:
                    services.attendance_set(
                        user=user,
                        meeting=meeting,
                        seat=seat,
                        status=form.cleaned_data["status"],
                        substitute=form.cleaned_data["substitute"],
                    )
                except ValidationError as exc:
                    _error(request, exc)
            return redirect_after_post(request, request.path)
        elif action == "decision":
            form = DecisionForm(request.POST, prefix="decision", meeting=meeting)
            forms["decision_form"] = form

            def decide() -> None:
                data = form.cleaned_data
                item = meeting.items.filter(uuid=data["item"]).first() if data["item"] else None
                services.decision_record(
                    user=user,
                    meeting=meeting,
                    subject=data["subject"],
                    outcome=data["outcome"],
                    item=item,
                    supersedes=data["supersedes"],
                )

            if submit(request, form, decide):
                messages.success(request, _("The decision is in the register."))
                return redirect_after_post(request, request.path)
        elif action in MeetingState.values:
            try:
                services.meeting_transition(user=user, meeting=meeting, state=action)
            except ValidationError as exc:
                _error(request, exc)
            return redirect_after_post(request, request.path)
        else:
            raise Http404
    return render(
        request,
        "governance/meeting_detail.html",
        _meeting_context(user, meeting, access, **forms),
        status=400 if request.method == "POST" else 200,
    )


@login_required
def meeting_ical(request: HttpRequest, uuid: str) -> HttpResponse:
    meeting, _access = _meeting_or_404(request.user, uuid)
    response = HttpResponse(ical.meetings_ical([meeting]), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.uuid}.ics"'
    return response


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meetings_visible_to(user=request.user).prefetch_related("items")
    response = HttpResponse(ical.meetings_ical(meetings), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="opvangregie-meetings.ics"'
    return response


@login_required
def document(request: HttpRequest, uuid: str) -> FileResponse:
    doc = AgendaDocument.objects.select_related("item__meeting__body").filter(uuid=uuid).first()
    if doc is None or not doc.file:
        raise Http404
    meeting, access = _meeting_or_404(request.user, str(doc.item.meeting.uuid))
    if meeting.state == MeetingState.DRAFT and not (access.may_edit or access.coordinator):
        raise Http404  # the documents of a draft agenda are the secretaries' until published
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.file.name)


# -- agreements -------------------------------------------------------------------------------


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    day = today()
    editable = selectors.bodies_editable_by(user=user)
    form = AgreementForm(request.POST or None, bodies=editable)

    def create() -> Agreement:
        data = form.cleaned_data
        shares = data["shares"]
        return services.agreement_create(
            user=user,
            body=data["body"],
            title=data["title"],
            description=data["description"],
            owner=data["owner"],
            start_date=data["start_date"],
            deadline=data["deadline"],
            parties=[(o, shares.get(o.code)) for o in data["parties"]],
            metric=data["metric"] or "",
            target=data["target"],
        )

    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        agreement = submit_result(request, form, create)
        if agreement is not None:
            return redirect_after_post(
                request, reverse("governance:agreement", kwargs={"uuid": agreement.uuid})
            )
    cache = selectors.FiguresCache()
    rows = [
        (a, selectors.agreement_progress(agreement=a, on=day, cache=cache))
        for a in selectors.agreements_visible_to(user=user).select_related("body")
    ]
    return render(
        request,
        "governance/agreement_list.html",
        {"rows": rows, "form": form if editable else None, "today": day},
    )


@login_required
def agreement_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    user: Any = request.user
    agreement = Agreement.objects.select_related("body").filter(uuid=uuid).first()
    if agreement is None or not selectors.agreement_visible(user=user, agreement=agreement):
        raise Http404(_("No such agreement."))
    access = selectors.body_access(user=user, body=agreement.body)
    may_note = selectors.may_note_agreement(user=user, agreement=agreement)
    note_form = NoteForm(prefix="note")
    status_form = StatusForm(prefix="status")
    if request.method == "POST":
        if request.POST.get("action") == "note":
            note_form = NoteForm(request.POST, prefix="note")
            if submit(
                request,
                note_form,
                lambda: services.agreement_note_add(
                    user=user, agreement=agreement, text=note_form.cleaned_data["text"]
                ),
            ):
                return redirect_after_post(request, request.path)
        elif request.POST.get("action") == "status":
            status_form = StatusForm(request.POST, prefix="status")
            if submit(
                request,
                status_form,
                lambda: services.agreement_status_set(
                    user=user, agreement=agreement, **status_form.cleaned_data
                ),
            ):
                return redirect_after_post(request, request.path)
        else:
            raise Http404
    return render(
        request,
        "governance/agreement_detail.html",
        {
            "agreement": agreement,
            "progress": selectors.agreement_progress(agreement=agreement, on=today()),
            "notes": agreement.notes.select_related("author"),
            "access": access,
            "may_note": may_note,
            "note_form": note_form,
            "status_form": status_form,
            "AgreementStatus": AgreementStatus,
        },
        status=400 if request.method == "POST" else 200,
    )


# -- dilemmas ---------------------------------------------------------------------------------


@login_required
def escalation_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    coordinator = is_coordinator(user=user)
    form = EscalationForm(request.POST or None)
    if request.method == "POST":
        if not coordinator:
            raise PermissionDenied
        escalation = submit_result(
            request, form, lambda: services.escalation_raise(user=user, **form.cleaned_data)
        )
        if escalation is not None:
            return redirect_after_post(
                request, reverse("governance:escalation", kwargs={"uuid": escalation.uuid})
            )
    day = today()
    rows = [
        (e, selectors.escalation_overdue(e, day))
        for e in selectors.escalations_visible_to(user=user)
    ]
    return render(
        request,
        "governance/escalation_list.html",
        {"rows": rows, "form": form if coordinator else None},
    )


@login_required
def escalation_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    user: Any = request.user
    escalation = selectors.escalations_visible_to(user=user).filter(uuid=uuid).first()
    if escalation is None:
        raise Http404(_("No such dilemma."))
    access = selectors.body_access(user=user, body=escalation.body)
    items = AgendaItem.objects.filter(
        meeting__body=escalation.body, meeting__state__in=["draft", "published"]
    ).select_related("meeting__body")
    decisions = Decision.objects.filter(body=escalation.body).order_by("-decided_on")[:50]
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "schedule":
                form: Any = ScheduleForm(request.POST, items=items)
                if form.is_valid():
                    services.escalation_schedule(
                        user=user,
                        escalation=escalation,
                        item=items.get(uuid=form.cleaned_data["item"]),
                    )
            elif action == "decide":
                form = DecideForm(request.POST, decisions=decisions)
                if form.is_valid():
                    services.escalation_decide(
                        user=user,
                        escalation=escalation,
                        decision=Decision.objects.get(uuid=form.cleaned_data["decision"]),
                        note=form.cleaned_data["note"],
                    )
            elif action == "close":
                form = CloseForm(request.POST)
                if form.is_valid():
                    services.escalation_close(
                        user=user, escalation=escalation, note=form.cleaned_data["note"]
                    )
            else:
                raise Http404
        except ValidationError as exc:
            _error(request, exc)
        return redirect_after_post(request, request.path)
    return render(
        request,
        "governance/escalation_detail.html",
        {
            "escalation": escalation,
            "overdue": selectors.escalation_overdue(escalation, today()),
            "events": escalation.events.select_related("actor"),
            "access": access,
            "may_close": selectors.escalation_may_close(user=user, escalation=escalation),
            "schedule_form": ScheduleForm(items=items),
            "decide_form": DecideForm(decisions=decisions),
            "close_form": CloseForm(),
        },
    )


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    decisions = selectors.decisions_visible_to(user=request.user).select_related(
        "record__meeting", "record__supersedes"
    )
    return render(request, "governance/decision_list.html", {"decisions": decisions[:500]})


# -- PRT packs --------------------------------------------------------------------------------


def _pack_regions(user: Any) -> list[Organisation]:
    day = today()
    access = selectors.AccessMap(user)
    regions = []
    for body in Body.objects.filter(level=BodyLevel.HOUSING_REGION).select_related("organisation"):
        of = access.of(body, day)
        if (of.may_edit or of.chair) and body.organisation is not None:
            regions.append(body.organisation)
    return regions


@login_required
def pack_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    regions = _pack_regions(user)
    form = PackForm(request.POST or None, regions=regions, initial={"on": today()})
    if request.method == "POST":
        if not regions:
            raise PermissionDenied
        pack = submit_result(
            request, form, lambda: services.prt_pack_create(user=user, **form.cleaned_data)
        )
        if pack is not None:
            return redirect_after_post(
                request, reverse("governance:pack", kwargs={"uuid": pack.uuid})
            )
    return render(
        request,
        "governance/pack_list.html",
        {"packs": selectors.packs_visible_to(user=user), "form": form if regions else None},
    )


def _pack_or_404(user: Any, uuid: str) -> tuple[PrtPack, selectors.BodyAccess]:
    pack = PrtPack.objects.select_related("housing_region").filter(uuid=uuid).first()
    if pack is None:
        raise Http404(_("No such pack."))
    access = selectors.pack_access(user=user, pack=pack)
    if not access.may_view:
        raise Http404(_("No such pack."))
    return pack, access


def _content(pack: PrtPack) -> dict[str, Any]:
    if pack.content is not None:
        return pack.content
    return packs.pack_content(
        housing_region=pack.housing_region,
        on=pack.on,
        chair_notes=pack.chair_notes,
        secretary_notes=pack.secretary_notes,
    )


@login_required
def pack_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    user: Any = request.user
    pack, access = _pack_or_404(user, uuid)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("chair_notes", "secretary_notes"):
                form = PackNotesForm(request.POST)
                if form.is_valid():
                    services.prt_pack_notes(
                        user=user, pack=pack, **{action: form.cleaned_data["notes"]}
                    )
            elif action == "freeze":
                services.prt_pack_freeze(user=user, pack=pack)
                messages.success(request, _("The pack is frozen."))
            elif action == "send":
                services.prt_pack_send(user=user, pack=pack)
                messages.success(request, _("The pack is marked as sent."))
            else:
                raise Http404
        except ValidationError as exc:
            _error(request, exc)
        return redirect_after_post(request, request.path)
    return render(
        request,
        "governance/pack_detail.html",
        {
            "pack": pack,
            "content": _content(pack),
            "access": access,
            "draft": pack.state == PackState.DRAFT,
            "chair_form": PackNotesForm(initial={"notes": pack.chair_notes}),
            "secretary_form": PackNotesForm(initial={"notes": pack.secretary_notes}),
        },
    )


@login_required
def pack_pdf(request: HttpRequest, uuid: str) -> HttpResponse:
    pack, _access = _pack_or_404(request.user, uuid)
    pdf = render_pdf(
        "governance/pack_pdf.html",
        {"pack": pack, "content": _content(pack), "checksum": pack.checksum},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="prt-pack-{pack.housing_region.code}-{pack.on}.pdf"'
    )
    return response


# -- evaluation and preferences ---------------------------------------------------------------


def _withheld() -> str:
    return _("(reason withheld: holds personal data)")


def _clean(text: str) -> bool:
    return not packs.personal_data_found(text)


@login_required
def evaluation(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not selectors.may_see_evaluation(user=user):
        raise PermissionDenied
    day = today()
    form = EvaluationForm(
        request.GET or None, initial={"year": day.year, "quarter": (day.month - 1) // 3 + 1}
    )
    year, quarter = day.year, (day.month - 1) // 3 + 1
    if form.is_valid():
        year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
    result = selectors.evaluation_for(
        year=year, quarter=quarter, withheld=_withheld(), reason_filter=_clean
    )
    if request.GET.get("format") == "pdf":
        response = HttpResponse(
            render_pdf("governance/evaluation_pdf.html", {"result": result}),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'attachment; filename="evaluatie-{year}-Q{quarter}.pdf"'
        return response
    return render(request, "governance/evaluation.html", {"form": form, "result": result})


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    current = NotificationPreference.objects.filter(user=user).first()
    initial = {
        "agenda_published": current.agenda_published if current else True,
        "pack_ready": current.pack_ready if current else True,
        "deadline": current.deadline if current else True,
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if submit(
        request,
        form,
        lambda: services.notification_preferences_set(user=user, **form.cleaned_data),
    ):
        messages.success(request, _("Your choices are saved."))
        return redirect_after_post(request, request.path)
    return render(request, "governance/notifications.html", {"form": form})
