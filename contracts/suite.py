"""``fake-dinero contract``: hold any Dinero base URL to Dinero's contract.

The same suite runs against the fake and against a real Dinero test organization,
so a difference between them shows up as a failed check instead of as a surprise in
production. Every answer is held to the schema Dinero's own OpenAPI document gives
for that operation (``contracts.checks``); the money path also to the behaviour a
client relies on (``contracts.suite_money``).

It is polite to a real organization: at most ``--rate`` requests in any rolling
minute (Dinero allows 100), and it writes nothing unless given ``--allow-writes``;
then it writes only rows it tags (Name ``fake-dinero contract …``, ExternalReference
``fake-dinero-contract:<run id>``) and deletes them again, even when a check fails,
except the booked documents of the money path, which Dinero never deletes (listed
as kept). ``--report`` writes JSON, ``--junit`` JUnit XML for CI.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import ipaddress
import json
import os
import secrets
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from . import junit, suite_money
from .checks import (
    ERROR_SCHEMA,
    TOKEN_SCHEMA,
    Check,
    Result,
    all_fields,
    excerpt,
    response_schema,
    shape_problems,
)

__all__ = ["Check", "ContractSuite", "Result", "RollingLimiter", "all_fields", "main", "response_schema",
           "shape_problems"]

NAME_PREFIX = "fake-dinero contract "
TAG_PREFIX = "fake-dinero-contract:"
DINERO_RATE_LIMIT = 100
"""Requests per minute Dinero allows per organization and client; never exceeded off loopback."""
DEFAULT_RATE = 90
WINDOW = 60.0
NIL_GUID = "00000000-0000-0000-0000-000000000000"
WRITES_NOT_ALLOWED = "writes not allowed: run with --allow-writes"

CONTACTS = "/v1/{organizationId}/contacts"
CONTACT = CONTACTS + "/{guid}"
NOTES = CONTACTS + "/{contactGuid}/notes"
NOTE = NOTES + "/{noteGuid}"
PRODUCTS = "/v1/{organizationId}/products"
PRODUCT = PRODUCTS + "/{guid}"
OPERATIONS = {
    "organizations": ("GET", "/v1/organizations"),
    "organizations v1.1": ("GET", "/v1.1/organizations"),
    "countries": ("GET", "/v1/countries"),
    "contacts": ("GET", CONTACTS),
    "contacts v2": ("GET", "/v2/{organizationId}/contacts"),
    "contact": ("GET", CONTACT),
    "contact notes": ("GET", NOTES),
    "contact note": ("GET", NOTE),
    "products": ("GET", PRODUCTS),
    "product": ("GET", PRODUCT),
    "create contact": ("POST", CONTACTS),
    "update contact v2": ("PUT", "/v2/{organizationId}/contacts/{guid}"),
    "delete contact": ("DELETE", CONTACT),
    "create contact note": ("POST", NOTES),
    "delete contact note": ("DELETE", NOTE),
    "create product": ("POST", PRODUCTS),
    "update product": ("PUT", PRODUCT),
    "delete product": ("DELETE", PRODUCT),
}
"""Each check of Dinero's own operations: its method and path as Dinero's document names them."""
LIST_ITEMS = {
    "organizations": "OrganizationReadModel",
    "contacts": "ContactReadModel",
    "contacts v2": "ContactReadModel",
    "contact notes": "ContactNoteReadModel",
    "products": "ProductReadModel",
}
"""Lists take ``fields``: they are asked for every property of their item model."""
WRITE_PLANS = {
    "contact": (("create contact", "create contact"), ("read created contact", "contact"),
                ("create contact note", "create contact note"), ("contact notes", "contact notes"),
                ("contact note", "contact note"), ("delete contact note", "delete contact note"),
                ("update contact v2", "update contact v2"), ("read updated contact", "contact"),
                ("delete contact", "delete contact")),
    "product": (("create product", "create product"), ("read created product", "product"),
                ("update product", "update product"), ("read updated product", "product"),
                ("delete product", "delete product")),
}
"""The steps of each write lifecycle, as (label, operation), in the order a passing run makes them."""


def operation_check(name: str, label: str = "") -> Check:
    """The check of one of ``OPERATIONS``, held to its documented 200 answer."""
    return Check.documented(label or name, *OPERATIONS[name])


def plan(group: str) -> list[Check]:
    """Every check a write group makes when nothing fails: what a run without writes reports as skipped."""
    if group == "money":
        return suite_money.plan()
    return [operation_check(name, label) for label, name in WRITE_PLANS[group]]


def with_plan(results: list[Result], steps: list[Check], group: str, allowed: bool) -> list[Result]:
    """``results`` with each step of the plan they lack as skipped, after the step before it, saying why:
    the last step before it that failed (or the group's first failure), or that writes were not allowed."""
    made = {r.check.name: r for r in results}
    first_failed = next((r.check.name for r in results if not r.passed), None)
    after: dict[str | None, list[Result]] = {}
    anchor = last_failed = None
    for check in steps:
        if check.name in made:
            anchor, last_failed = check.name, last_failed if made[check.name].passed else check.name
            continue
        cause = last_failed or first_failed
        reason = WRITES_NOT_ALLOWED if not allowed else f"not reached: {cause} failed" if cause else "not reached"
        after.setdefault(anchor, []).append(Result(check, check.path, group=group, skipped=reason))
    placed = after.pop(None, [])
    for result in results:
        placed.extend([result, *after.pop(result.check.name, [])])
    return placed


class RollingLimiter:
    """At most ``rate`` sends in any rolling ``window`` seconds, as Dinero counts them.

    A burst up to the rate costs nothing (a whole suite is one), so only a long run
    ever waits. Clock and sleep are injectable so tests never really sleep.
    """

    def __init__(self, rate: int, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep, window: float = WINDOW) -> None:
        self.rate, self.window, self._clock, self._sleep = rate, window, clock, sleep
        self._sent: deque[float] = deque()

    def wait(self) -> None:
        while True:
            now = self._clock()
            while self._sent and self._sent[0] <= now - self.window:
                self._sent.popleft()
            if len(self._sent) < self.rate:
                self._sent.append(now)
                return
            self._sleep(self._sent[0] + self.window - now)


class ContractSuite:
    """The checks, in order. Each records a ``Result``; later checks read ids from earlier ones."""

    def __init__(self, base_url: str, organization: int, *, token_url: str | None = None,
                 client_id: str = "", client_secret: str = "", api_key: str = "",
                 access_token: str | None = None, allow_writes: bool = False, rate: int = DEFAULT_RATE,
                 transport: httpx.BaseTransport | None = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep, run_id: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.organization = organization
        self.token_url = token_url or default_token_url(self.base_url)
        self.credentials = (client_id, client_secret, api_key)
        self.access_token = access_token
        self.allow_writes = allow_writes
        self.limiter = RollingLimiter(rate, clock, sleep)
        self._clock, self._sleep = clock, sleep
        self.http = httpx.Client(base_url=self.base_url, transport=transport, timeout=30.0)
        self.run_id = run_id or secrets.token_hex(6)
        self.tag = TAG_PREFIX + self.run_id
        self.results: list[Result] = []
        self.leftovers: list[str] = []
        """What the suite created and could not delete: for a human to clean up."""
        self.kept: list[str] = []
        """What the money path booked, which Dinero never deletes: for a human to find by the tag."""
        self.group = "login"

    def call(self, check: Check | str, *, body: Any = None, label: str = "", **path_params: str) -> Result:
        """Send one check's request (throttled; once more after a 429) and judge the answer."""
        check = operation_check(check) if isinstance(check, str) else check
        model = LIST_ITEMS.get(check.name)
        check = dataclasses.replace(check, name=label or check.name)
        if check.method != "GET" and check.name != "login" and not self.allow_writes:
            raise RuntimeError(f"{check.method} {check.path} without --allow-writes")  # a bug in the suite
        result = Result(check, check.path.format(organizationId=self.organization, **path_params), group=self.group)
        self.results.append(result)
        started = self._clock()
        try:
            self._answer(result, body, {**self._list_params(check.path, model), **dict(check.query)})
        finally:
            result.seconds = max(0.0, self._clock() - started)
        return result

    @staticmethod
    def _list_params(path: str, model: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {} if model is None else {"fields": all_fields(model)}
        if "{organizationId}" in path and model is not None:
            params.update(page=0, pageSize=5)
        return params

    def _answer(self, result: Result, body: Any, params: dict[str, Any]) -> None:
        check = result.check
        try:
            response = self._send(check, result.url, params, body)
            if response.status_code == 429:  # someone else spent the minute: wait it out once
                self._sleep(self.limiter.window)
                response = self._send(check, result.url, params, body)
        except httpx.HTTPError as exc:
            result.problems.append(f"request failed: {type(exc).__name__}: {exc}")
            return
        result.status = response.status_code
        refused = response.status_code in check.refusals
        schema = ERROR_SCHEMA if refused else check.schema
        if response.status_code != check.status and not refused:
            result.problems.append(f"status {response.status_code}, expected {check.status}; "
                                   f"body: {excerpt(response.text, 200)}")
        elif schema is not None:
            try:
                result.body = response.json()
            except ValueError:
                result.problems.append(f"body is not JSON: {excerpt(response.text, 200)}")
            else:
                result.problems.extend(shape_problems(schema, result.body))

    def _send(self, check: Check, url: str, params: dict[str, Any], body: Any) -> httpx.Response:
        self.limiter.wait()
        if check.name == "login":
            client_id, secret, key = self.credentials
            form = {"grant_type": "password", "username": key, "password": key, "scope": "read write"}
            return self.http.post(url, data=form, auth=(client_id, secret))
        headers = {"Authorization": f"Bearer {self.access_token}"}
        return self.http.request(check.method, url, params=params, json=body, headers=headers)

    def run(self) -> bool:
        """Every check; True when all passed and nothing was left behind."""
        try:
            if self.access_token is None:
                login = self.call(Check("login", "POST", self.token_url, schema=TOKEN_SCHEMA))
                self.access_token = login.body.get("access_token") if login.passed else None
                if self.access_token is None:
                    return False
            self.group = "reads"
            self.read_checks()
            self.write_group("contact", self.contact_lifecycle)
            self.write_group("product", self.product_lifecycle)
            self.write_group("money", suite_money.MoneyPath(self).walk)
        finally:
            self.http.close()
        return self.passed

    def write_group(self, group: str, walk: Callable[[], None]) -> None:
        """Walk one write group; each step of its plan it did not make is reported as skipped, and why."""
        self.group, start = group, len(self.results)
        try:
            if self.allow_writes:
                walk()
        finally:
            self.results[start:] = with_plan(self.results[start:], plan(group), group, self.allow_writes)

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results) and not self.leftovers

    def read_checks(self) -> None:
        for name in ("organizations", "organizations v1.1", "countries"):
            self.call(name)
        contact = self.call("contacts").first("ContactGuid")
        self.call("contacts v2")
        if contact:
            self.call("contact", guid=contact)
            self.note_reads(contact)
        product = self.call("products").first("ProductGuid")
        if product:
            self.call("product", guid=product)
        # Dinero's error body is not in its document, but clients branch on its code.
        self.call(Check("unknown contact", "GET", CONTACT, status=404, schema=ERROR_SCHEMA), guid=NIL_GUID)

    def note_reads(self, contact: str) -> None:
        note = self.call("contact notes", contactGuid=contact).first("Id")
        if note:
            self.call("contact note", contactGuid=contact, noteGuid=note)

    def _created(self, name: str, key: str, body: dict[str, Any], **path_params: str) -> str | None:
        result = self.call(name, body=body, **path_params)
        return result.body.get(key) if result.passed else None

    def _delete(self, name: str, what: str, **path_params: str) -> None:
        if not self.call(name, **path_params).passed:
            self.leftovers.append(what)

    def contact_body(self, suffix: str = "") -> dict[str, Any]:
        return {"Name": f"{NAME_PREFIX}{self.run_id}{suffix}", "ExternalReference": self.tag, "CountryKey": "DK",
                "IsPerson": False, "IsMember": False, "UseCvr": False}

    def _product(self, suffix: str = "") -> dict[str, Any]:
        return {"Name": f"{NAME_PREFIX}{self.run_id}{suffix}", "ExternalReference": self.tag, "AccountNumber": 1000,
                "Unit": "parts", "BaseAmountValue": 100.0, "Quantity": 1.0}

    def contact_lifecycle(self) -> None:
        """Create, read, note, update (v2) and delete one tagged contact; the delete always runs."""
        guid = self._created("create contact", "ContactGuid", self.contact_body())
        if not guid:
            return
        try:
            self.call("contact", guid=guid, label="read created contact")
            self.note_lifecycle(guid)
            update = self.call("update contact v2", body=self.contact_body(" updated"), guid=guid)
            read = self.call("contact", guid=guid, label="read updated contact")
            if update.passed and read.passed and read.body.get("Name") != self.contact_body(" updated")["Name"]:
                read.problems.append(f"$.Name: the PUT did not take; value: {excerpt(read.body.get('Name'))}")
        finally:
            self._delete("delete contact", f"contact {guid}", guid=guid)

    def note_lifecycle(self, contact: str) -> None:
        # Dinero's document answers a new note's id as ContactCreatedResult, i.e. under "ContactGuid".
        note = self._created("create contact note", "ContactGuid", {"Text": self.tag}, contactGuid=contact)
        if not note:
            return
        try:
            self.note_reads(contact)
        finally:
            self._delete("delete contact note", f"note {note} of contact {contact}", contactGuid=contact, noteGuid=note)

    def product_lifecycle(self) -> None:
        """Create, read, update and delete one tagged product; the delete always runs."""
        guid = self._created("create product", "ProductGuid", self._product())
        if not guid:
            return
        try:
            self.call("product", guid=guid, label="read created product")
            self.call("update product", body=self._product(" updated"), guid=guid)
            self.call("product", guid=guid, label="read updated product")
        finally:
            self._delete("delete product", f"product {guid}", guid=guid)

    def report(self) -> str:
        """One line per check, each problem under it, then a count and anything left behind."""
        lines: list[str] = []
        for r in self.results:
            if r.skipped == WRITES_NOT_ALLOWED:  # one line per group: a read-only run is the usual one
                line = f"SKIP  {r.group}: every write check ({WRITES_NOT_ALLOWED})"
                lines.extend([] if lines and lines[-1] == line else [line])
                continue
            verdict = "SKIP" if r.skipped else "PASS" if r.passed else "FAIL"
            status = "---" if r.status is None else r.status
            lines.append(f"{verdict}  {r.check.method:<6} {r.check.path:<62} {status}  {r.check.name}"
                         + (f" ({r.skipped})" if r.skipped else ""))
            lines.extend(f"      {problem}" for problem in r.problems)
        skipped = sum(r.skipped is not None for r in self.results)
        failed = sum(not r.passed for r in self.results)
        lines.append(f"{len(self.results)} checks: {len(self.results) - failed - skipped} passed, {failed} failed, "
                     f"{skipped} skipped")
        lines.extend(f"KEPT ({self.tag}): {what}" for what in self.kept)
        lines.extend(f"NOT DELETED: {what} ({self.tag}); delete it by hand" for what in self.leftovers)
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"base_url": self.base_url, "organization": self.organization, "writes": self.allow_writes,
                "run_id": self.run_id, "tag": self.tag, "passed": self.passed,
                "checks": [r.to_json() for r in self.results], "kept": self.kept, "leftovers": self.leftovers}


def default_token_url(base_url: str) -> str:
    """Dinero's token route lives on authz.dinero.dk; the fake serves it on its own port."""
    if urlsplit(base_url).hostname == "api.dinero.dk":
        return "https://authz.dinero.dk/dineroapi/oauth/token"
    return base_url.rstrip("/") + "/dineroapi/oauth/token"


def is_loopback(base_url: str) -> bool:
    host = urlsplit(base_url).hostname or ""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


OPTIONS = (
    ("--base-url", "DINERO_BASE_URL", "the API base, e.g. https://api.dinero.dk or http://127.0.0.1:8765"),
    ("--token-url", "DINERO_TOKEN_URL", "the legacy token route (default: Dinero's for api.dinero.dk, "
     "else BASE_URL/dineroapi/oauth/token)"),
    ("--client-id", "DINERO_CLIENT_ID", "API client id, for the legacy login"),
    ("--client-secret", "DINERO_CLIENT_SECRET", "API client secret, for the legacy login"),
    ("--api-key", "DINERO_API_KEY", "the organization's API key, for the legacy login"),
    ("--access-token", "DINERO_ACCESS_TOKEN", "a bearer token (e.g. from Visma Connect) instead of the legacy login"),
    ("--org", "DINERO_ORG", "the organization's id"),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fake-dinero contract",
        description="Check that a Dinero API (the fake, or a real test organization) answers as Dinero's OpenAPI "
        "document says. Read-only unless --allow-writes. Exit 0: all passed; 1: a check failed; 2: usage error.",
    )
    for flag, variable, text in OPTIONS:
        parser.add_argument(flag, default=os.environ.get(variable), help=f"{text} [{variable}]")
    parser.add_argument("--allow-writes", action="store_true", help="also create, update and delete a contact, "
                        "a note and a product, and walk the money path: an invoice drafted, updated, booked, paid "
                        "and credited, a manual and a purchase voucher booked, the day's entries read; all tagged "
                        f"ExternalReference={TAG_PREFIX}<run id>. Booked documents stay (Dinero never deletes them)")
    parser.add_argument("--rate", type=int, default=DEFAULT_RATE, help=f"requests per rolling minute (default "
                        f"{DEFAULT_RATE}; over {DINERO_RATE_LIMIT} only for a loopback base URL)")
    parser.add_argument("--report", metavar="FILE", help="also write the results to FILE as JSON")
    parser.add_argument("--junit", metavar="FILE", help="also write the results to FILE as JUnit XML, one "
                        "testcase per check, for CI test reporters")
    return parser


def suite_from(args: argparse.Namespace, parser: argparse.ArgumentParser) -> ContractSuite:
    """Refuse what cannot run before any request is sent (``parser.error`` exits with 2)."""
    if importlib.util.find_spec("jsonschema_rs") is None:
        parser.error("needs the jsonschema_rs package: pip install jsonschema-rs")
    if not args.base_url or urlsplit(args.base_url).scheme not in ("http", "https"):
        parser.error("--base-url (or DINERO_BASE_URL) must be an http(s) URL")
    if not str(args.org or "").isdigit():
        parser.error("--org (or DINERO_ORG) must be the organization's numeric id")
    legacy = {"--client-id": args.client_id, "--client-secret": args.client_secret, "--api-key": args.api_key}
    missing = [flag for flag, value in legacy.items() if not value]
    if not args.access_token and missing:
        parser.error(f"missing credentials: {', '.join(missing)} (or DINERO_CLIENT_ID, DINERO_CLIENT_SECRET, "
                     "DINERO_API_KEY) for the legacy login, or --access-token (DINERO_ACCESS_TOKEN)")
    for flag, file in (("--report", args.report), ("--junit", args.junit)):
        if file and not Path(file).resolve().parent.is_dir():
            parser.error(f"{flag} {file}: its folder does not exist")
    if args.rate < 1 or (args.rate > DINERO_RATE_LIMIT and not is_loopback(args.base_url)):
        parser.error(f"--rate {args.rate}: give 1 to {DINERO_RATE_LIMIT} requests per minute (Dinero's limit); "
                     "only a loopback base URL may go faster")
    return ContractSuite(args.base_url, int(args.org), token_url=args.token_url, client_id=args.client_id or "",
                         client_secret=args.client_secret or "", api_key=args.api_key or "",
                         access_token=args.access_token, allow_writes=args.allow_writes, rate=args.rate)


def main(argv: Sequence[str] | None = None) -> int:
    """0: every check passed; 1: a response broke the contract or a check errored; 2: usage error."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        suite = suite_from(args, parser)
    except SystemExit as stop:  # argparse's usage error (2) or --help (0)
        return stop.code if isinstance(stop.code, int) else 2
    mode = "reads and tagged writes" if suite.allow_writes else "read-only"
    print(f"fake-dinero contract: {suite.base_url}, organization {suite.organization}, {mode}, "
          f"at most {suite.limiter.rate} requests/minute, run {suite.run_id}", flush=True)
    suite.run()
    print(suite.report())
    if args.report:
        with open(args.report, "w", encoding="utf-8") as handle:
            json.dump(suite.to_json(), handle, indent=1, ensure_ascii=False)
    if args.junit:
        junit.write(suite, args.junit)
    return 0 if suite.passed else 1


if __name__ == "__main__":
    sys.exit(main())
