"""Writes about households and stays: intake, move, departure. One transaction each.

Two rules protect people's places:
- a person never has two overlapping stays;
- a location never holds more people than its allocable capacity on any day.
Both are checked here, after locking the location row, so they hold under concurrent requests;
the database backs the first (exclusion constraint on PostgreSQL, one open stay everywhere).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from opvangregie.accounts.selectors import is_coordinator
from opvangregie.audit.constants import AuditAction
from opvangregie.audit.services import audit_record
from opvangregie.capacity.constants import RECEIVING_STATUSES
from opvangregie.capacity.models import Location
from opvangregie.capacity.selectors import first_overfull_day, location_status_on
from opvangregie.capacity.services import location_lock
from opvangregie.core import bsn
from opvangregie.organisations.models import Organisation

from .constants import Arrival, DepartureReason, Need, Sex, TieKind
from .models import Household, HouseholdNeed, HouseholdTie, Person, Stay


@dataclass(frozen=True)
class PersonData:
    given_name: str
    family_name: str
    birth_date: datetime.date
    sex: str
    nationality: str = "UKR"
    languages: str = ""
    external_id: str | None = None
    bsn: str = ""


@dataclass(frozen=True)
class HouseholdData:
    persons: Sequence[PersonData]
    external_id: str | None = None
    needs: Iterable[str] = ()
    ties: Iterable[tuple[str, str]] = field(default_factory=tuple)  # (cbs_code, kind)
    note: str = ""


@transaction.atomic
def household_create(*, data: HouseholdData) -> Household:
    if not data.persons:
        raise ValidationError(_("A household has at least one person."))
    household = Household(external_id=data.external_id or None, note=data.note)
    household.full_clean(validate_unique=False)
    persons = []
    for person in data.persons:
        if person.sex not in Sex.values:
            raise ValidationError(_("Unknown sex '%(sex)s'.") % {"sex": person.sex})
        row = Person(
            household=household,
            external_id=person.external_id or None,
            given_name=person.given_name,
            family_name=person.family_name,
            birth_date=person.birth_date,
            sex=person.sex,
            nationality=person.nationality,
            languages=person.languages,
        )
        if person.bsn:
            number = bsn.validate(person.bsn)
            row.bsn_encrypted = bsn.encrypt(number)
            row.bsn_hash = bsn.lookup_hash(number)
        # Uniqueness (external ids, BSN) is left to the database's constraints, checked below.
        row.full_clean(exclude=["household"], validate_unique=False)
        persons.append(row)
    try:
        with transaction.atomic():
            household.save()
            Person.objects.bulk_create(persons)
    except IntegrityError as exc:
        raise ValidationError(
            _("A household or person with this external id or BSN exists already.")
        ) from exc
    household_needs_set(household=household, needs=data.needs, audit=False)
    for cbs_code, kind in data.ties:
        if kind not in TieKind.values:
            raise ValidationError(_("Unknown kind of tie '%(kind)s'.") % {"kind": kind})
        municipality = Organisation.objects.filter(code=cbs_code.upper()).first()
        if municipality is None:
            raise ValidationError(_("Unknown municipality %(code)s.") % {"code": cbs_code})
        HouseholdTie.objects.get_or_create(
            household=household, municipality=municipality, kind=kind
        )
    audit_record(
        action=AuditAction.CREATE,
        object_type="household",
        households=[household],
        detail={
            "after": {
                "external_id": household.external_id,
                "persons": len(persons),
                "with_bsn": sum(1 for p in persons if p.bsn_encrypted),
                "needs": sorted(set(data.needs)),
                "ties": sorted(f"{code.upper()}:{kind}" for code, kind in data.ties),
            }
        },
    )
    return household


def _stay_summary(stays: Iterable[Stay]) -> list[dict[str, object]]:
    return [
        {
            "person": str(s.person.uuid),
            "location": s.location.name,
            "start": s.start_date.isoformat(),
            "end": s.end_date.isoformat() if s.end_date else None,
            "departure_reason": s.departure_reason or None,
        }
        for s in stays
    ]


def _audit_stays(
    household: Household, use_case: str, before: list[dict[str, object]], after: Iterable[Stay]
) -> None:
    audit_record(
        action=AuditAction.CHANGE,
        object_type="stay",
        households=[household],
        detail={"use_case": use_case, "before": before, "after": _stay_summary(after)},
    )


def household_needs_set(*, household: Household, needs: Iterable[str], audit: bool = True) -> None:
    wanted = set(needs)
    unknown = wanted - set(Need.values)
    if unknown:
        raise ValidationError(
            _("Unknown need(s): %(needs)s.") % {"needs": ", ".join(sorted(unknown))}
        )
    before = sorted(household.needs.values_list("need", flat=True))
    household.needs.exclude(need__in=wanted).delete()
    have = set(household.needs.values_list("need", flat=True))
    HouseholdNeed.objects.bulk_create(
        HouseholdNeed(household=household, need=n) for n in sorted(wanted - have)
    )
    if audit and before != sorted(wanted):
        audit_record(
            action=AuditAction.CHANGE,
            object_type="household",
            households=[household],
            detail={"before": {"needs": before}, "after": {"needs": sorted(wanted)}},
        )


def _persons_of(household: Household, persons: Sequence[Person] | None) -> list[Person]:
    members = list(household.persons.order_by("pk"))
    if persons is None:
        return members
    ids = {p.pk for p in members}
    strangers = [p for p in persons if p.pk not in ids]
    if strangers:
        raise ValidationError(_("Every person must belong to the household."))
    return list(persons)


def _assert_receiving(location: Location, day: datetime.date) -> None:
    status = location_status_on(location=location, on=day)
    if status not in RECEIVING_STATUSES:
        raise ValidationError(
            _("%(location)s does not take in residents on %(date)s.")
            % {"location": location.name, "date": day.isoformat()}
        )


def _assert_room(location: Location, day: datetime.date, count: int) -> None:
    overfull = first_overfull_day(location=location, start=day, end=None, extra=count)
    if overfull:
        when, occupied, room = overfull
        raise ValidationError(
            _(
                "%(location)s has no room for %(count)d more on %(date)s: %(occupied)d of "
                "%(room)d allocable places are taken."
            )
            % {
                "location": location.name,
                "count": count,
                "date": when.isoformat(),
                "occupied": occupied,
                "room": room,
            }
        )


def _assert_no_overlap(persons: Sequence[Person], start: datetime.date) -> None:
    clash = (
        Stay.objects.filter(person__in=persons)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
        .select_related("person", "location")
        .first()
    )
    if clash:
        raise ValidationError(
            _("%(person)s already stays at %(location)s from %(date)s.")
            % {
                "person": f"{clash.person.given_name} {clash.person.family_name}",
                "location": clash.location.name,
                "date": clash.start_date.isoformat(),
            }
        )


def _create_stays(
    persons: Sequence[Person], location: Location, day: datetime.date, arrival: str
) -> list[Stay]:
    try:
        with transaction.atomic():
            return Stay.objects.bulk_create(
                Stay(person=p, location=location, start_date=day, arrival=arrival) for p in persons
            )
    except IntegrityError as exc:  # the database's own guard against overlapping stays
        raise ValidationError(_("A person in this household already has a stay then.")) from exc


@transaction.atomic
def stay_intake(
    *,
    household: Household,
    location: Location,
    on: datetime.date,
    persons: Sequence[Person] | None = None,
) -> list[Stay]:
    """Check in a household (or some of its members) at a location from a date."""
    members = _persons_of(household, persons)
    location = location_lock(location=location)
    _assert_receiving(location, on)
    _assert_no_overlap(members, on)
    _assert_room(location, on, len(members))
    stays = _create_stays(members, location, on, Arrival.INTAKE)
    _audit_stays(household, "intake", [], stays)
    return stays


def _current_stays(members: Sequence[Person], on: datetime.date) -> list[Stay]:
    stays = list(
        Stay.objects.select_for_update()
        .filter(person__in=members, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .select_related("person", "location")
    )
    missing = {p.pk for p in members} - {s.person_id for s in stays}
    if missing:
        raise ValidationError(_("Not every person of the household stays somewhere on this date."))
    later = Stay.objects.filter(person__in=members, start_date__gt=on).exists()
    if later:
        raise ValidationError(_("There are stays after this date; change those first."))
    return stays


@transaction.atomic
def stay_move(
    *,
    household: Household,
    to_location: Location,
    on: datetime.date,
    persons: Sequence[Person] | None = None,
) -> list[Stay]:
    """End the current stays on ``on`` and start new ones at ``to_location`` the same day."""
    members = _persons_of(household, persons)
    to_location = location_lock(location=to_location)
    current = _current_stays(members, on)
    if any(s.location_id == to_location.pk for s in current):
        raise ValidationError(
            _("The household already stays at %(location)s.") % {"location": to_location.name}
        )
    if any(s.start_date == on for s in current):
        raise ValidationError(
            _("A stay that starts on this date cannot end on it; choose a later date.")
        )
    _assert_receiving(to_location, on)
    before = _stay_summary(current)
    for stay in current:
        stay.end_date = on
        stay.save(update_fields=["end_date", "updated_at"])
    _assert_room(to_location, on, len(members))
    stays = _create_stays(members, to_location, on, Arrival.MOVE)
    _audit_stays(household, "move", before, [*current, *stays])
    return stays


@transaction.atomic
def stay_depart(
    *,
    household: Household,
    on: datetime.date,
    reason: str,
    persons: Sequence[Person] | None = None,
) -> list[Stay]:
    """End the current stays with a reason (returned, other region, own housing, …)."""
    if reason not in DepartureReason.values:
        raise ValidationError(_("Choose a reason for the departure."))
    members = _persons_of(household, persons)
    current = _current_stays(members, on)
    if any(s.start_date == on for s in current):
        raise ValidationError(
            _("A stay that starts on this date cannot end on it; choose a later date.")
        )
    before = _stay_summary(current)
    for stay in current:
        stay.end_date = on
        stay.departure_reason = reason
        stay.save(update_fields=["end_date", "departure_reason", "updated_at"])
    _audit_stays(household, "departure", before, current)
    return current


def person_bsn_reveal(*, user: object, person: Person) -> str:
    """Show one person's BSN to a coordinator who asks for it explicitly; on the audit trail."""
    if not is_coordinator(user=user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only a coordinator may see a BSN."))
    if not person.bsn_encrypted:
        raise ValidationError(_("No BSN is on record for this person."))
    with transaction.atomic():
        audit_record(
            action=AuditAction.REVEAL_BSN,
            object_type="person",
            households=[person.household.uuid],
            object_uuid=person.uuid,
            user=user,
        )
        return bsn.decrypt(person.bsn_encrypted)
