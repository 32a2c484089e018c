"""Finance API: rates (everyone logged in), declarations (as the finance pages: coordinators
and the municipality's officers; submitting by its finance officers and coordinators), the
TWOV's costs and cost statements (coordinators)."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from opvangregie.finance import selectors, services
from opvangregie.finance.models import CostEntry, CostStatement, Declaration, StandardRate
from opvangregie.organisations.models import Organisation

from .serializers import (
    CostEntrySerializer,
    CostFiguresSerializer,
    CostStatementDetailSerializer,
    CostStatementSerializer,
    CostStatementSubmitSerializer,
    DeclarationDetailSerializer,
    DeclarationFiguresSerializer,
    DeclarationSerializer,
    DeclarationSubmitSerializer,
    PeriodSerializer,
    StandardRateSerializer,
)

PERIOD_PARAMETERS = [
    OpenApiParameter("first_day", datetime.date, required=True, description="First day."),
    OpenApiParameter("last_day", datetime.date, required=True, description="Last day (incl.)."),
]


def _period(request: Request) -> tuple[datetime.date, datetime.date]:
    data = PeriodSerializer(data=request.query_params)
    data.is_valid(raise_exception=True)
    return data.validated_data["first_day"], data.validated_data["last_day"]


def _municipality(user: Any, code: str) -> Organisation:
    try:
        municipality = selectors.municipality_get(code=code)
    except Organisation.DoesNotExist as exc:
        raise ValidationError({"municipality": [f"Unknown municipality {code}."]}) from exc
    if not selectors.may_view_finance(user=user, municipality=municipality.code):
        raise PermissionDenied("You may not see the finances of this municipality.")
    return municipality


class StandardRateViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[StandardRate]):
    """Standard rates (normbedragen) with their validity periods and sources."""

    serializer_class = StandardRateSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[StandardRate]:
        rates = StandardRate.objects.order_by("kind", "valid_from")
        kind = self.request.query_params.get("kind")
        return rates.filter(kind=kind) if kind else rates

    @extend_schema(parameters=[OpenApiParameter("kind", str, description="Rate kind.")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class DeclarationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Declaration]
):
    """Submitted (frozen) declarations per municipality, and the declaration as computed now."""

    serializer_class = DeclarationSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Declaration]:
        user: Any = self.request.user
        declarations = selectors.declarations_visible_to(user=user)
        municipality = self.request.query_params.get("municipality")
        if municipality:
            declarations = declarations.filter(municipality__code=municipality.upper())
        return declarations.order_by("municipality__code", "-first_day", "-version")

    def get_serializer_class(self) -> Any:
        return DeclarationDetailSerializer if self.action == "retrieve" else DeclarationSerializer

    @extend_schema(parameters=[OpenApiParameter("municipality", str, description="CBS code.")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[
            OpenApiParameter("municipality", str, required=True, description="CBS code."),
            *PERIOD_PARAMETERS,
        ],
        responses={200: DeclarationFiguresSerializer},
    )
    @action(detail=False, methods=["get"])
    def preview(self, request: Request) -> Response:
        """The declaration over a period as computed from today's data (not frozen)."""
        municipality = _municipality(request.user, request.query_params.get("municipality", ""))
        first_day, last_day = _period(request)
        figures = selectors.declaration_compute(
            municipality=municipality, first_day=first_day, last_day=last_day
        )
        return Response(figures.as_dict())

    @extend_schema(
        request=DeclarationSubmitSerializer, responses={201: DeclarationDetailSerializer}
    )
    def create(self, request: Request) -> Response:
        """Submit: freeze the declaration as computed now (a correction is the next version)."""
        if not selectors.may_submit_any_declaration(user=request.user):  # type: ignore[arg-type]
            raise PermissionDenied("Only coordinators and finance officers submit declarations.")
        data = DeclarationSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user: Any = request.user
        municipality = _municipality(user, data.validated_data["municipality"])
        try:
            declaration = services.declaration_submit(
                user=user,
                municipality=municipality,
                first_day=data.validated_data["first_day"],
                last_day=data.validated_data["last_day"],
                reason=data.validated_data["reason"],
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        body = DeclarationDetailSerializer(declaration, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class CostEntryViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[CostEntry]
):
    """Costs the TWOV charges to the national government (coordinators)."""

    serializer_class = CostEntrySerializer

    def get_queryset(self) -> QuerySet[CostEntry]:
        user: Any = self.request.user
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return CostEntry.objects.none()
        if not selectors.may_manage_costs(user=user):
            raise PermissionDenied("Only a coordinator of the TWOV may see the costs.")
        return CostEntry.objects.order_by("incurred_on", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user: Any = request.user
        if not selectors.may_manage_costs(user=user):  # who may act, before what was sent
            raise PermissionDenied("Only a coordinator of the TWOV may enter costs.")
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        user: Any = self.request.user
        serializer.instance = services.cost_entry_create(user=user, **serializer.validated_data)


class CostStatementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[CostStatement]
):
    """The TWOV's submitted (frozen) cost statements, and the statement as computed now."""

    serializer_class = CostStatementSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[CostStatement]:
        user: Any = self.request.user
        return selectors.cost_statements_visible_to(user=user).order_by("-first_day", "-version")

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return CostStatementDetailSerializer
        return CostStatementSerializer

    @extend_schema(parameters=PERIOD_PARAMETERS, responses={200: CostFiguresSerializer})
    @action(detail=False, methods=["get"])
    def preview(self, request: Request) -> Response:
        """Costs and totals per category over a period as they stand now (not frozen)."""
        user: Any = request.user
        if not selectors.may_manage_costs(user=user):
            raise PermissionDenied("Only a coordinator of the TWOV may see the costs.")
        first_day, last_day = _period(request)
        return Response(
            selectors.cost_statement_compute(first_day=first_day, last_day=last_day).as_dict()
        )

    @extend_schema(
        request=CostStatementSubmitSerializer, responses={201: CostStatementDetailSerializer}
    )
    def create(self, request: Request) -> Response:
        """Submit: freeze the cost statement as it stands now."""
        if not selectors.may_manage_costs(user=request.user):  # type: ignore[arg-type]
            raise PermissionDenied("Only a coordinator of the TWOV may submit a cost statement.")
        data = CostStatementSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user: Any = request.user
        statement = services.cost_statement_submit(user=user, **data.validated_data)
        body = CostStatementDetailSerializer(statement, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)
