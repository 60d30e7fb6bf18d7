"""The layers and their rules (README "Architecture", DESIGN.md §2), checked on every import.

Every module of the product is read (not imported) and each of its imports, at any depth, is
held against the table: which of the product's folders a folder may use, and which libraries
only some folders may touch (Temporal's client, the database, the web framework).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# A folder -> the product's folders its modules may import (itself always).
MAY_USE: dict[str, frozenset[str]] = {
    "core": frozenset({"domain"}),  # pure facts only (core/holidays.py: the act's holidays)
    "domain": frozenset(),
    "db": frozenset({"domain", "core"}),
    "documents": frozenset({"domain", "core"}),  # printouts: built from the domain's facts
    "workflows": frozenset({"domain", "activities"}),  # activities: references to schedule
    "activities": frozenset({"domain", "db", "core", "documents"}),
    "services": frozenset({"domain", "db", "core", "documents", "workflows"}),
    "worker": frozenset({"services", "workflows", "activities", "db", "core", "domain"}),
    "api": frozenset({"services", "domain", "core"}),
    "web": frozenset({"services", "domain", "core"}),
    "bench": frozenset({"services", "workflows", "activities", "db", "core", "domain", "worker"}),
}
# The HTTP process's composition root mounts the web pages beside the API.
COMPOSITION = {("api/app.py", "web")}
# Libraries only some folders may import (a module name and everything under it).
ONLY_IN: dict[str, frozenset[str]] = {
    "temporalio.client": frozenset({"services", "core", "worker", "bench"}),
    "temporalio.worker": frozenset({"worker", "bench"}),
    "sqlalchemy": frozenset({"db", "services", "activities", "worker", "bench"}),
    "fastapi": frozenset({"api", "web"}),
    "starlette": frozenset({"api", "web"}),
    "babel": frozenset({"web"}),
}
# domain/ is pure: the standard library and pydantic only.
PURE = frozenset({"domain"})
PURE_ALLOWS = frozenset({"pydantic", "pydantic_core"})


@dataclass(frozen=True)
class Breach:
    """One import a rule forbids."""

    module: str
    imported: str
    rule: str

    def __str__(self) -> str:
        return f"{self.module} imports {self.imported}: {self.rule}"


def imports_of(source: str) -> list[list[str]]:
    """Each import statement's modules (`from a import b` names `a` and `a.b`), wherever the
    statement stands; relative imports are not used in the product."""
    found: list[list[str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [[alias.name] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append([node.module, *(f"{node.module}.{a.name}" for a in node.names)])
    return found


def breaches(relative: str, source: str) -> list[Breach]:
    """What the rules say about one module (`relative`: its path from the project's root)."""
    folder = relative.split("/", 1)[0]
    out: list[Breach] = []
    for names in imports_of(source):
        imported, top = names[0], names[0].split(".", 1)[0]
        foreign = top in MAY_USE and top != folder and top not in MAY_USE[folder]
        if foreign and (relative, top) not in COMPOSITION:
            out.append(Breach(relative, imported, f"{folder}/ may not use {top}/"))
        for library, folders in ONLY_IN.items():
            hit = any(n == library or n.startswith(library + ".") for n in names)
            if hit and folder not in folders:
                out.append(Breach(relative, imported, f"only {', '.join(sorted(folders))}"))
        outside = top not in MAY_USE and top not in sys.stdlib_module_names
        if folder in PURE and outside and top not in PURE_ALLOWS:
            out.append(Breach(relative, imported, "domain/ is stdlib and pydantic only"))
    return out


def product_modules() -> list[Path]:
    """Every Python module of the product's folders."""
    return sorted(path for folder in MAY_USE for path in (ROOT / folder).rglob("*.py"))


def test_every_folder_of_the_product_is_in_the_table() -> None:
    folders = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders - {"tests"} == set(MAY_USE)


def test_no_import_breaks_a_layer_rule() -> None:
    found = [
        breach
        for path in product_modules()
        for breach in breaches(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
    ]
    assert [str(b) for b in found] == []


def test_the_rules_catch_what_they_forbid() -> None:
    # The walker sees imports inside functions too, and each kind of rule answers.
    assert [b.rule for b in breaches("web/x.py", "def f():\n    from api import deps\n")] == [
        "web/ may not use api/"
    ]
    assert breaches("worker/cli.py", "from api.app import create_app")  # worker/ never uses api/
    assert breaches("api/routes/x.py", "from db import participants")  # routes hold no SQL
    assert breaches("api/routes/x.py", "from temporalio.client import Client")
    assert breaches("db/x.py", "import temporalio.client")
    assert breaches("domain/x.py", "import sqlalchemy")
    assert breaches("domain/x.py", "import httpx")
    assert not breaches("domain/x.py", "from datetime import date\nfrom pydantic import BaseModel")
    assert not breaches("api/app.py", "from web import install_web")  # the composition root
    assert breaches("api/routes/x.py", "from web import install_web")
