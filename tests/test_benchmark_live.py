"""The live-server benchmark runs end to end at a tiny size: servers in processes of their
own on free ports, the bundled load generator against each.

It measures, so no figure is checked for its value: only that each has a number, and that
the fake answered the whole mix with 2xx.
"""

from __future__ import annotations

import asyncio
import json
import math

import httpx

from fake_dinero.benchmark.live import live_figures
from fake_dinero.benchmark.loadgen import BODY_BYTES, contact_body, read_answer

from .support import ORG


def test_a_tiny_run_gives_every_figure_a_number_and_the_fake_answers_only_2xx() -> None:
    figures = live_figures(seconds=0.3, contacts=20, concurrency=(2,))

    names = [figure.name for figure in figures]
    assert len(names) == len(set(names))
    assert any("fake-dinero serve" in name and "req/s" in name for name in names)
    assert any("dinero_server" in name for name in names)
    assert sum("server CPU per request" in name for name in names) == 2
    for figure in figures:
        assert figure.group == "live server"
        assert isinstance(figure.value, (int, float)) and not math.isnan(figure.value), figure
        assert figure.reference is None or figure.reference > 0, figure
    (non_2xx,) = [figure for figure in figures if "not 2xx" in figure.name]
    assert non_2xx.value == 0


def test_the_posted_contact_is_one_kilobyte_the_fake_accepts(api: httpx.Client) -> None:
    body = contact_body()
    assert len(body) == BODY_BYTES
    created = api.post(f"/v1/{ORG}/contacts", content=body, headers={"Content-Type": "application/json"})
    assert created.status_code == 200
    assert api.get(f"/v1/{ORG}/contacts/{created.json()['ContactGuid']}").json()["Name"] == json.loads(body)["Name"]


def test_the_generator_reads_a_chunked_answer_and_keeps_the_connection() -> None:
    async def read() -> tuple[int, bytes, bool]:
        reader = asyncio.StreamReader()
        reader.feed_data(b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n")
        reader.feed_data(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        return await read_answer(reader)

    assert asyncio.run(read()) == (201, b"hello world", False)
