"""Uploaded scans of a pathway: upload (checked and sealed), list, download (audited)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile, status

from api.deps import Casework, OwnPathway, ServicesDep
from domain.scans import MAX_SCAN_BYTES, ScanKind, ScanOut
from services import scans

router = APIRouter(tags=["documents"])


@router.post("/pathways/{pathway_id}/scans", status_code=status.HTTP_201_CREATED)
async def upload_scan(
    pathway_id: OwnPathway,
    services: ServicesDep,
    caller: Casework,
    file: Annotated[UploadFile, File(description="PDF, JPEG or PNG, at most 10 MB")],
    kind: Annotated[ScanKind, Form()],
    seq: Annotated[int | None, Form(ge=1, description="The step the scan belongs to")] = None,
) -> ScanOut:
    """A signed original or a medical certificate, stored sealed with the participant's key."""
    content = await file.read(MAX_SCAN_BYTES + 1)
    return await scans.upload(services, caller, pathway_id, kind, content, file.content_type, seq)


@router.get("/pathways/{pathway_id}/scans")
async def list_scans(
    pathway_id: OwnPathway, services: ServicesDep, caller: Casework
) -> list[ScanOut]:
    """The pathway's scans: what each is, never its content."""
    return await scans.list_scans(services, caller, pathway_id)


@router.get(
    "/pathways/{pathway_id}/scans/{scan_id}",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}}}},
)
async def download_scan(
    pathway_id: OwnPathway, scan_id: uuid.UUID, services: ServicesDep, caller: Casework
) -> Response:
    """The scan itself (audited); 410 `scan_shredded` once the participant was erased."""
    name, media_type, content = await scans.download(services, caller, pathway_id, scan_id)
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
