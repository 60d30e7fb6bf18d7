"""A pathway's documents: the list its steps made, and each as PDF."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from api.deps import Casework, OwnPathway, ServicesDep
from domain.pathway_documents import DocumentRef
from services import documents

router = APIRouter(tags=["documents"])


@router.get("/pathways/{pathway_id}/documents")
async def list_documents(
    pathway_id: OwnPathway, services: ServicesDep, caller: Casework
) -> list[DocumentRef]:
    """IPZS, social contract, decision, certificates, referrals: one per step that made it."""
    return await documents.list_documents(services, caller, pathway_id)


@router.get(
    "/pathways/{pathway_id}/documents/{seq}",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}
    },
)
async def get_document(
    pathway_id: OwnPathway,
    seq: Annotated[int, Path(ge=1)],
    services: ServicesDep,
    caller: Casework,
) -> Response:
    """The document step `seq` made, as PDF in Polish with the centre's name and legal basis."""
    name, pdf = await documents.pathway_document(services, caller, pathway_id, seq)
    return Response(
        pdf,
        media_type=documents.PDF_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
