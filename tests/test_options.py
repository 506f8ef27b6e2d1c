"""DineroOptions: one typed description of a fake, shared by the marker, the pytest
command line, fresh_dinero and ``fake-dinero serve``."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from fake_dinero import DineroOptions, fresh_dinero
from fake_dinero.cli import build_parser, serve_options
from fake_dinero.options import SERVE_DEFAULTS, OptionError
from fake_dinero.resources.contacts import CONTACTS


def test_the_defaults_are_a_clean_demo_organization_with_dineros_rate_limit() -> None:
    options = DineroOptions()
    assert (options.seed, options.organization_id, options.pro, options.rate_limit) == (0, 123456, True, 100)
    assert (options.contacts, options.products, options.scenario, options.strict) == (0, 0, None, True)


def test_serve_starts_from_the_same_defaults_plus_demo_data_to_look_at() -> None:
    assert SERVE_DEFAULTS == DineroOptions().replace(contacts=5, products=5)


def test_serve_without_flags_builds_its_defaults() -> None:
    assert serve_options(build_parser().parse_args(["serve"])) == SERVE_DEFAULTS


def test_serve_flags_become_options() -> None:
    args = build_parser().parse_args(["serve", "--seed", "3", "--org-id", "42", "--rate-limit", "off"])
    options = serve_options(args)
    assert (options.seed, options.organization_id, options.rate_limit) == (3, 42, None)


def test_an_unknown_option_names_the_known_ones() -> None:
    with pytest.raises(OptionError, match="unknown option seeds; the options are seed, organization_id"):
        DineroOptions().replace(seeds=1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"seed": "1"}, "seed: '1' is not a whole number"),
        ({"organization_id": 0}, "organization_id: 0 is out of range"),
        ({"pro": "yes"}, "pro: 'yes' is not True or False"),
        ({"rate_limit": -1}, "rate_limit: -1 is out of range"),
        ({"clock_start": "monday"}, "clock_start: 'monday' is not an ISO 8601"),
        ({"refresh_token_usage": "twice"}, "refresh_token_usage: 'twice' is neither onetime nor reuse"),
        ({"api_key": " "}, "api_key: ' ' is not a non-empty text"),
    ],
)
def test_a_bad_value_says_which_option_and_why(changes: dict[str, object], message: str) -> None:
    with pytest.raises(OptionError, match=message):
        DineroOptions().replace(changes)


def test_an_unknown_scenario_is_refused_when_the_world_is_built() -> None:
    with pytest.raises(OptionError, match="scenario: unknown 'hectic'; use one of empty, demo, busy, year"):
        DineroOptions(scenario="hectic").build_world()


def test_clock_start_reads_iso_text_and_takes_utc_when_no_zone_is_given() -> None:
    assert DineroOptions(clock_start="2026-01-05T08:00:00").clock_start == datetime(2026, 1, 5, 8, tzinfo=timezone.utc)
    assert DineroOptions(clock_start="2026-01-05T08:00:00Z").build_world().clock.frozen


def test_the_same_options_build_the_same_world() -> None:
    first, second = (DineroOptions(seed=5, contacts=3).build_world() for _ in range(2))
    keys = [[row.key for row in world.organizations[123456].table(CONTACTS).records()] for world in (first, second)]
    assert keys[0] == keys[1] and len(keys[0]) == 3


def test_the_world_has_the_options_credentials_and_a_visma_connect_client() -> None:
    world = DineroOptions(client_id="mine", api_key="key", visma_client_id="isv_mine").build_world()
    assert "mine" in world.clients
    assert "isv_mine" in world.connect_clients


def test_fresh_dinero_gives_each_block_the_fake_in_its_starting_state() -> None:
    import httpx

    with fresh_dinero() as dinero:
        created = httpx.post(dinero.url("/v1/{org}/contacts"), json={"Name": "A", "CountryKey": "DK"},
                             headers=dinero.headers())
        assert created.status_code == 200
    with fresh_dinero() as dinero:
        listed = httpx.get(dinero.url("/v1/{org}/contacts"), headers=dinero.headers())
        assert listed.json()["Collection"] == []


def test_fresh_dinero_refuses_to_open_inside_another_in_process_fake() -> None:
    with fresh_dinero(seed=9), pytest.raises(RuntimeError, match="another in-process fake answers Dinero's hosts"):
        with fresh_dinero(seed=9):
            pass
