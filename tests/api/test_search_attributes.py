"""Temporal's visibility finds pathways by stage, programme, unit and next deadline (issue 5)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHistory
from temporalio.worker import Replayer

from domain.calendar import local_date
from domain.workflow_ids import pathway_of
from tests.support import Staff, eventually, person
from workflows import search_attributes
from workflows.pathway import ParticipantPathwayWorkflow

TEMPORAL = Path(sys.executable).parent / "temporal"
UPSERTED = EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES


async def _open(api: httpx.AsyncClient, headers: dict[str, str], programme: str) -> str:
    created = await api.post("/participants", json=person(), headers=headers)
    assert created.status_code == 201, created.text
    start = (local_date(datetime.now(UTC)) - timedelta(days=3)).isoformat()
    opened = await api.post(
        f"/participants/{created.json()['id']}/pathways",
        json={"programme": programme, "start_date": start},
        headers=headers,
    )
    assert opened.status_code == 201, opened.text
    return str(opened.json()["id"])


async def _listed(client: Client, query: str) -> set[str]:
    return {pathway_of(w.id) or w.id async for w in client.list_workflows(query)}


def _cli_list(address: str, query: str) -> set[str]:
    """What `temporal workflow list --query …` answers, as an operator would type it."""
    out = subprocess.run(
        [str(TEMPORAL), "workflow", "list", "--address", address, "--query", query, "-o", "json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    rows = json.loads(out) if out.strip() else []
    return {pathway_of(row["execution"]["workflowId"]) or "" for row in rows}


async def test_pathways_are_found_by_stage_programme_unit_and_next_deadline(
    api: httpx.AsyncClient, staff: Staff, temporal_client: Client
) -> None:
    headers = staff.caseworker
    trial = await _open(api, headers, "cis")
    referred = await _open(api, headers, "cis")
    club = await _open(api, headers, "kis")
    signed = await api.post(
        f"/pathways/{trial}/actions", json={"type": "sign_ipzs"}, headers=staff.supervisor
    )
    assert signed.status_code == 200 and signed.json()["stage"] == "cis_trial", signed.text
    trial_end = date.fromisoformat(
        next(d["due_on"] for d in signed.json()["deadlines"] if d["kind"] == "trial_end")
    )
    unit = f"PathwayUnit='{staff.unit_code}'"

    # The stage changed by the step is upserted by the workflow; visibility is eventually current.
    in_trial = f"PathwayStage='cis_trial' AND {unit}"

    async def only_the_trial() -> bool:
        return await _listed(temporal_client, in_trial) == {trial}

    await eventually(only_the_trial)
    address = temporal_client.service_client.config.target_host
    assert _cli_list(address, f'PathwayStage="cis_trial" AND {unit}') == {trial}

    # Set at the start: programme, unit and stage of the ones no step has moved yet.
    assert await _listed(temporal_client, f"PathwayProgramme='cis' AND {unit}") == {
        trial,
        referred,
    }
    assert await _listed(temporal_client, f"PathwayStage='kis_intake' AND {unit}") == {club}
    assert await _listed(temporal_client, unit) == {trial, referred, club}

    # The next deadline: the trial's end, and the KIS six months; a CIS not yet admitted has none.
    # "Due before": the dev server's SQLite visibility compares dates reliably with < only.
    after_trial = search_attributes.as_instant(trial_end + timedelta(days=1))
    due_before = f"PathwayNextDeadline < '{after_trial:%Y-%m-%dT%H:%M:%SZ}'"
    assert await _listed(temporal_client, f"{due_before} AND {unit}") == {trial}
    assert await _listed(temporal_client, f"PathwayNextDeadline IS NOT NULL AND {unit}") == {
        trial,
        club,
    }


async def test_a_history_with_search_attribute_upserts_replays(
    api: httpx.AsyncClient, staff: Staff, temporal_client: Client
) -> None:
    pathway = await _open(api, staff.caseworker, "cis")
    for step in ({"type": "sign_ipzs"}, {"type": "withdraw"}):
        answer = await api.post(f"/pathways/{pathway}/actions", json=step, headers=staff.supervisor)
        assert answer.status_code == 200, answer.text
    handle = temporal_client.get_workflow_handle(f"pathway-{pathway}")

    async def upserted_withdrawn() -> WorkflowHistory | None:
        history = await handle.fetch_history()
        stages = [
            e.upsert_workflow_search_attributes_event_attributes.search_attributes.indexed_fields
            for e in history.events
            if e.event_type == UPSERTED
        ]
        # Steps that come while a projection runs are published together: the last stage counts.
        withdrawn = [
            f for f in stages if "PathwayStage" in f and b"withdrawn" in f["PathwayStage"].data
        ]
        return history if withdrawn else None

    history = await eventually(upserted_withdrawn)
    replayer = Replayer(
        workflows=[ParticipantPathwayWorkflow], data_converter=temporal_client.data_converter
    )
    await replayer.replay_workflow(history)
