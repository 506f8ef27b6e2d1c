"""Ledger items (kassekladde): add, read back, update, book in the background, status, delete.

Every body is a JSON array, as Dinero's document has it (a single object is
refused with 400/42, as ASP.NET cannot bind one to a list). The rules are in
``fake_dinero.domain.ledger_items``; these handlers parse, call and render.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..call import Call
from ..domain.ledger_items import (
    LEDGER_ITEMS,
    LedgerItemModel,
    LedgerItemModelV2,
    LedgerItemReadModel,
    LedgerItemStatusModel,
    LedgerItemStatusReadModel,
    add_items,
    book_items,
    delete_items,
    item_statuses,
    read_model,
    status_of,
    unbooked_items,
    update_items,
)
from ..errors import validation_error
from ..models import describe_errors, parse_json_body
from ..routing import Routes

routes = Routes(tag="LedgerItems")

Item = TypeVar("Item", bound=BaseModel)


@cache
def _adapter(model: type[Item]) -> TypeAdapter[list[Item]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _array(call: Call, model: type[Item]) -> list[Item]:
    """The body as a list of ``model``: 400/42 naming ``[index].Property`` when it does not fit."""
    document = parse_json_body(call.request.body)
    if not isinstance(document, list):
        raise validation_error(
            {"body": f"The body must be a JSON array of {model.__name__} ([{{...}}]), even for one item."}
        )
    try:
        return _adapter(model).validate_python(document)
    except ValidationError as exc:
        raise validation_error(describe_errors(exc)) from None


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
    rows = add_items(call.organization, _array(call, LedgerItemModelV2))
    if len(rows) == 1:
        return read_model(rows[0])
    return [read_model(row) for row in rows]


@routes.put("/v1/{organizationId}/ledgeritems", body=list[LedgerItemModelV2], response=list[LedgerItemReadModel])
def update_ledger_items(call: Call) -> list[LedgerItemReadModel]:
    """Id and Version are required for each item (400/42); a stale Version is 400/58,
    an item sent to booking or booked 400/42. Left-out properties keep their values."""
    rows = update_items(call.organization, _array(call, LedgerItemModelV2))
    return [read_model(row) for row in rows]


@routes.post("/v1/{organizationId}/ledgeritems/ledgers", body=list[LedgerItemModel], response=list[LedgerItemModelV2])
def get_ledger_items(call: Call) -> list[dict[str, Any]]:
    """The unbooked items asked for (booked ones have left the ledger); an empty array
    asks for every unbooked item."""
    organization = call.organization
    rows = unbooked_items(organization, [str(item.Id) for item in _array(call, LedgerItemModel)])
    table = organization.table(LEDGER_ITEMS)
    return [table.document(row) for row in rows]


@routes.post("/v1/{organizationId}/ledgeritems/book", body=list[LedgerItemModel])
def book_ledger_items(call: Call) -> None:
    """Starts the booking: the items are PendingBooking until the fake's clock has moved
    Settings.ledger_booking_seconds on, or a status poll has seen them pending once. A
    booking that fails (a date in no accounting year, a voucher number in use) puts the
    item back to Draft."""
    book_items(call.organization, _refs(_array(call, LedgerItemModel)))


@routes.post(
    "/v1/{organizationId}/ledgeritems/status",
    body=list[LedgerItemStatusModel],
    response=list[LedgerItemStatusReadModel],
)
def get_ledger_item_status(call: Call) -> list[LedgerItemStatusReadModel]:
    """Draft, PendingBooking or Booked; VoucherNumber is null until booked."""
    ids = [str(item.Id) for item in _array(call, LedgerItemStatusModel)]
    return [status_of(row) for row in item_statuses(call.organization, ids)]


@routes.delete("/v1/{organizationId}/ledgeritems/delete", body=list[LedgerItemModel])
def delete_ledger_items(call: Call) -> None:
    """Removes draft items; a stale Version is 400/58, an item sent to booking or booked 400/42."""
    delete_items(call.organization, _refs(_array(call, LedgerItemModel)))
