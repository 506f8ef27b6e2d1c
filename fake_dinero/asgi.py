"""Starlette as the HTTP door to the fake: it converts requests and answers,
plays out faults the way a network would (a delay, a hang-up), and sends the
webhook deliveries the fake owes from a background task of its event loop.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from .control_access import ControlAccess
from .control_http import DELIVER_WEBHOOKS
from .errors import LIMIT_EXCEEDED, DineroError
from .fake import FakeDinero
from .http import ApiRequest, ApiResponse, json_response
from .journal import JournalEntry
from .request_log import RequestLog
from .routing import is_control_path

POLL_SECONDS = 0.2
"""While deliveries wait for a retry, how often (real time) the sender looks whether the
fake's clock has reached one: the clock may be moved from Python, with no request."""

MAX_BODY_BYTES = 10 * 1024 * 1024
"""The largest request body the live server reads: above Dinero's 6 MB file limit (so an
upload over it still gets Dinero's own 413 from the files rules, with the multipart
framing around it), far above any JSON body. A larger one is refused before it is read."""

_log = logging.getLogger("fake_dinero.webhooks")


class BodyTooLarge(Exception):
    """The request's body is longer than ``MAX_BODY_BYTES``."""


async def read_body(scope: Scope, receive: Receive, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request's body, refused (``BodyTooLarge``) as soon as it is known to be over
    ``limit``: by its Content-Length before a byte is read, or while it streams in."""
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit() and int(value) > limit:
            raise BodyTooLarge
    message = await receive()
    if message["type"] == "http.request" and not message.get("more_body", False):
        # Most bodies come whole in one message: no list, no join.
        body: bytes = message.get("body", b"")
        if len(body) > limit:
            raise BodyTooLarge
        return body
    chunks: list[bytes] = []
    size = 0
    while True:
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
        message = await receive()
    return b"".join(chunks)


def _too_large() -> ApiResponse:
    error = DineroError(
        413, LIMIT_EXCEEDED, "Limit Exceeded",
        {"body": f"The request body is over {MAX_BODY_BYTES} bytes, more than any Dinero operation takes."},
    )  # fmt: skip
    return json_response(error.body(), 413, {"connection": "close"})


class ConnectionDropped(Exception):
    """Raised after the status line to make the server hang up mid-answer (a drop fault)."""


class _QuietDrops(logging.Filter):
    """Keep uvicorn from logging the hang-ups that drop faults make on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionDropped))


class _Door:
    """The one ASGI endpoint: every path and method goes to the fake.

    After each answer it starts the webhook sender if deliveries are waiting: one
    background task that sends what is due with ``httpx.AsyncClient`` and keeps
    looking while anything waits for a retry, so a slow receiver never holds up an
    answer. ``POST /_fake/webhooks/deliver`` is the exception: it answers once the
    due deliveries have been attempted.

    With a ``request_log`` (``fake-dinero serve``'s console) each answer is logged
    as soon as the fake has decided it, before a latency fault plays out.
    """

    def __init__(self, fake: FakeDinero, request_log: RequestLog | None, access: ControlAccess) -> None:
        self.fake = fake
        self.request_log = request_log
        self.access = access
        self._sender: asyncio.Task[None] | None = None
        self._sending: asyncio.Lock | None = None
        self._sending_loop: asyncio.AbstractEventLoop | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self._serve(scope, receive, send)
        finally:
            if self.fake.webhooks.pending():
                self._start_sender()

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The ASGI scope as it is, no Starlette Request: the fake needs only these
        # fields, and the scope's own path (a URL through urllib would lose the tabs
        # and newlines an encoded %09 or %0A puts in a path).
        try:
            body = await read_body(scope, receive)
        except BodyTooLarge:
            await self._answer(send, _too_large())
            return
        path: str = scope["path"]
        api_request = ApiRequest(
            method=scope["method"],
            path=path,
            query_string=scope["query_string"].decode("latin-1"),
            headers={key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]},
            body=body,
            scheme=scope.get("scheme", "http"),
        )
        if is_control_path(path) and await self._control(api_request, send):
            return
        journal = self.fake.journal
        journaled = len(journal)
        delivery = self.fake.deliver(api_request)
        if self.request_log is not None:
            self._log(api_request, delivery.response, journal.entries[-1] if len(journal) > journaled else None)
        if delivery.latency:
            await anyio.sleep(delivery.latency)
        answer = delivery.response
        if answer is None:
            # uvicorn closes the connection when an app fails after starting its answer.
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]})
            raise ConnectionDropped("drop fault")
        await self._answer(send, answer)

    async def _control(self, api_request: ApiRequest, send: Send) -> bool:
        """Answer a control-plane call the fake does not answer itself: a refusal by
        ``access``, or the webhook deliveries attempted now. False for any other."""
        refused = self.access.refusal(api_request)
        if refused is not None:
            self._log(api_request, refused, None)
            await self._answer(send, refused)
            return True
        if api_request.method == "POST" and api_request.path.rstrip("/").lower() == DELIVER_WEBHOOKS:
            sent = json_response(await self._deliver_now())
            self._log(api_request, sent, None)
            await self._answer(send, sent)
            return True
        return False

    def _log(self, request: ApiRequest, response: ApiResponse | None, entry: JournalEntry | None) -> None:
        if self.request_log is None:
            return
        fake = self.fake

        def fault_kind(fault_id: str) -> str | None:
            return next((rule.kind for rule in fake.faults.rules if rule.id == fault_id), None)

        self.request_log.answered(request, response, entry, now=fake.world.clock.now, fault_kind=fault_kind)

    @staticmethod
    async def _answer(send: Send, answer: ApiResponse) -> None:
        headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in answer.headers.items()]
        headers.append((b"content-length", str(len(answer.body)).encode()))
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": answer.body})

    async def _deliver_now(self) -> list[dict[str, Any]]:
        """Wait for attempts under way, then attempt whatever else is due now."""
        async with self._lock():
            return await self.fake.webhooks.apump()

    def _lock(self) -> asyncio.Lock:
        """One sender at a time, per event loop (a test client may run each request in a loop of its own)."""
        loop = asyncio.get_running_loop()
        if self._sending is None or self._sending_loop is not loop:
            self._sending, self._sending_loop = asyncio.Lock(), loop
        return self._sending

    def _start_sender(self) -> None:
        loop = asyncio.get_running_loop()
        running = self._sender is not None and not self._sender.done() and self._sender.get_loop() is loop
        if not running:
            self._sender = loop.create_task(self._send_while_pending())

    async def _send_while_pending(self) -> None:
        webhooks = self.fake.webhooks
        try:
            while webhooks.pending():
                if webhooks.has_due():
                    async with self._lock():
                        await webhooks.apump()
                else:
                    await asyncio.sleep(POLL_SECONDS)
        except Exception:  # a bug must not end the server; say it and stop sending
            _log.exception("fake-dinero: sending webhook deliveries failed")


def create_app(
    fake: FakeDinero | None = None, request_log: RequestLog | None = None, access: ControlAccess | None = None
) -> Starlette:
    """A Starlette app serving ``fake`` (a fresh demo fake when none is given), logging
    each request to ``request_log`` if one is given. The control plane answers as
    ``access`` allows (by default: loopback host names, no token)."""
    fake = fake if fake is not None else FakeDinero()
    logging.getLogger("uvicorn.error").addFilter(_QUIET_DROPS)
    # Every path goes to the door: no Starlette route (its ``{path:path}`` pattern stops
    # at a newline, so an encoded %0A in a path got Starlette's own plain-text 404).
    app = DoorApp()
    app.router.default = _Door(fake, request_log, access if access is not None else ControlAccess())
    app.state.fake = fake
    return app


class DoorApp(Starlette):
    """The Starlette app ``create_app`` makes, whose HTTP calls go straight to the door.

    Starlette's error middleware and router would only cost time there: the door
    answers every path and never fails (the fake answers its own errors as Dinero
    does). Once middleware or a route is added to the app, or for any other kind of
    scope (lifespan), Starlette serves the call as usual."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        door = self.router.default
        if scope["type"] == "http" and isinstance(door, _Door) and not self.user_middleware and not self.router.routes:
            scope["app"] = self
            await door(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


_QUIET_DROPS = _QuietDrops()
