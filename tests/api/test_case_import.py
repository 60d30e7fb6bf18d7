"""`pathways import`: existing cases on the real dev server and database (issue 5)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from rich.console import Console
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from core.settings import Settings
from db import case_imports, pathways, units
from db.models import AuditEntry, CaseImport, Participant, PathwayEvent, Unit
from domain.calendar import add_months
from domain.case_import import COLUMNS
from services import pathway_calls
from services.case_checks import ImportReport
from services.case_import import CaseImporter
from services.context import open_services
from services.imported_case import imported_pathway_id
from tests.support import Staff, eventually, local_today, person
from worker.case_import import import_file


def _day(days_ago: int) -> str:
    return (local_today() - timedelta(days=days_ago)).isoformat()


def _case(staff: Staff, external_id: str, **cells: str) -> dict[str, str]:
    who = person()
    row = {c: "" for c in COLUMNS}
    row.update(
        external_id=external_id,
        unit_code=staff.unit_code,
        caseworker=staff.caseworker_name,
        first_name=who["first_name"],
        last_name=who["last_name"],
        pesel=who["pesel"],
        phone=who["phone"],
        consent_sms="yes",
        categories="long_term_unemployed",
    )
    row.update(cells)
    return row


def _good_and_bad(staff: Staff) -> list[dict[str, str]]:
    """Rows 2-3 good (a KIS started seven months ago, a CIS in its main period); 4-6 bad."""
    kis = _case(
        staff,
        "OPS/1",
        programme="kis",
        start_date=_day(214),
        steps="; ".join(
            [
                f"record_diagnosis@{_day(213)}|summary=needs",
                f"sign_social_contract@{_day(212)}",
                f"record_attendance@{_day(200)}|hours=4|kind=workshop",
                f"mark_contract_fulfilled@{_day(30)}",
                f"complete_kis@{_day(1)}",
            ]
        ),
    )
    cis = _case(
        staff,
        "OPS/2",
        programme="cis",
        start_date=_day(60),
        steps=f"sign_ipzs@{_day(59)}; pass_trial@{_day(30)}",
        caseworker=staff.supervisor_name,  # admission and the trial's end are the head's acts
    )
    bad_pesel = _case(staff, "OPS/3", programme="kis", start_date=_day(10))
    bad_pesel["pesel"] = bad_pesel["pesel"][:10] + str((int(bad_pesel["pesel"][10]) + 1) % 10)
    too_early = _case(
        staff, "OPS/4", programme="kis", start_date=_day(10), steps=f"complete_kis@{_day(5)}"
    )
    stranger = _case(staff, "OPS/5", programme="kis", start_date=_day(10), caseworker="nobody")
    return [kis, cis, bad_pesel, too_early, stranger]


def _write(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "cases.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


async def _footprint(sessions: async_sessionmaker[AsyncSession], unit_code: str) -> dict[str, Any]:
    """Everything an import writes for the unit, counted."""
    async with sessions() as session:
        unit_id = (await session.execute(select(Unit.id).where(Unit.code == unit_code))).scalar()
        mine = select(Participant.id).where(Participant.unit_id == unit_id)

        async def count(query: Any) -> int:
            return int((await session.execute(query)).scalar_one())

        return {
            "participants": await count(select(func.count()).select_from(mine.subquery())),
            "imports": await count(
                select(func.count()).select_from(CaseImport).where(CaseImport.unit_id == unit_id)
            ),
            "events": await count(
                select(func.count())
                .select_from(PathwayEvent)
                .where(PathwayEvent.pathway_id.in_(select(CaseImport.pathway_id)))
            ),
            "audit": await count(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.unit_id == unit_id)
            ),
        }


async def _workflows(client: Client, unit_code: str) -> set[str]:
    return {w.id async for w in client.list_workflows(f"PathwayUnit='{unit_code}'")}


@pytest.fixture
async def importer(
    settings: Settings, dev_server: WorkflowEnvironment
) -> AsyncIterator[CaseImporter]:
    """The importer, on the test's database and the dev server, as `pathways import` runs it."""
    async with open_services(settings, dev_server.client) as services:
        yield CaseImporter(services)


async def test_a_dry_run_reports_bad_rows_by_row_and_column_and_writes_nothing(
    api: httpx.AsyncClient,
    staff: Staff,
    sessions: async_sessionmaker[AsyncSession],
    dev_server: WorkflowEnvironment,
    settings: Settings,
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, _good_and_bad(staff))
    before = await _footprint(sessions, staff.unit_code)
    out = io.StringIO()
    address = dev_server.client.service_client.config.target_host
    cli_settings = settings.model_copy(update={"temporal_address": address})

    status = await import_file(cli_settings, path, True, Console(file=out, width=200))

    lines = out.getvalue().splitlines()
    assert status == 1
    assert lines[0] == "row 4, column pesel: PESEL check digit does not match."
    assert lines[1].startswith("row 5, column steps: step 1 (complete_kis):")
    assert lines[2] == (
        f"row 6, column caseworker: nobody is not a caseworker or supervisor of {staff.unit_code}"
    )
    assert lines[3].startswith("dry run: 5 rows, 3 problems; 2 cases would be imported")
    assert await _footprint(sessions, staff.unit_code) == before
    assert await _workflows(dev_server.client, staff.unit_code) == set()


async def test_the_command_imports_the_good_rows_with_a_progress_bar_and_reports_the_bad(
    api: httpx.AsyncClient,
    staff: Staff,
    sessions: async_sessionmaker[AsyncSession],
    dev_server: WorkflowEnvironment,
    settings: Settings,
    tmp_path: Path,
) -> None:
    good = _case(staff, "OPS/7", programme="cis", start_date=_day(5))
    bad = _case(staff, "OPS/8", programme="cis", start_date=_day(5), birth_date="1990-02-30")
    bad["pesel"] = ""
    path = _write(tmp_path, [good, bad])
    out = io.StringIO()
    address = dev_server.client.service_client.config.target_host
    cli_settings = settings.model_copy(update={"temporal_address": address})

    status = await import_file(cli_settings, path, False, Console(file=out, width=200))

    text = out.getvalue()
    assert status == 1
    assert text.splitlines()[0].startswith("row 3, column birth_date: Input should be a valid date")
    assert "importing" in text and "1/1" in text  # the progress bar, finished
    assert "imported 1 cases (0 steps), 0 unchanged, 1 rows with problems, 0 failed." in text
    assert len(await _workflows(dev_server.client, staff.unit_code)) == 1


async def test_the_import_registers_opens_and_steps_back_dated_and_a_rerun_changes_nothing(
    api: httpx.AsyncClient,
    staff: Staff,
    sessions: async_sessionmaker[AsyncSession],
    dev_server: WorkflowEnvironment,
    settings: Settings,
    importer: CaseImporter,
    tmp_path: Path,
) -> None:
    rows = _good_and_bad(staff)
    path = _write(tmp_path, rows)
    advanced: list[int] = []

    report = await importer.run(await importer.check(path), lambda: advanced.append(1))

    assert (report.imported, report.unchanged, report.steps_sent) == (2, 0, 7)
    assert [p.row for p in report.problems] == [4, 5, 6] and report.failed == []
    assert len(advanced) == 2  # the progress bar moved once per case

    # Through the API, as a caseworker sees them: the KIS graduate, past six months long ago.
    kis = await _pathway_of(api, staff, rows[0]["last_name"])
    assert kis["stage"] == "kis_completed" and kis["graduate"] is True
    assert kis["started_on"] == _day(214)
    six_months = add_months(local_today() - timedelta(days=214), 6).isoformat()
    assert ("deadline_reached", six_months) in {
        (e["type"], e["occurred_on"]) for e in kis["timeline"]
    }
    assert [e["occurred_on"] for e in kis["timeline"] if e["type"] == "complete_kis"] == [_day(1)]
    cis = await _pathway_of(api, staff, rows[1]["last_name"])
    assert cis["stage"] == "cis_main"
    assert len(await _workflows(dev_server.client, staff.unit_code)) == 2

    async def projected() -> dict[str, Any] | None:
        seen = await _footprint(sessions, staff.unit_code)
        return seen if seen["events"] >= len(kis["timeline"]) + len(cis["timeline"]) else None

    after = await eventually(projected)

    again = await importer.run(await importer.check(path), lambda: None)

    assert (again.imported, again.unchanged, again.steps_sent) == (0, 2, 0)
    assert await _footprint(sessions, staff.unit_code) == after
    assert (await _pathway_of(api, staff, rows[0]["last_name"]))["timeline"] == kis["timeline"]


async def test_an_imported_case_with_other_contents_is_refused_not_changed(
    api: httpx.AsyncClient,
    staff: Staff,
    sessions: async_sessionmaker[AsyncSession],
    dev_server: WorkflowEnvironment,
    settings: Settings,
    importer: CaseImporter,
    tmp_path: Path,
) -> None:
    row = _case(
        staff,
        "OPS/9",
        programme="cis",
        start_date=_day(20),
        steps=f"sign_ipzs@{_day(19)}",
        caseworker=staff.supervisor_name,
    )
    first = await importer.run(await importer.check(_write(tmp_path, [row])), lambda: None)
    assert first.imported == 1
    changed = dict(row, steps=f"sign_ipzs@{_day(19)}; pass_trial@{_day(2)}")
    report: ImportReport = await importer.check(_write(tmp_path, [changed]))
    assert [str(p) for p in report.problems] == [
        "row 2, column external_id: this case was imported with other programme, start date or "
        "steps; an imported case is never changed"
    ]


async def _pathway_of(api: httpx.AsyncClient, staff: Staff, last_name: str) -> dict[str, Any]:
    listed = await api.get("/participants", params={"q": last_name}, headers=staff.caseworker)
    assert listed.status_code == 200, listed.text
    [item] = listed.json()["items"]
    pathway_id = item["pathway"]["id"]
    seen = await api.get(f"/pathways/{pathway_id}", headers=staff.caseworker)
    assert seen.status_code == 200, seen.text
    result: dict[str, Any] = seen.json()
    return result


async def test_an_interrupted_import_resumes_and_records_each_step_once(
    api: httpx.AsyncClient,
    staff: Staff,
    sessions: async_sessionmaker[AsyncSession],
    dev_server: WorkflowEnvironment,
    settings: Settings,
    importer: CaseImporter,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    steps = f"sign_ipzs@{_day(29)}; pass_trial@{_day(10)}; record_attendance@{_day(9)}|hours=6"
    row = _case(
        staff,
        "OPS/11",
        programme="cis",
        start_date=_day(30),
        steps=steps,
        caseworker=staff.supervisor_name,
    )
    path = _write(tmp_path, [row])
    real_start = pathway_calls.start

    async def answer_lost_after_the_start(*args: Any, **kwargs: Any) -> None:
        await real_start(*args, **kwargs)
        raise ConnectionError("the importing machine lost its network")

    # Temporal took the start (with the case's three steps), the answer never came back.
    monkeypatch.setattr(pathway_calls, "start", answer_lost_after_the_start)
    broken = await importer.run(await importer.check(path), lambda: None)
    assert broken.imported == 0
    assert [str(p) for p in broken.failed] == [
        "row 2, column external_id: not imported: ConnectionError; "
        "running the file again resumes this case"
    ]
    monkeypatch.undo()

    resumed = await importer.run(await importer.check(path), lambda: None)

    assert (resumed.imported, resumed.failed) == (1, [])
    pathway = await _pathway_of(api, staff, row["last_name"])
    taken = [e["type"] for e in pathway["timeline"] if e["actor"] == staff.supervisor_name]
    assert taken == ["sign_ipzs", "pass_trial", "record_attendance"]  # the first one once


async def test_a_pathway_registered_by_a_run_that_died_before_its_start_is_opened_again(
    api: httpx.AsyncClient,
    staff: Staff,
    sessions: async_sessionmaker[AsyncSession],
    dev_server: WorkflowEnvironment,
    settings: Settings,
    importer: CaseImporter,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    row = _case(staff, "OPS/12", programme="kis", start_date=_day(3))
    path = _write(tmp_path, [row])

    async def killed(*_: Any, **__: Any) -> None:
        raise RuntimeError("the process ends between the registration and the start")

    monkeypatch.setattr(pathway_calls, "start", killed)
    monkeypatch.setattr(pathways, "forget_pathway", _keep_registration)  # its rollback never runs
    died = await importer.run(await importer.check(path), lambda: None)
    assert [p.row for p in died.failed] == [2]
    monkeypatch.undo()
    async with sessions() as session:
        unit = await units.unit_by_code(session, staff.unit_code)
        assert unit is not None
        left = imported_pathway_id(settings.secret_key, unit.id, "OPS/12")
        assert await case_imports.pathway_registered(session, left)  # and no workflow

    resumed = await importer.run(await importer.check(path), lambda: None)

    assert (resumed.imported, resumed.failed) == (1, [])
    pathway = await _pathway_of(api, staff, row["last_name"])
    assert pathway["stage"] == "kis_intake"


async def _keep_registration(*_: Any) -> None:
    """What a killed process leaves: the registration, its rollback never run."""
