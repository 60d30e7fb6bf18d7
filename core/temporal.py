"""The one function that makes Temporal clients: the pydantic data converter and the codec."""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
from typing import NoReturn

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes
from temporalio.runtime import Runtime
from temporalio.service import RetryConfig

from core.codec import DataKeyStore, EncryptionCodec, MasterKeys
from core.settings import Settings
from core.tracing import tracing_interceptors


def data_converter(settings: Settings, keys: DataKeyStore | None) -> DataConverter:
    """Pydantic payloads, sealed by the codec (participant keys from `keys`, else master keys).

    Failures' messages and stack traces are moved into an encoded payload too: an error's text
    may quote what it failed on, and Temporal keeps failures in the clear otherwise.
    """
    master = MasterKeys.from_settings(settings)
    return dataclasses.replace(
        pydantic_data_converter,
        payload_codec=EncryptionCodec(
            master, keys, accept_plaintext=settings.payload_accept_plaintext
        ),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )


async def connect_temporal(
    settings: Settings, keys: DataKeyStore | None, runtime: Runtime | None = None
) -> Client:
    """A client for the configured namespace, with the codec-enabled converter.

    An unreachable server is retried for `temporal_retry_seconds`, then the call fails (the API
    answers 503); workers' long polls retry for ever. Tracing interceptors when enabled.
    """
    retry_ms = int(settings.temporal_retry_seconds * 1000)
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(settings, keys),
        retry_config=RetryConfig(max_elapsed_time_millis=retry_ms),
        interceptors=tracing_interceptors(settings),
        runtime=runtime,
    )


def exit_past_the_runtime(code: int) -> NoReturn:
    """Leave the process once its work is done and its output flushed, without the interpreter's
    finalization: the Temporal runtime's native threads may still call into Python then and abort
    the process ("PyGILState_Release ... finalizing", temporalio/sdk-python#300), turning a clean
    end into a crash for whoever waits on the exit code (an orchestrator, `make bench`)."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
