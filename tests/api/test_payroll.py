"""The month's payroll through the API on the real servers: what is missing blocks closing, the
statements are the pathway's own, closing freezes, a late correction is next month's
adjustment, the exports open with the same totals, and every close and export is audited.

Anchored in October 2026 (a month long past when these tests run)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from openpyxl import load_workbook

from tests.support import Staff, eventually, person

OCTOBER = "2026-10"
NOVEMBER = "2026-11"


async def _open(api: httpx.AsyncClient, staff: Staff, start: date) -> dict[str, Any]:
    participant = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    answer = await api.post(
        f"/participants/{participant['id']}/pathways",
        headers=staff.caseworker,
        json={"programme": "cis", "start_date": start.isoformat()},
    )
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def _steps(
    api: httpx.AsyncClient, pathway: dict[str, Any], steps: list[tuple[dict[str, str], Any]]
) -> None:
    for headers, step in steps:
        answer = await api.post(f"/pathways/{pathway['id']}/actions", json=step, headers=headers)
        assert answer.status_code == 200, (step, answer.text)


def _present(*days: int) -> list[dict[str, Any]]:
    return [
        {"type": "record_attendance", "hours": 7, "occurred_on": f"{OCTOBER}-{d:02d}"} for d in days
    ]


def _absent(kind: str, day: int) -> dict[str, Any]:
    return {"type": "record_absence", "kind": kind, "occurred_on": f"{OCTOBER}-{day:02d}"}


async def _benefit(api: httpx.AsyncClient, staff: Staff, pathway: dict[str, Any]) -> str:
    answer = await api.get(
        f"/pathways/{pathway['id']}/benefits", params={"month": OCTOBER}, headers=staff.supervisor
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["total"])


async def _payroll(api: httpx.AsyncClient, staff: Staff, month: str) -> dict[str, Any]:
    answer = await api.get(f"/payroll/{month}", headers=staff.caseworker)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def test_a_month_is_completed_closed_corrected_and_exported(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    cw, sv = staff.caseworker, staff.supervisor
    # One leaves on 9 October after a bonus; the other is admitted on 20 October.
    leaver = await _open(api, staff, date(2026, 9, 14))
    await _steps(
        api,
        leaver,
        [
            (sv, {"type": "sign_ipzs", "occurred_on": "2026-09-14"}),
            (sv, {"type": "pass_trial", "occurred_on": "2026-09-30"}),
            *((cw, s) for s in _present(1, 2, 5, 6)),
            (sv, {"type": "award_bonus", "amount": "200.00", "occurred_on": f"{OCTOBER}-06"}),
            *((cw, s) for s in _present(7, 8, 9)),
            (cw, {"type": "withdraw", "occurred_on": f"{OCTOBER}-09"}),
        ],
    )
    newcomer = await _open(api, staff, date(2026, 10, 20))
    await _steps(
        api,
        newcomer,
        [
            (sv, {"type": "sign_ipzs", "occurred_on": f"{OCTOBER}-20"}),
            *((cw, s) for s in _present(20, 21, 22, 23, 26, 27)),
            (cw, _absent("sick", 28)),
        ],
    )

    async def both_with_gaps() -> dict[str, Any] | None:
        found = await _payroll(api, staff, OCTOBER)
        return found if len(found["lines"]) == 2 and found["missing_days"] == 2 else None

    found = await eventually(both_with_gaps)
    lines = {line["pathway_id"]: line for line in found["lines"]}
    assert lines[leaver["id"]]["missing"] == []
    assert lines[newcomer["id"]]["missing"] == [
        {"day": f"{OCTOBER}-29", "reason": "sick_spell_open"},
        {"day": f"{OCTOBER}-30", "reason": "sick_spell_open"},
    ]
    assert found["can_close"] is False
    refused = await api.post(f"/payroll/{OCTOBER}/close", headers=sv)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "payroll_incomplete"
    assert refused.json()["error"]["details"]["pathways"] == [newcomer["id"]]

    await _steps(api, newcomer, [(cw, _absent("sick", 29)), (cw, _present(30)[0])])

    async def complete() -> dict[str, Any] | None:
        found = await _payroll(api, staff, OCTOBER)
        return found if found["missing_days"] == 0 and found["can_close"] else None

    found = await eventually(complete)
    # Each statement is the one the pathway's own Query answers, the bonus included.
    lines = {line["pathway_id"]: line for line in found["lines"]}
    for pathway in (leaver, newcomer):
        assert lines[pathway["id"]]["statement"]["total"] == await _benefit(api, staff, pathway)
        assert lines[pathway["id"]]["name"].startswith("Jan Testowy-")
    assert lines[leaver["id"]]["statement"]["bonus"] == "200.00"
    assert lines[newcomer["id"]]["statement"]["trial_days"] == 12
    assert lines[newcomer["id"]]["days"] == {
        "attendance_days": 7, "attendance_hours": "49", "days_off": 0, "excused_days": 0,
        "sick_days": 2, "unexcused_days": 0,
    }  # fmt: skip
    total = sum(Decimal(line["statement"]["total"]) for line in found["lines"])
    assert Decimal(found["totals"]["total"]) == total

    # A caseworker may not close; the supervisor closes once, a retry with the key gets the
    # same answer, a second close is refused.
    assert (await api.post(f"/payroll/{OCTOBER}/close", headers=cw)).status_code == 403
    key = {**sv, "Idempotency-Key": f"close-{leaver['id']}"}
    closed = await api.post(f"/payroll/{OCTOBER}/close", headers=key)
    assert closed.status_code == 200, closed.text
    frozen = closed.json()
    assert (frozen["status"], frozen["closed_by"]) == ("closed", staff.supervisor_name)
    assert frozen["totals"]["total"] == str(total)
    again = await api.post(f"/payroll/{OCTOBER}/close", headers=key)
    assert again.status_code == 200 and again.json()["closed_at"] == frozen["closed_at"]
    twice = await api.post(f"/payroll/{OCTOBER}/close", headers=sv)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "payroll_closed"

    # A correction after closing: 30 October was in fact an unexcused absence (a step may not
    # be dated before the pathway's last one, so a correction is dated on or after it).
    paid = lines[newcomer["id"]]["statement"]["total"]
    await _steps(api, newcomer, [(cw, _absent("unexcused", 30))])

    async def adjusted() -> dict[str, Any] | None:
        found = await _payroll(api, staff, NOVEMBER)
        return found if found["adjustments"] else None

    november = await eventually(adjusted)
    due_now = await _benefit(api, staff, newcomer)
    assert Decimal(due_now) < Decimal(paid)
    [adjustment] = november["adjustments"]
    assert adjustment["pathway_id"] == newcomer["id"] and adjustment["for_month"] == OCTOBER
    assert (adjustment["paid_then"], adjustment["due_now"]) == (paid, due_now)
    assert Decimal(adjustment["amount"]) == Decimal(due_now) - Decimal(paid)
    assert adjustment["reasons"][0].startswith(f"record_absence (unexcused) on {OCTOBER}-30")
    assert Decimal(november["totals"]["adjustments"]) == Decimal(adjustment["amount"])
    # The closed month itself has not moved.
    october = await _payroll(api, staff, OCTOBER)
    assert october["status"] == "closed" and october["totals"]["total"] == str(total)

    # Exports open with the same totals.
    xlsx = await api.get(f"/payroll/{OCTOBER}/export", params={"format": "xlsx"}, headers=sv)
    assert xlsx.status_code == 200, xlsx.text
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "kind"
    amount = rows[1].index("amount")
    statements = [r for r in rows[2:] if r[0] == "statement"]
    [last] = [r for r in rows if r[0] == "total"]
    assert len(statements) == 2
    assert round(Decimal(str(last[amount])), 2) == total
    assert round(sum(Decimal(str(r[amount])) for r in statements), 2) == total
    text = await api.get(f"/payroll/{NOVEMBER}/export", params={"format": "csv"}, headers=sv)
    assert text.status_code == 200
    table = list(csv.reader(io.StringIO(text.text)))
    amount = table[1].index("amount")
    assert next(r for r in table if r[0] == "adjustment")[amount] == adjustment["amount"]
    assert next(r for r in table if r[0] == "total")[amount] == november["totals"]["total"]
    assert (await api.get(f"/payroll/{OCTOBER}/export", headers=cw)).status_code == 403

    # The refund claims add up to the payroll to the grosz: the bonus is the centre's own.
    claim = (await api.get(f"/payroll/{OCTOBER}/refunds", headers=sv)).json()
    assert claim["reconciles"] is True and claim["payroll_total"] == str(total)
    parts = [Decimal(claim["totals"][k]) for k in ("pup", "municipality", "centre")]
    assert sum(parts) == total and parts[2] == Decimal("200.00")
    later = (await api.get(f"/payroll/{NOVEMBER}/refunds", headers=sv)).json()
    [carried] = [x for x in later["lines"] if x["kind"] == "adjustment"]
    assert carried["amount"] == adjustment["amount"] and later["reconciles"] is True
    assert (await api.get(f"/payroll/{OCTOBER}/refunds", headers=cw)).status_code == 403

    audit = await api.get("/audit", headers=sv)
    acts = [(e["action"], e["actor"]) for e in audit.json()["items"]]
    assert ("payroll.close", staff.supervisor_name) in acts
    assert acts.count(("payroll.export", staff.supervisor_name)) == 2
