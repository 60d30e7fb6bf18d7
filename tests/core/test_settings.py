"""Settings refuse what must not reach production."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.settings import Settings


def test_development_runs_on_the_defaults() -> None:
    assert Settings(environment="development").secret_key


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
    settings = Settings(environment="production", secret_key="k" * 40, admin_password="s3cret-pw")
    assert settings.environment == "production"
