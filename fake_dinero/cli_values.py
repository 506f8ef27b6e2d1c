"""The command line's reading of values: argparse with one-line errors, options whose
default comes from a ``FAKE_DINERO_*`` variable, and the parsers of ``serve``'s values.

Every value is checked when the command line is read, so a bad one (from a flag or from
the environment) is one line and exit status 2, never a traceback halfway through start.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from .control import SCENARIOS
from .options import ONE_TIME, REUSE
from .ratelimit import parse_rate_limit

ENV_PREFIX = "FAKE_DINERO_"


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors, and defaults read from ``FAKE_DINERO_*`` only
    once the command line is parsed: a bad variable is reported like a bad flag,
    and never stops ``--help`` (which exits before the environment is read)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}\n")

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        for action in self._actions:
            source: FromEnv | None = getattr(action, "from_env", None)
            if source is not None and getattr(parsed, action.dest) is source.not_given:
                setattr(parsed, action.dest, source.value(self))
        return parsed, extras


NOT_GIVEN = object()
"""The default of a ``serve`` option until the environment, or its own default, fills it."""


class FromEnv:
    """Where an option not given on the command line gets its value: ``FAKE_DINERO_<NAME>``
    (an empty variable counts as unset), else ``default``."""

    def __init__(self, name: str, parse: Callable[[str], Any], default: Any, not_given: Any) -> None:
        self.variable = ENV_PREFIX + name
        self.parse = parse
        self.default = default
        self.not_given = not_given

    def value(self, parser: argparse.ArgumentParser) -> Any:
        text = os.environ.get(self.variable, "")
        if not text.strip():
            return self.default
        try:
            return self.parse(text)
        except (argparse.ArgumentTypeError, ValueError) as exc:
            parser.error(f"{self.variable}: {exc}")


def env_option(
    group: argparse._ActionsContainer,
    flag: str,
    env: str,
    default: Any,
    help: str,
    *,
    parse: Callable[[str], Any] = str,
    shown: str | None = None,
    **options: Any,
) -> argparse.Action:
    """A ``serve`` option whose help names its default and its environment variable."""
    shown = shown if shown is not None else ("none" if default is None else str(default))
    text = f"{help} (default: {shown}; env {ENV_PREFIX}{env})".replace("%", "%%")
    kind = options.get("action")
    if kind is None:
        options["type"] = parse
    elif kind == "append":
        options["type"] = text_value  # one value per flag; ``parse`` reads the variable
    not_given = None if kind in ("append", argparse.BooleanOptionalAction) else NOT_GIVEN
    action = group.add_argument(flag, default=not_given, help=text, **options)
    action.from_env = FromEnv(env, parse, default, not_given)  # type: ignore[attr-defined]
    return action


def whole_number_parser(low: int, high: int | None, what: str) -> Callable[[str], int]:
    """A parser of whole numbers from ``low`` to ``high`` (no upper bound if None)."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low or (high is not None and value > high):
            bound = f"{low} to {high}" if high is not None else f"{low} or more"
            raise argparse.ArgumentTypeError(f"{value} is not {what}; use {bound}")
        return value

    return parse


port_value = whole_number_parser(0, 65535, "a port")
seed_value = whole_number_parser(0, None, "a seed")
count_value = whole_number_parser(0, None, "a number of records")
organization_id_value = whole_number_parser(1, 2**31 - 1, "an organization id")


def text_value(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("it is empty")
    return text


def flag_value(text: str) -> bool:
    """An on/off environment variable: 1, true, yes or on; 0, false, no or off (any case)."""
    folded = text.strip().lower()
    if folded in ("1", "true", "yes", "on"):
        return True
    if folded in ("0", "false", "no", "off", ""):
        return False
    raise argparse.ArgumentTypeError(f"{text!r} is neither on (1, true, yes, on) nor off (0, false, no, off)")


def rate_limit_value(text: str) -> int | None:
    try:
        return parse_rate_limit(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def scenario_value(text: str) -> str:
    if text not in SCENARIOS:
        raise argparse.ArgumentTypeError(f"unknown scenario {text!r}; use one of {', '.join(SCENARIOS)}")
    return text


def refresh_token_usage_value(text: str) -> str:
    if text not in (ONE_TIME, REUSE):
        raise argparse.ArgumentTypeError(f"{text!r} is neither {ONE_TIME} nor {REUSE}")
    return text


def readable_file(text: str) -> str:
    """A file to read at start: it must be there now, not found missing halfway."""
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"{text}: {'is a directory' if path.is_dir() else 'no such file'}")
    if not os.access(path, os.R_OK):
        raise argparse.ArgumentTypeError(f"{text}: not readable")
    return text


def writable_file(text: str) -> str:
    """A file written when the server stops: its folder must exist now, or the state is lost then."""
    path = Path(text)
    folder = path.parent
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text}: is a directory")
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{text}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise argparse.ArgumentTypeError(f"{text}: the folder {folder} is not writable")
    return text


def uris_value(text: str) -> list[str]:
    return text.split()
