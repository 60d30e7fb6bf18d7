"""Uploaded scans: checked, sealed with the participant's data key, every download audited.

The key is the one the participant's workflow payloads are sealed with (db/keys.py): erasure
destroys it, and a scan of theirs no longer opens anywhere (410 `scan_shredded`).
"""

from __future__ import annotations

import uuid

from core.codec import KeyUnavailable, seal, unseal
from db import audit, scans
from db.models import utcnow
from db.month_end_models import Scan
from db.session import unit_of_work
from domain.errors import Gone, NotFound
from domain.scans import EXTENSIONS, ScanKind, ScanOut, checked_type
from domain.workflow_ids import workflow_id
from services.context import Caller, Services
from services.pathways import own_pathway, owner_of


def _associated(scan_id: uuid.UUID) -> bytes:
    return f"scan:{scan_id}".encode()


async def upload(
    services: Services,
    caller: Caller,
    pathway_id: uuid.UUID,
    kind: ScanKind,
    content: bytes,
    declared_type: str | None,
    seq: int | None = None,
) -> ScanOut:
    """Check the file, seal it with the participant's key and store it; audited."""
    await own_pathway(services, caller, pathway_id)
    media_type = checked_type(content, declared_type)
    owner = await owner_of(services, pathway_id)
    found = await services.keys.key_for_workflow(workflow_id(str(pathway_id)))
    if found is None:
        raise NotFound("pathway_not_found", "No such pathway.")
    key_id, key = found
    scan_id = uuid.uuid4()
    row = Scan(
        id=scan_id,
        pathway_id=pathway_id,
        participant_id=owner.participant_id,
        unit_id=owner.unit_id,
        seq=seq,
        kind=kind,
        media_type=media_type,
        size=len(content),
        key_id=key_id,
        sealed=seal(key, content, _associated(scan_id)),
        uploaded_by=caller.id,
        uploaded_at=utcnow(),
    )
    async with unit_of_work(services.sessions) as session:
        await scans.add_scan(session, row)
        fields = [f"scan:{kind}", f"scan_id:{scan_id}"]
        await audit.append(session, caller.actor, "scan.upload", fields, None, pathway_id)
    return _out(row)


async def list_scans(services: Services, caller: Caller, pathway_id: uuid.UUID) -> list[ScanOut]:
    """The pathway's scans (what they are, never their content)."""
    await own_pathway(services, caller, pathway_id)
    async with services.sessions() as session:
        return [_out(s) for s in await scans.scans_of(session, pathway_id)]


async def download(
    services: Services, caller: Caller, pathway_id: uuid.UUID, scan_id: uuid.UUID
) -> tuple[str, str, bytes]:
    """The scan's file name, type and content; audited, even when it no longer opens."""
    await own_pathway(services, caller, pathway_id)
    async with unit_of_work(services.sessions) as session:
        row = await scans.scan_of(session, pathway_id, scan_id)
        if row is None:
            raise NotFound("scan_not_found", "No such scan.")
        fields = [f"scan:{row.kind}", f"scan_id:{scan_id}"]
        await audit.append(session, caller.actor, "scan.download", fields, None, pathway_id)
    try:
        key = await services.keys.key_by_id(row.key_id)
        content = unseal(key, row.sealed, _associated(scan_id))
    except KeyUnavailable as err:
        raise Gone("scan_shredded", "The participant's data were erased.") from err
    return f"{row.kind}-{scan_id}.{EXTENSIONS[row.media_type]}", row.media_type, content


def _out(row: Scan) -> ScanOut:
    return ScanOut(
        id=row.id,
        pathway_id=row.pathway_id,
        seq=row.seq,
        kind=ScanKind(row.kind),
        media_type=row.media_type,
        size=row.size,
        uploaded_at=row.uploaded_at,
    )
