from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .second_factor import second_factor_required

# Paths a user who still owes the second factor may reach.
_OPEN = ("/second-factor/", "/logout/", "/static/", "/i18n/")


class RequireSecondFactorMiddleware:
    """Users whose role requires a one-time password reach nothing but the second-factor page
    until they have confirmed one in this session (pages: redirect; API: 403)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OPEN)
            and second_factor_required(user=user)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {
                        "type": "about:blank",
                        "title": "Forbidden",
                        "status": 403,
                        "detail": "Confirm your one-time password on the web first.",
                    },
                    status=403,
                    content_type="application/problem+json",
                )
            return redirect(f"{reverse('second_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
