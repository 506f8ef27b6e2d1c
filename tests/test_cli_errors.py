"""The command line never shows a traceback: a bad value from a flag or from the
environment is one line and exit status 2, and ``--help`` always works."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fake_dinero import __version__
from fake_dinero.cli import build_parser, main
from fake_dinero.contracts import conformance

from .cli_calls import fake_dinero

# -- the command line: one line and status 2 for a bad value, never a traceback ---------------


BAD_CONNECT_CONFIG = {"clients": [{"client_id": "acme", "client_secret": "x"}]}

BAD_VALUES = [
    pytest.param((), {"FAKE_DINERO_PORT": "abc"}, "fake-dinero serve: FAKE_DINERO_PORT: 'abc' is not a whole number",
                 id="port from the environment"),
    pytest.param(("--port", "99999"), {}, "fake-dinero serve: argument --port: 99999 is not a port; use 0 to 65535",
                 id="port out of range"),
    pytest.param(("--contacts", "-5"), {},
                 "fake-dinero serve: argument --contacts: -5 is not a number of records; use 0 or more",
                 id="negative contacts"),
    pytest.param((), {"FAKE_DINERO_RATE_LIMIT": "lots"},
                 "FAKE_DINERO_RATE_LIMIT: 'lots' is not a number of requests per minute or 'off'",
                 id="rate limit from the environment"),
    pytest.param((), {"FAKE_DINERO_QUIET": "maybe"}, "FAKE_DINERO_QUIET: 'maybe' is neither on",
                 id="on/off from the environment"),
    pytest.param(("--scenario", "someday"), {}, "argument --scenario: unknown scenario 'someday'", id="scenario"),
    pytest.param(("--org-id", "0"), {}, "argument --org-id: 0 is not an organization id", id="organization id"),
    pytest.param(("--import", "missing.json"), {}, "argument --import: missing.json: no such file",
                 id="missing import file"),
    pytest.param(("--import", "notes.txt"), {}, "fake-dinero serve: --import notes.txt: Expecting value",
                 id="import file that is no snapshot"),
    pytest.param((), {"FAKE_DINERO_CONNECT_CONFIG": "nope.json"}, "FAKE_DINERO_CONNECT_CONFIG: nope.json: no such file",
                 id="missing connect config"),
    pytest.param(("--connect-config", "connect.json"), {}, "fake-dinero serve: --connect-config connect.json: ",
                 id="bad connect config"),
    pytest.param(("--export-on-exit", "missing/dir/state.json"), {}, "the folder missing/dir does not exist",
                 id="export folder missing"),
    pytest.param(("--prot", "1"), {}, "fake-dinero: unrecognized arguments: --prot 1", id="unknown option"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "env", "message"), BAD_VALUES)
def test_a_bad_value_is_one_line_and_status_2(
    args: tuple[str, ...], env: dict[str, str], message: str, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("not a snapshot")
    (tmp_path / "connect.json").write_text(json.dumps(BAD_CONNECT_CONFIG))
    result = fake_dinero("serve", *args, env=env, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert message in result.stderr


def test_openapi_into_a_missing_folder_is_one_line_and_status_2(tmp_path: Path) -> None:
    result = fake_dinero("openapi", "-o", "missing/dir/x.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "fake-dinero openapi: missing/dir/x.json: No such file or directory\n"


def test_coverage_into_a_missing_folder_is_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["coverage", "--write", str(tmp_path / "missing" / "COVERAGE.md")]) == 2
    assert capsys.readouterr().err.endswith("missing/COVERAGE.md: No such file or directory\n")


EVERY_BAD_VARIABLE = {
    f"FAKE_DINERO_{name}": value
    for name, value in {
        "HOST": " ", "PORT": "abc", "SEED": "-1", "RATE_LIMIT": "lots", "CLIENT_ID": " ", "CLIENT_SECRET": " ",
        "API_KEY": " ", "ORG_ID": "x", "CONTACTS": "-5", "PRODUCTS": "many", "SCENARIO": "someday",
        "IMPORT": "/missing.json", "EXPORT_ON_EXIT": "/missing/dir/x.json", "QUIET": "maybe", "LOG_BODIES": "maybe",
        "LOG_JSON": "maybe", "VISMA_CLIENT_ID": " ", "VISMA_CLIENT_SECRET": " ", "VISMA_REDIRECT_URI": " ",
        "REFRESH_TOKEN_USAGE": "sometimes", "VISMA_REQUIRE_PKCE": "maybe", "CONNECT_CONFIG": "/missing.json",
    }.items()
}  # fmt: skip


@pytest.mark.parametrize("args", [("--help",), ("serve", "--help")])
def test_help_works_with_every_bad_environment_variable_set(args: tuple[str, ...]) -> None:
    result = fake_dinero(*args, env=EVERY_BAD_VARIABLE)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("usage: fake-dinero")


def test_every_bad_environment_variable_is_refused_when_serving() -> None:
    result = fake_dinero("serve", env=EVERY_BAD_VARIABLE)
    assert result.returncode == 2
    assert result.stderr.startswith("fake-dinero serve: FAKE_DINERO_")
    assert "Traceback" not in result.stderr


def test_every_serve_option_shows_its_default_and_its_environment_variable() -> None:
    serve = build_parser()._subparsers._group_actions[0].choices["serve"]  # type: ignore[union-attr]
    options = [action for action in serve._actions if action.dest != "help"]
    assert len(options) == 24
    for action in options:
        assert action.help is not None and "(default: " in action.help, action.option_strings
        assert f"env FAKE_DINERO_{action.from_env.variable[len('FAKE_DINERO_'):]})" in action.help  # type: ignore[attr-defined]


def test_version_names_the_package_version() -> None:
    result = fake_dinero("--version")
    assert (result.returncode, result.stdout) == (0, f"fake-dinero {__version__}\n")


def test_coverage_writes_no_file_unless_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    coverage_file = Path(conformance.__file__).with_name("COVERAGE.md")
    written = coverage_file.stat().st_mtime_ns
    assert main(["coverage"]) == 0
    assert "wrote" not in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []
    assert coverage_file.stat().st_mtime_ns == written
