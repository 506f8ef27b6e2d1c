"""The yardstick for the live server: a bare Starlette app on the server stack ``serve`` uses.

``python -m fake_dinero.benchmark.bare_app --port P`` serves the three routes of the load
generator's mix with canned answers of the sizes the fake's answers have (one contact,
a page of 100 contacts' names and guids, a created contact's guid), reading the POST's
body but doing nothing with it: what is left is the cost of uvicorn and Starlette.
uvicorn runs with the settings ``fake-dinero serve`` gives it, so the parser and event
loop (httptools and uvloop when installed) are the same.
"""

from __future__ import annotations

import argparse
import json
import socket
import uuid

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

MEDIA_TYPE = "application/json; charset=utf-8"
"""The fake's content type."""

GUID = "e3e70682-c209-4cac-a29f-6fbed82c07cd"


def _json(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


CONTACT = _json(
    {
        "ContactGuid": GUID,
        "CreatedAt": "2026-12-07T01:27:24.336",
        "UpdatedAt": "2026-12-07T01:27:24.336",
        "DeletedAt": None,
        "IsDebitor": False,
        "IsCreditor": False,
        "CompanyStatus": None,
        "VatRegionKey": "DK",
        "ExternalReference": None,
        "Name": "Jakobsen ApS",
        "Street": "Spiræagade 857",
        "ZipCode": "1887",
        "City": "Børkop",
        "CountryKey": "DK",
        "Phone": "+45 29975294",
        "Email": "vivian89@example.org",
        "Webpage": None,
        "AttPerson": "Lærke Mogensen",
        "VatNumber": "DK45998349",
        "EanNumber": None,
        "SENumber": None,
        "PNumber": None,
        "PaymentConditionType": "Netto",
        "PaymentConditionNumberOfDays": 30,
        "IsPerson": False,
        "IsMember": False,
        "MemberNumber": None,
        "UseCvr": False,
        "CompanyTypeKey": None,
        "InvoiceMailOutOptionKey": None,
        "PreferredInvoiceLanguageKey": None,
        "PreferredInvoiceCurrencyKey": None,
    }
)
"""One contact as the fake renders it (about 780 bytes)."""

PAGE = _json(
    {
        "Collection": [{"name": f"Kontakt {n:03} ApS", "contactGuid": str(uuid.UUID(int=n))} for n in range(100)],
        "Pagination": {
            "MaxPageSizeAllowed": 1000,
            "PageSize": 100,
            "Result": 100,
            "ResultWithoutFilter": 200,
            "Page": 0,
        },
    }
)
"""A page of 100 contacts in the list's default fields (about 8.2 KB, as the fake's)."""

CREATED = _json({"ContactGuid": GUID})


async def get_contact(request: Request) -> Response:
    return Response(CONTACT, media_type=MEDIA_TYPE)


async def list_contacts(request: Request) -> Response:
    return Response(PAGE, media_type=MEDIA_TYPE)


async def create_contact(request: Request) -> Response:
    await request.body()
    return Response(CREATED, media_type=MEDIA_TYPE)


def create_bare_app() -> Starlette:
    return Starlette(
        routes=[
            Route("/v1/{organizationId}/contacts/{guid}", get_contact, methods=["GET"]),
            Route("/v1/{organizationId}/contacts", list_contacts, methods=["GET"]),
            Route("/v1/{organizationId}/contacts", create_contact, methods=["POST"]),
        ]
    )


def serve(host: str, port: int) -> None:
    """Serve until SIGINT/SIGTERM, listening as ``serve`` does (a socket made as TCP, so
    accepted connections get ``TCP_NODELAY``) with ``serve``'s uvicorn settings."""
    import uvicorn

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(128)
    # uvicorn's defaults pick httptools and uvloop when installed, as serve's config names
    # them; the access log is off, as in serve.
    config = uvicorn.Config(create_bare_app(), log_level="warning", lifespan="off", access_log=False)
    uvicorn.Server(config).run(sockets=[listener])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fake_dinero.benchmark.bare_app", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    serve(args.host, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
