"""Saved histories still replay: a change to workflow logic that breaks them needs `patched`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from core.temporal import data_converter
from tests.support import settings_for_tests
from workflows.cooperative import CooperativeFoundingWorkflow
from workflows.digest import CaseworkerDigestWorkflow
from workflows.pathway import ParticipantPathwayWorkflow

HISTORIES = sorted((Path(__file__).parent.parent / "histories").glob("*.json"))


def test_there_are_saved_histories() -> None:
    assert [p.name for p in HISTORIES if p.name.startswith("kis_")], "no saved KIS history"


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_saved_history_replays(path: Path) -> None:
    history = WorkflowHistory.from_json("replayed", json.loads(path.read_text()))
    # Recorded before payloads were encrypted: such histories need the codec to accept them.
    replayer = Replayer(
        workflows=[
            ParticipantPathwayWorkflow,
            CooperativeFoundingWorkflow,
            CaseworkerDigestWorkflow,
        ],
        data_converter=data_converter(settings_for_tests(payload_accept_plaintext=True), None),
    )
    await replayer.replay_workflow(history)
