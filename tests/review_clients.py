"""Small example integrations for the review's tests: one that behaves as Dinero asks, and
one misbehaviour per finding, each run in-process against a fake with the fake's clock
moved as the client's real timing would move it.

``Integration`` is an httpx client of Dinero's hosts (answered by ``InProcessDinero``) that
keeps its token and its sense of time on the fake's clock. ``WellBehaved`` pages with
pageSize 1000, syncs with changesSince, logs in once per token lifetime, waits out
Retry-After and attaches every file it uploads. The ``bad_*`` functions each do one thing
Dinero's review would object to; ``misbehave`` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx

from fake_dinero import FakeDinero
from fake_dinero.world import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

from .file_calls import PDF
from .support import BASE_URL, ORG

TOKEN_URL = "https://authz.dinero.dk/dineroapi/oauth/token"
CONTACTS = f"/v1/{ORG}/contacts"
FILES = f"/v1/{ORG}/files"
LEDGER = f"/v1.2/{ORG}/ledgeritems"
BANK, GOODS, SALES = 55000, 2000, 1000
REFRESH_MARGIN = 300
"""Seconds before a token's expiry at which a careful client logs in again."""


class Integration:
    """An integration's HTTP client: its token, and time as the fake's clock tells it."""

    def __init__(self, fake: FakeDinero) -> None:
        self.fake = fake
        self.http = httpx.Client(base_url=BASE_URL)
        self.expires: datetime | None = None

    def close(self) -> None:
        self.http.close()

    def now(self) -> datetime:
        return self.fake.world.clock.now()

    def wait(self, seconds: float) -> None:
        """Time passing for the client: the fake's clock moves, nothing sleeps."""
        self.fake.control.advance(seconds)

    def login(self) -> None:
        form = {"grant_type": "password", "username": DEFAULT_API_KEY, "password": DEFAULT_API_KEY,
                "scope": "read write"}
        answer = self.http.post(TOKEN_URL, data=form, auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET))
        assert answer.status_code == 200, answer.text
        token = answer.json()
        self.http.headers["Authorization"] = f"Bearer {token['access_token']}"
        self.expires = self.now() + timedelta(seconds=token["expires_in"])

    def send(self, method: str, path: str, **options: Any) -> httpx.Response:
        """One call, as it is: no login, no retry."""
        return self.http.request(method, path, **options)

    def ok(self, method: str, path: str, **options: Any) -> Any:
        answer = self.send(method, path, **options)
        assert answer.status_code == 200, f"{method} {path}: {answer.status_code} {answer.text}"
        return answer.json() if answer.content else None

    def upload(self, name: str = "bilag.pdf") -> str:
        return str(self.ok("POST", FILES, files={"file": (name, PDF)})["FileGuid"])

    def contact(self, name: str = "Kunde A/S") -> str:
        return str(self.ok("POST", CONTACTS, json={"Name": name, "CountryKey": "DK", "IsPerson": False,
                                                   "Email": "kunde@example.dk"})["ContactGuid"])

    def invoice(self, **fields: Any) -> dict[str, Any]:
        """A draft invoice of 400 DKK + VAT to a new customer: ``{"Guid", "TimeStamp"}``."""
        body = {"ContactGuid": self.contact(), "ProductLines": [
            {"Description": "Vare", "Quantity": 1, "Unit": "parts", "AccountNumber": SALES, "BaseAmountValue": 400}
        ], **fields}
        return dict(self.ok("POST", f"/v1/{ORG}/invoices", json=body))


class WellBehaved(Integration):
    """Everything Dinero's best practice asks, on a believable timetable."""

    def __init__(self, fake: FakeDinero) -> None:
        super().__init__(fake)
        self.cursors: dict[str, datetime] = {}

    def request(self, method: str, path: str, **options: Any) -> httpx.Response:
        """A call with a token that is still good; after a 429 it waits Retry-After, after a
        401 it logs in, and tries once more."""
        if self.expires is None or (self.expires - self.now()).total_seconds() < REFRESH_MARGIN:
            self.login()
        answer = self.send(method, path, **options)
        if answer.status_code == 429:
            self.wait(float(answer.headers.get("retry-after", "60")))
            answer = self.send(method, path, **options)
        elif answer.status_code == 401:
            self.login()
            answer = self.send(method, path, **options)
        return answer

    def sync(self, path: str) -> list[dict[str, Any]]:
        """Every item changed since the last sync (everything the first time), 1000 a page."""
        started = self.now()
        params: dict[str, Any] = {"pageSize": 1000, "fields": "Name,ContactGuid,Email"}
        if path in self.cursors:
            params["changesSince"] = self.cursors[path].strftime("%Y-%m-%dT%H:%M:%SZ")
        items: list[dict[str, Any]] = []
        for page in range(100):
            answer = self.request("GET", path, params={**params, "page": page})
            assert answer.status_code == 200, answer.text
            document = answer.json()
            items += document["Collection"]
            if len(document["Collection"]) < params["pageSize"]:
                break
        self.cursors[path] = started
        return items

    def run(self) -> None:
        self.fake.control.seed(contacts=1200)
        self.wait(1)
        self.sync(CONTACTS)  # two pages of 1000: the first full sync
        self.wait(2)

        receipt = self.upload("kvittering.pdf")
        self.wait(1)
        voucher = self.request("POST", f"/v1.2/{ORG}/vouchers/purchase", json={
            "PurchaseType": "cash", "DepositAccountNumber": BANK, "VoucherDate": "2026-03-01", "FileGuid": receipt,
            "Lines": [{"Description": "Kontorartikler", "Amount": 1250, "AccountNumber": GOODS}],
        })
        assert voucher.status_code == 200, voucher.text

        self.wait(2)
        items = [{"Lines": [{"Description": f"Kontantsalg {day}", "Amount": 800, "AccountNumber": BANK,
                             "BalancingAccountNumber": SALES, "BalancingAccountVatCode": "U25"}],
                  "VoucherDate": f"2026-03-0{day}"} for day in (1, 2)]
        posted = self.request("POST", LEDGER, json=items)
        assert posted.status_code == 200, posted.text

        self.wait(300)
        self.contact("Ny Kunde ApS")
        self.wait(60)
        assert [item["Name"] for item in self.sync(CONTACTS)] == ["Ny Kunde ApS"]

        self.fake.faults.rate_limit(path=f"{CONTACTS}*", times=1)  # Dinero busy: one 429
        self.wait(300)
        self.sync(CONTACTS)

        self.wait(3600)  # an hour on: the token is old, so the next call logs in first
        self.sync(CONTACTS)


def well_behaved(fake: FakeDinero) -> None:
    client = WellBehaved(fake)
    try:
        client.run()
    finally:
        client.close()


# -- misbehaviour, one finding each ------------------------------------------------


def bad_hammering(client: Integration) -> None:
    """rate.429-hammered: after a 429 it calls again at once, ignoring Retry-After."""
    client.fake.faults.rate_limit(path=f"{CONTACTS}*", times=1)
    client.send("GET", CONTACTS)
    client.send("GET", CONTACTS)


def bad_burst(client: Integration, calls: int = 105) -> None:
    """rate.burst-over-limit and rate.429-received: more than 100 calls within a minute."""
    guid = client.contact("Travl Kunde")
    for _ in range(calls):
        client.wait(0.5)
        client.send("GET", f"{CONTACTS}/{guid}")


def bad_error_storm(client: Integration) -> None:
    """errors.storm: six invalid contacts in a row, each different, each refused."""
    for number in range(6):
        client.send("POST", CONTACTS, json={"CountryKey": "DK", "Email": f"uden-navn-{number}@example.dk"})
        client.wait(1)


def bad_repeats(client: Integration) -> None:
    """errors.repeated-request: the same refused body sent twice."""
    for _ in range(2):
        client.send("POST", CONTACTS, json={"CountryKey": "DK"})
        client.wait(1)


def bad_logins(client: Integration) -> None:
    """auth.login-per-call: a login before every call."""
    for _ in range(4):
        client.login()
        client.send("GET", f"/v1/{ORG}/accountingyears")
        client.wait(10)


def bad_expired_token(client: Integration) -> None:
    """auth.401-not-refreshed: the token runs out and it calls on with it."""
    client.wait(3601)
    client.send("GET", f"/v1/{ORG}/vatTypes")
    client.wait(1)
    client.send("GET", f"/v1/{ORG}/vatTypes")


def bad_full_rereads(client: Integration) -> None:
    """sync.full-reread: the whole contact list, three times, never changesSince."""
    for _ in range(3):
        client.send("GET", CONTACTS, params={"pageSize": 1000})
        client.wait(900)


def bad_small_pages(client: Integration) -> None:
    """sync.small-pages: 30 contacts read 10 at a time."""
    client.fake.control.seed(contacts=30)
    for page in range(3):
        client.send("GET", CONTACTS, params={"page": page, "pageSize": 10, "changesSince": "2026-03-01T00:00:00Z"})


def bad_n_plus_one(client: Integration) -> None:
    """sync.n-plus-one: a list of contacts, then a GET of each one it held."""
    for number in range(3):
        client.contact(f"Kunde {number}")
    listed = client.send("GET", CONTACTS, params={"pageSize": 1000, "changesSince": "2026-03-01T00:00:00Z"})
    for item in listed.json()["Collection"][:3]:
        client.send("GET", f"{CONTACTS}/{item['contactGuid']}")


def bad_polling(client: Integration) -> None:
    """sync.polling: the same contact every 30 seconds, unchanged."""
    guid = client.contact("Stille Kunde")
    for _ in range(6):
        client.wait(30)
        client.send("GET", f"{CONTACTS}/{guid}")


def bad_filter(client: Integration) -> None:
    """query.unsupported-filter: changesSince and paging on the chart, which takes neither."""
    client.send("GET", f"/v1/{ORG}/accounts/entry", params={"changesSince": "2026-03-01T00:00:00Z", "page": 0})


def bad_unused_file(client: Integration) -> None:
    """files.never-used: an upload nothing ever refers to."""
    client.upload("glemt.pdf")


def bad_concurrent_ledger(client: Integration) -> None:
    """ledger.concurrent-posts: two posts at one instant, the second refused (code 70)."""
    item = {"Lines": [{"Description": "Salg", "Amount": 100, "AccountNumber": BANK,
                       "BalancingAccountNumber": SALES, "BalancingAccountVatCode": "U25"}]}
    client.send("POST", LEDGER, json=[item])
    client.send("POST", LEDGER, json=[item])


def bad_expense_voucher(client: Integration) -> None:
    """booking.expense-as-manual-voucher: a bill booked as a manual voucher with its file."""
    receipt = client.upload("regning.pdf")
    client.ok("POST", f"/v1/{ORG}/vouchers/manuel", json={
        "VoucherDate": "2026-03-01", "FileGuid": receipt,
        "Lines": [{"Description": "Kontorartikler", "Amount": 500, "AccountNumber": GOODS,
                   "BalancingAccountNumber": BANK, "AccountVatCode": "I25"}],
    })


def bad_own_invoice(client: Integration) -> None:
    """booking.own-invoice-as-dinero-invoice: a shop's own invoice PDF attached to a Dinero
    invoice that is booked and paid in full at once, never sent from Dinero."""
    pdf = client.upload("faktura-1001.pdf")
    invoice = client.invoice(Date="2026-03-02")
    path = f"/v1/{ORG}/invoices/{invoice['Guid']}"
    client.ok("POST", f"/v1/{ORG}/attachments/{invoice['Guid']}/{pdf}/faktura-1001.pdf")
    booked = client.ok("POST", f"{path}/book", json={"Timestamp": client.ok("GET", path)["TimeStamp"]})
    client.wait(5)
    client.ok("POST", f"{path}/payments", json={
        "Timestamp": booked["TimeStamp"], "DepositAccountNumber": BANK, "Amount": booked["TotalInclVat"],
        "Description": "Betalt i webshop", "PaymentDate": booked["Date"], "RemainderIsFee": False,
    })


def bad_unknown_operation(client: Integration) -> None:
    """api.unknown-operation: a path Dinero does not have."""
    client.send("GET", f"/v1/{ORG}/invoice")


def bad_deprecated(client: Integration) -> None:
    """api.deprecated-operation: v1 contact update (deprecated) and v1.1 ledger items (removed)."""
    guid = client.contact("Gammel Kunde")
    client.send("PUT", f"{CONTACTS}/{guid}", json={"Name": "Gammel Kunde ApS", "CountryKey": "DK"})
    client.send("POST", f"/v1.1/{ORG}/ledgeritems", json=[{"Amount": 100, "AccountNumber": BANK}])


Misbehaviour = Callable[[Integration], None]

MISBEHAVIOURS: dict[str, Misbehaviour] = {
    "rate.429-hammered": bad_hammering,
    "rate.burst-over-limit": bad_burst,
    "rate.429-received": bad_burst,
    "errors.storm": bad_error_storm,
    "errors.repeated-request": bad_repeats,
    "auth.login-per-call": bad_logins,
    "auth.401-not-refreshed": bad_expired_token,
    "sync.full-reread": bad_full_rereads,
    "sync.small-pages": bad_small_pages,
    "sync.n-plus-one": bad_n_plus_one,
    "sync.polling": bad_polling,
    "query.unsupported-filter": bad_filter,
    "files.never-used": bad_unused_file,
    "ledger.concurrent-posts": bad_concurrent_ledger,
    "booking.expense-as-manual-voucher": bad_expense_voucher,
    "booking.own-invoice-as-dinero-invoice": bad_own_invoice,
    "api.unknown-operation": bad_unknown_operation,
    "api.deprecated-operation": bad_deprecated,
}
"""Each finding id and the misbehaviour that earns it."""


def misbehave(fake: FakeDinero, *behaviours: Misbehaviour) -> None:
    """Log in once, then do each of ``behaviours`` (all of them when none are given), an hour
    apart with a fresh token, so one does not run into the next."""
    client = Integration(fake)
    try:
        for behaviour in behaviours or tuple(dict.fromkeys(MISBEHAVIOURS.values())):
            client.login()
            behaviour(client)
            client.wait(7200)
    finally:
        client.close()
