"""schemathesis against the fake, in-process: every operation, both documents.

Two runs, with a fixed seed and a bounded budget so CI is deterministic and quick:
- the fake's own document (``/openapi.json``): every operation, its answers must be
  documented and match their schemas, and nothing may be a 500;
- Dinero's own document, for the operations the fake implements: the fake's answers
  must match what Dinero documents.

Lists are asked for every property (``fields`` = all of the item model's, in Dinero's
casing): ``fields`` picks properties and echoes the caller's casing, which neither
Dinero's document nor a JSON schema can describe, so only a full projection can be
checked against the item schema.

Two of schemathesis's default checks are left out, on purpose:
- ``negative_data_rejection`` (ST201): Dinero binds bodies as ASP.NET does, leniently
  (numbers sent as strings, any casing, unknown properties ignored), so it *accepts*
  much that a strict reading of its schema rejects. The fake must do the same.
- ``positive_data_acceptance`` (ST202): whether a schema-valid request is accepted
  depends on state the schema cannot express (an unknown country key or account
  number, an unregistered Visma client, a control-plane snapshot's format). Those are
  400s in Dinero too.
Against Dinero's document, ``status_code_conformance`` is left out too: it documents
only 200 for every operation, so each of Dinero's own error answers would count. And its
``format: date-time`` is read as Dinero really answers: a zone-less datetime (RFC 3339
wants a zone; Dinero sends none, reference §2.3).
"""

from __future__ import annotations

from typing import Any, get_args, get_origin

import schemathesis
from hypothesis import HealthCheck, settings
from pydantic import BaseModel
from schemathesis.openapi.checks import UndefinedStatusCode  # noqa: F401  (ST103, documented above)
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
    status_code_conformance,
)

from fake_dinero import FakeDinero, Settings, World
from fake_dinero.asgi import create_app
from fake_dinero.auth import issue_legacy_token
from fake_dinero.contracts import upstream
from fake_dinero.control_access import ControlAccess
from fake_dinero.route_table import ROUTE_TABLE

ORGANIZATION = "123456"
EXCLUDED = [negative_data_rejection, positive_data_acceptance]
EXCLUDED_FOR_DINEROS_DOCUMENT = [*EXCLUDED, status_code_conformance]
BUDGET = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# Nothing here may depend on timing: the wall clock moves between an example and its
# replay, so ledger posts are never "too close together" (400/70) for the fuzzer.
fake = FakeDinero(
    World.with_demo(seed=3, settings=Settings(rate_limit=None, ledger_post_seconds=0), contacts=3, products=3)
)
fake.world.add_demo_connect()
# schemathesis calls the app as "testserver"; the control plane's own access rules are
# tested in test_control_access.py.
app = create_app(fake, access=ControlAccess(frozenset({"testserver"})))
token = issue_legacy_token(fake.world, int(ORGANIZATION), fake.world.clients["fake-dinero-client"]).token
fake.control.set_baseline()  # so a reset keeps the token

own = schemathesis.openapi.from_asgi("/openapi.json", app)

dinero = schemathesis.openapi.from_dict(upstream.as_dinero_answers(upstream.load()))
dinero.app = app
implemented = {op.key for op in ROUTE_TABLE.operations if op.upstream}


def _item_model(response: Any) -> type[BaseModel]:
    """The model of one list item: ``list[Item]`` or an envelope whose Collection is ``list[Item] | None``."""
    if get_origin(response) is list:
        return get_args(response)[0]
    collection = response.model_fields["Collection"].annotation
    return next(get_args(option)[0] for option in get_args(collection) if get_origin(option) is list)


ALL_FIELDS = {
    op.key: ",".join(_item_model(op.response).model_fields)
    for op in ROUTE_TABLE.operations
    if any(param.name == "fields" for param in op.query)
}
dinero = dinero.include(lambda ctx: (ctx.operation.method.upper(), ctx.operation.path) in implemented)


def as_client(case: schemathesis.Case) -> dict[str, Any]:
    """Act as a logged-in client of the demo organization (fuzzing the organization id
    would only ever test the 401 for a foreign organization); ask lists for every field."""
    if "organizationId" in (case.path_parameters or {}):
        case.path_parameters["organizationId"] = ORGANIZATION
    fields = ALL_FIELDS.get((case.method.upper(), case.path))
    if fields is not None:
        case.query = {**(case.query or {}), "fields": fields}
    return {"headers": {"Authorization": f"Bearer {token}"}}


def call(case: schemathesis.Case, excluded: list[Any] = EXCLUDED) -> None:
    """A control-plane call can add faults, move the clock or load state, so the fake
    is reset after each one."""
    as_client(case)
    try:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=excluded)
    finally:
        if case.path.startswith("/_fake/"):
            fake.control.reset()


@own.parametrize()
@BUDGET
def test_the_fake_keeps_its_own_contract(case: schemathesis.Case) -> None:
    call(case)


@dinero.parametrize()
@BUDGET
def test_the_fake_answers_as_dineros_document_says(case: schemathesis.Case) -> None:
    call(case, EXCLUDED_FOR_DINEROS_DOCUMENT)


flows = own.include(path_regex=r"^/v[0-9]")


@flows.hook
def map_body(context: Any, body: Any) -> Any:
    """Keep the domain values a schema cannot say valid (a country Dinero knows, an
    account in the chart, a unit), so creates succeed and the links get followed."""
    if isinstance(body, dict):
        if "CountryKey" in body:
            body["CountryKey"] = "DK"
        if "AccountNumber" in body:
            body["AccountNumber"] = 1000
        if "Unit" in body:
            body["Unit"] = "parts"
        for key in ("PaymentConditionType", "PreferredInvoiceLanguageKey"):
            body.pop(key, None)
    return body


class DineroFlows(flows.as_state_machine()):  # type: ignore[misc]
    """Stateful: schemathesis follows the document's links (create a contact, then get,
    update, delete, restore it and its notes; the same for products)."""

    def setup(self) -> None:
        """Each scenario starts from the same fake, so hypothesis can replay it exactly."""
        fake.control.reset()

    def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
        return as_client(case)

    def validate_response(self, response: Any, case: schemathesis.Case, **kwargs: Any) -> None:
        case.validate_response(response, excluded_checks=EXCLUDED, transport_kwargs=kwargs or None)


TestDineroFlows = DineroFlows.TestCase
TestDineroFlows.settings = settings(
    max_examples=30,
    stateful_step_count=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
