"""Faults injected into a local sandbox provider (payments, the vehicles' IoT), for tests and demos: the next calls
of a step fail in a given way, once each, then the sandbox works again."""
from __future__ import annotations

import contextlib
import threading


class FaultQueue:
    """Per step, the modes its next calls fail with (first first); process-wide, as a sandbox is one per process."""

    def __init__(self, steps: tuple[str, ...], modes: tuple[str, ...], what: str):
        self.steps, self.modes, self.what = steps, modes, what
        self._queues: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def inject(self, step: str, mode: str, times: int = 1) -> None:
        if step not in self.steps or mode not in self.modes:
            raise ValueError(f"unknown {self.what} step {step!r} or mode {mode!r}")
        with self._lock:
            self._queues.setdefault(step, []).extend([mode] * times)

    def clear(self) -> None:
        with self._lock:
            self._queues.clear()

    def next(self, step: str) -> str | None:
        with self._lock:
            queue = self._queues.get(step)
            return queue.pop(0) if queue else None

    @contextlib.contextmanager
    def injected(self, **steps):
        """`with faults.injected(capture="timeout_after"):` the next call of each named step fails that way."""
        for step, mode in steps.items():
            self.inject(step, mode)
        try:
            yield
        finally:
            self.clear()
