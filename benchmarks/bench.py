"""Benchmarks for the occupancy figures and the residents import.

    python benchmarks/bench.py occupancy --db sqlite|postgres [--runs 7]
    python benchmarks/bench.py import --db sqlite|postgres [--rows 100000]
    python benchmarks/bench.py dashboard --db sqlite|postgres [--runs 7]
    python benchmarks/bench.py report --db sqlite|postgres [--runs 5]

Each run builds its own database (an SQLite file under var/bench/ or a fresh PostgreSQL
database `opvangregie_bench`, or $BENCH_DATABASE), prints its figures and writes them, with
machine, date, command and load average, into docs/benchmarks.md between the markers of that
benchmark. Timings are medians of several runs; the machines are small and noisy. Benchmarks
are not tests: nothing here asserts.

`dashboard` and `report` time the steering group's dashboard data on one date and its weekly
report (figures, PDF) first on the region scenario, then on the national one in the same
database: the query counts must not change with the number of locations.
"""

import argparse
import csv
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
END = datetime.date(2026, 6, 30)  # a fixed last day, so that runs compare
# The PostgreSQL database each run drops and creates (BENCH_DATABASE: another name, so that
# runs on one server do not clash).
PG_NAME = os.environ.get("BENCH_DATABASE", "opvangregie_bench")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"


def _setup(db: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opvangregie.settings")
    os.environ["DEMO_MODE"] = "1"
    if db == "postgres":
        for sql in (
            f"DROP DATABASE IF EXISTS {PG_NAME}",
            f"CREATE DATABASE {PG_NAME}",
        ):
            subprocess.run(  # noqa: S603
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql, "postgres"],  # noqa: S607
                check=True,
            )
        os.environ["DATABASE_URL"] = PG_URL
    else:
        path = ROOT / "var" / "bench" / "bench.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", "hollands-midden", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}"


def _write_doc(name: str, body: str) -> None:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


def _header(db: str, args: list[str]) -> str:
    import django
    from django.db import connection

    version = connection.cursor().connection.info.server_version if db == "postgres" else None
    engine = f"PostgreSQL {version // 10000}.{version % 100}" if version else "SQLite"
    return (
        f"- date: {datetime.date.today().isoformat()}\n"  # noqa: DTZ011
        f"- machine: {_machine()}\n"
        f"- database: {engine}, Django {django.get_version()}\n"
        f"- command: `python benchmarks/bench.py {' '.join(args)}`\n"
    )


def occupancy(db: str, runs: int, args: list[str]) -> None:
    _setup(db)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opvangregie.capacity.selectors import occupancy_on
    from opvangregie.residents.scenario import scenario_generate

    started = time.perf_counter()
    report = scenario_generate(seed=42, scale="national", end=END)
    generated = time.perf_counter() - started
    day = datetime.date(2025, 1, 15)
    timings, queries = [], []
    result = None
    for _ in range(runs):
        connection.close()  # every run pays for its own connection and cold statements
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            result = occupancy_on(on=day, include_inactive=True)
            timings.append(time.perf_counter() - t0)
        queries.append(len(captured.captured_queries))
    if result is None:
        raise SystemExit("no runs")
    # The same call restricted to one municipality: the query count must not depend on size.
    with CaptureQueriesContext(connection) as captured:
        one = occupancy_on(on=day, municipality="GMN001", include_inactive=True)
    body = (
        f"### Occupancy on one date, all locations — {db}\n\n"
        + _header(db, args)
        + f"- data: national scenario (seed 42, until {END}): {report.municipalities} "
        f"municipalities, {report.locations} locations, {report.persons:,} persons, "
        f"{report.stays:,} stays (generated in {generated:.0f} s)\n\n"
        "| what | locations | queries | median | min | max | runs |\n"
        "|---|---:|---:|---:|---:|---:|---:|\n"
        f"| `occupancy_on({day})` + totals per municipality and housing region | "
        f"{len(result.locations)} | {statistics.median(queries)} | "
        f"{statistics.median(timings) * 1000:.0f} ms | {min(timings) * 1000:.0f} ms | "
        f"{max(timings) * 1000:.0f} ms | {runs} |\n"
        f"| the same for one municipality | {len(one.locations)} | "
        f"{len(captured.captured_queries)} | | | | 1 |\n"
    )
    print(body)
    _write_doc(f"occupancy-{db}", body)


def import_residents(db: str, rows: int, args: list[str]) -> None:
    _setup(db)
    from opvangregie.capacity.constants import LocationStatus, LocationType
    from opvangregie.capacity.models import CapacityRecord, Location, LocationStatusEvent
    from opvangregie.core.tabular import read_table
    from opvangregie.organisations.models import Organisation
    from opvangregie.residents.imports import residents_import

    municipalities = list(Organisation.objects.filter(kind="municipality"))
    count = max(rows // 40, 1)
    Location.objects.bulk_create(
        Location(
            external_id=f"bench-{i}",
            name=f"Bench {i}",
            type=LocationType.MUNICIPAL,
            municipality=municipalities[i % len(municipalities)],
        )
        for i in range(count)
    )
    ids = dict(
        Location.objects.filter(external_id__startswith="bench-").values_list("external_id", "pk")
    )
    LocationStatusEvent.objects.bulk_create(
        LocationStatusEvent(
            location_id=pk, status=LocationStatus.OPEN, effective_date=datetime.date(2024, 1, 1)
        )
        for pk in ids.values()
    )
    CapacityRecord.objects.bulk_create(
        CapacityRecord(location_id=pk, valid_from=datetime.date(2024, 1, 1), beds=60)
        for pk in ids.values()
    )
    path = ROOT / "var" / "bench" / f"residents-{rows}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "external_id",
                "household_id",
                "given_name",
                "family_name",
                "birth_date",
                "sex",
                "languages",
                "location",
                "intake_date",
            ]
        )
        person, household = 0, 0
        while person < rows:
            size = (1, 2, 3, 2, 4, 1, 2)[household % 7]
            for k in range(min(size, rows - person)):
                writer.writerow(
                    [
                        f"p{person}",
                        f"h{household}",
                        "Olena",
                        f"Koval{household}",
                        f"19{50 + k * 9 % 50}-03-0{1 + k}",
                        "v" if k % 2 == 0 else "m",
                        "uk",
                        f"bench-{household % count}",
                        "2024-05-01",
                    ]
                )
                person += 1
            household += 1
    header, table = read_table(path)
    started = time.perf_counter()
    report = residents_import(header=header, rows=table, dry_run=False)
    elapsed = time.perf_counter() - started
    if not report.ok:
        print(report.problems[:5])
        sys.exit(1)
    header, table = read_table(path)
    again_started = time.perf_counter()
    again = residents_import(header=header, rows=table, dry_run=False)
    again_elapsed = time.perf_counter() - again_started
    body = (
        f"### Residents import — {db}\n\n"
        + _header(db, args)
        + f"- data: {rows:,} rows ({household:,} households) into {count:,} locations"
        " of 60 beds\n\n"
        "| what | rows | time | rows/s |\n|---|---:|---:|---:|\n"
        f"| first import (all created, through the services) | {report.rows:,} | {elapsed:.1f} s | "
        f"{report.rows / elapsed:,.0f} |\n"
        f"| re-import of the same file (all unchanged) | {again.rows:,} | {again_elapsed:.1f} s | "
        f"{again.rows / again_elapsed:,.0f} |\n"
    )
    print(body)
    _write_doc(f"import-{db}", body)


# -- dashboard and weekly report (docs/monitoring.md, docs/reports.md) ---------------------

DAY = datetime.date(2025, 1, 15)  # the dashboard's date; the report is for its ISO week


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _timed(call, runs: int):  # type: ignore[no-untyped-def]
    """Medians of ``runs`` calls, each on a fresh connection; (timings, queries, last result)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries, result = [], [], None
    for _ in range(runs):
        connection.close()
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            result = call()
            timings.append(time.perf_counter() - t0)
        queries.append(len(captured.captured_queries))
    return timings, queries, result


def _row(what: str, locations: int, timings: list[float], queries: list[int]) -> str:
    unit = 1000 if max(timings) < 10 else 1
    fmt = (lambda t: f"{t * 1000:.0f} ms") if unit == 1000 else (lambda t: f"{t:.1f} s")
    spread = len(set(queries)) > 1
    count = f"{min(queries)}-{max(queries)}" if spread else str(queries[0])
    return (
        f"| {what} | {locations:,} | {count} | {fmt(statistics.median(timings))} | "
        f"{fmt(min(timings))} | {fmt(max(timings))} | {len(timings)} |\n"
    )


def _steering_group_user():  # type: ignore[no-untyped-def]
    from opvangregie.accounts.constants import Role
    from opvangregie.accounts.models import User
    from opvangregie.accounts.services import role_assignment_create
    from opvangregie.organisations.models import Organisation

    user = User.objects.create_user(username="bench-stuurgroep", password=None)
    role_assignment_create(
        user=user,
        role=Role.STEERING_GROUP_MEMBER,
        organisation=Organisation.objects.get(code="vrhm"),
    )
    return user


def monitoring(what: str, db: str, runs: int, args: list[str]) -> None:
    """The dashboard's data (``dashboard``) or the weekly report (``report``) for the steering
    group, first on the region scenario (Hollands Midden), then on the national one, in the
    same database: the query counts must be the same, the times show how far it scales."""
    _setup(db)
    from collections import Counter

    from django.db import connection

    from opvangregie.capacity.models import Location
    from opvangregie.monitoring.selectors import places_on
    from opvangregie.reports.constants import Audience, Format
    from opvangregie.reports.content import report_content, week_of
    from opvangregie.reports.dashboard import dashboard_on
    from opvangregie.reports.render import report_export
    from opvangregie.residents.scenario import scenario_delete, scenario_generate

    user = _steering_group_user()
    week = week_of(DAY)
    load_before = _load()
    rows, data = [], []
    for scale in ("region", "national"):
        started = time.perf_counter()
        report = scenario_generate(seed=42, scale=scale, end=END)
        generated = time.perf_counter() - started
        if db == "postgres":  # statistics and visibility map, as autovacuum keeps them
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        locations = Location.objects.count()
        data.append(
            f"{scale} scenario (seed 42, until {END}): {report.municipalities} municipalities, "
            f"{report.locations:,} locations, {report.persons:,} persons, {report.stays:,} stays "
            f"(generated in {generated:.0f} s)"
        )
        if what == "dashboard":
            timings, queries, board = _timed(lambda: dashboard_on(user=user, on=DAY), runs)
            rows.append(
                _row(
                    f"{scale}: `dashboard_on({DAY})`, steering group, level {board.level} "
                    f"({len(board.units)} units, {len(board.charts)} charts)",
                    locations,
                    timings,
                    queries,
                )
            )
            if scale == "national":
                # One housing region's municipalities (the drill-down a regional table uses).
                places = places_on(on=DAY)
                per_region = Counter(
                    places[code].housing_region.code
                    for code in Location.objects.values_list("municipality__code", flat=True)
                    if code in places
                )
                housing = per_region.most_common(1)[0][0]
                timings, queries, board = _timed(
                    lambda h=housing: dashboard_on(
                        user=user, on=DAY, level="municipality", parent=h
                    ),
                    runs,
                )
                rows.append(
                    _row(
                        f"{scale}: the same, level municipality under one housing region "
                        f"({len(board.units)} units)",
                        locations,
                        timings,
                        queries,
                    )
                )
        else:
            timings, queries, content = _timed(
                lambda: report_content(week=week, audience=Audience.STEERING_GROUP), runs
            )
            units = len({(r["level"], r["code"]) for r in content["figures"]})
            rows.append(
                _row(
                    f"{scale}: `report_content({week}, stuurgroep)` ({units} units)",
                    locations,
                    timings,
                    queries,
                )
            )
            if scale == "region":
                # The PDF of the region's report. Not at national scale: the steering group's
                # report lists every unit in the database (hundreds of pages), not a region's.
                timings, queries, pdf = _timed(lambda c=content: report_export(c, Format.PDF), runs)
                rows.append(
                    _row(
                        f"{scale}: the PDF of it ({len(pdf[0]) / 1024:.0f} KiB)",
                        locations,
                        timings,
                        queries,
                    )
                )
                timings, queries, _pdf = _timed(
                    lambda: report_export(
                        report_content(week=week, audience=Audience.STEERING_GROUP), Format.PDF
                    ),
                    runs,
                )
                rows.append(_row(f"{scale}: figures and PDF together", locations, timings, queries))
        if scale == "region":
            scenario_delete()
    title = {
        "dashboard": f"Dashboard data on one date, steering group — {db}",
        "report": f"Weekly report {week} for the steering group, figures and PDF — {db}",
    }[what]
    body = (
        f"### {title}\n\n"
        + _header(db, args)
        + f"- load average (1, 5, 15 min) before: {load_before}; after: {_load()}\n"
        + "".join(f"- data: {d}\n" for d in data)
        + "\n| what | locations | queries | median | min | max | runs |\n"
        "|---|---:|---:|---:|---:|---:|---:|\n" + "".join(rows)
    )
    print(body)
    _write_doc(f"{what}-{db}", body)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["occupancy", "import", "dashboard", "report"])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rows", type=int, default=100_000)
    options = parser.parse_args()
    args = sys.argv[1:]
    if options.what == "occupancy":
        occupancy(options.db, options.runs, args)
    elif options.what in ("dashboard", "report"):
        monitoring(options.what, options.db, options.runs, args)
    else:
        import_residents(options.db, options.rows, args)


if __name__ == "__main__":
    main()
