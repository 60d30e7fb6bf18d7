"""The `pathways` command: run the parts of the product, migrate, manage users."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
import uvicorn

from core.logging import configure_logging
from core.settings import get_settings
from domain.errors import DomainError
from domain.roles import Role

if TYPE_CHECKING:
    from services.keys import KeyStatus, RewrapReport

app = typer.Typer(help="The participant pathway engine.", no_args_is_help=True)
db_app = typer.Typer(help="Database migrations.")
users_app = typer.Typer(help="Staff accounts.")
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
schedules_app = typer.Typer(help="Temporal Schedules (the caseworkers' morning digest).")
app.add_typer(schedules_app, name="schedules")
temporal_app = typer.Typer(help="Temporal cluster set-up.")
app.add_typer(temporal_app, name="temporal")
keys_app = typer.Typer(help="Participants' data keys and the master keys that seal them.")
app.add_typer(keys_app, name="keys")
caseload_app = typer.Typer(help="Who holds each case (hand-overs).")
app.add_typer(caseload_app, name="caseload")


@app.command()
def dev() -> None:
    """Run everything locally: migrate, seed, Temporal dev server, worker, API."""
    from pydantic import ValidationError

    from worker.dev import run_dev

    try:
        settings = get_settings()
    except ValidationError as err:
        typer.echo(
            "pathways dev runs on the development defaults, which only development accepts: "
            "use `make run`, or set PATHWAYS_ENVIRONMENT=development.\n" + str(err),
            err=True,
        )
        raise typer.Exit(2) from None
    configure_logging(settings.environment)
    raise typer.Exit(run_dev(settings))


@app.command()
def worker() -> None:
    """Run the Temporal worker."""
    from core.temporal import exit_past_the_runtime
    from worker.main import run_worker

    settings = get_settings()
    configure_logging(settings.environment)
    asyncio.run(run_worker(settings))
    exit_past_the_runtime(0)  # stopped cleanly, everything closed


@app.command()
def api() -> None:
    """Run the HTTP API."""
    settings = get_settings()
    uvicorn.run(
        "api.app:app_factory",
        factory=True,
        host=settings.api_host,
        port=settings.api_port,
        log_config=None,
        access_log=False,
        # The app reads X-Forwarded-For itself, from PATHWAYS_TRUSTED_PROXIES only.
        proxy_headers=False,
    )


@db_app.command("upgrade")
def db_upgrade(
    revision: str = "head",
    first_admin: Annotated[
        bool, typer.Option(help="Then create the first admin, as `users create-first-admin`")
    ] = False,
) -> None:
    """Migrate the database to the latest schema (as its owner), then grant the runtime role
    its row access (PATHWAYS_DATABASE_RUNTIME_ROLE)."""
    from db.migrate import upgrade_database
    from db.roles import grant_runtime

    settings = get_settings()
    upgrade_database(settings.database_url, revision)
    typer.echo("database is up to date")
    role = settings.database_runtime_role
    if role and grant_runtime(settings.database_url, role):
        typer.echo(f"role {role} may read and write rows, and change no table")
    if first_admin:
        users_create_first_admin()


@users_app.command("create-first-admin")
def users_create_first_admin() -> None:
    """Without a prompt (Compose, scripts): create the administrator PATHWAYS_ADMIN_USERNAME
    with PATHWAYS_ADMIN_PASSWORD if the system has no administrator yet; otherwise do nothing."""
    from services.accounts import create_first_admin
    from services.context import open_services

    settings = get_settings()

    async def _create() -> bool:
        async with open_services(settings, connect=False) as services:
            return await create_first_admin(
                services, settings.admin_username, settings.admin_password
            )

    made = asyncio.run(_create())
    name = settings.admin_username
    typer.echo(f"administrator {name} created" if made else "an administrator exists already")


@db_app.command("refresh-reports")
def db_refresh_reports() -> None:
    """Fold every pathway's events not yet in the reports' read model (safe to repeat)."""
    from db.report_rows import refresh_report_rows
    from db.session import create_engine, create_sessionmaker, unit_of_work

    async def _refresh() -> int:
        engine = create_engine(get_settings().database_url)
        try:
            async with unit_of_work(create_sessionmaker(engine)) as session:
                return await refresh_report_rows(session)
        finally:
            await engine.dispose()

    typer.echo(f"{asyncio.run(_refresh())} events folded into the reports")


@users_app.command("create")
def users_create(
    username: str,
    role: Role,
    unit: Annotated[str, typer.Option(help="Unit code")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Create a member of staff in an existing unit."""
    from services.accounts import create_account
    from services.context import open_services

    async def _create() -> None:
        async with open_services(get_settings(), connect=False) as services:
            await create_account(services, username, password, role, unit)

    try:
        asyncio.run(_create())
    except DomainError as err:
        typer.echo(f"error: {err.message}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"user {username} created")


@schedules_app.command("ensure")
def schedules_ensure() -> None:
    """Create the 07:30 Europe/Warsaw digest Schedule, or bring it up to date; safe to repeat."""
    from core.temporal import connect_temporal
    from worker.schedules import DIGEST_SCHEDULE_ID, ensure_schedules

    settings = get_settings()

    async def _ensure() -> bool:
        client = await connect_temporal(settings, None)
        return await ensure_schedules(client, settings.temporal_task_queue)

    created = asyncio.run(_ensure())
    typer.echo(f"schedule {DIGEST_SCHEDULE_ID} {'created' if created else 'is up to date'}")


@app.command("import")
def import_cases(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The CSV file")],
    dry_run: Annotated[bool, typer.Option(help="Check everything, write nothing")] = False,
) -> None:
    """Import existing cases from a CSV file (columns: see the README); safe to run again."""
    from rich.console import Console

    from worker.case_import import import_file

    settings = get_settings()
    configure_logging(settings.environment)
    raise typer.Exit(asyncio.run(import_file(settings, file, dry_run, Console())))


@temporal_app.command("search-attributes")
def temporal_search_attributes() -> None:
    """Register the pathway's search attributes on the Temporal cluster (only those missing)."""
    from core.temporal import connect_temporal
    from worker.search_attributes import register_search_attributes

    async def _register() -> list[str]:
        return await register_search_attributes(await connect_temporal(get_settings(), None))

    added = asyncio.run(_register())
    typer.echo(f"added: {', '.join(added)}" if added else "search attributes already registered")


@keys_app.command("rewrap")
def keys_rewrap(
    batch: Annotated[int, typer.Option(min=1, help="Keys per transaction")] = 500,
) -> None:
    """After a master-key rotation: re-seal every data key under the active master key.

    Safe to stop and run again (it goes on where it stopped); exit 1 if some key could not be
    opened with the master keys in the settings (their ids are printed; no one is named)."""
    from services.context import open_services
    from services.keys import rewrap

    async def _rewrap() -> RewrapReport:
        async with open_services(get_settings(), connect=False) as services:
            return await rewrap(services, batch)

    report = asyncio.run(_rewrap())
    typer.echo(f"{report.rewrapped} keys re-sealed under {report.active_master_key}")
    if report.unopenable:
        typer.echo(f"{len(report.unopenable)} keys could not be opened:", err=True)
        for key_id in report.unopenable:
            typer.echo(f"  {key_id}", err=True)
        raise typer.Exit(1)


@keys_app.command("status")
def keys_status() -> None:
    """How many participants' keys each master key seals (an old one at 0 can be removed)."""
    from services.context import open_services
    from services.keys import status

    async def _status() -> KeyStatus:
        async with open_services(get_settings(), connect=False) as services:
            return await status(services)

    found = asyncio.run(_status())
    typer.echo(f"active master key: {found.active_master_key}")
    for master_key, count in sorted(found.by_master_key.items()):
        typer.echo(f"  {master_key}: {count}")


if __name__ == "__main__":
    app()


@caseload_app.command("tell")
def caseload_tell() -> None:
    """Tell the workflows of handed-over cases that have not confirmed it; safe to repeat."""
    from services.context import open_services
    from services.handovers import tell_untold

    settings = get_settings()
    configure_logging(settings.environment)

    async def _tell() -> int:
        async with open_services(settings) as services:
            return await tell_untold(services)

    left = asyncio.run(_tell())
    typer.echo(f"cases still untold: {left}")
    raise typer.Exit(1 if left else 0)


timetable_app = typer.Typer(help="The centres' timetables (issue 14).")
app.add_typer(timetable_app, name="timetable")


@timetable_app.command("remind")
def timetable_remind() -> None:
    """Make the next days' class days participants' appointments (their reminders follow), and
    cancel those no longer held; run daily, safe to repeat."""
    from services.class_reminders import FollowedTimetable, follow_all
    from services.context import open_services

    settings = get_settings()
    configure_logging(settings.environment)

    async def _follow() -> FollowedTimetable:
        async with open_services(settings) as services:
            done = await follow_all(services)
        return done

    done = asyncio.run(_follow())
    typer.echo(
        f"set {done.scheduled}, cancelled {done.cancelled}, refused {done.refused}, "
        f"unsent {done.unsent}"
    )
    raise typer.Exit(1 if done.unsent else 0)
