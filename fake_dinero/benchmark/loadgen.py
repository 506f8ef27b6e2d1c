"""A load generator that needs nothing outside Python.

``python -m fake_dinero.benchmark.loadgen --port P --token T --concurrency C --seconds S``
drives a server with a fixed request mix and prints one JSON object.

Each concurrent client holds one HTTP/1.1 keep-alive connection (``asyncio.open_connection``,
on uvloop when it is installed) and sends the mix in a fixed order, one request at a time:
per 10 calls, 5 GETs of one contact, 3 GETs of a page of 100 contacts and 2 POSTs of a
1 KB contact (so the contacts table grows during the run). Client ``i`` starts ``i`` places
into the mix, so the clients together send it evenly at any moment.

A warm-up of the same load runs first and is not counted. A request counts when its answer
arrives inside the measured window. The answer reports requests per second overall and in
each quarter of the window (a server that slows down as its table grows shows it there),
latency percentiles, every answer that was not 2xx (with the first body of each status), and
how much CPU the generator itself used: near a whole core means the generator, not the
server, set the pace.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import socket
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

ORG = 123456
"""``fake-dinero serve``'s demo organization."""

MIX = ("one", "page", "one", "post", "one", "page", "one", "post", "one", "page")
"""The order each client sends its calls in: per 10, 5 ``one``, 3 ``page``, 2 ``post``."""

PAGE_SIZE = 100

CONTACT = {
    "ExternalReference": "benchmark",
    "Name": "Benchmark Kontakt ApS",
    "Street": "Vestergade 12",
    "ZipCode": "8000",
    "City": "Aarhus C",
    "CountryKey": "DK",
    "Phone": "+45 12345678",
    "Email": "bogholderi@example.dk",
    "Webpage": "",
    "AttPerson": "Bo Bogholder",
    "VatNumber": "DK12345678",
    "IsPerson": False,
    "PaymentConditionType": "Netto",
    "PaymentConditionNumberOfDays": 14,
}
BODY_BYTES = 1024


def contact_body(size: int = BODY_BYTES) -> bytes:
    """A valid contact to create, padded (in its web page) to exactly ``size`` bytes of JSON."""
    empty = json.dumps(CONTACT, separators=(",", ":"))
    prefix = "https://example.dk/"
    padding = max(0, size - len(empty) - len(prefix))
    return json.dumps({**CONTACT, "Webpage": prefix + "k" * padding}, separators=(",", ":")).encode()


def requests_for(host: str, port: int, token: str, org: int, guid: str) -> dict[str, bytes]:
    """The three requests of the mix, encoded once."""
    common = f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\nAccept: application/json\r\n"
    body = contact_body()
    return {
        "one": f"GET /v1/{org}/contacts/{guid} HTTP/1.1\r\n{common}\r\n".encode(),
        "page": f"GET /v1/{org}/contacts?page=0&pageSize={PAGE_SIZE} HTTP/1.1\r\n{common}\r\n".encode(),
        "post": (
            f"POST /v1/{org}/contacts HTTP/1.1\r\n{common}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        + body,
    }


class ConnectionLost(Exception):
    """The server closed the connection, or said it would, so the client opens a new one."""


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Status, body and whether the server will close: one HTTP/1.1 answer, with a
    Content-Length body or a chunked one."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        raise ConnectionLost("the server closed the connection") from exc
    status = int(head[9:12])
    lower = head.lower()
    closes = b"\r\nconnection: close" in lower
    at = lower.find(b"\r\ncontent-length:")
    if at >= 0:
        end = lower.index(b"\r\n", at + 2)
        body = await reader.readexactly(int(head[at + 17 : end]))
    elif b"\r\ntransfer-encoding: chunked" in lower:
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers, up to the empty line
                    pass
                break
            parts.append((await reader.readexactly(size + 2))[:-2])
        body = b"".join(parts)
    elif status in (204, 304) or 100 <= status < 200:
        body = b""
    else:  # the body runs to the end of the connection
        body = await reader.read()
        closes = True
    return status, body, closes


async def _connect(host: str, port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection(host, port)
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return reader, writer


async def find_guid(host: str, port: int, token: str, org: int) -> str:
    """One contact's guid, from the first page of the list."""
    reader, writer = await _connect(host, port)
    try:
        writer.write(
            f"GET /v1/{org}/contacts?page=0&pageSize=1 HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Authorization: Bearer {token}\r\nAccept: application/json\r\n\r\n".encode()
        )
        status, body, _ = await read_answer(reader)
    finally:
        writer.close()
    if status != 200:
        raise RuntimeError(f"listing contacts to find one answered {status}: {body[:300]!r}")
    contacts = json.loads(body)["Collection"]
    if not contacts:
        raise RuntimeError("the organization has no contacts: start the server with some (--contacts 200)")
    return str(contacts[0]["contactGuid"])


@dataclass
class Tally:
    """What the clients saw in the measured window."""

    start: float
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind in set(MIX)})
    quarters: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    statuses: Counter[int] = field(default_factory=Counter)
    first_bodies: dict[int, str] = field(default_factory=dict)
    reconnects: int = 0


async def client(index: int, host: str, port: int, calls: dict[str, bytes], tally: Tally, stop: float) -> None:
    """One keep-alive connection sending the mix until ``stop``, from place ``index`` on."""
    kinds = [MIX[(index + n) % len(MIX)] for n in range(len(MIX))]
    start, end, quarter = tally.start, tally.start + tally.seconds, tally.seconds / 4
    latencies, quarters, statuses = tally.latencies, tally.quarters, tally.statuses
    reader, writer = await _connect(host, port)
    clock = time.perf_counter
    n = 0
    try:
        while True:
            sent = clock()
            if sent >= stop:
                break
            kind = kinds[n % len(kinds)]
            n += 1
            writer.write(calls[kind])
            try:
                status, body, closes = await read_answer(reader)
            except (ConnectionLost, ConnectionError):
                tally.reconnects += 1
                writer.close()
                reader, writer = await _connect(host, port)
                continue
            done = clock()
            if start <= done < end:
                latencies[kind].append(done - sent)
                quarters[min(3, int((done - start) / quarter))] += 1
                statuses[status] += 1
                if not 200 <= status < 300 and status not in tally.first_bodies:
                    tally.first_bodies[status] = body[:500].decode("utf-8", "replace")
            if closes:
                tally.reconnects += 1
                writer.close()
                reader, writer = await _connect(host, port)
    finally:
        writer.close()


def process_cpu_seconds(pid: int | None) -> float | None:
    """User and system CPU seconds of a process so far, from Linux's /proc (None elsewhere)."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted values (0 for none)."""
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


async def run_load(
    host: str,
    port: int,
    token: str,
    *,
    concurrency: int,
    seconds: float,
    warmup: float | None = None,
    org: int = ORG,
    guid: str | None = None,
    server_pid: int | None = None,
) -> dict[str, Any]:
    """Drive the server for ``warmup`` + ``seconds`` and say what it answered (see the module);
    with ``server_pid``, also the CPU time that process spent in the measured seconds."""
    warmup = min(1.0, seconds / 4) if warmup is None else warmup
    guid = guid or await find_guid(host, port, token, org)
    calls = requests_for(host, port, token, org, guid)
    loop = asyncio.get_running_loop()
    start = time.perf_counter() + warmup
    tally = Tally(start=start, seconds=seconds)
    tasks = [loop.create_task(client(i, host, port, calls, tally, start + seconds)) for i in range(concurrency)]
    await asyncio.sleep(max(0.0, start - time.perf_counter()))
    cpu_before, wall_before, server_before = os.times(), time.perf_counter(), process_cpu_seconds(server_pid)
    await asyncio.sleep(max(0.0, start + seconds - time.perf_counter()))
    cpu_after, wall_after, server_after = os.times(), time.perf_counter(), process_cpu_seconds(server_pid)
    await asyncio.gather(*tasks)

    everything = sorted(latency for kind in tally.latencies.values() for latency in kind)
    requests = len(everything)
    quarters = [count / (seconds / 4) for count in tally.quarters]
    cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
    non_2xx = sum(count for status, count in tally.statuses.items() if not 200 <= status < 300)
    return {
        "concurrency": concurrency,
        "seconds": seconds,
        "warmup_seconds": warmup,
        "requests": requests,
        "requests_per_second": requests / seconds,
        "mean_ms": sum(everything) / requests * 1000 if requests else 0.0,
        "p50_ms": percentile(everything, 0.50) * 1000,
        "p99_ms": percentile(everything, 0.99) * 1000,
        "max_ms": percentile(everything, 1.0) * 1000,
        "quarters_requests_per_second": quarters,
        "last_to_first_quarter": quarters[3] / quarters[0] if quarters[0] else 0.0,
        "non_2xx": non_2xx,
        "statuses": {str(status): count for status, count in sorted(tally.statuses.items())},
        "non_2xx_bodies": {str(status): body for status, body in sorted(tally.first_bodies.items())},
        "reconnects": tally.reconnects,
        "by_kind": {
            kind: {
                "requests": len(values),
                "p50_ms": percentile(sorted(values), 0.50) * 1000,
                "p99_ms": percentile(sorted(values), 0.99) * 1000,
            }
            for kind, values in sorted(tally.latencies.items())
        },
        "generator_cpu_seconds": cpu,
        "generator_cpu_share": cpu / (wall_after - wall_before),
        "generator_requests_per_cpu_second": requests / cpu if cpu > 0 else None,
        # What a request costs the server in CPU: unlike requests a second, it does not
        # depend on how much of its CPU others on a shared machine leave it.
        "server_cpu_us_per_request": (
            (server_after - server_before) / requests * 1e6
            if server_before is not None and server_after is not None and requests
            else None
        ),
        "event_loop": type(loop).__module__.split(".")[0],
    }


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop's loop when it is installed (it halves the generator's cost), else asyncio's."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def measure(host: str, port: int, token: str, **options: Any) -> dict[str, Any]:
    """``run_load`` on a loop of its own."""
    loop = new_event_loop()
    try:
        return loop.run_until_complete(run_load(host, port, token, **options))
    finally:
        loop.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fake_dinero.benchmark.loadgen", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True, help="a bearer token the server accepts")
    parser.add_argument("--concurrency", type=int, default=32, help="clients, one connection each (default: 32)")
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds (default: 5)")
    parser.add_argument(
        "--warmup", type=float, default=None, help="seconds of load before (default: a quarter, at most 1)"
    )
    parser.add_argument("--org", type=int, default=ORG, help=f"organization id (default: {ORG})")
    parser.add_argument("--guid", default=None, help="the contact to GET (default: the first one listed)")
    parser.add_argument("--server-pid", type=int, default=None, help="the server's process, to report its CPU use")
    args = parser.parse_args(argv)
    result = measure(
        args.host,
        args.port,
        args.token,
        concurrency=args.concurrency,
        seconds=args.seconds,
        warmup=args.warmup,
        org=args.org,
        guid=args.guid,
        server_pid=args.server_pid,
    )
    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
