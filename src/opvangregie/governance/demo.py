"""Demo content for the governance workflow, made through the real services, dated around
today so that the demo shows upcoming meetings, agreements in progress and an overdue dilemma."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opvangregie.accounts.models import User
from opvangregie.core.dates import today
from opvangregie.organisations.models import Body, Organisation

from . import services
from .constants import Metric


class DemoUsersMissingError(LookupError):
    pass


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime(
        day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone()
    )


@transaction.atomic
def demo_governance_create() -> dict[str, int]:
    coordinator = User.objects.filter(username="coordinator").first()
    secretary = User.objects.filter(username="rrt-holland-rijnland").first()
    if coordinator is None or secretary is None:
        raise DemoUsersMissingError(_("Create the demo users first (opvangregie demo-users)."))
    day = today()
    rrt = Body.objects.get(code="rrt-holland-rijnland")
    stuurgroep = Body.objects.get(code="stuurgroep-twov")
    hr = Organisation.objects.get(code="holland-rijnland")
    mh = Organisation.objects.get(code="midden-holland")

    past = services.meeting_create(
        user=secretary,
        body=rrt,
        starts_at=_at(day - datetime.timedelta(days=21), 14),
        place="Leiden, Holland Rijnland",
    )
    item = services.agenda_item_add(
        user=secretary,
        meeting=past,
        title="Extra opvangplaatsen 2024",
        owner="Voorzitter RRT",
        decision_asked="Instemmen met de verdeling over de gemeenten",
    )
    services.meeting_transition(user=secretary, meeting=past, state="published")
    services.decision_record(
        user=secretary,
        meeting=past,
        item=item,
        subject="De RRT stemt in met de verdeling van de extra opvangplaatsen.",
    )
    services.meeting_update(
        user=secretary, meeting=past, minutes="Verdeling besproken en vastgesteld."
    )
    services.meeting_transition(user=secretary, meeting=past, state="held")

    upcoming = services.meeting_create(
        user=secretary,
        body=rrt,
        starts_at=_at(day + datetime.timedelta(days=7), 14),
        place="Leiden, Holland Rijnland",
    )
    for title, owner in (
        ("Voortgang bestuurlijke afspraken", "Secretaris RRT"),
        ("Voorbereiding PRT", "Voorzitter RRT"),
        ("Rondvraag", ""),
    ):
        services.agenda_item_add(user=secretary, meeting=upcoming, title=title, owner=owner)
    services.meeting_transition(user=secretary, meeting=upcoming, state="published")

    steering = services.meeting_create(
        user=coordinator,
        body=stuurgroep,
        starts_at=_at(day + datetime.timedelta(days=10), 10),
        place="Veiligheidsregio Hollands Midden, Leiden",
    )
    dilemma_item = services.agenda_item_add(
        user=coordinator,
        meeting=steering,
        title="Inzet reserve-CNO De Hil",
        owner="Manager TWOV",
        decision_asked="Kiezen tussen de opties",
    )

    services.agreement_create(
        user=coordinator,
        body=stuurgroep,
        title="Holland Rijnland en Midden-Holland realiseren 120 extra plaatsen",
        owner="Voorzitter stuurgroep",
        start_date=day - datetime.timedelta(days=60),
        deadline=day + datetime.timedelta(days=60),
        parties=[(hr, 90), (mh, 30)],
        metric=Metric.REALISED_PLACES,
        target=120,
    )
    services.agreement_create(
        user=secretary,
        body=rrt,
        title="Afspraken over doorstroom naar reguliere huisvesting",
        owner="Wethouder Wonen, gemeente Leiden",
        start_date=day - datetime.timedelta(days=30),
        deadline=day + datetime.timedelta(days=10),
        parties=[(hr, None)],
    )
    dilemma = services.escalation_raise(
        user=coordinator,
        title="Inzet reserve-CNO De Hil",
        question="Openen we De Hil nu, of pas bij 90 % bezetting van de CNO?",
        options=(
            "A: nu openen (kosten, zekerheid); B: openen bij 90 % bezetting (risico op wachten)"
        ),
        advice="B, met een draaiboek dat De Hil binnen 24 uur opent.",
        urgency="high",
        deadline=day + datetime.timedelta(days=14),
    )
    services.escalation_schedule(user=coordinator, escalation=dilemma, item=dilemma_item)
    services.escalation_raise(
        user=coordinator,
        title="Vervoer tussen CNO en gemeentelijke locaties",
        question="Wie betaalt het vervoer van huishoudens naar hun gemeente?",
        urgency="normal",
        deadline=day - datetime.timedelta(days=3),
        raised_on=day - datetime.timedelta(days=20),
    )
    services.prt_pack_create(
        user=secretary, housing_region=hr, on=day + datetime.timedelta(days=14)
    )
    return {"meetings": 3, "agreements": 2, "dilemmas": 2}
