"""The package as another project gets it: a wheel built from this repository,
installed into a fresh virtual environment, with its server, version and pytest plugin.
Everything in that environment runs outside this checkout, so nothing is imported from it.

No network: the wheel is built without build isolation (hatchling comes with the test
extras), and the fresh environment reaches the dependencies already installed for
these tests through a ``.pth`` file, so only the wheel itself is installed in it.
"""

from __future__ import annotations

import os
import re
import site
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import fake_dinero

from .cli_calls import Console

ROOT = Path(__file__).resolve().parents[1]


def run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", dist, ROOT)
    (built,) = dist.glob("fake_dinero-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment with the wheel installed; its ``bin`` folder."""
    home = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", home)
    bin_dir = home / ("Scripts" if os.name == "nt" else "bin")
    fresh_site = Path(run(bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
                      .stdout.strip())
    (fresh_site / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    run(bin_dir / "python", "-m", "pip", "install", "--no-deps", "--no-index", wheel)
    return bin_dir


def test_the_wheel_carries_the_package_its_seed_data_and_the_licence(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "fake_dinero/__init__.py" in names
    assert "fake_dinero/_fixtures/chart_of_accounts.json" in names
    assert "fake_dinero/py.typed" in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)


def test_the_wheel_installs_nothing_but_the_fake_dinero_package(wheel: Path) -> None:
    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert tops == {"fake_dinero", f"fake_dinero-{fake_dinero.__version__}.dist-info"}


def test_the_installed_package_is_the_wheels_not_this_checkout(venv: Path) -> None:
    where = run(venv / "python", "-c", "import fake_dinero; print(fake_dinero.__file__)", cwd=venv).stdout.strip()
    assert Path(where).is_relative_to(venv.parent)


def test_python_m_fake_dinero_prints_the_version(venv: Path) -> None:
    version = run(venv / "python", "-m", "fake_dinero", "--version", cwd=venv).stdout.strip()
    assert version == f"fake-dinero {fake_dinero.__version__}"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A downstream project with packages of its own named ``contracts`` and ``pytest_plugin``
    (common names), where fake-dinero must not shadow them nor be shadowed by them."""
    root = tmp_path_factory.mktemp("downstream")
    for package in ("contracts", "pytest_plugin"):
        (root / package).mkdir()
        (root / package / "__init__.py").write_text(f"OWNER = 'downstream {package}'\n")
    (root / "test_downstream.py").write_text(DOWNSTREAM_TESTS)
    return root


DOWNSTREAM_TESTS = """
import urllib.request

import httpx
import pytest
import requests
from hypothesis import given, settings

import contracts
import pytest_plugin
from fake_dinero.contracts.strategies import contact_bodies


def test_the_projects_own_packages_keep_their_names():
    assert (contracts.OWNER, pytest_plugin.OWNER) == ("downstream contracts", "downstream pytest_plugin")


def test_the_dinero_fixture_answers_httpx(dinero):
    response = httpx.get(dinero.url("/v1/{org}/contacts"), headers=dinero.headers())
    assert response.json()["Collection"] == []


def test_the_dinero_fixture_answers_requests(dinero):
    created = requests.post(dinero.url("/v1/{org}/contacts"), json={"Name": "Kunde", "CountryKey": "DK"},
                            headers=dinero.headers())
    assert created.status_code == 200


def test_another_http_library_fails_loudly_naming_dinero_server(dinero):
    with pytest.raises(Exception, match="dinero_server"):
        urllib.request.urlopen(dinero.url("/v1/{org}/contacts"))


@settings(max_examples=5, database=None)
@given(body=contact_bodies())
def test_a_strategy_body_is_accepted(fresh_dinero, body):
    with fresh_dinero() as dinero:
        assert httpx.post(dinero.url("/v1/{org}/contacts"), json=body, headers=dinero.headers()).status_code == 200


def test_the_plugin_is_the_installed_one():
    from fake_dinero import pytest_plugin as installed
    assert "site-packages" in installed.__file__
"""


def test_fixtures_and_strategies_work_in_a_project_with_its_own_contracts_package(venv: Path, project: Path) -> None:
    done = run(venv / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error", cwd=project)
    assert "6 passed" in done.stdout, done.stdout


@pytest.fixture(scope="module")
def served(venv: Path, project: Path) -> Iterator[str]:
    """``fake-dinero serve`` from the fresh environment, started in the downstream project
    (its own ``contracts`` first on the path); its base URL."""
    process = subprocess.Popen(
        [str(venv / "fake-dinero"), "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
    )
    with process:
        console = Console(process)
        try:
            first = console.read_until(lambda line: "http://127.0.0.1:" in line)[-1]
            yield re.search(r"http://127\.0\.0\.1:\d+", first).group(0)  # type: ignore[union-attr]
        finally:
            process.kill()
            process.wait(30)
            console.join()


def test_fake_dinero_serve_from_the_wheel_serves_its_openapi_document(served: str) -> None:
    assert httpx.get(f"{served}/openapi.json", timeout=10).json()["info"]["title"]


def test_the_contract_suite_from_the_wheel_passes_against_the_served_fake(
    venv: Path, project: Path, served: str
) -> None:
    run(  # exit status 0: every check passed
        venv / "fake-dinero", "contract", "--base-url", served, "--org", "123456", "--client-id", "fake-dinero-client",
        "--client-secret", "fake-dinero-secret", "--api-key", "fake-dinero-api-key", cwd=project,
    )  # fmt: skip
