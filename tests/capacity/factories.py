import datetime

from opvangregie.capacity.constants import LocationStatus, LocationType
from opvangregie.capacity.models import Location
from opvangregie.capacity.services import location_create
from opvangregie.organisations.models import Organisation

START = datetime.date(2024, 1, 1)


def make_location(
    *,
    beds: int = 10,
    municipality: str = "GM0484",
    type: str = LocationType.MUNICIPAL,
    opens_on: datetime.date = START,
    status: str = LocationStatus.OPEN,
    name: str | None = None,
    **kwargs: object,
) -> Location:
    """A location built through the real service (needs the reference data)."""
    return location_create(
        name=name or f"Locatie {Location.objects.count() + 1}",
        type=type,
        municipality=Organisation.objects.get(code=municipality),
        beds=beds,
        opens_on=opens_on,
        status=status,
        **kwargs,  # type: ignore[arg-type]
    )
