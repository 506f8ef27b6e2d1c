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
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)


def test_the_installed_package_is_the_wheels_not_this_checkout(venv: Path) -> None:
    where = run(venv / "python", "-c", "import fake_dinero; print(fake_dinero.__file__)", cwd=venv).stdout.strip()
    assert Path(where).is_relative_to(venv.parent)


def test_python_m_fake_dinero_prints_the_version(venv: Path) -> None:
    version = run(venv / "python", "-m", "fake_dinero", "--version", cwd=venv).stdout.strip()
    assert version == f"fake-dinero {fake_dinero.__version__}"


@pytest.fixture
def served(venv: Path) -> Iterator[str]:
    """``fake-dinero serve`` from the fresh environment; its base URL."""
    process = subprocess.Popen(
        [str(venv / "fake-dinero"), "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=venv,
    )
    with process:
        try:
            first = Console(process).read_until(lambda line: "http://127.0.0.1:" in line)[-1]
            yield re.search(r"http://127\.0\.0\.1:\d+", first).group(0)  # type: ignore[union-attr]
        finally:
            process.kill()


def test_fake_dinero_serve_from_the_wheel_answers(served: str) -> None:
    assert httpx.get(f"{served}/openapi.json", timeout=10).json()["info"]["title"]


def test_the_pytest_plugin_from_the_wheel_gives_the_dinero_fixture(venv: Path, tmp_path: Path) -> None:
    (tmp_path / "test_downstream.py").write_text(
        "import httpx\n\n\n"
        "def test_contacts_start_empty(dinero):\n"
        "    response = httpx.get(dinero.url('/v1/{org}/contacts'), headers=dinero.headers())\n"
        "    assert response.json()['Collection'] == []\n\n\n"
        "def test_the_plugin_is_the_installed_one():\n"
        "    from fake_dinero import pytest_plugin\n"
        f"    assert pytest_plugin.__file__.startswith({str(venv.parent)!r})\n"
    )
    done = run(venv / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=tmp_path)
    assert "2 passed" in done.stdout
