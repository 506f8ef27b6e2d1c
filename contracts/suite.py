"""``fake-dinero contract``: hold any Dinero base URL to Dinero's contract.

The same read-mostly suite runs against the fake and against a real Dinero test
organization, so a difference between them shows up as a failed check instead of
as a surprise in production. Every answer is validated against the schema Dinero's
own OpenAPI document gives for that operation (``contracts.upstream``), with two
readings the tests of the fake use too: lists ask for every property of the item
model (``fields`` projects, so only a full projection is checkable), and
``format: date-time`` means the zone-less datetimes Dinero really sends.

It is polite to a real organization: at most ``--rate`` requests in any rolling
minute (Dinero allows 100), and it writes nothing unless given ``--allow-writes``;
then it writes only rows it tags (Name ``fake-dinero contract …``, ExternalReference
``fake-dinero-contract:<run id>``) and deletes them again, even when a check fails.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import importlib.util
import ipaddress
import json
import os
import re
import secrets
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from . import upstream

NAME_PREFIX = "fake-dinero contract "
TAG_PREFIX = "fake-dinero-contract:"
DINERO_RATE_LIMIT = 100
"""Requests per minute Dinero allows per organization and client; never exceeded off loopback."""
DEFAULT_RATE = 90
WINDOW = 60.0
NIL_GUID = "00000000-0000-0000-0000-000000000000"
MAX_PROBLEMS = 10
_MISSING = object()

TOKEN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["access_token", "token_type", "expires_in"],
    "properties": {"access_token": {"type": "string", "minLength": 1}, "token_type": {"pattern": "^[Bb]earer$"},
                   "expires_in": {"type": "integer", "minimum": 1}},
}
"""Dinero's document has no token route; this is what a legacy login client reads."""
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {"code": {"type": "integer"}, "message": {"type": "string"},
                   "validationErrors": {"type": ["null", "object"]},
                   "languageSpecificMessages": {"type": ["null", "array"]}},
}
"""Dinero's error body (not in its document). Only what clients branch on is required; more keys are fine."""


@functools.cache
def _components() -> dict[str, Any]:
    return dict(upstream.as_dinero_answers(upstream.load()["components"]))


@functools.cache
def response_schema(method: str, path: str) -> dict[str, Any] | None:
    """The 200 JSON schema Dinero documents for an operation; None for an empty answer."""
    ok = upstream.operation(method, path)["responses"].get("200", {})
    found = ok.get("content", {}).get("application/json", {}).get("schema")
    return None if found is None else dict(upstream.as_dinero_answers(found))


def all_fields(model: str) -> str:
    """``fields`` asking for every property of an item model, in Dinero's casing."""
    return ",".join(upstream.schema(model)["properties"])


@functools.cache
def _validator(schema_json: str) -> Any:
    import jsonschema_rs  # a dependency of schemathesis; imported late so --help works without it

    return jsonschema_rs.validator_for({**json.loads(schema_json), "components": _components()}, validate_formats=True)


def _json_path(parts: Sequence[str | int]) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if str(part).isidentifier() else f"[{part!r}]"
    return out


def _excerpt(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pointed(error: Any) -> list[tuple[list[str | int], str, Any]]:
    """(path, what is wrong, value) for one error; a missing or unexpected key is pointed at by name."""
    kind, path = error.kind, list(error.instance_path)
    if type(kind).__name__ == "Required":
        return [([*path, kind.property], "missing, but Dinero's schema requires it", _MISSING)]
    if type(kind).__name__ == "AdditionalProperties":
        return [([*path, name], "not in Dinero's schema", error.instance.get(name)) for name in kind.unexpected]
    return [(path, error.message, error.instance)]


def shape_problems(schema: dict[str, Any], body: Any) -> list[str]:
    """Each way ``body`` breaks ``schema``: the JSON path, what is wrong, the offending value.

    The same break in every item of a list is one problem, counted, not one line per item.
    """
    alike: dict[tuple[str, str], list[str]] = {}
    for error in _validator(json.dumps(schema, sort_keys=True)).iter_errors(body):
        for parts, detail, value in _pointed(error):
            where = _json_path(parts)
            line = f"{where}: {detail}" + ("" if value is _MISSING else f"; value: {_excerpt(value)}")
            kind = f"{type(error.kind).__name__}:{'/'.join(map(str, error.schema_path))}"
            alike.setdefault((re.sub(r"\[\d+\]", "[*]", where), kind), []).append(line)
    problems = [lines[0] + (f" (and {len(lines) - 1} more items alike)" if len(lines) > 1 else "")
                for lines in alike.values()]
    if len(problems) > MAX_PROBLEMS:
        problems = [*problems[:MAX_PROBLEMS], f"… and {len(problems) - MAX_PROBLEMS} more"]
    return problems


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


@dataclass(frozen=True)
class Check:
    """One call the suite makes: the operation, the status it must answer, the shape it must have."""

    name: str
    method: str
    path: str
    """As Dinero's document names the operation, e.g. ``/v1/{organizationId}/contacts``."""
    status: int = 200
    schema: dict[str, Any] | None = None
    """None: the body is not checked (Dinero answers PUT and DELETE with an empty 200)."""

    @classmethod
    def of(cls, name: str) -> Check:
        method, path = OPERATIONS[name]
        return cls(name, method, path, schema=response_schema(method, path))


@dataclass
class Result:
    check: Check
    url: str
    status: int | None = None
    problems: list[str] = field(default_factory=list)
    body: Any = None

    @property
    def passed(self) -> bool:
        return not self.problems

    def first(self, key: str) -> Any:
        """``key`` of a list's first item, for the next check; read even from a list that broke its shape."""
        items = self.body.get("Collection") if isinstance(self.body, dict) else None
        item = items[0] if isinstance(items, list) and items else None
        return item.get(key) if isinstance(item, dict) else None

    def to_json(self) -> dict[str, Any]:
        fields = ("method", "path", "name")
        return {**{f: getattr(self.check, f) for f in fields}, "url": self.url, "status": self.status,
                "passed": self.passed, "problems": self.problems}


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
        self._sleep = sleep
        self.http = httpx.Client(base_url=self.base_url, transport=transport, timeout=30.0)
        self.run_id = run_id or secrets.token_hex(6)
        self.tag = TAG_PREFIX + self.run_id
        self.results: list[Result] = []
        self.leftovers: list[str] = []
        """What the suite created and could not delete: for a human to clean up."""

    def call(self, check: Check | str, *, body: Any = None, label: str = "", **path_params: str) -> Result:
        """Send one check's request (throttled; once more after a 429) and judge the answer."""
        check = Check.of(check) if isinstance(check, str) else check
        model = LIST_ITEMS.get(check.name)
        check = dataclasses.replace(check, name=label or check.name)
        if check.method != "GET" and check.name != "login" and not self.allow_writes:
            raise RuntimeError(f"{check.method} {check.path} without --allow-writes")  # a bug in the suite
        result = Result(check, check.path.format(organizationId=self.organization, **path_params))
        self.results.append(result)
        params = {} if model is None else {"fields": all_fields(model)}
        if "{organizationId}" in check.path and model is not None:
            params.update(page=0, pageSize=5)
        try:
            response = self._send(check, result.url, params, body)
            if response.status_code == 429:  # someone else spent the minute: wait it out once
                self._sleep(self.limiter.window)
                response = self._send(check, result.url, params, body)
        except httpx.HTTPError as exc:
            result.problems.append(f"request failed: {type(exc).__name__}: {exc}")
            return result
        result.status = response.status_code
        if response.status_code != check.status:
            result.problems.append(f"status {response.status_code}, expected {check.status}; "
                                   f"body: {_excerpt(response.text, 200)}")
        elif check.schema is not None:
            try:
                result.body = response.json()
            except ValueError:
                result.problems.append(f"body is not JSON: {_excerpt(response.text, 200)}")
            else:
                result.problems.extend(shape_problems(check.schema, result.body))
        return result

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
            self.read_checks()
            if self.allow_writes:
                self.contact_lifecycle()
                self.product_lifecycle()
        finally:
            self.http.close()
        return self.passed

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

    def _contact(self, suffix: str = "") -> dict[str, Any]:
        return {"Name": f"{NAME_PREFIX}{self.run_id}{suffix}", "ExternalReference": self.tag, "CountryKey": "DK",
                "IsPerson": False, "IsMember": False, "UseCvr": False}

    def _product(self, suffix: str = "") -> dict[str, Any]:
        return {"Name": f"{NAME_PREFIX}{self.run_id}{suffix}", "ExternalReference": self.tag, "AccountNumber": 1000,
                "Unit": "parts", "BaseAmountValue": 100.0, "Quantity": 1.0}

    def contact_lifecycle(self) -> None:
        """Create, read, note, update (v2) and delete one tagged contact; the delete always runs."""
        guid = self._created("create contact", "ContactGuid", self._contact())
        if not guid:
            return
        try:
            self.call("contact", guid=guid, label="read created contact")
            self.note_lifecycle(guid)
            update = self.call("update contact v2", body=self._contact(" updated"), guid=guid)
            read = self.call("contact", guid=guid, label="read updated contact")
            if update.passed and read.passed and read.body.get("Name") != self._contact(" updated")["Name"]:
                read.problems.append(f"$.Name: the PUT did not take; value: {_excerpt(read.body.get('Name'))}")
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
        lines = []
        for r in self.results:
            verdict, status = "PASS" if r.passed else "FAIL", "---" if r.status is None else r.status
            lines.append(f"{verdict}  {r.check.method:<6} {r.check.path:<62} {status}  {r.check.name}")
            lines.extend(f"      {problem}" for problem in r.problems)
        failed = sum(not r.passed for r in self.results)
        lines.append(f"{len(self.results)} checks: {len(self.results) - failed} passed, {failed} failed")
        lines.extend(f"NOT DELETED: {what} ({self.tag}); delete it by hand" for what in self.leftovers)
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"base_url": self.base_url, "organization": self.organization, "writes": self.allow_writes,
                "run_id": self.run_id, "passed": self.passed, "checks": [r.to_json() for r in self.results],
                "leftovers": self.leftovers}


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
    parser.add_argument("--allow-writes", action="store_true", help="also create, update and delete "
                        f"contacts, a note and a product tagged ExternalReference={TAG_PREFIX}<run id>")
    parser.add_argument("--rate", type=int, default=DEFAULT_RATE, help=f"requests per rolling minute (default "
                        f"{DEFAULT_RATE}; over {DINERO_RATE_LIMIT} only for a loopback base URL)")
    parser.add_argument("--report", metavar="FILE", help="also write the results to FILE as JSON")
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
    return 0 if suite.passed else 1


if __name__ == "__main__":
    sys.exit(main())
