"""Uploaded scans of a pathway: signed originals, medical certificates (issue 15).

A scan is accepted only as PDF, JPEG or PNG, recognised by its first bytes (the declared type
must agree), and not above `MAX_SCAN_BYTES`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel

from domain.errors import InvalidInput

MAX_SCAN_BYTES = 10 * 1024 * 1024
# What a file starts with, for each type a scan may be.
SIGNATURES = {
    "application/pdf": b"%PDF-",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


class ScanKind(StrEnum):
    """What a scan is."""

    SIGNED_ORIGINAL = "signed_original"
    MEDICAL_CERTIFICATE = "medical_certificate"
    OTHER = "other"


class ScanOut(BaseModel):
    """A stored scan, without its content."""

    id: uuid.UUID
    pathway_id: uuid.UUID
    seq: int | None
    kind: ScanKind
    media_type: str
    size: int
    uploaded_at: datetime


def checked_type(content: bytes, declared: str | None) -> str:
    """The scan's media type, or why it is refused (422)."""
    if not content:
        raise InvalidInput("scan_empty", "The file is empty.")
    if len(content) > MAX_SCAN_BYTES:
        raise InvalidInput(
            "scan_too_large",
            f"A scan may be at most {MAX_SCAN_BYTES // (1024 * 1024)} MB.",
            {"max_bytes": MAX_SCAN_BYTES},
        )
    found = next((t for t, magic in SIGNATURES.items() if content.startswith(magic)), None)
    if found is None:
        raise InvalidInput(
            "scan_type_not_allowed",
            "A scan is a PDF, JPEG or PNG file.",
            {"allowed": sorted(SIGNATURES)},
        )
    base = (declared or "").split(";")[0].strip().lower()
    if base and base not in ("application/octet-stream", found):
        raise InvalidInput(
            "scan_type_mismatch",
            "The file's content does not match its declared type.",
            {"declared": base, "found": found},
        )
    return found
