"""Erasure after the retention period: personal data removed, history shredded, counts kept."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from core.codec import ENCODING, EncryptionCodec, KeyUnavailable, MasterKeys
from core.settings import Settings
from db.group_tables import ClassMark, GroupMembership, PlannedClassRow
from db.keys import DatabaseKeyStore
from db.models import CaseImport
from domain.calendar import local_date
from domain.workflow_ids import workflow_id
from services.case_import import CaseImporter
from services.context import open_services
from tests.api.test_case_import import _case, _write
from tests.security.journey import payloads_in, sensitive_person, walk_to_closed
from tests.support import Staff, eventually


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A centre whose retention period has always already passed."""
    return settings.model_copy(update={"retention_days": 0})


def fresh_codec(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> EncryptionCodec:
    """A codec as a newly started process has it: no key cached."""
    master = MasterKeys.from_settings(settings)
    return EncryptionCodec(master, DatabaseKeyStore(sessions, master, 60))


async def test_erasure_removes_personal_data_and_shreds_the_history(
    api: httpx.AsyncClient,
    staff: Staff,
    temporal_client: Client,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    journey = await walk_to_closed(api, staff.caseworker)
    history = await temporal_client.get_workflow_handle(
        workflow_id(journey.pathway_id)
    ).fetch_history()
    sealed = [
        p for e in history.events for p in payloads_in(e) if p.metadata["encoding"] == ENCODING
    ]
    before = b"".join(
        p.SerializeToString() for p in await fresh_codec(settings, sessions).decode(sealed)
    )
    assert journey.secrets[0].encode() in before

    erased = await api.post(
        f"/participants/{journey.participant_id}/erasure", headers=staff.supervisor
    )
    assert erased.status_code == 200, erased.text
    assert erased.json()["pathways_kept_anonymous"] == 1

    # The history's payloads no longer open, in any process.
    for payload in sealed:
        with pytest.raises(KeyUnavailable):
            await fresh_codec(settings, sessions).decode([payload])

    # Nothing personal is left in what the product shows or exports.
    export = await api.get(
        f"/participants/{journey.participant_id}/export", headers=staff.supervisor
    )
    text = json.dumps(export.json())
    assert [s for s in journey.secrets if s in text] == []
    person = export.json()["participant"]
    assert (person["pesel"], person["phone"], person["email"], person["categories"]) == (
        None,
        None,
        None,
        [],
    )
    assert person["birth_date"].endswith("-01-01")  # the year alone, for age groups
    assert export.json()["erased_at"] is not None
    assert [m["place"] for m in export.json()["sessions"]] == ["-"]

    # The anonymous facts stay for the counts: the pathway, its stage and outcome.
    [pathway] = export.json()["pathways"]
    assert (pathway["stage"], pathway["outcome"], pathway["closed"]) == ("closed", "employed", True)

    again = await api.post(
        f"/participants/{journey.participant_id}/erasure", headers=staff.supervisor
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_erased"
    reopen = await api.post(
        f"/participants/{journey.participant_id}/pathways",
        json={"programme": "kis", "start_date": "2026-01-05"},
        headers=staff.caseworker,
    )
    assert reopen.status_code == 404


async def test_erasure_removes_an_imported_cases_old_system_id(
    api: httpx.AsyncClient,
    staff: Staff,
    dev_server: WorkflowEnvironment,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    today = local_date(datetime.now(UTC))
    old_id = f"MOPS/{uuid.uuid4().hex[:6]}"
    row = _case(
        staff,
        old_id,
        programme="kis",
        start_date=(today - timedelta(days=20)).isoformat(),
        steps="; ".join(
            [
                f"withdraw@{(today - timedelta(days=5)).isoformat()}",
                f"record_outcome@{(today - timedelta(days=4)).isoformat()}"
                "|employed=true|contract_months=6|fte=1.0",
            ]
        ),
    )
    path = _write(tmp_path, [row])
    async with open_services(settings, dev_server.client) as services:
        importer = CaseImporter(services)
        report = await importer.run(await importer.check(path), lambda: None)
    assert (report.imported, report.failed) == (1, [])
    async with sessions() as session:
        case = await session.scalar(select(CaseImport).where(CaseImport.external_id == old_id))
        assert case is not None
        participant_id = case.participant_id

    async def closed() -> bool:
        seen = await api.get(f"/participants/{participant_id}", headers=staff.supervisor)
        return bool(seen.json()["pathway"]["closed"])

    await eventually(closed)
    erased = await api.post(f"/participants/{participant_id}/erasure", headers=staff.supervisor)
    assert erased.status_code == 200, erased.text
    async with sessions() as session:
        rows = (
            await session.scalars(
                select(CaseImport).where(CaseImport.participant_id == participant_id)
            )
        ).all()
    assert [(r.external_id, r.fingerprint) for r in rows] == [(f"erased:{participant_id}", "")]


async def test_erasure_removes_the_person_from_the_centre_s_week(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Issue 14's tables: memberships and list marks go (a sick day is health data), the
    person's own class loses the title and place typed about them; the group, its other
    classes and the PSU placement's days and hours (what PSU was paid for) stay."""
    body = sensitive_person()
    headers = staff.caseworker
    today = local_date(datetime.now(UTC))
    on = {n: (today - timedelta(days=n)).isoformat() for n in (10, 9, 8, 3, 2, 30)}
    pid = (await api.post("/participants", json=body, headers=headers)).json()["id"]
    opened = await api.post(f"/participants/{pid}/pathways", headers=headers,
                            json={"programme": "kis", "start_date": on[10]})  # fmt: skip
    pathway = opened.json()["id"]
    for step in ({"type": "record_diagnosis", "occurred_on": on[9]},
                 {"type": "sign_social_contract", "occurred_on": on[8]}):  # fmt: skip
        done = await api.post(f"/pathways/{pathway}/actions", json=step, headers=headers)
        assert done.status_code == 200, done.text
    group = (await api.post("/groups", json={"name": "Grupa wsparcia", "kind": "group_class"},
                            headers=headers)).json()["id"]  # fmt: skip
    joined = await api.post(f"/groups/{group}/members", headers=headers,
                            json={"participant_id": pid, "on": on[10]})  # fmt: skip
    assert joined.status_code == 200, joined.text
    classes = {}
    for name, where in (("group", {"group_id": group}), ("own", {"participant_id": pid})):
        plan = {"kind": "group_class" if name == "group" else "consultation",
                "title": f"Terapia {body['last_name']}" if name == "own" else "Zajęcia",
                "place": f"u {body['last_name']}" if name == "own" else "Sala 1",
                "starts_at": "09:00", "hours": "2", "on": on[3], **where}  # fmt: skip
        made = await api.post("/classes", json=plan, headers=headers)
        assert made.status_code == 201, made.text
        classes[name] = made.json()["id"]
    for name, mark in (("group", {"mark": "present", "hours": "2"}),
                       ("own", {"mark": "absent", "absence": "sick"})):  # fmt: skip
        sent = await api.post(
            f"/classes/{classes[name]}/attendance",
            headers=headers,
            json={"day": on[3], "marks": [{"participant_id": pid, **mark}]},
        )
        assert sent.json()["recorded"] == [pid], sent.text
    agreement = await api.post("/psu/agreements", headers=headers, json={
        "host": "Schronisko dla zwierząt", "signed_on": on[30], "valid_from": on[30],
        "valid_until": (today + timedelta(days=200)).isoformat()})  # fmt: skip
    placed = await api.post(
        f"/psu/agreements/{agreement.json()['id']}/hours",
        headers=headers,
        json={"participant_id": pid, "day": on[2], "hours": "3"},
    )
    assert placed.status_code == 200, placed.text
    before = (await api.get(f"/participants/{pid}/export", headers=staff.supervisor)).json()
    assert (len(before["group_memberships"]), len(before["class_marks"])) == (1, 2)
    leaving: list[dict[str, object]] = [
        {"type": "withdraw", "reason": "przeprowadzka"},
        {"type": "record_outcome", "employed": True, "contract_months": 6, "fte": "1.0"},
    ]
    for move in leaving:
        done = await api.post(f"/pathways/{pathway}/actions", json=move, headers=headers)
        assert done.status_code == 200, done.text

    async def closed() -> bool:
        seen = await api.get(f"/participants/{pid}", headers=headers)
        return bool(seen.json()["pathway"]["closed"])

    await eventually(closed)
    erased = await api.post(f"/participants/{pid}/erasure", headers=staff.supervisor)
    assert erased.status_code == 200, erased.text

    export = (await api.get(f"/participants/{pid}/export", headers=staff.supervisor)).json()
    assert (export["group_memberships"], export["class_marks"]) == ([], [])
    assert [(c["id"], c["title"], c["place"]) for c in export["classes"]] == [
        (classes["own"], "-", "-")
    ]
    assert [(h["day"], h["hours"]) for h in export["psu_hours"]] == [(on[2], "3.00")]
    assert body["last_name"] not in json.dumps(export)
    async with sessions() as session:
        uid = uuid.UUID(pid)
        for table in (GroupMembership, ClassMark):
            rows = await session.scalars(select(table).where(table.participant_id == uid))
            assert rows.all() == [], table
        kept = await session.get(PlannedClassRow, uuid.UUID(classes["group"]))
        assert kept is not None and kept.title == "Zajęcia"
    # The group stays, without the person; the read model's list of the month too.
    seen = (await api.get(f"/groups/{group}", headers=headers)).json()
    assert seen["members"] == []
    month = on[3][:7]
    here = (await api.get("/attendance", params={"month": month}, headers=headers)).json()
    assert [r for r in here if r["participant_id"] == pid] == []
