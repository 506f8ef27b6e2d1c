"""Webhooks: the events Dinero tells a Visma Connect integration of, who subscribed
to them, and the deliveries the fake owes the subscribers.

Dinero documents the four operations (events, subscribe, subscriptions,
unsubscribe), that webhooks are for one-to-many integrations authorized through
Visma Connect only, and that an "entries" event tells of new entries. Everything
else is undocumented and inferred here, each choice where it is made: the event
ids, the shapes of the two lists, the delivery's payload and headers, and the
retries.

Events are derived in one place: every table write reaches ``_observe`` (see
``store.observe_changes``), which turns a change of a watched collection into a
delivery for each subscription to its event. An organization without
subscriptions pays one dict lookup per write. Subscriptions, deliveries and the
queue of deliveries still to attempt are tables, so reset and snapshots cover
them. Sending is not done here: ``fake_dinero.webhook_delivery`` sends what
``due`` names and reports back through ``begin_attempt`` and ``settle``.
"""

from __future__ import annotations

import contextvars
import itertools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from ..errors import validation_error
from ..formats import render_datetime, shown
from ..models import DineroModel
from ..store import Collection, Record, Table, observe_changes

if TYPE_CHECKING:
    from ..world import Organization

# -- events ----------------------------------------------------------------------------

EVENTS: dict[str, str] = {
    "entries": "Entries were posted to the books: a voucher (invoice, credit note, payment, "
    "manual voucher, ledger item...) was booked, or a booked one deleted, which posts its "
    "opposite entries. One delivery per voucher, listing its new EntryGuids.",
    "contacts": "A contact was created, updated, deleted or restored.",
    "products": "A product was created, updated, deleted or restored.",
    "invoices": "A sales invoice was created, updated (e.g. booked or paid) or deleted.",
    "creditnotes": "A sales credit note was created, updated (e.g. booked) or deleted.",
    "tradeoffers": "A trade offer was created, updated or deleted.",
    "manualvouchers": "A manual voucher was created, updated (e.g. booked) or deleted.",
    "purchasevouchers": "A purchase voucher was created, updated (e.g. booked or paid) or deleted.",
    "purchasecreditnotes": "A purchase credit note was created, updated (e.g. booked) or deleted.",
}
"""Event id -> what it tells of. Inferred: Dinero names only the entries event; the rest
are its resources by their path names, one event per resource whose payload's
``Action`` says what happened (Created, Updated, Deleted, Restored)."""


def _sales_event(row: Record) -> str:
    return "creditnotes" if row.data.Kind == "CreditNote" else "invoices"


_SOURCES: dict[str, Callable[[Record], str]] = {
    "entries": lambda row: "entries",
    "contacts": lambda row: "contacts",
    "products": lambda row: "products",
    "sales": _sales_event,
    "tradeoffers": lambda row: "tradeoffers",
    "manual_vouchers": lambda row: "manualvouchers",
    "purchase_vouchers": lambda row: "purchasevouchers",
    "purchase_credit_notes": lambda row: "purchasecreditnotes",
}
"""Collection name -> the event a change of one of its rows is."""


def event_id(text: str | None) -> str | None:
    """The event id ``text`` names, matched case-insensitively; None when it names none."""
    if text is None:
        return None
    folded = text.strip().lower()
    return folded if folded in EVENTS else None


class WebhookEventReadModel(DineroModel):
    """One event of ``GET /webhooks/events`` (inferred: Dinero documents no schema)."""

    EventId: str
    Description: str


def events() -> list[WebhookEventReadModel]:
    return [WebhookEventReadModel(EventId=key, Description=text) for key, text in EVENTS.items()]


# -- subscriptions -------------------------------------------------------------------


class SubscriptionData(BaseModel):
    ClientId: str
    EventId: str
    Uri: str


class WebhookSubscriptionReadModel(DineroModel):
    """One subscription of ``GET /webhooks/subscriptions`` (inferred: Dinero documents no schema)."""

    EventId: str
    Uri: str


def _render_subscription(organization: Organization, row: Record) -> WebhookSubscriptionReadModel:
    return WebhookSubscriptionReadModel(EventId=row.data.EventId, Uri=row.data.Uri)


SUBSCRIPTIONS = Collection(
    "webhook_subscriptions", WebhookSubscriptionReadModel, _render_subscription, data_model=SubscriptionData
)
"""One row per (Visma Connect client, event) in the organization; unsubscribing purges it."""

MAX_URI_LENGTH = 2048


def _subscription_key(client_id: str, event: str) -> str:
    return f"{client_id} {event}"


def require_event(text: str | None) -> str:
    """The known event ``text`` names, or 400/42 naming the ones there are."""
    found = event_id(text)
    if found is None:
        named = "No EventId was given" if not text else f"There is no webhook event '{shown(text)}'"
        raise validation_error(
            {"EventId": f"{named}; use one of {', '.join(EVENTS)} (GET /v1/{{organizationId}}/webhooks/events)."}
        )
    return found


def _require_uri(text: str | None) -> str:
    uri = (text or "").strip()
    parts = urlsplit(uri)
    if not uri:
        problem = "A Uri is required: the absolute http(s) address the events are POSTed to."
    elif parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        problem = f"'{shown(uri)}' is not an absolute http or https URI, e.g. https://app.example.dk/dinero/webhook."
    elif len(uri) > MAX_URI_LENGTH:
        problem = f"The Uri is {len(uri)} characters long; at most {MAX_URI_LENGTH} are allowed."
    else:
        return uri
    raise validation_error({"Uri": problem})


def subscribe(organization: Organization, client_id: str, event: str | None, uri: str | None) -> Record:
    """Subscribe ``client_id`` to an event. Subscribing again to the same event
    replaces the Uri (inferred: one subscription per client and event, as the
    unsubscribe body names only the event)."""
    found = require_event(event)
    address = _require_uri(uri)
    table = organization.table(SUBSCRIPTIONS)
    key = _subscription_key(client_id, found)
    data = SubscriptionData(ClientId=client_id, EventId=found, Uri=address)
    row = table.get(key)
    if row is None:
        return table.insert(key, data)
    return row if row.data == data else table.update(row, data)


def unsubscribe(organization: Organization, client_id: str, event: str | None) -> None:
    """End ``client_id``'s subscription to an event and cancel its deliveries still
    waiting for an attempt. Unsubscribing from a known event one is not subscribed
    to succeeds and changes nothing (inferred: DELETE is idempotent); an unknown
    event id is 400/42."""
    found = require_event(event)
    key = _subscription_key(client_id, found)
    table = organization.table(SUBSCRIPTIONS)
    if table.get(key) is None:
        return
    table.purge([key])
    _cancel_pending(organization, client_id, found)


def subscriptions(organization: Organization, client_id: str) -> list[Record]:
    """The client's own subscriptions in this organization, oldest first."""
    table = organization.tables.get(SUBSCRIPTIONS.name)
    if table is None:
        return []
    return [row for row in table.records() if row.data.ClientId == client_id]


# -- deliveries --------------------------------------------------------------------------

PENDING, DELIVERED, FAILED, CANCELLED = "Pending", "Delivered", "Failed", "Cancelled"
STATUSES = (PENDING, DELIVERED, FAILED, CANCELLED)

RETRY_DELAYS = (10.0, 60.0, 300.0, 1800.0)
"""Seconds on the fake's clock from a failed attempt to the next one; after the
fifth failed attempt the delivery is Failed. Inferred: Dinero documents no policy."""
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
MAX_DELIVERIES_KEPT = 1000
"""The newest deliveries an organization keeps (older ones are forgotten), so a long
``fake-dinero serve`` stays bounded."""
_PRUNE_SLACK = 100
MAX_ANSWER_CHARS = 2000
"""How much of a receiver's answer a delivery keeps."""


class AttemptData(BaseModel):
    At: datetime
    StatusCode: int | None = None
    Error: str | None = None
    """Why no answer came (connection refused, timeout...)."""
    Response: str | None = None
    """The start of the answer's body."""


class DeliveryData(BaseModel):
    ClientId: str
    EventId: str
    Action: str
    Uri: str
    Guids: list[str] = Field(default_factory=list)
    VoucherGuid: str | None = None
    OccurredAt: datetime
    Status: str = PENDING
    Attempts: list[AttemptData] = Field(default_factory=list)
    NextAttemptAt: datetime | None = None


class QueueData(BaseModel):
    """A delivery still to attempt."""

    NextAttemptAt: datetime
    BatchKey: str | None = None
    """While no attempt has begun: what later changes of the same moment merge on."""


def payload(organization_id: int, key: str, data: DeliveryData) -> dict[str, Any]:
    """The JSON a delivery POSTs. Inferred (Dinero documents no payload): a thin event in
    the style of Dinero's models, naming what changed so the receiver fetches it."""
    return {
        "DeliveryId": key,
        "EventId": data.EventId,
        "Action": data.Action,
        "OrganizationId": organization_id,
        "Guids": list(data.Guids),
        "VoucherGuid": data.VoucherGuid,
        "OccurredAt": render_datetime(data.OccurredAt),
    }


def headers(key: str, data: DeliveryData) -> dict[str, str]:
    """A delivery's headers (inferred; Dinero documents no signature, so none is sent)."""
    return {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "fake-dinero-webhooks/1",
        "x-dinero-event": data.EventId,
        "x-dinero-delivery": key,
    }


class WebhookDeliveryView(BaseModel):
    """A delivery as the control plane shows it."""

    deliveryId: str
    organizationId: int
    clientId: str
    eventId: str
    action: str
    uri: str
    status: str
    payload: dict[str, Any]
    attempts: list[dict[str, Any]]
    nextAttemptAt: str | None
    createdAt: str | None


def _render_delivery(organization: Organization, row: Record) -> WebhookDeliveryView:
    data: DeliveryData = row.data
    return WebhookDeliveryView(
        deliveryId=row.key,
        organizationId=organization.id,
        clientId=data.ClientId,
        eventId=data.EventId,
        action=data.Action,
        uri=data.Uri,
        status=data.Status,
        payload=payload(organization.id, row.key, data),
        attempts=[
            {"at": render_datetime(a.At), "statusCode": a.StatusCode, "error": a.Error, "response": a.Response}
            for a in data.Attempts
        ],
        nextAttemptAt=render_datetime(data.NextAttemptAt),
        createdAt=render_datetime(row.created_at),
    )


def _render_queued(organization: Organization, row: Record) -> QueueData:
    return row.data  # type: ignore[no-any-return]


DELIVERIES = Collection("webhook_deliveries", WebhookDeliveryView, _render_delivery, data_model=DeliveryData)
"""Every delivery made, by DeliveryId, oldest first (the newest ``MAX_DELIVERIES_KEPT``)."""
QUEUE = Collection("webhook_queue", QueueData, _render_queued, data_model=QueueData)
"""The deliveries still Pending, by DeliveryId: what a sender looks at after each request."""


def deliveries(organization: Organization, status: str | None = None) -> list[dict[str, Any]]:
    """The organization's deliveries as the control plane shows them, oldest first."""
    table = organization.tables.get(DELIVERIES.name)
    if table is None:
        return []
    return [table.document(row) for row in table if status is None or row.data.Status == status]


def due(organization: Organization, now: datetime) -> list[str]:
    """DeliveryIds whose next attempt is at or before ``now``, oldest first."""
    queue = organization.tables.get(QUEUE.name)
    if not queue:
        return []
    return [row.key for row in queue if row.data.NextAttemptAt <= now]


def begin_attempt(organization: Organization, key: str) -> tuple[str, dict[str, str], bytes, Record] | None:
    """Close the delivery's batch (nothing merges into it once it is being sent) and
    say what to send: the Uri, headers, body and the queue row to settle against.
    None when the delivery is no longer queued."""
    queue = organization.tables.get(QUEUE.name)
    queued = queue.get(key) if queue is not None else None
    row = organization.table(DELIVERIES).get(key)
    if queue is None or queued is None or row is None:
        return None
    if queued.data.BatchKey is not None:
        queued = queue.update(queued, queued.data.model_copy(update={"BatchKey": None}))
    body = json.dumps(payload(organization.id, key, row.data), ensure_ascii=False).encode()
    return row.data.Uri, headers(key, row.data), body, queued


def settle(
    organization: Organization,
    key: str,
    queued: Record,
    at: datetime,
    status_code: int | None,
    error: str | None = None,
    response: str | None = None,
) -> bool:
    """Record the outcome of the attempt begun ``at`` (on the fake's clock): a 2xx
    answer delivers; anything else (an error status, a refused connection, a timeout)
    is retried ``RETRY_DELAYS`` after the attempt began, until the delivery is Failed.
    False when the delivery changed meanwhile (a reset, an unsubscribe), so the
    outcome belongs to nothing any more."""
    queue = organization.tables.get(QUEUE.name)
    deliveries_table = organization.tables.get(DELIVERIES.name)
    if queue is None or deliveries_table is None or queue.get(key) is not queued:
        return False
    row = deliveries_table.get(key)
    if row is None:
        return False
    attempt = AttemptData(At=at, StatusCode=status_code, Error=error, Response=_clip(response))
    attempts = [*row.data.Attempts, attempt]
    delivered = status_code is not None and 200 <= status_code < 300
    if delivered or len(attempts) >= MAX_ATTEMPTS:
        status, next_at = (DELIVERED if delivered else FAILED), None
        queue.purge([key])
    else:
        status, next_at = PENDING, at + timedelta(seconds=RETRY_DELAYS[len(attempts) - 1])
        queue.update(queued, QueueData(NextAttemptAt=next_at))
    update = {"Attempts": attempts, "Status": status, "NextAttemptAt": next_at}
    deliveries_table.update(row, row.data.model_copy(update=update))
    return True


def _clip(text: str | None) -> str | None:
    if text is None or len(text) <= MAX_ANSWER_CHARS:
        return text
    return text[:MAX_ANSWER_CHARS] + "..."


def _cancel_pending(organization: Organization, client_id: str, event: str) -> None:
    queue = organization.tables.get(QUEUE.name)
    if not queue:
        return
    table = organization.table(DELIVERIES)
    cancelled = []
    for queued in list(queue):
        row = table.get(queued.key)
        if row is not None and row.data.ClientId == client_id and row.data.EventId == event:
            table.update(row, row.data.model_copy(update={"Status": CANCELLED, "NextAttemptAt": None}))
            cancelled.append(queued.key)
    queue.purge(cancelled)


# -- deriving events from table changes ------------------------------------------------

_quiet: contextvars.ContextVar[bool] = contextvars.ContextVar("webhooks_quiet", default=False)


@contextmanager
def quiet() -> Iterator[None]:
    """No events while seeding demo data: what the fake makes of itself is not
    something an integrator's organization did."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _observe(table: Table, row: Record, kind: str) -> None:
    source = _SOURCES.get(table.collection.name)
    if source is None:
        return
    organization = table.organization
    subscribed = organization.tables.get(SUBSCRIPTIONS.name)
    if not subscribed or _quiet.get():
        return
    event = source(row)
    for subscription in list(subscribed):
        if subscription.data.EventId == event:
            _enqueue(organization, subscription, event, kind, row)


def _enqueue(organization: Organization, subscription: Record, event: str, action: str, row: Record) -> None:
    """One delivery per subscription for the changes of one moment to one thing (for
    entries: one voucher), so a booking's entries arrive together and a create that
    the same call then updates arrives once, as Created."""
    now = organization.clock.now()
    voucher = row.parent if event == "entries" else None
    group = voucher or row.key
    moment = now.isoformat()
    batches = [f"{subscription.key}|{action}|{group}|{moment}"]
    if action == "Updated":
        batches.insert(0, f"{subscription.key}|Created|{group}|{moment}")
    table = organization.table(DELIVERIES)
    queue = organization.table(QUEUE)
    for queued in queue:
        if queued.data.BatchKey in batches:
            open_row = table.get(queued.key)
            if open_row is not None and row.key not in open_row.data.Guids:
                guids = [*open_row.data.Guids, row.key]
                table.update(open_row, open_row.data.model_copy(update={"Guids": guids}))
            return
    key = organization.world.new_guid()
    data = DeliveryData(
        ClientId=subscription.data.ClientId,
        EventId=event,
        Action=action,
        Uri=subscription.data.Uri,
        Guids=[row.key],
        VoucherGuid=voucher,
        OccurredAt=now,
        NextAttemptAt=now,
    )
    table.insert(key, data)
    queue.insert(key, QueueData(NextAttemptAt=now, BatchKey=batches[-1]))
    if len(table) > MAX_DELIVERIES_KEPT + _PRUNE_SLACK:
        oldest = list(itertools.islice(iter(table), len(table) - MAX_DELIVERIES_KEPT))
        keys = [old.key for old in oldest]
        table.purge(keys)
        queue.purge(keys)


observe_changes(_observe)
