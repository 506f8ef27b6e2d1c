"""How the CLI tests run ``fake-dinero``: a server started as a subprocess with its console
read by a thread (no sleeps, a deadline instead), and one command run to its end."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path


class Console:
    """The lines a server prints, read by a thread so a test waits for a line with a
    deadline instead of sleeping, and a server that never prints fails instead of hanging."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        self.lines: queue.Queue[str] = queue.Queue()
        stdout = process.stdout

        def pump() -> None:
            for line in iter(stdout.readline, ""):
                self.lines.put(line)

        self._pump = threading.Thread(target=pump, daemon=True)
        self._pump.start()

    def join(self, timeout: float = 10) -> None:
        """Wait for the reader to see the end of the output, so the pipe is not closed under it."""
        self._pump.join(timeout)

    def read_until(self, done: Callable[[str], bool], deadline_seconds: float = 30) -> list[str]:
        """Lines up to and including the first that is ``done``."""
        seen: list[str] = []
        deadline = time.monotonic() + deadline_seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            seen.append(line)
            if done(line):
                return seen
        raise AssertionError(f"no such line; got {''.join(seen)!r}")

    def banner(self) -> str:
        """Lines the server prints until its 'Stop with Ctrl-C.' line."""
        return "".join(self.read_until(lambda line: line.startswith("Stop with Ctrl-C.")))


@contextlib.contextmanager
def started(*args: str, env: dict[str, str] | None = None) -> Iterator[tuple[subprocess.Popen[str], Console, str]]:
    """``python -m fake_dinero serve --port 0 ARGS``, its console and its banner; killed afterwards if still up."""
    process = subprocess.Popen(
        [sys.executable, "-m", "fake_dinero", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    with process:
        console = Console(process)
        try:
            yield process, console, console.banner()
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(30)
            console.join()


@contextlib.contextmanager
def running(*args: str, env: dict[str, str] | None = None) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``fake-dinero serve --port 0 ARGS`` and its banner, killed afterwards if still up."""
    with started(*args, env=env) as (process, _, banner):
        yield process, banner


def field(banner: str, name: str) -> str:
    match = re.search(rf"^  {name}\s+(\S+)$", banner, re.MULTILINE)
    assert match, banner
    return match.group(1)


def fake_dinero(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m fake_dinero ARGS`` run to its end."""
    return subprocess.run(
        [sys.executable, "-m", "fake_dinero", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )
