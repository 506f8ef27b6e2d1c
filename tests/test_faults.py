"""Fault injection: rules that answer instead of the fake, as a flaky Dinero would."""

from __future__ import annotations

import httpx
import pytest

from fake_dinero import Clock, FakeDinero, World
from fake_dinero.live import LiveServer

from .support import ORG, dinero_error

CONTACTS = f"/v1/{ORG}/contacts"


def test_an_error_fault_answers_with_dineros_error_body(api: httpx.Client, fake: FakeDinero) -> None:
    fake.faults.error(CONTACTS, status=500)
    body = dinero_error(api.get(CONTACTS), 500, 50)
    assert body["message"]


def test_an_error_fault_takes_a_chosen_code_and_message(api: httpx.Client, fake: FakeDinero) -> None:
    fake.faults.error(CONTACTS, status=400, code=58, message="Timestamp outdated")
    body = dinero_error(api.get(CONTACTS), 400, 58)
    assert body["message"] == "Timestamp outdated"


def test_an_error_fault_writes_nothing(api: httpx.Client, fake: FakeDinero) -> None:
    fake.faults.error(CONTACTS, status=503, method="POST")
    assert api.post(CONTACTS, json={"Name": "Lost", "CountryKey": "DK"}).status_code == 503
    assert api.get(CONTACTS).json()["Collection"] == []


def test_a_fault_matches_method_path_glob_and_organization(api: httpx.Client, fake: FakeDinero) -> None:
    fake.faults.error("/v1/*/CONTACTS*", status=500, method="GET", organization_id=ORG)
    assert api.get(CONTACTS).status_code == 500
    assert api.get(f"/v1/{ORG}/products").status_code == 200
    assert api.post(CONTACTS, json={"Name": "A", "CountryKey": "DK"}).status_code == 200


def test_a_fault_for_another_organization_does_not_fire(api: httpx.Client, fake: FakeDinero) -> None:
    fake.faults.error(status=500, organization_id=999)
    assert api.get(CONTACTS).status_code == 200


def test_a_fault_fires_the_given_number_of_times_and_counts(api: httpx.Client, fake: FakeDinero) -> None:
    rule = fake.faults.error(CONTACTS, status=500, times=2)
    assert [api.get(CONTACTS).status_code for _ in range(3)] == [500, 500, 200]
    assert rule.fired == 2


def test_a_probability_fault_fires_the_same_way_for_the_same_seed(fake: FakeDinero) -> None:
    def pattern() -> list[int]:
        other = FakeDinero(type(fake.world).with_demo(seed=7))
        other.faults.error(status=500, probability=0.5)
        client = httpx.Client(transport=_transport(other), base_url="https://api.dinero.dk")
        return [client.get("/v9/nothing").status_code for _ in range(20)]

    first = pattern()
    assert first == pattern()
    assert set(first) == {500, 404}


def test_a_rate_limit_fault_answers_dineros_429(api: httpx.Client, fake: FakeDinero) -> None:
    fake.faults.rate_limit(CONTACTS, times=1)
    response = api.get(CONTACTS)
    assert response.status_code == 429
    assert response.text.startswith("API calls quota exceeded!")
    assert response.headers["retry-after"] == "60"


# Dinero's error page: "480 Brownout: The endpoint you are using is deprecated and about
# to be removed and therefor your request has failed." No capture shows the body; the
# fake sends Dinero's JSON error body with code 40 (see fake_dinero.faults.BROWNOUT_MESSAGE).


def test_a_brownout_fault_answers_480_with_dineros_error_body(api: httpx.Client, fake: FakeDinero) -> None:
    rule = fake.faults.brownout(f"/v1/{ORG}/invoices/*/payments", times=1)
    invoice_payments = f"/v1/{ORG}/invoices/{'0' * 8}-0000-0000-0000-{'0' * 12}/payments"
    body = dinero_error(api.get(invoice_payments), 480, 40)
    assert body["message"].startswith("The endpoint you are using is deprecated and about to be removed")
    assert body["languageSpecificMessages"][0]["message"].startswith("Endpointet er forældet")
    assert (rule.status, rule.fired) == (480, 1)


def test_a_brownout_fault_writes_nothing(api: httpx.Client, fake: FakeDinero) -> None:
    fake.faults.brownout(CONTACTS, method="POST")
    assert api.post(CONTACTS, json={"Name": "Lost", "CountryKey": "DK"}).status_code == 480
    assert api.get(CONTACTS).json()["Collection"] == []


def test_a_brownout_fault_is_added_over_the_control_plane(api: httpx.Client) -> None:
    rule = api.post("/_fake/faults", json={"kind": "brownout", "path": CONTACTS, "probability": 1}).json()
    assert (rule["kind"], rule["status"]) == ("brownout", 480)
    assert api.get(CONTACTS).status_code == 480


def test_a_brownout_reaches_a_client_over_a_real_socket() -> None:
    with LiveServer(FakeDinero(World.with_demo(seed=1))) as live:
        live.fake.faults.brownout("/v1/*")
        response = httpx.get(f"{live.base_url}/v1/{ORG}/contacts", timeout=10)
    assert (response.status_code, response.json()["code"]) == (480, 40)


def test_a_malformed_fault_cuts_the_real_body(api: httpx.Client, fake: FakeDinero) -> None:
    fake.faults.malformed(CONTACTS, times=1)
    response = api.get(CONTACTS)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_a_dropped_connection_raises_what_httpx_raises_for_a_hang_up(api: httpx.Client, fake: FakeDinero) -> None:
    fake.faults.drop(CONTACTS, times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        api.get(CONTACTS)
    assert api.get(CONTACTS).status_code == 200


def test_latency_moves_the_fake_clock_instead_of_sleeping(api: httpx.Client, fake: FakeDinero, clock: Clock) -> None:
    before = clock.now()
    fake.faults.latency(CONTACTS, seconds=2.5)
    assert api.get(CONTACTS).status_code == 200
    assert (clock.now() - before).total_seconds() == 2.5


def test_latency_over_the_read_timeout_raises_read_timeout(api: httpx.Client, fake: FakeDinero) -> None:
    fake.faults.latency(CONTACTS, seconds=30)
    with pytest.raises(httpx.ReadTimeout):
        api.get(CONTACTS, timeout=5)


def test_faults_do_not_touch_the_control_plane(api: httpx.Client, fake: FakeDinero) -> None:
    fake.faults.error(status=500)
    assert api.get("/_fake/clock").status_code == 200


def test_a_fault_can_be_removed_by_id(api: httpx.Client, fake: FakeDinero) -> None:
    rule = fake.faults.error(CONTACTS, status=500)
    fake.faults.remove(rule.id)
    assert api.get(CONTACTS).status_code == 200


def test_an_unknown_fault_kind_is_refused() -> None:
    from fake_dinero.faults import Faults

    with pytest.raises(ValueError, match="unknown fault kind"):
        Faults().add("explode")  # type: ignore[arg-type]


def _transport(fake: FakeDinero) -> httpx.BaseTransport:
    from .support import FakeTransport

    return FakeTransport(fake)
