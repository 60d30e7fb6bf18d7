"""Settings refuse what must not reach production."""

from __future__ import annotations

import base64

import pytest
from pydantic import ValidationError

from core.settings import Settings

REAL_PAYLOAD_KEYS = {"2026-11": base64.b64encode(b"k" * 32).decode()}


def test_development_runs_on_the_defaults() -> None:
    assert Settings(environment="development").secret_key


def test_an_unset_environment_is_production_and_refuses_the_development_secrets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PATHWAYS_ENVIRONMENT", raising=False)
    with pytest.raises(ValidationError, match="placeholder secrets"):
        Settings(_env_file=None)
    production = Settings(
        _env_file=None,
        secret_key="k" * 40,
        admin_password="s3cret-pw",
        payload_keys=REAL_PAYLOAD_KEYS,
        payload_key_id="2026-11",
    )
    assert production.environment == "production"


@pytest.mark.parametrize(
    ("given", "meant"), [("true", "required"), ("false", "off"), ("opportunistic", "opportunistic")]
)
def test_smtp_starttls_reads_the_old_flag_too(given: str, meant: str) -> None:
    assert Settings(environment="development", smtp_starttls=given).smtp_starttls == meant


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"admin_password": "a-strong-admin-password"}, "secret_key"),
        ({"secret_key": "x" * 40}, "admin_password"),
        ({"secret_key": "short-but-not-placeholder", "admin_password": "strong-one"}, "32 bytes"),
    ],
)
@pytest.mark.parametrize("environment", ["test", "production"])
def test_outside_development_placeholder_and_short_secrets_are_refused(
    overrides: dict[str, str], complaint: str, environment: str
) -> None:
    with pytest.raises(ValidationError, match=complaint):
        Settings(environment=environment, **overrides)  # type: ignore[arg-type]


def test_production_accepts_real_secrets() -> None:
    settings = Settings(
        environment="production",
        secret_key="k" * 40,
        admin_password="s3cret-pw",
        payload_keys=REAL_PAYLOAD_KEYS,
        payload_key_id="2026-11",
    )
    assert settings.environment == "production"


@pytest.mark.parametrize("environment", ["test", "production"])
def test_outside_development_the_development_payload_key_is_refused(environment: str) -> None:
    with pytest.raises(ValidationError, match="payload_keys"):
        Settings(environment=environment, secret_key="k" * 40, admin_password="s3cret-pw")


@pytest.mark.parametrize(
    ("keys", "active", "complaint"),
    [
        ({"a": base64.b64encode(b"short").decode()}, "a", "32 bytes"),
        ({"a": "not base64!"}, "a", "not base64"),
        (REAL_PAYLOAD_KEYS, "missing", "payload_key_id"),
    ],
)
def test_payload_keys_must_be_usable(keys: dict[str, str], active: str, complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        Settings(environment="development", payload_keys=keys, payload_key_id=active)
