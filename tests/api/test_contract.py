"""The API keeps to its OpenAPI document: what it forbids is 422 in the contract's shape, an
undeclared method is 405 with `Allow`, the unsubscribe page's content types are declared."""

from __future__ import annotations

import httpx

from tests.support import Staff


async def test_what_the_document_forbids_is_refused(api: httpx.AsyncClient, staff: Staff) -> None:
    refused = [
        await api.get("/audit", params={"until": "0.5"}, headers=staff.supervisor),
        await api.get("/participants", params={"due_before": "0"}, headers=staff.caseworker),
        await api.get("/participants", params={"overdue": "1"}, headers=staff.caseworker),
        await api.post(
            "/participants",
            json={"first_name": "Jan", "last_name": "K", "consent_sms": 1},
            headers=staff.caseworker,
        ),
    ]
    for answer in refused:
        assert answer.status_code == 422, (answer.request.url, answer.text)
        assert answer.json()["error"]["code"] == "invalid_input"
    allowed = await api.get("/participants", params={"overdue": "true"}, headers=staff.caseworker)
    assert allowed.status_code == 200, allowed.text


async def test_a_body_that_does_not_parse_is_422(api: httpx.AsyncClient, staff: Staff) -> None:
    for body in (b"\xff\xfe{", b"{not json"):
        answer = await api.post(
            "/participants",
            content=body,
            headers={**staff.caseworker, "Content-Type": "application/json"},
        )
        assert answer.status_code == 422, answer.text
        assert set(answer.json()["error"]) == {"code", "message", "details"}


async def test_an_undeclared_method_is_405_with_every_method_of_the_path(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    answer = await api.request("PATCH", "/participants", headers=staff.caseworker)
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET, POST"
    token_path = "/notifications/unsubscribe/anything"
    answer = await api.request("DELETE", token_path)
    assert answer.status_code == 405 and answer.headers["allow"] == "GET, POST"


async def test_the_unsubscribe_page_declares_html_and_its_errors_json(
    api: httpx.AsyncClient,
) -> None:
    document = (await api.get("/../../openapi.json")).json()
    page = document["paths"]["/api/v1/notifications/unsubscribe/{token}"]["get"]["responses"]
    assert list(page["200"]["content"]) == ["text/html"]
    assert list(page["404"]["content"]) == ["application/json"]
    answer = await api.get("/notifications/unsubscribe/not-a-token")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/json")
