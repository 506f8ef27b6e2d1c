"""The console log of ``fake-dinero serve``: one line per request.

Each line says when (on the fake's clock), what was asked, how the fake answered
(status and Dinero's error code), for which organization, and which fault rule
answered instead of the fake, if one did. Control-plane calls (``/_fake/...``) are
logged too, marked ``control``: they are not in the journal, but a person watching
the console wants to see a reset or a clock move among the calls it explains.

Only ``serve`` logs: the in-process door and the pytest fixtures never do.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Any, TextIO

from .fake import DID_YOU_MEAN
from .http import ApiRequest, ApiResponse
from .journal import JournalEntry, dinero_code
from .redaction import TEXT_TYPES, redact_text

BODY_LIMIT = 2000
"""Characters of a body the text log shows; the JSON log shows the whole body."""

BATCH_LINES = 1000
"""The most lines the console writer writes at once."""
GATHER_SECONDS = 0.01
"""After a write, how long the console writer lets lines gather before it writes again:
a line waits at most this long, a lone one not at all."""

_COLOURS = {2: "32", 3: "36", 4: "33", 5: "31"}
_FAULT_COLOUR = "35"
_DIM = "2"


def _paint(text: str, colour: str, enabled: bool) -> str:
    return f"\x1b[{colour}m{text}\x1b[0m" if enabled else text


def wants_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class ConsoleWriter:
    """Writes lines to a stream from a thread of its own, so a console that is slow or
    not read at all (a pipe nobody drains) never holds up an answer. When more than
    ``capacity`` lines wait, new ones are dropped and counted; the count is written
    once the console takes lines again.

    A line costs the request that logs it a deque append (no lock, no system call);
    the thread writes whatever waits at once, with one write and one flush."""

    def __init__(self, stream: TextIO, capacity: int = 10_000) -> None:
        self.stream = stream
        self.capacity = capacity
        self.dropped = 0
        self._lines: deque[str] = deque()
        self._waiting = threading.Event()
        self._closing = False
        self._thread = threading.Thread(target=self._pump, name="fake-dinero-log", daemon=True)
        self._thread.start()

    def __call__(self, line: str) -> None:
        if len(self._lines) >= self.capacity:
            self.dropped += 1
            return
        self._lines.append(line)
        if not self._waiting.is_set():
            self._waiting.set()

    def _pump(self) -> None:
        reported = 0
        lines = self._lines
        while True:
            self._waiting.wait()
            # Cleared before the lines are taken: a line appended from now on sets it again.
            self._waiting.clear()
            while lines:
                batch = [lines.popleft() for _ in range(min(len(lines), BATCH_LINES))]
                try:
                    self.stream.write("\n".join(batch) + "\n")
                    if self.dropped > reported:
                        dropped, reported = self.dropped - reported, self.dropped
                        self.stream.write(f"fake-dinero: {dropped} log line(s) dropped: the console was not read\n")
                    self.stream.flush()
                except (OSError, ValueError):  # the console went away: stop writing, keep serving
                    return
            if self._closing:
                return
            # Let the next lines gather: a busy server then costs a wake-up of this
            # thread (and a turn of the GIL) per batch, not per line.
            time.sleep(GATHER_SECONDS)

    def close(self, timeout: float = 2.0) -> None:
        """Write what waits (for at most ``timeout`` seconds), then stop."""
        self._closing = True
        self._waiting.set()
        self._thread.join(timeout)


class RequestLog:
    """Formats one line per request and hands it to ``write`` (a ``ConsoleWriter`` in
    ``serve``; any callable taking a line, e.g. a list's ``append``, in a test)."""

    def __init__(
        self,
        write: Callable[[str], Any],
        *,
        bodies: bool = False,
        as_json: bool = False,
        colour: bool = False,
    ) -> None:
        self.write = write
        self.bodies = bodies
        self.as_json = as_json
        self.colour = colour and not as_json

    def answered(
        self,
        request: ApiRequest,
        response: ApiResponse | None,
        entry: JournalEntry | None,
        *,
        now: Callable[[], datetime],
        fault_kind: Callable[[str], str | None] = lambda fault_id: None,
    ) -> None:
        """Log one answered request: ``entry`` is its journal entry, None for a control call
        (which is not journaled; ``now`` gives the fake's time for it)."""
        control = entry is None
        if entry is None:
            entry = JournalEntry(
                method=request.method,
                path=request.path,
                query=request.query_string,
                status=response.status if response is not None else 0,
                code=dinero_code(response),
                organization_id=None,
                client_id=None,
                at=now(),
            )
        kind = fault_kind(entry.fault) if entry.fault else None
        if self.as_json:
            self.write(self._json_line(entry, kind, control, request, response))
        else:
            self.write(self._text_line(entry, kind, control, request, response))

    def _json_line(
        self,
        entry: JournalEntry,
        fault_kind: str | None,
        control: bool,
        request: ApiRequest,
        response: ApiResponse | None,
    ) -> str:
        document = entry.to_json()
        document["fault_kind"] = fault_kind
        document["control"] = control
        document["did_you_mean"] = _did_you_mean(response)
        if self.bodies:
            document["request_body"] = body_text(request.body, request.headers)
            document["response_body"] = body_text(response.body, response.headers) if response is not None else None
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))

    def _text_line(
        self,
        entry: JournalEntry,
        fault_kind: str | None,
        control: bool,
        request: ApiRequest,
        response: ApiResponse | None,
    ) -> str:
        at = entry.at.isoformat(" ", "milliseconds")[:23]  # no zone: the fake's clock is UTC
        query = f"?{entry.query}" if entry.query else ""
        status = str(entry.status) if response is not None else "dropped"
        if entry.code is not None:
            status += f" code {entry.code}"
        status = _paint(status, _COLOURS.get(entry.status // 100, "0"), self.colour and not control)
        parts = [f"{at}  {entry.method} {entry.path}{query} -> {status}"]
        if entry.organization_id is not None:
            parts.append(f"org {entry.organization_id}")
        if entry.fault:
            fault = f"fault {entry.fault}" + (f" ({fault_kind})" if fault_kind else "")
            parts.append(_paint(fault, _FAULT_COLOUR, self.colour))
        if control:
            parts.append("control")
        nearest = _did_you_mean(response)
        if nearest:
            parts.append(f"did you mean {nearest}?")
        line = "  ".join(parts)
        if control:
            line = _paint(line, _DIM, self.colour)
        if self.bodies:
            sent = body_text(request.body, request.headers, BODY_LIMIT)
            answered = body_text(response.body, response.headers, BODY_LIMIT) if response is not None else None
            line += "".join(f"\n    {arrow} {text}" for arrow, text in ((">", sent), ("<", answered)) if text)
        return line


def _did_you_mean(response: ApiResponse | None) -> str | None:
    """The operation an unknown route's 404 names (the fake's own header)."""
    return response.headers.get(DID_YOU_MEAN) if response is not None and response.status == 404 else None


def body_text(body: bytes, headers: dict[str, str], limit: int | None = None) -> str:
    """A body as text for the log, credentials redacted; a binary body as its size and type."""
    if not body:
        return ""
    content_type = next((value for name, value in headers.items() if name.lower() == "content-type"), "")
    if content_type and not any(kind in content_type for kind in TEXT_TYPES):
        return f"<{len(body)} bytes, {content_type.split(';')[0]}>"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return f"<{len(body)} bytes>"
    text = redact(text, content_type)
    if limit is not None and len(text) > limit:
        text = f"{text[:limit]}... ({len(body)} bytes in all)"
    return text


def redact(text: str, content_type: str = "") -> str:
    """``text`` with the values of credential fields replaced by ``[redacted]``."""
    return redact_text(text, content_type.split(";")[0].strip().lower())
