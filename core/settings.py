"""The one place configuration is read: `PATHWAYS_*` environment variables and `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "development-only-secret-key-change-me-in-production"
PLACEHOLDER_SECRETS = frozenset({"", "change-me", DEV_SECRET, "admin"})
MIN_SECRET_BYTES = 32  # HMAC-SHA256 wants a key at least as long as its output (RFC 7518 §3.2)


class Settings(BaseSettings):
    """Settings of every process (API, worker, CLI)."""

    model_config = SettingsConfigDict(env_prefix="PATHWAYS_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    var_dir: Path = Path("var")
    database_url: str = "sqlite+aiosqlite:///var/pathways.db"

    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    temporal_task_queue: str = "pathways"
    temporal_ui_port: int = 8233
    temporal_cli: Path | None = None

    api_host: str = "127.0.0.1"
    api_port: int = 8000

    secret_key: str = DEV_SECRET
    token_minutes: int = Field(default=480, ge=1, le=24 * 60)
    # How long a user's role and unit are trusted without asking the database again.
    auth_cache_seconds: float = Field(default=30, ge=0, le=300)
    admin_username: str = "admin"
    admin_password: str = "admin"
    demo_password: str = "demo-password"

    @model_validator(mode="after")
    def _no_placeholders_outside_development(self) -> Self:
        if self.environment != "development":
            weak = [
                name
                for name in ("secret_key", "admin_password")
                if getattr(self, name) in PLACEHOLDER_SECRETS
            ]
            if weak:
                raise ValueError(
                    f"placeholder secrets are refused outside development: {', '.join(weak)}"
                )
            if len(self.secret_key.encode()) < MIN_SECRET_BYTES:
                raise ValueError(f"secret_key must be at least {MIN_SECRET_BYTES} bytes")
        return self


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
