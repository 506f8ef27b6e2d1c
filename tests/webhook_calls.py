"""Calls the webhook tests make again and again, and a receiver on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import httpx

from .support import ORG

WEBHOOKS = f"/v1/{ORG}/webhooks"
HOOK = "https://app.example.dk/dinero/webhook"


def subscribing(client: httpx.Client, event: str | None = "contacts", uri: str | None = HOOK) -> httpx.Response:
    body = {name: value for name, value in (("EventId", event), ("Uri", uri)) if value is not None}
    return client.post(f"{WEBHOOKS}/subscribe", json=body)


def subscribe(client: httpx.Client, event: str = "contacts", uri: str = HOOK) -> None:
    response = subscribing(client, event, uri)
    assert response.status_code == 200, response.text


def unsubscribing(client: httpx.Client, event: str = "contacts") -> httpx.Response:
    return client.request("DELETE", f"{WEBHOOKS}/unsubscribe", json={"EventId": event})


def subscriptions(client: httpx.Client) -> list[dict[str, Any]]:
    response = client.get(f"{WEBHOOKS}/subscriptions")
    assert response.status_code == 200, response.text
    return response.json()


def new_contact(client: httpx.Client, name: str = "Æblegården ApS") -> str:
    response = client.post(f"/v1/{ORG}/contacts", json={"Name": name, "CountryKey": "DK", "IsPerson": False})
    assert response.status_code == 200, response.text
    return response.json()["ContactGuid"]


# -- a receiver on the loopback interface -------------------------------------------------


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class Receiver:
    """An integrator's webhook endpoint on 127.0.0.1, in a thread: it keeps each POST and
    answers with the next of ``statuses`` (the last one once they run out).

    ``wait(count)`` blocks until ``count`` POSTs have arrived (or fails after a timeout):
    tests wait on an event, never sleep.
    """

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses or (200,))
        self.received: list[Received] = []
        self._arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802  (http.server's name)
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with receiver._arrived:
                    status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                    headers = {name.lower(): value for name, value in self.headers.items()}
                    receiver.received.append(Received(self.path, headers, json.loads(body)))
                    receiver._arrived.notify_all()
                self.send_response(status)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="webhook-receiver", daemon=True)

    @property
    def uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks/dinero"

    def wait(self, count: int = 1, timeout: float = 10.0) -> list[Received]:
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.received) >= count, timeout):
                raise AssertionError(f"expected {count} webhook POST(s) within {timeout} s, got {len(self.received)}")
            return list(self.received)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)
