"""The fake Dinero: one synchronous ``handle(request) -> response``.

Every call passes the same gates, in the order ASP.NET runs them: routing
(unknown path: 404, wrong method: 405), bearer token (401), a Visma Connect
token's scope (403/41), the path's organization against those the token
reaches (401), the rate limit (429), Pro (403/90), then the operation's
handler. Errors are rendered here and nowhere else.

One fake may be shared between threads (a test suite with a thread pool, or
``serve`` and a test talking to it from Python): calls into it are served one at
a time, under ``lock``.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from . import auth
from .call import Call
from .errors import NO_PRO_SUBSCRIPTION, SERVER_ERROR, UNAUTHORIZED, DineroError, OAuthError, unauthorized
from .faults import Delivery, Faults, organization_in_path
from .http import ApiRequest, ApiResponse, json_response, text_response
from .journal import Journal
from .provisioning import READ_SCOPE, WRITE_SCOPE
from .route_table import ROUTE_TABLE
from .routing import NoRoute, RouteTable, is_control_path
from .webhook_delivery import WebhookSender
from .world import Grant, Organization, World

_NOT_FOUND_PAGE = (
    "<!DOCTYPE html><html><head><title>404 - File or directory not found.</title></head>"
    "<body><h2>404 - File or directory not found.</h2>"
    "<p>The resource you are looking for might have been removed, had its name changed, "
    "or is temporarily unavailable.</p></body></html>"
)
_NOT_FOUND_BYTES = _NOT_FOUND_PAGE.encode()
DID_YOU_MEAN = "x-fake-dinero-did-you-mean"
"""The header of an unknown-route 404 that names the nearest operation, e.g.
``GET /v1/{organizationId}/invoices`` (Dinero sends no such header)."""

log = logging.getLogger("fake_dinero")


class FakeDinero:
    """A world, the route table that serves it, and the test control plane:
    fault rules, the request journal, reset and snapshots (``control``), and the
    sender of the webhook deliveries the world owes (``webhooks``; each door
    decides when it sends)."""

    def __init__(self, world: World | None = None, routes: RouteTable = ROUTE_TABLE) -> None:
        self.routes = routes
        self.lock = threading.RLock()
        """Held for each call, so threads sharing the fake are served one at a time."""
        self.replace_world(world if world is not None else World.with_demo())

    def replace_world(self, world: World) -> None:
        """Serve another world from now on; its present state becomes the reset baseline."""
        from .control import Control  # control.py builds on this module

        self.world = world
        self.faults = Faults(world.seed)
        self.journal = Journal(world.settings.journal_entries, world.settings.journal_body_bytes)
        self.webhooks = WebhookSender(self)
        self.control = Control(self)

    def deliver(self, request: ApiRequest) -> Delivery:
        """What a door sends back: the fake's answer after fault rules, journaled.

        The control plane (``/_fake/...``) is exempt from faults and the journal,
        so a test can always reach it.
        """
        with self.lock:
            return self._deliver(request)

    def _deliver(self, request: ApiRequest) -> Delivery:
        if is_control_path(request.path):
            return Delivery(self._answer(request))
        decision = self.faults.decide(request)
        fault = decision.fault
        routed = True
        nearest: str | None = None
        if fault is not None and fault.kind == "drop":
            response = None
        elif fault is not None and fault.kind != "malformed":
            response = fault.answer()
        else:
            response = self._answer(request)
            routed = not _is_unrouted(response)
            if not routed:
                nearest = response.headers.get(DID_YOU_MEAN)
            if fault is not None:
                response = fault.answer(response)
        journal_routed = routed
        if fault is not None and fault.kind != "malformed":
            # A fault answered instead of the fake; the journal still says whether Dinero has the path.
            journal_routed, nearest = self._route_of(request)
        grant = auth.bearer_grant(self.world, request)
        organization_id = organization_in_path(request.path)
        if organization_id is None and grant is not None and grant.organizations:
            organization_id = grant.organizations[0]
        self.journal.record(
            request,
            response,
            self.world.clock.now(),
            organization_id=organization_id,
            client_id=grant.client_id if grant else auth.basic_credentials(request)[0],
            fault=fault.id if fault else None,
            routed=journal_routed,
            did_you_mean=nearest,
        )
        return Delivery(response, decision.latency, routed)

    def _route_of(self, request: ApiRequest) -> tuple[bool, str | None]:
        """Whether a Dinero operation has the request's path (a wrong method still
        counts: Dinero answers it 405), and the nearest operation when none has."""
        try:
            self.routes.match(request.method, request.path)
        except NoRoute as missing:
            if not missing.allowed:
                nearest = self.routes.nearest(request.method, request.path)
                return False, f"{nearest.method} {nearest.path}" if nearest is not None else None
        return True, None

    def handle(self, request: ApiRequest) -> ApiResponse:
        """The fake's answer, faults and journal aside. Never raises: Dinero's errors are
        rendered as Dinero renders them, and a fault of the fake's own is logged and
        answered as Dinero answers an unexpected error (500, code 50), with
        ``Connection: close`` so a client does not reuse a connection after it."""
        with self.lock:
            return self._answer(request)

    def _answer(self, request: ApiRequest) -> ApiResponse:
        try:
            return self._handle(request)
        except DineroError as error:
            return json_response(error.body(), error.status, error.headers)
        except OAuthError as error:
            return json_response(error.body(), error.status, {"cache-control": "no-store"})
        except Exception:
            log.exception("fake-dinero failed to answer %s %s; this is a bug of the fake", request.method,
                          request.path)  # fmt: skip
            return internal_error()

    def _handle(self, request: ApiRequest) -> ApiResponse:
        try:
            operation, params = self.routes.match(request.method, request.path)
        except NoRoute as missing:
            if missing.allowed:
                return json_response(
                    {"message": f"The requested resource does not support http method '{request.method}'."},
                    405,
                    {"allow": ", ".join(missing.allowed)},
                )
            # Dinero answers unknown routes with IIS's HTML page (reference §2.8); the
            # header is the fake's own, naming the operation a person most likely meant.
            headers = {"content-type": "text/html; charset=utf-8"}
            nearest = self.routes.nearest(request.method, request.path)
            if nearest is not None:
                headers[DID_YOU_MEAN] = f"{nearest.method} {nearest.path}"
            return ApiResponse(404, _NOT_FOUND_BYTES, headers)

        call = Call(self.world, request, params, self)
        if not operation.public:
            call.grant = grant = auth.authenticate(self.world, request)
            _check_scope(grant, request.method)
            organization = self._organization_of(grant, params)
            call.path_organization = organization if operation.organization_scoped else None
            limiter = self.world.rate_limiter
            key = (organization.id if organization else None, grant.client_id)
            if not limiter.admit(key):
                return text_response(
                    limiter.message(), 429, {"retry-after": str(limiter.retry_after(key))}
                )
            # A Connect user with no organization has none with Pro either.
            if operation.needs_pro and (organization is None or not organization.is_pro):
                raise DineroError(
                    403,
                    NO_PRO_SUBSCRIPTION,
                    "The organization does not have an active Dinero Pro subscription.",
                    danish_message="Organisationen har ikke et aktivt Dinero Pro-abonnement.",
                )
        return _render(operation.handler(call))

    def _organization_of(self, grant: Grant, params: dict[str, str]) -> Organization | None:
        """The organization a call acts for: the path's, which the token must reach;
        without one in the path, the first the token reaches (None if it reaches none).

        A token used for another organization gets 401 (Dinero's FAQ); so does
        an organization id that is not a number, since no token reaches it. The
        reference guesses 403/41 for a Visma user's foreign organization (§6.10);
        401 is chosen for both kinds of token, as the FAQ says it for tokens.
        """
        reach = self.world.reach(grant)
        path_id = params.get("organizationId")
        if path_id is None:
            if not reach:
                return None
            organization_id = reach[0]
        else:
            path_id = path_id.strip()
            found = next((org_id for org_id in reach if str(org_id) == path_id), None)
            if found is None:
                raise unauthorized()
            organization_id = found
        organization = self.world.organizations.get(organization_id)
        if organization is None:
            raise unauthorized()
        return organization


_SCOPE_FOR = {"GET": READ_SCOPE, "POST": WRITE_SCOPE, "PUT": WRITE_SCOPE, "DELETE": WRITE_SCOPE}


def _check_scope(grant: Grant, method: str) -> None:
    """A Visma Connect token needs ``dineropublicapi:read`` to GET and
    ``dineropublicapi:write`` to POST, PUT or DELETE (the OpenAPI document's scope
    descriptions); write does not imply read, as the document lists them apart.

    Unknown whether Dinero answers 401 or 403 (reference §3.2, §9); 403 with code
    41 ("insufficient permissions on the resource") is chosen, with RFC 6750's
    ``insufficient_scope`` challenge. It runs before the organization check, as
    ASP.NET's scope policies run before an action's own checks.
    """
    needed = _SCOPE_FOR.get(method)
    if grant.checks_scopes and needed is not None and needed not in grant.scopes:
        raise DineroError(
            403,
            UNAUTHORIZED,
            f"The access token does not have the scope '{needed}' this operation needs.",
            danish_message=f"Adgangsnøglen har ikke det scope ('{needed}'), som handlingen kræver.",
            headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{needed}"'},
        )


def internal_error() -> ApiResponse:
    """Dinero's answer to an unexpected error (its JAVA fixture's code 50 and sentence)."""
    error = DineroError(500, SERVER_ERROR, "An error has occurred.")
    return json_response(error.body(), 500, {"connection": "close"})


def _is_unrouted(response: ApiResponse) -> bool:
    """True for the fake's own unknown-route page (the very bytes object, so a
    handler's 404 for a missing row never counts)."""
    return response.status == 404 and response.body is _NOT_FOUND_BYTES


def _render(result: Any) -> ApiResponse:
    if isinstance(result, ApiResponse):
        return result
    if result is None:
        return ApiResponse(200)
    return json_response(result)
