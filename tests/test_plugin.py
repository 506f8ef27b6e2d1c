"""The pytest plugin, tested as plugin authors do: inner pytest runs with pytester."""

from __future__ import annotations

import pytest

LOGIN_AND_LIST = '''
import asyncio

import httpx
import pytest
import requests


def login(client, dinero):
    response = client.post(
        dinero.token_url,
        data={"grant_type": "password", "username": dinero.api_key, "password": dinero.api_key},
        auth=(dinero.client_id, dinero.client_secret),
    )
    return response.json()["access_token"]


def create_and_list(client, dinero):
    headers = {"Authorization": "Bearer " + login(client, dinero)}
    created = client.post(
        f"{dinero.base_url}/v1/{dinero.organization_id}/contacts",
        json={"Name": "Plugin ApS", "CountryKey": "DK"},
        headers=headers,
    )
    assert created.status_code == 200, created.text
    listed = client.get(f"{dinero.base_url}/v1/{dinero.organization_id}/contacts", headers=headers)
    return [contact["name"] for contact in listed.json()["Collection"]]
'''


def test_dinero_answers_a_sync_httpx_client_at_dineros_own_urls(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        LOGIN_AND_LIST
        + '''
def test_scenario(dinero):
    assert dinero.base_url == "https://api.dinero.dk"
    assert dinero.token_url == "https://authz.dinero.dk/dineroapi/oauth/token"
    with httpx.Client() as client:
        assert create_and_list(client, dinero) == ["Plugin ApS"]
'''
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_dinero_answers_an_async_httpx_client(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        LOGIN_AND_LIST
        + '''
async def scenario(dinero):
    async with httpx.AsyncClient() as client:
        token = (await client.post(
            dinero.token_url,
            data={"grant_type": "password", "username": dinero.api_key, "password": dinero.api_key},
            auth=(dinero.client_id, dinero.client_secret),
        )).json()["access_token"]
        headers = {"Authorization": "Bearer " + token}
        contact = {"Name": "Plugin ApS", "CountryKey": "DK"}
        await client.post(dinero.url("/v1/{org}/contacts"), json=contact, headers=headers)
        listed = await client.get(dinero.url("/v1/{org}/contacts"), headers=headers)
        return [contact["name"] for contact in listed.json()["Collection"]]


def test_scenario(dinero):
    assert asyncio.run(scenario(dinero)) == ["Plugin ApS"]
'''
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_dinero_server_answers_the_requests_library(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        LOGIN_AND_LIST
        + '''
def test_scenario(dinero_server):
    assert dinero_server.base_url.startswith("http://127.0.0.1:")
    with requests.Session() as session:
        assert create_and_list(session, dinero_server) == ["Plugin ApS"]
'''
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_each_test_gets_a_fresh_fake(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        LOGIN_AND_LIST
        + '''
@pytest.mark.parametrize("attempt", [1, 2])
def test_in_process(dinero, attempt):
    with httpx.Client() as client:
        assert create_and_list(client, dinero) == ["Plugin ApS"]


@pytest.mark.parametrize("attempt", [1, 2])
def test_live_server(dinero_server, attempt):
    with requests.Session() as session:
        assert create_and_list(session, dinero_server) == ["Plugin ApS"]
'''
    )
    pytester.runpytest().assert_outcomes(passed=4)


def test_the_same_scenario_passes_under_xdist(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        LOGIN_AND_LIST
        + '''
@pytest.mark.parametrize("attempt", range(4))
def test_in_process(dinero, attempt):
    with httpx.Client() as client:
        assert create_and_list(client, dinero) == ["Plugin ApS"]


@pytest.mark.parametrize("attempt", range(4))
def test_live_server(dinero_server, attempt):
    with requests.Session() as session:
        assert create_and_list(session, dinero_server) == ["Plugin ApS"]
'''
    )
    pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider").assert_outcomes(passed=8)


def test_marker_options_merge_from_module_to_class_to_function(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        '''
import pytest

pytestmark = pytest.mark.dinero(contacts=2, products=1, organization_id=555)


def count(dinero, collection):
    return len(dinero.world.organizations[dinero.organization_id].table(collection))


from fake_dinero.resources.contacts import CONTACTS
from fake_dinero.resources.products import PRODUCTS


def test_module_level(dinero):
    assert (dinero.organization_id, count(dinero, CONTACTS), count(dinero, PRODUCTS)) == (555, 2, 1)


@pytest.mark.dinero(contacts=4)
class TestClassLevel:
    def test_class_wins_over_module(self, dinero):
        assert (count(dinero, CONTACTS), count(dinero, PRODUCTS)) == (4, 1)

    @pytest.mark.dinero(products=3)
    def test_function_wins_over_class(self, dinero):
        assert (count(dinero, CONTACTS), count(dinero, PRODUCTS)) == (4, 3)
'''
    )
    pytester.runpytest().assert_outcomes(passed=3)


def test_an_unknown_marker_option_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        '''
import pytest

@pytest.mark.dinero(seeds=3)
def test_typo(dinero):
    pass
'''
    )
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(["*dinero takes keyword options*seeds*"])
    assert result.ret != 0


def test_command_line_options_set_the_defaults(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        '''
def test_defaults(dinero):
    assert dinero.world.seed == 42
    assert dinero.world.settings.rate_limit is None
'''
    )
    pytester.runpytest("--dinero-seed", "42", "--dinero-rate-limit", "off").assert_outcomes(passed=1)


def test_a_call_to_a_path_dinero_does_not_have_fails_the_test_readably(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        '''
import httpx

def test_typo_in_path(dinero):
    httpx.get(dinero.url("/v1/{org}/contactz"), headers=dinero.headers())
'''
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*no Dinero operation has their path*", "*GET https://api.dinero.dk/v1/123456/contactz*"])


def test_strict_false_allows_calls_to_unknown_paths(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        '''
import httpx
import pytest

@pytest.mark.dinero(strict=False)
def test_typo_in_path(dinero):
    assert httpx.get(dinero.url("/v1/{org}/contactz"), headers=dinero.headers()).status_code == 404
'''
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_requests_to_other_hosts_pass_through(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        '''
import httpx

def test_other_host(dinero, dinero_server):
    # The live server is another host to the in-process fake: httpx must really reach it.
    response = httpx.post(dinero_server.token_url, data={"grant_type": "password"}, auth=("x", "y"))
    assert response.status_code == 401
    assert dinero.journal.calls() == []
    assert [entry.status for entry in dinero_server.journal.calls()] == [401]
'''
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_failed_journal_assertion_lists_what_was_called(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        '''
import httpx

def test_expects_a_product_call(dinero):
    httpx.get(dinero.url("/v1/{org}/contacts"), headers=dinero.headers())
    dinero.journal.assert_called("POST", "/v1/*/products")
'''
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*expected POST /v1/[*]/products at least once, got 0*", "*GET /v1/123456/contacts -> 200*"]
    )


def test_the_marker_is_registered_for_strict_markers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        '''
import pytest

@pytest.mark.dinero(seed=1)
def test_marked(dinero):
    assert dinero.world.seed == 1
'''
    )
    pytester.runpytest("--strict-markers").assert_outcomes(passed=1)


def test_dinero_answers_visma_connect_in_process(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        '''
import base64, hashlib
from urllib.parse import parse_qs, urlsplit

import httpx


def test_login_with_pkce(dinero):
    verifier = "v" * 64
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    with httpx.Client() as client:
        redirect = client.get(dinero.authorize_url, params={
            "client_id": dinero.visma_client_id, "response_type": "code", "redirect_uri": dinero.visma_redirect_uri,
            "scope": "openid dineropublicapi:read", "state": "s", "code_challenge": challenge,
            "code_challenge_method": "S256",
        })
        code = parse_qs(urlsplit(redirect.headers["location"]).query)["code"][0]
        token = client.post(dinero.visma_token_url, data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": dinero.visma_redirect_uri,
            "code_verifier": verifier,
        }, auth=(dinero.visma_client_id, dinero.visma_client_secret)).json()["access_token"]
        organizations = client.get(dinero.url("/v1/organizations"), headers={"Authorization": "Bearer " + token})
    assert organizations.json()[0]["id"] == dinero.organization_id
'''
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_loading_the_plugin_does_not_import_the_fake() -> None:
    """Every pytest run of a project with fake-dinero installed loads the plugin;
    only tests that use a fixture should pay for importing the fake."""
    import subprocess
    import sys

    code = "import sys, fake_dinero.pytest_plugin.plugin; print(sorted(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = [name for name in eval(result.stdout) if name.startswith("fake_dinero")]
    assert loaded == [  # the options are the standard library only
        "fake_dinero", "fake_dinero.options", "fake_dinero.pytest_plugin", "fake_dinero.pytest_plugin.plugin"
    ]


def test_a_bad_command_line_option_is_reported_once_before_any_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        '''
def test_one(dinero):
    pass


def test_two(dinero):
    pass
'''
    )
    result = pytester.runpytest("--dinero-rate-limit", "lots")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.str().count("--dinero-rate-limit: 'lots' is not a number of requests per minute") == 1
    assert "test_one" not in result.stdout.str()


def test_a_bad_marker_value_names_the_option(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        '''
import pytest

@pytest.mark.dinero(rate_limit="fast")
def test_typo(dinero):
    pass
'''
    )
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(["*@pytest.mark.dinero: rate_limit: 'fast' is not a whole number*"])
    assert result.ret != 0


def test_fresh_dinero_gives_every_hypothesis_example_a_clean_fake(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        '''
import httpx
from hypothesis import given, settings, strategies as st


@settings(max_examples=30, database=None, deadline=None)
@given(name=st.text(min_size=1, max_size=20).filter(str.strip))
def test_each_example_starts_empty(fresh_dinero, name):
    with fresh_dinero() as dinero:
        api = httpx.Client(base_url=dinero.base_url, headers=dinero.headers())
        assert api.get(dinero.url("/v1/{org}/contacts")).json()["Collection"] == []
        assert api.post(dinero.url("/v1/{org}/contacts"), json={"Name": name, "CountryKey": "DK"}).status_code == 200
'''
    )
    pytester.runpytest("-W", "error").assert_outcomes(passed=1)


def test_dinero_server_fails_a_test_that_called_a_path_dinero_does_not_have(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        '''
import httpx

def test_typo_in_path(dinero_server):
    httpx.get(dinero_server.url("/v1/{org}/invoicez"), headers=dinero_server.headers())
'''
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*no Dinero operation has their path*", "*GET http://127.0.0.1:*/v1/123456/invoicez*did you mean*invoices*"]
    )


def test_dinero_server_with_strict_false_allows_unknown_paths(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        '''
import httpx
import pytest

@pytest.mark.dinero(strict=False)
def test_typo_in_path(dinero_server):
    assert httpx.get(dinero_server.url("/v1/{org}/invoicez"), headers=dinero_server.headers()).status_code == 404
'''
    )
    pytester.runpytest().assert_outcomes(passed=1)
