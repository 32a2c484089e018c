"""Retention: a household's personal data goes once the retention period after its last stay
has passed. Names are removed, the birth date becomes 1 January of its year, the BSN and the
external ids are removed; sex, year of birth, stays, needs and ties remain, so every figure of
the past stays the same. Safe to run every day: what is done is not done again."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from opvangregie.audit.constants import AuditAction
from opvangregie.audit.services import audit_record
from opvangregie.core.dates import add_months

from .models import Household, Person, Stay

ANONYMOUS = "—"


@dataclass(frozen=True)
class RetentionReport:
    cutoff: datetime.date
    households: int
    persons: int
    applied: bool


def expired_households(*, today: datetime.date, months: int) -> QuerySet[Household]:
    """Not yet anonymised; no stay open or ending after the cutoff; and either a last stay that
    ended before the cutoff or, never having arrived, registered before it."""
    cutoff = add_months(today, -months)
    still_here = Stay.objects.filter(Q(end_date__isnull=True) | Q(end_date__gt=cutoff)).values(
        "person__household_id"
    )
    return (
        Household.objects.filter(anonymised_at__isnull=True)
        .exclude(pk__in=still_here)
        .annotate(last_day=Max("persons__stays__end_date"))
        .filter(Q(last_day__isnull=False) | Q(created_at__date__lt=cutoff))
        .order_by("pk")
    )


def retention_run(*, today: datetime.date, months: int, apply: bool) -> RetentionReport:
    cutoff = add_months(today, -months)
    with transaction.atomic():
        expired = list(expired_households(today=today, months=months).values_list("pk", flat=True))
        # Lock the rows themselves (PostgreSQL allows no FOR UPDATE beside the GROUP BY above).
        households = list(
            Household.objects.filter(pk__in=expired, anonymised_at__isnull=True)
            .order_by("pk")
            .select_for_update()
        )
        persons = list(Person.objects.filter(household__in=households))
        if apply and households:
            now = timezone.now()
            for person in persons:
                person.given_name = ANONYMOUS
                person.family_name = ANONYMOUS
                person.birth_date = datetime.date(person.birth_date.year, 1, 1)
                person.bsn_encrypted = ""
                person.bsn_hash = None
                person.external_id = None
            Person.objects.bulk_update(
                persons,
                [
                    "given_name",
                    "family_name",
                    "birth_date",
                    "bsn_encrypted",
                    "bsn_hash",
                    "external_id",
                ],
            )
            Household.objects.filter(pk__in=[h.pk for h in households]).update(
                anonymised_at=now, external_id=None, note=""
            )
            audit_record(
                action=AuditAction.ANONYMISE,
                object_type="household",
                households=[h.uuid for h in households],
                detail={"retention_months": months, "cutoff": cutoff.isoformat()},
            )
    return RetentionReport(
        cutoff=cutoff, households=len(households), persons=len(persons), applied=apply
    )
