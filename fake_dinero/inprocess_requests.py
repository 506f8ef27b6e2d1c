"""The in-process door for ``requests``: calls to Dinero's hosts answered by a fake, no sockets.

While an ``InProcessDinero`` is open, one ``responses.RequestsMock`` is started
(it patches ``HTTPAdapter.send``, so every ``Session``, the module functions and
any mounted ``HTTPAdapter`` or subclass are covered). It answers the open door's
hosts from its fake and passes every other URL on to whatever
``HTTPAdapter.send`` was before, so a live server on 127.0.0.1 in the same
test still answers. ``responses`` also plays urllib3's ``Retry`` for statuses
(a client that retries 429 or 503 sees each attempt, as the journal does).

Doors nest and may be opened from several threads: the mock is started when
the first door opens and stopped when the last closes, and a call goes to the
oldest open door that has its host, as the httpx side (respx) does. Starting
costs tens of microseconds, so a hypothesis example may open a door each time.

A test's own ``responses`` mock works beside it, whichever was started first:

- started before the door (an outer fixture, an outer ``with``): the door's
  mock sits in front and passes everything but Dinero's hosts on to it;
- started inside the door (``@responses.activate`` on the test, a ``with
  responses.RequestsMock()`` block): that mock sits in front, and Dinero's hosts
  still go to the fake, since the door hands any ``RequestsMock``'s calls to its
  hosts to its own mock (it wraps ``RequestsMock._on_request`` while open).
  Those calls are not in the test's ``responses.calls``.

Either way a test's route for a Dinero URL is never used while a door is open:
the fake answers Dinero. Stop mocks in the reverse order of starting them (as
``with`` blocks and fixtures do); ``responses`` itself needs that.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from http.client import RemoteDisconnected
from typing import Any, cast
from urllib.parse import unquote, urlsplit

import responses
from requests import PreparedRequest
from requests.adapters import HTTPAdapter
from requests.exceptions import ConnectionError, ReadTimeout
from urllib3.exceptions import ProtocolError, TimeoutStateError
from urllib3.util import Timeout

from .http import ApiRequest
from .inprocess import DineroTransport, HungUp, TimedOut

_EVERY_URL = re.compile(".")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class RequestsDoor:
    """One ``InProcessDinero``'s answers to ``requests`` calls to its hosts."""

    def __init__(self, transport: DineroTransport, hosts: Iterable[str]) -> None:
        self.transport = transport
        self.hosts = frozenset(host.lower() for host in hosts)

    def open(self) -> None:
        _HOOK.open(self)

    def close(self) -> None:
        _HOOK.close(self)

    def answer(self, request: PreparedRequest) -> tuple[int, list[tuple[str, str]], bytes] | Exception:
        """A ``responses`` callback: the fake's answer, or the exception requests raises
        for a dropped connection or a read timeout."""
        url = urlsplit(request.url or "")
        body = _body(request.body)
        request.body = body  # a generator or file is spent now; keep what was sent for the caller
        headers = {_text(name).lower(): _text(value) for name, value in request.headers.items()}
        if "host" not in headers:  # urllib3 writes it on the wire; requests leaves it out
            port = url.port
            default = port in (None, _DEFAULT_PORTS.get(url.scheme))
            headers["host"] = f"{url.hostname}" if default else f"{url.hostname}:{port}"
        read_timeout = _read_timeout(getattr(request, "req_kwargs", {}).get("timeout"))
        try:
            try:
                answer = self.transport.serve(
                    ApiRequest(
                        method=request.method or "GET",
                        path=unquote(url.path) or "/",
                        query_string=url.query,
                        headers=headers,
                        body=body,
                        scheme=url.scheme,
                    ),
                    read_timeout,
                )
            finally:
                self.transport.send_due_webhooks()
        except TimedOut as timed_out:
            port = url.port or _DEFAULT_PORTS.get(url.scheme)
            pool = "HTTPSConnectionPool" if url.scheme == "https" else "HTTPConnectionPool"
            return ReadTimeout(
                f"{pool}(host='{url.hostname}', port={port}): Read timed out. "
                f"(read timeout={timed_out.read_timeout}; injected latency {timed_out.latency} s)",
                request=request,
            )
        except HungUp:
            hang_up = RemoteDisconnected("Remote end closed connection without response")
            return ConnectionError(ProtocolError("Connection aborted.", hang_up), request=request)
        return answer.status, list(answer.headers.items()), answer.body


class _DineroHosts(responses.CallbackResponse):
    """The mock's one route: any method to a host of an open door."""

    def __init__(self) -> None:
        super().__init__("ANY", _EVERY_URL, _answer, content_type=None)

    def matches(self, request: PreparedRequest) -> tuple[bool, str]:
        if _HOOK.door_for(request.url) is not None:
            return True, ""
        return False, "not a host of an open InProcessDinero"


def _answer(request: PreparedRequest) -> tuple[int, list[tuple[str, str]], bytes] | Exception:
    door = _HOOK.door_for(request.url)
    if door is None:  # the door closed (in another thread) since the match
        return ConnectionError(f"No InProcessDinero answers {request.url} any more", request=request)
    return door.answer(request)


class _Hook:
    """The process-wide part: the open doors and the one mock they share."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.doors: tuple[RequestsDoor, ...] = ()
        """Open doors, oldest first; replaced whole, so a call reads it without the lock."""
        self.mock: responses.RequestsMock | None = None
        self.on_request: Callable[..., Any] | None = None
        """``RequestsMock._on_request`` as it was before the door routed other mocks' calls."""

    def door_for(self, url: str | None) -> RequestsDoor | None:
        doors = self.doors
        if doors:
            host = urlsplit(url or "").hostname
            for door in doors:
                if host in door.hosts:
                    return door
        return None

    def open(self, door: RequestsDoor) -> None:
        with self.lock:
            self.doors += (door,)
            if self.mock is None:
                mock = responses.RequestsMock(
                    assert_all_requests_are_fired=False,
                    real_adapter_send=cast(Any, HTTPAdapter.send),  # a test's own mock, if started before
                )
                mock.add(_DineroHosts())
                mock.add_passthru(_EVERY_URL)
                mock.start()
                self.mock = mock
                original = vars(responses.RequestsMock).get("_on_request")
                if self.on_request is None and original is not None:  # else still in place from before
                    self.on_request = original
                    responses.RequestsMock._on_request = _routed_on_request  # type: ignore[method-assign,assignment]

    def close(self, door: RequestsDoor) -> None:
        with self.lock:
            doors = list(self.doors)
            if door in doors:
                doors.remove(door)
            self.doors = tuple(doors)
            if not doors and self.mock is not None:
                if vars(responses.RequestsMock).get("_on_request") is _routed_on_request:
                    responses.RequestsMock._on_request = self.on_request  # type: ignore[method-assign,assignment]
                    self.on_request = None
                # else another patch sits over ours: ours stays, handing every call straight on
                self.mock.stop(allow_assert=False)
                self.mock = None


_HOOK = _Hook()


def _routed_on_request(
    mock: responses.RequestsMock, adapter: HTTPAdapter, request: PreparedRequest, **kwargs: Any
) -> Any:
    """``RequestsMock._on_request`` while a door is open: a call to a door's host that
    reached another mock (one started inside the door) goes to the door's mock."""
    ours, original = _HOOK.mock, _HOOK.on_request
    assert original is not None
    if ours is not None and mock is not ours and _HOOK.door_for(request.url) is not None:
        return original(ours, adapter, request, **kwargs)
    return original(mock, adapter, request, **kwargs)


def _body(body: Any) -> bytes:
    """The bytes a request sends: requests leaves str, a file or a generator (chunked) as given."""
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()  # as urllib3 2 sends a str body
    if isinstance(body, (bytearray, memoryview)):
        return bytes(body)
    if hasattr(body, "read"):
        return _body(body.read())
    return b"".join(_body(chunk) for chunk in body)


def _text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def _read_timeout(timeout: Any) -> float | None:
    """The read timeout from requests' ``timeout=``: seconds, ``(connect, read)`` or urllib3's ``Timeout``."""
    if isinstance(timeout, tuple) and len(timeout) == 2:
        timeout = timeout[1]
    elif isinstance(timeout, Timeout):
        try:
            timeout = timeout.read_timeout
        except TimeoutStateError:
            timeout = timeout.total
    return float(timeout) if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) else None
