from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .dashboard import dashboard_scope
from .selectors import audiences_visible_to


def navigation(request: HttpRequest) -> dict[str, object]:
    """Whether the menu offers the weekly reports; evaluated only when a template asks."""
    user = request.user
    return {
        "may_see_reports": SimpleLazyObject(
            lambda: bool(user.is_authenticated and audiences_visible_to(user=user))
        ),
        "may_see_dashboard": SimpleLazyObject(
            lambda: bool(user.is_authenticated and not dashboard_scope(user=user).is_empty)
        ),
    }
