"""``fake-dinero contract --junit FILE``: JUnit XML a CI test reporter reads, one testcase per check."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest

from fake_dinero import FakeDinero
from fake_dinero.contracts import junit
from fake_dinero.contracts.suite import WRITES_NOT_ALLOWED, ContractSuite, main, plan
from fake_dinero.live import LiveServer

from .contract_calls import CREDENTIALS, FakeTime, demo_fake, junit_cases, suite
from .support import ORG


@pytest.fixture
def fake() -> FakeDinero:
    return demo_fake()


@pytest.fixture
def timer() -> FakeTime:
    return FakeTime()


def written(checks: ContractSuite, tmp_path: Path) -> Path:
    path = tmp_path / "contract.xml"
    junit.write(checks, path)
    return path


def test_the_file_is_one_testsuite_whose_counts_agree_with_its_testcases(
    fake: FakeDinero, timer: FakeTime, tmp_path: Path
) -> None:
    fake.faults.malformed("/v1/countries")
    checks = suite(fake, timer)
    checks.run()
    root = ET.parse(written(checks, tmp_path)).getroot()
    [testsuite] = root.findall("testsuite")
    cases = testsuite.findall("testcase")
    counts = {key: int(testsuite.get(key, "-1")) for key in ("tests", "failures", "errors", "skipped")}
    assert counts == {"tests": len(cases), "failures": len(testsuite.findall("testcase/failure")), "errors": 0,
                      "skipped": len(testsuite.findall("testcase/skipped"))}
    assert counts["failures"] == 1
    assert root.tag == "testsuites"
    assert {prop.get("name"): prop.get("value") for prop in testsuite.iter("property")}["tag"] == checks.tag


def test_without_allow_writes_every_write_check_is_a_skipped_testcase(
    fake: FakeDinero, timer: FakeTime, tmp_path: Path
) -> None:
    checks = suite(fake, timer)
    assert checks.run()
    cases = junit_cases(written(checks, tmp_path))
    skipped = [(case["classname"], case["name"]) for case in cases if case["outcome"] == "skipped"]
    expected = [(f"contract.{group}", check.name) for group in ("contact", "product", "money") for check in plan(group)]
    assert skipped == expected
    assert {case["message"] for case in cases if case["outcome"] == "skipped"} == {WRITES_NOT_ALLOWED}
    assert {case["outcome"] for case in cases if case["classname"] == "contract.reads"} == {"passed"}


def test_with_allow_writes_the_same_testcases_pass_that_a_read_only_run_skips(
    fake: FakeDinero, timer: FakeTime, tmp_path: Path
) -> None:
    checks = suite(fake, timer, allow_writes=True)
    assert checks.run(), checks.report()
    cases = junit_cases(written(checks, tmp_path))
    writes = [(case["classname"], case["name"]) for case in cases if case["classname"] not in
              ("contract.login", "contract.reads", "contract.cleanup")]
    assert writes == [(f"contract.{group}", check.name) for group in ("contact", "product", "money")
                      for check in plan(group)]
    assert {case["outcome"] for case in cases} == {"passed"}


def test_a_broken_check_fails_with_the_operation_the_json_path_and_the_value(
    fake: FakeDinero, timer: FakeTime, tmp_path: Path
) -> None:
    fake.faults.error("/v1/*/products", status=500, method="GET")
    checks = suite(fake, timer)
    checks.run()
    [failure] = [case for case in junit_cases(written(checks, tmp_path)) if case["outcome"] == "failure"]
    assert failure["name"] == "products"
    assert failure["message"].startswith("GET /v1/{organizationId}/products: status 500, expected 200; body: ")
    assert failure["text"].startswith(f"GET /v1/{{organizationId}}/products (/v1/{ORG}/products): status 500\n")


def test_a_row_left_behind_fails_the_cleanup_testcase(fake: FakeDinero, timer: FakeTime, tmp_path: Path) -> None:
    fake.faults.error("/v1/*/products/*", status=500, method="DELETE")
    checks = suite(fake, timer, allow_writes=True)
    assert not checks.run()
    [cleanup] = [case for case in junit_cases(written(checks, tmp_path)) if case["classname"] == "contract.cleanup"]
    assert cleanup["outcome"] == "failure"
    assert cleanup["message"] == f"not deleted: {checks.leftovers[0]}"


def test_what_the_money_path_keeps_is_in_the_system_out(fake: FakeDinero, timer: FakeTime, tmp_path: Path) -> None:
    checks = suite(fake, timer, allow_writes=True)
    assert checks.run()
    out = ET.parse(written(checks, tmp_path)).getroot().find("testsuite/system-out")
    assert out is not None and out.text is not None
    assert out.text.splitlines() == [f"KEPT ({checks.tag}): {what}" for what in checks.kept]


def test_the_command_line_writes_the_junit_and_the_json_report_side_by_side(
    fake: FakeDinero, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xml, report = tmp_path / "contract.xml", tmp_path / "contract.json"
    with LiveServer(fake) as server:
        status = main(["--base-url", server.base_url, *CREDENTIALS, "--org", str(ORG), "--junit", str(xml),
                       "--report", str(report)])
    assert status == 0, capsys.readouterr().out
    names = [case["name"] for case in junit_cases(xml)]
    assert names == [check["name"] for check in json.loads(report.read_text(encoding="utf-8"))["checks"]]


def test_a_junit_file_in_a_folder_that_does_not_exist_is_a_usage_error_before_any_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sent: list[httpx.Request] = []
    monkeypatch.setattr(httpx.Client, "send", lambda client, request, **kwargs: sent.append(request))
    missing = tmp_path / "no such folder" / "contract.xml"
    arguments = ["--base-url", "http://127.0.0.1:9", *CREDENTIALS, "--org", str(ORG), "--junit", str(missing)]
    assert main(arguments) == 2
    assert f"--junit {missing}: its folder does not exist" in capsys.readouterr().err
    assert sent == []
