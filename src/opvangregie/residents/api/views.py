from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from opvangregie.accounts.selectors import may_manage_municipality, may_see_personal_data
from opvangregie.audit.api import AuditedReadMixin
from opvangregie.capacity.models import Location
from opvangregie.capacity.selectors import stays_on_q
from opvangregie.core.dates import InvalidDateError, parse_on
from opvangregie.residents import selectors, services
from opvangregie.residents.models import Household, Person, Stay

from .serializers import (
    DepartureSerializer,
    HouseholdCreateSerializer,
    HouseholdSerializer,
    IntakeSerializer,
    PersonSerializer,
    StaySerializer,
)


def _location_for(request: Request, uuid: Any) -> Location:
    """The target of an intake or move: coordinators anywhere, officers in their municipality."""
    location = Location.objects.select_related("municipality").filter(uuid=uuid).first()
    if location is None:
        raise DjangoValidationError("Unknown location.")
    user: Any = request.user
    if not may_manage_municipality(user=user, municipality_code=location.municipality.code):
        raise PermissionDenied("You may not place residents at this location.")
    return location


class HouseholdViewSet(
    AuditedReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Household],
):
    """Households with their persons, needs and ties — only those you may see."""

    serializer_class = HouseholdSerializer
    lookup_field = "uuid"
    audit_object_type = "household"

    def get_queryset(self) -> QuerySet[Household]:
        user: Any = self.request.user
        qs = selectors.households_visible_to(user=user).prefetch_related(
            "persons", "needs", "ties__municipality"
        )
        query = self.request.query_params.get("q")
        if query:
            qs = qs.filter(pk__in=selectors.household_search(user=user, text=query))
        return qs.order_by("created_at")

    @extend_schema(parameters=[OpenApiParameter("q", str, description="Search names or ids.")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=HouseholdCreateSerializer, responses={201: HouseholdSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Register a household; with `location` and `intake_on` it is checked in at once."""
        user: Any = request.user
        if not may_see_personal_data(user=user):
            raise PermissionDenied("You may not register households.")
        data = HouseholdCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if bool(values.get("location")) != bool(values.get("intake_on")):
            raise DjangoValidationError("Give both a location and an intake date, or neither.")
        location = _location_for(request, values["location"]) if values.get("location") else None
        with transaction.atomic():
            household = services.household_create(
                data=services.HouseholdData(
                    persons=[services.PersonData(**p) for p in values["persons"]],
                    external_id=values.get("external_id"),
                    needs=values["needs"],
                    ties=[(t["municipality"], t["kind"]) for t in values["ties"]],
                    note=values["note"],
                )
            )
            if location is not None:
                services.stay_intake(household=household, location=location, on=values["intake_on"])
        body = HouseholdSerializer(household, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=IntakeSerializer, responses={201: StaySerializer(many=True)})
    @action(detail=True, methods=["post"])
    def intake(self, request: Request, uuid: str | None = None) -> Response:
        """Check the household in at a location from a date."""
        household = self.get_object()
        data = IntakeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        location = _location_for(request, data.validated_data["location"])
        stays = services.stay_intake(
            household=household, location=location, on=data.validated_data["on"]
        )
        return Response(StaySerializer(stays, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IntakeSerializer, responses={201: StaySerializer(many=True)})
    @action(detail=True, methods=["post"])
    def move(self, request: Request, uuid: str | None = None) -> Response:
        """Move the household to another location on a date."""
        household = self.get_object()
        data = IntakeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        location = _location_for(request, data.validated_data["location"])
        stays = services.stay_move(
            household=household, to_location=location, on=data.validated_data["on"]
        )
        return Response(StaySerializer(stays, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DepartureSerializer, responses={200: StaySerializer(many=True)})
    @action(detail=True, methods=["post"])
    def departure(self, request: Request, uuid: str | None = None) -> Response:
        """End the household's stays with a reason."""
        household = self.get_object()
        data = DepartureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        stays = services.stay_depart(household=household, **data.validated_data)
        return Response(StaySerializer(stays, many=True).data)


class PersonViewSet(AuditedReadMixin, viewsets.ReadOnlyModelViewSet[Person]):
    """Persons — only those of households you may see."""

    serializer_class = PersonSerializer
    lookup_field = "uuid"
    audit_object_type = "person"
    audit_household = staticmethod(lambda person: person.household.uuid)

    def get_queryset(self) -> QuerySet[Person]:
        user: Any = self.request.user
        return selectors.persons_visible_to(user=user).select_related("household").order_by("pk")


class StayViewSet(AuditedReadMixin, viewsets.ReadOnlyModelViewSet[Stay]):
    """Stays — only those of households you may see. Filter with `on`, `location`, `household`."""

    serializer_class = StaySerializer
    lookup_field = "uuid"
    audit_object_type = "stay"
    audit_household = staticmethod(lambda stay: stay.person.household.uuid)

    def get_queryset(self) -> QuerySet[Stay]:
        user: Any = self.request.user
        qs = selectors.stays_visible_to(user=user).select_related("person__household", "location")
        params = self.request.query_params
        if params.get("on"):
            try:
                qs = qs.filter(stays_on_q(parse_on(params["on"])))
            except InvalidDateError as exc:
                raise DjangoValidationError(str(exc)) from exc
        if params.get("location"):
            qs = qs.filter(location__uuid=params["location"])
        if params.get("household"):
            qs = qs.filter(person__household__uuid=params["household"])
        return qs.order_by("start_date", "pk")

    @extend_schema(
        parameters=[
            OpenApiParameter("on", str, description="Stays that count on this date."),
            OpenApiParameter("location", str, description="UUID of a location."),
            OpenApiParameter("household", str, description="UUID of a household."),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)
