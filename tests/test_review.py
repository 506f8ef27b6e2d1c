"""The integration review: a well-behaved integration gets a clean review, and each thing
Dinero's review objects to earns its finding, with the calls that show it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from fake_dinero import Clock, FakeDinero, Settings, World
from fake_dinero.inprocess import InProcessDinero
from fake_dinero.journal import Journal
from fake_dinero.review import CHECKS, Review, ReviewFailed, Thresholds, review
from fake_dinero.world import DEFAULT_CLIENT_ID

from . import review_clients as clients
from .review_clients import CONTACTS, LEDGER, Integration
from .support import ORG, START


@pytest.fixture
def door(fake: FakeDinero) -> Iterator[FakeDinero]:
    """The fake answering httpx calls to Dinero's hosts, as the clients make them."""
    with InProcessDinero(fake):
        yield fake


@pytest.fixture
def client(door: FakeDinero) -> Iterator[Integration]:
    integration = Integration(door)
    integration.login()
    yield integration
    integration.close()


def reviewed(fake: FakeDinero, **changes: float) -> Review:
    return review(list(fake.journal), Thresholds().replace(changes))


def test_a_well_behaved_integration_gets_a_clean_review(door: FakeDinero) -> None:
    clients.well_behaved(door)
    result = reviewed(door)
    assert result.clean, str(result)
    assert result.calls == len(door.journal) > 10
    result.assert_clean()


@pytest.mark.parametrize("finding_id", list(clients.MISBEHAVIOURS))
def test_each_misbehaviour_earns_its_finding_with_evidence(door: FakeDinero, finding_id: str) -> None:
    clients.misbehave(door, clients.MISBEHAVIOURS[finding_id])
    [found, *_] = reviewed(door).found(finding_id)
    assert found.evidence and found.count >= 1
    assert all(item.at >= START for item in found.evidence)
    assert found.check.why and found.check.fix


def test_the_badly_behaved_integration_gets_every_finding(door: FakeDinero) -> None:
    clients.misbehave(door)
    result = reviewed(door)
    assert set(result.ids) == {check.id for check in CHECKS}
    with pytest.raises(ReviewFailed, match="rate.429-hammered"):
        result.assert_clean()


def test_a_review_of_the_journal_documents_equals_the_review_of_its_entries(door: FakeDinero) -> None:
    clients.misbehave(door)
    documents = json.loads(json.dumps([entry.to_document() for entry in door.journal]))
    assert review(documents).to_json() == reviewed(door).to_json()


# -- rate --------------------------------------------------------------------------


def test_calling_again_at_once_after_a_429_is_hammering(door: FakeDinero, client: Integration) -> None:
    clients.bad_hammering(client)
    [found] = reviewed(door).found("rate.429-hammered")
    assert found.level == "error"
    assert found.evidence[0].note.startswith("0 s after the 429")
    assert "which asked for 60 s" in found.evidence[0].note


def test_waiting_out_retry_after_is_no_finding_and_a_fault_429_is_not_exhaustion(
    door: FakeDinero, client: Integration
) -> None:
    door.faults.rate_limit(path=f"{CONTACTS}*", times=1)
    client.send("GET", CONTACTS)
    client.wait(60)
    client.send("GET", CONTACTS)
    assert reviewed(door).clean


def test_the_limiter_429_is_the_rate_limit_reached(door: FakeDinero, client: Integration) -> None:
    clients.bad_burst(client)
    [found] = reviewed(door).found("rate.429-received")
    assert found.count == 6
    assert (found.organization_id, found.client_id) == (ORG, DEFAULT_CLIENT_ID)


def test_a_burst_counts_even_where_the_fakes_limit_is_off() -> None:
    fake = FakeDinero(World.with_demo(seed=7, clock=Clock(START), settings=Settings(rate_limit=None)))
    with InProcessDinero(fake):
        clients.misbehave(fake, lambda client: clients.bad_burst(client, calls=119))
    result = reviewed(fake)
    [found] = result.found("rate.burst-over-limit")
    assert found.count == 120 and "call 101 within 60 s" in found.evidence[1].note
    assert "rate.429-received" not in result


def test_a_hundred_calls_a_minute_is_no_burst(door: FakeDinero, client: Integration) -> None:
    for _ in range(100):
        client.send("GET", f"/v1/{ORG}/vatTypes")
        client.wait(0.6)
    assert "rate.burst-over-limit" not in reviewed(door, polling_repeats=1000)
    assert "rate.burst-over-limit" in reviewed(door, polling_repeats=1000, rate_limit=99)


# -- errors and logins ---------------------------------------------------------------


def test_a_success_breaks_a_run_of_refusals(door: FakeDinero, client: Integration) -> None:
    for number in range(8):
        if number == 4:
            client.contact("Rigtig Kunde")
        client.send("POST", CONTACTS, json={"CountryKey": "DK", "Email": f"x{number}@example.dk"})
    assert "errors.storm" not in reviewed(door)
    assert "errors.storm" in reviewed(door, error_run=4)


def test_a_refused_request_sent_again_fixed_is_not_a_repeat(door: FakeDinero, client: Integration) -> None:
    client.send("POST", CONTACTS, json={"CountryKey": "DK"})
    client.send("POST", CONTACTS, json={"CountryKey": "DK", "Name": "Nu Med Navn"})
    assert reviewed(door).clean


def test_one_login_an_hour_for_a_day_is_no_finding(door: FakeDinero) -> None:
    client = Integration(door)
    for _ in range(24):
        client.login()
        client.send("GET", f"/v1/{ORG}/accountingyears")
        client.wait(3500)
    assert reviewed(door).clean


def test_logging_in_before_every_call_is_a_finding_with_its_token_calls(door: FakeDinero, client: Integration) -> None:
    clients.bad_logins(client)
    [found] = reviewed(door).found("auth.login-per-call")
    assert found.count == 5
    assert all("/dineroapi/oauth/token" in item.call for item in found.evidence)


def test_logging_in_after_a_401_before_calling_again_is_no_finding(door: FakeDinero, client: Integration) -> None:
    client.wait(3601)
    client.send("GET", f"/v1/{ORG}/vatTypes")
    client.login()
    client.send("GET", f"/v1/{ORG}/vatTypes")
    assert "auth.401-not-refreshed" not in reviewed(door)


# -- syncs ----------------------------------------------------------------------


def test_two_full_reads_are_allowed_and_the_third_is_a_finding(door: FakeDinero, client: Integration) -> None:
    for _ in range(2):
        client.send("GET", CONTACTS, params={"pageSize": 1000})
        client.send("GET", CONTACTS, params={"pageSize": 1000, "queryFilter": "Name eq 'Kunde'"})
        client.wait(900)
    assert reviewed(door).clean
    client.send("GET", CONTACTS, params={"pageSize": 1000})
    [found] = reviewed(door).found("sync.full-reread")
    assert found.count == 3


def test_single_invoices_after_their_list_are_no_n_plus_one_as_lines_are_not_in_fields(
    door: FakeDinero, client: Integration
) -> None:
    guids = [client.invoice()["Guid"] for _ in range(3)]
    client.send("GET", f"/v1/{ORG}/invoices", params={"pageSize": 1000})
    for guid in guids:
        client.send("GET", f"/v1/{ORG}/invoices/{guid}")
    assert "sync.n-plus-one" not in reviewed(door)


def test_the_same_answer_now_and_then_is_not_polling(door: FakeDinero, client: Integration) -> None:
    for _ in range(6):
        client.send("GET", f"/v1/{ORG}/vatTypes")
        client.wait(3000)
        client.login()
    assert reviewed(door).clean


# -- books -----------------------------------------------------------------------


def test_a_file_bound_to_an_invoice_or_given_to_a_ledger_item_is_used(door: FakeDinero, client: Integration) -> None:
    bound, booked = client.upload("bilag-1.pdf"), client.upload("bilag-2.pdf")
    invoice = client.invoice()
    client.ok("POST", f"/v1/{ORG}/attachments/{invoice['Guid']}/{bound}/bilag-1.pdf")
    client.ok("POST", LEDGER, json=[{"FileGuid": booked, "Lines": [{
        "Description": "Salg", "Amount": 100, "AccountNumber": 55000, "BalancingAccountNumber": 1000}]}])
    assert "files.never-used" not in reviewed(door)


def test_two_accepted_ledger_posts_half_a_second_apart_are_a_warning(door: FakeDinero, client: Integration) -> None:
    item = {"Lines": [{"Description": "Salg", "Amount": 100, "AccountNumber": 55000, "BalancingAccountNumber": 1000}]}
    client.ok("POST", LEDGER, json=[item])
    client.wait(0.5)
    client.ok("POST", LEDGER, json=[item])
    [found] = reviewed(door).found("ledger.concurrent-posts")
    assert found.level == "warning" and found.evidence[0].note.startswith("0.5 s after")


def test_code_70_makes_concurrent_ledger_posts_an_error(door: FakeDinero, client: Integration) -> None:
    clients.bad_concurrent_ledger(client)
    [found] = reviewed(door).found("ledger.concurrent-posts")
    assert found.level == "error" and "(code 70)" in found.evidence[0].call


def test_a_cash_sale_as_a_manual_voucher_with_a_file_is_no_expense_hint(door: FakeDinero, client: Integration) -> None:
    receipt = client.upload("kasse.pdf")
    client.ok("POST", f"/v1/{ORG}/vouchers/manuel", json={"FileGuid": receipt, "Lines": [
        {"Description": "Salg", "Amount": 100, "AccountNumber": 55000, "BalancingAccountNumber": 1000,
         "BalancingAccountVatCode": "U25"}]})
    assert reviewed(door).clean


def test_an_invoice_sent_from_dinero_and_paid_at_once_is_no_own_invoice_hint(
    door: FakeDinero, client: Integration
) -> None:
    clients.bad_own_invoice(client)
    [booked] = [entry for entry in door.journal if entry.path.endswith("/book")]
    client.ok("POST", booked.path.removesuffix("/book") + "/email", json={})
    assert "booking.own-invoice-as-dinero-invoice" not in reviewed(door)


def test_heuristics_say_so_and_are_hints(door: FakeDinero) -> None:
    clients.misbehave(door, clients.bad_expense_voucher, clients.bad_own_invoice)
    result = reviewed(door)
    hints = [finding for finding in result.findings if finding.check.heuristic]
    assert {finding.id for finding in hints} == {"booking.expense-as-manual-voucher",
                                                 "booking.own-invoice-as-dinero-invoice"}
    assert all(finding.level == "info" and "(heuristic)" in finding.check.title for finding in hints)
    result.assert_clean(fail_on="warning")


# -- operations ------------------------------------------------------------------


def test_an_unknown_operation_names_the_one_meant(door: FakeDinero, client: Integration) -> None:
    clients.bad_unknown_operation(client)
    [found] = reviewed(door).found("api.unknown-operation")
    assert "did you mean GET /v1/{organizationId}/invoices?" in found.summary


def test_a_brownout_makes_a_deprecated_operation_an_error_naming_its_successor(
    door: FakeDinero, client: Integration
) -> None:
    guid = client.contact()
    door.faults.brownout(path=f"{CONTACTS}/*", method="PUT")
    client.send("PUT", f"{CONTACTS}/{guid}", json={"Name": "Kunde", "CountryKey": "DK"})
    [found] = reviewed(door).found("api.deprecated-operation")
    assert found.level == "error"
    assert "480 Brownout" in found.summary and "PUT /v2/{organizationId}/contacts/{guid}" in found.summary


# -- the review itself -------------------------------------------------------------


def test_evidence_is_cut_to_max_evidence_and_the_rest_counted(door: FakeDinero, client: Integration) -> None:
    clients.bad_error_storm(client)
    [found] = reviewed(door, max_evidence=2).found("errors.storm")
    assert (len(found.evidence), found.omitted, found.count) == (2, 4, 6)


def test_the_review_says_how_many_calls_the_journal_had_let_go(door: FakeDinero) -> None:
    door.journal = Journal(max_entries=5)
    clients.well_behaved(door)
    result = review(door.journal)
    assert result.calls == 5 and result.dropped == len(door.journal) - 5
    assert "let" in str(result) and "max_entries" in str(result)


def test_thresholds_take_camel_or_snake_names_and_refuse_unknown_ones() -> None:
    assert Thresholds().replace({"rateLimit": "60", "error_run": 3}) == Thresholds(rate_limit=60, error_run=3)
    with pytest.raises(ValueError, match="'rateLimits' is not a threshold; use one of: rate_limit"):
        Thresholds().replace({"rateLimits": 60})
    with pytest.raises(ValueError, match="errorRun: -1 is not a number of 0 or more"):
        Thresholds().replace({"errorRun": -1})
