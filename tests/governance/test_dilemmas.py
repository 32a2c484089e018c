"""The life of a dilemma: raised → on the agenda → decided → closed; overdue ones stand out."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opvangregie.governance import selectors, services
from opvangregie.governance.constants import EscalationStatus

from .conftest import D, Gov, at


def _raise(gov: Gov):  # type: ignore[no-untyped-def]
    return services.escalation_raise(
        user=gov.coordinator,
        title="Reserve-CNO openen?",
        question="Openen we De Hil nu of bij 90 % bezetting?",
        options="A: nu; B: bij 90 %",
        advice="B",
        urgency="high",
        deadline=D(2024, 3, 20),
        raised_on=D(2024, 3, 1),
    )


def test_lifecycle_with_the_decision_linked(gov: Gov) -> None:
    with pytest.raises(PermissionDenied):
        services.escalation_raise(user=gov.leiden, title="x", question="y", deadline=D(2024, 3, 20))
    dilemma = _raise(gov)
    assert dilemma.body == gov.stuurgroep
    assert dilemma.status == EscalationStatus.RAISED
    meeting = services.meeting_create(
        user=gov.coordinator, body=gov.stuurgroep, starts_at=at(D(2024, 3, 15))
    )
    item = services.agenda_item_add(
        user=gov.coordinator, meeting=meeting, title=dilemma.title, decision_asked="Kiezen"
    )
    with pytest.raises(PermissionDenied):
        services.escalation_schedule(user=gov.secretary, escalation=dilemma, item=item)
    dilemma = services.escalation_schedule(user=gov.coordinator, escalation=dilemma, item=item)
    assert dilemma.status == EscalationStatus.ON_AGENDA
    decision = services.decision_record(
        user=gov.coordinator, meeting=meeting, item=item, subject="Openen bij 90 % bezetting"
    )
    assert decision.decided_on == D(2024, 3, 15)
    assert decision.record.meeting == meeting
    dilemma = services.escalation_decide(
        user=gov.coordinator, escalation=dilemma, decision=decision
    )
    assert (dilemma.status, dilemma.decision, dilemma.decided_on) == (
        "decided",
        decision,
        D(2024, 3, 15),
    )
    with pytest.raises(ValidationError):
        services.escalation_schedule(user=gov.coordinator, escalation=dilemma, item=item)
    dilemma = services.escalation_close(user=gov.coordinator, escalation=dilemma, note="")
    assert dilemma.status == EscalationStatus.CLOSED
    assert [e.status_to for e in dilemma.events.all()] == [
        "raised",
        "on_agenda",
        "decided",
        "closed",
    ]


def test_overdue_while_open_after_the_deadline(gov: Gov) -> None:
    dilemma = _raise(gov)
    assert not selectors.escalation_overdue(dilemma, D(2024, 3, 20))
    assert selectors.escalation_overdue(dilemma, D(2024, 3, 21))
    with pytest.raises(ValidationError):  # withdrawing an open dilemma needs a reason
        services.escalation_close(user=gov.coordinator, escalation=dilemma, note="")
    dilemma = services.escalation_close(
        user=gov.coordinator, escalation=dilemma, note="Ingetrokken"
    )
    assert not selectors.escalation_overdue(dilemma, D(2024, 3, 21))


def test_a_decision_of_another_body_is_refused(gov: Gov) -> None:
    dilemma = _raise(gov)
    meeting = services.meeting_create(user=gov.secretary, body=gov.rrt, starts_at=at(D(2024, 3, 5)))
    other = services.decision_record(user=gov.secretary, meeting=meeting, subject="Iets anders")
    with pytest.raises(ValidationError):
        services.escalation_decide(user=gov.coordinator, escalation=dilemma, decision=other)


def test_supersedes(gov: Gov) -> None:
    meeting = services.meeting_create(user=gov.secretary, body=gov.rrt, starts_at=at(D(2024, 3, 5)))
    first = services.decision_record(user=gov.secretary, meeting=meeting, subject="Eerste")
    second = services.decision_record(
        user=gov.secretary, meeting=meeting, subject="Tweede", supersedes=first
    )
    assert second.code == "rrt-holland-rijnland-2024-03-05-2"
    assert list(first.superseded_by.all()) == [second.record]
