"""A fault of the fake's own is answered as Dinero answers an unexpected error, never as a
crash of the door: 500 with Dinero's error body (code 50), ``Connection: close``, logged once."""

from __future__ import annotations

import logging

import httpx
import pytest

from fake_dinero import FakeDinero, LiveServer, World
from fake_dinero.http import ApiRequest
from fake_dinero.routing import Routes, RouteTable

from .support import dinero_error

broken = Routes(tag="broken")


@broken.get("/v1/broken", public=True, upstream=False)
def fails(call: object) -> None:
    """A handler with a bug."""
    raise ZeroDivisionError("a bug")


def broken_fake() -> FakeDinero:
    return FakeDinero(World.with_demo(), routes=RouteTable([broken]))


def test_a_bug_in_a_handler_is_answered_with_dineros_500_body() -> None:
    response = broken_fake().handle(ApiRequest("GET", "/v1/broken"))
    assert (response.status, response.headers["connection"]) == (500, "close")
    dinero_error(httpx.Response(response.status, headers=response.headers, content=response.body), 500, 50)


def test_a_bug_in_a_handler_is_logged_once_with_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="fake_dinero"):
        broken_fake().deliver(ApiRequest("GET", "/v1/broken"))
    [record] = caplog.records
    assert "GET /v1/broken" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError


def test_a_bug_over_http_closes_the_connection_and_the_next_call_still_works() -> None:
    with LiveServer(broken_fake()) as server, httpx.Client(base_url=server.base_url) as client:
        failed = client.get("/v1/broken")
        assert (failed.status_code, failed.headers["connection"]) == (500, "close")
        assert client.get("/v1/organizations").status_code == 404  # not in this route table: answered, not crashed
