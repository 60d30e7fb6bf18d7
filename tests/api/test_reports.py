"""Supervisors' reports fed by real workflows: steps over HTTP, projection, KPIs, exports, audit."""

from __future__ import annotations

import io
import time
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import PathwayMonth, PathwayReportRow
from domain.calendar import add_months
from tests.support import PASSWORD, Staff, eventually, local_today, login, person


def _period() -> dict[str, str]:
    """The year up to today (the servers' today: the machine's clock, read when asked)."""
    today = local_today()
    return {"from": (today - timedelta(days=365)).isoformat(), "to": today.isoformat()}


async def _open(
    api: httpx.AsyncClient, staff: Staff, programme: str, start: date
) -> dict[str, Any]:
    participant = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    answer = await api.post(
        f"/participants/{participant['id']}/pathways",
        headers=staff.caseworker,
        json={"programme": programme, "start_date": start.isoformat()},
    )
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def _steps(
    api: httpx.AsyncClient,
    pathway: dict[str, Any],
    steps: list[tuple[dict[str, str], dict[str, Any]]],
) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for headers, step in steps:
        answer = await api.post(f"/pathways/{pathway['id']}/actions", json=step, headers=headers)
        assert answer.status_code == 200, (step, answer.text)
        state = answer.json()
    return state


async def _two_pathways(
    api: httpx.AsyncClient, staff: Staff
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A KIS graduate in qualifying work, and a CIS leaver with a 2-month contract."""
    cw, sv = staff.caseworker, staff.supervisor
    kis_start = add_months(local_today(), -7)
    kis = await _open(api, staff, "kis", kis_start)
    kis_state = await _steps(
        api,
        kis,
        [
            (cw, {"type": "record_diagnosis", "occurred_on": str(kis_start + timedelta(days=1))}),
            (
                cw,
                {"type": "sign_social_contract", "occurred_on": str(kis_start + timedelta(days=2))},
            ),
            (cw, {"type": "record_attendance", "hours": 4}),
            (cw, {"type": "record_attendance", "hours": 3}),
            (cw, {"type": "record_absence", "kind": "unexcused"}),
            (cw, {"type": "mark_contract_fulfilled"}),
            (cw, {"type": "complete_kis"}),
            (cw, {"type": "record_outcome", "employed": True, "contract_months": 6, "fte": "1.0"}),
        ],
    )
    assert kis_state["stage"] == "closed" and kis_state["graduate"] is True
    cis_start = local_today() - timedelta(days=60)
    cis = await _open(api, staff, "cis", cis_start)
    cis_state = await _steps(
        api,
        cis,
        [
            (sv, {"type": "sign_ipzs", "occurred_on": str(cis_start + timedelta(days=1))}),
            (sv, {"type": "pass_trial", "occurred_on": str(cis_start + timedelta(days=10))}),
            (cw, {"type": "record_attendance", "hours": 6}),
            (sv, {"type": "award_bonus", "amount": "100.00"}),
            (cw, {"type": "withdraw"}),
            (cw, {"type": "record_outcome", "employed": True, "contract_months": 2, "fte": "1.0"}),
        ],
    )
    assert cis_state["outcome"] == "employed_not_qualifying"
    return kis_state, cis_state


async def test_steps_taken_over_http_reach_the_kpis(
    api: httpx.AsyncClient,
    staff: Staff,
    sessions: async_sessionmaker[AsyncSession],
    record_property: Any,
) -> None:
    kis, cis = await _two_pathways(api, staff)
    sent = time.monotonic()

    async def folded() -> bool:
        async with sessions() as session:
            rows = {
                str(r.pathway_id): r.last_seq
                for r in (await session.execute(select(PathwayReportRow))).scalars()
                if str(r.pathway_id) in (kis["id"], cis["id"])
            }
        # A step's answer holds the events it recorded: the last one's seq is the pathway's.
        last: dict[str, int] = {p["id"]: p["timeline"][-1]["seq"] for p in (kis, cis)}
        return rows.get(kis["id"]) == last[kis["id"]] and rows.get(cis["id"]) == last[cis["id"]]

    await eventually(folded)
    lag_ms = round((time.monotonic() - sent) * 1000)
    record_property("report_row_lag_ms", lag_ms)  # from the last step's answer to its row
    print(f"report row visible {lag_ms} ms after the last step's answer")

    # The closed KIS pathway's timeline now comes from the read model; the open one has none.
    closed = await api.get(f"/participants/{kis['participant_id']}", headers=staff.supervisor)
    assert [e["type"] for e in closed.json()["timeline"]][-2:] == ["complete_kis", "record_outcome"]
    still_open = await api.get(f"/participants/{cis['participant_id']}", headers=staff.supervisor)
    assert still_open.json()["timeline"] is None

    answer = await api.get("/reports/kpis", params=_period(), headers=staff.supervisor)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    effect = report["effectiveness"]
    # Two leavers: the KIS graduate is in qualifying work; the 2-month contract is not, and its
    # window still runs, so that leaver is pending rather than a failure.
    assert (effect["leavers"], effect["pending"]) == (2, 1)
    assert effect["employment"] == {
        "numerator": 1,
        "denominator": 1,
        "rate_pct": "100.0",
        "target_pct": "22",
        "unit_target_pct": None,  # the unit has set no target of its own
    }
    assert effect["social"]["numerator"] == 2
    assert report["completions"]["kis_graduates"] == 1
    assert report["exits_by_kind"] == {"kis_completed": 1, "withdrawn": 1}
    assert report["terminations_by_ground"]["withdrawal"] == 1
    assert report["attendance"]["days_present"] == 3
    assert report["attendance"]["days_unexcused"] == 1
    assert report["entries"]["cis_admissions"] == 1
    assert "once per person" in report["definitions"]["employment_effectiveness"].lower()
    async with sessions() as session:
        months = (
            await session.execute(
                select(PathwayMonth).where(PathwayMonth.pathway_id == uuid.UUID(cis["id"]))
            )
        ).scalars()
        benefit = sum(m.benefit_amount for m in months)
    assert benefit > 0  # the CIS benefit of the months in the centre, by the benefit rules


async def test_the_annual_report_exports_suppressed_and_is_audited(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    await _two_pathways(api, staff)
    year = {"year": local_today().year}

    async def listed() -> dict[str, Any] | None:
        got = (await api.get("/reports/annual", params=year, headers=staff.supervisor)).json()
        kis = next(s for s in got["sections"] if s["programme"] == "kis")
        total = next(line for line in kis["lines"] if line["key"] == "kis.participants.total")
        return got if total["suppressed"] else None

    report = await eventually(listed)
    assert all(
        line["value"] is None
        for s in report["sections"]
        for line in s["lines"]
        if line["suppressed"]
    )
    csv_answer = await api.get(
        "/reports/annual", params=year, headers={**staff.supervisor, "Accept": "text/csv"}
    )
    assert csv_answer.headers["content-type"].startswith("text/csv")
    assert "kis.participants.total" in csv_answer.text
    assert ",<5,true" in csv_answer.text
    xlsx = await api.get(
        "/reports/annual", params={**year, "format": "xlsx"}, headers=staff.supervisor
    )
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["About", "CIS", "KIS"]
    values = [row[2] for row in book["KIS"].iter_rows(min_row=3, values_only=True)]
    assert "<5" in values
    audit = await api.get("/audit", params={"action": "report.annual"}, headers=staff.supervisor)
    fields = [entry["fields"] for entry in audit.json()["items"]]
    assert [f for f in fields if "format:xlsx" in f and f"year:{local_today().year}" in f]
    assert [f for f in fields if "format:csv" in f]


async def test_reports_are_for_supervisors_of_the_unit(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    refused = await api.get("/reports/kpis", params=_period(), headers=staff.caseworker)
    assert refused.status_code == 403
    tag = uuid.uuid4().hex[:8]
    unit = {"code": f"OTHER-{tag}", "name": "Other", "kind": "cis"}
    assert (await api.post("/units", json=unit, headers=staff.admin)).status_code == 201
    user = {"username": f"head-{tag}", "password": PASSWORD, "role": "supervisor"}
    created = await api.post(
        "/users", json={**user, "unit_code": unit["code"]}, headers=staff.admin
    )
    assert created.status_code == 201, created.text
    head = await login(api, user["username"])
    await _two_pathways(api, staff)
    theirs = (await api.get("/reports/kpis", params=_period(), headers=head)).json()
    assert theirs["effectiveness"]["leavers"] == 0 and theirs["participants_by_stage"] == []
    mine = {**_period(), "unit": staff.unit_code}
    peek = await api.get("/reports/kpis", params=mine, headers=head)
    assert peek.status_code == 404  # a supervisor may name only their own unit
    admin = await api.get(
        "/reports/kpis", params={**_period(), "unit": staff.unit_code}, headers=staff.admin
    )
    assert admin.status_code == 200 and admin.json()["units"] == [staff.unit_code]


@pytest.mark.parametrize("period", [{"from": "2025-02-01", "to": "2025-01-01"}])
async def test_a_period_that_ends_before_it_starts_is_refused(
    api: httpx.AsyncClient, staff: Staff, period: dict[str, str]
) -> None:
    answer = await api.get("/reports/kpis", params=period, headers=staff.supervisor)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_period"
