"""What the tests of ``fake-dinero contract`` share: the suite on a fake clock, servers that
break Dinero's contract on purpose, and the JUnit cases a run wrote."""

from __future__ import annotations

import json
import socket
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from fake_dinero import Clock, FakeDinero, World
from fake_dinero.contracts.suite import TAG_PREFIX, ContractSuite
from fake_dinero.inprocess import DineroTransport
from fake_dinero.live import listening_socket
from fake_dinero.world import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

from .support import ORG, START

CREDENTIALS = ["--client-id", DEFAULT_CLIENT_ID, "--client-secret", DEFAULT_CLIENT_SECRET, "--api-key", DEFAULT_API_KEY]
TOKEN_ROUTE = "/dineroapi/oauth/token"
ASGIApp = Callable[..., Any]


def demo_fake() -> FakeDinero:
    """The demo organization with a few contacts and products, on the frozen clock of the other tests."""
    return FakeDinero(World.with_demo(seed=1, clock=Clock(START), contacts=3, products=2))


class FakeTime:
    """A clock the limiter reads and a sleep that only moves it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def suite(
    fake: FakeDinero, timer: FakeTime, transport: httpx.BaseTransport | None = None, **options: Any
) -> ContractSuite:
    """The suite against ``fake`` in-process, logged in with the demo's legacy credentials."""
    credentials = {"client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET, "api_key": DEFAULT_API_KEY}
    return ContractSuite("https://api.dinero.dk", ORG, transport=transport or DineroTransport(fake),
                         clock=timer.clock, sleep=timer.sleep, **{**credentials, **options})


def is_tagged(data: Any) -> bool:
    return (getattr(data, "ExternalReference", None) or "").startswith(TAG_PREFIX)


Rewrite = Callable[[httpx.Request, httpx.Response], httpx.Response]


class Rewriting(httpx.BaseTransport):
    """The fake in-process, each answer passed through ``rewrite``: a Dinero that behaves differently."""

    def __init__(self, fake: FakeDinero, rewrite: Rewrite) -> None:
        self.inner, self.rewrite = DineroTransport(fake), rewrite

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        return self.rewrite(request, response)


def answering(response: httpx.Response, body: Any, status: int | None = None) -> httpx.Response:
    """``response`` with another JSON body (and status)."""
    return httpx.Response(status or response.status_code, json=body)


def renaming(app: ASGIApp, old: str, new: str) -> ASGIApp:
    """An ASGI app that answers as ``app`` does, except that the JSON property ``old`` is called ``new``."""
    before, after = json.dumps(old).encode() + b":", json.dumps(new).encode() + b":"

    async def renamed(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def rename(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks).replace(before, after)
            headers = [(name, str(len(body)).encode() if name.lower() == b"content-length" else value)
                       for name, value in start["headers"]]
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await app(scope, receive, rename)

    return renamed


@contextmanager
def serving(app: ASGIApp) -> Iterator[str]:
    """``app`` on a free loopback port in a thread, as ``LiveServer`` serves the fake (on its kind of socket)."""
    listener = listening_socket("127.0.0.1")
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    ready = threading.Event()

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            ready.set()

    server = Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    assert ready.wait(30)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)
        listener.close()


def junit_cases(path: Path) -> list[dict[str, Any]]:
    """Each testcase of a JUnit file: classname, name, outcome (passed, failure, skipped) and its message."""
    [testsuite] = ET.parse(path).getroot().iter("testsuite")
    cases = []
    for case in testsuite.iter("testcase"):
        verdict = next(iter(case), None)
        outcome = "passed" if verdict is None or verdict.tag not in ("failure", "skipped") else verdict.tag
        cases.append({"classname": case.get("classname"), "name": case.get("name"), "outcome": outcome,
                      "message": None if verdict is None else verdict.get("message"),
                      "text": None if verdict is None else verdict.text})
    return cases
