import datetime

import django_filters
from django.db.models import QuerySet

from opvangregie.core.validity import valid_on_q
from opvangregie.organisations.constants import BodyKind, BodyLevel, OrganisationKind, SeatRole
from opvangregie.organisations.models import Body, Organisation, Seat


class ValidOnFilterSet(django_filters.FilterSet):
    on = django_filters.DateFilter(
        method="filter_on", label="Only records valid on this date (YYYY-MM-DD)."
    )

    def filter_on(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(valid_on_q(value))


class OrganisationFilterSet(ValidOnFilterSet):
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices)
    cbs_code = django_filters.CharFilter()
    member_of = django_filters.CharFilter(
        field_name="memberships__group__code",
        label="Code of a group the organisation belongs to.",
        distinct=True,
    )

    class Meta:
        model = Organisation
        fields = ["kind", "cbs_code", "member_of"]


class BodyFilterSet(ValidOnFilterSet):
    kind = django_filters.ChoiceFilter(choices=BodyKind.choices)
    level = django_filters.ChoiceFilter(choices=BodyLevel.choices)

    class Meta:
        model = Body
        fields = ["kind", "level"]


class SeatFilterSet(ValidOnFilterSet):
    body = django_filters.CharFilter(field_name="body__code", label="Code of the body.")
    role = django_filters.ChoiceFilter(choices=SeatRole.choices)
    organisation = django_filters.CharFilter(
        field_name="organisation__code", label="Code of the organisation represented."
    )

    class Meta:
        model = Seat
        fields = ["body", "role", "organisation"]
