"""No input makes the fake answer 500: every hostile call gets the status and error body Dinero gives.

The first tests pin the inputs that once broke the fake, one each; the property tests at
the end throw hostile values (``hostile_calls``) at every operation of the route table, and
store edge values to read them back through every list, item, PDF and report.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from hypothesis import given, settings

from fake_dinero import FakeDinero, Settings, World
from fake_dinero.formats import LATEST_DATE
from fake_dinero.models import MAX_DEPTH
from fake_dinero.pricing import LATEST_PAYMENT_DATE
from fake_dinero.route_table import ROUTE_TABLE

from .hostile_calls import (
    DEEP_ARRAY,
    DEEP_OBJECT,
    INT32_MAX,
    OPERATIONS,
    Creation,
    HostileCall,
    Scene,
    build_scene,
    check_answer,
    creations,
    dump,
    hostile_calls,
    read_back,
)
from .reminder_calls import VALID_EAN
from .sales_calls import INVOICES, book, create_invoice, customer, line
from .support import ORG, REDIRECT_URI, authorize, dinero_error, get_token

CONTACTS = f"/v1/{ORG}/contacts"
CLOCK = "/_fake/clock"


@pytest.fixture(name="settings")
def unlimited_settings() -> Settings:
    """No rate limit and no pause between ledger posts: these tests send many calls on a frozen clock."""
    return Settings(rate_limit=None, ledger_post_seconds=0)


@pytest.fixture
def scene(api: httpx.Client, fake: FakeDinero) -> Iterator[Scene]:
    """One of everything a path can name; a reset returns the fake to it (with the token)."""
    built = build_scene(api)
    fake.control.set_baseline()
    yield built


def post_json(api: httpx.Client, path: str, body: object) -> httpx.Response:
    return api.post(path, content=dump(body), headers={"content-type": "application/json"})


def filled(op_path: str, scene: Scene) -> str:
    op = next(op for op in OPERATIONS if op.path == op_path)
    path = op.path
    for param in op.params:
        path = path.replace("{" + param + "}", scene.real(op, param) or "0")
    return path


# -- organization ids no token reaches ----------------------------------------------------


@pytest.mark.parametrize("organization", ["%C2%B2", "1" * 5000, "%D9%A1%D9%A2%D9%A3"])
def test_an_organization_id_that_is_no_int32_is_unauthorized_with_or_without_a_token(
    api: httpx.Client, anonymous: httpx.Client, organization: str
) -> None:
    for client in (api, anonymous):
        response = client.get(f"/v1/{organization}/contacts")

        assert response.status_code == 401, response.text


def test_a_page_in_unicode_digits_is_not_a_number(api: httpx.Client) -> None:
    response = api.get(CONTACTS, params={"page": "١"})

    assert "page" in dinero_error(response, 400, 42)["validationErrors"]


# -- bodies nested too deep ------------------------------------------------------------


def test_a_body_nested_10000_deep_is_a_validation_error_naming_the_limit(api: httpx.Client) -> None:
    response = api.post(CONTACTS, content=DEEP_ARRAY, headers={"content-type": "application/json"})

    body = dinero_error(response, 400, 42)
    assert f"more than {MAX_DEPTH} deep" in body["validationErrors"]["body"]


def test_a_body_nested_as_deep_as_aspnet_allows_still_binds(api: httpx.Client) -> None:
    nested: object = "deep"
    for _ in range(MAX_DEPTH - 1):
        nested = [nested]

    response = post_json(api, CONTACTS, {"Name": "Dyb ApS", "CountryKey": "DK", "Ignored": nested})

    assert response.status_code == 200, response.text


def test_no_operation_answers_a_body_nested_10000_deep_with_a_server_error(
    api: httpx.Client, fake: FakeDinero, scene: Scene
) -> None:
    refused = []
    for op in OPERATIONS:
        if op.method == "GET":
            continue
        for body in (DEEP_ARRAY, DEEP_OBJECT):
            fake.control.reset()
            path = filled(op.path, scene)
            response = api.request(op.method, path, content=body, headers={"content-type": "application/json"})
            check_answer(response, f"{op.method} {op.path}")
            refused.append(response.status_code)
    assert 500 not in refused


@pytest.mark.parametrize("depth", [300, 990, 10_000])
def test_the_journal_shows_a_body_nested_too_deep_as_text(api: httpx.Client, depth: int) -> None:
    api.post(CONTACTS, content=b"[" * depth + b"]" * depth, headers={"content-type": "application/json"})

    response = api.get("/_fake/journal", params={"path": CONTACTS})

    assert response.status_code == 200
    assert response.json()[-1]["requestBody"] == "[" * depth + "]" * depth


def test_the_control_plane_refuses_a_deep_body_with_a_validation_error(api: httpx.Client) -> None:
    response = api.post(CLOCK, content=DEEP_OBJECT, headers={"content-type": "application/json"})

    assert "body" in dinero_error(response, 400, 42)["validationErrors"]


# -- times past the calendar's end ----------------------------------------------------

FAR_TIMES = ("9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "9998-12-31T23:59:59-14:00")


@pytest.mark.parametrize("since", FAR_TIMES)
def test_changes_since_outside_the_dates_dinero_takes_is_a_validation_error_on_every_list(
    api: httpx.Client, scene: Scene, since: str
) -> None:
    lists = [op for op in ROUTE_TABLE.operations if any(param.name == "changesSince" for param in op.query)]
    assert len(lists) >= 10
    for op in lists:
        response = api.get(filled(op.path, scene), params={"changesSince": since})

        body = dinero_error(response, 400, 42)
        assert "outside the dates Dinero takes" in body["validationErrors"]["changesSince"], op.path


def test_changes_since_on_the_last_date_in_utc_lists_nothing(api: httpx.Client) -> None:
    response = api.get(CONTACTS, params={"changesSince": f"{LATEST_DATE.isoformat()}T23:59:59Z"})

    assert response.status_code == 200, response.text
    assert response.json()["Collection"] == []


@pytest.mark.parametrize("name", ["from", "to"])
def test_a_state_of_account_period_outside_the_dates_dinero_takes_is_a_validation_error(
    api: httpx.Client, scene: Scene, name: str
) -> None:
    statement = f"/v1/{ORG}/state-of-account/{scene.ids['contact']}"
    for path in (statement, f"{statement}/pdf"):
        response = api.get(path, params={name: FAR_TIMES[0]})

        assert name in dinero_error(response, 400, 42)["validationErrors"], path


def test_an_entries_period_outside_the_dates_dinero_takes_is_a_validation_error(api: httpx.Client) -> None:
    response = api.get(f"/v1/{ORG}/entries", params={"fromDate": "2026-01-01", "toDate": FAR_TIMES[0]})

    assert "toDate" in dinero_error(response, 400, 42)["validationErrors"]


def test_a_utc_offset_beyond_fourteen_hours_is_not_a_time(api: httpx.Client) -> None:
    response = api.get(CONTACTS, params={"changesSince": "2026-03-02T09:30:00+15:00"})

    assert "is not a time" in dinero_error(response, 400, 42)["validationErrors"]["changesSince"]


# -- invoices that once could be stored but not read -----------------------------------


def test_an_invoice_dated_9999_12_31_is_refused_and_the_lists_still_answer(api: httpx.Client) -> None:
    response = create_invoice_response(api, Date="9999-12-31")

    body = dinero_error(response, 400, 42)
    assert "1900-01-01 to 9998-12-31" in body["validationErrors"]["Date"]
    for path in (INVOICES, f"/v1/{ORG}/sales"):
        assert api.get(path).status_code == 200


def test_an_invoice_dated_on_the_last_date_is_listed_read_and_printed(api: httpx.Client) -> None:
    guid = create_invoice(api, customer(api), Date=LATEST_DATE.isoformat())["Guid"]

    assert api.get(INVOICES).status_code == 200
    assert api.get(f"/v1/{ORG}/sales").status_code == 200
    assert api.get(f"{INVOICES}/{guid}").json()["PaymentDate"] == "9999-01-08"


def test_payment_days_past_int32_are_refused_as_out_of_range(api: httpx.Client) -> None:
    response = create_invoice_response(api, PaymentConditionNumberOfDays=2**31)

    message = dinero_error(response, 400, 42)["validationErrors"]["PaymentConditionNumberOfDays"]
    assert message == "2147483648 is out of range: this is a 32-bit whole number, from -2147483648 to 2147483647."


def test_payment_days_at_int32_max_are_refused_for_the_payment_date_they_give(api: httpx.Client) -> None:
    response = create_invoice_response(api, PaymentConditionNumberOfDays=INT32_MAX)

    message = dinero_error(response, 400, 42)["validationErrors"]["PaymentConditionNumberOfDays"]
    assert f"after {LATEST_PAYMENT_DATE.isoformat()}" in message
    assert api.get(INVOICES).status_code == 200


def test_a_contact_with_2_to_the_40_payment_days_is_refused(api: httpx.Client) -> None:
    body = {"Name": "Lang Kredit ApS", "CountryKey": "DK", "PaymentConditionNumberOfDays": 2**40}

    response = post_json(api, CONTACTS, body)

    assert "PaymentConditionNumberOfDays" in dinero_error(response, 400, 42)["validationErrors"]


def test_an_invoice_that_takes_too_many_days_from_its_contact_is_refused_naming_the_contact(api: httpx.Client) -> None:
    contact = customer(api, PaymentConditionType="Netto", PaymentConditionNumberOfDays=INT32_MAX)

    response = post_json(api, INVOICES, {"ContactGuid": contact, "ProductLines": [line()]})

    message = dinero_error(response, 400, 42)["validationErrors"]["PaymentConditionNumberOfDays"]
    assert message.startswith("The contact's PaymentConditionNumberOfDays, 2147483647")
    assert api.get(INVOICES).status_code == 200


def test_a_trade_offer_is_not_invoiced_on_terms_that_reach_past_the_calendar(api: httpx.Client) -> None:
    contact = customer(api, PaymentConditionType="Netto", PaymentConditionNumberOfDays=INT32_MAX)
    offers = f"/v1/{ORG}/tradeoffers"
    guid = post_json(api, offers, {"ContactGuid": contact, "ProductLines": [line()]}).json()["Guid"]
    timestamp = api.get(f"{offers}/{guid}").json()["TimeStamp"]

    response = post_json(api, f"{offers}/{guid}/generate-invoice", {"Timestamp": timestamp})

    assert "PaymentConditionNumberOfDays" in dinero_error(response, 400, 42)["validationErrors"]
    assert api.get(INVOICES).status_code == 200


def create_invoice_response(api: httpx.Client, **fields: object) -> httpx.Response:
    return post_json(api, INVOICES, {"ContactGuid": customer(api), "ProductLines": [line()], **fields})


# -- integers as .NET binds them --------------------------------------------------------


@pytest.mark.parametrize("value", [2**31, -(2**31) - 1, 2**63, "2147483648"])
def test_an_integer_property_outside_int32_is_refused_naming_it(api: httpx.Client, value: object) -> None:
    response = post_json(api, f"/v1/{ORG}/products", {"Name": "Ting", "AccountNumber": value, "Unit": "parts"})

    assert "out of range" in dinero_error(response, 400, 42)["validationErrors"]["AccountNumber"]


def test_an_integer_at_int32_max_binds_and_is_checked_as_any_account_number(api: httpx.Client) -> None:
    response = post_json(api, f"/v1/{ORG}/products", {"Name": "Ting", "AccountNumber": INT32_MAX, "Unit": "parts"})

    assert response.status_code != 500
    if response.status_code == 400:
        assert "out of range" not in str(response.json()["validationErrors"])


def test_an_integer_in_a_line_outside_int32_is_refused_naming_the_line(api: httpx.Client) -> None:
    response = post_json(api, INVOICES, {"ContactGuid": customer(api), "ProductLines": [line(account=2**31)]})

    assert "ProductLines[0].AccountNumber" in dinero_error(response, 400, 42)["validationErrors"]


@pytest.mark.parametrize("token", ["1e309", "1e20", '"9999999999999999999999999"', "NaN", '"NaN"'])
def test_a_number_no_integer_holds_is_a_validation_error(api: httpx.Client, token: str) -> None:
    body = b'{"Name": "Ting", "Unit": "parts", "AccountNumber": ' + token.encode() + b"}"

    response = api.post(f"/v1/{ORG}/products", content=body, headers={"content-type": "application/json"})

    assert "AccountNumber" in dinero_error(response, 400, 42)["validationErrors"]


def test_a_page_number_past_int32_is_a_validation_error(api: httpx.Client) -> None:
    response = api.get(CONTACTS, params={"page": str(2**31)})

    assert "page" in dinero_error(response, 400, 42)["validationErrors"]


# -- digits and text beyond ASCII and Latin-1 ---------------------------------------------


def test_a_superscript_digit_is_no_file_status(api: httpx.Client) -> None:
    response = api.get(f"/v1/{ORG}/files", params={"fileStatus": "²"})

    assert "fileStatus" in dinero_error(response, 400, 42)["validationErrors"]


def test_an_ean_ending_in_a_superscript_digit_is_invalid(api: httpx.Client) -> None:
    contact = customer(api, EanNumber=VALID_EAN[:12] + "²", AttPerson="Anna")
    guid = create_invoice(api, contact)["Guid"]
    book(api, f"{INVOICES}/{guid}")

    timestamp = api.get(f"{INVOICES}/{guid}").json()["TimeStamp"]

    response = post_json(api, f"/v3/{ORG}/invoices/{guid}/e-invoice", {"Timestamp": timestamp})

    dinero_error(response, 400, 57)


def test_a_changes_since_in_arabic_indic_digits_is_not_a_time(api: httpx.Client) -> None:
    response = api.get(CONTACTS, params={"changesSince": "٢٠٢٦-٠٣-٠٢"})

    dinero_error(response, 400, 42)


def test_a_document_described_in_non_latin_1_text_prints_with_its_name_in_rfc_5987(api: httpx.Client) -> None:
    guid = create_invoice(api, customer(api), Description="請求書 ߁߂߃")["Guid"]
    book(api, f"{INVOICES}/{guid}")

    response = api.get(f"{INVOICES}/{guid}", headers={"accept": "application/octet-stream"})

    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="')
    assert "filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8" in response.headers["content-disposition"]


def test_a_refusal_quotes_a_huge_value_cut(api: httpx.Client) -> None:
    response = api.get(CONTACTS, params={"changesSince": "x" * 10_000})

    message = dinero_error(response, 400, 42)["validationErrors"]["changesSince"]
    assert "(10000 characters)" in message
    assert len(message) < 200


# -- Visma Connect redirect URIs -----------------------------------------------------------


@pytest.mark.parametrize("sent", [REDIRECT_URI.upper(), REDIRECT_URI[:-1] + "\u212a"])
def test_a_redirect_uri_matches_a_registered_one_ignoring_case_as_dotnet_does(visma: httpx.Client, sent: str) -> None:
    response = authorize(visma, redirect_uri=sent)

    if sent == REDIRECT_URI.upper():
        assert response.headers["location"].startswith(sent + "?code=")
    else:  # the Kelvin sign is "k" only to Unicode case folding, not to .NET's OrdinalIgnoreCase
        assert response.status_code == 400


def test_a_registered_redirect_uri_beyond_latin_1_gets_its_code_percent_encoded(
    world: World, visma: httpx.Client
) -> None:
    uri = "https://app.example.dk/tilbage/回调"
    world.add_connect_client("isv_unicode", "secret", redirect_uris=(uri,))

    response = authorize(visma, client_id="isv_unicode", redirect_uri=uri)

    assert response.headers["location"].startswith("https://app.example.dk/tilbage/%E5%9B%9E%E8%B0%83?code=")


# -- the clock --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [{"set": "9999-12-31T23:59:59Z"}, {"set": "9998-12-31T23:59:59-14:00"}, {"freeze": True, "at": "9999-06-01"}],
)
def test_the_clock_is_not_set_past_the_dates_dinero_takes(api: httpx.Client, body: dict[str, object]) -> None:
    before = api.get(CLOCK).json()

    response = post_json(api, CLOCK, body)

    dinero_error(response, 400, 42)
    assert api.get(CLOCK).json() == before


def test_the_clock_does_not_advance_past_the_dates_dinero_takes_and_stays_where_it_was(api: httpx.Client) -> None:
    assert post_json(api, CLOCK, {"set": "9998-12-30T00:00:00Z"}).status_code == 200

    response = post_json(api, CLOCK, {"advance": 3 * 24 * 3600})

    assert "9999-01-02" in dinero_error(response, 400, 42)["validationErrors"]["advance"]
    assert api.get(CLOCK).json()["now"] == "9998-12-30T00:00:00"


def test_at_the_last_moment_the_clock_takes_the_api_still_answers(api: httpx.Client) -> None:
    assert post_json(api, CLOCK, {"set": f"{LATEST_DATE.isoformat()}T23:59:59Z"}).status_code == 200
    api.headers["Authorization"] = f"Bearer {get_token(api).json()['access_token']}"

    guid = create_invoice(api, customer(api))["Guid"]

    assert api.get(f"{INVOICES}/{guid}").json()["PaymentDate"] == "9999-01-08"
    for path in (INVOICES, f"/v1/{ORG}/sales", CONTACTS, f"/v1/{ORG}/accountingyears", "/_fake/journal"):
        check_answer(api.get(path), path)


# -- properties: every operation, every hostile input -------------------------------------


def test_no_operation_answers_a_hostile_call_with_a_server_error(
    api: httpx.Client, fake: FakeDinero, scene: Scene
) -> None:
    @settings(max_examples=1000, deadline=None, database=None)
    @given(call=hostile_calls(scene))
    def answers(call: HostileCall) -> None:
        fake.control.reset()
        check_answer(call.send(api), call)

    answers()


def test_what_an_edge_value_stores_can_always_be_listed_read_printed_and_booked(
    api: httpx.Client, fake: FakeDinero, scene: Scene
) -> None:
    @settings(max_examples=300, deadline=None, database=None)
    @given(creation=creations(scene))
    def stores(creation: Creation) -> None:
        fake.control.reset()
        created = post_json(api, creation.path, creation.body)
        check_answer(created, creation)
        if created.status_code == 200:
            for what, response in read_back(api, creation, created.json(), scene):
                check_answer(response, f"{creation!r}, then {what}")

    stores()
