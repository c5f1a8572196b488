"""A progress line for long command-line work, redrawn in place on a terminal."""

import sys
import time


class ProgressLine:
    def __init__(self, stream=None, *, label: str = ""):
        self.stream = stream or sys.stderr
        self.label = label
        self.started = time.monotonic()
        self.tty = getattr(self.stream, "isatty", lambda: False)()

    def __call__(self, stage: str, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        bar = "#" * (percent // 5) + "·" * (20 - percent // 5)
        elapsed = time.monotonic() - self.started
        line = f"{self.label}{stage:<12} [{bar}] {percent:3d} % ({done}/{total}) {elapsed:5.1f} s"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if done >= total else ""))
        elif done >= total:
            self.stream.write(line + "\n")
        self.stream.flush()
