"""While a fake answers Dinero in-process, any client other than httpx and requests fails at once."""

from __future__ import annotations

import asyncio
import http.client
import socket
import threading
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import urllib3

from fake_dinero import FakeDinero
from fake_dinero.inprocess import InProcessDinero
from fake_dinero.network_guard import NetworkGuard, NotAnsweredInProcess, guarded_hosts

from .test_inprocess_requests import Loopback


@pytest.fixture
def door(fake: FakeDinero) -> Iterator[InProcessDinero]:
    with InProcessDinero(fake) as door:
        yield door


def refusal(call: Callable[[], Any]) -> str:
    """The message of the NotAnsweredInProcess ``call`` raises."""
    with pytest.raises(NotAnsweredInProcess) as raised:
        call()
    return str(raised.value)


@pytest.mark.usefixtures("door")
def test_urllib_to_dinero_fails_naming_the_host_and_the_way_out() -> None:
    message = refusal(lambda: urllib.request.urlopen("https://api.dinero.dk/v1/123456/contacts", timeout=5))
    assert message.startswith("api.dinero.dk ")
    assert "Only httpx and requests calls are answered in-process" in message
    assert "`dinero_server` fixture" in message
    assert "127.0.0.1" in message


@pytest.mark.usefixtures("door")
def test_http_client_to_dinero_fails_at_once() -> None:
    connection = http.client.HTTPSConnection("api.dinero.dk", timeout=5)
    assert refusal(lambda: connection.request("GET", "/v1/123456/contacts")).startswith("api.dinero.dk ")


@pytest.mark.usefixtures("door")
def test_urllib3_with_retries_fails_at_once_without_retrying() -> None:
    with urllib3.PoolManager(retries=urllib3.Retry(connect=5, backoff_factor=10)) as pool:
        message = refusal(lambda: pool.request("GET", "https://connect.visma.com/connect/authorize"))
    assert message.startswith("connect.visma.com ")


@pytest.mark.usefixtures("door")
def test_a_raw_socket_to_dinero_fails() -> None:
    assert refusal(lambda: socket.create_connection(("authz.dinero.dk", 443), timeout=5)).startswith("authz.dinero.dk ")
    with socket.socket() as raw:
        assert refusal(lambda: raw.connect(("api.dinero.dk", 443))).startswith("api.dinero.dk ")
        assert refusal(lambda: raw.connect_ex(("api.dinero.dk", 443))).startswith("api.dinero.dk ")


@pytest.mark.usefixtures("door")
def test_an_asyncio_client_fails_as_aiohttp_would() -> None:
    """aiohttp resolves through the event loop's getaddrinfo, as asyncio's own streams do."""
    with pytest.raises(NotAnsweredInProcess):
        asyncio.run(asyncio.open_connection("api.dinero.dk", 443))


@pytest.mark.usefixtures("door")
def test_the_hosts_name_is_matched_as_dns_matches_it() -> None:
    assert refusal(lambda: socket.getaddrinfo("API.Dinero.DK.", 443)).startswith("api.dinero.dk ")
    assert refusal(lambda: socket.getaddrinfo(b"api.dinero.dk", 443)).startswith("api.dinero.dk ")


@pytest.mark.usefixtures("door")
def test_other_hosts_are_untouched() -> None:
    assert socket.getaddrinfo("127.0.0.1", 80, type=socket.SOCK_STREAM)[0][4] == ("127.0.0.1", 80)
    with Loopback() as server:
        with urllib.request.urlopen(server.url, timeout=5) as answer:
            assert answer.read() == b"pong"


@pytest.mark.usefixtures("door")
def test_httpx_and_requests_are_still_answered_in_process(fake: FakeDinero) -> None:
    assert httpx.get("https://api.dinero.dk/v1/123456/contacts").status_code == 401
    assert len(list(fake.journal)) == 1


def test_the_guard_is_gone_when_the_door_closes(fake: FakeDinero) -> None:
    getaddrinfo = socket.getaddrinfo
    with InProcessDinero(fake):
        assert socket.getaddrinfo is not getaddrinfo
    assert socket.getaddrinfo is getaddrinfo
    assert "connect" not in vars(socket.socket)
    assert "connect_ex" not in vars(socket.socket)
    assert guarded_hosts() == frozenset()


def test_the_guard_stays_until_the_last_of_nested_doors_closes(fake: FakeDinero) -> None:
    getaddrinfo = socket.getaddrinfo
    with InProcessDinero(fake):
        with InProcessDinero(fake):
            pass
        assert refusal(lambda: socket.getaddrinfo("api.dinero.dk", 443)).startswith("api.dinero.dk ")
    assert socket.getaddrinfo is getaddrinfo


def test_guards_closed_out_of_order_from_threads_leave_socket_as_it_was() -> None:
    getaddrinfo = socket.getaddrinfo
    first, second = NetworkGuard(["api.dinero.dk"]), NetworkGuard(["api.dinero.dk", "example.invalid"])
    first.__enter__()
    opened = threading.Thread(target=second.__enter__)
    opened.start()
    opened.join()
    first.__exit__(None, None, None)
    assert guarded_hosts() == {"api.dinero.dk", "example.invalid"}
    closed = threading.Thread(target=second.__exit__, args=(None, None, None))
    closed.start()
    closed.join()
    assert socket.getaddrinfo is getaddrinfo
    assert guarded_hosts() == frozenset()


def test_a_patch_laid_over_the_guard_is_left_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest-socket and friends wrap getaddrinfo too: the guard never undoes their wrapper,
    and its own, left under it, lets every name through once no guard is open."""
    getaddrinfo = socket.getaddrinfo
    calls: list[Any] = []
    with monkeypatch.context() as patching:
        with NetworkGuard(["api.dinero.dk"]):
            guarded = socket.getaddrinfo

            def theirs(*args: Any, **kwargs: Any) -> Any:
                calls.append(args[0])
                return guarded(*args, **kwargs)

            patching.setattr(socket, "getaddrinfo", theirs)
        assert socket.getaddrinfo is theirs
        assert socket.getaddrinfo("127.0.0.1", 80)
        assert calls == ["127.0.0.1"]
    with NetworkGuard(["api.dinero.dk"]):
        pass
    assert socket.getaddrinfo is getaddrinfo
