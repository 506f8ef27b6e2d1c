"""Attachments: files bound to invoices, credit notes and trade offers.

The rules are in ``domain.attachments``. Dinero's document declares the
organization id of these paths an int32 (elsewhere a string); the fake's
document says the same.
"""

from __future__ import annotations

from typing import Any

from ..call import Call
from ..domain import attachments
from ..domain.attachments import ATTACHMENTS, DocumentAttachmentReadModel
from ..routing import Routes

routes = Routes(tag="Attachments")

PATH = "/v1/{organizationId}/attachments"
INTEGER_ORGANIZATION = ("organizationId",)


@routes.get(
    PATH + "/{documentGuid}", response=list[DocumentAttachmentReadModel], integer_params=INTEGER_ORGANIZATION
)
def list_attachments(call: Call) -> list[dict[str, Any]]:
    """The files bound to an invoice, credit note or trade offer, in the order they were bound."""
    rows = attachments.attachments(call.organization, call.guid("documentGuid"))
    table = call.organization.table(ATTACHMENTS)
    return [table.document(row) for row in rows]


@routes.post(PATH + "/{documentGuid}/{fileGuid}/{fileName}", integer_params=INTEGER_ORGANIZATION)
def bind_attachment(call: Call) -> None:
    """Any uploaded file (archived or attachment-only), under ``fileName``. Binding a bound
    file again keeps one attachment and takes the new name."""
    attachments.bind(call.organization, call.guid("documentGuid"), call.params["fileGuid"], call.params["fileName"])


@routes.delete(PATH + "/{documentGuid}/{fileGuid}", integer_params=INTEGER_ORGANIZATION)
def unbind_attachment(call: Call) -> None:
    """404 when the file is not bound to the document; the file itself stays."""
    attachments.unbind(call.organization, call.guid("documentGuid"), call.params["fileGuid"])


@routes.post(PATH + "/bind/default/{documentGuid}/{documentType}", integer_params=INTEGER_ORGANIZATION)
def bind_default_attachments(call: Call) -> None:
    """``documentType`` is Invoice, TradeOffer or CreditNote (the document must be one). With
    no defaults set (Dinero sets them in its web app) nothing is bound."""
    attachments.bind_defaults(call.organization, call.guid("documentGuid"), call.params["documentType"])
