"""docker-compose.yml cannot run here (no Docker engine), so it is read: every service, image,
port, dependency and variable it names must agree with the Dockerfile and the settings the code
reads, and every secret must come from the environment."""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.settings import Settings
from tests.support import PAYLOAD_KEYS
from worker.main import SHUTDOWN_GRACE

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"postgresql", "temporal", "temporal-ui", "migrate", "api", "worker", "mailpit"}
PRODUCT = {"migrate", "api", "worker"}  # built from the Dockerfile
ONE_SHOT = {"migrate"}
SECRET = re.compile(r"PASSWORD|SECRET|PAYLOAD_KEYS|_PWD$")
REQUIRED = re.compile(r"\$\{(\w+):\?[^}]+\}")
ANY_VARIABLE = re.compile(r"\$\{(\w+)(?::?[-?][^}]*)?\}")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    """The parsed file (YAML anchors and merge keys resolved, as Compose does)."""
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def _services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = compose["services"]
    return services


def _environment(service: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in (service.get("environment") or {}).items()}


def _interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?error}` with the given environment."""

    def one(match: re.Match[str]) -> str:
        name, rest = match.group(1), match.group(0)[len(match.group(1)) + 2 : -1]
        if name in env:
            return env[name]
        assert not rest.startswith(":?"), f"{name} is required and not set"
        return rest[2:] if rest.startswith(":-") else ""

    return ANY_VARIABLE.sub(one, value)


def test_every_service_is_there_with_a_pinned_image_or_the_products_dockerfile(
    compose: dict[str, Any],
) -> None:
    services = _services(compose)
    assert set(services) == SERVICES
    assert (ROOT / "Dockerfile").is_file()
    for name, service in services.items():
        if name in PRODUCT:
            assert service["build"] == "."
            assert service["image"].startswith("pathways:")
        else:
            image = service["image"]
            assert ":" in image and not image.endswith(":latest"), f"{name}: pin {image}"


def test_dependencies_wait_for_health_and_the_migration(compose: dict[str, Any]) -> None:
    services = _services(compose)
    for name, service in services.items():
        for target, rule in (service.get("depends_on") or {}).items():
            assert target in services, f"{name} depends on unknown {target}"
            expected = "service_completed_successfully" if target in ONE_SHOT else "service_healthy"
            assert rule["condition"] == expected, f"{name} -> {target}"
            if expected == "service_healthy":
                assert "healthcheck" in services[target], f"{target} has no health check"
    assert set(services["temporal"]["depends_on"]) == {"postgresql"}
    for name in ("api", "worker"):
        assert set(services[name]["depends_on"]) == {"migrate", "temporal"}
    for name, service in services.items():
        if name not in ONE_SHOT:
            assert service["healthcheck"]["test"], f"{name} has no health check"


def test_every_pathways_variable_is_a_setting_and_production_settings_validate(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = {
        "POSTGRES_PASSWORD": "a-strong-database-password",
        "PATHWAYS_SECRET_KEY": "x" * 48,
        "PATHWAYS_ADMIN_PASSWORD": "a-strong-admin-password",
        "PATHWAYS_PAYLOAD_KEYS": json.dumps({"k1": PAYLOAD_KEYS["test"]}),
        "PATHWAYS_PAYLOAD_KEY_ID": "k1",
    }
    for name in PRODUCT:
        env = _environment(_services(compose)[name])
        unknown = {
            v for v in env if v.removeprefix("PATHWAYS_").lower() not in Settings.model_fields
        }
        assert not unknown, f"{name} sets variables no setting reads: {unknown}"
        for variable in [v for v in os.environ if v.startswith("PATHWAYS_")]:
            monkeypatch.delenv(variable)
        for variable, value in env.items():
            monkeypatch.setenv(variable, _interpolate(value, secrets))
        # Read as the process reads them; production refuses placeholder secrets.
        settings = Settings(_env_file=None)
        assert settings.environment == "production"
        assert settings.temporal_address == "temporal:7233"
        assert "@postgresql:5432/" in settings.database_url


def test_secrets_come_only_from_the_environment_with_no_default(compose: dict[str, Any]) -> None:
    for name, service in _services(compose).items():
        for variable, value in _environment(service).items():
            if SECRET.search(variable):
                assert REQUIRED.fullmatch(value), f"{name}.{variable} must be ${{VAR:?…}}"
            if "PASSWORD" in value or "@" in value:
                assert all(REQUIRED.search(m.group(0)) for m in ANY_VARIABLE.finditer(value)), (
                    f"{name}.{variable} embeds a secret without requiring it"
                )


def test_ports_match_the_settings_and_workers_can_scale(compose: dict[str, Any]) -> None:
    services = _services(compose)
    published = [str(port).split(":")[0] for s in services.values() for port in s.get("ports", [])]
    assert len(published) == len(set(published)), "two services publish the same host port"
    api_env = _environment(services["api"])
    assert services["api"]["ports"] == [f"{api_env['PATHWAYS_API_PORT']}:8000"]
    assert api_env["PATHWAYS_API_HOST"] == "0.0.0.0"
    assert "8000" in services["api"]["healthcheck"]["test"][-1]
    worker = services["worker"]
    metrics_port = _environment(worker)["PATHWAYS_WORKER_METRICS_ADDRESS"].rsplit(":", 1)[1]
    assert worker["expose"] == [metrics_port] and metrics_port in worker["healthcheck"]["test"][-1]
    assert "ports" not in worker and "container_name" not in worker
    assert worker["deploy"]["replicas"] >= 2
    grace = int(worker["stop_grace_period"].removesuffix("s"))
    assert grace > SHUTDOWN_GRACE.total_seconds()  # never SIGKILLed while finishing its work
    assert _environment(services["temporal-ui"])["TEMPORAL_ADDRESS"] == "temporal:7233"
    assert _environment(services["temporal"])["POSTGRES_SEEDS"] == "postgresql"


def test_the_image_runs_the_pathways_command_with_signals_delivered() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["pathways"]' in dockerfile  # exec form: SIGTERM reaches the process
    assert "uv sync --frozen --no-dev" in dockerfile
    assert re.search(r"^USER (?!root)", dockerfile, re.MULTILINE)
    copied = set(re.findall(r"^COPY (\w+) ", dockerfile, re.MULTILINE))
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"][
        "targets"
    ]["wheel"]["packages"]
    assert set(packages) <= copied, "the image misses a package of the product"
    assert "migrations" in copied
