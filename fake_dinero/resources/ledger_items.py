"""Ledger items (kassekladde): add, read back, update, book in the background, status, delete.

Every body is a JSON array, as Dinero's document has it. The rules are in
``fake_dinero.domain.ledger_items``; these handlers parse, call and render.
"""

from __future__ import annotations

from typing import Any

from ..call import Call
from ..domain.ledger_item_models import (
    LEDGER_ITEMS,
    LedgerItemModel,
    LedgerItemModelV2,
    LedgerItemReadModel,
    LedgerItemStatusModel,
    LedgerItemStatusReadModel,
    read_model,
    status_of,
)
from ..domain.ledger_items import (
    add_items,
    book_items,
    delete_items,
    item_statuses,
    unbooked_items,
    update_items,
)
from ..routing import Routes

routes = Routes(tag="LedgerItems")

def _refs(items: list[LedgerItemModel]) -> list[tuple[str, str | None]]:
    return [(str(item.Id), item.Version) for item in items]


@routes.post("/v1.2/{organizationId}/ledgeritems", body=list[LedgerItemModelV2], response=LedgerItemReadModel)
def add_ledger_items(call: Call) -> Any:
    """Adds the items as drafts. One item sent: its {Id, Version}, as Dinero's document
    says. Several: an array with one {Id, Version} per item sent, in order."""
    # Dinero's document answers one LedgerItemReadModel, a .NET client (Hexio) reads an
    # array. The served document keeps Dinero's answer, and a one-item post (what most
    # clients send, and what the document describes) answers exactly that. A single
    # object cannot carry the ids of several new items, so a several-item post answers
    # the array the client needs; the document has no way to say "one per item".
    rows = add_items(call.organization, call.body_list(LedgerItemModelV2))
    if len(rows) == 1:
        return read_model(rows[0])
    return [read_model(row) for row in rows]


@routes.put("/v1/{organizationId}/ledgeritems", body=list[LedgerItemModelV2], response=list[LedgerItemReadModel])
def update_ledger_items(call: Call) -> list[LedgerItemReadModel]:
    """Id and Version are required for each item (400/42); a stale Version is 400/58,
    an item sent to booking or booked 400/42. Left-out properties keep their values."""
    rows = update_items(call.organization, call.body_list(LedgerItemModelV2))
    return [read_model(row) for row in rows]


@routes.post("/v1/{organizationId}/ledgeritems/ledgers", body=list[LedgerItemModel], response=list[LedgerItemModelV2])
def get_ledger_items(call: Call) -> list[dict[str, Any]]:
    """The unbooked items asked for (booked ones have left the ledger); an empty array
    asks for every unbooked item."""
    organization = call.organization
    rows = unbooked_items(organization, [str(item.Id) for item in call.body_list(LedgerItemModel)])
    table = organization.table(LEDGER_ITEMS)
    return [table.document(row) for row in rows]


@routes.post("/v1/{organizationId}/ledgeritems/book", body=list[LedgerItemModel])
def book_ledger_items(call: Call) -> None:
    """Starts the booking: the items are PendingBooking until the fake's clock has moved
    Settings.ledger_booking_seconds on, or a status poll has seen them pending once. A
    booking that fails (a date in no accounting year, a voucher number in use) puts the
    item back to Draft."""
    book_items(call.organization, _refs(call.body_list(LedgerItemModel)))


@routes.post(
    "/v1/{organizationId}/ledgeritems/status",
    body=list[LedgerItemStatusModel],
    response=list[LedgerItemStatusReadModel],
)
def get_ledger_item_status(call: Call) -> list[LedgerItemStatusReadModel]:
    """Draft, PendingBooking or Booked; VoucherNumber is null until booked."""
    ids = [str(item.Id) for item in call.body_list(LedgerItemStatusModel)]
    return [status_of(row) for row in item_statuses(call.organization, ids)]


@routes.delete("/v1/{organizationId}/ledgeritems/delete", body=list[LedgerItemModel])
def delete_ledger_items(call: Call) -> None:
    """Removes draft items; a stale Version is 400/58, an item sent to booking or booked 400/42."""
    delete_items(call.organization, _refs(call.body_list(LedgerItemModel)))
