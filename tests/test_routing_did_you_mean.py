"""An unknown route keeps Dinero's HTML 404 and names, in a header of the fake's own,
the operation a person most likely meant, so a typo shows at once."""

from __future__ import annotations

import httpx

from fake_dinero import FakeDinero
from fake_dinero.fake import DID_YOU_MEAN
from fake_dinero.http import ApiRequest

from .support import ORG

GUID = "3f2a1b4c-1111-2222-3333-444455556666"


def did_you_mean(api: httpx.Client, method: str, path: str) -> str:
    response = api.request(method, path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    return response.headers[DID_YOU_MEAN]


def test_an_unknown_route_keeps_dineros_html_404_and_names_the_nearest_operation(api: httpx.Client) -> None:
    assert did_you_mean(api, "GET", f"/v1/{ORG}/invoice") == "GET /v1/{organizationId}/invoices"


def test_ids_in_the_path_read_as_the_operations_parameters(api: httpx.Client) -> None:
    assert did_you_mean(api, "GET", f"/v1/{ORG}/invoice/{GUID}") == "GET /v1/{organizationId}/invoices/{guid}"
    assert did_you_mean(api, "POST", f"/v1/{ORG}/invoices/{GUID}/bok") == (
        "POST /v1/{organizationId}/invoices/{guid}/book"
    )


def test_the_nearest_operation_has_the_requests_method_when_one_is_as_near(api: httpx.Client) -> None:
    # v1 has only POST .../payments; GET is v2's.
    assert did_you_mean(api, "GET", f"/v1/{ORG}/invoices/{GUID}/paymets") == (
        "GET /v2/{organizationId}/invoices/{guid}/payments"
    )


def test_a_version_without_the_operation_names_the_version_that_has_it(api: httpx.Client) -> None:
    assert did_you_mean(api, "GET", f"/v2/{ORG}/products") == "GET /v1/{organizationId}/products"
    assert did_you_mean(api, "POST", f"/v1/{ORG}/vouchers/purchase") == "POST /v1.1/{organizationId}/vouchers/purchase"


def test_a_path_without_the_organization_names_the_organizations_path(api: httpx.Client) -> None:
    assert did_you_mean(api, "GET", "/v1/contacts") == "GET /v1/{organizationId}/contacts"


def test_a_misspelt_control_plane_path_names_the_control_operation(api: httpx.Client) -> None:
    assert did_you_mean(api, "GET", "/_fake/journl") == "GET /_fake/journal"


def test_a_wrong_method_on_a_known_path_keeps_its_405_and_names_nothing(api: httpx.Client) -> None:
    response = api.delete(f"/v1/{ORG}/products")
    assert response.status_code == 405
    assert DID_YOU_MEAN not in response.headers


def test_a_miss_with_a_suggestion_still_counts_as_unrouted(fake: FakeDinero) -> None:
    delivery = fake.deliver(ApiRequest("GET", f"/v1/{ORG}/invoice"))
    assert delivery.routed is False
    assert delivery.response is not None and DID_YOU_MEAN in delivery.response.headers
