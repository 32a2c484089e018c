"""Reads about households, persons and stays, always within what the user may see.

Personal data is visible to coordinators (the whole region) and to municipal officers for the
households that stay, or stayed, in their own municipality, or that are proposed to it (apps
above this one widen the scope through ``SCOPE_EXTENSIONS``). Everyone else sees none. Lists are
filtered here, never in templates; a record outside scope is simply not found (404).
"""

import datetime
from collections.abc import Callable

from django.db.models import Q, QuerySet

from opvangregie.accounts.models import User
from opvangregie.accounts.selectors import is_coordinator, officer_municipalities
from opvangregie.capacity.constants import SHORT_STAY_TYPES
from opvangregie.capacity.selectors import stays_on_q

from .models import Household, Person, Stay

# Widenings of a municipal officer's scope that live in apps above this one (which may not be
# imported here): each takes the officer's municipality codes and returns a Q on Household.
# Registered in the app's ``ready()``; placement adds the households proposed to a municipality.
SCOPE_EXTENSIONS: list[Callable[[set[str]], Q]] = []


def households_visible_to(*, user: User) -> QuerySet[Household]:
    """The one rule for personal data: every page, API call, export and command goes through it."""
    households = Household.objects.all()
    if is_coordinator(user=user):
        return households
    municipalities = officer_municipalities(user=user)
    if not municipalities:
        return households.none()
    visible = Q(
        pk__in=Household.objects.filter(
            persons__stays__location__municipality__code__in=municipalities
        ).values("pk")
    )
    for extension in SCOPE_EXTENSIONS:
        visible |= extension(municipalities)
    return households.filter(visible)


def persons_visible_to(*, user: User) -> QuerySet[Person]:
    return Person.objects.filter(household__in=households_visible_to(user=user))


def stays_visible_to(*, user: User) -> QuerySet[Stay]:
    return Stay.objects.filter(person__household__in=households_visible_to(user=user))


def household_stays(*, household: Household) -> QuerySet[Stay]:
    return (
        Stay.objects.filter(person__household=household)
        .select_related("person", "location", "location__municipality")
        .order_by("start_date", "person__birth_date")
    )


def waiting_at_cno(*, user: User, on: datetime.date) -> QuerySet[Household]:
    """Households of whom someone stays at a crisis location (CNO) on a date."""
    return (
        households_visible_to(user=user)
        .filter(
            stays_on_q(on, "persons__stays__"), persons__stays__location__type__in=SHORT_STAY_TYPES
        )
        .distinct()
    )


def household_search(*, user: User, text: str) -> QuerySet[Household]:
    """Search by name or external id within scope."""
    households = households_visible_to(user=user)
    for word in text.split():
        households = households.filter(
            Q(external_id__icontains=word)
            | Q(persons__given_name__icontains=word)
            | Q(persons__family_name__icontains=word)
        )
    return households.distinct().prefetch_related("persons")
