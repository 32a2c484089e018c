from rest_framework import viewsets

from opvangregie.organisations.models import Body, Organisation, Seat

from .filters import BodyFilterSet, OrganisationFilterSet, SeatFilterSet
from .serializers import BodySerializer, OrganisationSerializer, SeatSerializer


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet[Organisation]):
    """Organisations: the province, safety region, municipalities, housing regions, the TWOV and
    national parties. Filter with `on` for those valid on a date."""

    queryset = Organisation.objects.order_by("kind", "name")
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    lookup_field = "uuid"


class BodyViewSet(viewsets.ReadOnlyModelViewSet[Body]):
    """Bodies: the regional and provincial tables, the steering group, national consultations."""

    queryset = Body.objects.select_related("organisation", "secretary_organisation").order_by(
        "name"
    )
    serializer_class = BodySerializer
    filterset_class = BodyFilterSet
    lookup_field = "uuid"


class SeatViewSet(viewsets.ReadOnlyModelViewSet[Seat]):
    """Seats at bodies, with role, holder and the organisation represented."""

    queryset = Seat.objects.select_related("body", "organisation").order_by(
        "body__name", "role", "code"
    )
    serializer_class = SeatSerializer
    filterset_class = SeatFilterSet
    lookup_field = "uuid"
