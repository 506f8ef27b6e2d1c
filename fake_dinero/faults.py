"""Fault injection: declarative rules that answer instead of the fake.

A rule matches by method, a path glob and the organization in the path, and
fires always, a number of times, or with a seeded probability. It can answer
with a Dinero error, a 429, a 480 brownout, a malformed body, a dropped
connection, or add latency to the real answer. Each rule counts how often it fired.
"""

from __future__ import annotations

import fnmatch
import itertools
import random
from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import NOT_FOUND, SERVER_ERROR, DineroError
from .http import ApiRequest, ApiResponse, json_response, text_response
from .ratelimit import QUOTA_EXCEEDED

FaultKind = Literal["error", "rate_limit", "brownout", "malformed", "drop", "latency"]
KINDS: tuple[str, ...] = ("error", "rate_limit", "brownout", "malformed", "drop", "latency")

BROWNOUT_STATUS = 480
BROWNOUT_MESSAGE = (
    "The endpoint you are using is deprecated and about to be removed and therefore your request has failed."
)
"""Dinero's error page: "480 Brownout: The endpoint you are using is deprecated and
about to be removed and therefor your request has failed. This statuscode has a random
chance of happening in the last days of the lifetime for an endpoint that has been
marked for removal." No capture shows the body. The fake sends Dinero's own JSON error
body (Dinero's code refuses the call on purpose, as it does 403/90 for no Pro, and
those answers carry its body), with the page's sentence as the message and code 40,
whose documented meaning covers it ("The URI requested is invalid"): a client that
handles Dinero's body and code 40 handles this too. ``code`` and ``message`` of the
rule override both."""
BROWNOUT_DANISH = "Endpointet er forældet og fjernes snart, derfor blev din forespørgsel afvist."

_DEFAULT_MESSAGES = {
    400: (42, "Validation Error"),
    401: (None, "Authorization has been denied for this request."),
    403: (41, "Unauthorized"),
    404: (40, "Not found"),
    500: (SERVER_ERROR, "An error has occurred."),
    503: (None, "Service Unavailable"),
}


@dataclass
class Fault:
    """One rule. ``times=None`` fires on every match; ``probability`` draws from the seed."""

    kind: FaultKind
    method: str = "*"
    path: str = "*"
    organization_id: int | None = None
    status: int = 500
    code: int | None = None
    message: str | None = None
    seconds: float = 0.0
    times: int | None = None
    probability: float | None = None
    id: str = ""
    fired: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; use one of {', '.join(KINDS)}")
        self.method = self.method.upper()
        if self.kind == "brownout":
            self.status = BROWNOUT_STATUS
        if self.probability is not None and not 0 <= self.probability <= 1:
            raise ValueError("probability must be between 0 and 1")

    def matches(self, request: ApiRequest) -> bool:
        if self.method != "*" and self.method != request.method:
            return False
        if not fnmatch.fnmatch(request.path.lower(), self.path.lower()):
            return False
        return self.organization_id is None or self.organization_id == organization_in_path(request.path)

    @property
    def spent(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def answer(self, real: ApiResponse | None = None) -> ApiResponse:
        """What the client receives when this rule fires (``real``: the fake's own answer)."""
        if self.kind == "rate_limit":
            return text_response(QUOTA_EXCEEDED.format(limit=100, period="1m"), 429, {"retry-after": "60"})
        if self.kind == "malformed":
            body = real.body if real is not None and len(real.body) > 1 else b'{"Collection":[{"Name":"'
            return ApiResponse(200, body[: max(1, len(body) // 2)], {"content-type": "application/json; charset=utf-8"})
        if self.kind == "brownout":
            error = DineroError(
                BROWNOUT_STATUS,
                self.code if self.code is not None else NOT_FOUND,
                self.message or BROWNOUT_MESSAGE,
                danish_message=BROWNOUT_DANISH,
            )
            return json_response(error.body(), BROWNOUT_STATUS)
        default_code, default_message = _DEFAULT_MESSAGES.get(self.status, (None, "Injected fault"))
        code = self.code if self.code is not None else default_code
        error = DineroError(self.status, code, self.message or default_message)
        return json_response(error.body(), self.status)

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class Decision:
    """What the faults say about one request."""

    latency: float = 0.0
    fault: Fault | None = None
    """The rule that answers instead of the fake (never a latency rule)."""
    fired: list[Fault] = field(default_factory=list)


class Faults:
    """The rules of one fake, checked in the order they were added."""

    def __init__(self, seed: int = 0) -> None:
        self.rules: list[Fault] = []
        self._random = random.Random(f"{seed}:faults")
        self._ids = itertools.count(1)

    def add(self, kind: FaultKind, **options: Any) -> Fault:
        rule = Fault(kind, **options)
        rule.id = rule.id or f"fault-{next(self._ids)}"
        self.rules.append(rule)
        return rule

    def error(self, path: str = "*", status: int = 500, code: int | None = None, **options: Any) -> Fault:
        return self.add("error", path=path, status=status, code=code, **options)

    def rate_limit(self, path: str = "*", **options: Any) -> Fault:
        return self.add("rate_limit", path=path, **options)

    def brownout(self, path: str = "*", **options: Any) -> Fault:
        """Dinero's 480 for an endpoint near removal; give ``probability`` to make it
        random, as Dinero does in an endpoint's last days."""
        return self.add("brownout", path=path, **options)

    def malformed(self, path: str = "*", **options: Any) -> Fault:
        return self.add("malformed", path=path, **options)

    def drop(self, path: str = "*", **options: Any) -> Fault:
        return self.add("drop", path=path, **options)

    def latency(self, path: str = "*", seconds: float = 1.0, **options: Any) -> Fault:
        return self.add("latency", path=path, seconds=seconds, **options)

    def remove(self, fault_id: str) -> None:
        self.rules = [rule for rule in self.rules if rule.id != fault_id]

    def clear(self) -> None:
        self.rules.clear()

    def decide(self, request: ApiRequest) -> Decision:
        decision = Decision()
        for rule in self.rules:
            if rule.spent or not rule.matches(request):
                continue
            if rule.probability is not None and self._random.random() >= rule.probability:
                continue
            rule.fired += 1
            decision.fired.append(rule)
            if rule.kind == "latency":
                decision.latency += rule.seconds
                continue
            decision.fault = rule
            break
        return decision


def organization_in_path(path: str) -> int | None:
    """The organization id in ``/{version}/{organizationId}/...``, if there is one: ASCII
    digits that fit Dinero's Int32 ids (``²`` is a digit to Python, not to .NET)."""
    parts = path.strip("/").split("/")
    if len(parts) >= 2 and parts[1].isascii() and parts[1].isdigit() and int(parts[1][:11]) < 2**31:
        return int(parts[1])
    return None


@dataclass
class Delivery:
    """What a door sends back for one request, after faults have had their say."""

    response: ApiResponse | None
    """``None`` when the connection is dropped without an answer."""
    latency: float = 0.0
    """Seconds the answer is held back."""
    routed: bool = True
    """False when no Dinero operation has the request's path (the fake's 404)."""
