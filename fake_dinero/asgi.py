"""Starlette as the HTTP door to the fake: it converts requests and answers,
and plays out faults the way a network would (a delay, a hang-up)."""

from __future__ import annotations

import logging

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from .fake import FakeDinero
from .http import ApiRequest


class ConnectionDropped(Exception):
    """Raised after the status line to make the server hang up mid-answer (a drop fault)."""


class _QuietDrops(logging.Filter):
    """Keep uvicorn from logging the hang-ups that drop faults make on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionDropped))


class _Door:
    """The one ASGI endpoint: every path and method goes to the fake."""

    def __init__(self, fake: FakeDinero) -> None:
        self.fake = fake

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        delivery = self.fake.deliver(
            ApiRequest(
                method=request.method,
                # The scope's own path: request.url goes through urllib, which drops
                # tabs and newlines from a URL (an encoded %0A would vanish).
                path=scope["path"],
                query_string=scope["query_string"].decode("latin-1"),
                headers={key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]},
                body=await request.body(),
                scheme=request.url.scheme,
            )
        )
        if delivery.latency:
            await anyio.sleep(delivery.latency)
        answer = delivery.response
        if answer is None:
            # uvicorn closes the connection when an app fails after starting its answer.
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]})
            raise ConnectionDropped("drop fault")
        headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in answer.headers.items()]
        headers.append((b"content-length", str(len(answer.body)).encode()))
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": answer.body})


def create_app(fake: FakeDinero | None = None) -> Starlette:
    """A Starlette app serving ``fake`` (a fresh demo fake when none is given)."""
    fake = fake if fake is not None else FakeDinero()
    logging.getLogger("uvicorn.error").addFilter(_QUIET_DROPS)
    # Every path goes to the door: no Starlette route (its ``{path:path}`` pattern stops
    # at a newline, so an encoded %0A in a path got Starlette's own plain-text 404).
    app = Starlette()
    app.router.default = _Door(fake)
    app.state.fake = fake
    return app


_QUIET_DROPS = _QuietDrops()
