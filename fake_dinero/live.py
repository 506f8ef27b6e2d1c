"""A live fake server in a background thread, for clients that are not httpx.

Binds port 0 by default, so parallel test workers never collide.
"""

from __future__ import annotations

import importlib.util
import socket
import threading
from types import TracebackType
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from .asgi import create_app
from .control_access import ControlAccess
from .fake import FakeDinero


def listening_socket(host: str) -> socket.socket:
    """An unbound TCP socket for ``host``, made as a TCP socket explicitly.

    asyncio sets ``TCP_NODELAY`` only on accepted sockets whose protocol is TCP, and a
    socket made as ``socket.socket(AF_INET)`` has protocol 0, which accepted sockets
    inherit: Nagle's algorithm then meets the client's delayed ACK and every request
    after the first on a keep-alive connection waits about 40 ms. ``serve`` and
    ``LiveServer`` both listen on one of these."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return listener


def server_config(app: ASGIApp, **options: Any) -> uvicorn.Config:
    """The uvicorn settings ``serve`` and ``LiveServer`` share.

    The C HTTP parser (httptools) and event loop (uvloop) where the platform has them
    (uvloop has no Windows build), the pure-Python ones otherwise: they answer about
    twice as fast. No access log: at the warning level it is never shown, but uvicorn
    still works out its client address and quoted path for every answer."""
    return uvicorn.Config(
        app,
        http="httptools" if importlib.util.find_spec("httptools") else "h11",
        loop="uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
        log_level="warning",
        access_log=False,
        lifespan="off",
        **options,
    )


class LiveServer:
    """``with LiveServer(fake) as server: requests.get(server.base_url + ...)``."""

    def __init__(
        self, fake: FakeDinero, host: str = "127.0.0.1", port: int = 0, access: ControlAccess | None = None
    ) -> None:
        self.fake = fake
        self.host = host
        self._socket = listening_socket(host)
        self._socket.bind((host, port))
        self.port: int = self._socket.getsockname()[1]
        self._ready = threading.Event()
        ready = self._ready

        class Server(uvicorn.Server):
            async def startup(self, sockets: list[socket.socket] | None = None) -> None:
                await super().startup(sockets=sockets)
                ready.set()

        access = access if access is not None else ControlAccess.for_server(host)
        self._server = Server(server_config(create_app(fake, access=access)))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="fake-dinero", daemon=True
        )

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self, timeout: float = 30.0) -> LiveServer:
        self._socket.listen(128)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError(f"fake-dinero did not start serving on {self.base_url} within {timeout} s")
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)
        self._socket.close()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
