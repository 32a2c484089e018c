"""Issued weekly reports over the API: the versions a user may read, one version as it was
sent (figures and checksum), and issuing a new version (coordinators; an RRT secretary for
their own RRT)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from opvangregie.reports import selectors, services
from opvangregie.reports.models import IssuedReport

from .serializers import FrozenReportSerializer, IssuedReportSerializer, ReportIssueSerializer


class ChecksumMismatch(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The stored report does not match its checksum; it is not given out."
    default_code = "checksum_mismatch"


class ReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[IssuedReport],
):
    """Issued weekly reports of the audiences you may read: coordinators and steering group
    members all; RRT members and secretaries their own RRT's; the province the PRT's."""

    serializer_class = IssuedReportSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[IssuedReport]:
        user: Any = self.request.user
        return selectors.reports_visible_to(user=user)

    def _frozen(self, report: IssuedReport, status_code: int = status.HTTP_200_OK) -> Response:
        try:
            frozen = selectors.report_frozen(report=report)
        except selectors.ReportIntegrityError as exc:
            raise ChecksumMismatch from exc
        report.previous_version = frozen.previous_version  # type: ignore[attr-defined]
        report.figures = frozen.content  # type: ignore[attr-defined]
        report.changes = frozen.changes  # type: ignore[attr-defined]
        body = FrozenReportSerializer(report, context={"request": self.request}).data
        return Response(body, status=status_code)

    @extend_schema(responses={200: FrozenReportSerializer})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One issued version exactly as sent, after checking its SHA-256 checksum (409 if the
        stored report was changed)."""
        return self._frozen(self.get_object())

    @extend_schema(request=ReportIssueSerializer, responses={201: FrozenReportSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Issue (freeze) the report of an audience for a week as its next version."""
        user: Any = request.user
        if not selectors.audiences_issuable_by(user=user):  # who may act, before what was sent
            raise PermissionDenied("You may not issue reports.")
        data = ReportIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_issue(user=user, **data.validated_data)
        return self._frozen(report, status.HTTP_201_CREATED)
