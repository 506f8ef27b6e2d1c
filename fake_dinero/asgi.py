"""Starlette as the HTTP door to the fake: it only converts requests and responses."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .fake import FakeDinero
from .http import ApiRequest

_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]


def create_app(fake: FakeDinero | None = None) -> Starlette:
    """A Starlette app serving ``fake`` (a fresh demo fake when none is given)."""
    fake = fake if fake is not None else FakeDinero()

    async def endpoint(request: Request) -> Response:
        api_request = ApiRequest(
            method=request.method,
            path=request.url.path,
            query_string=request.url.query,
            headers={key.decode("latin-1"): value.decode("latin-1") for key, value in request.scope["headers"]},
            body=await request.body(),
            scheme=request.url.scheme,
        )
        answer = fake.handle(api_request)
        return Response(answer.body, answer.status, headers=answer.headers)

    app = Starlette(routes=[Route("/{path:path}", endpoint, methods=_METHODS)])
    app.state.fake = fake
    return app
