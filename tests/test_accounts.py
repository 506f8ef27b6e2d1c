"""The chart of accounts, deposit accounts, accounting years and VAT types (reference §4.1-4.2, §5.3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx
import pytest

from fake_dinero import World
from fake_dinero.domain import chart, ledger
from fake_dinero.domain.ledger import Posting, Voucher

from .accounts_calls import (
    ACCOUNTING_YEARS,
    DEPOSIT_ACCOUNTS,
    ENTRY_ACCOUNTS,
    PURCHASE_ACCOUNTS,
    VAT_TYPES,
    by_number,
    create_deposit_account,
    create_entry_account,
    listed,
)
from .support import ORG, dinero_error

# -- listing entry accounts -----------------------------------------------------------


def test_entry_accounts_list_every_account_by_number_with_number_name_and_hidden(api: httpx.Client) -> None:
    accounts = listed(api, ENTRY_ACCOUNTS)
    numbers = [account["AccountNumber"] for account in accounts]
    assert numbers == sorted(numbers)
    assert accounts[0] == {"AccountNumber": 1000, "Name": "Salg af varer/ydelser m/moms", "IsHidden": False}
    assert all(list(account) == ["AccountNumber", "Name", "IsHidden"] for account in accounts)


def test_entry_accounts_include_the_deposit_accounts(api: httpx.Client) -> None:
    accounts = by_number(listed(api, ENTRY_ACCOUNTS))
    assert accounts[55000] == {"AccountNumber": 55000, "Name": "Bank", "IsHidden": False}
    assert 99999 in accounts


def test_entry_account_fields_echo_the_callers_casing_in_the_callers_order(api: httpx.Client) -> None:
    accounts = listed(api, ENTRY_ACCOUNTS, fields="VATCODE,accountNumber,categoryName")
    account = next(account for account in accounts if account["accountNumber"] == 2000)
    assert list(account) == ["VATCODE", "accountNumber", "categoryName"]
    assert account == {"VATCODE": "I25", "accountNumber": 2000, "categoryName": "Variable omkostninger"}


def test_entry_account_fields_leave_out_names_the_account_does_not_have(api: httpx.Client) -> None:
    accounts = listed(api, ENTRY_ACCOUNTS, fields="AccountNumber,Colour")
    assert accounts[0] == {"AccountNumber": 1000}


def test_entry_account_fields_can_name_every_read_model_property(api: httpx.Client) -> None:
    every = "AccountNumber,PublicStandardNumber,Name,VatCode,Category,CategoryName,IsHidden,IsDefaultSalesAccount"
    account = listed(api, ENTRY_ACCOUNTS, fields=every)[0]
    assert account == {
        "AccountNumber": 1000,
        "PublicStandardNumber": 1010,
        "Name": "Salg af varer/ydelser m/moms",
        "VatCode": "U25",
        "Category": "Turnover",
        "CategoryName": "Omsætning",
        "IsHidden": False,
        "IsDefaultSalesAccount": True,
    }


def test_hidden_accounts_are_listed_for_clients_to_filter(api: httpx.Client, world: World) -> None:
    table = world.organizations[ORG].table(chart.ENTRY_ACCOUNTS)
    row = table.get("1550")
    assert row is not None
    table.update(row, row.data.model_copy(update={"IsHidden": True}))
    assert by_number(listed(api, ENTRY_ACCOUNTS))[1550]["IsHidden"] is True


# -- categoryFilter ---------------------------------------------------------------------


def test_category_filter_keeps_the_accounts_of_that_category_in_any_casing(api: httpx.Client) -> None:
    accounts = listed(api, ENTRY_ACCOUNTS, categoryFilter="variable EXPENSES", fields="AccountNumber,Category")
    assert [account["AccountNumber"] for account in accounts] == [2000, 2050, 2100, 2150, 2200, 2250, 2400, 2450, 2800]
    assert {account["Category"] for account in accounts} == {"Variable Expenses"}


def test_category_filter_finds_deposit_accounts_among_liquid_assets(api: httpx.Client) -> None:
    accounts = listed(api, ENTRY_ACCOUNTS, categoryFilter="Liquid Assets")
    assert [account["AccountNumber"] for account in accounts] == [55000, 55010, 55020, 55040]


def test_an_empty_category_filter_lists_every_account(api: httpx.Client) -> None:
    assert listed(api, ENTRY_ACCOUNTS, categoryFilter="") == listed(api, ENTRY_ACCOUNTS)


def test_an_unknown_category_filter_is_refused_naming_the_categories(api: httpx.Client) -> None:
    response = api.get(ENTRY_ACCOUNTS, params={"categoryFilter": "Turnips"})
    message = dinero_error(response, 400, 42)["validationErrors"]["categoryFilter"]
    assert "'Turnips'" in message
    assert "Turnover" in message and "Liquid Assets" in message and "IntangibleProperty" in message


# -- purchase and deposit accounts ------------------------------------------------------


def test_purchase_accounts_are_the_accounts_from_2000_to_9399(api: httpx.Client) -> None:
    numbers = [account["AccountNumber"] for account in listed(api, PURCHASE_ACCOUNTS)]
    assert numbers[0] == 2000 and numbers[-1] == 9220
    assert numbers == sorted(numbers)
    assert all(2000 <= number <= 9399 for number in numbers)
    assert 1550 not in numbers and 9400 not in numbers


def test_purchase_accounts_default_to_number_name_vat_and_category(api: httpx.Client) -> None:
    account = by_number(listed(api, PURCHASE_ACCOUNTS))[4120]
    assert account == {
        "AccountNumber": 4120,
        "Name": account["Name"],
        "VatCode": "REP",
        "Category": "Sales Expenses",
        "CategoryName": "Salgsomkostninger",
        "IsHidden": False,
    }
    assert list(account) == ["AccountNumber", "Name", "VatCode", "Category", "CategoryName", "IsHidden"]


def test_deposit_accounts_list_number_and_name_by_number(api: httpx.Client) -> None:
    assert listed(api, DEPOSIT_ACCOUNTS) == [
        {"AccountNumber": 55000, "Name": "Bank"},
        {"AccountNumber": 55010, "Name": "Opsparing"},
        {"AccountNumber": 55020, "Name": "MobilePay"},
        {"AccountNumber": 55040, "Name": "Kontanter (kasse)"},
    ]


def test_deposit_account_fields_show_the_default_and_the_bank_details(api: httpx.Client) -> None:
    bank = listed(api, DEPOSIT_ACCOUNTS, fields="accountNumber,isDefault,BankIbanNumber")[0]
    assert bank == {"accountNumber": 55000, "isDefault": True, "BankIbanNumber": "DK3934090012345678"}


# -- creating entry accounts ------------------------------------------------------------


def test_creating_an_entry_account_answers_200_with_an_empty_body(api: httpx.Client) -> None:
    response = api.post(ENTRY_ACCOUNTS, json={"Number": 1010, "Name": "Salg af specialvarer", "VatCode": "U25"})
    assert response.status_code == 200
    assert response.content == b""


def test_a_created_entry_account_is_listed_with_the_category_of_the_account_below_it(api: httpx.Client) -> None:
    create_entry_account(api, 1010, "Salg af specialvarer", "U25")
    account = by_number(listed(api, ENTRY_ACCOUNTS, fields="AccountNumber,Name,VatCode,Category,CategoryName"))[1010]
    assert account == {
        "AccountNumber": 1010,
        "Name": "Salg af specialvarer",
        "VatCode": "U25",
        "Category": "Turnover",
        "CategoryName": "Omsætning",
    }


def test_a_created_account_in_the_purchase_range_is_a_purchase_account(api: httpx.Client) -> None:
    create_entry_account(api, 2010, "Køb af specialvarer", "I25")
    assert by_number(listed(api, PURCHASE_ACCOUNTS))[2010]["Category"] == "Variable Expenses"


def test_an_account_binds_case_insensitively_and_keeps_the_vat_codes_own_casing(api: httpx.Client) -> None:
    response = api.post(ENTRY_ACCOUNTS, json={"number": "1010", "name": "Salg", "vatCode": "u25"})
    assert response.status_code == 200, response.text
    assert by_number(listed(api, ENTRY_ACCOUNTS, fields="AccountNumber,VatCode"))[1010]["VatCode"] == "U25"


def test_an_account_created_with_vat_code_none_has_no_vat_code(api: httpx.Client) -> None:
    create_entry_account(api, 1060, "Salg uden moms", "none")
    assert by_number(listed(api, ENTRY_ACCOUNTS, fields="AccountNumber,VatCode"))[1060]["VatCode"] is None


def test_a_taken_account_number_is_refused(api: httpx.Client) -> None:
    response = api.post(ENTRY_ACCOUNTS, json={"Number": 1000, "Name": "Dobbelt", "VatCode": "U25"})
    assert "1000 exists already" in dinero_error(response, 400, 42)["validationErrors"]["Number"]


def test_the_number_of_a_deposit_account_is_taken_for_entry_accounts(api: httpx.Client) -> None:
    response = api.post(ENTRY_ACCOUNTS, json={"Number": 55000, "Name": "Bank igen", "VatCode": "none"})
    assert "55000 exists already" in dinero_error(response, 400, 42)["validationErrors"]["Number"]


def test_an_entry_account_in_the_deposit_range_is_refused(api: httpx.Client) -> None:
    response = api.post(ENTRY_ACCOUNTS, json={"Number": 55500, "Name": "Kasse 2", "VatCode": "none"})
    assert "deposit account" in dinero_error(response, 400, 42)["validationErrors"]["Number"]
    assert 55500 not in by_number(listed(api, ENTRY_ACCOUNTS))


def test_an_unknown_vat_code_is_refused_naming_the_codes(api: httpx.Client) -> None:
    response = api.post(ENTRY_ACCOUNTS, json={"Number": 1010, "Name": "Salg", "VatCode": "U99"})
    message = dinero_error(response, 400, 42)["validationErrors"]["VatCode"]
    assert "'U99'" in message and "U25" in message and "I25" in message


@pytest.mark.parametrize("body", [{"Number": 1010, "VatCode": "U25"}, {"Number": 1010, "Name": "", "VatCode": "U25"}])
def test_an_entry_account_needs_a_name(api: httpx.Client, body: dict) -> None:
    assert "Name" in dinero_error(api.post(ENTRY_ACCOUNTS, json=body), 400, 42)["validationErrors"]


def test_an_entry_account_needs_a_vat_code(api: httpx.Client) -> None:
    response = api.post(ENTRY_ACCOUNTS, json={"Number": 1010, "Name": "Salg"})
    assert "VatCode" in dinero_error(response, 400, 42)["validationErrors"]


def test_an_entry_account_needs_a_number(api: httpx.Client) -> None:
    response = api.post(ENTRY_ACCOUNTS, json={"Name": "Salg", "VatCode": "U25"})
    assert "Number" in dinero_error(response, 400, 42)["validationErrors"]


# -- creating deposit accounts ----------------------------------------------------------


def test_a_created_deposit_account_is_listed_with_its_bank_details(api: httpx.Client) -> None:
    create_deposit_account(
        api, 55100, "Erhvervskonto", RegistrationNumber="9999", AccountNumber="1234567890",
        SwiftNumber="AAAABBCC123", IbanNumber="DK5099991234567890",
    )
    every = (
        "AccountNumber,Name,IsDefault,IsHidden,BankRegistrationNumber,BankAccountNumber,BankSwiftNumber,BankIbanNumber"
    )
    assert by_number(listed(api, DEPOSIT_ACCOUNTS, fields=every))[55100] == {
        "AccountNumber": 55100,
        "Name": "Erhvervskonto",
        "IsDefault": False,
        "IsHidden": False,
        "BankRegistrationNumber": "9999",
        "BankAccountNumber": "1234567890",
        "BankSwiftNumber": "AAAABBCC123",
        "BankIbanNumber": "DK5099991234567890",
    }


def test_creating_a_deposit_account_answers_200_with_an_empty_body(api: httpx.Client) -> None:
    response = api.post(DEPOSIT_ACCOUNTS, json={"Number": 55100, "Name": "Stripe"})
    assert response.status_code == 200
    assert response.content == b""


def test_a_created_deposit_account_shows_among_entry_accounts_as_a_liquid_asset(api: httpx.Client) -> None:
    create_deposit_account(api, 55100, "Stripe")
    accounts = by_number(listed(api, ENTRY_ACCOUNTS, fields="AccountNumber,Name,Category"))
    assert accounts[55100] == {"AccountNumber": 55100, "Name": "Stripe", "Category": "Liquid Assets"}


@pytest.mark.parametrize("number", [54999, 56000, 1010])
def test_a_deposit_account_outside_55000_to_55999_is_refused(api: httpx.Client, number: int) -> None:
    response = api.post(DEPOSIT_ACCOUNTS, json={"Number": number, "Name": "Stripe"})
    assert "between 55000 and 55999" in dinero_error(response, 400, 42)["validationErrors"]["Number"]


def test_a_taken_deposit_account_number_is_refused(api: httpx.Client) -> None:
    response = api.post(DEPOSIT_ACCOUNTS, json={"Number": 55010, "Name": "Opsparing 2"})
    assert "55010 exists already" in dinero_error(response, 400, 42)["validationErrors"]["Number"]


def test_a_deposit_account_needs_a_name(api: httpx.Client) -> None:
    response = api.post(DEPOSIT_ACCOUNTS, json={"Number": 55100})
    assert "Name" in dinero_error(response, 400, 42)["validationErrors"]


# -- created accounts in the books --------------------------------------------------------


def _book(world: World, debit: int, credit: int, amount: str) -> list[int]:
    """Post a balanced two-line voucher through the one booking path; the accounts booked."""
    organization = world.organizations[ORG]
    voucher = Voucher(world.new_guid(), "Manual", date(2026, 3, 2))
    rows = ledger.post(organization, voucher, [Posting(debit, Decimal(amount)), Posting(credit, -Decimal(amount))])
    return [row.data.AccountNumber for row in rows]


def test_a_created_entry_account_can_be_booked_on(api: httpx.Client, world: World) -> None:
    create_entry_account(api, 1010, "Salg af specialvarer", "U25")
    assert _book(world, 55000, 1010, "100.00") == [55000, 1010]


def test_a_created_deposit_account_can_be_booked_on(api: httpx.Client, world: World) -> None:
    create_deposit_account(api, 55100, "Stripe")
    assert _book(world, 55100, 1000, "250.00") == [55100, 1000]


# -- accounting years and VAT types ---------------------------------------------------------


def test_the_demo_organization_has_the_accounting_years_2025_and_2026(api: httpx.Client) -> None:
    assert listed(api, ACCOUNTING_YEARS) == [
        {"Name": "2025", "FromDate": "2025-01-01", "ToDate": "2025-12-31", "SalarySumTaxStateEnum": "None"},
        {"Name": "2026", "FromDate": "2026-01-01", "ToDate": "2026-12-31", "SalarySumTaxStateEnum": "None"},
    ]


def test_booking_in_the_year_after_the_last_adds_that_accounting_year(api: httpx.Client, world: World) -> None:
    voucher = Voucher(world.new_guid(), "Manual", date(2027, 1, 5))
    ledger.post(world.organizations[ORG], voucher, [Posting(55000, Decimal(10)), Posting(1000, Decimal(-10))])
    assert [year["Name"] for year in listed(api, ACCOUNTING_YEARS)] == ["2025", "2026", "2027"]


def test_vat_types_carry_their_rates_as_fractions(api: httpx.Client) -> None:
    vat_types = {vat["VatCode"]: vat for vat in listed(api, VAT_TYPES)}
    assert vat_types["U25"] == {"VatCode": "U25", "Name": "Dansk salgsmoms", "VatRate": 0.25}
    assert vat_types["REP"]["VatRate"] == 0.0625
    assert vat_types["UEUV"]["VatRate"] == 0


def test_vat_types_answer_at_the_paths_own_casing_and_lower_case(api: httpx.Client) -> None:
    assert listed(api, f"/v1/{ORG}/vattypes") == listed(api, VAT_TYPES)
