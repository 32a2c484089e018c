"""Errors as ``application/problem+json`` (RFC 9457), as the NL API Design Rules require."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    service_error: list[str] | None = None
    if isinstance(exc, DjangoValidationError):
        # A rule of a service (e.g. "no room"): a 400 with the service's own words.
        service_error = exc.messages
        exc = exceptions.ValidationError({"nonFieldErrors": exc.messages})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _title(exc, response.status_code),
        "status": response.status_code,
    }
    if isinstance(exc, exceptions.ValidationError):
        body["detail"] = (
            " ".join(service_error) if service_error else "The request has invalid parameters."
        )
        body["invalidParams"] = _invalid_params(exc.detail)
    elif isinstance(exc, exceptions.APIException):
        body["detail"] = str(exc.detail)
    if request is not None:
        body["instance"] = request.get_full_path()
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _title(exc: Exception, status: int) -> str:
    titles = {
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        405: "Method Not Allowed",
        406: "Not Acceptable",
        429: "Too Many Requests",
    }
    return titles.get(status, exc.__class__.__name__)


def _invalid_params(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    params: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for name, value in detail.items():
            params.extend(
                _invalid_params(value, f"{prefix}{name}" if not prefix else f"{prefix}.{name}")
            )
    elif isinstance(detail, list):
        for item in detail:
            if isinstance(item, dict | list):
                params.extend(_invalid_params(item, prefix))
            else:
                params.append(
                    {
                        "name": prefix or "nonFieldErrors",
                        "code": getattr(item, "code", "invalid"),
                        "reason": str(item),
                    }
                )
    else:
        params.append(
            {
                "name": prefix or "nonFieldErrors",
                "code": getattr(detail, "code", "invalid"),
                "reason": str(detail),
            }
        )
    return params


def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown paths under /api/ answer with a problem, not an HTML page."""
    return JsonResponse(
        {"type": "about:blank", "title": "Not Found", "status": 404, "instance": request.path},
        status=404,
        content_type=PROBLEM_CONTENT_TYPE,
    )
