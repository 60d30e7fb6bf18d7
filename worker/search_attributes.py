"""Registering the pathway's search attributes on a Temporal server, once, before any pathway runs.

The dev server takes them as start-up flags (`make run`, tests, benchmarks); a cluster is told by
`pathways temporal search-attributes` (or `temporal operator search-attribute create`), which
registers only what is missing, so it is safe to run on every deployment.
"""

from __future__ import annotations

import asyncio

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.common import SearchAttributeIndexedValueType
from temporalio.service import RPCError, RPCStatusCode

from workflows.search_attributes import ALL

# The names `temporal server start-dev --search-attribute Name=Type` understands.
_CLI_TYPES = {
    SearchAttributeIndexedValueType.KEYWORD: "Keyword",
    SearchAttributeIndexedValueType.DATETIME: "Datetime",
}


def dev_server_flags() -> list[str]:
    """`--search-attribute Name=Type` for each attribute, for `temporal server start-dev`."""
    flags: list[str] = []
    for key in ALL:
        flags += ["--search-attribute", f"{key.name}={_CLI_TYPES[key.indexed_value_type]}"]
    return flags


def operator_commands(namespace: str) -> list[str]:
    """The `temporal operator` commands that register them on a cluster (for the README)."""
    return [
        f"temporal operator search-attribute create --namespace {namespace} "
        f"--name {key.name} --type {_CLI_TYPES[key.indexed_value_type]}"
        for key in ALL
    ]


async def register_search_attributes(client: Client) -> list[str]:
    """Add the attributes the namespace lacks (through the operator API); the names added."""
    present = await _registered(client)
    added: list[str] = []
    for key in ALL:
        if present is not None and key.name in present:
            continue
        request = AddSearchAttributesRequest(
            namespace=client.namespace,
            search_attributes={key.name: IndexedValueType.ValueType(int(key.indexed_value_type))},
        )
        try:
            await client.operator_service.add_search_attributes(request)
        except RPCError as err:
            if err.status is not RPCStatusCode.ALREADY_EXISTS:
                raise
            continue
        added.append(key.name)
    return sorted(added)


def register_on_dev_server(address: str, namespace: str, attempts: int = 50) -> list[str]:
    """For `make run`: a dev server reopening an older `var/temporal.db` ignores the start-up
    flags for attributes it lacks, so they are added here (retried while the namespace is made)."""

    async def register() -> list[str]:
        for attempt in range(attempts):
            try:
                client = await Client.connect(address, namespace=namespace)
                return await register_search_attributes(client)
            except (RPCError, RuntimeError):  # RuntimeError: could not connect yet
                if attempt == attempts - 1:
                    raise
                await asyncio.sleep(0.2)
        return []

    return asyncio.run(register())


async def _registered(client: Client) -> set[str] | None:
    try:
        known = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=client.namespace)
        )
    except RPCError as err:
        # The time-skipping test server can add attributes but not list them.
        if err.status is RPCStatusCode.UNIMPLEMENTED:
            return None
        raise
    return set(known.custom_attributes) | set(known.system_attributes)
