"""One OpenTelemetry SDK for the whole test process, recording only inside these tests.

The global tracer provider can be set once per process, and the SDK's tracers follow it from
then on; a sampler that drops every span outside the ``spans`` fixture keeps the rest of the
suite on the SDK's no-op path (no span is recorded, no attempt span is made).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.sdk.trace.sampling import (
    Decision,
    Sampler,
    SamplingResult,
)
from opentelemetry.trace import Link, SpanKind
from opentelemetry.util.types import Attributes


class _Switch(Sampler):
    """Samples everything while ``on``, nothing otherwise."""

    def __init__(self) -> None:
        self.on = False

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: Any = None,
    ) -> SamplingResult:
        decision = Decision.RECORD_AND_SAMPLE if self.on else Decision.DROP
        return SamplingResult(decision, attributes if self.on else None)

    def get_description(self) -> str:
        return "imburse tests switch"


_SWITCH = _Switch()
_EXPORTER = InMemorySpanExporter()


@pytest.fixture(scope="session")
def _provider() -> None:
    provider = TracerProvider(sampler=_SWITCH)
    provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
    trace.set_tracer_provider(provider)
    # Only the first provider set in a process counts: a test that sets its own in-process
    # earlier in the run would leave these tests without spans (run such code in a subprocess).
    assert trace.get_tracer_provider() is provider, "a tracer provider was set before this one"


@pytest.fixture
def spans(_provider: None) -> Iterator[InMemorySpanExporter]:
    """The spans finished during the test (an in-memory exporter on the global provider)."""
    _EXPORTER.clear()
    _SWITCH.on = True
    try:
        yield _EXPORTER
    finally:
        _SWITCH.on = False
        _EXPORTER.clear()
