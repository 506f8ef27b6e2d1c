"""The live-server figures: ``fake-dinero serve`` and the ``dinero_server`` fixture's server
under a fixed request mix, next to a bare Starlette app on the same server stack.

Every server runs in a process of its own, started as its user starts it: ``fake-dinero
serve`` from its command line (its request log going to the null device, as a terminal
would take it), the fixture's ``LiveServer`` from ``python -m fake_dinero.benchmark.live
--live-server``, the yardstick from ``python -m fake_dinero.benchmark.bare_app``. The load
generator (``loadgen``) is a process too. With two CPUs or more, the server is pinned to
one and the generator to another, so neither takes the other's time.

Only the command line, HTTP and ``LiveServer`` / ``DineroOptions`` / ``FakeDinero`` are
used, so the module measures older versions of the fake as well.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

import httpx

from .figures import Figure

GROUP = "live server"
ORG = 123456
CLIENT_ID = "fake-dinero-client"
CLIENT_SECRET = "fake-dinero-secret"
API_KEY = "fake-dinero-api-key"

BARE = "bare Starlette"
SERVE = "fake-dinero serve"
FIXTURE = "dinero_server (LiveServer)"

THROUGHPUT_SHARE = 0.5
"""The fake answers at least half what the bare app answers at the same concurrency."""
P99_MS_LOADED = 15.0
P99_MS_ALONE = 5.0
"""One client alone never waits on the network stack (a Nagle / delayed-ACK wait is ~40 ms)."""
FLATNESS = 0.9
"""The last quarter of a run answers at least this share of the first, though the POSTs grow the table."""
GENERATOR_HEADROOM = 2.0
"""The generator could send at least this many times what the bare app answers, on the CPU it
used: below that, the generator, not the server, may set the yardstick's pace."""
START_SECONDS = 60.0


# -- CPUs -------------------------------------------------------------------------


@dataclass(frozen=True)
class Cpus:
    """Where the server and the load generator run: one CPU each, or wherever the OS puts them."""

    server: int | None
    load: int | None

    @classmethod
    def plan(cls) -> Cpus:
        if not hasattr(os, "sched_getaffinity"):
            return cls(None, None)
        available = sorted(os.sched_getaffinity(0))
        if len(available) < 2:
            return cls(None, None)
        return cls(available[0], available[1])

    @property
    def pinned(self) -> bool:
        return self.server is not None

    def describe(self) -> str:
        if not self.pinned:
            return "not pinned: fewer than 2 CPUs to pin to; server and load generator share the CPU"
        return f"server pinned to CPU {self.server}, load generator to CPU {self.load}"


def _pin(pid: int, cpu: int | None) -> None:
    if cpu is not None:
        os.sched_setaffinity(pid, {cpu})


def machine_note() -> str:
    """How the live-server figures were measured on this machine."""
    try:
        import uvloop  # noqa: F401

        loop = "uvloop"
    except ImportError:
        loop = "asyncio"
    try:
        import httptools  # noqa: F401

        parser = "httptools"
    except ImportError:
        parser = "h11"
    stack = f"uvicorn on {parser} + {loop}; load generator in Python on {loop}"
    return f"{os.cpu_count()} CPUs; {Cpus.plan().describe()}; {stack}"


# -- servers ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    name: str
    port: int
    token: str
    pid: int


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_answering(process: subprocess.Popen[bytes], port: int, errors: IO[bytes], name: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors.seek(0)
            said = errors.read().decode("utf-8", "replace").strip()
            raise RuntimeError(f"{name} stopped with status {process.returncode} before answering: {said}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/v1/{ORG}/contacts", timeout=1.0, trust_env=False)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not answer on port {port} within {START_SECONDS:.0f} s")


@contextmanager
def served(name: str, command: list[str], port: int, cpu: int | None) -> Iterator[Served]:
    """A server process answering on ``port``, stopped (terminated, then killed) on leaving."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            _pin(process.pid, cpu)
            _wait_until_answering(process, port, errors, name)
            token = "bare" if name == BARE else legacy_token(port)
            yield Served(name, port, token, process.pid)
        finally:
            _stop(process)


def legacy_token(port: int) -> str:
    """A token from the legacy password grant, as the README shows for ``serve``."""
    answer = httpx.post(
        f"http://127.0.0.1:{port}/dineroapi/oauth/token",
        auth=(CLIENT_ID, CLIENT_SECRET),
        data={"grant_type": "password", "username": API_KEY, "password": API_KEY, "scope": "read write"},
        timeout=10.0,
        trust_env=False,
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def serve_command(port: int, contacts: int) -> list[str]:
    return [
        sys.executable, "-m", "fake_dinero", "serve",
        "--port", str(port), "--rate-limit", "off", "--contacts", str(contacts),
    ]  # fmt: skip


def bare_command(port: int) -> list[str]:
    return [sys.executable, "-m", "fake_dinero.benchmark.bare_app", "--port", str(port)]


def fixture_command(port: int, contacts: int) -> list[str]:
    return [
        sys.executable, "-m", "fake_dinero.benchmark.live",
        "--live-server", "--port", str(port), "--contacts", str(contacts),
    ]  # fmt: skip


def load(server: Served, *, concurrency: int, seconds: float, cpu: int | None) -> dict[str, Any]:
    """One run of the load generator against ``server``, in a process of its own."""
    command = [
        sys.executable, "-m", "fake_dinero.benchmark.loadgen",
        "--port", str(server.port), "--token", server.token,
        "--concurrency", str(concurrency), "--seconds", str(seconds), "--org", str(ORG),
        "--server-pid", str(server.pid),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _pin(process.pid, cpu)
        out, err = process.communicate(timeout=seconds + START_SECONDS)
    finally:
        _stop(process)
    if process.returncode != 0:
        said = err.decode("utf-8", "replace").strip()
        raise RuntimeError(f"the load generator against {server.name} failed ({process.returncode}): {said}")
    result: dict[str, Any] = json.loads(out)
    if result["non_2xx"]:
        print(
            f"{server.name} at concurrency {concurrency} answered {result['non_2xx']} requests with no 2xx: "
            f"{json.dumps(result['statuses'])}; first bodies: {json.dumps(result['non_2xx_bodies'])}",
            file=sys.stderr,
        )
    if result["reconnects"]:
        print(
            f"{server.name} at concurrency {concurrency} closed {result['reconnects']} connections"
            " the load generator meant to keep alive",
            file=sys.stderr,
        )
    return result


# -- figures ----------------------------------------------------------------------


@dataclass
class LiveRuns:
    """What the load generator said about each run, by concurrency."""

    cpus: Cpus
    bare: dict[int, dict[str, Any]]
    fake: dict[int, dict[str, Any]]
    fixture: dict[str, Any]


def live_figures(*, seconds: float, contacts: int = 200, concurrency: tuple[int, ...] = (32, 1)) -> list[Figure]:
    """The live-server figures, each server driven for ``seconds`` (plus a short warm-up)
    at each concurrency, from a fresh server with ``contacts`` contacts for each run."""
    return figures_from(measure_runs(seconds=seconds, contacts=contacts, concurrency=concurrency))


def measure_runs(*, seconds: float, contacts: int = 200, concurrency: tuple[int, ...] = (32, 1)) -> LiveRuns:
    """The bare app and ``serve`` at each concurrency, and the fixture's server at the highest."""
    cpus = Cpus.plan()
    loaded = max(concurrency)

    def run(name: str, clients: int) -> dict[str, Any]:
        port = free_port()
        command = {
            BARE: bare_command(port),
            SERVE: serve_command(port, contacts),
            FIXTURE: fixture_command(port, contacts),
        }[name]
        with served(name, command, port, cpus.server) as server:
            return load(server, concurrency=clients, seconds=seconds, cpu=cpus.load)

    # Each fake runs right after its yardstick, so both meet much the same weather on a shared machine.
    runs = LiveRuns(cpus, {}, {}, {})
    for clients in sorted(concurrency, reverse=True):
        runs.bare[clients] = run(BARE, clients)
        runs.fake[clients] = run(SERVE, clients)
        if clients == loaded:
            runs.fixture = run(FIXTURE, clients)
    return runs


def figures_from(runs: LiveRuns) -> list[Figure]:
    """The summary lines of the runs' results."""
    bare, fake, fixture, cpus = runs.bare, runs.fake, runs.fixture, runs.cpus
    note = "" if cpus.pinned else ", unpinned"
    figures = []
    for clients in sorted(fake, reverse=True):
        ours, theirs = fake[clients], bare[clients]
        alone = clients == 1
        throughput_goal = "" if alone else f">= {THROUGHPUT_SHARE:.0%} of {BARE}"
        figures.append(_throughput(f"{SERVE}, concurrency {clients}{note}", ours, theirs, throughput_goal))
        if alone:
            figures.append(_p99(f"{SERVE} p99, concurrency {clients}{note}", ours, theirs, P99_MS_ALONE,
                                " (no network-stack wait)"))  # fmt: skip
        else:
            figures.append(_p99(f"{SERVE} p99, concurrency {clients}{note}", ours, theirs, P99_MS_LOADED))
    ours, theirs = fake[max(fake)], bare[max(fake)]
    figures.append(_cpu_per_request(f"{SERVE}, concurrency {max(fake)}", ours, theirs))
    figures.append(
        Figure(
            GROUP,
            f"{SERVE} last / first quarter req/s, concurrency {max(fake)} (table grows)",
            ours["last_to_first_quarter"],
            "",
            reference=theirs["last_to_first_quarter"],
            reference_name=BARE,
            goal=f">= {FLATNESS:g}",
            met=ours["last_to_first_quarter"] >= FLATNESS,
        )
    )
    clients = fixture["concurrency"]
    theirs = bare[clients]
    figures.append(
        _throughput(f"{FIXTURE}, concurrency {clients}{note}", fixture, theirs, f">= {THROUGHPUT_SHARE:.0%} of {BARE}")
    )
    figures.append(_p99(f"{FIXTURE} p99, concurrency {clients}{note}", fixture, theirs, P99_MS_LOADED))
    figures.append(_cpu_per_request(f"{FIXTURE}, concurrency {clients}", fixture, theirs))
    non_2xx = sum(result["non_2xx"] for result in [*fake.values(), fixture])
    figures.append(Figure(GROUP, "answers from the fake that were not 2xx", non_2xx, "", goal="0", met=non_2xx == 0))
    busiest = bare[max(bare)]
    capacity = busiest["generator_requests_per_cpu_second"] or float("inf")
    figures.append(
        Figure(
            GROUP,
            f"load generator's requests per CPU-second driving {BARE}, concurrency {max(bare)}"
            f" ({busiest['generator_cpu_share']:.0%} of a CPU busy)",
            capacity,
            "req/s",
            reference=busiest["requests_per_second"],
            reference_name=BARE,
            goal=f">= {GENERATOR_HEADROOM:g}x {BARE} (the server sets the pace)",
            met=capacity >= GENERATOR_HEADROOM * busiest["requests_per_second"],
        )
    )
    return figures


def _p99(name: str, ours: dict[str, Any], theirs: dict[str, Any], limit_ms: float, why: str = "") -> Figure:
    return Figure(
        GROUP,
        name,
        ours["p99_ms"],
        "ms",
        reference=theirs["p99_ms"],
        reference_name=BARE,
        goal=f"< {limit_ms:g} ms{why}",
        met=ours["p99_ms"] < limit_ms,
    )


def _throughput(name: str, ours: dict[str, Any], theirs: dict[str, Any], goal: str) -> Figure:
    value, reference = ours["requests_per_second"], theirs["requests_per_second"]
    return Figure(
        GROUP,
        f"{name} req/s",
        value,
        "req/s",
        reference=reference,
        reference_name=BARE,
        goal=goal,
        met=value >= THROUGHPUT_SHARE * reference if goal else None,
    )


def _cpu_per_request(name: str, ours: dict[str, Any], theirs: dict[str, Any]) -> Figure:
    """The server's CPU time per request: the share of bare Starlette's throughput a
    server would reach with a CPU to itself, whatever else ran on the machine."""
    value, reference = ours.get("server_cpu_us_per_request"), theirs.get("server_cpu_us_per_request")
    return Figure(
        GROUP,
        f"{name}, server CPU per request",
        value if value is not None else float("nan"),
        "us",
        reference=reference,
        reference_name=BARE,
        goal=f"<= {1 / THROUGHPUT_SHARE:g}x {BARE} (as >= {THROUGHPUT_SHARE:.0%} of its req/s)",
        met=value <= reference / THROUGHPUT_SHARE if value is not None and reference else None,
    )


# -- the fixture's server, in a process of its own ---------------------------------


def serve_live_server(port: int, contacts: int) -> None:
    """What ``dinero_server`` serves (a ``LiveServer`` in a thread), with the rate limit off
    and ``contacts`` demo contacts, until SIGINT or SIGTERM."""
    from fake_dinero.live import LiveServer
    from fake_dinero.options import DineroOptions

    stop = threading.Event()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, lambda signum, frame: stop.set())
    fake = DineroOptions(rate_limit=None, contacts=contacts).build_fake()
    with LiveServer(fake, port=port):
        stop.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fake_dinero.benchmark.live", description=__doc__.split("\n\n")[0])
    parser.add_argument("--live-server", action="store_true", help="serve what dinero_server serves, until stopped")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--contacts", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per run (default: 5)")
    args = parser.parse_args(argv)
    if args.live_server:
        serve_live_server(args.port, args.contacts)
        return 0
    print(machine_note())
    runs = measure_runs(seconds=args.seconds, contacts=args.contacts)
    named = [*((BARE, run) for run in runs.bare.values()), *((SERVE, run) for run in runs.fake.values())]
    for name, run in sorted([*named, (FIXTURE, runs.fixture)], key=lambda pair: -pair[1]["concurrency"]):
        quarters = " ".join(f"{value:,.0f}" for value in run["quarters_requests_per_second"])
        print(
            f"  {name:<27} c={run['concurrency']:<3} {run['requests_per_second']:>8,.0f} req/s"
            f"  p50 {run['p50_ms']:6.2f} ms  p99 {run['p99_ms']:6.2f} ms  max {run['max_ms']:6.1f} ms"
            f"  quarters {quarters}  generator CPU {run['generator_cpu_share']:.0%}"
        )
    for figure in figures_from(runs):
        reference = f"  ({figure.reference_name}: {figure.reference:,.2f})" if figure.reference is not None else ""
        verdict = {True: "met", False: "NOT met", None: ""}[figure.met]
        print(f"{figure.name:<75} {figure.value:>10,.2f} {figure.unit:<6}{reference}  {figure.goal} {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
