"""Pages of placement: runs, the review of one run, one household's line, and the actions on
them. The views only read forms and call the services; the rules live in the services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opvangregie.accounts.selectors import is_coordinator, may_see_personal_data
from opvangregie.audit.constants import AuditAction
from opvangregie.audit.services import audit_record
from opvangregie.capacity.models import Location
from opvangregie.core.dates import today
from opvangregie.core.forms import redirect_after_post, submit, submit_result

from . import selectors, services
from .constants import Action, Outcome, Response, RunState
from .forms import ApproveForm, OverrideForm, ResponseForm, RunForm
from .models import PlacementRun, ProposalLine


def _user(request: HttpRequest) -> Any:
    user = request.user
    if not may_see_personal_data(user=user):  # type: ignore[arg-type]
        raise PermissionDenied
    return user


def _run_or_404(user: Any, uuid: str) -> PlacementRun:
    run = selectors.runs_visible_to(user=user).filter(uuid=uuid).first()
    if run is None:
        raise Http404(_("No such placement proposal."))
    return run


def _line_or_404(user: Any, uuid: str) -> ProposalLine:
    line = ProposalLine.objects.select_related("run").filter(uuid=uuid).first()
    if (
        line is None
        or not selectors.lines_visible_to(user=user, run=line.run).filter(pk=line.pk).exists()
    ):
        raise Http404(_("No such household in a proposal."))
    return selectors.lines_visible_to(user=user, run=line.run).get(pk=line.pk)


def _run_url(run: PlacementRun) -> str:
    return reverse("placement:run", kwargs={"uuid": run.uuid})


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    coordinator = is_coordinator(user=user)
    form = RunForm(
        request.POST or None,
        initial={"on": today(), "backend": "highs", "time_limit": services.DEFAULT_TIME_LIMIT},
    )
    if coordinator:
        run = submit_result(
            request, form, lambda: services.run_create(user=user, **form.cleaned_data)
        )
        if run is not None:
            messages.success(
                request,
                _(
                    "Proposal computed in %(seconds).1f s: %(placed)d of %(total)d households "
                    "placed."
                )
                % {
                    "seconds": run.seconds,
                    "placed": run.lines.filter(location__isnull=False).count(),
                    "total": run.lines.count(),
                },
            )
            return redirect_after_post(request, _run_url(run))
    elif request.method == "POST":
        raise PermissionDenied
    runs = selectors.runs_visible_to(user=user).order_by("-created_at")[:50]
    return render(
        request,
        "placement/run_list.html",
        {
            "runs": runs,
            "form": form if coordinator else None,
            "coordinator": coordinator,
            "waiting": selectors.waiting_count(on=today()) if coordinator else None,
        },
    )


def _run_context(user: Any, run: PlacementRun, **extra: Any) -> dict[str, Any]:
    coordinator = is_coordinator(user=user)
    lines = selectors.lines_visible_to(user=user, run=run)
    audit_record(
        action=AuditAction.LIST,
        object_type="household",
        households=lines.values_list("household__uuid", flat=True),
        detail={"page": "proposal", "run": str(run.uuid)},
    )
    return {
        "run": run,
        "review": selectors.review(run=run, lines=lines),
        "coordinator": coordinator,
        "events": run.events.select_related("actor", "line__household").order_by("at", "pk")
        if coordinator
        else None,
        "approve_form": extra.pop("approve_form", None)
        or ApproveForm(initial={"on": max(today(), run.on)}, prefix="approve"),
        "open_accepted": lines.filter(response=Response.ACCEPTED, outcome=Outcome.OPEN).count(),
        "RunState": RunState,
        "Response": Response,
        "Outcome": Outcome,
        **extra,
    }


@login_required
def run_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    user = _user(request)
    run = _run_or_404(user, uuid)
    return render(request, "placement/run_detail.html", _run_context(user, run))


def _act(request: HttpRequest, uuid: str, action: Any, done: str) -> HttpResponse:
    user = _user(request)
    run = _run_or_404(user, uuid)
    try:
        action(user, run)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect_after_post(request, _run_url(run))


@login_required
@require_POST
def run_send(request: HttpRequest, uuid: str) -> HttpResponse:
    return _act(
        request,
        uuid,
        lambda user, run: services.run_send(user=user, run=run),
        _("The proposal was sent to the municipalities."),
    )


@login_required
@require_POST
def run_close(request: HttpRequest, uuid: str) -> HttpResponse:
    return _act(
        request,
        uuid,
        lambda user, run: services.run_close(user=user, run=run),
        _("The proposal was closed."),
    )


@login_required
@require_POST
def run_approve(request: HttpRequest, uuid: str) -> HttpResponse:
    user = _user(request)
    run = _run_or_404(user, uuid)
    if not is_coordinator(user=user):
        raise PermissionDenied
    form = ApproveForm(request.POST, prefix="approve")
    approvals: list[services.Approval] = []

    def approve() -> None:
        approvals.append(services.run_approve(user=user, run=run, on=form.cleaned_data["on"]))

    if submit(request, form, approve):
        approval = approvals[0]
        messages.success(
            request, _("%(count)d household(s) placed.") % {"count": len(approval.placed)}
        )
        for line in approval.conflicts:
            messages.error(
                request,
                _("Not placed: %(household)s — %(message)s")
                % {"household": line.household, "message": line.outcome_message},
            )
        return redirect_after_post(request, _run_url(run))
    context = _run_context(user, run, approve_form=form)
    return render(request, "placement/run_detail.html", context, status=400)


def _override_locations(line: ProposalLine) -> Any:
    uuids = list(selectors.run_picture(line.run).locations)
    return (
        Location.objects.filter(uuid__in=uuids)
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )


@login_required
def line_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    user = _user(request)
    line = _line_or_404(user, uuid)
    coordinator = is_coordinator(user=user)
    override_form = response_form = None
    if coordinator and line.run.state in (RunState.DRAFT, RunState.SENT):
        override_form = OverrideForm(
            request.POST if request.POST.get("form") == "override" else None,
            locations=_override_locations(line),
            prefix="override",
        )

        def override() -> None:
            services.line_override(
                user=user,
                line=line,
                location=override_form.cleaned_data["location"],
                reason=override_form.cleaned_data["reason"],
            )

        if request.POST.get("form") == "override" and submit(request, override_form, override):
            event = line.events.filter(action=Action.OVERRIDE).order_by("-pk").first()
            detail = event.detail if event else {}
            messages.success(
                request,
                _("The household was moved. Objective: %(before).1f → %(after).1f.")
                % {
                    "before": detail.get("objective_before", 0),
                    "after": detail.get("objective_after", 0),
                },
            )
            return redirect_after_post(request, reverse("placement:line", kwargs={"uuid": uuid}))
    if line.location is not None and line.run.state == RunState.SENT:
        response_form = ResponseForm(
            request.POST if request.POST.get("form") == "response" else None, prefix="response"
        )

        def respond() -> None:
            services.line_respond(
                user=user,
                line=line,
                accept=response_form.cleaned_data["answer"] == "accept",
                reason=response_form.cleaned_data["reason"],
            )

        if request.POST.get("form") == "response":
            try:
                done = submit(request, response_form, respond)
            except PermissionDenied as exc:
                raise Http404 from exc
            if done:
                messages.success(request, _("Your answer was recorded."))
                return redirect_after_post(
                    request, reverse("placement:line", kwargs={"uuid": uuid})
                )
    audit_record(
        action=AuditAction.VIEW,
        object_type="household",
        households=[line.household],
        detail={"page": "proposal line", "run": str(line.run.uuid)},
    )
    picture = selectors.run_picture(line.run)
    line.explanation = selectors.explain(line, picture)  # type: ignore[attr-defined]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "placement/line_detail.html",
        {
            "line": line,
            "run": line.run,
            "persons": line.household.persons.order_by("birth_date"),
            "needs": line.household.needs.all(),
            "ties": line.household.ties.select_related("municipality"),
            "options": selectors.line_options(line=line, picture=picture) if coordinator else None,
            "override_form": override_form,
            "response_form": response_form,
            "events": line.events.select_related("actor").order_by("at", "pk"),
            "coordinator": coordinator,
            "Response": Response,
            "Outcome": Outcome,
        },
        status=status,
    )
