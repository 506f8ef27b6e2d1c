"""The live server door: a real socket on 127.0.0.1, faults played out as a network would."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import httpx
import pytest
import requests
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from fake_dinero import FakeDinero, World
from fake_dinero.asgi import create_app
from fake_dinero.live import LiveServer, listening_socket, server_config


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with LiveServer(FakeDinero(World.with_demo(seed=1))) as live:
        yield live


@pytest.fixture(autouse=True)
def fresh(server: LiveServer) -> None:
    server.fake.control.reset()


def test_the_server_listens_on_an_ephemeral_port(server: LiveServer) -> None:
    assert server.port > 0
    assert server.base_url == f"http://127.0.0.1:{server.port}"


def test_an_error_fault_reaches_a_requests_client(server: LiveServer) -> None:
    server.fake.faults.error("/v1/*", status=503, times=1)
    response = requests.get(f"{server.base_url}/v1/123456/contacts", timeout=10)
    assert response.status_code == 503
    assert response.json()["message"] == "Service Unavailable"


def test_a_drop_fault_hangs_up_mid_answer(server: LiveServer) -> None:
    server.fake.faults.drop("/v1/*", times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(f"{server.base_url}/v1/123456/contacts", timeout=10)
    assert httpx.get(f"{server.base_url}/v1/123456/contacts", timeout=10).status_code == 401


def test_a_drop_fault_is_an_incomplete_answer_for_requests(server: LiveServer) -> None:
    server.fake.faults.drop("/v1/*", times=1)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(f"{server.base_url}/v1/123456/contacts", timeout=10)


def test_latency_holds_the_answer_back_in_real_time(server: LiveServer) -> None:
    server.fake.faults.latency("/v1/*", seconds=0.5, times=1)
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{server.base_url}/v1/123456/contacts", timeout=0.05)


def test_the_journal_sees_requests_from_any_client(server: LiveServer) -> None:
    requests.get(f"{server.base_url}/v1/123456/contacts", timeout=10)
    server.fake.journal.assert_called("GET", "/v1/123456/contacts", times=1, status=401)


def test_the_control_plane_answers_over_http(server: LiveServer) -> None:
    assert requests.post(f"{server.base_url}/_fake/clock", json={"advance": 60}, timeout=10).status_code == 200


def test_connections_to_the_server_are_tcp_sockets_so_asyncio_turns_nagle_off() -> None:
    """asyncio sets TCP_NODELAY on an accepted socket only when it is a TCP socket
    (family INET/INET6, SOCK_STREAM, protocol IPPROTO_TCP); an accepted socket inherits
    its protocol from the listener. Without it, every request after the first on a
    keep-alive connection waits for the client's delayed ACK (about 40 ms)."""
    listener = listening_socket("127.0.0.1")
    with listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        with socket.create_connection(listener.getsockname()):
            accepted, _ = listener.accept()
            with accepted:
                assert (accepted.type, accepted.proto) == (socket.SOCK_STREAM, socket.IPPROTO_TCP)
                asyncio.base_events._set_nodelay(accepted)  # what asyncio's accept does to it
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_the_server_runs_on_the_c_http_parser_and_event_loop() -> None:
    """httptools and uvloop answer about twice as fast as h11 and asyncio's own loop;
    ``serve`` and ``LiveServer`` both take their settings from ``server_config``."""
    config = server_config(create_app())
    config.load()
    assert (config.http, config.loop) == ("httptools", "uvloop")
    assert config.http_protocol_class is HttpToolsProtocol
    assert config.access_log is False


def test_the_live_server_serves_with_the_shared_settings(server: LiveServer) -> None:
    assert server._server.config.http_protocol_class is HttpToolsProtocol
    assert server._server.config.loop == "uvloop"


def test_a_keep_alive_connection_to_the_live_server_has_nagle_turned_off(server: LiveServer) -> None:
    """Every answer is two writes (head, then body): with Nagle on, the second waits for
    the client's delayed ACK on every request after a connection's first."""
    with httpx.Client(base_url=server.base_url) as client:
        client.get("/v1/123456/contacts")
        client.get("/v1/123456/contacts")
        connections = list(server._server.server_state.connections)
        sockets = [connection.transport.get_extra_info("socket") for connection in connections]
        assert sockets
        assert all(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0 for sock in sockets)
