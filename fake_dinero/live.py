"""A live fake server in a background thread, for clients that are not httpx.

Binds port 0 by default, so parallel test workers never collide.
"""

from __future__ import annotations

import socket
import threading
from types import TracebackType

import uvicorn

from .asgi import create_app
from .fake import FakeDinero


class LiveServer:
    """``with LiveServer(fake) as server: requests.get(server.base_url + ...)``."""

    def __init__(self, fake: FakeDinero, host: str = "127.0.0.1", port: int = 0) -> None:
        self.fake = fake
        self.host = host
        self._socket = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.port: int = self._socket.getsockname()[1]
        self._ready = threading.Event()
        ready = self._ready

        class Server(uvicorn.Server):
            async def startup(self, sockets: list[socket.socket] | None = None) -> None:
                await super().startup(sockets=sockets)
                ready.set()

        config = uvicorn.Config(create_app(fake), log_level="warning", lifespan="off")
        self._server = Server(config)
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
