"""``fake-dinero review``: Dinero's integration review of a journal, on the command line.

Reads the calls from a running fake (``--base-url URL``: its ``GET /_fake/journal``) or
from a file (``--journal FILE``: the JSON array that route answers; ``-`` for stdin),
prints the report (``--format text|json|markdown|junit``, to ``--output FILE`` or
stdout) and exits 0 when nothing at or above ``--fail-on`` was found (default error),
1 when something was, 2 on a usage error or a journal it cannot read.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from .model import SEVERITIES
from .report import FORMATS, render, render_text
from .thresholds import Thresholds, help_of, load_thresholds

JOURNAL_DROPPED = "x-fake-dinero-journal-dropped"
TOKEN_HEADER = "x-fake-dinero-token"
TOKEN_VARIABLE = "FAKE_DINERO_CONTROL_TOKEN"
"""The control token ``serve --control-token`` takes (and prints when it makes one)."""
NEVER = "never"


class UsageError(Exception):
    """A command line or a journal the review cannot use; the message says which and why."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="fake-dinero review",
        description="Dinero's technical review of an integration, read from the fake's request journal.",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--base-url", help="a running fake, e.g. http://127.0.0.1:8765 (reads GET /_fake/journal)")
    source.add_argument("--journal", help="a JSON array as GET /_fake/journal answers ('-' for stdin)")
    parser.add_argument("--control-token", default=None,
                        help=f"the control token of a server serve started with one (default: env {TOKEN_VARIABLE})")
    parser.add_argument("--format", choices=FORMATS, default="text", help="the report's form (default: text)")
    parser.add_argument("--output", help="write the report here instead of to stdout")
    parser.add_argument("--fail-on", choices=(*reversed(SEVERITIES), NEVER), default="error",
                        help="exit 1 when a finding is at or above this severity (default: error)")
    parser.add_argument("--thresholds", metavar="FILE", help="a JSON object of thresholds (names as below)")
    limits = parser.add_argument_group("thresholds", "each overrides the file's value")
    defaults = Thresholds()
    for item in dataclasses.fields(Thresholds):
        limits.add_argument(_flag(item.name), dest=f"threshold_{item.name}", metavar="N", default=None,
                            help=f"{help_of(item)} (default: {getattr(defaults, item.name):g})".replace("%", "%%"))
    return parser


def thresholds_from(args: argparse.Namespace) -> Thresholds:
    try:
        chosen = load_thresholds(args.thresholds) if args.thresholds else Thresholds()
        given = {item.name: getattr(args, f"threshold_{item.name}") for item in dataclasses.fields(Thresholds)}
        return chosen.replace({name: value for name, value in given.items() if value is not None})
    except ValueError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"{args.thresholds}: {error.strerror or error}") from None


def read_journal(args: argparse.Namespace) -> tuple[list[Any], int]:
    """The journal's documents and how many calls it had let go."""
    if args.base_url:
        return fetch_journal(args.base_url, args.control_token or os.environ.get(TOKEN_VARIABLE) or None)
    text = sys.stdin.read() if args.journal == "-" else _read(args.journal)
    try:
        document = json.loads(text)
    except ValueError as error:
        raise UsageError(f"{args.journal}: not JSON ({error})") from None
    if not isinstance(document, list):
        raise UsageError(f"{args.journal}: a journal is a JSON array of entries, as GET /_fake/journal answers")
    return document, 0


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror or error}") from None


def fetch_journal(base_url: str, token: str | None = None) -> tuple[list[Any], int]:
    import httpx

    url = base_url.rstrip("/") + "/_fake/journal"
    try:
        answer = httpx.get(url, timeout=30, headers={TOKEN_HEADER: token} if token else None)
    except httpx.HTTPError as error:
        raise UsageError(f"{url}: {error}") from None
    if answer.status_code == 401:
        raise UsageError(f"{url} answered 401: give the token serve printed with --control-token or {TOKEN_VARIABLE}")
    if answer.status_code != 200:
        raise UsageError(f"{url} answered {answer.status_code}: is this a fake-dinero server?")
    try:
        document = answer.json()
        dropped = int(answer.headers.get(JOURNAL_DROPPED, "0") or 0)
    except ValueError:
        raise UsageError(f"{url} did not answer a journal: is this a fake-dinero server?") from None
    if not isinstance(document, list):
        raise UsageError(f"{url} did not answer a journal: is this a fake-dinero server?")
    return document, dropped


def main(argv: Sequence[str] | None = None) -> int:
    """0: nothing at or above --fail-on; 1: something; 2: usage error or unreadable journal."""
    from . import review

    try:
        args = build_parser().parse_args(argv)
        limits = thresholds_from(args)
        documents, dropped = read_journal(args)
        result = review(documents, limits, dropped=dropped)
    except UsageError as error:
        print(f"fake-dinero review: {error}", file=sys.stderr)
        return 2
    except SystemExit as stop:  # --help
        return stop.code if isinstance(stop.code, int) else 0
    except (ValueError, TypeError) as error:
        print(f"fake-dinero review: {error}", file=sys.stderr)
        return 2
    report = render(result, args.format)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(report)
        print(render_text(result).split("\n", 1)[0])
    else:
        sys.stdout.write(report if report.endswith("\n") else report + "\n")
    return 0 if args.fail_on == NEVER or result.passed(args.fail_on) else 1


if __name__ == "__main__":
    sys.exit(main())
