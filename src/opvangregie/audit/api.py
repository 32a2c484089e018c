"""The API's read paths of personal data write the audit trail through this mixin."""

from collections.abc import Callable, Iterable
from typing import Any

from .constants import AuditAction
from .services import audit_record


class AuditedReadMixin:
    """For viewsets over personal data: every object retrieved and every page listed is recorded,
    one row per household, before the response is rendered."""

    audit_object_type: str = ""
    audit_household: Callable[[Any], Any] = staticmethod(lambda obj: obj.uuid)

    def get_object(self) -> Any:
        obj = super().get_object()  # type: ignore[misc]
        audit_record(
            action=AuditAction.VIEW,
            object_type=self.audit_object_type,
            households=[self.audit_household(obj)],
            object_uuid=obj.uuid,
        )
        return obj

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)  # type: ignore[misc]
        rows: Iterable[Any] = page if page is not None else queryset
        audit_record(
            action=AuditAction.LIST,
            object_type=self.audit_object_type,
            households={self.audit_household(obj) for obj in rows},
        )
        return page
