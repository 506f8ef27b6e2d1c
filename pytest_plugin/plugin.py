"""The pytest plugin: a fake Dinero for every test, no conftest needed.

Registered through the ``pytest11`` entry point, so installing fake-dinero
is enough. Fixtures:

- ``dinero``: a fresh fake per test that answers httpx and requests calls to
  Dinero's hosts in-process, with no server; any other client is refused.
- ``dinero_server``: a live server on an ephemeral port, one per session
  (so one per xdist worker), reset before each test.
- ``fresh_dinero``: session-scoped; ``with fresh_dinero() as dinero:`` gives a
  clean in-process fake per block, for hypothesis's ``@given``.

The ``dinero`` marker configures the first two; its options (``DineroOptions``)
merge across module, class and function (the closest wins), over the command-line
defaults. ``--dinero-review`` reviews every test's calls as Dinero's integration
review does and prints one report at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from ..options import DineroOptions, OptionError

# Nothing of the fake itself is imported here, only inside the fixtures: every pytest
# run of a project that has fake-dinero installed loads this module, and only the
# tests that use a fixture should pay for importing the fake. ``options`` is the
# standard library only.
if TYPE_CHECKING:
    from ..fake import FakeDinero
    from ..live import LiveServer
    from ..review.session import SessionReview
    from .handle import Dinero

MARKER_OPTIONS = ("seed", "organization_id", "pro", "rate_limit", "clock_start", "strict", "contacts", "products",
                  "scenario")
"""What the ``dinero`` marker takes: the options of ``DineroOptions`` a test varies."""

_BASE_OPTIONS = pytest.StashKey[DineroOptions]()
_REVIEW: pytest.StashKey[SessionReview] = pytest.StashKey()
_REVIEW_OUTPUT = "dinero_review"
"""Where an xdist worker hands its share of the session's review to the controller."""


def _marker_help() -> str:
    defaults = DineroOptions()
    shown = ", ".join(f"{name}={getattr(defaults, name)!r}" for name in MARKER_OPTIONS)
    return f"dinero({shown}): configure the fake Dinero of the dinero / dinero_server fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fake-dinero", "fake Dinero API")
    group.addoption("--dinero-seed", default=None, help="default seed of the fake Dinero (0)")
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
    group.addoption(
        "--dinero-review",
        action="store_true",
        default=False,
        help="review each test's Dinero calls as Dinero's integration review does; one report at the end",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Read the command-line options once, at start: a bad value stops the run with one message."""
    config.addinivalue_line("markers", _marker_help())
    config.stash[_BASE_OPTIONS] = command_line_options(config)
    if config.getoption("--dinero-review", False):
        from ..review.session import SessionReview

        config.stash[_REVIEW] = SessionReview()


def command_line_options(config: pytest.Config) -> DineroOptions:
    from ..ratelimit import parse_rate_limit

    options = DineroOptions()
    readers: dict[str, tuple[str, Callable[[str], Any]]] = {
        "--dinero-seed": ("seed", _whole_number),
        "--dinero-rate-limit": ("rate_limit", parse_rate_limit),
    }
    for flag, (name, read) in readers.items():
        text = config.getoption(flag, None)
        if text is None:
            continue
        try:
            options = options.replace({name: read(text)})
        except ValueError as exc:  # OptionError is one
            raise pytest.UsageError(f"{flag}: {exc}") from None
    if config.getoption("--dinero-lenient", False):
        options = options.replace(strict=False)
    return options


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise OptionError(f"{text!r} is not a whole number") from None


def dinero_options(request: pytest.FixtureRequest) -> DineroOptions:
    """The command-line defaults, then the markers from module to function (the closest wins)."""
    options = request.config.stash[_BASE_OPTIONS]
    for marker in reversed(list(request.node.iter_markers("dinero"))):
        unknown = sorted(set(marker.kwargs) - set(MARKER_OPTIONS))
        if unknown or marker.args:
            raise pytest.UsageError(
                f"@pytest.mark.dinero takes keyword options {', '.join(MARKER_OPTIONS)}; got "
                f"{', '.join(unknown) or 'positional arguments'}"
            )
        try:
            options = options.replace(marker.kwargs)
        except OptionError as exc:
            raise pytest.UsageError(f"@pytest.mark.dinero: {exc}") from None
    return options


def _review_calls(request: pytest.FixtureRequest, fake: FakeDinero) -> None:
    """With --dinero-review, review this test's calls for the session's report."""
    session = request.config.stash.get(_REVIEW, None)
    if session is not None:
        session.add(request.node.nodeid, list(fake.journal), fake.journal.dropped)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """An xdist worker hands its share of the review to the controller."""
    collected = session.config.stash.get(_REVIEW, None)
    output = getattr(session.config, "workeroutput", None)
    if collected is not None and output is not None:
        output[_REVIEW_OUTPUT] = collected.dump()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """The controller takes in a worker's share of the review (pytest-xdist's hook)."""
    collected = node.config.stash.get(_REVIEW, None)
    share = getattr(node, "workeroutput", {}).get(_REVIEW_OUTPUT)
    if collected is not None and share:
        collected.merge(share)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """The session's one review, at the end (on the controller only, under xdist)."""
    collected = config.stash.get(_REVIEW, None)
    if collected is not None and not hasattr(config, "workeroutput"):
        terminalreporter.write_sep("=", "Dinero integration review")
        terminalreporter.write_line(collected.render())


def _fail_on_unrouted(fake: FakeDinero, options: DineroOptions, where: str) -> None:
    """A strict test fails when its code called Dinero paths the fake does not have."""
    if not options.strict:
        return
    unrouted = fake.journal.unrouted()
    if unrouted:
        lines = ["These requests reached Dinero's hosts but no Dinero operation has their path:"]
        for entry in unrouted:
            query = f"?{entry.query}" if entry.query else ""
            nearest = f"  (did you mean {entry.did_you_mean}?)" if entry.did_you_mean else ""
            lines.append(f"  {entry.method} {where}{entry.path}{query}{nearest}")
        lines.append("(use @pytest.mark.dinero(strict=False) or --dinero-lenient to allow them)")
        pytest.fail("\n".join(lines), pytrace=False)


@pytest.fixture
def dinero(request: pytest.FixtureRequest) -> Iterator[Dinero]:
    """A fresh fake Dinero that answers httpx and requests calls to Dinero's hosts in-process."""
    from ..inprocess import InProcessDinero
    from .handle import in_process_handle

    options = dinero_options(request)
    fake = options.build_fake()
    with InProcessDinero(fake):
        yield in_process_handle(fake, options)
    _review_calls(request, fake)
    _fail_on_unrouted(fake, options, "https://api.dinero.dk")


@pytest.fixture(scope="session")
def fresh_dinero(request: pytest.FixtureRequest) -> Callable[..., AbstractContextManager[Dinero]]:
    """``fresh_dinero(**options)``: a context manager giving a clean in-process fake per
    ``with`` block, for hypothesis's ``@given`` (one test, many examples). Session-scoped,
    so hypothesis's check against function-scoped fixtures has nothing to object to;
    options start from the command line's."""
    from .handle import fresh_dinero as fresh

    base = request.config.stash[_BASE_OPTIONS]

    def make(**changes: Any) -> AbstractContextManager[Dinero]:
        return fresh(base, **changes)

    return make


@dataclass
class _Live:
    server: LiveServer
    options: DineroOptions


@pytest.fixture(scope="session")
def _dinero_live_server(request: pytest.FixtureRequest) -> Iterator[_Live]:
    from ..live import LiveServer

    options = request.config.stash[_BASE_OPTIONS]
    with LiveServer(options.build_fake()) as server:
        yield _Live(server, options)


@pytest.fixture
def dinero_server(request: pytest.FixtureRequest, _dinero_live_server: _Live) -> Iterator[Dinero]:
    """The session's live fake server, reset for this test (rebuilt when the
    test's marker asks for other options than the server has)."""
    from .handle import dinero_handle

    live = _dinero_live_server
    options = dinero_options(request)
    if options == live.options:
        live.server.fake.control.reset()
    else:
        live.server.fake.replace_world(options.build_world())
        live.options = options
    base_url = live.server.base_url
    yield dinero_handle(live.server.fake, options, base_url, base_url + "/dineroapi/oauth/token", base_url)
    _review_calls(request, live.server.fake)
    _fail_on_unrouted(live.server.fake, options, base_url)
