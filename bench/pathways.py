"""The product side, over real HTTP: log in, register participants, open pathways, take steps."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

API = "/api/v1"
# A start a few days back: "today" in the product's time zone may differ from the machine's.
START_DATE = (date.today() - timedelta(days=7)).isoformat()
ATTENDANCE = {"type": "record_attendance", "hours": 4}
TO_ACTIVE = ({"type": "record_diagnosis"}, {"type": "sign_social_contract"})


class ApiFailure(Exception):
    """The API answered with a status the benchmark did not expect."""


class PathwayApi:
    """A caseworker's HTTP calls, one client with keep-alive connections."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def login(self, username: str, password: str) -> None:
        """Get a bearer token and send it with every later call."""
        token = await self._call("POST", "/auth/token", 200,
                                 data={"username": username, "password": password})
        self._http.headers["Authorization"] = f"Bearer {token['access_token']}"

    async def register(self, number: int) -> str:
        """Register a participant (set-up, not measured); their id."""
        body = {"first_name": "Bench", "last_name": f"Participant{number}",
                "birth_date": "1980-01-01", "categories": ["long_term_unemployed"]}
        return str((await self._call("POST", "/participants", 201, json=body))["id"])

    async def open_pathway(self, participant_id: str) -> str:
        """Open a KIS pathway (the measured start); its id."""
        body = {"programme": "kis", "start_date": START_DATE}
        answer = await self._call("POST", f"/participants/{participant_id}/pathways", 201,
                                  json=body)
        return str(answer["id"])

    async def act(self, pathway_id: str, action: dict[str, Any]) -> dict[str, Any]:
        """Take one step; the new pathway state."""
        return await self._call("POST", f"/pathways/{pathway_id}/actions", 200, json=action)

    async def make_active(self, pathway_id: str) -> None:
        """Diagnosis, then social contract: the pathway reaches `kis_active`."""
        state: dict[str, Any] = {}
        for action in TO_ACTIVE:
            state = await self.act(pathway_id, action)
        if state.get("stage") != "kis_active":
            raise ApiFailure(f"pathway reached {state.get('stage')!r}, not 'kis_active'")

    async def _call(self, method: str, path: str, expected: int, **kwargs: Any) -> dict[str, Any]:
        response = await self._http.request(method, API + path, **kwargs)
        if response.status_code != expected:
            raise ApiFailure(f"{method} {path} -> {response.status_code}: {response.text[:200]}")
        answer: dict[str, Any] = response.json()
        return answer
