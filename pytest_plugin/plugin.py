"""The pytest plugin: a fake Dinero for every test, no conftest needed.

Registered through the ``pytest11`` entry point, so installing fake-dinero
is enough. Fixtures:

- ``dinero``: a fresh fake per test that answers httpx calls to Dinero's
  hosts in-process (respx), sync and async alike, with no server.
- ``dinero_server``: a live server on an ephemeral port, one per session
  (so one per xdist worker), reset before each test.

The ``dinero`` marker configures either; its options merge across module,
class and function (the closest wins), over the command-line defaults.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

# Nothing of fake_dinero is imported here, only inside the fixtures: every pytest
# run of a project that has fake-dinero installed loads this module, and only the
# tests that use a fixture should pay for importing the fake.
if TYPE_CHECKING:
    from fake_dinero.live import LiveServer

    from .handle import Dinero

OPTIONS: dict[str, Any] = {
    "seed": 0,
    "organization_id": 123456,
    "pro": True,
    "rate_limit": 100,
    "clock_start": None,
    "strict": True,
    "contacts": 0,
    "products": 0,
}
"""What the ``dinero`` marker takes, with its defaults."""

MARKER_HELP = (
    "dinero(seed=0, organization_id=123456, pro=True, rate_limit=100, clock_start=None, strict=True, "
    "contacts=0, products=0): configure the fake Dinero of the dinero / dinero_server fixtures"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fake-dinero", "fake Dinero API")
    group.addoption("--dinero-seed", type=int, default=None, help="default seed of the fake Dinero (0)")
    group.addoption(
        "--dinero-rate-limit",
        default=None,
        help="requests per minute per organization and client, or 'off' (default 100, as Dinero)",
    )
    group.addoption(
        "--dinero-lenient",
        action="store_true",
        default=False,
        help="do not fail tests that call Dinero paths the fake does not have",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER_HELP)


def dinero_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The command-line defaults, then the markers from module to function."""
    options = dict(OPTIONS)
    config = request.config
    if config.getoption("--dinero-seed") is not None:
        options["seed"] = config.getoption("--dinero-seed")
    if config.getoption("--dinero-rate-limit") is not None:
        from fake_dinero.ratelimit import parse_rate_limit

        try:
            options["rate_limit"] = parse_rate_limit(config.getoption("--dinero-rate-limit"))
        except ValueError as exc:
            raise pytest.UsageError(f"--dinero-rate-limit: {exc}") from None
    if config.getoption("--dinero-lenient"):
        options["strict"] = False
    for marker in reversed(list(request.node.iter_markers("dinero"))):
        unknown = set(marker.kwargs) - set(OPTIONS)
        if unknown or marker.args:
            raise pytest.UsageError(
                f"@pytest.mark.dinero takes keyword options {', '.join(OPTIONS)}; got "
                f"{', '.join(sorted(unknown)) or 'positional arguments'}"
            )
        options.update(marker.kwargs)
    return options


@pytest.fixture
def dinero(request: pytest.FixtureRequest) -> Iterator[Dinero]:
    """A fresh fake Dinero that answers httpx calls to Dinero's hosts in-process."""
    from fake_dinero.inprocess import InProcessDinero

    from .handle import DINERO_API, DINERO_TOKEN_URL, VISMA_CONNECT, build_fake, dinero_handle

    options = dinero_options(request)
    fake = build_fake(options)
    with InProcessDinero(fake) as door:
        yield dinero_handle(fake, options, DINERO_API, DINERO_TOKEN_URL, VISMA_CONNECT)
    if options["strict"] and door.unrouted:
        pytest.fail(door.describe_unrouted() + "\n(use @pytest.mark.dinero(strict=False) to allow them)", pytrace=False)


@dataclass
class _Live:
    server: LiveServer
    options: dict[str, Any]


@pytest.fixture(scope="session")
def _dinero_live_server(request: pytest.FixtureRequest) -> Iterator[_Live]:
    from fake_dinero.live import LiveServer

    from .handle import build_fake

    options = dinero_options(request)
    with LiveServer(build_fake(options)) as server:
        yield _Live(server, options)


@pytest.fixture
def dinero_server(request: pytest.FixtureRequest, _dinero_live_server: _Live) -> Dinero:
    """The session's live fake server, reset for this test (rebuilt when the
    test's marker asks for other options than the server has)."""
    from .handle import build_fake, dinero_handle

    live = _dinero_live_server
    options = dinero_options(request)
    if options == live.options:
        live.server.fake.control.reset()
    else:
        live.server.fake.replace_world(build_fake(options).world)
        live.options = options
    base_url = live.server.base_url
    return dinero_handle(live.server.fake, options, base_url, base_url + "/dineroapi/oauth/token", base_url)
