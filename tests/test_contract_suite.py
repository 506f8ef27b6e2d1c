"""``fake-dinero contract``: the suite that holds any base URL to Dinero's contract.

Most tests run the suite in-process (``DineroTransport``, no sockets) on a fake clock;
the command-line tests run it end to end against a live fake, and against a small
Starlette server that answers as the fake does but breaks one property's name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fake_dinero import FakeDinero
from fake_dinero.auth import issue_legacy_token
from fake_dinero.contracts.suite import TAG_PREFIX, RollingLimiter, default_token_url, main
from fake_dinero.http import ApiRequest
from fake_dinero.inprocess import DineroTransport
from fake_dinero.live import LiveServer
from fake_dinero.resources.contacts import CONTACTS, NOTES
from fake_dinero.resources.products import PRODUCTS
from fake_dinero.world import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

from .contract_calls import CREDENTIALS, TOKEN_ROUTE, FakeTime, demo_fake, serving, suite
from .support import ORG


@pytest.fixture
def fake() -> FakeDinero:
    return demo_fake()


@pytest.fixture
def timer() -> FakeTime:
    return FakeTime()


def tagged_rows(fake: FakeDinero) -> list[Any]:
    """Every contact, note and product the suite wrote (deleted ones included: Dinero deletes softly)."""
    organization = fake.world.organizations[ORG]
    rows = [*organization.table(CONTACTS), *organization.table(PRODUCTS)]
    tagged = [row for row in rows if (row.data.ExternalReference or "").startswith(TAG_PREFIX)]
    return tagged + [row for row in organization.table(NOTES) if row.data.Text.startswith(TAG_PREFIX)]


def renaming_app(fake: FakeDinero) -> Starlette:
    """A server that answers as ``fake`` does, except that contacts come back with ``name`` for ``Name``."""

    async def forward(request: Request) -> Response:
        answer = fake.deliver(
            ApiRequest(request.method, request.url.path, request.url.query, dict(request.headers), await request.body())
        ).response
        assert answer is not None
        body = answer.body
        if "/contacts" in request.url.path:
            body = body.replace(b'"Name":', b'"name":')
        headers = {name: value for name, value in answer.headers.items() if name.lower() != "content-length"}
        return Response(body, answer.status, headers=headers)

    return Starlette(routes=[Route("/{path:path}", forward, methods=["GET", "POST", "PUT", "DELETE"])])


def test_the_read_only_suite_passes_against_a_running_fake(
    fake: FakeDinero, capsys: pytest.CaptureFixture[str]
) -> None:
    with LiveServer(fake) as server:
        status = main(["--base-url", server.base_url, *CREDENTIALS, "--org", str(ORG)])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "FAIL" not in out
    assert "0 failed" in out


def test_without_allow_writes_nothing_but_the_login_is_sent_other_than_get(fake: FakeDinero, timer: FakeTime) -> None:
    assert suite(fake, timer).run()
    writes = [(entry.method, entry.path) for entry in fake.journal if entry.method != "GET"]
    assert writes == [("POST", TOKEN_ROUTE)]
    assert tagged_rows(fake) == []


def test_with_allow_writes_it_passes_and_deletes_every_row_it_tagged(fake: FakeDinero, timer: FakeTime) -> None:
    checks = suite(fake, timer, allow_writes=True)
    assert checks.run(), checks.report()
    rows = tagged_rows(fake)
    assert len(rows) == 4  # a contact, its note, a product and the money path's customer
    assert all(row.deleted for row in rows)


def test_a_row_is_deleted_even_when_a_check_after_its_creation_fails(fake: FakeDinero, timer: FakeTime) -> None:
    fake.faults.error("/v2/*/contacts/*", status=500, method="PUT")
    checks = suite(fake, timer, allow_writes=True)
    assert not checks.run()
    assert [r.check.name for r in checks.results if not r.passed] == ["update contact v2"]
    assert all(row.deleted for row in tagged_rows(fake))


def test_a_row_that_cannot_be_deleted_is_reported_by_id(fake: FakeDinero, timer: FakeTime) -> None:
    fake.faults.error("/v1/*/products/*", status=500, method="DELETE")
    checks = suite(fake, timer, allow_writes=True)
    assert not checks.run()
    [product] = [row for row in tagged_rows(fake) if not row.deleted]
    assert checks.leftovers == [f"product {product.key}"]
    assert f"NOT DELETED: product {product.key}" in checks.report()


def test_a_server_that_breaks_a_shape_fails_naming_the_operation_the_json_path_and_the_value(
    fake: FakeDinero, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving(renaming_app(fake)) as base_url:
        status = main(["--base-url", base_url, *CREDENTIALS, "--org", str(ORG)])
    out = capsys.readouterr().out
    assert status == 1
    failure = out[out.index("FAIL  GET    /v1/{organizationId}/contacts ") :]
    assert "$.Collection[0].Name: missing, but Dinero's schema requires it (and 2 more items alike)" in failure
    assert "$.Collection[0].name: not in Dinero's schema; value: \"" in failure
    assert "PASS  GET    /v1/countries" in out  # only what the server broke fails


def test_a_body_that_is_not_json_is_a_failure_with_an_excerpt(fake: FakeDinero, timer: FakeTime) -> None:
    fake.faults.malformed("/v1/countries")
    checks = suite(fake, timer)
    assert not checks.run()
    [failed] = [r for r in checks.results if not r.passed]
    assert (failed.check.path, failed.status) == ("/v1/countries", 200)
    assert failed.problems[0].startswith('body is not JSON: "[{')


def test_the_json_report_lists_every_check_with_its_verdict(
    fake: FakeDinero, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "contract.json"
    with LiveServer(fake) as server:
        main(["--base-url", server.base_url, *CREDENTIALS, "--org", str(ORG), "--report", str(report)])
    document = json.loads(report.read_text(encoding="utf-8"))
    assert document["passed"] is True
    assert {"method": "GET", "path": "/v1/{organizationId}/contacts", "url": f"/v1/{ORG}/contacts"}.items() <= next(
        check for check in document["checks"] if check["name"] == "contacts"
    ).items()


def test_the_throttle_never_exceeds_the_rate_in_any_rolling_minute(timer: FakeTime) -> None:
    limiter = RollingLimiter(5, timer.clock, timer.sleep)
    sent = []
    for _ in range(23):
        limiter.wait()
        sent.append(timer.now)
        timer.now += 1.5  # the request itself takes a while
    assert all(later - earlier >= 60 for earlier, later in zip(sent, sent[5:], strict=False))
    assert sent[4] == 6.0  # a burst up to the rate does not wait


def test_the_whole_suite_keeps_to_the_rate_it_was_given(fake: FakeDinero, timer: FakeTime) -> None:
    sent: list[float] = []
    inner = DineroTransport(fake)

    class Recording(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            sent.append(timer.now)
            return inner.handle_request(request)

    assert suite(fake, timer, Recording(), allow_writes=True, rate=4).run()
    assert len(sent) > 20
    assert all(later - earlier >= 60 for earlier, later in zip(sent, sent[4:], strict=False))


def test_a_429_is_waited_out_once_and_then_retried(fake: FakeDinero, timer: FakeTime) -> None:
    fake.faults.rate_limit("/v1/countries", times=1)
    assert suite(fake, timer).run()
    assert timer.slept == [60.0]
    assert [entry.status for entry in fake.journal if entry.path == "/v1/countries"] == [429, 200]


def test_an_access_token_replaces_the_login(fake: FakeDinero, timer: FakeTime) -> None:
    world = fake.world
    token = issue_legacy_token(world, ORG, world.clients[DEFAULT_CLIENT_ID]).token
    assert suite(fake, timer, client_id="", client_secret="", api_key="", access_token=token).run()
    assert all(entry.path != TOKEN_ROUTE for entry in fake.journal)


def test_a_visma_connect_token_reaches_the_same_checks_writes_included(fake: FakeDinero, timer: FakeTime) -> None:
    fake.world.add_connect_client("isv_ci", "ci-secret", allow_client_credentials=True, tenant_organization_ids=(ORG,))
    with httpx.Client(transport=DineroTransport(fake)) as client:
        token = client.post(
            "https://connect.visma.com/connect/token",
            data={"grant_type": "client_credentials", "scope": "dineropublicapi:read dineropublicapi:write"},
            auth=("isv_ci", "ci-secret"),
        ).json()["access_token"]
    checks = suite(fake, timer, access_token=token, allow_writes=True)
    assert checks.run(), checks.report()


def test_a_failed_login_stops_the_suite_with_one_failure(fake: FakeDinero, timer: FakeTime) -> None:
    checks = suite(fake, timer, api_key="wrong")
    assert not checks.run()
    assert [(r.check.name, r.status, r.passed) for r in checks.results] == [("login", 400, False)]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--base-url", "https://api.dinero.dk", "--rate", "200", *CREDENTIALS, "--org", "1"], "--rate 200"),
        (["--base-url", "https://api.dinero.dk", *CREDENTIALS[:4], "--org", "1"], "missing credentials: --api-key"),
        (["--base-url", "https://api.dinero.dk", *CREDENTIALS], "--org"),
        (["--base-url", "api.dinero.dk", *CREDENTIALS, "--org", "1"], "--base-url"),
    ],
    ids=["rate-over-dinero-limit-off-loopback", "missing-credential", "missing-organization", "not-a-url"],
)
def test_a_usage_error_exits_2_with_a_readable_message_before_any_request(
    arguments: list[str], message: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for variable in ("BASE_URL", "TOKEN_URL", "CLIENT_ID", "CLIENT_SECRET", "API_KEY", "ACCESS_TOKEN", "ORG"):
        monkeypatch.delenv(f"DINERO_{variable}", raising=False)
    sent: list[httpx.Request] = []
    monkeypatch.setattr(httpx.Client, "send", lambda client, request, **kwargs: sent.append(request))
    assert main(arguments) == 2
    assert message in capsys.readouterr().err
    assert sent == []


def test_options_fall_back_to_dinero_environment_variables(
    fake: FakeDinero, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with LiveServer(fake) as server:
        for variable, value in [("BASE_URL", server.base_url), ("CLIENT_ID", DEFAULT_CLIENT_ID),
                                ("CLIENT_SECRET", DEFAULT_CLIENT_SECRET), ("API_KEY", DEFAULT_API_KEY),
                                ("ORG", str(ORG))]:
            monkeypatch.setenv(f"DINERO_{variable}", value)
        assert main([]) == 0, capsys.readouterr().out


def test_a_loopback_fake_may_be_checked_faster_than_dineros_limit(fake: FakeDinero) -> None:
    with LiveServer(fake) as server:
        assert main(["--base-url", server.base_url, *CREDENTIALS, "--org", str(ORG), "--rate", "1000"]) == 0


def test_the_token_url_is_dineros_for_dinero_and_the_fakes_own_route_elsewhere() -> None:
    assert default_token_url("https://api.dinero.dk") == "https://authz.dinero.dk/dineroapi/oauth/token"
    assert default_token_url("http://127.0.0.1:8765/") == "http://127.0.0.1:8765/dineroapi/oauth/token"
