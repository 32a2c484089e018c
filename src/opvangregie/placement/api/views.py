from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from opvangregie.accounts.selectors import is_coordinator
from opvangregie.allocation.domain import Weights
from opvangregie.audit.constants import AuditAction
from opvangregie.audit.services import audit_record
from opvangregie.capacity.models import Location
from opvangregie.placement import selectors, services
from opvangregie.placement.models import PlacementRun, ProposalLine

from .serializers import (
    ApprovalSerializer,
    ApproveSerializer,
    OverrideSerializer,
    PlacementRunDetailSerializer,
    PlacementRunSerializer,
    ProposalLineSerializer,
    RespondSerializer,
    RunCreateSerializer,
)


def _require_coordinator(user: Any) -> None:
    """Who may act is answered before what they sent is checked."""
    if not is_coordinator(user=user):
        raise PermissionDenied("Only a coordinator of the TWOV may do this.")


def _weights(values: dict[str, float] | None) -> Weights | None:
    if not values:
        return None
    known = set(Weights().as_dict())
    unknown = sorted(set(values) - known)
    if unknown:
        raise DjangoValidationError(
            f"Unknown weight(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}."
        )
    return Weights(**values)


class PlacementRunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[PlacementRun],
):
    """Placement proposals: coordinators see all; municipal officers those sent to their
    municipality, with only the households proposed to it."""

    serializer_class = PlacementRunSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[PlacementRun]:
        user: Any = self.request.user
        return selectors.runs_visible_to(user=user).order_by("-created_at")

    def _detail(self, run: PlacementRun, status_code: int = status.HTTP_200_OK) -> Response:
        user: Any = self.request.user
        lines = list(selectors.lines_visible_to(user=user, run=run))
        audit_record(
            action=AuditAction.LIST,
            object_type="proposal_line",
            households=[x.household.uuid for x in lines],
            detail={"run": str(run.uuid)},
        )
        review = selectors.review(run=run, lines=lines)
        coordinator = is_coordinator(user=user)
        context = {
            "request": self.request,
            "lines": lines,
            "review": review if coordinator else None,
            "events": run.events.select_related("actor", "line").order_by("at", "pk")
            if coordinator
            else None,
        }
        return Response(PlacementRunDetailSerializer(run, context=context).data, status=status_code)

    @extend_schema(responses={200: PlacementRunDetailSerializer})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A proposal with its lines (with explanations), fairness per municipality and history."""
        return self._detail(self.get_object())

    @extend_schema(request=RunCreateSerializer, responses={201: PlacementRunDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Compute a proposal for the households waiting on a date (coordinators)."""
        data = RunCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        weights = _weights(values.pop("weights", None))
        user: Any = request.user
        run = services.run_create(user=user, weights=weights, **values)
        return self._detail(run, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: PlacementRunSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request: Request, uuid: str | None = None) -> Response:
        """Send a draft to the receiving municipalities."""
        user: Any = request.user
        run = services.run_send(user=user, run=self.get_object())
        return Response(PlacementRunSerializer(run, context={"request": request}).data)

    @extend_schema(request=ApproveSerializer, responses={200: ApprovalSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, uuid: str | None = None) -> Response:
        """Place the accepted households from a date; conflicts are reported per household."""
        run = self.get_object()
        user: Any = request.user
        _require_coordinator(user)
        data = ApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approval = services.run_approve(user=user, run=run, on=data.validated_data["on"])
        body = ApprovalSerializer(
            {"placed": approval.placed, "conflicts": approval.conflicts},
            context={"request": request},
        ).data
        return Response(body)

    @extend_schema(request=None, responses={200: PlacementRunSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, uuid: str | None = None) -> Response:
        """Close a sent proposal or withdraw a draft."""
        user: Any = request.user
        run = services.run_close(user=user, run=self.get_object())
        return Response(PlacementRunSerializer(run, context={"request": request}).data)


class ProposalLineViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[ProposalLine]):
    """One household in a proposal: override (coordinators) or answer (receiving municipality)."""

    serializer_class = ProposalLineSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[ProposalLine]:
        user: Any = self.request.user
        return selectors.proposal_lines_visible_to(user=user).order_by("pk")

    def _line(self, line: ProposalLine) -> Response:
        audit_record(
            action=AuditAction.VIEW,
            object_type="proposal_line",
            households=[line.household.uuid],
            object_uuid=line.uuid,
        )
        line.explanation = selectors.explain(line, selectors.run_picture(line.run))  # type: ignore[attr-defined]
        return Response(ProposalLineSerializer(line, context={"request": self.request}).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._line(self.get_object())

    @extend_schema(request=OverrideSerializer, responses={200: ProposalLineSerializer})
    @action(detail=True, methods=["post"])
    def override(self, request: Request, uuid: str | None = None) -> Response:
        """Move the household by hand (location null: leave it unplaced), with a reason."""
        line = self.get_object()
        _require_coordinator(request.user)
        data = OverrideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        location = None
        if data.validated_data["location"] is not None:
            location = Location.objects.filter(uuid=data.validated_data["location"]).first()
            if location is None:
                raise DjangoValidationError("Unknown location.")
        user: Any = request.user
        line = services.line_override(
            user=user, line=line, location=location, reason=data.validated_data["reason"]
        )
        return self._line(line)

    @extend_schema(request=RespondSerializer, responses={200: ProposalLineSerializer})
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, uuid: str | None = None) -> Response:
        """The receiving municipality accepts or declines (with a reason) the household."""
        line = self.get_object()
        data = RespondSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user: Any = request.user
        line = services.line_respond(user=user, line=line, **data.validated_data)
        return self._line(line)
