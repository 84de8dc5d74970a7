"""Progress of long CLI work: a bar with rate and time left on a terminal, plain lines in logs."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int | None, unit: str = "rows", stream: TextIO = sys.stderr, width: int = 30) -> None:
        self.total, self.unit, self.stream, self.width = total, unit, stream, width
        self.began = time.monotonic()
        self.interactive = stream.isatty()

    def update(self, done: int) -> None:
        elapsed = max(time.monotonic() - self.began, 1e-9)
        rate = done / elapsed
        text = f"{done:,} {self.unit}, {rate:,.0f} {self.unit}/s"
        if self.total:
            fraction = min(done / self.total, 1.0)
            filled = round(fraction * self.width)
            left = (self.total - done) / rate if rate else 0
            text = (f"[{'#' * filled}{'.' * (self.width - filled)}] {fraction:4.0%}  {done:,}/{self.total:,} "
                    f"{self.unit}, {rate:,.0f} {self.unit}/s, {left:,.0f} s left")
        self.stream.write(f"\r{text}\033[K" if self.interactive else f"{text}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.interactive:
            self.stream.write("\n")
            self.stream.flush()


class ProgressOnce:
    """A Progress that starts on the first ``(done, total)`` report, when the work knows its total."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self.bar: Progress | None = None

    def __call__(self, done: int, total: int) -> None:
        self.bar = self.bar or Progress(total, self.unit)
        self.bar.update(done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
