"""The test control plane over HTTP: ``Control``'s operations under the reserved prefix
``/_fake/``, which no Dinero path uses.

Control calls pass no token check, no rate limit and no fault, and are not journaled.
``GET /_fake/`` lists them, each with the first paragraph of its handler's docstring, so
every handler here needs one.

Every key a control call takes, in its body or its query, may be written in camelCase
(``organizationId``, as the control plane answers) or snake_case (``organization_id``,
as the Python API and the fault rules name it), in any case; an unknown key is a 400
that lists the known ones, so a typo never passes silently.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .call import Call
from .clock import clock_state, restore_clock
from .control import SCENARIOS, Control
from .domain import webhooks
from .errors import DineroError, validation_error
from .faults import FaultKind
from .formats import OutOfRange, check_date, date_range_text, parse_lenient_datetime, render_datetime, shown
from .http import ApiResponse, json_response
from .journal_filters import FilterError
from .models import Bool, DineroModel, Int, parse_json_body
from .provisioning import ConnectClient, DocumentError
from .routing import CONTROL_PREFIX, Operation, QueryParam, Routes, RouteTable

PREFIX = CONTROL_PREFIX

routes = Routes(tag="Control plane (fake only)")
_OPTIONS = {"public": True, "upstream": False}


MAX_SEED = 10_000
"""Rows one seed call may add: enough for any paging test, small enough to stay fast."""
MAX_ADVANCE = 100 * 366 * 24 * 3600.0
"""A century, either way: further than any test needs, nearer than datetime's end."""


def folded(name: str) -> str:
    """A key as the control plane compares it: ``organization_id``, ``organizationId``
    and ``OrganizationID`` are one key."""
    return name.replace("_", "").replace("-", "").lower()


def unknown_key(name: str, known: list[str]) -> DineroError:
    message = f"'{shown(name)}' is not a key here; use one of: {', '.join(known)} (camelCase or snake_case)."
    return validation_error({shown(name): message}, message)


class ControlBody(DineroModel):
    """A control call's JSON body: any key's camelCase or snake_case name binds, an
    unknown key is refused (400, naming the known ones)."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, allow_inf_nan=False)
    echoed: ClassVar[frozenset[str]] = frozenset()
    """Keys the control plane answers with but does not take (a fault's ``id``), accepted
    and ignored, so what a GET gives can be posted back."""

    @model_validator(mode="before")
    @classmethod
    def _bind_like_dotnet(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        names = {folded(name): name for name in cls.model_fields}
        bound: dict[str, Any] = {}
        for key, value in data.items():
            name = names.get(folded(key)) if isinstance(key, str) else None
            if name is None:
                if isinstance(key, str) and folded(key) in cls.echoed:
                    continue
                raise unknown_key(str(key), list(cls.model_fields))
            if value is not None:
                bound[name] = value
        return bound


def query_params(call: Call, *known: str) -> dict[str, str]:
    """The query's parameters by their camelCase name in ``known`` (blank ones left
    out); an unknown one is refused (400, naming the known ones)."""
    names = {folded(name): name for name in known}
    found: dict[str, str] = {}
    for key, value in call.request.query.items():
        name = names.get(folded(key))
        if name is None:
            raise unknown_key(key, list(known))
        if value != "":
            found[name] = value
    return found


def query_int(params: dict[str, str], name: str) -> int | None:
    raw = params.get(name)
    if raw is None:
        return None
    try:
        return int(raw.strip())
    except ValueError:
        raise validation_error({name: f"The value '{shown(raw)}' is not a valid integer."}) from None


class SeedRequest(ControlBody):
    scenario: str | None = None
    organizationId: Int | None = None
    contacts: Annotated[Int, Field(ge=0, le=MAX_SEED)] = 0
    products: Annotated[Int, Field(ge=0, le=MAX_SEED)] = 0


class ClockRequest(ControlBody):
    """One of: freeze (optionally at), unfreeze, set, advance (seconds)."""

    freeze: Bool = False
    unfreeze: Bool = False
    at: str | None = None
    set: str | None = None
    advance: Annotated[float, Field(ge=-MAX_ADVANCE, le=MAX_ADVANCE)] | None = None


class FaultRequest(ControlBody):
    echoed: ClassVar[frozenset[str]] = frozenset({"id", "fired"})

    kind: FaultKind
    method: str = "*"
    path: str = "*"
    organizationId: Int | None = None
    status: Annotated[Int, Field(ge=400, le=599)] = 500
    code: Int | None = None
    message: str | None = None
    seconds: Annotated[float, Field(ge=0, le=3600)] = 0.0
    times: Annotated[Int, Field(ge=1)] | None = None
    probability: Annotated[float, Field(ge=0, le=1)] | None = None


class OrganizationRequest(ControlBody):
    id: Annotated[Int, Field(ge=1)]
    name: Annotated[str, Field(min_length=1)] = "Ny Organisation ApS"
    pro: Bool = True


class ClientRequest(ControlBody):
    clientId: str
    clientSecret: str


class ApiKeyRequest(ControlBody):
    organizationId: Int
    apiKey: str | None = None


def _clock(control: Control) -> dict[str, Any]:
    return {"now": render_datetime(control.now()), "frozen": control.world.clock.frozen}


def _moment(text: str | None, name: str) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_lenient_datetime(text)
    except OutOfRange as exc:
        raise validation_error({name: f"'{shown(text)}': {exc}"}) from None
    except ValueError:
        reason = f"'{shown(text)}' is not a time; use ISO 8601, e.g. 2026-01-31T12:00:00Z."
        raise validation_error({name: reason}) from None


class ControlOperation(DineroModel):
    method: str
    path: str
    description: str


class ControlIndex(DineroModel):
    operations: list[ControlOperation]
    docs: str
    openapi: str
    home: str


def control_operations(table: RouteTable) -> list[Operation]:
    """The route table's control-plane operations, in the order they are declared."""
    return [op for op in table.operations if op.path.lower().startswith(f"{PREFIX}/")]


def first_paragraph(text: str | None) -> str:
    """A docstring's summary: its text up to the first blank line, on one line."""
    return " ".join((text or "").strip().split("\n\n")[0].split())


@routes.get(f"{PREFIX}/", response=ControlIndex, **_OPTIONS, answers=())
def index(call: Call) -> ControlIndex:
    """This list: every control operation, with its method and what it does."""
    operations = [
        ControlOperation(method=op.method, path=op.path, description=first_paragraph(op.handler.__doc__))
        for op in control_operations(call.fake.routes)
    ]
    return ControlIndex(operations=operations, docs="/docs", openapi="/openapi.json", home="/")


@routes.post(f"{PREFIX}/reset", **_OPTIONS)
def reset(call: Call) -> None:
    """Back to the state the fake started in (or the last loaded one), with an empty journal and no faults."""
    call.fake.control.reset()


@routes.post(f"{PREFIX}/seed", body=SeedRequest, **_OPTIONS)
def seed(call: Call) -> dict[str, int]:
    """Add Danish demo data: a scenario (empty, demo, busy, year) and more contacts and products."""
    body = call.body(SeedRequest)
    if body.scenario is not None and body.scenario not in SCENARIOS:
        raise validation_error({"scenario": f"Unknown scenario; use one of {', '.join(SCENARIOS)}."})
    return call.fake.control.seed(
        body.scenario, organization_id=body.organizationId, contacts=body.contacts, products=body.products
    )


@routes.get(f"{PREFIX}/state", **_OPTIONS)
def state(call: Call) -> dict[str, Any]:
    """Everything the fake holds, as a snapshot."""
    return call.fake.control.dump()


@routes.put(f"{PREFIX}/state", **_OPTIONS)
def load_state(call: Call) -> None:
    """Load a snapshot (as GET /_fake/state gives it); it becomes the state a reset returns to."""
    document = parse_json_body(call.request.body)
    if not isinstance(document, dict):
        raise validation_error({"body": "Not a fake-dinero snapshot: the document should be a JSON object."})
    try:
        call.fake.control.import_(document)
    except DocumentError as exc:  # anything else is a bug of the fake's: its 500, logged
        raise validation_error({"body": f"Not a fake-dinero snapshot: {exc}"}) from None


@routes.get(f"{PREFIX}/clock", **_OPTIONS)
def clock(call: Call) -> dict[str, Any]:
    """The fake's clock: the time now and whether it is frozen."""
    return _clock(call.fake.control)


@routes.post(f"{PREFIX}/clock", body=ClockRequest, **_OPTIONS)
def move_clock(call: Call) -> dict[str, Any]:
    """Freeze (optionally at a time), unfreeze, set or advance the fake's clock."""
    control, body = call.fake.control, call.body(ClockRequest)
    at, moment = _moment(body.at, "at"), _moment(body.set, "set")
    before = clock_state(control.world.clock)
    try:
        if body.freeze:
            control.freeze(at)
        if body.unfreeze:
            control.unfreeze()
        if moment is not None:
            control.set_time(moment)
        if body.advance:
            control.advance(body.advance)
        check_date(control.now().date(), "The clock's new date")
    except (OverflowError, OutOfRange) as exc:
        # The clock stays where it was: every stored date and time comes from it.
        restore_clock(control.world.clock, before)
        reason = str(exc) if isinstance(exc, OutOfRange) else f"The clock must stay in {date_range_text()}."
        raise validation_error({"advance": reason}) from None
    return _clock(control)


@routes.get(f"{PREFIX}/faults", **_OPTIONS)
def list_faults(call: Call) -> list[dict[str, Any]]:
    """The fault rules in force."""
    return [rule.to_json() for rule in call.fake.faults.rules]


@routes.post(f"{PREFIX}/faults", body=FaultRequest, **_OPTIONS)
def add_fault(call: Call) -> dict[str, Any]:
    """Add a fault rule: an error, rate limit, brownout, malformed body, hang-up or delay."""
    body = call.body(FaultRequest)
    options = body.model_dump(exclude={"kind", "organizationId"})
    return call.fake.faults.add(body.kind, organization_id=body.organizationId, **options).to_json()


@routes.delete(f"{PREFIX}/faults", **_OPTIONS)
def clear_faults(call: Call) -> None:
    """Remove every fault rule."""
    call.fake.faults.clear()


@routes.delete(f"{PREFIX}/faults/{{faultId}}", **_OPTIONS)
def remove_fault(call: Call) -> None:
    """Remove one fault rule by its id."""
    call.fake.faults.remove(call.params["faultId"])


@routes.get(f"{PREFIX}/outbox", **_OPTIONS, query=(QueryParam("organizationId", "integer"),))
def outbox(call: Call) -> list[dict[str, Any]]:
    """What the fake would have sent: e-mails, e-invoices and SMS, per organization."""
    organization_id = query_int(query_params(call, "organizationId"), "organizationId") or None
    return call.fake.control.outbox(organization_id)


WEBHOOK_DELIVERIES = f"{PREFIX}/webhooks/deliveries"
DELIVER_WEBHOOKS = f"{PREFIX}/webhooks/deliver"


@routes.get(
    WEBHOOK_DELIVERIES,
    **_OPTIONS,
    query=(QueryParam("organizationId", "integer"), QueryParam("status")),
)
def webhook_deliveries(call: Call) -> list[dict[str, Any]]:
    """Every webhook delivery with its payload, attempts and answers, oldest first;
    filtered by organization and status (Pending, Delivered, Failed, Cancelled)."""
    params = query_params(call, "organizationId", "status")
    organization_id = query_int(params, "organizationId") or None
    wanted = params.get("status")
    status = next((known for known in webhooks.STATUSES if wanted and known.lower() == wanted.lower()), None)
    if wanted is not None and status is None:
        known = ", ".join(webhooks.STATUSES)
        raise validation_error({"status": f"Unknown status '{shown(wanted)}'; use one of {known}."})
    return call.fake.control.webhook_deliveries(organization_id, status)


@routes.post(DELIVER_WEBHOOKS, **_OPTIONS)
def deliver_webhooks(call: Call) -> list[dict[str, Any]]:
    """Send every webhook delivery due on the fake's clock now; the deliveries attempted.

    The live server sends them from its event loop and answers once they are done."""
    return call.fake.control.deliver_webhooks()


class JournalEntryDocument(BaseModel):
    """One call to Dinero's API as the journal keeps it (credentials redacted)."""

    model_config = ConfigDict(defer_build=True)

    method: str
    path: str
    query: str
    status: int
    """0 when a fault dropped the connection."""
    code: int | None
    """Dinero's error code, when the answer was Dinero's error body."""
    organizationId: int | None
    clientId: str | None
    at: str
    """On the fake's clock, ISO 8601 with the UTC offset."""
    fault: str | None
    """The id of the fault rule that answered instead of the fake."""
    routed: bool
    """False when no Dinero operation has the path."""
    didYouMean: str | None
    """For an unrouted call, the nearest operation."""
    requestHeaders: dict[str, str]
    requestBody: Any
    """JSON as JSON, text as text, anything else as "<N bytes of TYPE>"; null for none."""
    responseHeaders: dict[str, str]
    responseBody: Any


JOURNAL_FILTERS = (
    QueryParam("method"),
    QueryParam("path"),
    QueryParam("status"),
    QueryParam("since", format="date-time"),
    QueryParam("organizationId", "integer"),
    QueryParam("unrouted", "boolean"),
)
JOURNAL_DROPPED = "x-fake-dinero-journal-dropped"
"""The header of ``GET /_fake/journal`` that counts the calls the journal no longer holds."""


@routes.get(f"{PREFIX}/journal", response=list[JournalEntryDocument], query=JOURNAL_FILTERS, **_OPTIONS)
def journal(call: Call) -> ApiResponse:
    """Every call to Dinero's API the fake answered, oldest first, with headers and bodies;
    filtered by method, path (a glob such as /v1/*/invoices*), status (404 or 4xx), since
    (a time on the fake's clock), organizationId and unrouted.

    The journal keeps the newest calls (1000 by default); the header
    X-Fake-Dinero-Journal-Dropped counts the older ones it let go."""
    params = query_params(call, *(param.name for param in JOURNAL_FILTERS))
    unrouted = params.get("unrouted")
    if unrouted is not None and unrouted.strip().lower() not in ("true", "false"):
        reason = f"The value '{shown(unrouted)}' is not valid for unrouted; use true or false."
        raise validation_error({"unrouted": reason})
    journal = call.fake.journal
    try:
        entries = journal.entries(
            params.get("method"),
            params.get("path"),
            params.get("status"),
            since=params.get("since"),
            organization_id=query_int(params, "organizationId"),
            unrouted=None if unrouted is None else unrouted.strip().lower() == "true",
        )
    except FilterError as error:
        raise validation_error({error.name: str(error)}, str(error)) from None
    return json_response([entry.to_document() for entry in entries], headers={JOURNAL_DROPPED: str(journal.dropped)})


@routes.delete(f"{PREFIX}/journal", **_OPTIONS)
def clear_journal(call: Call) -> None:
    """Empty the journal."""
    call.fake.journal.clear()


@routes.post(f"{PREFIX}/organizations", body=OrganizationRequest, **_OPTIONS)
def add_organization(call: Call) -> dict[str, Any]:
    """Add an organization, with or without Pro."""
    body = call.body(OrganizationRequest)
    if body.id in call.world.organizations:
        raise validation_error({"id": f"Organization {body.id} exists already."})
    organization = call.fake.control.add_organization(body.id, body.name, pro=body.pro)
    return {"id": organization.id, "name": organization.profile["Name"], "pro": organization.is_pro}


@routes.post(f"{PREFIX}/clients", body=ClientRequest, **_OPTIONS)
def add_client(call: Call) -> dict[str, str]:
    """Add a legacy API client: a client id and secret for the password grant."""
    body = call.body(ClientRequest)
    call.fake.control.add_client(body.clientId, body.clientSecret)
    return {"clientId": body.clientId}


@routes.post(f"{PREFIX}/connect", **_OPTIONS)
def provision_connect(call: Call) -> None:
    """Add Visma Connect clients and users, in the shape of the file serve --connect-config reads."""
    document = parse_json_body(call.request.body)
    if not isinstance(document, dict):
        raise validation_error({"body": "The body must be a JSON object with organizations, clients and users."})
    try:
        call.fake.control.provision_connect(connect_config(document))
    except (ValueError, TypeError) as exc:
        raise validation_error({"body": str(exc)}) from None


CONNECT_KEYS = {
    "clients": tuple(item.name for item in fields(ConnectClient)),
    "users": ("email", "organization_ids", "name", "user_id"),
}
"""The keys of a Visma Connect client and user in the config (``World.add_connect_client``
and ``add_connect_user``); an organization is a Dinero profile, passed on as it is."""


def connect_config(document: dict[str, Any]) -> dict[str, Any]:
    """The config with each client's and user's keys in the config file's snake_case,
    whichever way they were written; an unknown key is refused, naming the known ones."""
    config: dict[str, Any] = {}
    for key, value in document.items():
        section = {folded(name): name for name in ("organizations", "clients", "users")}.get(folded(str(key)))
        if section is None:
            raise unknown_key(str(key), ["organizations", "clients", "users"])
        known = CONNECT_KEYS.get(section)
        if known is not None and isinstance(value, list):
            value = [_snake_keys(item, known, section) for item in value]
        config[section] = value
    return config


def _snake_keys(item: Any, known: tuple[str, ...], section: str) -> Any:
    if not isinstance(item, dict):
        return item
    names = {folded(name): name for name in known}
    renamed: dict[str, Any] = {}
    for key, value in item.items():
        name = names.get(folded(str(key)))
        if name is None:
            message = f"'{shown(key)}' is not a key of Visma Connect {section}; use one of: {', '.join(known)}."
            raise validation_error({f"{section}.{shown(key)}": message}, message)
        renamed[name] = value
    return renamed


@routes.post(f"{PREFIX}/api-keys", body=ApiKeyRequest, **_OPTIONS)
def add_api_key(call: Call) -> dict[str, Any]:
    """Add an API key for an organization (a made-up one when none is given)."""
    body = call.body(ApiKeyRequest)
    api_key = call.fake.control.add_api_key(body.organizationId, body.apiKey)
    return {"apiKey": api_key, "organizationId": body.organizationId}
