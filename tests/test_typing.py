"""The public surface type-checks: what users import (``fake_dinero``, the options, the doors,
the fixtures' handle, the strategies, the contract suite) is annotated well enough for mypy,
and the package says so to their type checkers with ``py.typed``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_is_marked_typed() -> None:
    assert (ROOT / "fake_dinero" / "py.typed").is_file()


def test_mypy_finds_no_error_on_the_public_surface(tmp_path: Path) -> None:
    # The files checked are listed under [tool.mypy] in pyproject.toml.
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy"), "--no-error-summary"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
