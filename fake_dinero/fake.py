"""The fake Dinero: one synchronous ``handle(request) -> response``.

Every call passes the same gates, in the order ASP.NET runs them: routing
(unknown path: 404, wrong method: 405), bearer token (401), the token's
organization against the path's (401), the rate limit (429), Pro (403/90),
then the operation's handler. Errors are rendered here and nowhere else.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from . import auth
from .call import Call
from .errors import NO_PRO_SUBSCRIPTION, DineroError, OAuthError, unauthorized
from .http import ApiRequest, ApiResponse, html_response, json_response, text_response
from .resources import ROUTE_TABLE
from .routing import NoRoute, RouteTable
from .world import Grant, Organization, World

_NOT_FOUND_PAGE = (
    "<!DOCTYPE html><html><head><title>404 - File or directory not found.</title></head>"
    "<body><h2>404 - File or directory not found.</h2>"
    "<p>The resource you are looking for might have been removed, had its name changed, "
    "or is temporarily unavailable.</p></body></html>"
)


class FakeDinero:
    """A world plus the route table that serves it."""

    def __init__(self, world: World | None = None, routes: RouteTable = ROUTE_TABLE) -> None:
        self.world = world if world is not None else World.with_demo()
        self.routes = routes

    def handle(self, request: ApiRequest) -> ApiResponse:
        try:
            return self._handle(request)
        except DineroError as error:
            return json_response(error.body(), error.status, error.headers)
        except OAuthError as error:
            return json_response(error.body(), error.status, {"cache-control": "no-store"})

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
            # Dinero answers unknown routes with IIS's HTML page (reference §2.8).
            return html_response(_NOT_FOUND_PAGE, 404)

        call = Call(self.world, request, params)
        if not operation.public:
            call.grant = grant = auth.authenticate(self.world, request)
            organization = self._organization_of(grant, params)
            call.path_organization = organization if operation.organization_scoped else None
            limiter = self.world.rate_limiter
            key = (grant.organization_id, grant.client_id)
            if not limiter.admit(key):
                return text_response(
                    limiter.message(), 429, {"retry-after": str(limiter.retry_after(key))}
                )
            if operation.needs_pro and not organization.is_pro:
                raise DineroError(
                    403,
                    NO_PRO_SUBSCRIPTION,
                    "The organization does not have an active Dinero Pro subscription.",
                    danish_message="Organisationen har ikke et aktivt Dinero Pro-abonnement.",
                )
        return _render(operation.handler(call))

    def _organization_of(self, grant: Grant, params: dict[str, str]) -> Organization:
        """The organization a call acts for: the path's, which must be the token's.

        A token used for another organization gets 401 (Dinero's FAQ); so does
        an organization id that is not a number, since it cannot be the token's.
        """
        path_id = params.get("organizationId")
        if path_id is not None and path_id.strip() != str(grant.organization_id):
            raise unauthorized()
        organization = self.world.organizations.get(grant.organization_id)
        if organization is None:
            raise unauthorized()
        return organization


def _render(result: Any) -> ApiResponse:
    if isinstance(result, ApiResponse):
        return result
    if result is None:
        return ApiResponse(200)
    if isinstance(result, BaseModel):
        return json_response(result.model_dump(mode="json"))
    return json_response(result)
