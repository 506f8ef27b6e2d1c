"""Dinero's error body (reference §2.8): the code, the short message, the
validation errors, a Danish and an English sentence, and ``errorMessageList``.

The shape follows the one real error body on record (dinero-java's
error_not_found.json fixture)::

    {"code": 65, "message": "Item is deleted",
     "validationErrors": {"message": "Invalid InvoiceGuid, the invoice is deleted."},
     "languageSpecificMessages": [
        {"property": "message", "message": "Da objektet er blevet slettet, kan du ikke rette i det."},
        {"property": "message", "message": "Invalid InvoiceGuid, the invoice is deleted."}],
     "errorMessageList": [{"Code": "message", "Message": "Invalid InvoiceGuid, the invoice is deleted."}]}
"""

from __future__ import annotations

import httpx

from fake_dinero import errors
from fake_dinero.errors import DANISH_MESSAGES, DineroError

from .listing_calls import CONTACTS, create_contact, delete_contact
from .support import dinero_error


def test_a_deleted_item_answers_with_dineros_danish_sentence_and_the_specific_english_one(api: httpx.Client) -> None:
    guid = create_contact(api, "Gone")
    delete_contact(api, guid)
    body = dinero_error(api.put(f"{CONTACTS}/{guid}", json={"Name": "Back", "CountryKey": "DK"}), 400, 65)
    (english,) = body["validationErrors"].values()
    assert body["message"] == "Item is deleted"
    assert body["languageSpecificMessages"] == [
        {"property": "message", "message": "Da objektet er blevet slettet, kan du ikke rette i det."},
        {"property": "message", "message": english},
    ]
    assert body["errorMessageList"] == [{"Code": "ContactGuid", "Message": english}]


def test_the_english_sentence_is_the_detail_not_the_short_title(api: httpx.Client) -> None:
    body = dinero_error(api.get(CONTACTS, params={"pageSize": 5000}), 400, 43)
    english = body["languageSpecificMessages"][1]["message"]
    assert english != body["message"]
    assert english == body["validationErrors"]["pageSize"]


def test_error_message_list_has_one_item_per_validation_error() -> None:
    error = errors.validation_error({"Name": "Give the contact a name.", "CountryKey": "Use a country key, e.g. DK."})
    assert error.body()["errorMessageList"] == [
        {"Code": "Name", "Message": "Give the contact a name."},
        {"Code": "CountryKey", "Message": "Use a country key, e.g. DK."},
    ]


def test_an_error_without_validation_errors_lists_its_message() -> None:
    message = "The organization does not have an active Pro subscription."
    body = DineroError(403, errors.NO_PRO_SUBSCRIPTION, message).body()
    assert body["languageSpecificMessages"] == [
        {"property": "message", "message": "Organisationen har ikke et aktivt Dinero Pro-abonnement."},
        {"property": "message", "message": message},
    ]
    assert body["errorMessageList"] == [{"Code": "message", "Message": message}]


def test_every_error_code_has_a_danish_sentence() -> None:
    codes = {value for name, value in vars(errors).items() if name.isupper() and isinstance(value, int)}
    assert codes - set(DANISH_MESSAGES) == set()
    assert all(sentence.endswith(".") for sentence in DANISH_MESSAGES.values())


def test_an_error_with_a_danish_sentence_of_its_own_keeps_it() -> None:
    error = DineroError(400, errors.NO_ACCOUNTING_YEAR, "No such year", danish_message="Regnskabsåret findes ikke.")
    assert error.body()["languageSpecificMessages"][0]["message"] == "Regnskabsåret findes ikke."


def test_a_code_dinero_has_no_sentence_for_falls_back_on_the_status() -> None:
    assert DineroError(500, 99, "Boom").body()["languageSpecificMessages"][0]["message"] == (
        "Der er opstået en fejl hos Dinero. Prøv igen senere."
    )
    assert DineroError(404, 99, "Gone").body()["languageSpecificMessages"][0]["message"] == (
        "Det, du har bedt om, findes ikke."
    )


def test_aspnets_own_bodies_stay_a_bare_message(anonymous: httpx.Client) -> None:
    response = anonymous.get(CONTACTS)
    assert response.status_code == 401
    assert response.json() == {"message": "Authorization has been denied for this request."}
