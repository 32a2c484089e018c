"""Evaluation indicators per quarter on a hand-built case."""

import datetime

from opvangregie.capacity.models import Location
from opvangregie.governance import selectors, services
from opvangregie.governance.constants import Metric
from opvangregie.placement.models import PlacementRun, ProposalLine
from opvangregie.residents.services import stay_intake, stay_move
from tests.capacity.factories import make_location
from tests.residents.factories import make_household

from .conftest import D, Gov, at


def _line(
    run: PlacementRun, location: Location, response: str, reason: str, day: datetime.date
) -> None:
    ProposalLine.objects.create(
        run=run,
        household=make_household(1),
        size=1,
        location=location,
        beds=1,
        response=response,
        response_reason=reason,
        responded_at=at(day),
    )


def test_indicators_of_a_quarter(gov: Gov) -> None:
    cno = Location.objects.get(external_id="cno-nieuwe-sloot")
    leiden = make_location(beds=10, municipality="GM0546", opens_on=D(2024, 1, 1))
    quick, slow, waiting = make_household(1), make_household(1), make_household(1)
    stay_intake(household=quick, location=cno, on=D(2024, 1, 10))
    stay_move(household=quick, to_location=leiden, on=D(2024, 1, 12))  # 2 days
    stay_intake(household=slow, location=cno, on=D(2024, 2, 1))
    stay_move(household=slow, to_location=leiden, on=D(2024, 2, 11))  # 10 days
    stay_intake(household=waiting, location=cno, on=D(2024, 3, 30))  # 2 days until 1 April
    stay_intake(household=make_household(1), location=cno, on=D(2024, 4, 2))  # next quarter

    run = PlacementRun.objects.create(
        on=D(2024, 2, 1),
        created_by=gov.coordinator,
        backend="highs",
        time_limit=1,
        weights={},
        solver_status="optimal",
        seconds=0.1,
        instance={},
        deviation_before=0,
        deviation_after=0,
    )
    _line(run, leiden, "declined", "Geen rolstoeltoegang", D(2024, 2, 2))
    _line(run, leiden, "declined", "Geen  rolstoeltoegang ", D(2024, 2, 3))
    _line(run, leiden, "declined", "Familie Petrenko past niet", D(2024, 2, 3))
    _line(run, leiden, "accepted", "", D(2024, 2, 3))
    _line(run, leiden, "declined", "Te laat", D(2024, 4, 3))  # next quarter

    on_time = services.agreement_create(
        user=gov.secretary,
        body=gov.rrt,
        title="a",
        owner="o",
        start_date=D(2024, 1, 1),
        deadline=D(2024, 3, 1),
        parties=[(gov.holland_rijnland, None)],
    )
    services.agreement_create(
        user=gov.secretary,
        body=gov.rrt,
        title="b",
        owner="o",
        start_date=D(2024, 1, 1),
        deadline=D(2024, 3, 1),
        parties=[(gov.holland_rijnland, None)],
        metric=Metric.REALISED_PLACES,
        target=5,
    )
    services.agreement_status_set(user=gov.secretary, agreement=on_time, status="done", reason="ok")
    # Done today, after its deadline of 2024-03-01: backdate the note to 2024-02-20.
    on_time.notes.update(at=at(D(2024, 2, 20)))

    in_time = services.escalation_raise(
        user=gov.coordinator,
        title="x",
        question="?",
        deadline=D(2024, 3, 10),
        raised_on=D(2024, 3, 1),
    )
    services.escalation_raise(
        user=gov.coordinator,
        title="y",
        question="?",
        deadline=D(2024, 3, 10),
        raised_on=D(2024, 3, 1),
    )
    meeting = services.meeting_create(
        user=gov.coordinator, body=gov.stuurgroep, starts_at=at(D(2024, 3, 8))
    )
    decision = services.decision_record(user=gov.coordinator, meeting=meeting, subject="x")
    services.escalation_decide(user=gov.coordinator, escalation=in_time, decision=decision)

    def clean(text: str) -> bool:
        from opvangregie.governance.packs import personal_data_found

        return not personal_data_found(text)

    from opvangregie.residents.models import Person

    Person.objects.filter(household=make_household(1)).update(
        given_name="Familie", family_name="Petrenko"
    )
    result = selectors.evaluation_for(
        year=2024, quarter=1, withheld="(withheld)", reason_filter=clean
    )
    assert (result.start, result.end) == (D(2024, 1, 1), D(2024, 4, 1))
    assert (result.cno_stays, result.cno_over_72h) == (3, 1)
    assert (result.placed_households, result.placement_days_median, result.placement_days_max) == (
        2,
        6.0,
        10,
    )
    assert (result.proposals_answered, result.proposals_declined) == (4, 3)
    assert result.decline_reasons == [("Geen rolstoeltoegang", 2), ("(withheld)", 1)]
    assert (result.agreements_due, result.agreements_on_time) == (2, 1)
    assert (result.dilemmas_due, result.dilemmas_in_time) == (2, 1)
    assert result.dilemmas_in_time_pct == 50.0
