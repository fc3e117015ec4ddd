"""Progress and cancel for long jobs (demo data, and later import, reports and backups).

A long job is a plain function taking a ``Progress``: it calls ``report(done, total, text)`` now
and then and ``check()`` between steps, which raises when the user cancelled. The GUI hands it the
task runner's state (``ui.tasks.TaskState`` has the same two methods), a CLI command a printer, a
test nothing at all (``NO_PROGRESS``). ``app`` never imports Qt, so this is a protocol.
"""
from __future__ import annotations

import sys
import time
from typing import Protocol


class Progress(Protocol):
    def report(self, done: int, total: int | None = None, text: str | None = None) -> None: ...

    def check(self) -> None: ...


class _NoProgress:
    def report(self, done: int, total: int | None = None, text: str | None = None) -> None:
        pass

    def check(self) -> None:
        pass


NO_PROGRESS: Progress = _NoProgress()


class PrintedProgress:
    """For headless commands: a line on stderr at most every ``every`` seconds, and at the end."""

    def __init__(self, label: str, every: float = 2.0, stream=None):
        self.label, self.every, self.stream = label, every, stream or sys.stderr
        self._last = 0.0
        self.total = 0

    def report(self, done: int, total: int | None = None, text: str | None = None) -> None:
        if total is not None:
            self.total = total
        now = time.monotonic()
        if now - self._last >= self.every or (self.total and done >= self.total):
            self._last = now
            of = f"/{self.total}" if self.total else ""
            print(f"{self.label}: {done}{of} {text or ''}".rstrip(), file=self.stream, flush=True)

    def check(self) -> None:
        pass
