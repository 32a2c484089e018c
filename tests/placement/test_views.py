"""The placement pages: compute, review, move by hand, send, answer, approve — in Dutch."""

import datetime

from django.test import Client
from django.urls import reverse

from opvangregie.placement.constants import Outcome, Response, RunState
from opvangregie.placement.models import PlacementRun
from opvangregie.residents.models import Stay

from .conftest import Scene

D = datetime.date


def _compute(client: Client, scene: Scene) -> PlacementRun:
    client.force_login(scene.coordinator)
    response = client.post(
        reverse("placement:list"), {"on": "2024-03-02", "backend": "highs", "time_limit": "10"}
    )
    run = PlacementRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("placement:run", args=[run.uuid])
    return run


def test_a_coordinator_computes_and_reviews_a_proposal(client: Client, scene: Scene) -> None:
    run = _compute(client, scene)
    page = client.get(reverse("placement:run", args=[run.uuid])).content.decode()
    assert "Voorstel voor de situatie op 2-3-2024" in page
    assert 'data-testid="fairness"' in page
    assert "Gouda" in page
    assert "HH-MAN" in page
    assert "Kazerne Gouda" in page
    assert "Versturen naar de gemeenten" in page
    listing = client.get(reverse("placement:list")).content.decode()
    assert reverse("placement:run", args=[run.uuid]) in listing


def test_bad_input_on_the_run_form_is_explained_in_dutch(client: Client, scene: Scene) -> None:
    client.force_login(scene.coordinator)
    response = client.post(
        reverse("placement:list"), {"on": "2024-13-45", "backend": "highs", "time_limit": "0"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Voer een geldige datum in" in page
    nobody = client.post(
        reverse("placement:list"), {"on": "2023-01-01", "backend": "highs", "time_limit": "5"}
    ).content.decode()
    assert "Niemand wacht op plaatsing op 2023-01-01" in nobody
    assert not PlacementRun.objects.exists()


def test_a_refused_move_by_hand_shows_why_and_changes_nothing(client: Client, scene: Scene) -> None:
    run = _compute(client, scene)
    man = run.lines.get(household=scene.man)
    url = reverse("placement:line", args=[man.uuid])
    page = client.get(url).content.decode()
    assert 'data-testid="options"' in page
    assert "Pand Leiden" in page
    response = client.post(
        url,
        {"form": "override", "override-location": scene.leiden.pk, "override-reason": "wens"},
    )
    assert response.status_code == 400
    assert "voldoet niet aan de behoeften van het huishouden" in response.content.decode()
    man.refresh_from_db()
    assert man.location == scene.gouda
    assert not man.overridden


def test_the_whole_flow_through_the_pages(client: Client, scene: Scene) -> None:
    run = _compute(client, scene)
    family = run.lines.get(household=scene.family)
    other = scene.leiden if family.location == scene.gouda else scene.gouda
    moved = client.post(
        reverse("placement:line", args=[family.uuid]),
        {"form": "override", "override-location": other.pk, "override-reason": "school dichtbij"},
    )
    assert moved.status_code == 302
    assert client.post(reverse("placement:send", args=[run.uuid])).status_code == 302
    run.refresh_from_db()
    assert run.state == RunState.SENT

    officer = scene.leiden_officer if other == scene.leiden else scene.gouda_officer
    client.force_login(officer)
    assert run in client.get(reverse("placement:list")).context["runs"]
    page = client.get(reverse("placement:run", args=[run.uuid])).content.decode()
    assert "HH-FAM" in page
    if other == scene.leiden:
        assert "HH-MAN" not in page  # proposed to Gouda: not Leiden's business
    answered = client.post(
        reverse("placement:line", args=[family.uuid]),
        {"form": "response", "response-answer": "accept", "response-reason": ""},
    )
    assert answered.status_code == 302
    family.refresh_from_db()
    assert family.response == Response.ACCEPTED
    assert family.responded_by == officer

    client.force_login(scene.coordinator)
    approved = client.post(
        reverse("placement:approve", args=[run.uuid]), {"approve-on": "2024-03-04"}
    )
    assert approved.status_code == 302
    family.refresh_from_db()
    assert family.outcome == Outcome.PLACED
    assert set(
        Stay.objects.filter(person__household=scene.family, end_date__isnull=True).values_list(
            "location", flat=True
        )
    ) == {other.pk}
    history = client.get(reverse("placement:run", args=[run.uuid])).content.decode()
    for word in ("voorstel berekend", "met de hand verplaatst", "school dichtbij", "geaccepteerd"):
        assert word in history


def test_declining_needs_a_reason_on_the_page(client: Client, scene: Scene) -> None:
    run = _compute(client, scene)
    client.post(reverse("placement:send", args=[run.uuid]))
    client.force_login(scene.gouda_officer)
    man = run.lines.get(household=scene.man)
    response = client.post(
        reverse("placement:line", args=[man.uuid]),
        {"form": "response", "response-answer": "decline", "response-reason": ""},
    )
    assert response.status_code == 400
    assert "Geef een reden voor het afwijzen." in response.content.decode()


def test_others_see_nothing_of_a_proposal(client: Client, scene: Scene) -> None:
    run = _compute(client, scene)
    man = run.lines.get(household=scene.man)
    client.force_login(scene.gouda_officer)
    # A draft is the TWOV's own business.
    assert client.get(reverse("placement:run", args=[run.uuid])).status_code == 404
    assert client.get(reverse("placement:line", args=[man.uuid])).status_code == 404
    client.force_login(scene.coordinator)
    client.post(reverse("placement:send", args=[run.uuid]))
    client.force_login(scene.leiden_officer)
    assert client.get(reverse("placement:line", args=[man.uuid])).status_code == 404
    # An officer cannot send, approve or close.
    client.force_login(scene.gouda_officer)
    assert client.post(reverse("placement:close", args=[run.uuid])).status_code == 403
    assert client.post(reverse("placement:list"), {"on": "2024-03-02"}).status_code == 403
    from tests.accounts.factories import user_with_role

    client.force_login(user_with_role("steering_group_member", "twov"))
    assert client.get(reverse("placement:list")).status_code == 403
