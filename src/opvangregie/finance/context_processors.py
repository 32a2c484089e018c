from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import finance_scope


def access(request: HttpRequest) -> dict[str, object]:
    """Whether the navigation offers the finance pages; evaluated only when a template asks."""
    user = request.user
    return {
        "may_see_finance": SimpleLazyObject(
            lambda: bool(user.is_authenticated and finance_scope(user=user) != set())
        )
    }
