"""`python -m bench.baseline_worker ADDRESS QUEUE`: the bare-Temporal worker, in its own process."""

from __future__ import annotations

import asyncio
import signal
import sys
from datetime import timedelta

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from bench.trivial import CounterWorkflow, EchoWorkflow, PathwayShapedWorkflow, echo

# As the product's worker does with its own workflows (worker/main.py): the baseline's module is
# taken as it is, not compiled afresh in the sandbox for every new workflow.
RUNNER = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules("bench"))


async def serve(address: str, task_queue: str) -> None:
    """Run the baseline workflows and activity until SIGINT/SIGTERM."""
    client = await Client.connect(address, data_converter=pydantic_data_converter)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    workflows = [EchoWorkflow, CounterWorkflow, PathwayShapedWorkflow]
    async with Worker(client, task_queue=task_queue, workflows=workflows, activities=[echo],
                      workflow_runner=RUNNER, graceful_shutdown_timeout=timedelta(seconds=5)):
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1], sys.argv[2]))
