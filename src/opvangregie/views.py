from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opvangregie.accounts.selectors import user_roles
from opvangregie.core.dates import today
from opvangregie.organisations.selectors import regime_on


@login_required
def home(request: HttpRequest) -> HttpResponse:
    day = today()
    return render(
        request,
        "home.html",
        {
            "roles": user_roles(user=request.user, on=day),  # type: ignore[arg-type]
            "regime": regime_on(on=day),
            "today": day,
        },
    )
