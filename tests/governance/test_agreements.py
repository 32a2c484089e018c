"""Agreement progress is computed from the figures; the status rule and its override."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opvangregie.governance import selectors, services
from opvangregie.governance.constants import AgreementStatus, Metric
from tests.capacity.factories import make_location

from .conftest import D, Gov


@pytest.fixture
def agreement(gov: Gov):  # type: ignore[no-untyped-def]
    """20 extra places between 2024-02-01 and 2024-06-01: 15 for Holland Rijnland, 5 for
    Midden-Holland. Leiden has 10 beds before the start; 6 more in Leiden and 4 in Gouda open on
    2024-03-01; a CNO's beds never count."""
    make_location(beds=10, municipality="GM0546", opens_on=D(2024, 1, 1))
    make_location(beds=6, municipality="GM0546", opens_on=D(2024, 3, 1))
    make_location(beds=4, municipality="GM0513", opens_on=D(2024, 3, 1))
    make_location(beds=50, municipality="GM0546", opens_on=D(2024, 3, 1), type="cno")
    return services.agreement_create(
        user=gov.coordinator,
        body=gov.stuurgroep,
        title="20 extra plaatsen",
        owner="Voorzitter stuurgroep",
        start_date=D(2024, 2, 1),
        deadline=D(2024, 6, 1),
        parties=[(gov.holland_rijnland, 15), (gov.midden_holland, 5)],
        metric=Metric.REALISED_PLACES,
        target=20,
    )


def test_progress_is_places_now_minus_places_at_the_start(gov: Gov, agreement) -> None:  # type: ignore[no-untyped-def]
    progress = selectors.agreement_progress(agreement=agreement, on=D(2024, 4, 1))
    assert (progress.baseline, progress.realised, progress.gained) == (10, 20, 10)
    assert progress.pct == 50.0
    parties = {p.code: p for p in progress.parties}
    assert (parties["holland-rijnland"].gained, parties["midden-holland"].gained) == (6, 4)
    # 60 of 121 days elapsed, half of the target realised: on track.
    assert progress.status == AgreementStatus.ON_TRACK
    # 104 of 121 days elapsed (86 %), still half realised: at risk.
    assert selectors.agreement_progress(agreement=agreement, on=D(2024, 5, 15)).status == (
        AgreementStatus.AT_RISK
    )
    # After the deadline without the target: late.
    assert selectors.agreement_progress(agreement=agreement, on=D(2024, 6, 2)).status == (
        AgreementStatus.LATE
    )
    # Before anything opened: no progress, and open before the start.
    early = selectors.agreement_progress(agreement=agreement, on=D(2024, 1, 15))
    assert early.status == AgreementStatus.OPEN


def test_share_of_a_region(gov: Gov, agreement) -> None:  # type: ignore[no-untyped-def]
    rows = selectors.agreements_for_region(housing_region=gov.midden_holland, on=D(2024, 4, 1))
    [(found, progress)] = rows
    assert found == agreement
    assert (progress.target, progress.gained, progress.pct) == (5, 4, 80.0)


@pytest.mark.parametrize(
    ("day", "gained", "expected"),
    [
        (D(2023, 12, 31), 0, "open"),  # before the start
        (D(2024, 1, 11), 0, "on_track"),  # 10 % of the time, margin 10 %
        (D(2024, 1, 21), 0, "at_risk"),
        (D(2024, 1, 21), 1, "on_track"),
        (D(2024, 4, 11), 10, "on_track"),  # target reached
        (D(2024, 4, 12), 9, "late"),
        (D(2024, 4, 10), 9, "on_track"),  # 90 % on the deadline, margin 10 %
        (D(2024, 4, 10), 8, "at_risk"),
    ],
)
def test_status_rule_with_a_target(day, gained, expected) -> None:  # type: ignore[no-untyped-def]
    status = selectors.derive_status(
        start=D(2024, 1, 1), deadline=D(2024, 4, 10), on=day, target=10, gained=gained
    )
    assert status == expected


def test_status_rule_without_a_target() -> None:
    rule = {"start": D(2024, 1, 1), "deadline": D(2024, 3, 1), "target": None, "gained": None}
    assert selectors.derive_status(on=D(2024, 2, 1), **rule) == "open"  # type: ignore[arg-type]
    assert selectors.derive_status(on=D(2024, 2, 20), **rule) == "at_risk"  # type: ignore[arg-type]
    assert selectors.derive_status(on=D(2024, 3, 2), **rule) == "late"  # type: ignore[arg-type]


def test_override_with_a_reason_and_back_to_the_rule(gov: Gov, agreement) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        services.agreement_status_set(
            user=gov.coordinator, agreement=agreement, status="at_risk", reason=" "
        )
    with pytest.raises(PermissionDenied):
        services.agreement_status_set(
            user=gov.secretary, agreement=agreement, status="at_risk", reason="x"
        )
    agreement = services.agreement_status_set(
        user=gov.coordinator, agreement=agreement, status="at_risk", reason="Vergunning vertraagd"
    )
    progress = selectors.agreement_progress(agreement=agreement, on=D(2024, 4, 1))
    assert (progress.status, progress.derived_status, progress.overridden) == (
        "at_risk",
        "on_track",
        True,
    )
    agreement = services.agreement_status_set(
        user=gov.coordinator, agreement=agreement, status="done", reason="Gerealiseerd"
    )
    with pytest.raises(ValidationError):
        services.agreement_status_set(
            user=gov.coordinator, agreement=agreement, status="late", reason="x"
        )
    agreement = services.agreement_status_set(
        user=gov.coordinator, agreement=agreement, status="open", reason="Heropend"
    )
    assert selectors.agreement_progress(agreement=agreement, on=D(2024, 4, 1)).status == "on_track"
    notes = list(agreement.notes.values_list("status_from", "status_to"))
    assert notes == [("open", "at_risk"), ("at_risk", "done"), ("done", "open")]


def test_shares_must_add_up_and_a_target_needs_a_metric(gov: Gov) -> None:
    base = {
        "user": gov.secretary,
        "body": gov.rrt,
        "title": "x",
        "owner": "y",
        "start_date": D(2024, 2, 1),
        "deadline": D(2024, 6, 1),
    }
    with pytest.raises(ValidationError):
        services.agreement_create(  # type: ignore[arg-type]
            parties=[(gov.holland_rijnland, 5)], metric="realised_places", target=20, **base
        )
    with pytest.raises(ValidationError):
        services.agreement_create(parties=[(gov.holland_rijnland, None)], target=20, **base)  # type: ignore[arg-type]


def test_agreement_of_the_prt_shows_at_the_rrt_of_each_party(gov: Gov, agreement) -> None:  # type: ignore[no-untyped-def]
    # Made at the steering group; Gouda's portfolio holder sits at the RRT Midden-Holland only.
    assert list(selectors.agreements_visible_to(user=gov.gouda, on=D(2024, 4, 1))) == [agreement]
    assert list(selectors.agreements_visible_to(user=gov.officer, on=D(2024, 4, 1))) == []
