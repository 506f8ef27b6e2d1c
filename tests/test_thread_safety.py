"""One in-process fake shared by many threads (a test suite with a thread pool) answers
every call as if they came one at a time: no lost rows, no duplicate numbers."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from fake_dinero import FakeDinero, Settings, World
from fake_dinero.inprocess import DineroTransport

from .support import BASE_URL, ORG, get_token

THREADS = 8
PER_THREAD = 25


@pytest.fixture(autouse=True)
def threads_switch_often() -> Iterator[None]:
    """Threads switch every microsecond instead of every 5 ms, so a race shows in a short test."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def shared_fake() -> tuple[FakeDinero, dict[str, str]]:
    fake = FakeDinero(World.with_demo(seed=3, settings=Settings(rate_limit=None)))
    with httpx.Client(base_url=BASE_URL, transport=DineroTransport(fake)) as client:
        token = get_token(client).json()["access_token"]
    return fake, {"Authorization": f"Bearer {token}"}


def test_threads_sharing_one_fake_lose_no_created_contact() -> None:
    fake, headers = shared_fake()

    def create(worker: int) -> list[int]:
        with httpx.Client(base_url=BASE_URL, transport=DineroTransport(fake), headers=headers) as client:
            return [
                client.post(f"/v1/{ORG}/contacts", json={"Name": f"Kunde {worker}-{n}", "CountryKey": "DK"}).status_code
                for n in range(PER_THREAD)
            ]

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = [status for batch in pool.map(create, range(THREADS)) for status in batch]
    assert set(statuses) == {200}
    with httpx.Client(base_url=BASE_URL, transport=DineroTransport(fake), headers=headers) as client:
        listed = client.get(f"/v1/{ORG}/contacts", params={"pageSize": 1000}).json()
    assert listed["Pagination"]["Result"] == THREADS * PER_THREAD


def test_threads_booking_invoices_in_one_fake_get_each_number_once() -> None:
    fake, headers = shared_fake()
    with httpx.Client(base_url=BASE_URL, transport=DineroTransport(fake), headers=headers) as client:
        contact = client.post(f"/v1/{ORG}/contacts", json={"Name": "Kunde", "CountryKey": "DK"}).json()["ContactGuid"]
    line = {"Description": "Rådgivning", "Quantity": 1, "Unit": "hours", "AccountNumber": 1000, "BaseAmountValue": 100}

    def book(worker: int) -> list[int]:
        numbers = []
        with httpx.Client(base_url=BASE_URL, transport=DineroTransport(fake), headers=headers) as client:
            for _ in range(PER_THREAD // 5):
                created = client.post(f"/v1/{ORG}/invoices", json={"ContactGuid": contact, "ProductLines": [line]})
                assert created.status_code == 200, created.text
                draft = created.json()
                booked = client.post(f"/v1/{ORG}/invoices/{draft['Guid']}/book", json={"Timestamp": draft["TimeStamp"]})
                assert booked.status_code == 200, booked.text
                numbers.append(booked.json()["Number"])
        return numbers

    with ThreadPoolExecutor(THREADS) as pool:
        numbers = [number for batch in pool.map(book, range(THREADS)) for number in batch]
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
