"""The permission matrix: every role against every page, API endpoint and export.

The list of routes comes from the URL configuration itself: a new route without a rule here
fails ``test_every_route_has_a_rule``, so nobody can add an endpoint and forget who may use it.
Expected answers: 200 (with the right rows for lists), 404 outside the scope of personal data
(existence is not disclosed), 403 for a role that has no business there, 302 to the log-in page
(pages) or 401/403 (API) without a log-in.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from opvangregie.accounts.constants import Role
from opvangregie.accounts.models import User
from opvangregie.capacity.models import Location
from opvangregie.placement import services as placement
from opvangregie.placement.models import PlacementRun, ProposalLine
from opvangregie.residents.models import Household, Person, Stay
from opvangregie.residents.services import HouseholdData, PersonData, household_create, stay_intake
from tests.accounts.factories import user_with_role
from tests.capacity.factories import make_location
from tests.residents.factories import make_household

D = datetime.date
ANON = "anonymous"
ROLES: dict[str, tuple[str, str] | None] = {
    ANON: None,
    "coordinator": (Role.COORDINATOR, "twov"),
    "gouda": (Role.MUNICIPAL_OFFICER, "GM0513"),
    "leiden": (Role.MUNICIPAL_OFFICER, "GM0546"),
    "rrt_member": (Role.RRT_MEMBER, "GM0513"),
    "rrt_secretary": (Role.RRT_SECRETARY, "midden-holland"),
    "steering": (Role.STEERING_GROUP_MEMBER, "vrhm"),
    "province": (Role.PROVINCE, "pv-zuid-holland"),
    "admin": (Role.ADMINISTRATOR, "vrhm"),
    "privacy": (Role.PRIVACY_OFFICER, "twov"),
    "finance": (Role.FINANCE_OFFICER, "GM0513"),
}
PERSONAL = {"coordinator", "gouda", "leiden"}  # roles that see any personal data
NO_PERSONAL = set(ROLES) - PERSONAL - {ANON}


@dataclass
class World:
    users: dict[str, User]
    gouda: Location
    household: Household  # stays in Gouda: the coordinator and Gouda see it, Leiden does not
    leiden_household: Household
    person: Person
    stay: Stay
    run: PlacementRun
    line: ProposalLine
    declaration: Any  # Gouda's, submitted
    cost_statement: Any
    governance: dict[str, Any]  # a meeting of RRT Midden-Holland with a document, etc.


@pytest.fixture
def world(db: None, settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path
    from opvangregie.capacity.reference import reference_load_all

    reference_load_all(region="hollands-midden")
    users = {name: user_with_role(*spec) if spec else None for name, spec in ROLES.items()}
    gouda = make_location(beds=10, municipality="GM0513", name="Kazerne Gouda")
    leiden = make_location(beds=10, municipality="GM0546", name="Pand Leiden")
    household = household_create(
        data=HouseholdData(persons=[PersonData("Olena", "Koval", D(1984, 3, 12), "female")])
    )
    stay_intake(household=household, location=gouda, on=D(2024, 2, 1))
    leiden_household = make_household(2)
    stay_intake(household=leiden_household, location=leiden, on=D(2024, 2, 1))
    cno = Location.objects.get(external_id="cno-nieuwe-sloot")
    waiting = make_household(1)
    stay_intake(household=waiting, location=cno, on=D(2024, 3, 1))
    run = placement.run_create(user=users["coordinator"], on=D(2024, 3, 2), time_limit=10)
    line = run.lines.get()
    if line.location != gouda:
        placement.line_override(
            user=users["coordinator"], line=line, location=gouda, reason="matrix"
        )
    placement.run_send(user=users["coordinator"], run=run)
    person = household.persons.get()
    from decimal import Decimal

    from opvangregie.finance import services as finance
    from opvangregie.organisations.models import Organisation

    declaration = finance.declaration_submit(
        user=users["coordinator"],
        municipality=Organisation.objects.get(code="GM0513"),
        first_day=D(2024, 1, 1),
        last_day=D(2024, 1, 31),
    )
    finance.cost_entry_create(
        user=users["coordinator"],
        incurred_on=D(2024, 1, 15),
        category="staff",
        description="Bezetting CNO",
        amount=Decimal("1200.00"),
    )
    cost_statement = finance.cost_statement_submit(
        user=users["coordinator"], first_day=D(2024, 1, 1), last_day=D(2024, 1, 31)
    )
    return World(
        governance=_governance(users),
        users=users,  # type: ignore[arg-type]
        gouda=gouda,
        household=household,
        leiden_household=leiden_household,
        person=person,
        stay=Stay.objects.get(person=person),
        run=run,
        line=run.lines.get(),
        declaration=declaration,
        cost_statement=cost_statement,
    )


def _governance(users: dict[str, Any]) -> dict[str, Any]:
    """RRT Midden-Holland (Gouda is in it) meets; its secretary prepares; a dilemma; a pack."""
    from django.utils import timezone

    from opvangregie.governance import services as governance
    from opvangregie.organisations.models import Body, Decision, Organisation

    secretary, coordinator = users["rrt_secretary"], users["coordinator"]
    rrt = Body.objects.get(code="rrt-midden-holland")
    meeting = governance.meeting_create(
        user=secretary,
        body=rrt,
        starts_at=timezone.make_aware(datetime.datetime(2024, 3, 10, 14, 0)),  # noqa: DTZ001
        place="Gouda",
    )
    item = governance.agenda_item_add(user=secretary, meeting=meeting, title="Stand van zaken")
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = governance.agenda_document_add(
        user=secretary,
        item=item,
        title="Notitie",
        file=SimpleUploadedFile("notitie.txt", b"Stand van zaken", content_type="text/plain"),
    )
    agreement = governance.agreement_create(
        user=secretary,
        body=rrt,
        title="Extra plaatsen",
        owner="RRT Midden-Holland",
        start_date=D(2024, 1, 1),
        deadline=D(2024, 7, 1),
        parties=[(Organisation.objects.get(code="midden-holland"), None)],
    )
    escalation = governance.escalation_raise(
        user=coordinator,
        title="Vraag",
        question="Wat doen we?",
        deadline=D(2024, 4, 1),
        raised_on=D(2024, 3, 1),
    )
    pack = governance.prt_pack_create(
        user=secretary,
        housing_region=Organisation.objects.get(code="midden-holland"),
        on=D(2024, 3, 14),
    )
    from opvangregie.reports.services import report_issue

    return {
        "report": report_issue(user=None, week="2024-W10", audience="rrt-midden-holland"),
        "meeting": meeting,
        "document": document,
        "agreement": agreement,
        "escalation": escalation,
        "pack": pack,
        "decision": Decision.objects.order_by("pk").first(),
    }


def _names(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else p.namespace
            if p.namespace == "admin":
                continue
            yield from _names(p.url_patterns, inner or namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}:{p.name}" if namespace else p.name


def _args(name: str, w: World) -> list[Any]:
    by_route = {
        "organisations:municipality": ["GM0513"],
        "organisations:body": ["stuurgroep-twov"],
        "organisations:organisation": ["twov"],
        "capacity:municipality_panel": ["GM0513"],
        "residents:person_bsn": [w.person.uuid],
        "residents:location_stays": [w.gouda.uuid],
        "placement:line": [w.line.uuid],
        "api:person-detail": [w.person.uuid],
        "api:stay-detail": [w.stay.uuid],
        "finance:declaration": ["GM0513"],
        "finance:declaration_submit": ["GM0513"],
        "finance:allowances": ["GM0513"],
        "finance:declaration_detail": [w.declaration.uuid],
        "finance:cost_statement_detail": [w.cost_statement.uuid],
        "api:declaration-detail": [w.declaration.uuid],
        "api:cost-statement-detail": [w.cost_statement.uuid],
        "governance:meeting": [w.governance["meeting"].uuid],
        "governance:meeting_ical": [w.governance["meeting"].uuid],
        "governance:document": [w.governance["document"].uuid],
        "governance:agreement": [w.governance["agreement"].uuid],
        "governance:escalation": [w.governance["escalation"].uuid],
        "governance:pack": [w.governance["pack"].uuid],
        "governance:pack_pdf": [w.governance["pack"].uuid],
        "api:meeting-detail": [w.governance["meeting"].uuid],
        "api:agreement-detail": [w.governance["agreement"].uuid],
        "api:escalation-detail": [w.governance["escalation"].uuid],
        "api:decision-detail": [w.governance["decision"].uuid],
        **{
            f"api:meeting-{action}": [w.governance["meeting"].uuid]
            for action in ("state", "items", "attendance", "decisions", "documents")
        },
        "api:agreement-status-set": [w.governance["agreement"].uuid],
        "api:agreement-notes": [w.governance["agreement"].uuid],
        **{
            f"api:escalation-{action}": [w.governance["escalation"].uuid]
            for action in ("schedule", "decide", "close")
        },
        "reports:detail": [w.governance["report"].uuid],
        "reports:download": [w.governance["report"].uuid, "csv"],
        "reports:preview_download": ["csv"],
        "api:report-detail": [w.governance["report"].uuid],
    }
    if name in by_route:
        return by_route[name]
    if name.startswith(("capacity:", "api:location-")) and not name.endswith(
        ("list", "create", "targets")
    ):
        return [w.gouda.uuid]
    if name.startswith(("residents:", "api:household-")) and not name.endswith(
        ("search", "create", "list")
    ):
        return [w.household.uuid]
    if name.startswith(("placement:", "api:placement-run-")) and not name.endswith("list"):
        return [w.run.uuid]
    if name.startswith("api:proposal-line-"):
        return [w.line.uuid]
    if name.startswith("api:organisation-detail"):
        from opvangregie.organisations.models import Organisation

        return [Organisation.objects.get(code="twov").uuid]
    if name.startswith("api:body-detail"):
        from opvangregie.organisations.models import Body

        return [Body.objects.get(code="stuurgroep-twov").uuid]
    if name.startswith("api:seat-detail"):
        from opvangregie.organisations.models import Seat

        return [Seat.objects.first().uuid]  # type: ignore[union-attr]
    return []


def everyone(status: int, anon: int = 302) -> dict[str, int]:
    return {ANON: anon, **dict.fromkeys(set(ROLES) - {ANON}, status)}


def personal(
    coordinator: int, gouda: int, leiden: int, others: int = 403, anon: int = 302
) -> dict[str, int]:
    return {
        ANON: anon,
        "coordinator": coordinator,
        "gouda": gouda,
        "leiden": leiden,
        **dict.fromkeys(NO_PERSONAL, others),
    }


def only(allowed: dict[str, int], others: int, anon: int = 302) -> dict[str, int]:
    return {ANON: anon, **dict.fromkeys(set(ROLES) - {ANON}, others), **allowed}


API_ANON = 401
NO_FIGURES = {"admin": 403, "privacy": 403, "finance": 403}
QUERY = {
    "api:flows": "?from=2024-01-01&to=2024-03-31",
    "api:declaration-preview": "?municipality=GM0513&first_day=2024-01-01&last_day=2024-01-31",
    "api:cost-statement-preview": "?first_day=2024-01-01&last_day=2024-01-31",
    "reports:preview": "?week=2024-W10&audience=rrt-midden-holland",
    "reports:preview_download": "?week=2024-W10&audience=rrt-midden-holland",
}
GOUDA_FINANCE = {"coordinator": 200, "gouda": 200, "finance": 200}
REPORT_MH = {"coordinator": 200, "steering": 200, "rrt_member": 200, "rrt_secretary": 200}
RRT_MH = {"coordinator": 200, "rrt_member": 200, "rrt_secretary": 200}
FINANCE_PAGES = {"coordinator": 200, "gouda": 200, "leiden": 200, "finance": 200}
# route name -> (method, expected status per role)
RULES: dict[str, tuple[str, dict[str, int]]] = {
    "home": ("GET", everyone(200)),
    "login": ("GET", everyone(200, anon=200)),
    "logout": ("POST", everyone(302, anon=302)),
    "second_factor": ("GET", everyone(200)),
    "set_language": ("POST", everyone(302, anon=302)),
    "organisations:list": ("GET", everyone(200)),
    "organisations:structure": ("GET", everyone(200)),
    "organisations:municipality": ("GET", everyone(200)),
    "organisations:body": ("GET", everyone(200)),
    "organisations:organisation": ("GET", everyone(200)),
    "capacity:list": ("GET", everyone(200)),
    "capacity:targets": ("GET", everyone(200)),
    "capacity:municipality_panel": ("GET", everyone(200)),
    "capacity:detail": ("GET", everyone(200)),
    # Changing a location: the coordinator and the location's own municipality.
    "capacity:create": ("GET", personal(200, 200, 200)),
    "capacity:capacity_change": ("POST", personal(200, 200, 403)),
    "capacity:status_change": ("POST", personal(200, 200, 403)),
    # Personal data: the Gouda household is the coordinator's and Gouda's, not Leiden's.
    "residents:search": ("GET", personal(200, 200, 200)),
    "residents:create": ("GET", personal(200, 200, 200)),
    "residents:household": ("GET", personal(200, 200, 404)),
    "residents:move": ("POST", personal(200, 200, 404)),
    "residents:departure": ("POST", personal(200, 200, 404)),
    "residents:person_bsn": ("POST", personal(400, 403, 404)),
    "residents:location_stays": ("GET", personal(200, 200, 404)),
    # Placement: proposals are the TWOV's; a municipality sees what was sent to it.
    "placement:list": ("GET", personal(200, 200, 200)),
    "placement:run": ("GET", personal(200, 200, 404)),
    "placement:send": ("POST", personal(302, 403, 404)),
    "placement:approve": ("POST", personal(400, 403, 404)),
    "placement:close": ("POST", personal(302, 403, 404)),
    "placement:line": ("GET", personal(200, 200, 404)),
    "audit:list": ("GET", {**everyone(403), "privacy": 200}),
    # API: figures for those who may see figures; personal data as on the pages.
    "api:openapi": ("GET", everyone(200, anon=200)),
    "api:occupancy": ("GET", everyone(200, anon=API_ANON)),
    # Roles outside the reception's governance (administrator, privacy officer, finance
    # officer) have no level of sight on the figures API.
    "api:figures": ("GET", {**everyone(200, anon=API_ANON), **NO_FIGURES}),
    "api:flows": ("GET", {**everyone(200, anon=API_ANON), **NO_FIGURES}),
    "api:forecast": ("GET", {**everyone(200, anon=API_ANON), **NO_FIGURES}),
    "api:organisation-list": ("GET", everyone(200, anon=API_ANON)),
    "api:organisation-detail": ("GET", everyone(200, anon=API_ANON)),
    "api:body-list": ("GET", everyone(200, anon=API_ANON)),
    "api:body-detail": ("GET", everyone(200, anon=API_ANON)),
    "api:seat-list": ("GET", everyone(200, anon=API_ANON)),
    "api:seat-detail": ("GET", everyone(200, anon=API_ANON)),
    "api:location-list": ("GET", everyone(200, anon=API_ANON)),
    "api:location-detail": ("GET", everyone(200, anon=API_ANON)),
    "api:location-capacity": ("POST", personal(400, 400, 403, others=403, anon=API_ANON)),
    "api:location-status-change": (
        "POST",
        personal(400, 400, 403, others=403, anon=API_ANON),
    ),
    "api:household-list": ("GET", personal(200, 200, 200, others=200, anon=API_ANON)),
    "api:household-detail": ("GET", personal(200, 200, 404, others=404, anon=API_ANON)),
    "api:household-intake": ("POST", personal(400, 400, 404, others=404, anon=API_ANON)),
    "api:household-move": ("POST", personal(400, 400, 404, others=404, anon=API_ANON)),
    "api:household-departure": ("POST", personal(400, 400, 404, others=404, anon=API_ANON)),
    "api:person-list": ("GET", personal(200, 200, 200, others=200, anon=API_ANON)),
    "api:person-detail": ("GET", personal(200, 200, 404, others=404, anon=API_ANON)),
    "api:stay-list": ("GET", personal(200, 200, 200, others=200, anon=API_ANON)),
    "api:stay-detail": ("GET", personal(200, 200, 404, others=404, anon=API_ANON)),
    "api:placement-run-list": ("GET", personal(200, 200, 200, others=200, anon=API_ANON)),
    "api:placement-run-detail": ("GET", personal(200, 200, 404, others=404, anon=API_ANON)),
    "api:placement-run-send": ("POST", personal(400, 403, 404, others=404, anon=API_ANON)),
    "api:placement-run-approve": ("POST", personal(400, 403, 404, others=404, anon=API_ANON)),
    "api:placement-run-close": ("POST", personal(200, 403, 404, others=404, anon=API_ANON)),
    "api:proposal-line-detail": ("GET", personal(200, 200, 404, others=404, anon=API_ANON)),
    "api:proposal-line-override": ("POST", personal(400, 403, 404, others=404, anon=API_ANON)),
    "api:proposal-line-respond": ("POST", personal(400, 400, 404, others=404, anon=API_ANON)),
    # Finance: the municipality's own officers see its totals; amounts per household and
    # submitting are for coordinators and its finance officers; the TWOV's costs for coordinators.
    "finance:overview": ("GET", only(FINANCE_PAGES, 403)),
    "finance:rates": ("GET", only(FINANCE_PAGES, 403)),
    "finance:declaration": ("GET", only(GOUDA_FINANCE, 403)),
    "finance:declaration_submit": ("POST", only({"coordinator": 302, "finance": 302}, 403)),
    "finance:declaration_detail": ("GET", only(GOUDA_FINANCE, 404)),
    "finance:allowances": ("GET", only(GOUDA_FINANCE, 403)),
    "finance:costs": ("GET", only({"coordinator": 200}, 403)),
    "finance:cost_statement_submit": ("POST", only({"coordinator": 302}, 403)),
    "finance:cost_statement_detail": ("GET", only({"coordinator": 200}, 404)),
    "api:standard-rate-list": ("GET", everyone(200, anon=API_ANON)),
    "api:declaration-list": ("GET", everyone(200, anon=API_ANON)),
    "api:declaration-detail": ("GET", only(GOUDA_FINANCE, 404, anon=API_ANON)),
    "api:declaration-preview": ("GET", only(GOUDA_FINANCE, 403, anon=API_ANON)),
    "api:cost-entry-list": ("GET", only({"coordinator": 200}, 403, anon=API_ANON)),
    "api:cost-statement-list": ("GET", everyone(200, anon=API_ANON)),
    "api:cost-statement-detail": ("GET", only({"coordinator": 200}, 404, anon=API_ANON)),
    "api:cost-statement-preview": ("GET", only({"coordinator": 200}, 403, anon=API_ANON)),
    # Governance: members of a body (on the meeting's date) see its meetings and packs, its
    # secretaries edit them, TWOV coordinators see all; the draft agenda is the secretaries'.
    # Gouda is a party in RRT Midden-Holland through its member (rrt_member), not its officer.
    "governance:index": ("GET", everyone(200)),
    "governance:meeting": ("GET", only(RRT_MH, 404)),
    "governance:meeting_ical": ("GET", only(RRT_MH, 404)),
    "governance:calendar": ("GET", everyone(200)),
    "governance:document": ("GET", only({"coordinator": 200, "rrt_secretary": 200}, 404)),
    "governance:agreements": ("GET", everyone(200)),
    "governance:agreement": ("GET", only(RRT_MH, 404)),
    "governance:escalations": ("GET", everyone(200)),
    "governance:escalation": ("GET", only({"coordinator": 200, "steering": 200}, 404)),
    "governance:decisions": ("GET", everyone(200)),
    "governance:packs": ("GET", everyone(200)),
    "governance:pack": ("GET", only(RRT_MH, 404)),
    "governance:pack_pdf": ("GET", only(RRT_MH, 404)),
    "governance:evaluation": ("GET", only({"coordinator": 200, "steering": 200}, 403)),
    "governance:notifications": ("GET", everyone(200)),
    "api:meeting-list": ("GET", everyone(200, anon=API_ANON)),
    "api:meeting-detail": ("GET", only(RRT_MH, 404, anon=API_ANON)),
    "api:agreement-list": ("GET", everyone(200, anon=API_ANON)),
    "api:agreement-detail": ("GET", only(RRT_MH, 404, anon=API_ANON)),
    "api:escalation-list": ("GET", everyone(200, anon=API_ANON)),
    "api:escalation-detail": (
        "GET",
        only({"coordinator": 200, "steering": 200}, 404, anon=API_ANON),
    ),
    # Writes: the secretary of the body (RRT Midden-Holland's; the TWOV for the stuurgroep)
    # gets past the permission check to the validation of the empty call (400); who sees the
    # object without being its secretary gets 403, who does not see it 404.
    **{
        f"api:meeting-{action}": (
            "POST",
            only({"rrt_secretary": 400, "coordinator": 403, "rrt_member": 403}, 404, anon=API_ANON),
        )
        for action in ("state", "items", "attendance", "decisions", "documents")
    },
    "api:agreement-status-set": (
        "POST",
        only({"rrt_secretary": 400, "coordinator": 403, "rrt_member": 403}, 404, anon=API_ANON),
    ),
    "api:agreement-notes": (
        "POST",
        only({"rrt_secretary": 400, "coordinator": 403, "rrt_member": 403}, 404, anon=API_ANON),
    ),
    **{
        f"api:escalation-{action}": (
            "POST",
            only({"coordinator": 400, "steering": 403}, 404, anon=API_ANON),
        )
        for action in ("schedule", "decide", "close")
    },
    "api:decision-list": ("GET", everyone(200, anon=API_ANON)),
    "api:decision-detail": ("GET", everyone(200, anon=API_ANON)),
    # Reports: the RRT Midden-Holland report is for the stuurgroep side (coordinators, steering
    # group) and that RRT; the province sees the PRT's only; the dashboard follows the figures
    # scope (not the province, whose figures leave the region only through the PRT report).
    "reports:list": ("GET", only({**REPORT_MH, "province": 200}, 403)),
    "reports:detail": ("GET", only(REPORT_MH, 404)),
    "reports:download": ("GET", only(REPORT_MH, 404)),
    "reports:preview": ("GET", only({**REPORT_MH, "province": 200}, 403)),
    "reports:preview_download": ("GET", only({**REPORT_MH, "province": 404}, 403)),
    "reports:issue": ("POST", only({"coordinator": 302, "rrt_secretary": 302}, 403)),
    "reports:dashboard": (
        "GET",
        only({**REPORT_MH, "gouda": 200, "leiden": 200}, 403),
    ),
    "api:report-list": ("GET", everyone(200, anon=API_ANON)),
    "api:report-detail": ("GET", only(REPORT_MH, 404, anon=API_ANON)),
}
# Rows each role sees in the lists of personal data (the Gouda household, the Leiden household,
# the household waiting at the CNO that was proposed to Gouda).
LIST_ROWS = {
    "api:household-list": {"coordinator": 3, "gouda": 2, "leiden": 1},
    "api:person-list": {"coordinator": 4, "gouda": 2, "leiden": 2},
    "api:placement-run-list": {"coordinator": 1, "gouda": 1, "leiden": 0},
    "api:declaration-list": {"coordinator": 1, "gouda": 1, "finance": 1},
    "api:cost-statement-list": {"coordinator": 1},
    "api:meeting-list": {"coordinator": 1, "rrt_member": 1, "rrt_secretary": 1},
    "api:agreement-list": {"coordinator": 1, "rrt_member": 1, "rrt_secretary": 1},
    "api:escalation-list": {"coordinator": 1, "steering": 1},
    "api:report-list": {"coordinator": 1, "steering": 1, "rrt_member": 1, "rrt_secretary": 1},
}


def test_every_route_has_a_rule() -> None:
    routes = set(_names(get_resolver().url_patterns)) - {"api:?"}
    missing = sorted(routes - set(RULES))
    assert missing == [], f"routes without a permission rule: {missing}"
    assert sorted(set(RULES) - routes) == []


@pytest.mark.skipif(not __import__("os").environ.get("PROBE"), reason="a helper: PROBE=route,…")
def test_probe(world: World) -> None:
    """Prints what every role gets on the routes named in PROBE (a helper for writing rules)."""
    import os

    for name in os.environ.get("PROBE", "").split(","):
        if not name:
            continue
        url = reverse(name, args=_args(name, world)) + QUERY.get(name, "")
        for role in ROLES:
            client = Client()
            if world.users.get(role) is not None:
                client.force_login(world.users[role])
            get, post = client.get(url).status_code, client.post(url).status_code
            print(f"PROBE {name} {role} GET {get} POST {post}")  # noqa: T201 - output wanted


def test_the_matrix(world: World) -> None:
    wrong = []
    for name, (method, expected) in sorted(RULES.items()):
        url = reverse(name, args=_args(name, world)) + QUERY.get(name, "")
        for role, status in expected.items():
            client = Client()
            if world.users.get(role) is not None:
                client.force_login(world.users[role])
            response = client.post(url) if method == "POST" else client.get(url)
            if response.status_code != status:
                wrong.append(f"{role} {method} {name}: {response.status_code}, expected {status}")
            elif status == 200 and name in LIST_ROWS:
                rows = response.json()["count"]
                want = LIST_ROWS[name].get(role, 0)
                if rows != want:
                    wrong.append(f"{role} {name}: {rows} rows, expected {want}")
    assert wrong == []
