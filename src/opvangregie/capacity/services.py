"""Writes about locations and capacity: one transaction per use case, rules checked here.

A location never holds more people than its allocable capacity on any day: a capacity change
or a closure that would leave residents without a bed is refused.
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opvangregie.organisations.constants import OrganisationKind
from opvangregie.organisations.models import Organisation
from opvangregie.organisations.selectors import municipalities_on

from .constants import ALLOWED_TRANSITIONS, Feature, LocationStatus, LocationType
from .distribution import largest_remainder
from .models import (
    CapacityRecord,
    CapacityUnit,
    DistributionKey,
    DistributionShare,
    Location,
    LocationFeature,
    LocationStatusEvent,
    RegionalTask,
    Target,
)
from .selectors import first_overfull_day


def _overfull_error(
    location: Location, day: datetime.date, occupied: int, room: int
) -> ValidationError:
    return ValidationError(
        _(
            "%(location)s would hold %(occupied)d residents on %(date)s with room for "
            "%(room)d. Move residents first."
        )
        % {"location": location.name, "occupied": occupied, "date": day.isoformat(), "room": room}
    )


def location_lock(*, location: Location) -> Location:
    """Lock the location row for the rest of the transaction (capacity is scarce)."""
    return Location.objects.select_for_update().get(pk=location.pk)


def _check_units(beds: int, units: Mapping[int, int] | None) -> None:
    if not units:
        return
    total = sum(size * count for size, count in units.items())
    if total > beds:
        raise ValidationError(
            _("The units hold %(total)d beds, more than the %(beds)d beds of the location.")
            % {"total": total, "beds": beds}
        )


@transaction.atomic
def location_create(
    *,
    name: str,
    type: str,
    municipality: Organisation,
    beds: int,
    opens_on: datetime.date,
    status: str = LocationStatus.OPEN,
    blocked_beds: int = 0,
    blocked_reason: str = "",
    units: Mapping[int, int] | None = None,
    features: Iterable[str] = (),
    external_id: str | None = None,
    lets_units: bool = False,
    is_backup: bool = False,
    street: str = "",
    postcode: str = "",
    place: str = "",
    note: str = "",
) -> Location:
    if municipality.kind != OrganisationKind.MUNICIPALITY:
        raise ValidationError(_("A location lies in a municipality."))
    if status not in (LocationStatus.PLANNED, LocationStatus.OPEN):
        raise ValidationError(_("A new location is planned or open."))
    if type not in LocationType.values:
        raise ValidationError(_("Unknown location type '%(type)s'.") % {"type": type})
    location = Location(
        name=name,
        type=type,
        municipality=municipality,
        external_id=external_id or None,
        lets_units=lets_units,
        is_backup=is_backup,
        street=street,
        postcode=postcode,
        place=place,
        note=note,
    )
    location.full_clean()
    location.save()
    location_features_set(location=location, features=features)
    LocationStatusEvent.objects.create(location=location, status=status, effective_date=opens_on)
    _capacity_record_write(
        location=location,
        valid_from=opens_on,
        beds=beds,
        blocked_beds=blocked_beds,
        blocked_reason=blocked_reason,
        units=units,
    )
    return location


def location_features_set(*, location: Location, features: Iterable[str]) -> None:
    wanted = set(features)
    unknown = wanted - set(Feature.values)
    if unknown:
        raise ValidationError(
            _("Unknown feature(s): %(features)s.") % {"features": ", ".join(sorted(unknown))}
        )
    location.features.exclude(feature__in=wanted).delete()
    have = set(location.features.values_list("feature", flat=True))
    LocationFeature.objects.bulk_create(
        LocationFeature(location=location, feature=f) for f in sorted(wanted - have)
    )


def _capacity_record_write(
    *,
    location: Location,
    valid_from: datetime.date,
    beds: int,
    blocked_beds: int,
    blocked_reason: str,
    units: Mapping[int, int] | None,
    note: str = "",
) -> CapacityRecord:
    if beds < 0 or blocked_beds < 0:
        raise ValidationError(_("Numbers of beds cannot be negative."))
    if blocked_beds > beds:
        raise ValidationError(
            _("%(blocked)d blocked beds is more than the %(beds)d beds of the location.")
            % {"blocked": blocked_beds, "beds": beds}
        )
    _check_units(beds, units)
    record, _created = CapacityRecord.objects.update_or_create(
        location=location,
        valid_from=valid_from,
        defaults={
            "beds": beds,
            "blocked_beds": blocked_beds,
            "blocked_reason": blocked_reason,
            "note": note,
        },
    )
    record.units.all().delete()
    CapacityUnit.objects.bulk_create(
        CapacityUnit(record=record, size=size, count=count)
        for size, count in sorted((units or {}).items())
    )
    return record


@transaction.atomic
def capacity_change(
    *,
    location: Location,
    valid_from: datetime.date,
    beds: int,
    blocked_beds: int = 0,
    blocked_reason: str = "",
    units: Mapping[int, int] | None = None,
    note: str = "",
) -> CapacityRecord:
    """A new capacity from a date on (history is kept). Refused if residents would not fit."""
    location = location_lock(location=location)
    record = _capacity_record_write(
        location=location,
        valid_from=valid_from,
        beds=beds,
        blocked_beds=blocked_beds,
        blocked_reason=blocked_reason,
        units=units,
        note=note,
    )
    overfull = first_overfull_day(location=location, start=valid_from, end=None, extra=0)
    if overfull:
        raise _overfull_error(location, *overfull)
    return record


@transaction.atomic
def location_status_change(
    *, location: Location, status: str, effective_date: datetime.date, note: str = ""
) -> LocationStatusEvent:
    """Move a location through its lifecycle (planned → open → closing → closed)."""
    if status not in LocationStatus.values:
        raise ValidationError(_("Unknown status '%(status)s'.") % {"status": status})
    location = location_lock(location=location)
    last = location.status_events.order_by("-effective_date").first()
    if last is not None and effective_date <= last.effective_date:
        raise ValidationError(
            _("The status changes after %(date)s, the date of the last change.")
            % {"date": last.effective_date.isoformat()}
        )
    if last is not None and status not in ALLOWED_TRANSITIONS[last.status]:
        raise ValidationError(
            _("A location cannot go from %(old)s to %(new)s.")
            % {"old": LocationStatus(last.status).label, "new": LocationStatus(status).label}
        )
    event = LocationStatusEvent.objects.create(
        location=location, status=status, effective_date=effective_date, note=note
    )
    overfull = first_overfull_day(location=location, start=effective_date, end=None, extra=0)
    if overfull:
        raise _overfull_error(location, *overfull)
    return event


def location_update(*, location: Location, data: Mapping[str, Any]) -> Location:
    """Change descriptive fields (name, address, note, flags); not type, status or capacity."""
    allowed = {"name", "street", "postcode", "place", "note", "lets_units", "is_backup"}
    for name, value in data.items():
        if name not in allowed:
            raise ValidationError(_("'%(field)s' cannot be changed here.") % {"field": name})
        setattr(location, name, value)
    location.full_clean()
    location.save()
    return location


@transaction.atomic
def distribution_key_from_population(
    *,
    code: str,
    name: str,
    region: Organisation,
    valid_from: datetime.date | None,
    on: datetime.date,
    source: str = "",
) -> DistributionKey:
    """A key whose weights are the member municipalities' populations known on ``on``."""
    members = set(
        region.members.filter(member__kind=OrganisationKind.MUNICIPALITY).values_list(
            "member__code", flat=True
        )
    )
    weights = {
        m.cbs_code: m.population
        for m in municipalities_on(on=on)
        if m.cbs_code in members and m.population
    }
    if not weights:
        raise ValidationError(_("No population figures are known for this region."))
    key, _created = DistributionKey.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "region": region,
            "basis": "population",
            "valid_from": valid_from,
            "source": source,
        },
    )
    distribution_key_set_weights(key=key, weights=weights)
    return key


def distribution_key_set_weights(*, key: DistributionKey, weights: Mapping[str, int]) -> None:
    municipalities = {o.code: o for o in Organisation.objects.filter(code__in=list(weights))}
    missing = set(weights) - set(municipalities)
    if missing:
        raise ValidationError(
            _("Unknown municipality %(code)s.") % {"code": ", ".join(sorted(missing))}
        )
    key.shares.exclude(municipality__code__in=list(weights)).delete()
    for code, weight in weights.items():
        DistributionShare.objects.update_or_create(
            key=key, municipality=municipalities[code], defaults={"weight": weight}
        )


@transaction.atomic
def task_targets_compute(*, task: RegionalTask) -> list[Target]:
    """(Re)compute the municipalities' targets of a regional task from its key."""
    if task.key is None:
        raise ValidationError(_("This task has no distribution key."))
    weights = dict(task.key.shares.values_list("municipality__code", "weight"))
    amounts = largest_remainder(task.total, weights)
    municipalities = {o.code: o for o in Organisation.objects.filter(code__in=list(amounts))}
    task.targets.exclude(municipality__code__in=list(amounts)).delete()
    targets = []
    for code, amount in sorted(amounts.items()):
        target, _created = Target.objects.update_or_create(
            kind=task.kind,
            municipality=municipalities[code],
            valid_from=task.valid_from,
            defaults={
                "amount": amount,
                "task": task,
                "valid_to": task.valid_to,
                "source": task.source,
            },
        )
        targets.append(target)
    return targets


@transaction.atomic
def location_update_with_features(
    *, location: Location, data: Mapping[str, Any], features: Iterable[str] | None
) -> Location:
    location = location_update(location=location, data=data)
    if features is not None:
        location_features_set(location=location, features=features)
    return location


@transaction.atomic
def distribution_key_refresh(*, key: DistributionKey, on: datetime.date) -> list[Target]:
    """Take the population figures known on ``on`` as the key's weights and recompute the
    targets of every task that uses the key (they still add up exactly to each total)."""
    refreshed = distribution_key_from_population(
        code=key.code,
        name=key.name,
        region=key.region,
        valid_from=key.valid_from,
        on=on,
        source=key.source,
    )
    targets: list[Target] = []
    for task in refreshed.tasks.all():
        targets.extend(task_targets_compute(task=task))
    return targets
