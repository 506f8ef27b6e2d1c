"""Start figures: what importing the fake adds to an interpreter's start, and how soon
``fake-dinero serve`` answers after launch. Both run child interpreters with ``.pyc``
files allowed and warmed first, as on a user's machine (a shell that sets
``PYTHONDONTWRITEBYTECODE`` would make every import compile from source)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time

import httpx

from .figures import Figure

GROUP = "start"
IMPORTS = {
    "import fake_dinero": "import fake_dinero",
    "import fake_dinero.inprocess": "import fake_dinero.inprocess",
    "from fake_dinero import FakeDinero": "from fake_dinero import FakeDinero; FakeDinero",
}
"""The package alone (its names are loaded lazily), and what it takes to get a working
fake, as a test suite's conftest does it."""
IMPORT_GOAL = 0.3
SERVE_GOAL = 0.5
SERVE_WAIT = 30.0
"""Seconds to wait for a served fake before giving up (it failed to start)."""


def _environment() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def _interpreter(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return time.perf_counter() - start


def import_figures(runs: int) -> list[Figure]:
    """Seconds each import adds over a bare interpreter (``-c pass``): best of ``runs`` each."""
    env = _environment()
    _interpreter("; ".join(IMPORTS.values()), env)  # writes the .pyc files
    bare = min(_interpreter("pass", env) for _ in range(runs))
    figures = []
    for name, code in IMPORTS.items():
        seconds = min(_interpreter(code, env) for _ in range(runs)) - bare
        figures.append(
            Figure(GROUP, f"{name} (over a bare interpreter, .pyc warm)", seconds, "s",
                   goal=f"<= {IMPORT_GOAL:g} s", met=seconds <= IMPORT_GOAL)  # fmt: skip
        )
    return figures


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve_once(env: dict[str, str]) -> float:
    """Seconds from launching ``fake-dinero serve`` to its first answer to a GET."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "fake_dinero", "serve", "--port", str(port)]
    errors = tempfile.TemporaryFile()
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    try:
        with httpx.Client(timeout=1.0) as client:
            while True:
                try:
                    client.get(url)
                    return time.perf_counter() - start
                except httpx.TransportError:
                    if process.poll() is not None:
                        errors.seek(0)
                        said = errors.read().decode(errors="replace")[-2000:]
                        raise RuntimeError(f"{' '.join(command)} stopped with {process.returncode}:\n{said}") from None
                    if time.perf_counter() - start > SERVE_WAIT:
                        raise RuntimeError(f"{' '.join(command)} did not answer in {SERVE_WAIT:g} s") from None
                    time.sleep(0.005)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        errors.close()


def serve_figure(runs: int) -> Figure:
    env = _environment()
    _serve_once(env)  # writes the .pyc files
    seconds = min(_serve_once(env) for _ in range(runs))
    return Figure(GROUP, "fake-dinero serve, launch to first answer (.pyc warm)", seconds, "s",
                  goal=f"<= {SERVE_GOAL:g} s", met=seconds <= SERVE_GOAL)  # fmt: skip
