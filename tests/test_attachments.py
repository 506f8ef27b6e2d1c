"""Attachments: files bound to invoices, credit notes and trade offers, and the
organization's default attachments."""

from __future__ import annotations

import httpx
import pytest

from fake_dinero import FakeDinero
from fake_dinero.domain.attachments import set_default_attachments
from fake_dinero.errors import DineroError

from .file_calls import ATTACHMENT_UPLOADS, ATTACHMENTS, PNG, attached, binding, listed, upload
from .sales_calls import CREDIT_NOTES, INVOICES, book, booked_invoice, create_invoice, customer, get, line
from .support import ORG, dinero_error

OFFERS = f"/v1/{ORG}/tradeoffers"
UNKNOWN_DOCUMENT = "6f1c2d3e-0000-4000-8000-000000000001"


def invoice(api: httpx.Client) -> str:
    return create_invoice(api, customer(api))["Guid"]


def credit_note(api: httpx.Client) -> str:
    response = api.post(CREDIT_NOTES, json={"ContactGuid": customer(api), "ProductLines": [line()]})
    assert response.status_code == 200, response.text
    return response.json()["Guid"]


def trade_offer(api: httpx.Client) -> str:
    response = api.post(OFFERS, json={"ContactGuid": customer(api), "ProductLines": [line()]})
    assert response.status_code == 200, response.text
    return response.json()["Guid"]


def bind(api: httpx.Client, document: str, file_guid: str, name: str = "terms.pdf") -> None:
    response = binding(api, document, file_guid, name)
    assert response.status_code == 200, response.text
    assert response.content == b""


def test_a_bound_file_is_listed_on_the_invoice(api: httpx.Client) -> None:
    document, file_guid = invoice(api), upload(api, "handelsbetingelser.pdf")
    bind(api, document, file_guid, "Handelsbetingelser.pdf")
    assert attached(api, document) == [
        {"OrganizationId": ORG, "DocumentId": document, "FileGuid": file_guid, "FileName": "Handelsbetingelser.pdf"}
    ]


@pytest.mark.parametrize("make", [credit_note, trade_offer], ids=["credit note", "trade offer"])
def test_credit_notes_and_trade_offers_take_attachments_too(api: httpx.Client, make) -> None:
    document, file_guid = make(api), upload(api)
    bind(api, document, file_guid)
    assert [item["FileGuid"] for item in attached(api, document)] == [file_guid]


def test_a_file_uploaded_as_attachment_only_can_be_bound(api: httpx.Client) -> None:
    document, file_guid = invoice(api), upload(api, "terms.png", PNG, path=ATTACHMENT_UPLOADS)
    bind(api, document, file_guid, "terms.png")
    assert attached(api, document)[0]["FileGuid"] == file_guid


def test_attachments_list_in_the_order_they_were_bound(api: httpx.Client) -> None:
    document = invoice(api)
    first, second = upload(api, "a.pdf", b"%PDF a"), upload(api, "b.pdf", b"%PDF b")
    bind(api, document, second, "b.pdf")
    bind(api, document, first, "a.pdf")
    assert [item["FileName"] for item in attached(api, document)] == ["b.pdf", "a.pdf"]


def test_binding_the_same_file_again_keeps_one_attachment_with_the_new_name(api: httpx.Client) -> None:
    document, file_guid = invoice(api), upload(api)
    bind(api, document, file_guid, "old.pdf")
    bind(api, document, file_guid, "new.pdf")
    assert [item["FileName"] for item in attached(api, document)] == ["new.pdf"]


def test_a_document_without_attachments_lists_none(api: httpx.Client) -> None:
    assert attached(api, invoice(api)) == []


def test_unbinding_removes_the_attachment_but_keeps_the_file(api: httpx.Client) -> None:
    document, file_guid = invoice(api), upload(api)
    bind(api, document, file_guid)
    response = api.delete(f"{ATTACHMENTS}/{document}/{file_guid}")
    assert (response.status_code, response.content) == (200, b"")
    assert attached(api, document) == []
    assert api.get(f"/v1/{ORG}/files/{file_guid}").status_code == 200


def test_a_file_unbound_can_be_bound_again(api: httpx.Client) -> None:
    document, file_guid = invoice(api), upload(api)
    bind(api, document, file_guid, "first.pdf")
    api.delete(f"{ATTACHMENTS}/{document}/{file_guid}")
    bind(api, document, file_guid, "again.pdf")
    assert [item["FileName"] for item in attached(api, document)] == ["again.pdf"]


def test_unbinding_a_file_that_is_not_bound_is_not_found(api: httpx.Client) -> None:
    document, file_guid = invoice(api), upload(api)
    body = dinero_error(api.delete(f"{ATTACHMENTS}/{document}/{file_guid}"), 404, 40)
    assert file_guid in body["validationErrors"]["FileGuid"]


def test_an_unknown_document_is_not_found(api: httpx.Client) -> None:
    file_guid = upload(api)
    dinero_error(api.get(f"{ATTACHMENTS}/{UNKNOWN_DOCUMENT}"), 404, 40)
    dinero_error(binding(api, UNKNOWN_DOCUMENT, file_guid), 404, 40)
    dinero_error(api.delete(f"{ATTACHMENTS}/{UNKNOWN_DOCUMENT}/{file_guid}"), 404, 40)


def test_an_unknown_file_is_not_found(api: httpx.Client) -> None:
    body = dinero_error(binding(api, invoice(api), "web0crmck5v0ndcx3313g6zn61tc7wgc"), 404, 40)
    assert "FileGuid" in body["validationErrors"]


def test_a_document_guid_that_is_no_guid_is_refused(api: httpx.Client) -> None:
    dinero_error(api.get(f"{ATTACHMENTS}/not-a-guid"), 400, 42)


def test_a_deleted_document_takes_no_attachments(api: httpx.Client) -> None:
    document = invoice(api)
    assert api.request("DELETE", f"{INVOICES}/{document}").status_code == 200
    dinero_error(binding(api, document, upload(api)), 400, 65)


def test_a_bound_file_is_used_and_linked_under_the_invoice_number(api: httpx.Client) -> None:
    document, file_guid = booked_invoice(api), upload(api)
    bind(api, document, file_guid)
    [archived] = listed(api, fileStatus="Used")
    [link] = archived["Linked"]
    assert (link["VoucherGuid"], link["VoucherId"]) == (document, get(api, f"{INVOICES}/{document}")["Number"])


def test_unbinding_leaves_the_file_unused(api: httpx.Client) -> None:
    document, file_guid = invoice(api), upload(api)
    bind(api, document, file_guid)
    api.delete(f"{ATTACHMENTS}/{document}/{file_guid}")
    assert [item["FileGuid"] for item in listed(api, fileStatus="Unused")] == [file_guid]


# -- default attachments -------------------------------------------------------------------


def bind_defaults(api: httpx.Client, document: str, document_type: str) -> httpx.Response:
    return api.post(f"{ATTACHMENTS}/bind/default/{document}/{document_type}")


def test_the_default_attachments_of_the_type_are_bound(api: httpx.Client, fake: FakeDinero) -> None:
    terms, prices = upload(api, "terms.pdf", b"%PDF terms"), upload(api, "prices.pdf", b"%PDF prices")
    organization = fake.world.organizations[ORG]
    set_default_attachments(organization, "Invoice", [terms, (prices, "Prisliste.pdf")])
    set_default_attachments(organization, "TradeOffer", [prices])
    document = invoice(api)
    response = bind_defaults(api, document, "Invoice")
    assert (response.status_code, response.content) == (200, b"")
    assert [(item["FileGuid"], item["FileName"]) for item in attached(api, document)] == [
        (terms, "terms.pdf"), (prices, "Prisliste.pdf"),
    ]


def test_binding_the_defaults_twice_binds_each_file_once(api: httpx.Client, fake: FakeDinero) -> None:
    set_default_attachments(fake.world.organizations[ORG], "TradeOffer", [upload(api)])
    document = trade_offer(api)
    bind_defaults(api, document, "tradeoffer")
    bind_defaults(api, document, "TradeOffer")
    assert len(attached(api, document)) == 1


def test_with_no_defaults_set_binding_them_binds_nothing(api: httpx.Client) -> None:
    document = credit_note(api)
    assert bind_defaults(api, document, "CreditNote").status_code == 200
    assert attached(api, document) == []


def test_a_document_type_that_takes_no_attachments_is_refused(api: httpx.Client) -> None:
    body = dinero_error(bind_defaults(api, invoice(api), "Reminder"), 400, 42)
    assert "TradeOffer" in body["validationErrors"]["documentType"]


def test_the_document_must_be_of_the_type_named(api: httpx.Client) -> None:
    dinero_error(bind_defaults(api, invoice(api), "TradeOffer"), 404, 40)
    dinero_error(bind_defaults(api, UNKNOWN_DOCUMENT, "Invoice"), 404, 40)


def test_defaults_name_files_that_exist(fake: FakeDinero) -> None:
    with pytest.raises(DineroError) as refused:
        set_default_attachments(fake.world.organizations[ORG], "Invoice", ["web0crmck5v0ndcx3313g6zn61tc7wgc"])
    assert (refused.value.status, refused.value.code) == (404, 40)


def test_a_booked_invoice_keeps_its_attachments(api: httpx.Client) -> None:
    document, file_guid = invoice(api), upload(api)
    bind(api, document, file_guid)
    book(api, f"{INVOICES}/{document}")
    assert [item["FileGuid"] for item in attached(api, document)] == [file_guid]


def test_an_invoice_is_mailed_with_the_files_bound_to_it(api: httpx.Client, fake: FakeDinero) -> None:
    guid = booked_invoice(api)
    bind(api, guid, upload(api, "handelsbetingelser.pdf"), "Handelsbetingelser.pdf")
    response = api.post(f"{INVOICES}/{guid}/email", json={})
    assert response.status_code == 200, response.text
    assert fake.control.outbox()[0]["BoundFiles"] == ["Handelsbetingelser.pdf"]
