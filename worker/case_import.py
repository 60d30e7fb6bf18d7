"""The `pathways import` command's console: the check, the validation report, a progress bar."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from core.settings import Settings
from services.case_checks import ImportReport
from services.case_import import CaseImporter
from services.context import open_services

MAX_PROBLEMS_SHOWN = 200


async def import_file(settings: Settings, path: Path, dry_run: bool, console: Console) -> int:
    """Check the file, report, and (unless a dry run) import its good rows; the exit status."""
    async with open_services(settings) as services:
        importer = CaseImporter(services)
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


def show_problems(report: ImportReport, console: Console) -> None:
    """The validation report: one line per problem, by row and column."""
    for problem in report.problems[:MAX_PROBLEMS_SHOWN]:
        console.print(str(problem), markup=False, highlight=False)
    hidden = len(report.problems) - MAX_PROBLEMS_SHOWN
    if hidden > 0:
        console.print(f"... and {hidden} more problems")
