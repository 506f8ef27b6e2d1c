"""The in-process door: httpx calls to Dinero's hosts answered by a fake, no sockets.

respx patches httpx's transports, so any sync or async ``httpx`` client —
including one that hard-codes ``https://api.dinero.dk`` — reaches the fake
in the calling thread, with no server, thread or event loop of its own.
Requests to other hosts go to the next respx router that has a route for them
(an integrator's own ``respx.mock``), else pass through untouched.

After each answer the fake's due webhook deliveries are sent the same way, from
the calling thread (``webhook_delivery``).
"""

from __future__ import annotations

from types import TracebackType

import httpx
import respx

from .fake import FakeDinero
from .http import ApiRequest

DINERO_HOSTS = ("api.dinero.dk", "authz.dinero.dk", "connect.visma.com")


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
        self.unrouted: list[httpx.Request] = []
        """Requests to Dinero's hosts that no Dinero operation has."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return self._answer(request)
        finally:
            if self.fake.webhooks.has_due():
                self.fake.webhooks.pump()

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
        delivery = self.fake.deliver(
            ApiRequest(
                method=request.method,
                path=request.url.path,
                query_string=request.url.query.decode("ascii", "replace"),
                headers={name.lower(): value for name, value in request.headers.items()},
                body=request.read(),
                scheme=request.url.scheme,
            )
        )
        if not delivery.routed:
            self.unrouted.append(request)
        if delivery.latency:
            read_timeout = (request.extensions.get("timeout") or {}).get("read")
            if read_timeout is not None and delivery.latency >= read_timeout:
                self.fake.world.clock.advance(read_timeout)
                raise httpx.ReadTimeout("The read operation timed out (injected latency)", request=request)
            self.fake.world.clock.advance(delivery.latency)
        if delivery.response is None:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        answer = delivery.response
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body)


class InProcessDinero:
    """A context manager that routes every httpx client's calls to Dinero's hosts to ``fake``."""

    def __init__(self, fake: FakeDinero, hosts: tuple[str, ...] = DINERO_HOSTS) -> None:
        self.fake = fake
        self.hosts = hosts
        self.transport = DineroTransport(fake)
        self.router = respx.MockRouter(assert_all_called=False, assert_all_mocked=True)
        self.router.route(host__in=hosts).mock(side_effect=self.transport.handle_request)
        self.router.route().mock(side_effect=self._elsewhere)

    def _elsewhere(self, request: httpx.Request) -> httpx.Request | None:
        """Another host: no match (so respx asks the next router) when another active
        router has a route for it, e.g. a test's ``respx.post("https://app.example/hook")``
        receiving webhooks; else pass it through to the network."""
        mocker = self.router.Mocker
        for router in mocker.routers if mocker is not None else ():
            if router is not self.router and any(_matches(route, request) for route in router.routes):
                return None
        return request

    @property
    def unrouted(self) -> list[httpx.Request]:
        return self.transport.unrouted

    def __enter__(self) -> InProcessDinero:
        self.router.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.router.__exit__(kind, error, trace)

    def start(self) -> InProcessDinero:
        return self.__enter__()

    def stop(self) -> None:
        self.__exit__(None, None, None)

    def describe_unrouted(self) -> str:
        lines = ["These requests reached Dinero's hosts but no Dinero operation has their path:"]
        lines += [f"  {request.method} {request.url}" for request in self.unrouted]
        return "\n".join(lines)


def _matches(route: respx.Route, request: httpx.Request) -> bool:
    pattern = route.pattern
    return pattern is None or bool(pattern.match(request))
