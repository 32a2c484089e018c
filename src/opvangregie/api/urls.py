"""The REST API, version 1. Routes have no trailing slash (NL API Design Rules, API-48)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import DefaultRouter

from opvangregie.capacity.api.views import LocationViewSet, OccupancyView
from opvangregie.finance.api.views import (
    CostEntryViewSet,
    CostStatementViewSet,
    DeclarationViewSet,
    StandardRateViewSet,
)
from opvangregie.governance.api.views import (
    AgreementViewSet,
    DecisionViewSet,
    EscalationViewSet,
    MeetingViewSet,
)
from opvangregie.monitoring.api.views import FiguresView, FlowsView, ForecastView
from opvangregie.organisations.api.views import BodyViewSet, OrganisationViewSet, SeatViewSet
from opvangregie.placement.api.views import PlacementRunViewSet, ProposalLineViewSet
from opvangregie.reports.api.views import ReportViewSet
from opvangregie.residents.api.views import HouseholdViewSet, PersonViewSet, StayViewSet

from .exceptions import api_not_found

app_name = "api"

router = DefaultRouter(trailing_slash=False)
router.include_root_view = False
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("bodies", BodyViewSet, basename="body")
router.register("seats", SeatViewSet, basename="seat")
router.register("locations", LocationViewSet, basename="location")
router.register("households", HouseholdViewSet, basename="household")
router.register("persons", PersonViewSet, basename="person")
router.register("stays", StayViewSet, basename="stay")
router.register("placement-runs", PlacementRunViewSet, basename="placement-run")
router.register("proposal-lines", ProposalLineViewSet, basename="proposal-line")
router.register("standard-rates", StandardRateViewSet, basename="standard-rate")
router.register("declarations", DeclarationViewSet, basename="declaration")
router.register("cost-entries", CostEntryViewSet, basename="cost-entry")
router.register("cost-statements", CostStatementViewSet, basename="cost-statement")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("dilemmas", EscalationViewSet, basename="escalation")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("reports", ReportViewSet, basename="report")

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("occupancy", OccupancyView.as_view(), name="occupancy"),
    path("figures", FiguresView.as_view(), name="figures"),
    path("flows", FlowsView.as_view(), name="flows"),
    path("forecast", ForecastView.as_view(), name="forecast"),
    path("", include(router.urls)),
    re_path(r"^.*$", api_not_found),
]
