"""The live server reads no body larger than any Dinero operation takes: a huge one is
refused with 413 before it is read (by its Content-Length) or as soon as it streams past."""

from __future__ import annotations

from collections.abc import Iterator

import httpx

from fake_dinero import FakeDinero, LiveServer, World
from fake_dinero.asgi import MAX_BODY_BYTES

from .support import ORG


def test_a_body_declared_over_the_limit_is_refused_before_it_is_read() -> None:
    with LiveServer(FakeDinero(World.with_demo())) as server:
        answer = httpx.post(f"{server.base_url}/v1/{ORG}/contacts", content=b"x" * (MAX_BODY_BYTES + 1))
    assert (answer.status_code, answer.json()["code"]) == (413, 43)


def test_a_streamed_body_is_refused_once_it_passes_the_limit() -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536

    with LiveServer(FakeDinero(World.with_demo())) as server:
        answer = httpx.post(f"{server.base_url}/v1/{ORG}/contacts", content=chunks())
    assert answer.status_code == 413


def test_a_body_under_the_limit_reaches_dineros_own_rules() -> None:
    with LiveServer(FakeDinero(World.with_demo())) as server:
        answer = httpx.post(f"{server.base_url}/v1/{ORG}/contacts", content=b"{}")
    assert answer.status_code == 401  # no token: the fake's own answer, the body was read
