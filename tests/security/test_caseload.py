"""A unit may limit its caseworkers to their own caseload; supervisors still see everything."""

from __future__ import annotations

import uuid

import httpx
from google.protobuf.json_format import MessageToDict
from temporalio.api.common.v1 import Payloads
from temporalio.client import Client

from core.codec import ENCODING
from domain.workflow_ids import workflow_id
from tests.api.test_cooperatives import _referred_participant
from tests.security.journey import payloads_in
from tests.support import PASSWORD, Staff, eventually, login, person


async def _second_caseworker(api: httpx.AsyncClient, staff: Staff) -> dict[str, str]:
    username = f"cw2-{uuid.uuid4().hex[:6]}"
    created = await api.post(
        "/users",
        headers=staff.admin,
        json={
            "username": username,
            "password": PASSWORD,
            "role": "caseworker",
            "unit_code": staff.unit_code,
        },
    )
    assert created.status_code == 201, created.text
    return await login(api, username)


async def test_a_caseload_unit_hides_colleagues_cases_from_caseworkers(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    policy = await api.put(
        f"/units/{staff.unit_code}/policy", headers=staff.admin, json={"caseload_only": True}
    )
    assert policy.json() == {"caseload_only": True, "unit_code": staff.unit_code}
    colleague = await _second_caseworker(api, staff)
    mine = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    pathway = (
        await api.post(
            f"/participants/{mine['id']}/pathways",
            headers=staff.caseworker,
            json={"programme": "kis", "start_date": "2025-01-02"},
        )
    ).json()
    theirs = (await api.post("/participants", json=person(), headers=colleague)).json()

    for path in (f"/participants/{mine['id']}", f"/pathways/{pathway['id']}"):
        assert (await api.get(path, headers=colleague)).status_code == 404, path
        assert (await api.get(path, headers=staff.supervisor)).status_code == 200, path
    step = await api.post(
        f"/pathways/{pathway['id']}/actions", headers=colleague, json={"type": "record_diagnosis"}
    )
    assert step.status_code == 404
    opened = await api.post(
        f"/participants/{mine['id']}/pathways",
        headers=colleague,
        json={"programme": "kis", "start_date": "2025-01-02"},
    )
    assert opened.status_code == 404

    async def listed(headers: dict[str, str]) -> set[str]:
        page = await api.get("/participants", headers=headers)
        return {item["id"] for item in page.json()["items"]}

    assert await listed(colleague) == {theirs["id"]}
    assert await listed(staff.caseworker) == {mine["id"]}
    assert await listed(staff.supervisor) == {mine["id"], theirs["id"]}


async def test_without_the_policy_caseworkers_share_the_unit(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    colleague = await _second_caseworker(api, staff)
    mine = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    assert (await api.get(f"/participants/{mine['id']}", headers=colleague)).status_code == 200


async def _caseload_unit(api: httpx.AsyncClient, staff: Staff) -> dict[str, str]:
    """The staff's unit limited to caseloads, and a second caseworker in it."""
    policy = await api.put(
        f"/units/{staff.unit_code}/policy", headers=staff.admin, json={"caseload_only": True}
    )
    assert policy.status_code == 200, policy.text
    return await _second_caseworker(api, staff)


async def test_the_ui_codec_opens_only_the_callers_caseload_in_a_caseload_unit(
    api: httpx.AsyncClient, staff: Staff, temporal_client: Client
) -> None:
    colleague = await _caseload_unit(api, staff)
    mine = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    opened = await api.post(
        f"/participants/{mine['id']}/pathways",
        headers=staff.caseworker,
        json={"programme": "kis", "start_date": "2025-01-02"},
    )
    assert opened.status_code == 201, opened.text
    history = await temporal_client.get_workflow_handle(
        workflow_id(opened.json()["id"])
    ).fetch_history()
    sealed = [
        p for e in history.events for p in payloads_in(e) if p.metadata["encoding"] == ENCODING
    ]
    body = MessageToDict(Payloads(payloads=sealed))
    for headers, opens in ((staff.caseworker, True), (staff.supervisor, True), (colleague, False)):
        answer = await api.post("/codec/decode", json=body, headers=headers)
        assert answer.status_code == 200
        assert (answer.json() != body) is opens


async def test_a_duplicate_pesel_names_the_participant_only_to_who_may_open_them(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    colleague = await _caseload_unit(api, staff)
    body = person()
    mine = (await api.post("/participants", json=body, headers=staff.caseworker)).json()
    again = {**body, "last_name": "Inna"}
    hidden = await api.post("/participants", json=again, headers=colleague)
    named = await api.post("/participants", json=again, headers=staff.supervisor)
    assert hidden.status_code == named.status_code == 409
    assert hidden.json()["error"]["code"] == "duplicate_participant"
    assert hidden.json()["error"]["details"] == {}
    assert named.json()["error"]["details"] == {"participant_id": mine["id"]}


async def test_a_cooperative_shows_a_caseload_caseworker_only_their_own_participants(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    colleague = await _caseload_unit(api, staff)
    referred = await _referred_participant(api, staff, "cooperative")
    coop = (
        await api.post(
            "/cooperatives",
            json={"name": "Smaki Pomorza", "founded_by": "natural"},
            headers=staff.caseworker,
        )
    ).json()

    async def joined() -> httpx.Response | None:
        answer = await api.post(
            f"/cooperatives/{coop['id']}/members",
            json={"participant_id": referred["id"]},
            headers=staff.caseworker,
        )
        return answer if answer.status_code == 200 else None  # once the referral is projected

    [member] = (await eventually(joined)).json()["members"]
    assert member["participant_id"] == referred["id"]

    seen = await api.get(f"/cooperatives/{coop['id']}", headers=colleague)
    [unnamed] = seen.json()["members"]
    assert unnamed["member_id"] == member["member_id"]  # the place, and the counts, stay
    assert unnamed["participant_id"] is None and unnamed["pathway_id"] is None
    removed = await api.delete(
        f"/cooperatives/{coop['id']}/members/{member['member_id']}", headers=colleague
    )
    assert removed.status_code == 404
    boss = await api.get(f"/cooperatives/{coop['id']}", headers=staff.supervisor)
    assert boss.json()["members"][0]["participant_id"] == referred["id"]


async def test_a_caseload_caseworker_sees_only_their_own_lines_of_the_payroll(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    await api.put(
        f"/units/{staff.unit_code}/policy", headers=staff.admin, json={"caseload_only": True}
    )
    colleague = await _second_caseworker(api, staff)
    pathways = {}
    for who, headers in (("mine", staff.caseworker), ("theirs", colleague)):
        participant = (await api.post("/participants", json=person(), headers=headers)).json()
        opened = await api.post(
            f"/participants/{participant['id']}/pathways",
            headers=headers,
            json={"programme": "cis", "start_date": "2026-10-26"},
        )
        pathways[who] = opened.json()["id"]
        step = {"type": "sign_ipzs", "occurred_on": "2026-10-26"}
        signed = await api.post(
            f"/pathways/{pathways[who]}/actions", json=step, headers=staff.supervisor
        )
        assert signed.status_code == 200, signed.text

    async def both_for_the_supervisor() -> list[str] | None:
        answer = await api.get("/payroll/2026-10", headers=staff.supervisor)
        found = [line["pathway_id"] for line in answer.json()["lines"]]
        return found if len(found) == 2 else None

    assert sorted(await eventually(both_for_the_supervisor)) == sorted(pathways.values())
    mine = (await api.get("/payroll/2026-10", headers=staff.caseworker)).json()
    assert [line["pathway_id"] for line in mine["lines"]] == [pathways["mine"]]
    assert mine["totals"]["participants"] == 1
