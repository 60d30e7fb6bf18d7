"""The one function that makes Temporal clients, always with the pydantic data converter."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from core.settings import Settings


async def connect_temporal(settings: Settings) -> Client:
    """A client for the configured namespace."""
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
    )


def workflow_id(pathway_id: str) -> str:
    """The workflow id of a pathway: an opaque uuid, never personal data."""
    return f"pathway-{pathway_id}"
