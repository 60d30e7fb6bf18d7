"""The one place configuration is read: `PATHWAYS_*` environment variables and `.env`."""

from __future__ import annotations

import base64
import binascii
import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "development-only-secret-key-change-me-in-production"
PLACEHOLDER_SECRETS = frozenset({"", "change-me", DEV_SECRET, "admin"})
# base64 of b"development-only-payload-key-32b": refused outside development like DEV_SECRET.
DEV_PAYLOAD_KEY = "ZGV2ZWxvcG1lbnQtb25seS1wYXlsb2FkLWtleS0zMmI="
PAYLOAD_KEY_BYTES = 32  # AES-256-GCM
MIN_SECRET_BYTES = 32  # HMAC-SHA256 wants a key at least as long as its output (RFC 7518 §3.2)
# Defaults that serve `make run` on one machine and nothing else: a production deployment sets
# each of these itself (tests/deploy/test_compose.py holds docker-compose.yml to it).
DEVELOPMENT_DEFAULTS = (
    "secret_key",
    "admin_password",
    "payload_keys",
    "payload_key_id",
    "database_url",
    "temporal_address",
    "public_api_url",
    "smtp_from",
)


class Settings(BaseSettings):
    """Settings of every process (API, worker, CLI)."""

    model_config = SettingsConfigDict(env_prefix="PATHWAYS_", env_file=".env", extra="ignore")

    # Unset means production: development secrets, the development payload key and cookies
    # without `Secure` are only ever accepted when development is asked for by name.
    environment: Literal["development", "test", "production"] = "production"
    var_dir: Path = Path("var")
    database_url: str = "sqlite+aiosqlite:///var/pathways.db"
    # The role the API and workers connect as (PostgreSQL): `pathways db upgrade`, connected as
    # the database's owner, grants it row access only (db/roles.py). None: nothing is granted.
    database_runtime_role: str | None = None

    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    temporal_task_queue: str = "pathways"
    temporal_ui_port: int = 8233
    temporal_cli: Path | None = None
    # How long a call retries an unreachable Temporal before giving up (the API then answers 503).
    temporal_retry_seconds: float = Field(default=3, gt=0, le=60)

    # Observability, all off by default. The worker serves the Temporal SDK's metrics in
    # Prometheus format on `worker_metrics_address` (e.g. "0.0.0.0:9464"); the API serves request
    # metrics at /metrics when `api_metrics`; with `otlp_endpoint` set, both trace through the
    # Temporal interceptor and export spans over OTLP/HTTP (e.g. http://collector:4318/v1/traces).
    worker_metrics_address: str | None = None
    api_metrics: bool = False
    otlp_endpoint: str | None = None
    service_name: str = "pathways"

    api_host: str = "127.0.0.1"
    api_port: int = 8000

    secret_key: str = DEV_SECRET
    token_minutes: int = Field(default=480, ge=1, le=24 * 60)
    # How long a user's role and unit are trusted without asking the database again.
    auth_cache_seconds: float = Field(default=30, ge=0, le=300)
    admin_username: str = "admin"
    admin_password: str = "admin"
    demo_password: str = "demo-password"

    # Master keys of the payload codec (base64, 32 bytes) by id: the active one wraps new
    # participant keys and encrypts payloads without a participant; every listed one decrypts,
    # so a key is rotated by adding a new one, making it active and keeping the old one listed.
    payload_keys: dict[str, str] = Field(default_factory=lambda: {"dev": DEV_PAYLOAD_KEY})
    payload_key_id: str = "dev"
    # Workflows recorded before payload encryption carry plaintext payloads, which the codec
    # otherwise refuses: accept them only for as long as such workflows still run.
    payload_accept_plaintext: bool = False
    # How long a process trusts a participant key it has read (an erased key dies within it).
    key_cache_seconds: float = Field(default=60, ge=0, le=3600)
    # Participant data is kept this long after their last pathway closed (art. 17(3)(b) GDPR).
    retention_days: int = Field(default=10 * 365, ge=0)
    # Browser origins allowed to call the API (e.g. the Temporal UI for the codec); none by default.
    cors_origins: list[str] = Field(default_factory=list)
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    # Failed logins allowed per username from one address within `login_window_seconds` (an
    # address gets ten times as many over all usernames); the oldest counters are forgotten
    # first when there are more than `login_counters`.
    login_attempts: int = Field(default=5, ge=1)
    login_window_seconds: float = Field(default=300, gt=0)
    login_counters: int = Field(default=100_000, ge=10)
    # Password hashes (argon2, CPU-bound) run in threads, at most this many at once.
    password_hash_threads: int = Field(default=2, ge=1, le=64)
    # Reverse proxies (addresses or networks) whose X-Forwarded-For is believed; no other's is.
    trusted_proxies: list[str] = Field(default_factory=list)
    # Denied requests (403, or 404 on an id outside the caller's reach) are audited, at most
    # this many per user within `denied_audit_window_seconds` (the rest are counted, not kept).
    denied_audit_limit: int = Field(default=20, ge=1)
    denied_audit_window_seconds: float = Field(default=600, gt=0)

    # --- reminders and notifications (issue 4): channels, consent links, the STOP webhook ---
    # "log" writes the outbox and one log line (ids only) and sends nothing: the development sink.
    email_channel: Literal["log", "smtp"] = "log"
    sms_channel: Literal["log", "smsapi", "webhook"] = "log"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    # "opportunistic": STARTTLS whenever the relay offers it; "required": refuse a relay that
    # does not; "off": never (a relay on the same host). `smtp_use_tls` is TLS from the start.
    smtp_starttls: Literal["opportunistic", "required", "off"] = "opportunistic"
    # CA certificates (PEM) to check the relay's certificate against, instead of the system's.
    smtp_ca_file: Path | None = None
    smtp_use_tls: bool = False
    smtp_from: str = "przypomnienia@localhost"
    smtp_timeout_seconds: float = Field(default=10, gt=0)
    smtp_pool_size: int = Field(default=4, ge=1, le=64)
    smsapi_url: str = "https://api.smsapi.pl"
    smsapi_token: str = ""
    sms_sender: str = "Info"
    # SMSAPI error codes that mean "a message with this idx was already accepted" (check_idx=1).
    smsapi_duplicate_errors: list[int] = Field(default_factory=lambda: [53])
    sms_webhook_url: str | None = None
    sms_webhook_secret: str = ""
    # Shared secret the SMS gateway's inbound webhook (replies such as STOP) must present.
    sms_inbound_secret: str = ""
    # Where the unsubscribe link in each e-mail points (the API's public base URL).
    public_api_url: str = "http://127.0.0.1:8000/api/v1"
    # How long the unsubscribe link of an e-mail works, in days from the day it was sent.
    unsubscribe_link_days: int = Field(default=90, ge=1, le=3650)

    @field_validator("smtp_starttls", mode="before")
    @classmethod
    def _starttls_from_a_flag(cls, value: object) -> object:
        # Before it had three values this setting was a flag: true meant required.
        flags = {"true": "required", "1": "required", "false": "off", "0": "off"}
        if isinstance(value, bool):
            return "required" if value else "off"
        return flags.get(str(value).lower(), value)

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, proxies: list[str]) -> list[str]:
        for proxy in proxies:
            ipaddress.ip_network(proxy, strict=False)  # a ValueError names the bad one
        return proxies

    @model_validator(mode="after")
    def _payload_keys_are_usable(self) -> Self:
        if self.payload_key_id not in self.payload_keys:
            raise ValueError("payload_key_id must name one of payload_keys")
        for key_id, key in self.payload_keys.items():
            try:
                raw = base64.b64decode(key, validate=True)
            except binascii.Error as err:
                raise ValueError(f"payload key {key_id} is not base64") from err
            if len(raw) != PAYLOAD_KEY_BYTES:
                raise ValueError(f"payload key {key_id} must be {PAYLOAD_KEY_BYTES} bytes")
        return self

    @model_validator(mode="after")
    def _sms_channel_is_complete(self) -> Self:
        if self.sms_channel == "webhook" and not (self.sms_webhook_url and self.sms_webhook_secret):
            raise ValueError("sms_channel=webhook needs sms_webhook_url and sms_webhook_secret")
        if self.sms_channel == "smsapi" and not self.smsapi_token:
            raise ValueError("sms_channel=smsapi needs smsapi_token")
        return self

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
            if DEV_PAYLOAD_KEY in self.payload_keys.values():
                raise ValueError("the development payload_keys are refused outside development")
        return self


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
