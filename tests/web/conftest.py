"""The web interface served by uvicorn on a free port, on the real servers; Debian's chromium."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.async_api import Browser, Page, async_playwright
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core.settings import Settings
from tests.support import PASSWORD, Staff

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


@dataclass(frozen=True)
class People:
    """Who logs in to the web interface (the `staff` fixture's unit)."""

    caseworker: str
    supervisor: str
    admin: str
    stranger: str  # a caseworker of another unit
    password: str = PASSWORD


@pytest.fixture
def people(staff: Staff) -> People:
    """The staff fixture's usernames (its tag is in the unit code)."""
    tag = staff.unit_code.removeprefix("KIS-")
    return People(f"caseworker-{tag}", f"supervisor-{tag}", f"admin-{tag}", f"stranger-{tag}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
async def site(
    settings: Settings, dev_server: WorkflowEnvironment, worker: None
) -> AsyncIterator[str]:
    """The real app (API and web) served by uvicorn in this process; answers its base URL."""
    app = create_app(settings, temporal=dev_server.client)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    serving = asyncio.create_task(server.serve())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    while not server.started:
        if serving.done() or loop.time() > deadline:
            raise RuntimeError("uvicorn did not start")
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, 20)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Debian's chromium, headless, driven by Playwright (no downloaded browser)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(
                "CI=true needs Debian's chromium at /usr/bin/chromium (.ci/run installs it)"
            )
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def page(browser: Browser, site: str) -> AsyncIterator[Page]:
    """A fresh browser page (its own cookies) on the site."""
    context = await browser.new_context(base_url=site, locale="pl-PL")
    context.set_default_timeout(15_000)
    try:
        yield await context.new_page()
    finally:
        await context.close()


@pytest.fixture
async def web(site: str) -> AsyncIterator[httpx.AsyncClient]:
    """A plain HTTP client on the site (cookies kept; redirects not followed)."""
    async with httpx.AsyncClient(base_url=site, timeout=20) as client:
        yield client


async def screenshot(page: Page, name: str) -> Path:
    """Save the whole page under test-output/screenshots/ (git-ignored) for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(target), full_page=True)
    return target
