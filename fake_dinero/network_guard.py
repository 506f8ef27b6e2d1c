"""The network guard: while a fake answers Dinero in-process, no other client reaches Dinero.

``InProcessDinero`` answers httpx (through respx) and requests (through
``responses``). Any other way to Dinero's hosts — urllib.request, http.client,
urllib3 on its own, aiohttp, a raw socket — would otherwise go out to the real
Dinero, with the test's made-up tokens, or hang on a sandbox without network.
The guard makes such a call fail at once instead, with ``NotAnsweredInProcess``
naming the host and the way out (the ``dinero_server`` fixture).

It wraps ``socket.getaddrinfo`` (every Python client resolves a name through
it: ``socket.create_connection``, urllib3, asyncio's ``loop.getaddrinfo``) and
``socket.socket.connect``/``connect_ex`` (a raw socket given a host name
resolves it in C, past ``getaddrinfo``). Only the guarded names are refused;
any other name or address costs one set lookup more. The wrappers are put in
when the first guard opens and taken out when the last closes; guards nest and
may open and close in any order, from any thread.

``socket.gethostbyname`` is left alone: resolving is not reaching, and
urllib's proxy lookup on macOS calls it for any host (also for a requests call
the fake answers) and only copes with ``OSError``.
"""

from __future__ import annotations

import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any


class NotAnsweredInProcess(RuntimeError):
    """A client other than httpx or requests tried to reach Dinero during an in-process test.

    Not an ``OSError`` on purpose: clients wrap or retry those (urllib3's
    ``Retry`` with back-off), and this must fail the test at once and say why.
    """

    def __init__(self, host: str) -> None:
        self.host = host
        super().__init__(
            f"{host} was called over the network while fake-dinero answers it in-process. "
            "Only httpx and requests calls are answered in-process (InProcessDinero, the "
            "`dinero` fixture); this client (urllib.request, http.client, urllib3, aiohttp, "
            "a raw socket, ...) would reach the real Dinero. Use the `dinero_server` fixture "
            "instead: a live fake on 127.0.0.1 that serves any client at its base URL "
            "(dinero_server.base_url, dinero_server.token_url)."
        )


_MISSING = object()


class _Patch:
    """One attribute the guard wraps, and what to put back."""

    def __init__(self, owner: Any, name: str, wrapper: Callable[..., Any]) -> None:
        self.owner, self.name, self.wrapper = owner, name, wrapper
        self.applied = False
        self.own: Any = _MISSING
        """The owner's own attribute before the wrapper (missing when inherited, as
        ``socket.socket.connect`` is)."""
        self.original: Callable[..., Any] = getattr(owner, name)
        """What the wrapper calls on (kept after ``undo`` for anyone who held on to the wrapper)."""

    def apply(self) -> None:
        if not self.applied:
            self.own = self.owner.__dict__.get(self.name, _MISSING)
            self.original = getattr(self.owner, self.name)
            setattr(self.owner, self.name, self.wrapper)
            self.applied = True

    def undo(self) -> None:
        if not self.applied or self.owner.__dict__.get(self.name) is not self.wrapper:
            return  # not in place, or another patch sits over it: ours stays, letting everything through
        if self.own is _MISSING:
            delattr(self.owner, self.name)
        else:
            setattr(self.owner, self.name, self.own)
        self.applied = False


class _Guard:
    """The process-wide state: how many open guards name each host, and the wrapped functions."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.hosts: frozenset[str] = frozenset()
        """The guarded names, lower-case; replaced whole, so a call reads it without the lock."""
        self.getaddrinfo = _Patch(socket, "getaddrinfo", _getaddrinfo)
        self.connect = _Patch(socket.socket, "connect", _connect)
        self.connect_ex = _Patch(socket.socket, "connect_ex", _connect_ex)
        self.patches = (self.getaddrinfo, self.connect, self.connect_ex)

    def open(self, hosts: Iterable[str]) -> None:
        with self.lock:
            self.counts.update(_normal(host) for host in hosts)
            self.hosts = frozenset(self.counts)
            if self.hosts:
                for patch in self.patches:
                    patch.apply()

    def close(self, hosts: Iterable[str]) -> None:
        with self.lock:
            self.counts.subtract(_normal(host) for host in hosts)
            self.counts = +self.counts
            self.hosts = frozenset(self.counts)
            if not self.hosts:
                for patch in self.patches:
                    patch.undo()


def _normal(host: str) -> str:
    return host.lower().rstrip(".")


def _refused(host: object) -> str | None:
    """The guarded name ``host`` stands for, else None."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if isinstance(host, str):
        name = _normal(host)
        if name in _GUARD.hosts:
            return name
    return None


def _getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if _GUARD.hosts and (name := _refused(host)) is not None:
        raise NotAnsweredInProcess(name)
    return _GUARD.getaddrinfo.original(host, *args, **kwargs)


def _connect(self: socket.socket, address: Any) -> None:
    if _GUARD.hosts and type(address) is tuple and address and (name := _refused(address[0])) is not None:
        raise NotAnsweredInProcess(name)
    return _GUARD.connect.original(self, address)  # type: ignore[no-any-return]


def _connect_ex(self: socket.socket, address: Any) -> int:
    if _GUARD.hosts and type(address) is tuple and address and (name := _refused(address[0])) is not None:
        raise NotAnsweredInProcess(name)
    return _GUARD.connect_ex.original(self, address)  # type: ignore[no-any-return]


_GUARD = _Guard()


class NetworkGuard:
    """Refuses ``hosts`` to every client for as long as it is open (see the module's docstring)."""

    def __init__(self, hosts: Iterable[str]) -> None:
        self.hosts = tuple(hosts)
        self._opened = 0

    def __enter__(self) -> NetworkGuard:
        _GUARD.open(self.hosts)
        self._opened += 1
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._opened:
            self._opened -= 1
            _GUARD.close(self.hosts)


def guarded_hosts() -> frozenset[str]:
    """The host names refused right now (lower-case)."""
    return _GUARD.hosts
