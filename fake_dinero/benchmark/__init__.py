"""How fast the fake is, measured in one run: ``python -m fake_dinero.benchmark``.

A benchmark, not a test: it prints numbers and asserts nothing.
"""

from .run import main

__all__ = ["main"]
