"""The request journal: every call to Dinero's API the fake answered, for tests to assert on.

An entry answers "what did my code send, and what came back?": method, path, query,
headers and bodies both ways (credentials redacted), status and Dinero's error code,
organization, client, the time on the fake's clock, the fault that answered instead of
the fake, and, for a path no Dinero operation has, the operation it most likely meant.

Recording stays cheap and bounded: an entry keeps references to the bytes and headers
that went over the wire (a body longer than ``max_body_bytes`` is cut) and decodes and
redacts them only when read; the journal keeps the newest ``max_entries`` calls and
counts those it dropped, so a long ``fake-dinero serve`` holds a fixed amount.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, overload

from .formats import render_datetime
from .http import ApiRequest, ApiResponse
from .journal_filters import Status, aware, matcher
from .models import MAX_DEPTH, json_depth
from .redaction import TEXT_TYPES, mentions_secret, redact_headers, redact_json, redact_text

DEFAULT_MAX_ENTRIES = 1000
"""Calls a journal keeps; enough for any one test, small enough for a long ``serve``."""
DEFAULT_MAX_BODY_BYTES = 64 * 1024
"""Bytes of each body an entry keeps; Dinero's own documents are far smaller, a PDF or a
long list page is not."""



Wire = tuple[Mapping[str, str], bytes, int]
"""What went over the wire one way: headers, the body as kept (maybe cut), the body's full size."""
NOTHING: Wire = ({}, b"", 0)


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One request and how the fake answered it.

    ``request_headers``, ``request_body``, ``response_headers`` and ``response_body``
    are decoded on each read (JSON to Python, text as text, anything else as a
    ``"<N bytes of TYPE>"`` note; ``None`` for no body), credentials redacted.
    """

    method: str
    path: str
    query: str
    status: int
    """0 when a fault dropped the connection instead of answering."""
    code: int | None
    """Dinero's error code when the answer was a Dinero error body."""
    organization_id: int | None
    client_id: str | None
    at: datetime
    """When, on the fake's clock."""
    fault: str | None = None
    """The fault rule that answered instead of the fake, if one did."""
    routed: bool = True
    """False when no Dinero operation has the path (the fake's unknown-route 404)."""
    did_you_mean: str | None = None
    """For an unrouted call, the operation nearest to it, e.g. ``GET /v1/{organizationId}/invoices``."""
    _sent: Wire = field(default=NOTHING, repr=False, compare=False)
    _answered: Wire = field(default=NOTHING, repr=False, compare=False)

    @property
    def request_headers(self) -> dict[str, str]:
        return redact_headers(self._sent[0])

    @property
    def response_headers(self) -> dict[str, str]:
        return redact_headers(self._answered[0])

    @property
    def request_body(self) -> Any:
        return decode_body(*self._sent)

    @property
    def response_body(self) -> Any:
        return decode_body(*self._answered)

    def json(self) -> Any:
        """The request's JSON body as Python (credentials redacted); None when it sent no JSON.

        Raises ValueError when the body was JSON but longer than the journal keeps."""
        headers, body, size = self._sent
        if not size or not _is_json(headers, body):
            return None
        if len(body) < size:
            raise ValueError(
                f"The request body was cut at {len(body)} of {size} bytes; "
                "give the Journal a larger max_body_bytes to read it as JSON."
            )
        document = self.request_body
        return None if isinstance(document, str) else document

    def to_json(self) -> dict[str, Any]:
        """The summary ``serve``'s JSON request log writes (snake_case, Dinero's time format)."""
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "code": self.code,
            "organization_id": self.organization_id,
            "client_id": self.client_id,
            "at": render_datetime(self.at),
            "fault": self.fault,
        }

    def to_document(self) -> dict[str, Any]:
        """The entry as ``GET /_fake/journal`` shows it: camelCase keys, the time in ISO 8601
        with its UTC offset, headers and bodies decoded and redacted."""
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "code": self.code,
            "organizationId": self.organization_id,
            "clientId": self.client_id,
            "at": render_moment(self.at),
            "fault": self.fault,
            "routed": self.routed,
            "didYouMean": self.did_you_mean,
            "requestHeaders": self.request_headers,
            "requestBody": self.request_body,
            "responseHeaders": self.response_headers,
            "responseBody": self.response_body,
        }

    def line(self) -> str:
        """One line: method, path and query, status, code, fault and a missing route's neighbour."""
        query = f"?{self.query}" if self.query else ""
        status = str(self.status) if self.status else "dropped"
        code = f" (code {self.code})" if self.code is not None else ""
        fault = f" [fault {self.fault}]" if self.fault else ""
        nearest = f" [no such operation; did you mean {self.did_you_mean}?]" if self.did_you_mean else ""
        if not self.routed and not nearest:
            nearest = " [no such operation]"
        return f"{self.method} {self.path}{query} -> {status}{code}{fault}{nearest}"


class Entries(Sequence[JournalEntry]):
    """The journal's entries, oldest first; call it with filters for the matching ones:
    ``journal.entries(method="POST", path="/v1/*/invoices*", status="4xx")``."""

    __slots__ = ("_items",)

    def __init__(self, items: deque[JournalEntry]) -> None:
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> JournalEntry: ...
    @overload
    def __getitem__(self, index: slice) -> list[JournalEntry]: ...
    def __getitem__(self, index: int | slice) -> JournalEntry | list[JournalEntry]:
        if isinstance(index, slice):
            return list(self._items)[index]
        return self._items[index]

    def __iter__(self) -> Iterator[JournalEntry]:
        # A snapshot: the live server may record while a test reads.
        return iter(tuple(self._items))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"Entries({list(self)!r})"

    def __call__(
        self,
        method: str | None = None,
        path: str | None = None,
        status: Status | None = None,
        *,
        since: datetime | str | None = None,
        organization_id: int | None = None,
        unrouted: bool | None = None,
    ) -> list[JournalEntry]:
        """The entries that match every given filter (see ``matcher``)."""
        test = matcher(method, path, status, since, organization_id, unrouted)
        return [entry for entry in self if test(entry)]


class Journal:
    """The newest calls the fake answered, with helpers to find and assert.

    ``len(journal)`` counts every call recorded since the last ``clear``, including
    the ``dropped`` ones the journal no longer holds; ``journal.entries`` holds the
    newest ``max_entries`` (None: all). Each kept body is cut at ``max_body_bytes``
    (None: never), with a note of its full size.
    """

    def __init__(
        self, max_entries: int | None = DEFAULT_MAX_ENTRIES, max_body_bytes: int | None = DEFAULT_MAX_BODY_BYTES
    ) -> None:
        if max_entries is not None and max_entries < 1:
            raise ValueError("max_entries must be at least 1 (or None for no bound)")
        if max_body_bytes is not None and max_body_bytes < 0:
            raise ValueError("max_body_bytes must be 0 or more (or None for no bound)")
        self.max_entries = max_entries
        self.max_body_bytes = max_body_bytes
        self._entries: deque[JournalEntry] = deque(maxlen=max_entries)
        self._unrouted: deque[JournalEntry] = deque(maxlen=max_entries)
        self.entries = Entries(self._entries)
        self.recorded = 0
        """Calls recorded since the last ``clear``, kept or dropped."""

    @property
    def dropped(self) -> int:
        """Calls recorded since the last ``clear`` that the journal no longer holds."""
        return self.recorded - len(self._entries)

    def __len__(self) -> int:
        return self.recorded

    def __iter__(self) -> Iterator[JournalEntry]:
        return iter(self.entries)

    def record(
        self,
        request: ApiRequest,
        response: ApiResponse | None,
        at: datetime,
        *,
        organization_id: int | None = None,
        client_id: str | None = None,
        fault: str | None = None,
        routed: bool = True,
        did_you_mean: str | None = None,
    ) -> JournalEntry:
        """Journal one call. Headers and bodies are kept by reference (the doors never
        change them after the answer); only a body over ``max_body_bytes`` is copied, cut."""
        limit = self.max_body_bytes
        sent = request.body
        if limit is not None and len(sent) > limit:
            sent = sent[:limit]
        answered = NOTHING
        if response is not None:
            answer = response.body
            if limit is not None and len(answer) > limit:
                answer = answer[:limit]
            answered = (response.headers, answer, len(response.body))
        entry = JournalEntry(
            request.method,
            request.path,
            request.query_string,
            response.status if response is not None else 0,
            dinero_code(response),
            organization_id,
            client_id,
            at,
            fault,
            routed,
            did_you_mean,
            (request.headers, sent, len(request.body)),
            answered,
        )
        self._entries.append(entry)
        if not routed:
            self._unrouted.append(entry)
        self.recorded += 1
        return entry

    def clear(self) -> None:
        self._entries.clear()
        self._unrouted.clear()
        self.recorded = 0

    def calls(
        self,
        method: str | None = None,
        path: str | None = None,
        status: Status | None = None,
        *,
        since: datetime | str | None = None,
        organization_id: int | None = None,
        unrouted: bool | None = None,
    ) -> list[JournalEntry]:
        """Entries matching all given filters (as ``entries(...)``)."""
        return self.entries(method, path, status, since=since, organization_id=organization_id, unrouted=unrouted)

    def unrouted(self) -> list[JournalEntry]:
        """Calls to paths no Dinero operation has, oldest first, each with ``did_you_mean``.

        Kept apart from the other entries (up to ``max_entries`` of them), so a test's
        many good calls never push out the one that went astray; ``clear`` forgets them."""
        return list(tuple(self._unrouted))

    def describe_unrouted(self) -> str:
        lines = ["These requests reached Dinero's hosts but no Dinero operation has their path:"]
        lines += [f"  {entry.line()}" for entry in self.unrouted()]
        return "\n".join(lines)

    def assert_called(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        times: int | None = None,
        status: Status | None = None,
        since: datetime | str | None = None,
        organization_id: int | None = None,
    ) -> list[JournalEntry]:
        """Fail with a readable list of what was called when no (or not ``times``) calls match."""
        found = self.calls(method, path, status, since=since, organization_id=organization_id)
        if (times is None and not found) or (times is not None and len(found) != times):
            wanted = f"{method or '*'} {path or '*'}"
            if status is not None:
                wanted += f" -> {status}"
            count = "at least once" if times is None else f"{times} time(s)"
            raise AssertionError(f"expected {wanted} {count}, got {len(found)}.\n{self.describe()}")
        return found

    def assert_not_called(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        status: Status | None = None,
        since: datetime | str | None = None,
        organization_id: int | None = None,
    ) -> None:
        self.assert_called(method, path, times=0, status=status, since=since, organization_id=organization_id)

    def describe(self, last: int = 50) -> str:
        """The newest ``last`` calls, one line each, with what was sent and, for an
        error, what came back, each cut to a line."""
        entries = list(self)
        if not entries:
            return "The fake received no requests." if not self.recorded else (
                f"The fake received {self.recorded} request(s) but keeps none of them."
            )
        shown = entries[-last:]
        left_out = self.recorded - len(shown)
        heading = "Requests the fake received" + (f" (the last {len(shown)} of {self.recorded})" if left_out else "")
        lines = [f"{heading}:"]
        for entry in shown:
            lines.append(f"  {entry.line()}")
            sent = brief(entry.request_body)
            if sent:
                lines.append(f"      sent: {sent}")
            if entry.status >= 400:
                answered = brief(entry.response_body)
                if answered:
                    lines.append(f"      got:  {answered}")
        return "\n".join(lines)


# -- rendering -----------------------------------------------------------------


BRIEF = 160
"""Characters of a body a failure message shows."""


def brief(body: Any, limit: int = BRIEF) -> str:
    """A decoded body on one line, cut to ``limit`` characters."""
    if body is None or body == "":
        return ""
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    text = " ".join(text.split())
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def render_moment(moment: datetime) -> str:
    """ISO 8601 with the UTC offset, to the millisecond (cut, never rounded), e.g.
    ``2026-03-02T09:30:05.123+00:00``; a whole second shows no fraction."""
    moment = aware(moment)
    return moment.isoformat(timespec="milliseconds" if moment.microsecond >= 1000 else "seconds")


def _content_type(headers: Mapping[str, str]) -> str:
    value = headers.get("content-type")
    if value is None:
        value = next((text for name, text in headers.items() if name.lower() == "content-type"), "")
    return value.split(";")[0].strip().lower()


def _is_json(headers: Mapping[str, str], body: bytes) -> bool:
    media = _content_type(headers)
    return "json" in media if media else body.lstrip()[:1] in (b"{", b"[")


def decode_body(headers: Mapping[str, str], body: bytes, size: int) -> Any:
    """A kept body as a test wants it: JSON as Python, text as text (forms too), anything
    else as ``"<N bytes of TYPE>"``; credentials redacted; a cut body as its text with a
    note of its full size. None for no body."""
    if not size:
        return None
    media = _content_type(headers)
    if media and not any(kind in media for kind in TEXT_TYPES):
        return f"<{size} bytes of {media}>"
    cut = len(body) < size
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        if not (cut and error.start >= len(body) - 3):  # not just a character split by the cut
            return f"<{size} bytes of {media or 'binary data'}>"
        text = body[: error.start].decode("utf-8")
    if cut:
        return f"{redact_text(text, media)}... [cut: {size} bytes in all, the first {len(body)} kept]"
    if _is_json(headers, body):
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than Python reads
            return text
        if json_depth(document) > MAX_DEPTH:  # what Dinero refuses stays text: rendering it would recurse as deep
            return text
        return redact_json(document) if mentions_secret(text) else document
    return redact_text(text, media)


def dinero_code(response: ApiResponse | None) -> int | None:
    """Dinero's error code in an error answer's JSON body, if it has one."""
    if response is None or response.status < 400 or not response.body.startswith(b"{"):
        return None
    try:
        code = json.loads(response.body).get("code")
    except ValueError:
        return None
    return code if isinstance(code, int) else None
