"""Where the review shows: its text, Markdown, JSON and JUnit forms, ``fake-dinero review``,
``GET /_fake/review``, and the one report of a pytest session."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fake_dinero import Clock, FakeDinero, World
from fake_dinero.control_access import ControlAccess
from fake_dinero.inprocess import InProcessDinero
from fake_dinero.live import LiveServer
from fake_dinero.review import CHECKS, Review, review
from fake_dinero.review import http as review_http
from fake_dinero.review.cli import main
from fake_dinero.review.report import render, render_json, render_markdown
from fake_dinero.review.session import SessionReview

from . import review_clients as clients
from .support import BASE_URL, START


def recorded(*behaviours: clients.Misbehaviour, well: bool = False) -> FakeDinero:
    """A fake whose journal holds what the example clients did: the well-behaved one, or the
    ``behaviours`` (every misbehaviour when none are given)."""
    fake = FakeDinero(World.with_demo(seed=7, clock=Clock(START)))
    with InProcessDinero(fake):
        if well:
            clients.well_behaved(fake)
        else:
            clients.misbehave(fake, *behaviours)
    return fake


@pytest.fixture(scope="module")
def bad() -> FakeDinero:
    return recorded()


@pytest.fixture(scope="module")
def hints_only() -> FakeDinero:
    return recorded(clients.bad_expense_voucher)


@pytest.fixture(scope="module")
def good() -> FakeDinero:
    return recorded(well=True)


def journal_file(fake: FakeDinero, tmp_path: Path) -> str:
    path = tmp_path / "journal.json"
    path.write_text(json.dumps([entry.to_document() for entry in fake.journal]), encoding="utf-8")
    return str(path)


def reviewed(fake: FakeDinero) -> Review:
    return review(list(fake.journal))


# -- the forms -----------------------------------------------------------------------


def test_junit_has_a_failed_testcase_per_finding_and_a_passing_one_per_quiet_check(bad: FakeDinero) -> None:
    result = review(list(bad.journal)[:40])
    root = ET.fromstring(render(result, "junit"))
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    failed = [case for case in cases if case.find("failure") is not None]
    assert suite.get("name") == "dinero-review"
    assert len(failed) == len(result.findings) > 0
    assert len(cases) - len(failed) == len(CHECKS) - len(set(result.ids))
    assert int(suite.get("tests", "0")) == len(cases) and int(suite.get("failures", "0")) == len(failed)
    assert {case.get("name") for case in cases} >= {check.id for check in CHECKS if check.id not in result}
    [hammered] = [case for case in failed if case.get("name") == "rate.429-hammered"]
    assert hammered.get("classname") == "dinero-review.rate"
    failure = hammered.find("failure")
    assert failure is not None and failure.get("type") == "error" and "Fix:" in (failure.text or "")


def test_junit_of_a_clean_review_is_every_check_passing(good: FakeDinero) -> None:
    suite = ET.fromstring(render(reviewed(good), "junit")).find("testsuite")
    assert suite is not None and suite.findall("testcase/failure") == []
    assert len(suite.findall("testcase")) == len(CHECKS)


def test_json_is_the_reviews_document(bad: FakeDinero) -> None:
    result = reviewed(bad)
    document = json.loads(render_json(result))
    assert document == result.to_json()
    assert document["counts"] == result.counts() and not document["clean"]
    assert {"id", "severity", "summary", "evidence", "why", "fix", "heuristic"} <= set(document["findings"][0])


def test_markdown_has_a_table_and_a_section_per_finding(bad: FakeDinero) -> None:
    text = render_markdown(reviewed(bad))
    assert text.startswith("# Dinero integration review\n")
    assert "| ERROR | `rate.429-hammered` |" in text
    assert "## HINT `booking.expense-as-manual-voucher`" in text and "**Fix:**" in text


def test_text_of_a_clean_review_is_one_line(good: FakeDinero) -> None:
    text = str(reviewed(good))
    assert text.startswith("Dinero integration review: clean;") and "\n" not in text


# -- fake-dinero review --------------------------------------------------------------


def test_the_command_exits_1_on_errors_and_prints_the_report(
    bad: FakeDinero, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--journal", journal_file(bad, tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "ERROR rate.429-hammered" in out and "Why:" in out


def test_the_command_exits_0_for_a_clean_journal(good: FakeDinero, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--journal", journal_file(good, tmp_path)]) == 0
    assert "clean" in capsys.readouterr().out


@pytest.mark.parametrize(("fail_on", "status"), [("error", 0), ("warning", 0), ("info", 1), ("never", 0)])
def test_fail_on_sets_the_severity_that_fails(
    hints_only: FakeDinero, tmp_path: Path, fail_on: str, status: int
) -> None:
    assert main(["--journal", journal_file(hints_only, tmp_path), "--fail-on", fail_on]) == status


def test_output_writes_the_form_asked_for_and_prints_the_headline(
    bad: FakeDinero, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "review.xml"
    assert main(["--journal", journal_file(bad, tmp_path), "--format", "junit", "--output", str(target)]) == 1
    assert ET.parse(target).getroot().tag == "testsuites"
    assert capsys.readouterr().out.startswith("Dinero integration review: ")


def test_a_flag_overrides_the_thresholds_file(hints_only: FakeDinero, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    limits = tmp_path / "thresholds.json"
    limits.write_text(json.dumps({"maxEvidence": 0, "errorRun": 1}), encoding="utf-8")
    assert main(["--journal", journal_file(hints_only, tmp_path), "--thresholds", str(limits),
                 "--format", "json", "--max-evidence", "3"]) == 0
    thresholds = json.loads(capsys.readouterr().out)["thresholds"]
    assert (thresholds["maxEvidence"], thresholds["errorRun"]) == (3, 1)


@pytest.mark.parametrize("argv", [
    [],
    ["--journal", "a.json", "--base-url", "http://127.0.0.1:1"],
    ["--journal", "{journal}", "--rate-limit", "many"],
    ["--journal", "{journal}", "--thresholds", "{nothing}"],
    ["--journal", "{nothing}"],
    ["--journal", "{not_json}"],
    ["--journal", "{not_a_list}"],
    ["--journal", "{journal}", "--format", "pdf"],
])
def test_a_usage_error_exits_2_with_one_line(
    good: FakeDinero, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    (tmp_path / "not.json").write_text("nope", encoding="utf-8")
    (tmp_path / "object.json").write_text("{}", encoding="utf-8")
    files = {"journal": journal_file(good, tmp_path), "nothing": str(tmp_path / "missing.json"),
             "not_json": str(tmp_path / "not.json"), "not_a_list": str(tmp_path / "object.json")}
    assert main([arg.format(**files) for arg in argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fake-dinero review: ") and err.count("\n") == 1


def test_base_url_reads_the_journal_of_a_running_fake(bad: FakeDinero, capsys: pytest.CaptureFixture[str]) -> None:
    with LiveServer(bad) as server:
        assert main(["--base-url", server.base_url, "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out) == reviewed(bad).to_json()


def test_base_url_sends_the_control_token_a_server_asks_for(
    hints_only: FakeDinero, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with LiveServer(hints_only, access=ControlAccess(token="s3cret")) as server:
        assert main(["--base-url", server.base_url]) == 2
        assert "--control-token" in capsys.readouterr().err
        assert main(["--base-url", server.base_url, "--control-token", "s3cret"]) == 0
        monkeypatch.setenv("FAKE_DINERO_CONTROL_TOKEN", "s3cret")
        assert main(["--base-url", server.base_url, "--fail-on", "info"]) == 1


def test_a_journal_can_come_on_stdin(hints_only: FakeDinero, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(Path(journal_file(hints_only, tmp_path)).read_text()))
    assert main(["--journal", "-", "--fail-on", "info"]) == 1


def test_base_url_that_answers_nothing_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--base-url", "http://127.0.0.1:1"]) == 2
    assert "127.0.0.1:1/_fake/journal" in capsys.readouterr().err


# -- GET /_fake/review --------------------------------------------------------------


@pytest.fixture
def control(bad: FakeDinero) -> Iterator[httpx.Client]:
    with InProcessDinero(bad), httpx.Client(base_url=BASE_URL) as client:
        yield client


def test_the_control_route_answers_the_reviews_json(bad: FakeDinero, control: httpx.Client) -> None:
    answer = control.get("/_fake/review")
    assert answer.status_code == 200
    assert answer.json() == reviewed(bad).to_json()


def test_the_control_route_takes_thresholds_by_camel_case_name(control: httpx.Client) -> None:
    document = control.get("/_fake/review", params={"errorRun": 1000, "maxEvidence": 1}).json()
    assert "errors.storm" not in {finding["id"] for finding in document["findings"]}
    assert all(len(finding["evidence"]) <= 1 for finding in document["findings"])


@pytest.mark.parametrize(("params", "named"), [({"errorRun": "many"}, "errorRun"), ({"errorRuns": 3}, "errorRuns")])
def test_the_control_route_refuses_a_bad_threshold_naming_it(
    control: httpx.Client, params: dict[str, object], named: str
) -> None:
    answer = control.get("/_fake/review", params=params)
    assert answer.status_code == 400
    assert named.lower() in {name.lower() for name in answer.json()["validationErrors"]}


def test_the_control_route_is_declared_as_the_control_plane_declares_its_own() -> None:
    [operation] = review_http.routes.operations
    assert (operation.method, operation.path, operation.public, operation.upstream) == (
        "GET", "/_fake/review", True, False)
    assert operation.handler.__doc__


# -- a pytest session -------------------------------------------------------------


def test_a_session_lists_each_finding_with_the_tests_that_earned_it(bad: FakeDinero, good: FakeDinero) -> None:
    session = SessionReview()
    session.add("tests/test_sync.py::test_nightly", list(good.journal))
    session.add("tests/test_sync.py::test_hourly", list(bad.journal))
    session.add("tests/test_units.py::test_no_calls", [])
    text = session.render()
    counts = reviewed(bad).counts()
    assert text.startswith(f"Dinero integration review: {counts['error']} error(s), {counts['warning']} warning(s), "
                           f"{counts['info']} hint(s) in 2 test(s)")
    assert "ERROR rate.429-hammered: Called again before Retry-After had passed (in 1 test(s))" in text
    assert "  tests/test_sync.py::test_hourly: " in text and "test_nightly" not in text


def test_a_workers_share_merges_into_the_controllers(bad: FakeDinero, good: FakeDinero) -> None:
    whole, worker, controller = SessionReview(), SessionReview(), SessionReview()
    for session, (name, fake) in ((whole, ("a", bad)), (whole, ("b", good)), (worker, ("a", bad)),
                                  (controller, ("b", good))):
        session.add(name, list(fake.journal))
    controller.merge(worker.dump())
    assert sorted(controller.findings, key=str) == sorted(whole.findings, key=str)
    assert (controller.tests, controller.calls) == (whole.tests, whole.calls)


def test_a_session_without_findings_says_clean_and_one_without_calls_says_so(good: FakeDinero) -> None:
    assert SessionReview().render() == "Dinero integration review: no test called Dinero's API."
    session = SessionReview()
    session.add("t", list(good.journal))
    assert session.render().startswith("Dinero integration review: clean; 18 checks found nothing in 1 test(s)")
