"""Workflow ids: opaque uuids behind a prefix, never personal data."""

from __future__ import annotations

_PATHWAY_PREFIX = "pathway-"
_COOPERATIVE_PREFIX = "cooperative-"


def workflow_id(pathway_id: str) -> str:
    """The workflow id of a pathway."""
    return f"{_PATHWAY_PREFIX}{pathway_id}"


def pathway_of(workflow_id: str) -> str | None:
    """The pathway id in a pathway's workflow id, if it is one."""
    return (
        workflow_id.removeprefix(_PATHWAY_PREFIX)
        if workflow_id.startswith(_PATHWAY_PREFIX)
        else None
    )


def cooperative_workflow_id(cooperative_id: str) -> str:
    """The founding workflow's id of a social cooperative."""
    return f"{_COOPERATIVE_PREFIX}{cooperative_id}"
