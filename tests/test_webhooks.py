"""Webhooks: events, subscriptions of a Visma Connect client, and deliveries of events
(reference §2.1, §4.15) in-process and over the live server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
import respx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fake_dinero import FakeDinero
from fake_dinero.domain import ledger
from fake_dinero.domain import webhooks as webhook_rules
from fake_dinero.inprocess import InProcessDinero
from fake_dinero.live import LiveServer
from fake_dinero.provisioning import ConnectClient, ConnectUser
from fake_dinero.world import World

from . import manual_voucher_calls as vouchers
from . import sales_calls as sales
from .support import BASE_URL, ORG, FakeTransport, bearer, dinero_error, login
from .webhook_calls import (
    HOOK,
    WEBHOOKS,
    Receiver,
    new_contact,
    subscribe,
    subscribing,
    subscriptions,
    unsubscribing,
)


@pytest.fixture
def connected(visma: httpx.Client, anonymous: httpx.Client) -> httpx.Client:
    """A client with a Visma Connect access token for the demo organization."""
    anonymous.headers.update(bearer(login(visma)["access_token"]))
    return anonymous


@pytest.fixture
def hooks() -> Iterator[respx.MockRouter]:
    """The integrator's own receiving endpoint, as a respx route answering 200."""
    with respx.mock(assert_all_called=False) as router:
        router.post(HOOK, name="hook").respond(200)
        yield router


# -- the operations -----------------------------------------------------------------------


def test_the_events_include_entries_and_each_resource_with_a_description(connected: httpx.Client) -> None:
    events = connected.get(f"{WEBHOOKS}/events").json()
    assert [event["EventId"] for event in events] == [
        "entries", "contacts", "products", "invoices", "creditnotes", "tradeoffers",
        "manualvouchers", "purchasevouchers", "purchasecreditnotes",
    ]
    assert all(set(event) == {"EventId", "Description"} and event["Description"] for event in events)


def test_a_subscription_is_listed_with_its_uri(connected: httpx.Client) -> None:
    subscribe(connected, "entries")
    assert subscriptions(connected) == [{"EventId": "entries", "Uri": HOOK}]


def test_subscribing_again_to_an_event_replaces_its_uri(connected: httpx.Client) -> None:
    subscribe(connected, "contacts")
    subscribe(connected, "Contacts", "https://other.example.dk/hook")
    assert subscriptions(connected) == [{"EventId": "contacts", "Uri": "https://other.example.dk/hook"}]


def test_unsubscribing_ends_the_subscription(connected: httpx.Client) -> None:
    subscribe(connected, "contacts")
    subscribe(connected, "products")
    assert unsubscribing(connected, "contacts").status_code == 200
    assert subscriptions(connected) == [{"EventId": "products", "Uri": HOOK}]


def test_unsubscribing_from_an_event_not_subscribed_to_changes_nothing(connected: httpx.Client) -> None:
    response = unsubscribing(connected, "invoices")
    assert response.status_code == 200
    assert response.content == b""


def test_a_client_sees_only_its_own_subscriptions(connected: httpx.Client, world: World) -> None:
    webhook_rules.subscribe(world.organizations[ORG], "isv_another_app", "contacts", "https://another.example/hook")
    assert subscriptions(connected) == []


@pytest.mark.parametrize("event", ["invoice_paid", "", None])
def test_an_unknown_or_missing_event_id_is_400_naming_the_events(connected: httpx.Client, event: str | None) -> None:
    body = dinero_error(subscribing(connected, event), 400, 42)
    assert "entries, contacts" in body["validationErrors"]["EventId"]


def test_unsubscribing_from_an_unknown_event_is_400(connected: httpx.Client) -> None:
    body = dinero_error(unsubscribing(connected, "nonsense"), 400, 42)
    assert "nonsense" in body["validationErrors"]["EventId"]


@pytest.mark.parametrize("uri", ["", "/relative/hook", "ftp://files.example.dk/hook", "app.example.dk/hook"])
def test_a_uri_that_is_not_absolute_http_is_400(connected: httpx.Client, uri: str) -> None:
    body = dinero_error(subscribing(connected, "contacts", uri), 400, 42)
    assert "Uri" in body["validationErrors"]
    assert subscriptions(connected) == []


@pytest.mark.parametrize(
    ("method", "operation"),
    [("GET", "events"), ("POST", "subscribe"), ("GET", "subscriptions"), ("DELETE", "unsubscribe")],
)
def test_a_legacy_token_is_403_code_41_as_webhooks_are_for_visma_connect(
    api: httpx.Client, method: str, operation: str
) -> None:
    body = {"EventId": "contacts", "Uri": HOOK} if method != "GET" else None
    response = api.request(method, f"{WEBHOOKS}/{operation}", json=body)
    assert "Visma Connect" in dinero_error(response, 403, 41)["message"]


# -- deliveries in-process -------------------------------------------------------------------


def test_a_new_contact_is_delivered_to_the_subscribed_uri(connected: httpx.Client, hooks: respx.MockRouter) -> None:
    subscribe(connected, "contacts")
    guid = new_contact(connected)
    request = hooks["hook"].calls.last.request
    payload = httpx.Response(200, content=request.content).json()
    assert payload == {
        "DeliveryId": payload["DeliveryId"],
        "EventId": "contacts",
        "Action": "Created",
        "OrganizationId": ORG,
        "Guids": [guid],
        "VoucherGuid": None,
        "OccurredAt": "2026-03-02T09:30:00",
    }
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    assert request.headers["x-dinero-event"] == "contacts"
    assert request.headers["x-dinero-delivery"] == payload["DeliveryId"]


def test_a_booked_voucher_delivers_its_entries_in_one_delivery(
    connected: httpx.Client, hooks: respx.MockRouter, world: World
) -> None:
    subscribe(connected, "entries")
    voucher = vouchers.booked(connected, vouchers.sale(100), vouchers.expense(40))
    assert hooks["hook"].call_count == 1
    payload = httpx.Response(200, content=hooks["hook"].calls.last.request.content).json()
    posted = [row.key for row in ledger.entries(world.organizations[ORG]) if row.data.VoucherGuid == voucher["Guid"]]
    assert (payload["EventId"], payload["Action"], payload["VoucherGuid"]) == ("entries", "Created", voucher["Guid"])
    assert sorted(payload["Guids"]) == sorted(posted) and len(posted) > 2


def test_an_invoice_is_delivered_as_created_then_as_updated_when_booked(
    connected: httpx.Client, hooks: respx.MockRouter
) -> None:
    subscribe(connected, "invoices")
    guid = sales.create_invoice(connected, sales.customer(connected))["Guid"]
    sales.book(connected, f"{sales.INVOICES}/{guid}")
    payloads = [httpx.Response(200, content=call.request.content).json() for call in hooks["hook"].calls]
    assert [(p["EventId"], p["Action"], p["Guids"]) for p in payloads] == [
        ("invoices", "Created", [guid]), ("invoices", "Updated", [guid])
    ]


def test_only_subscribed_events_are_delivered(connected: httpx.Client, hooks: respx.MockRouter) -> None:
    subscribe(connected, "products")
    new_contact(connected)
    assert hooks["hook"].call_count == 0


def test_a_failing_receiver_is_retried_once_the_clock_passes_the_next_attempt(
    connected: httpx.Client, fake: FakeDinero
) -> None:
    with respx.mock:
        hook = respx.post(HOOK).mock(side_effect=[httpx.Response(500), httpx.Response(204)])
        subscribe(connected, "contacts")
        new_contact(connected)
        [pending] = fake.control.webhook_deliveries(ORG, "Pending")
        assert [attempt["statusCode"] for attempt in pending["attempts"]] == [500]
        assert pending["nextAttemptAt"] == "2026-03-02T09:30:10"
        assert fake.control.deliver_webhooks() == []  # not due yet
        fake.control.advance(10)
        [delivered] = fake.control.deliver_webhooks()
    assert hook.call_count == 2
    assert delivered["status"] == "Delivered"
    assert [(a["at"], a["statusCode"]) for a in delivered["attempts"]] == [
        ("2026-03-02T09:30:00", 500), ("2026-03-02T09:30:10", 204)
    ]


def test_a_retry_also_goes_out_after_the_next_request(connected: httpx.Client, fake: FakeDinero) -> None:
    with respx.mock:
        hook = respx.post(HOOK).mock(side_effect=[httpx.Response(503), httpx.Response(200)])
        subscribe(connected, "contacts")
        new_contact(connected)
        fake.control.advance(10)
        connected.get(f"/v1/{ORG}/contacts")
    assert hook.call_count == 2
    assert fake.control.webhook_deliveries(ORG, "Delivered") != []


def test_a_delivery_is_failed_after_five_attempts(connected: httpx.Client, fake: FakeDinero) -> None:
    with respx.mock:
        hook = respx.post(HOOK).respond(500)
        subscribe(connected, "contacts")
        new_contact(connected)
        for delay in webhook_rules.RETRY_DELAYS:
            fake.control.advance(delay)
            fake.control.deliver_webhooks()
    [failed] = fake.control.webhook_deliveries(ORG)
    assert hook.call_count == 5
    assert (failed["status"], len(failed["attempts"]), failed["nextAttemptAt"]) == ("Failed", 5, None)


def test_an_unreachable_receiver_is_recorded_as_an_error(connected: httpx.Client, fake: FakeDinero) -> None:
    with respx.mock:
        respx.post(HOOK).mock(side_effect=httpx.ConnectError("Connection refused"))
        subscribe(connected, "contacts")
        new_contact(connected)
    [pending] = fake.control.webhook_deliveries(ORG)
    assert pending["attempts"][0]["statusCode"] is None
    assert pending["attempts"][0]["error"] == "ConnectError: Connection refused"


def test_unsubscribing_cancels_deliveries_waiting_for_a_retry(connected: httpx.Client, fake: FakeDinero) -> None:
    with respx.mock:
        hook = respx.post(HOOK).respond(500)
        subscribe(connected, "contacts")
        new_contact(connected)
        unsubscribing(connected, "contacts")
        fake.control.advance(60)
        assert fake.control.deliver_webhooks() == []
    assert hook.call_count == 1
    assert [d["status"] for d in fake.control.webhook_deliveries(ORG)] == ["Cancelled"]


def test_seeding_demo_data_raises_no_events(connected: httpx.Client, fake: FakeDinero) -> None:
    subscribe(connected, "contacts")
    fake.control.seed(contacts=3)
    assert fake.control.webhook_deliveries() == []


def test_deliveries_are_shown_on_the_control_plane_over_http(
    connected: httpx.Client, hooks: respx.MockRouter, anonymous: httpx.Client
) -> None:
    subscribe(connected, "contacts")
    guid = new_contact(connected)
    shown = anonymous.get("/_fake/webhooks/deliveries", params={"organizationId": ORG, "status": "delivered"}).json()
    assert [(d["eventId"], d["payload"]["Guids"], d["attempts"][0]["statusCode"]) for d in shown] == [
        ("contacts", [guid], 200)
    ]
    assert anonymous.get("/_fake/webhooks/deliveries", params={"status": "Failed"}).json() == []
    dinero_error(anonymous.get("/_fake/webhooks/deliveries", params={"status": "Lost"}), 400, 42)


def test_the_control_plane_delivers_what_is_due_over_http(connected: httpx.Client, fake: FakeDinero) -> None:
    with respx.mock:
        respx.post(HOOK).mock(side_effect=[httpx.Response(500), httpx.Response(200)])
        subscribe(connected, "contacts")
        new_contact(connected)
        fake.control.advance(10)
        attempted = httpx.Client(transport=FakeTransport(fake), base_url=BASE_URL).post("/_fake/webhooks/deliver")
    assert [d["status"] for d in attempted.json()] == ["Delivered"]


def test_reset_forgets_subscriptions_and_deliveries(
    connected: httpx.Client, hooks: respx.MockRouter, fake: FakeDinero
) -> None:
    subscribe(connected, "contacts")
    new_contact(connected)
    fake.control.reset()
    assert fake.control.webhook_deliveries() == []
    assert webhook_rules.subscriptions(fake.world.organizations[ORG], "isv_regnskabsapp") == []


def test_a_snapshot_file_keeps_subscriptions_and_deliveries(
    connected: httpx.Client, hooks: respx.MockRouter, fake: FakeDinero
) -> None:
    subscribe(connected, "contacts")
    new_contact(connected)
    document = fake.control.export()
    shown = fake.control.webhook_deliveries()
    fake.control.reset()
    fake.control.import_(document)
    assert fake.control.webhook_deliveries() == shown
    assert len(webhook_rules.subscriptions(fake.world.organizations[ORG], "isv_regnskabsapp")) == 1


def test_only_the_newest_deliveries_are_kept(
    connected: httpx.Client, hooks: respx.MockRouter, fake: FakeDinero, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webhook_rules, "MAX_DELIVERIES_KEPT", 3)
    monkeypatch.setattr(webhook_rules, "_PRUNE_SLACK", 1)
    subscribe(connected, "contacts")
    guids = [new_contact(connected, f"Kunde {n}") for n in range(6)]
    kept = [d["payload"]["Guids"][0] for d in fake.control.webhook_deliveries(ORG)]
    assert len(kept) <= 4 and kept == guids[-len(kept):]


# -- the doors ---------------------------------------------------------------------------


def test_an_async_client_delivers_to_an_asgi_receiver(fake: FakeDinero, visma: httpx.Client) -> None:
    received: list[dict] = []

    async def hook(request: Request) -> Response:
        received.append(await request.json())
        return Response(status_code=202)

    receiver = Starlette(routes=[Route("/dinero/webhook", hook, methods=["POST"])])
    token = login(visma)["access_token"]

    async def integrator() -> None:
        async with httpx.AsyncClient(transport=FakeTransport(fake), base_url=BASE_URL, headers=bearer(token)) as client:
            await client.post(f"{WEBHOOKS}/subscribe", json={"EventId": "contacts", "Uri": HOOK})
            await client.post(f"/v1/{ORG}/contacts", json={"Name": "Asynkron ApS", "CountryKey": "DK"})

    with respx.mock:
        respx.post(HOOK).mock(side_effect=respx.ASGIHandler(receiver))
        asyncio.run(integrator())
    assert [payload["EventId"] for payload in received] == ["contacts"]
    assert fake.control.webhook_deliveries(ORG)[0]["attempts"][0]["statusCode"] == 202


@pytest.mark.usefixtures("isv", "visma_user")
def test_in_process_dinero_lets_a_tests_own_respx_route_receive(fake: FakeDinero) -> None:
    with InProcessDinero(fake), respx.mock(assert_all_called=False) as own:
        hook = own.post(HOOK).respond(200)
        with httpx.Client(base_url="https://connect.visma.com") as visma:
            token = login(visma)["access_token"]
        with httpx.Client(base_url=BASE_URL, headers=bearer(token)) as client:
            subscribe(client, "contacts")
            new_contact(client)
    assert hook.call_count == 1


@pytest.mark.usefixtures("isv", "visma_user")
def test_in_process_dinero_passes_a_delivery_through_to_a_loopback_receiver(fake: FakeDinero) -> None:
    with Receiver() as receiver, InProcessDinero(fake):
        with httpx.Client(base_url="https://connect.visma.com") as visma:
            token = login(visma)["access_token"]
        with httpx.Client(base_url=BASE_URL, headers=bearer(token)) as client:
            subscribe(client, "contacts", receiver.uri)
            guid = new_contact(client)
        [delivery] = receiver.wait(1)
    assert (delivery.path, delivery.body["Guids"]) == ("/hooks/dinero", [guid])


@pytest.fixture
def server(fake: FakeDinero, isv: ConnectClient, visma_user: ConnectUser) -> Iterator[LiveServer]:
    with LiveServer(fake) as live:
        yield live


@pytest.fixture
def live(server: LiveServer) -> Iterator[httpx.Client]:
    """A client of the live server with a Visma Connect token got over HTTP."""
    with httpx.Client(base_url=server.base_url, timeout=10) as client:
        client.headers.update(bearer(login(client)["access_token"]))
        yield client


def test_the_live_server_posts_a_delivery_to_the_subscribed_uri(live: httpx.Client) -> None:
    with Receiver() as receiver:
        subscribe(live, "contacts", receiver.uri)
        guid = new_contact(live)
        [delivery] = receiver.wait(1)
    assert delivery.body["Guids"] == [guid]
    assert delivery.headers["x-dinero-event"] == "contacts"


def test_the_live_server_retries_once_the_clock_passes_the_next_attempt(live: httpx.Client) -> None:
    with Receiver(500, 200) as receiver:
        subscribe(live, "entries", receiver.uri)
        vouchers.booked(live)
        receiver.wait(1)
        live.post("/_fake/clock", json={"advance": 10})
        first, second = receiver.wait(2)
        live.post("/_fake/webhooks/deliver")  # answers once the attempt under way is recorded
        [delivered] = live.get("/_fake/webhooks/deliveries", params={"status": "Delivered"}).json()
    assert first.body == second.body
    assert [attempt["statusCode"] for attempt in delivered["attempts"]] == [500, 200]
