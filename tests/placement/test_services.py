"""The placement use cases: compute, change by hand, send, answer, approve — with their rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from opvangregie.placement import selectors, services
from opvangregie.placement.constants import Action, Outcome, Response, RunState
from opvangregie.placement.models import PlacementEvent, PlacementRun, ProposalLine
from opvangregie.residents.models import Stay
from opvangregie.residents.services import stay_intake, stay_move
from tests.capacity.factories import make_location
from tests.residents.factories import make_household

from .conftest import ON, Scene

D = datetime.date


@pytest.fixture(autouse=True)
def _english() -> object:
    """Messages are matched in English here; the pages' Dutch is tested in test_views."""
    with translation.override("en"):
        yield


def _run(scene: Scene) -> PlacementRun:
    return services.run_create(user=scene.coordinator, on=ON, time_limit=10)


def _line(run: PlacementRun, household: object) -> ProposalLine:
    return run.lines.select_related("location", "household").get(household=household)


def _sent(scene: Scene) -> PlacementRun:
    run = _run(scene)
    return services.run_send(user=scene.coordinator, run=run)


def test_a_run_stores_the_proposal_its_picture_and_who_computed_it(scene: Scene) -> None:
    run = _run(scene)
    assert run.state == RunState.DRAFT
    assert run.solver_status == "optimal"
    assert run.created_by == scene.coordinator
    assert run.weights["fairness"] == 10.0
    man, family = _line(run, scene.man), _line(run, scene.family)
    # The man needs a wheelchair: only Gouda can take him.
    assert man.location == scene.gouda
    assert family.location in (scene.gouda, scene.leiden)
    assert {h["id"] for h in run.instance["households"]} == {
        str(scene.man.uuid),
        str(scene.family.uuid),
    }
    # No personal data in the stored picture: households by UUID, size, needs, ties only.
    assert "Moroz" not in str(run.instance)
    assert "Taras" not in str(run.instance)
    event = run.events.get()
    assert (event.action, event.actor, event.detail["placed"]) == (
        Action.RUN,
        scene.coordinator,
        2,
    )
    # The stored objective equals the objective recomputed from the stored lines.
    picture = selectors.run_picture(run)
    assignment = {
        str(x.household.uuid): str(x.location.uuid) if x.location else None for x in run.lines.all()
    }
    assert selectors.objective_of(picture.instance, assignment) == pytest.approx(run.objective)


def test_only_a_coordinator_computes_and_nobody_waiting_is_an_error(scene: Scene) -> None:
    with pytest.raises(PermissionDenied):
        services.run_create(user=scene.gouda_officer, on=ON)
    with pytest.raises(ValidationError, match="Nobody is waiting"):
        services.run_create(user=scene.coordinator, on=D(2024, 1, 1))
    with pytest.raises(ValidationError):
        services.run_create(user=scene.coordinator, on=ON, backend="cplex")
    assert not PlacementRun.objects.exists()


def test_announced_households_without_a_stay_are_considered(scene: Scene) -> None:
    announced = make_household(2, external_id="HH-NEW")
    run = _run(scene)
    assert _line(run, announced).location is not None


def test_explanations_name_the_reasons_in_the_readers_language(scene: Scene) -> None:
    run = _run(scene)
    picture = selectors.run_picture(run)
    with translation.override("nl"):
        text = selectors.explain(_line(run, scene.man), picture)
    assert text.startswith("Naar Kazerne Gouda in Gouda:")
    assert "banden met Gouda" in text
    assert "rolstoel" in text
    with translation.override("en"):
        assert "ties with Gouda" in selectors.explain(_line(run, scene.man), picture)


def test_unplaced_households_get_their_reason(scene: Scene) -> None:
    many = [make_household(4) for _ in range(3)]
    for household in many:
        stay_intake(household=household, location=scene.cno, on=D(2024, 3, 1))
    run = _run(scene)
    unplaced = list(run.lines.filter(location__isnull=True))
    assert unplaced  # 1 + 3 + 12 persons for 10 beds
    picture = selectors.run_picture(run)
    with translation.override("en"):
        assert all(
            selectors.explain(x, picture) == "Not placed: every suitable location is full"
            for x in unplaced
        )


def test_override_is_checked_against_needs_room_and_the_runs_picture(scene: Scene) -> None:
    run = _run(scene)
    man = _line(run, scene.man)
    with translation.override("en"):
        with pytest.raises(ValidationError, match="does not meet the household's needs"):
            services.line_override(
                user=scene.coordinator, line=man, location=scene.leiden, reason="wish"
            )
        with pytest.raises(ValidationError, match="Give a reason"):
            services.line_override(user=scene.coordinator, line=man, location=None, reason=" ")
        later = make_location(beds=10, municipality="GM0546", name="Nieuw")
        with pytest.raises(ValidationError, match="had no free allocable beds"):
            services.line_override(
                user=scene.coordinator, line=man, location=later, reason="new place"
            )
    with pytest.raises(PermissionDenied):
        services.line_override(user=scene.gouda_officer, line=man, location=None, reason="not mine")
    man.refresh_from_db()
    assert (man.location, man.overridden) == (scene.gouda, False)
    assert not run.events.filter(action=Action.OVERRIDE).exists()


def test_override_without_room_beside_the_others_is_refused(scene: Scene) -> None:
    extra = make_household(4)
    stay_intake(household=extra, location=scene.cno, on=D(2024, 3, 1))
    run = _run(scene)  # 1 + 3 + 4 persons over 6 + 4 beds: both locations nearly full
    family = _line(run, scene.family)
    other = scene.leiden if family.location == scene.gouda else scene.gouda
    with translation.override("en"), pytest.raises(ValidationError, match="too few free beds"):
        services.line_override(user=scene.coordinator, line=family, location=other, reason="x")


def test_override_moves_records_the_effect_and_matches_the_options(scene: Scene) -> None:
    run = _run(scene)
    family = _line(run, scene.family)
    other = scene.leiden if family.location == scene.gouda else scene.gouda
    picture = selectors.run_picture(run)
    options = {o.location.id: o for o in selectors.line_options(line=family, picture=picture)}
    predicted = options[str(other.uuid)].effect
    moved = services.line_override(
        user=scene.coordinator, line=family, location=other, reason="family nearby"
    )
    assert (moved.location, moved.overridden, moved.override_reason) == (
        other,
        True,
        "family nearby",
    )
    event = run.events.get(action=Action.OVERRIDE)
    assert event.actor == scene.coordinator
    assert event.line == moved
    assert event.detail["objective_after"] - event.detail["objective_before"] == pytest.approx(
        predicted
    )
    review = selectors.review(
        run=run, lines=selectors.lines_visible_to(user=scene.coordinator, run=run)
    )
    assert review.objective == pytest.approx(event.detail["objective_after"])


def test_option_effects_equal_the_change_of_the_objective(scene: Scene) -> None:
    for _ in range(3):
        stay_intake(household=make_household(1), location=scene.cno, on=D(2024, 3, 1))
    make_location(beds=3, municipality="GM0484", name="Alphen")
    run = _run(scene)
    picture = selectors.run_picture(run)
    lines = list(run.lines.select_related("household", "location"))
    base = {str(x.household.uuid): str(x.location.uuid) if x.location else None for x in lines}
    before = selectors.objective_of(picture.instance, base)
    checked = 0
    for line in lines:
        for option in selectors.line_options(line=line, picture=picture, limit=100):
            if option.excluded:
                continue
            after = selectors.objective_of(
                picture.instance, {**base, str(line.household.uuid): option.location.id}
            )
            assert option.effect == pytest.approx(after - before, abs=1e-6)
            checked += 1
    assert checked >= 4


def test_send_answer_and_approve_place_the_accepted_households(scene: Scene) -> None:
    run = _sent(scene)
    man, family = _line(run, scene.man), _line(run, scene.family)
    services.line_respond(user=scene.gouda_officer, line=man, accept=True)
    family_officer = scene.gouda_officer if family.location == scene.gouda else scene.leiden_officer
    services.line_respond(user=family_officer, line=family, accept=False, reason="no school")
    approval = services.run_approve(user=scene.coordinator, run=run, on=D(2024, 3, 5))
    assert [x.household for x in approval.placed] == [scene.man]
    assert approval.conflicts == []
    stays = Stay.objects.filter(person__household=scene.man).order_by("start_date")
    assert [(s.location, s.start_date, s.end_date) for s in stays] == [
        (scene.cno, D(2024, 3, 1), D(2024, 3, 5)),
        (scene.gouda, D(2024, 3, 5), None),
    ]
    # The declined family still waits at the CNO.
    assert set(
        Stay.objects.filter(person__household=scene.family, end_date__isnull=True).values_list(
            "location", flat=True
        )
    ) == {scene.cno.pk}
    actions = list(run.events.values_list("action", "actor"))
    assert actions == [
        (Action.RUN, scene.coordinator.pk),
        (Action.SEND, scene.coordinator.pk),
        (Action.ACCEPT, scene.gouda_officer.pk),
        (Action.DECLINE, family_officer.pk),
        (Action.PLACE, scene.coordinator.pk),
    ]
    with pytest.raises(ValidationError, match="No accepted household"):
        services.run_approve(user=scene.coordinator, run=run, on=D(2024, 3, 5))


def test_answers_come_from_the_receiving_municipality_only(scene: Scene) -> None:
    run = _run(scene)
    man = _line(run, scene.man)
    with pytest.raises(ValidationError, match="not open for answers"):
        services.line_respond(user=scene.gouda_officer, line=man, accept=True)
    services.run_send(user=scene.coordinator, run=run)
    with pytest.raises(PermissionDenied):
        services.line_respond(user=scene.leiden_officer, line=man, accept=True)
    with pytest.raises(ValidationError, match="reason for declining"):
        services.line_respond(user=scene.gouda_officer, line=man, accept=False, reason="")
    man.refresh_from_db()
    assert man.response == Response.PENDING


def test_the_database_refuses_a_decline_without_reason_and_an_unanswered_placement(
    scene: Scene,
) -> None:
    run = _run(scene)
    man = _line(run, scene.man)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalLine.objects.filter(pk=man.pk).update(response=Response.DECLINED)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalLine.objects.filter(pk=man.pk).update(outcome=Outcome.PLACED)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalLine.objects.filter(pk=man.pk).update(overridden=True)


def test_a_conflict_at_approval_is_reported_and_the_others_are_placed(scene: Scene) -> None:
    run = _sent(scene)
    man, family = _line(run, scene.man), _line(run, scene.family)
    for line in (man, family):
        officer = scene.gouda_officer if line.location == scene.gouda else scene.leiden_officer
        services.line_respond(user=officer, line=line, accept=True)
    # Meanwhile the family's location fills up by a direct check-in.
    target = family.location
    assert target is not None
    free = 6 if target == scene.gouda else 4
    stay_intake(
        household=make_household(free - (1 if target == scene.gouda else 0)),
        location=target,
        on=D(2024, 3, 3),
    )
    with translation.override("en"):
        approval = services.run_approve(user=scene.coordinator, run=run, on=D(2024, 3, 5))
    assert [x.household for x in approval.placed] == [scene.man]
    assert [x.household for x in approval.conflicts] == [scene.family]
    family.refresh_from_db()
    assert family.outcome == Outcome.CONFLICT
    assert "no room" in family.outcome_message
    # Nothing of the family was half-written: it still waits at the CNO.
    assert (
        list(
            Stay.objects.filter(person__household=scene.family).values_list("location", "end_date")
        )
        == [(scene.cno.pk, None)] * 3
    )
    assert run.events.filter(action=Action.CONFLICT, line=family).exists()


def test_a_household_that_moved_on_meanwhile_is_a_conflict(scene: Scene) -> None:
    run = _sent(scene)
    man = _line(run, scene.man)
    services.line_respond(user=scene.gouda_officer, line=man, accept=True)
    elsewhere = make_location(beds=2, municipality="GM0513", features=["wheelchair_accessible"])
    stay_move(household=scene.man, to_location=elsewhere, on=D(2024, 3, 3))
    with translation.override("en"):
        approval = services.run_approve(user=scene.coordinator, run=run, on=D(2024, 3, 5))
    assert approval.placed == []
    assert [x.household for x in approval.conflicts] == [scene.man]
    assert "no longer waits" in approval.conflicts[0].outcome_message


def test_a_second_run_leaves_out_what_a_sent_proposal_covers(scene: Scene) -> None:
    first = _sent(scene)
    newcomer = make_household(2)
    stay_intake(household=newcomer, location=scene.cno, on=D(2024, 3, 1))
    second = _run(scene)
    assert list(second.lines.values_list("household", flat=True)) == [newcomer.pk]
    proposed = first.lines.filter(location__isnull=False)
    free_gouda = 6 - sum(x.beds for x in proposed if x.location_id == scene.gouda.pk)
    gouda = next(x for x in second.instance["locations"] if x["id"] == str(scene.gouda.uuid))
    assert gouda["free"] == free_gouda


def test_a_draft_cannot_be_sent_when_its_beds_went_to_another_proposal(scene: Scene) -> None:
    first, second = _run(scene), _run(scene)
    services.run_send(user=scene.coordinator, run=first)
    with pytest.raises(ValidationError, match="already in another proposal"):
        services.run_send(user=scene.coordinator, run=second)
    assert PlacementRun.objects.get(pk=second.pk).state == RunState.DRAFT


def test_a_draft_cannot_be_sent_when_its_beds_were_taken_meanwhile(scene: Scene) -> None:
    run = _run(scene)
    stay_intake(household=make_household(6), location=scene.gouda, on=D(2024, 3, 2))
    with translation.override("en"), pytest.raises(ValidationError, match="Kazerne Gouda"):
        services.run_send(user=scene.coordinator, run=run)


def test_close_and_withdraw(scene: Scene) -> None:
    draft = _run(scene)
    assert services.run_close(user=scene.coordinator, run=draft).state == RunState.WITHDRAWN
    sent = _sent(scene)
    assert services.run_close(user=scene.coordinator, run=sent).state == RunState.CLOSED
    with pytest.raises(ValidationError):
        services.run_close(user=scene.coordinator, run=sent)
    with pytest.raises(ValidationError, match="closed"):
        services.line_override(
            user=scene.coordinator, line=_line(sent, scene.man), location=None, reason="x"
        )
    assert PlacementEvent.objects.filter(action__in=[Action.CLOSE, Action.WITHDRAW]).count() == 2


def test_an_officer_sees_only_sent_runs_and_the_lines_for_their_municipality(
    scene: Scene,
) -> None:
    run = _run(scene)
    assert not selectors.runs_visible_to(user=scene.gouda_officer).exists()
    services.run_send(user=scene.coordinator, run=run)
    assert list(selectors.runs_visible_to(user=scene.gouda_officer)) == [run]
    visible = selectors.lines_visible_to(user=scene.gouda_officer, run=run)
    assert all(x.location == scene.gouda for x in visible)
    assert scene.man in [x.household for x in visible]
    assert selectors.lines_visible_to(user=scene.coordinator, run=run).count() == 2


def test_the_command_line_stores_a_draft_for_a_coordinator(
    scene: Scene, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from django.core.management import CommandError, call_command

    call_command(
        "allocate", "--on", "2024-03-02", "--save", scene.coordinator.username, "--format", "json"
    )
    data = json.loads(capsys.readouterr().out)
    run = PlacementRun.objects.get(uuid=data["run"])
    assert (run.state, run.created_by, data["placed"]) == (RunState.DRAFT, scene.coordinator, 2)
    with pytest.raises(CommandError, match="Only a coordinator"):
        call_command("allocate", "--on", "2024-03-02", "--save", scene.gouda_officer.username)
    with pytest.raises(CommandError, match="Unknown user"):
        call_command("allocate", "--on", "2024-03-02", "--save", "nobody")
    with pytest.raises(CommandError, match="needs --on"):
        call_command("allocate", "--save", scene.coordinator.username)
    assert PlacementRun.objects.count() == 1
