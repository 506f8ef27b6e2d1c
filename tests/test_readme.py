"""The README's examples are tests: each Python block runs as a test module."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fake_dinero import World

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(README.read_text(encoding="utf-8")) if lang == language]


def test_the_readme_has_python_examples() -> None:
    assert len(blocks("python")) >= 8


def test_every_python_example_in_the_readme_passes(pytester: pytest.Pytester) -> None:
    examples = blocks("python")
    pytester.makepyfile(**{f"test_readme_example_{index}": body for index, body in enumerate(examples)})
    expected = sum(len(re.findall(r"^def test_", body, re.MULTILINE)) for body in examples)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=expected)


def test_the_readme_visma_connect_config_loads() -> None:
    [config] = [json.loads(body) for body in blocks("json")]
    world = World.with_demo()
    world.provision_connect(config)
    assert world.connect_clients["isv_acme"].refresh_token_grace_seconds == 0
