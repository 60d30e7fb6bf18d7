"""The `pathways import` command's console: the check, the validation report, a progress bar."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from api.case_import import CaseImporter, ImportReport
from core.codec import MasterKeys
from core.settings import Settings
from core.temporal import connect_temporal
from db.keys import DatabaseKeyStore
from db.session import create_engine, create_sessionmaker

MAX_PROBLEMS_SHOWN = 200


async def import_file(settings: Settings, path: Path, dry_run: bool, console: Console) -> int:
    """Check the file, report, and (unless a dry run) import its good rows; the exit status."""
    engine = create_engine(settings.database_url)
    try:
        sessions = create_sessionmaker(engine)
        keys = DatabaseKeyStore(
            sessions, MasterKeys.from_settings(settings), settings.key_cache_seconds
        )
        client = await connect_temporal(settings, keys)
        importer = CaseImporter(
            sessions, client, settings.temporal_task_queue, keys, settings.secret_key
        )
        report = await importer.check(path)
        show_problems(report, console)
        if dry_run:
            console.print(
                f"dry run: {report.rows} rows, {len(report.problems)} problems; "
                f"{report.to_import} cases would be imported, {report.unchanged} already are. "
                "Nothing was written."
            )
            return 1 if report.problems else 0
        with Progress(
            TextColumn("importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        ) as progress:
            task = progress.add_task("cases", total=len(report.planned))
            await importer.run(report, lambda: progress.advance(task))
        for failure in report.failed:
            console.print(f"[red]{failure}[/red]")
        console.print(
            f"imported {report.imported} cases ({report.steps_sent} steps), "
            f"{report.unchanged} unchanged, {len(report.problems)} rows with problems, "
            f"{len(report.failed)} failed."
        )
        return 1 if report.problems or report.failed else 0
    finally:
        await engine.dispose()


def show_problems(report: ImportReport, console: Console) -> None:
    """The validation report: one line per problem, by row and column."""
    for problem in report.problems[:MAX_PROBLEMS_SHOWN]:
        console.print(str(problem), markup=False, highlight=False)
    hidden = len(report.problems) - MAX_PROBLEMS_SHOWN
    if hidden > 0:
        console.print(f"... and {hidden} more problems")
