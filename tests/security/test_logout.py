"""Logout gives the token back: refused at once, on every API replica, until it expires."""

from __future__ import annotations

import httpx
from temporalio.testing import WorkflowEnvironment

from core.settings import Settings
from tests.support import Staff, api_process, login


async def test_a_token_given_back_is_refused_at_once_on_every_replica(
    api: httpx.AsyncClient, staff: Staff, settings: Settings, dev_server: WorkflowEnvironment
) -> None:
    token = await login(api, staff.caseworker_name)
    other_token = await login(api, staff.caseworker_name)  # the same person on another device
    async with api_process(settings, dev_server.client) as second:
        # Both replicas have the caller cached before the logout.
        assert (await api.get("/participants", headers=token)).status_code == 200
        assert (await second.get("/participants", headers=token)).status_code == 200

        assert (await api.post("/auth/logout", headers=token)).status_code == 204

        for client in (api, second):
            refused = await client.get("/participants", headers=token)
            assert refused.status_code == 401, refused.text
            assert refused.json()["error"]["code"] == "token_revoked"
            assert refused.headers["WWW-Authenticate"] == "Bearer"
        # Only that token: the same person's other login goes on working.
        assert (await second.get("/participants", headers=other_token)).status_code == 200
        # Giving it back again is no error; a new login works.
        assert (await second.post("/auth/logout", headers=token)).status_code == 204
        fresh = await login(second, staff.caseworker_name)
        assert (await api.get("/participants", headers=fresh)).status_code == 200


async def test_logout_is_audited_and_needs_a_token(api: httpx.AsyncClient, staff: Staff) -> None:
    assert (await api.post("/auth/logout")).status_code == 401
    forged = {"Authorization": "Bearer not-a-token"}
    assert (await api.post("/auth/logout", headers=forged)).status_code == 401

    token = await login(api, staff.caseworker_name)
    assert (await api.post("/auth/logout", headers=token)).status_code == 204
    log = await api.get("/audit", params={"action": "auth.logout"}, headers=staff.supervisor)
    actors = [entry["actor"] for entry in log.json()["items"]]
    assert staff.caseworker_name in actors
