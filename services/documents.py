"""A pathway's documents: which its steps made, and each as PDF (rendered afresh, audited)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

from db import audit, documents, pathways
from db.session import unit_of_work
from documents.pathway_documents import PathwayFacts, build
from documents.pdf import render
from domain.errors import Gone, NotFound
from domain.pathway import Event
from domain.pathway_documents import MADE_BY, DocumentRef, documents_of
from services.context import Caller, Services
from services.pathways import own_pathway

PDF_MEDIA_TYPE = "application/pdf"


async def list_documents(
    services: Services, caller: Caller, pathway_id: uuid.UUID
) -> list[DocumentRef]:
    """The documents the pathway's steps made (as projected), each with its step's seq."""
    await own_pathway(services, caller, pathway_id)
    async with services.sessions() as session:
        timeline = await pathways.pathway_timeline(session, pathway_id)
    return documents_of(timeline)


async def pathway_document(
    services: Services, caller: Caller, pathway_id: uuid.UUID, seq: int
) -> tuple[str, bytes]:
    """The document step `seq` made, as (file name, PDF); audited as a read of the person."""
    await own_pathway(services, caller, pathway_id)
    async with unit_of_work(services.sessions) as session:
        timeline = await pathways.pathway_timeline(session, pathway_id)
        event = next((e for e in timeline if e.seq == seq and e.type in MADE_BY), None)
        if event is None:
            raise NotFound("document_not_found", "No document of that step.")
        heading = await documents.heading_of(session, pathway_id)
        if heading.erased:
            raise Gone("participant_erased", "The participant's data were erased.")
        kind = MADE_BY[event.type]
        await audit.append(
            session, caller.actor, "document.generate", [f"document:{kind}"], None, pathway_id
        )
    person = f"{heading.first_name} {heading.last_name}"
    pdf = await asyncio.to_thread(
        step_document, heading.centre, person, heading.pesel, heading.birth_date, timeline, event
    )
    return f"{kind}-{seq}.pdf", pdf


def step_document(
    centre: str,
    participant: str,
    pesel: str | None,
    birth_date: date,
    timeline: list[Event],
    event: Event,
) -> bytes:
    """The PDF of the document `event` made (CPU only: run it off the event loop, or in a
    process of a pool for a batch)."""
    facts = PathwayFacts(centre, participant, pesel, birth_date, timeline)
    return render(build(facts, event))
