"""Every Temporal server the product runs on learns the pathway's search attributes (issue 5)."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.client import Client

from worker.search_attributes import dev_server_flags, operator_commands, register_on_dev_server
from workflows import search_attributes

TEMPORAL = Path(sys.executable).parent / "temporal"
NAMES = {key.name for key in search_attributes.ALL}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def older_dev_server(tmp_path: Path) -> Iterator[str]:
    """A dev server on a database made before the attributes existed (started without flags)."""
    port = _free_port()
    process = subprocess.Popen(
        [str(TEMPORAL), "server", "start-dev", "--headless", "--ip", "127.0.0.1",
         "--port", str(port), "--ui-port", str(_free_port()),
         "--db-filename", str(tmp_path / "temporal.db"), "--log-level", "error"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


async def _custom(address: str) -> set[str]:
    client = await Client.connect(address)
    known = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace="default")
    )
    return set(known.custom_attributes)


def test_make_run_adds_the_attributes_an_older_temporal_database_lacks(
    older_dev_server: str,
) -> None:
    added = register_on_dev_server(older_dev_server, "default")  # waits for it to answer

    assert set(added) == NAMES
    assert NAMES.issubset(asyncio.run(_custom(older_dev_server)))
    assert register_on_dev_server(older_dev_server, "default") == []  # only what is missing


def test_the_flags_and_the_operator_commands_name_every_attribute_with_its_type() -> None:
    flags = dev_server_flags()
    assert flags[::2] == ["--search-attribute"] * len(NAMES)
    assert set(flags[1::2]) == {
        "PathwayStage=Keyword",
        "PathwayProgramme=Keyword",
        "PathwayUnit=Keyword",
        "PathwayNextDeadline=Datetime",
    }
    assert all(
        c.startswith("temporal operator search-attribute create") for c in operator_commands("x")
    )
