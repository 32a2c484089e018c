from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import is_privacy_officer, may_see_personal_data


def access(request: HttpRequest) -> dict[str, object]:
    """What the navigation may offer; evaluated only when a template asks."""
    user = request.user
    return {
        "may_see_personal_data": SimpleLazyObject(
            lambda: bool(user.is_authenticated and may_see_personal_data(user=user))
        ),
        "may_read_audit": SimpleLazyObject(
            lambda: bool(user.is_authenticated and is_privacy_officer(user=user))
        ),
    }
