"""Placement runs: a stored proposal, its lines per household, and what happened to them.

A run keeps the instance it was solved on (households and locations by UUID, no personal data),
so every override is checked against the same picture and the run can be explained later.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opvangregie.capacity.models import Location
from opvangregie.core.models import PublicModel
from opvangregie.residents.models import Household

from .constants import Action, AlternativeReason, Outcome, Response, RunState


class PlacementRun(PublicModel):
    on = models.DateField(_("date of the picture"))
    state = models.CharField(
        _("state"), max_length=16, choices=RunState.choices, default=RunState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="placement_runs",
        verbose_name=_("created by"),
    )
    backend = models.CharField(_("solver"), max_length=16)
    time_limit = models.FloatField(_("time limit (s)"))
    seed = models.IntegerField(_("seed"), default=0)
    weights = models.JSONField(_("weights"))
    solver_status = models.CharField(_("solver status"), max_length=16)
    objective = models.FloatField(_("objective"), null=True)
    bound = models.FloatField(_("best bound"), null=True)
    gap = models.FloatField(_("gap"), null=True)
    seconds = models.FloatField(_("seconds"))
    solver_settings = models.JSONField(_("solver settings"), default=dict)
    instance = models.JSONField(_("instance"))
    deviation_before = models.FloatField(_("deviation from fair share before"))
    deviation_after = models.FloatField(_("deviation from fair share after"))

    class Meta:
        verbose_name = _("placement run")
        verbose_name_plural = _("placement runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.on} ({self.get_state_display()})"


class ProposalLine(PublicModel):
    """One household in a run: where it is proposed to go, why, and what became of it."""

    run = models.ForeignKey(PlacementRun, on_delete=models.PROTECT, related_name="lines")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="proposal_lines"
    )
    size = models.PositiveSmallIntegerField(_("persons"))
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal_lines",
        verbose_name=_("proposed location"),
    )
    beds = models.PositiveSmallIntegerField(_("beds"), default=0)
    score = models.JSONField(_("score"), default=dict)
    unplaced_reason = models.CharField(_("why not placed"), max_length=500, blank=True)
    alternative = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("best alternative"),
    )
    alternative_reason = models.CharField(
        _("why not the alternative"), max_length=16, choices=AlternativeReason.choices, blank=True
    )
    overridden = models.BooleanField(_("moved by hand"), default=False)
    override_reason = models.CharField(_("reason for the change"), max_length=500, blank=True)
    response = models.CharField(
        _("answer of the municipality"),
        max_length=16,
        choices=Response.choices,
        default=Response.PENDING,
    )
    response_reason = models.CharField(_("reason"), max_length=500, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.OPEN
    )
    outcome_message = models.CharField(_("outcome message"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("proposal line")
        verbose_name_plural = _("proposal lines")
        ordering = ["run", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "household"], name="line_one_per_household"),
            models.CheckConstraint(
                condition=Q(location__isnull=False) | Q(response=Response.PENDING),
                name="line_answer_needs_location",
                violation_error_message=_("Only a proposed placement can be answered."),
            ),
            models.CheckConstraint(
                condition=~Q(response=Response.DECLINED) | ~Q(response_reason=""),
                name="line_decline_has_reason",
                violation_error_message=_("Give a reason for declining."),
            ),
            models.CheckConstraint(
                condition=Q(overridden=False) | ~Q(override_reason=""),
                name="line_override_has_reason",
                violation_error_message=_("Give a reason for the change."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.PLACED) | Q(response=Response.ACCEPTED),
                name="line_placed_only_when_accepted",
                violation_error_message=_("Only an accepted proposal can be placed."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} → {self.location or '—'}"


class PlacementEvent(models.Model):
    """The history of a run: every run, override, answer and approval with who and when.
    Rows are only ever added."""

    run = models.ForeignKey(PlacementRun, on_delete=models.PROTECT, related_name="events")
    line = models.ForeignKey(
        ProposalLine, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    detail = models.JSONField(_("detail"), default=dict)

    class Meta:
        verbose_name = _("placement event")
        verbose_name_plural = _("placement events")
        ordering = ["run", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"
