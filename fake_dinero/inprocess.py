"""The in-process door: httpx and requests calls to Dinero's hosts answered by a fake, no sockets.

respx patches httpx's transports, so any sync or async ``httpx`` client —
including one that hard-codes ``https://api.dinero.dk`` — reaches the fake
in the calling thread, with no server, thread or event loop of its own.
Requests to other hosts go to the next respx router that has a route for them
(an integrator's own ``respx.mock``), else pass through untouched.

After each answer the fake's due webhook deliveries are sent the same way, from
the calling thread (``webhook_delivery``).

``requests`` clients are answered the same way through ``responses``
(``inprocess_requests``). Any other client that tries Dinero's hosts while a
door is open fails at once with ``NotAnsweredInProcess`` (``network_guard``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

import httpx
import respx

from .fake import FakeDinero
from .http import ApiRequest, ApiResponse
from .network_guard import NetworkGuard

DINERO_HOSTS = ("api.dinero.dk", "authz.dinero.dk", "connect.visma.com")

_Answer = TypeVar("_Answer")


class TimedOut(Exception):
    """The injected latency ran past the client's read timeout (see ``DineroTransport.serve``)."""

    def __init__(self, read_timeout: float, latency: float) -> None:
        super().__init__(read_timeout, latency)
        self.read_timeout = read_timeout
        self.latency = latency


class HungUp(Exception):
    """A ``drop`` fault: the server closed the connection without an answer."""


class DineroTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An httpx transport (sync and async) that answers from ``fake`` in the calling thread.

    Pass it as ``transport=`` to a client of your own, or let ``InProcessDinero``
    patch every httpx client at once. Latency from a fault moves the fake's
    clock instead of sleeping; a latency at or over the client's read timeout
    raises ``httpx.ReadTimeout`` as a slow server would. A dropped connection
    raises what httpx raises when a server hangs up: ``httpx.RemoteProtocolError``.
    Webhook deliveries due after an answer are sent before it is returned.
    """

    def __init__(self, fake: FakeDinero) -> None:
        self.fake = fake

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return self._answer(request)
        finally:
            self.send_due_webhooks()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """As ``handle_request``; the deliveries go out through an ``httpx.AsyncClient``,
        so a receiver may be an ASGI app behind ``respx.ASGIHandler``."""
        await request.aread()
        try:
            return self._answer(request)
        finally:
            if self.fake.webhooks.has_due():
                await self.fake.webhooks.apump()

    def _answer(self, request: httpx.Request) -> httpx.Response:
        read_timeout = (request.extensions.get("timeout") or {}).get("read")
        url = request.url
        try:
            answer = self.serve(
                ApiRequest(
                    request.method,
                    url.path,
                    url.query.decode("ascii", "replace"),
                    _header_dict(request.headers),
                    request.read(),
                    url.scheme,
                ),
                read_timeout,
            )
        except TimedOut:
            raise httpx.ReadTimeout("The read operation timed out (injected latency)", request=request) from None
        except HungUp:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from None
        return _httpx_response(answer, request)

    def serve(self, request: ApiRequest, read_timeout: float | None) -> ApiResponse:
        """The fake's answer to ``request``, for any client library's door.

        Latency moves the fake's clock; at or over ``read_timeout`` it raises
        ``TimedOut`` (the clock moved by the timeout), and a dropped connection
        raises ``HungUp``: each door raises its client's own error for them.
        A call to a path no Dinero operation has is in the journal's ``unrouted()``.
        """
        delivery = self.fake.deliver(request)
        if delivery.latency:
            if read_timeout is not None and delivery.latency >= read_timeout:
                self.fake.world.clock.advance(read_timeout)
                raise TimedOut(read_timeout, delivery.latency)
            self.fake.world.clock.advance(delivery.latency)
        if delivery.response is None:
            raise HungUp
        return delivery.response

    def send_due_webhooks(self) -> None:
        """Send the deliveries due now, from the calling thread (after a sync call)."""
        if self.fake.webhooks.has_due():
            self.fake.webhooks.pump()


class InProcessDinero:
    """A context manager that routes every httpx and requests client's calls to Dinero's
    hosts to ``fake``, and makes any other client's call to them fail at once
    (``network_guard``: those go to the ``dinero_server`` fixture's live fake)."""

    def __init__(self, fake: FakeDinero, hosts: tuple[str, ...] = DINERO_HOSTS) -> None:
        from .inprocess_requests import RequestsDoor  # imports requests and responses on first use

        self.fake = fake
        self.hosts = hosts
        self.transport = DineroTransport(fake)
        self.requests_door = RequestsDoor(self.transport, hosts)
        self.guard = NetworkGuard(hosts)
        self.router = respx.MockRouter(assert_all_called=False, assert_all_mocked=True)
        self.router.route(host__in=hosts).mock(side_effect=_side_effect(self.transport.handle_request))
        self.router.route().mock(side_effect=_side_effect(self._elsewhere))

    def _elsewhere(self, request: httpx.Request) -> httpx.Request | None:
        """Another host: no match (so respx asks the next router) when another active
        router has a route for it, e.g. a test's ``respx.post("https://app.example/hook")``
        receiving webhooks; else pass it through to the network."""
        mocker = self.router.Mocker
        for router in mocker.routers if mocker is not None else ():
            if router is not self.router and any(_matches(route, request) for route in router.routes):
                return None
        return request

    def __enter__(self) -> InProcessDinero:
        self.router.__enter__()
        try:
            self.requests_door.open()
            try:
                self.guard.__enter__()
            except BaseException:
                self.requests_door.close()
                raise
        except BaseException:
            self.router.__exit__(None, None, None)
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            self.guard.__exit__(kind, error, trace)
            self.requests_door.close()
        finally:
            self.router.__exit__(kind, error, trace)

    def start(self) -> InProcessDinero:
        return self.__enter__()

    def stop(self) -> None:
        self.__exit__(None, None, None)


def _side_effect(answer: Callable[[httpx.Request], _Answer]) -> Callable[[httpx.Request], _Answer]:
    """``answer`` as a respx side effect with its signature worked out once: respx reads
    a side effect's signature on every call (to see whether it takes ``route``), which
    costs more than a plain function's when it has to inspect the function."""

    def side_effect(request: httpx.Request) -> _Answer:
        return answer(request)

    side_effect.__signature__ = inspect.signature(side_effect)  # type: ignore[attr-defined]
    return side_effect


def _header_dict(headers: httpx.Headers) -> dict[str, str]:
    """The request's headers as the fake reads them: names lower-case, a repeated
    header's values joined with ", " (what ``dict(headers.items())`` gives, for less)."""
    encoding = headers.encoding
    found: dict[str, str] = {}
    for name, value in headers.raw:
        key = name.lower().decode(encoding)
        text = value.decode(encoding)
        found[key] = f"{found[key]}, {text}" if key in found else text
    return found


_CONTENT_LENGTH = b"content-length"


def _httpx_response(answer: ApiResponse, request: httpx.Request) -> httpx.Response:
    """The fake's answer as httpx's, as ``httpx.Response(status, headers=..., content=...)``
    builds it (headers in order, then ``Content-Length`` for a body), but from a header
    list and a ready byte stream. With ``request`` set, respx sends it as it is instead
    of copying it."""
    headers = [(name.encode("ascii"), value.encode("ascii")) for name, value in answer.headers.items()]
    body = answer.body
    if body and not any(name.lower() == _CONTENT_LENGTH for name, _ in headers):
        headers.append((b"Content-Length", str(len(body)).encode("ascii")))
    return httpx.Response(answer.status, headers=headers, stream=httpx.ByteStream(body), request=request)


def _matches(route: respx.Route, request: httpx.Request) -> bool:
    pattern = route.pattern
    return pattern is None or bool(pattern.match(request))
