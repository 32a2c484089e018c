from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opvangregie.accounts.selectors import may_manage_municipality
from opvangregie.capacity import services
from opvangregie.capacity.models import Location
from opvangregie.capacity.selectors import occupancy_on
from opvangregie.core.dates import InvalidDateError, parse_on
from opvangregie.organisations.models import Organisation

from .serializers import (
    CapacityChangeSerializer,
    LocationCreateSerializer,
    LocationSerializer,
    LocationUpdateSerializer,
    OccupancyRowSerializer,
    StatusChangeSerializer,
)


def assert_may_manage(request: Request, municipality_code: str) -> None:
    """Coordinators manage every location; municipal officers those of their municipality."""
    user: Any = request.user
    if may_manage_municipality(user=user, municipality_code=municipality_code):
        return
    raise PermissionDenied("You may not manage locations of this municipality.")


class LocationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Location],
):
    """Reception locations with their status history and capacity history."""

    serializer_class = LocationSerializer
    lookup_field = "uuid"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Location]:
        qs = Location.objects.select_related("municipality").prefetch_related(
            "features", "status_events", "capacity__units"
        )
        municipality = self.request.query_params.get("municipality")
        if municipality:
            qs = qs.filter(municipality__code=municipality.upper())
        kind = self.request.query_params.get("type")
        if kind:
            qs = qs.filter(type=kind)
        return qs.order_by("name")

    @extend_schema(
        parameters=[
            OpenApiParameter("municipality", str, description="CBS code of the municipality."),
            OpenApiParameter("type", str, enum=["cno", "municipal", "private_hosting", "other"]),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=LocationCreateSerializer, responses={201: LocationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = LocationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        code = values.pop("municipality").upper()
        assert_may_manage(request, code)
        municipality = Organisation.objects.filter(code=code).first()
        if municipality is None:
            raise ValidationError({"municipality": [f"Unknown municipality {code}."]})
        units = {int(k): v for k, v in (values.pop("units", None) or {}).items()}
        location = services.location_create(municipality=municipality, units=units, **values)
        body = LocationSerializer(location, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=LocationUpdateSerializer, responses={200: LocationSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        location = self.get_object()
        assert_may_manage(request, location.municipality.code)
        data = LocationUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        features = values.pop("features", None)
        services.location_update_with_features(location=location, data=values, features=features)
        return Response(LocationSerializer(self.get_object(), context={"request": request}).data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not kwargs.get("partial"):
            raise NotFound()
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=CapacityChangeSerializer, responses={201: LocationSerializer})
    @action(detail=True, methods=["post"], url_path="capacity")
    def capacity(self, request: Request, uuid: str | None = None) -> Response:
        """A capacity change from a date on; refused if residents would no longer fit."""
        location = self.get_object()
        assert_may_manage(request, location.municipality.code)
        data = CapacityChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        units = {int(k): v for k, v in (values.pop("units", None) or {}).items()}
        services.capacity_change(location=location, units=units, **values)
        body = LocationSerializer(self.get_object(), context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=StatusChangeSerializer, responses={201: LocationSerializer})
    @action(detail=True, methods=["post"], url_path="status")
    def status_change(self, request: Request, uuid: str | None = None) -> Response:
        """Move the location through planned → open → closing → closed."""
        location = self.get_object()
        assert_may_manage(request, location.municipality.code)
        data = StatusChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.location_status_change(location=location, **data.validated_data)
        body = LocationSerializer(self.get_object(), context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class OccupancyView(APIView):
    """Occupancy per location on a date (default today), with totals."""

    @extend_schema(
        parameters=[
            OpenApiParameter("on", str, description="Date YYYY-MM-DD (default: today)."),
            OpenApiParameter("municipality", str, description="CBS code."),
        ],
        responses=inline_serializer(
            "Occupancy",
            {
                "on": serializers.DateField(),
                "locations": OccupancyRowSerializer(many=True),
                "municipalities": serializers.DictField(child=serializers.DictField()),
                "housing_regions": serializers.DictField(child=serializers.DictField()),
                "short_stay": serializers.DictField(),
                "long_stay": serializers.DictField(),
                "total": serializers.DictField(),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        try:
            on = parse_on(request.query_params.get("on"))
        except InvalidDateError as exc:
            raise ValidationError({"on": [str(exc)]}) from exc
        result = occupancy_on(on=on, municipality=request.query_params.get("municipality") or None)
        return Response(result.as_dict())
