"""Idempotency: the first answer to a user's key, kept so that a retry gets it again."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import IdempotencyRecord, utcnow
from db.upsert import insert_ignoring


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
    await session.execute(
        insert_ignoring(session, IdempotencyRecord, ["user_id", "key"]).values(
            user_id=user_id,
            key=key,
            request_hash=request_hash,
            status_code=status_code,
            body=body,
            created_at=utcnow(),
        )
    )
