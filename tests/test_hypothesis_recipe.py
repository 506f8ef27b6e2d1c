"""The hypothesis recipe the README gives: ``@given`` over invoice bodies, a fresh fake
per example from the session-scoped ``fresh_dinero`` fixture, 200 examples, no
health check suppressed. Every drawn invoice is accepted as a draft and booked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import httpx
import pytest
from hypothesis import given, settings

from fake_dinero import Dinero
from fake_dinero.contracts.strategies import add_demo_contact, invoice_bodies


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    """One client for every example: making one loads the CA certificates (25 ms),
    more than a fresh fake and a booked invoice cost together."""
    with httpx.Client() as client:
        yield client


@settings(max_examples=200, deadline=None)
@given(body=invoice_bodies(casing=None))
def test_every_drawn_invoice_is_accepted_and_booked(
    fresh_dinero: Callable[..., AbstractContextManager[Dinero]], http: httpx.Client, body: dict[str, Any]
) -> None:
    with fresh_dinero() as dinero:
        add_demo_contact(dinero)
        invoices = dinero.url("/v1/{org}/invoices")
        headers = dinero.headers()
        created = http.post(invoices, json=body, headers=headers)
        assert created.status_code == 200, created.text
        guid, stamp = created.json()["Guid"], created.json()["TimeStamp"]
        booked = http.post(f"{invoices}/{guid}/book", json={"Timestamp": stamp}, headers=headers)
        assert booked.status_code == 200, booked.text
        assert booked.json()["Status"] == "Booked"
