"""Idempotency: the first answer to a user's key, kept so that a retry gets it again."""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import IdempotencyRecord, utcnow
from db.upsert import dialect_insert


async def idempotent_answer(
    session: AsyncSession, user_id: uuid.UUID, key: str
) -> IdempotencyRecord | None:
    """The stored first answer to this user's key, if any."""
    return await session.get(IdempotencyRecord, (user_id, key))


async def remember_answer(
    session: AsyncSession,
    user_id: uuid.UUID,
    key: str,
    request_hash: str,
    status_code: int,
    body: dict[str, Any],
) -> None:
    """Store the first answer; a concurrent twin that stored first wins."""
    values = {
        "user_id": user_id,
        "key": key,
        "request_hash": request_hash,
        "status_code": status_code,
        "body": body,
        "created_at": utcnow(),
    }
    await session.execute(_remember(session.get_bind().dialect.name), values)


async def remember_answers(
    session: AsyncSession, user_id: uuid.UUID, answers: list[tuple[str, str, int, dict[str, Any]]]
) -> None:
    """Store the first answers of many keys (key, request hash, status, body) in one statement
    executed for all; a key a concurrent twin stored first keeps its answer."""
    if not answers:
        return
    at = utcnow()
    rows = [
        {"user_id": user_id, "key": key, "request_hash": request_hash,
         "status_code": status_code, "body": body, "created_at": at}
        for key, request_hash, status_code, body in answers
    ]  # fmt: skip
    await session.execute(_remember(session.get_bind().dialect.name), rows)


@cache
def _remember(dialect: str) -> Any:
    """The answer's INSERT, built once per dialect (every step with a key sends it)."""
    table = cast(Table, IdempotencyRecord.__table__)
    return dialect_insert(dialect, table).on_conflict_do_nothing(index_elements=["user_id", "key"])
