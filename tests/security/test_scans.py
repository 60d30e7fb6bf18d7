"""Uploaded scans: checked by size and content, sealed with the participant's key, every
download audited, and shredded by the participant's erasure."""

from __future__ import annotations

import os
import uuid

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.codec import KeyUnavailable, MasterKeys
from core.settings import Settings
from db.keys import DatabaseKeyStore
from db.month_end_models import Scan
from domain.scans import MAX_SCAN_BYTES
from tests.security.journey import walk_to_closed
from tests.support import Staff

PNG = b"\x89PNG\r\n\x1a\n" + bytes(16) + os.urandom(64)  # binary, NUL bytes included


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A centre whose retention period has always already passed."""
    return settings.model_copy(update={"retention_days": 0})


async def _upload(
    api: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    content: bytes,
    media_type: str,
    kind: str = "signed_original",
) -> httpx.Response:
    files = {"file": ("skan", content, media_type)}
    return await api.post(url, headers=headers, data={"kind": kind}, files=files)


async def test_a_scan_is_checked_sealed_audited_and_shredded_by_erasure(
    api: httpx.AsyncClient,
    staff: Staff,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    journey = await walk_to_closed(api, staff.caseworker)
    url = f"/pathways/{journey.pathway_id}/scans"
    marker = f"PODPIS-{uuid.uuid4().hex}".encode()
    pdf = b"%PDF-1.4\n" + marker + b"\n%%EOF\n"

    for content, media_type, code in (
        (b"", "application/pdf", "scan_empty"),
        (b"just some text", "text/plain", "scan_type_not_allowed"),
        (PNG, "application/pdf", "scan_type_mismatch"),
        (b"%PDF-" + bytes(MAX_SCAN_BYTES), "application/pdf", "scan_too_large"),
    ):
        refused = await _upload(api, url, staff.caseworker, content, media_type)
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["code"] == code

    made = await api.post(
        url, headers=staff.caseworker, data={"kind": "signed_original", "seq": "2"},
        files={"file": ("umowa.pdf", pdf, "application/pdf")},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    scan = made.json()
    assert (scan["media_type"], scan["size"], scan["seq"]) == ("application/pdf", len(pdf), 2)
    image = await _upload(api, url, staff.caseworker, PNG, "image/png", "medical_certificate")
    assert image.status_code == 201, image.text
    listed = await api.get(url, headers=staff.supervisor)
    assert [s["kind"] for s in listed.json()] == ["signed_original", "medical_certificate"]
    assert (await api.get(url, headers=staff.stranger)).status_code == 404

    # Stored sealed: the content is not in the row.
    async with sessions() as session:
        row = await session.get(Scan, uuid.UUID(scan["id"]))
        assert row is not None and marker not in row.sealed and len(row.sealed) > len(pdf)
        key_id = row.key_id

    got = await api.get(f"{url}/{scan['id']}", headers=staff.caseworker)
    assert got.status_code == 200 and got.content == pdf
    assert got.headers["content-type"] == "application/pdf"
    audit = await api.get("/audit", params={"action": "scan.download"}, headers=staff.supervisor)
    [entry] = audit.json()["items"]
    assert entry["pathway_id"] == journey.pathway_id and entry["actor"] == staff.caseworker_name

    # The participant's data export lists the scans (what they are, not their content).
    export = await api.get(
        f"/participants/{journey.participant_id}/export", headers=staff.supervisor
    )
    assert [x["id"] for x in export.json()["scans"]] == [scan["id"], image.json()["id"]]

    erased = await api.post(
        f"/participants/{journey.participant_id}/erasure", headers=staff.supervisor
    )
    assert erased.status_code == 200, erased.text
    gone = await api.get(f"{url}/{scan['id']}", headers=staff.caseworker)
    assert gone.status_code == 410 and gone.json()["error"]["code"] == "scan_shredded"
    # No process opens it again: the participant's key is destroyed.
    master = MasterKeys.from_settings(settings)
    with pytest.raises(KeyUnavailable):
        await DatabaseKeyStore(sessions, master, 60).key_by_id(key_id)
    audit = await api.get("/audit", params={"action": "scan.download"}, headers=staff.supervisor)
    assert len(audit.json()["items"]) == 2  # the refused download is audited too
