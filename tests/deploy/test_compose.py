"""docker-compose.yml cannot run here (no Docker engine), so it is read: every service, image,
port, dependency and variable it names must agree with the Dockerfile and the settings the code
reads, every secret must come from the environment, and the set must be safe as shipped: only the
reverse proxy reachable from outside, TLS from mounted files, the Temporal UI read-only and
local, Mailpit for trying out only, no development default in production, and a runtime
database role that cannot touch the audit log's table or trigger (tried on the local PostgreSQL,
with the roles made by the deployment's own SQL)."""

from __future__ import annotations

import json
import os
import re
import tomllib
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest
import yaml
from sqlalchemy.engine import make_url

from core.settings import DEVELOPMENT_DEFAULTS, Settings
from db.migrate import upgrade_database
from db.roles import grant_runtime
from tests.support import PAYLOAD_KEYS
from worker.main import SHUTDOWN_GRACE

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"proxy", "postgresql", "temporal", "temporal-ui", "migrate", "api", "worker", "mailpit"}
PRODUCT = {"migrate", "api", "worker"}  # built from the Dockerfile
ONE_SHOT = {"migrate"}
PROXY = "proxy"  # the one service published on the host's interfaces
DEV_ONLY = {"mailpit"}
LOOPBACK = ("127.0.0.1", "::1", "[::1]")
# The public paths the proxy forwards; everything else of the API (/metrics, /docs, /redoc,
# /openapi.json) stays inside the Compose network.
PUBLIC_PATHS = {"/api/v1/*", "/web", "/web/*", "/"}
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
    assert set(services[PROXY]["depends_on"]) == {"api"}
    for name, service in services.items():
        if name not in ONE_SHOT:
            assert service["healthcheck"]["test"], f"{name} has no health check"


def test_every_pathways_variable_is_a_setting_and_production_settings_validate(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in PRODUCT:
        env = _environment(_services(compose)[name])
        unknown = {
            v for v in env if v.removeprefix("PATHWAYS_").lower() not in Settings.model_fields
        }
        assert not unknown, f"{name} sets variables no setting reads: {unknown}"
        settings = _settings_of(compose, name, monkeypatch)
        assert settings.environment == "production"
        assert settings.temporal_address == "temporal:7233"
        assert "@postgresql:5432/" in settings.database_url


# What an operator exports (docker-compose.yml's first lines).
OPERATOR = {
    "POSTGRES_PASSWORD": "a-strong-database-password",
    "PATHWAYS_DB_OWNER_PASSWORD": "a-strong-owner-password",
    "PATHWAYS_DB_APP_PASSWORD": "a-strong-runtime-password",
    "TEMPORAL_DB_PASSWORD": "a-strong-temporal-password",
    "PATHWAYS_SECRET_KEY": "x" * 48,
    "PATHWAYS_ADMIN_PASSWORD": "a-strong-admin-password",
    "PATHWAYS_PAYLOAD_KEYS": json.dumps({"k1": PAYLOAD_KEYS["test"]}),
    "PATHWAYS_PAYLOAD_KEY_ID": "k1",
    "PATHWAYS_PUBLIC_HOST": "pathways.example.pl",
    "PATHWAYS_TLS_DIR": "/etc/pathways/tls",
    "PATHWAYS_SMTP_HOST": "smtp.example.pl",
    "PATHWAYS_SMTP_FROM": "przypomnienia@example.pl",
}


def _settings_of(
    compose: dict[str, Any], name: str, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """A product service's settings, read as its process reads them (production refuses
    placeholder secrets)."""
    for variable in [v for v in os.environ if v.startswith("PATHWAYS_")]:
        monkeypatch.delenv(variable)
    for variable, value in _environment(_services(compose)[name]).items():
        monkeypatch.setenv(variable, _interpolate(value, OPERATOR))
    return Settings(_env_file=None)


def test_secrets_come_only_from_the_environment_with_no_default(compose: dict[str, Any]) -> None:
    for name, service in _services(compose).items():
        for variable, value in _environment(service).items():
            if SECRET.search(variable):
                assert REQUIRED.fullmatch(value), f"{name}.{variable} must be ${{VAR:?…}}"
            if "PASSWORD" in value or "@" in value:
                assert all(REQUIRED.search(m.group(0)) for m in ANY_VARIABLE.finditer(value)), (
                    f"{name}.{variable} embeds a secret without requiring it"
                )


def _published(service: dict[str, Any]) -> list[tuple[str | None, str]]:
    """(host address or None for every interface, host port) of each published port."""
    published: list[tuple[str | None, str]] = []
    for port in service.get("ports", []):
        if isinstance(port, dict):
            published.append((port.get("host_ip"), str(port.get("published", port["target"]))))
            continue
        parts = str(port).rsplit(":", 2)
        host_ip = parts[0] if len(parts) == 3 else None
        published.append((host_ip, parts[-2] if len(parts) >= 2 else parts[-1]))
    return published


def test_only_the_proxy_publishes_a_port_on_all_interfaces(compose: dict[str, Any]) -> None:
    services = _services(compose)
    for name, service in services.items():
        for host_ip, port in _published(service):
            if name == PROXY:
                continue
            assert host_ip in LOOPBACK, f"{name} publishes {port} on every interface"
    assert {port for _, port in _published(services[PROXY])} == {"443", "80"}
    published = [port for s in services.values() for _, port in _published(s)]
    assert len(published) == len(set(published)), "two services publish the same host port"
    for name in ("api", "worker", "temporal", "postgresql"):
        assert "ports" not in services[name], f"{name} is for the Compose network only"


def test_the_proxy_terminates_tls_with_mounted_certificates_and_hides_metrics_and_docs(
    compose: dict[str, Any],
) -> None:
    proxy = _services(compose)[PROXY]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    mounts = {parts[1]: parts[0] for parts in (str(v).rsplit(":", 2) for v in proxy["volumes"])}
    assert mounts["/etc/caddy/Caddyfile"] == "./deploy/Caddyfile"
    assert REQUIRED.fullmatch(mounts["/certs"]), "the certificates come from the operator"
    assert "tls /certs/fullchain.pem /certs/privkey.pem" in caddyfile
    [matcher] = re.findall(r"^\s*@public path (.+)$", caddyfile, re.MULTILINE)
    assert set(matcher.split()) == PUBLIC_PATHS
    assert "reverse_proxy api:8000" in caddyfile
    assert re.search(r"handle \{\s*respond 404", caddyfile), "other paths are 404 at the proxy"
    assert "{$PATHWAYS_PUBLIC_HOST}" in caddyfile
    assert _environment(proxy)["PATHWAYS_PUBLIC_HOST"].startswith("${PATHWAYS_PUBLIC_HOST:?")
    # The API believes X-Forwarded-For from the proxy's fixed address only.
    address = proxy["networks"]["default"]["ipv4_address"]
    api = _environment(_services(compose)["api"])
    assert json.loads(api["PATHWAYS_TRUSTED_PROXIES"]) == [address]
    api_service = _services(compose)["api"]
    assert api_service["expose"] == [api["PATHWAYS_API_PORT"]]
    assert api["PATHWAYS_API_HOST"] == "0.0.0.0"
    assert "8000" in api_service["healthcheck"]["test"][-1]


def test_the_temporal_ui_is_read_only_and_on_the_loopback(compose: dict[str, Any]) -> None:
    ui = _services(compose)["temporal-ui"]
    env = _environment(ui)
    assert env["TEMPORAL_DISABLE_WRITE_ACTIONS"] == "true"
    assert env["TEMPORAL_ADDRESS"] == "temporal:7233"
    assert env["TEMPORAL_CODEC_ENDPOINT"].endswith("/api/v1/codec")
    assert all(host_ip in LOOPBACK for host_ip, _ in _published(ui))


def test_mailpit_is_only_in_the_dev_profile_and_workers_can_scale(
    compose: dict[str, Any],
) -> None:
    services = _services(compose)
    for name, service in services.items():
        assert (service.get("profiles") == ["dev"]) is (name in DEV_ONLY), name
    worker = services["worker"]
    metrics_port = _environment(worker)["PATHWAYS_WORKER_METRICS_ADDRESS"].rsplit(":", 1)[1]
    assert worker["expose"] == [metrics_port] and metrics_port in worker["healthcheck"]["test"][-1]
    assert "ports" not in worker and "container_name" not in worker
    assert worker["deploy"]["replicas"] >= 2
    grace = int(worker["stop_grace_period"].removesuffix("s"))
    assert grace > SHUTDOWN_GRACE.total_seconds()  # never SIGKILLed while finishing its work
    assert _environment(services["temporal"])["POSTGRES_SEEDS"] == "postgresql"


def test_no_development_default_reaches_a_production_setting(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in PRODUCT:
        settings = _settings_of(compose, name, monkeypatch)
        for field in DEVELOPMENT_DEFAULTS:
            default = Settings.model_fields[field].get_default(call_default_factory=True)
            assert getattr(settings, field) != default, f"{name}: {field} is the development one"
        assert settings.public_api_url.startswith("https://")
        assert settings.email_channel == "smtp" and settings.smtp_starttls == "required"


def test_each_process_connects_as_its_own_database_role(compose: dict[str, Any]) -> None:
    services = _services(compose)
    roles = {
        name: urlsplit(
            _interpolate(_environment(services[name])["PATHWAYS_DATABASE_URL"], OPERATOR)
        ).username
        for name in PRODUCT
    }
    assert roles == {"migrate": "pathways_owner", "api": "pathways_app", "worker": "pathways_app"}
    assert _environment(services["migrate"])["PATHWAYS_DATABASE_RUNTIME_ROLE"] == "pathways_app"
    assert _environment(services["temporal"])["POSTGRES_USER"] == "temporal"
    postgresql = services["postgresql"]
    assert "./deploy/postgres:/docker-entrypoint-initdb.d:ro" in postgresql["volumes"]
    script = (ROOT / "deploy" / "postgres" / "10-roles.sh").read_text()
    for variable in ("owner=pathways_owner", "runtime=pathways_app", "temporal=temporal"):
        assert variable in script


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


def _psql(sql: str, variables: dict[str, str]) -> list[str]:
    """A file of deploy/postgres/sql/ as psql runs it: its `:"name"` and `:'name'` variables
    substituted, one statement at a time."""

    def identifier(match: re.Match[str]) -> str:
        return '"' + variables[match.group(1)].replace('"', '""') + '"'

    def literal(match: re.Match[str]) -> str:
        return "'" + variables[match.group(1)].replace("'", "''") + "'"

    code = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
    code = re.sub(r":'(\w+)'", literal, re.sub(r':"(\w+)"', identifier, code))
    return [statement.strip() for statement in code.split(";") if statement.strip()]


# What the runtime role must never do to the audit log, and what it must still do.
FORBIDDEN = (
    "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
    "DROP TRIGGER audit_log_append_only ON audit_log",
    "ALTER TABLE audit_log ADD COLUMN note text",
    "DROP TABLE audit_log",
    "TRUNCATE audit_log",
    "UPDATE audit_log SET actor = 'someone else'",
    "DELETE FROM audit_log",
    "UPDATE alembic_version SET version_num = '0001'",
    "CREATE TABLE shadow (x int)",
)
ENTRY = (
    "INSERT INTO audit_log (at, actor_id, actor, role, unit_id, action, fields) VALUES "
    "(now(), gen_random_uuid(), 'anna', 'caseworker', gen_random_uuid(), 'participant.read', '[]')"
)


def test_the_runtime_role_made_as_deployed_cannot_alter_the_audit_log(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        # The SQLite of `make run` has no roles: nothing to grant (the trigger still refuses).
        assert grant_runtime(database_url, "pathways_app") is False
        return
    tag = uuid.uuid4().hex[:8]
    names = {
        "owner": f"pw_owner_{tag}",
        "runtime": f"pw_app_{tag}",
        "temporal": f"pw_temporal_{tag}",
        "database": f"pw_roles_{tag}",
        "owner_password": f"owner-{tag}",
        "runtime_password": f"runtime-{tag}",
        "temporal_password": f"temporal-{tag}",
    }
    server = make_url(database_url).set(drivername="postgresql")

    def url(user: str | None, password: str | None, database: str) -> str:
        return server.set(username=user, password=password, database=database).render_as_string(
            hide_password=False
        )

    superuser = url(server.username, server.password, "postgres")
    sql = ROOT / "deploy" / "postgres" / "sql"
    try:
        with psycopg.connect(superuser, autocommit=True) as connection:
            for statement in _psql((sql / "roles.sql").read_text(), names):
                connection.execute(statement)
        in_database = url(server.username, server.password, names["database"])
        with psycopg.connect(in_database, autocommit=True) as connection:
            for statement in _psql((sql / "database.sql").read_text(), names):
                connection.execute(statement)
        # `docker compose`'s migrate service: the owner migrates, then grants (`db upgrade`).
        owner = url(names["owner"], names["owner_password"], names["database"])
        upgrade_database(owner)
        assert grant_runtime(owner, names["runtime"]) is True

        runtime = url(names["runtime"], names["runtime_password"], names["database"])
        with psycopg.connect(runtime, autocommit=True) as connection:
            connection.execute(ENTRY)  # appending and reading entries is its work
            assert connection.execute("SELECT count(*) FROM audit_log").fetchone() == (1,)
            connection.execute("INSERT INTO units (id, code, name, kind, created_at) VALUES "
                               "(gen_random_uuid(), 'R-1', 'Jednostka', 'kis', now())")  # fmt: skip
            connection.execute("UPDATE units SET name = 'Klub' WHERE code = 'R-1'")
            for statement in FORBIDDEN:
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    connection.execute(statement)
            assert connection.execute("SELECT count(*) FROM audit_log").fetchone() == (1,)
    finally:
        with psycopg.connect(superuser, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{names["database"]}" WITH (FORCE)')
            for role in ("owner", "runtime", "temporal"):
                connection.execute(f'DROP ROLE IF EXISTS "{names[role]}"')
