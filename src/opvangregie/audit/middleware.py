from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .constants import Interface
from .context import acting


class AuditContextMiddleware:
    """Records, for the audit trail, the user of the request and the interface it came through."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            interface = Interface.API
        elif request.path.startswith("/admin/"):
            interface = Interface.ADMIN
        else:
            interface = Interface.PAGE
        # The API authenticates later (token or session): the user is read lazily from the request.
        with acting(request, str(interface)):
            return self.get_response(request)
