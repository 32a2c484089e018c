"""The membership and secretary rules (docs/governance.md)."""

import pytest
from django.core.exceptions import PermissionDenied

from opvangregie.governance import selectors, services

from .conftest import D, Gov, at

ON = D(2024, 3, 14)


def test_members_are_users_whose_organisation_holds_a_seat_on_the_date(gov: Gov) -> None:
    assert selectors.body_access(user=gov.leiden, body=gov.rrt, on=ON).member
    assert not selectors.body_access(user=gov.gouda, body=gov.rrt, on=ON).member
    assert selectors.body_access(user=gov.gouda, body=gov.rrt_mh, on=ON).member
    # The RRTs start on 2024-01-01: before that nobody holds a seat there.
    assert not selectors.body_access(user=gov.leiden, body=gov.rrt, on=D(2023, 6, 1)).member
    # A municipal officer is no member of any body.
    assert not selectors.body_access(user=gov.officer, body=gov.rrt, on=ON).may_view
    assert selectors.body_access(user=gov.steering, body=gov.stuurgroep, on=ON).member
    assert not selectors.body_access(user=gov.steering, body=gov.rrt, on=ON).member


def test_secretaries_come_from_the_registry(gov: Gov) -> None:
    assert selectors.body_access(user=gov.secretary, body=gov.rrt, on=ON).may_edit
    assert not selectors.body_access(user=gov.secretary, body=gov.rrt_mh, on=ON).may_edit
    assert selectors.body_access(user=gov.coordinator, body=gov.stuurgroep, on=ON).may_edit
    assert not selectors.body_access(user=gov.coordinator, body=gov.rrt, on=ON).may_edit
    assert not selectors.body_access(user=gov.leiden, body=gov.rrt, on=ON).may_edit
    access = selectors.body_access(user=gov.chair, body=gov.rrt, on=ON)
    assert access.chair
    assert not access.secretary
    assert not selectors.body_access(user=gov.leiden, body=gov.rrt, on=ON).chair


def test_only_the_secretary_creates_a_meeting_with_attendance_from_the_seats(gov: Gov) -> None:
    with pytest.raises(PermissionDenied):
        services.meeting_create(user=gov.leiden, body=gov.rrt, starts_at=at(ON))
    meeting = services.meeting_create(
        user=gov.secretary, body=gov.rrt, starts_at=at(ON), place="Leiden"
    )
    seats = {a.seat.code for a in meeting.attendance.select_related("seat")}
    assert len(seats) == 14  # the chair and the 13 municipalities
    assert "voorzitter" in seats


def test_meetings_visible_by_membership_on_the_meeting_date(gov: Gov) -> None:
    meeting = services.meeting_create(user=gov.secretary, body=gov.rrt, starts_at=at(ON))
    assert list(selectors.meetings_visible_to(user=gov.leiden)) == [meeting]
    assert list(selectors.meetings_visible_to(user=gov.gouda)) == []
    assert list(selectors.meetings_visible_to(user=gov.officer)) == []
    assert list(selectors.meetings_visible_to(user=gov.coordinator)) == [meeting]
