"""The REST API, version 1. Routes have no trailing slash (NL API Design Rules, API-48)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import DefaultRouter

from opvangregie.organisations.api.views import BodyViewSet, OrganisationViewSet, SeatViewSet

from .exceptions import api_not_found

app_name = "api"

router = DefaultRouter(trailing_slash=False)
router.include_root_view = False
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("bodies", BodyViewSet, basename="body")
router.register("seats", SeatViewSet, basename="seat")

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("", include(router.urls)),
    re_path(r"^.*$", api_not_found),
]
