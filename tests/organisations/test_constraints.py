"""Rules the database itself holds, so that no code path can write them wrong."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from opvangregie.organisations.constants import OrganisationKind, RelationKind
from opvangregie.organisations.models import Organisation, Relation, Seat
from tests.organisations.factories import BodyFactory, MunicipalityFactory, SeatFactory


@pytest.mark.django_db
def test_period_must_end_after_it_starts() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatFactory(valid_from=datetime.date(2024, 1, 1), valid_to=datetime.date(2024, 1, 1))


@pytest.mark.django_db
def test_seat_needs_a_holder() -> None:
    body = BodyFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Seat.objects.create(body=body, code="leeg", role="member")


@pytest.mark.django_db
def test_seat_codes_are_unique_per_body() -> None:
    seat = SeatFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatFactory(body=seat.body, code=seat.code)


@pytest.mark.django_db
def test_municipality_needs_a_gm_code() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(
            code="x", kind=OrganisationKind.MUNICIPALITY, name="X", cbs_code="PV99"
        )


@pytest.mark.django_db
def test_relation_end_is_a_body_or_an_organisation_not_both() -> None:
    body = BodyFactory()
    municipality = MunicipalityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Relation.objects.create(
            code="r",
            kind=RelationKind.SUPPORTS,
            source_body=body,
            source_organisation=municipality,
            target_body=body,
        )
