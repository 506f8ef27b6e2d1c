"""httpx clients under InProcessDinero: what goes to the fake and what comes back, as over a wire."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from fake_dinero import FakeDinero
from fake_dinero.http import JSON_TYPE
from fake_dinero.inprocess import InProcessDinero

from .support import BASE_URL, ORG, get_token

CONTACTS = f"/v1/{ORG}/contacts"


@pytest.fixture
def client(fake: FakeDinero) -> Iterator[httpx.Client]:
    """A plain httpx client (no transport of its own) logged in through the door."""
    with InProcessDinero(fake), httpx.Client(base_url=BASE_URL) as client:
        client.headers["Authorization"] = f"Bearer {get_token(client).json()['access_token']}"
        yield client


def test_an_answer_carries_the_fakes_headers_and_its_content_length(client: httpx.Client) -> None:
    response = client.get(CONTACTS)
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON_TYPE
    assert response.headers["content-length"] == str(len(response.content))
    assert response.json()["Pagination"]["Page"] == 0


def test_an_empty_answer_has_no_content_length(client: httpx.Client) -> None:
    guid = client.post(CONTACTS, json={"Name": "Tom ApS", "CountryKey": "DK"}).json()["ContactGuid"]
    response = client.delete(f"{CONTACTS}/{guid}")
    assert (response.status_code, response.content) == (200, b"")
    assert "content-length" not in response.headers


def test_a_streamed_answer_reads_as_the_whole_body(client: httpx.Client) -> None:
    with client.stream("GET", CONTACTS) as response:
        streamed = b"".join(response.iter_bytes())
    assert streamed == client.get(CONTACTS).content


def test_a_repeated_request_header_reaches_the_fake_joined_with_a_comma(
    client: httpx.Client, fake: FakeDinero
) -> None:
    client.get(CONTACTS, headers=[("X-Trace", "first"), ("X-Trace", "second")])
    sent = fake.journal.entries[-1].request_headers
    assert sent["x-trace"] == "first, second"
    assert sent["authorization"] == "Bearer [redacted]"


def test_the_query_and_the_body_reach_the_fake_as_sent(client: httpx.Client, fake: FakeDinero) -> None:
    client.post(CONTACTS, params={"note": "a b"}, json={"Name": "Æble ApS", "CountryKey": "DK"})
    entry = fake.journal.entries[-1]
    assert entry.query == "note=a+b"
    assert entry.request_body == {"Name": "Æble ApS", "CountryKey": "DK"}


def test_an_async_client_gets_the_same_answer_as_a_sync_one(client: httpx.Client) -> None:
    async def fetch() -> httpx.Response:
        async with httpx.AsyncClient(base_url=BASE_URL, headers=client.headers) as async_client:
            return await async_client.get(CONTACTS)

    answered = asyncio.run(fetch())
    expected = client.get(CONTACTS)
    assert (answered.status_code, answered.headers, answered.content) == (
        expected.status_code,
        expected.headers,
        expected.content,
    )
