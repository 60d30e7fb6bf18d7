"""Bearer tokens given back at logout, refused by every API replica until they expire."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import RevokedToken, utcnow
from db.upsert import insert_ignoring


async def revoke(session: AsyncSession, jti: str, user_id: uuid.UUID, expires_at: datetime) -> None:
    """Record a token as revoked (again is a no-op), and forget those past their expiry."""
    await session.execute(delete(RevokedToken).where(RevokedToken.expires_at < utcnow()))
    values = {"jti": jti, "user_id": user_id, "expires_at": expires_at}
    await session.execute(insert_ignoring(session, RevokedToken, ["jti"]).values(values))


async def is_revoked(session: AsyncSession, jti: str) -> bool:
    """Whether the token with this id was given back."""
    return bool(await session.scalar(select(exists().where(RevokedToken.jti == jti))))
