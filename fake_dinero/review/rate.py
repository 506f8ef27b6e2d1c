"""Rate: 429s received, calls made before Retry-After had passed, and minutes with more
calls than Dinero admits per organization and client (even where the fake's limit was off)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from .catalogue import RATE_429, RATE_BURST, RATE_HAMMERED
from .model import Evidence, Exchange, Finding, clock_time, evidence_of, finding
from .thresholds import Thresholds

Key = tuple[int | None, str | None]


def _api_calls(calls: Sequence[Exchange]) -> dict[Key, list[Exchange]]:
    """The calls Dinero's limiter counts, by (organization, client): API calls with a client
    (the limiter keys on the token's client; a token call is not an API call)."""
    by_key: dict[Key, list[Exchange]] = defaultdict(list)
    for call in calls:
        if not call.is_token_call and call.client_id is not None:
            by_key[(call.organization_id, call.client_id)].append(call)
    return by_key


def _who(key: Key) -> str:
    organization, client = key
    return f"organization {organization if organization is not None else '(none)'}, client {client}"


def retry_after(call: Exchange, default: float) -> float:
    """The seconds a 429 asks the client to wait (Retry-After as seconds; else ``default``)."""
    value = call.response_headers.get("retry-after", "").strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        return default


def received(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """429s from Dinero's limiter (a fault rule's 429 is a test of retries, not exhaustion)."""
    findings = []
    for key, mine in _api_calls(calls).items():
        refused = [call for call in mine if call.status == 429 and call.fault is None]
        if refused:
            summary = (f"{len(refused)} call(s) refused with 429 for {_who(key)}, "
                       f"{clock_time(refused[0].at)} to {clock_time(refused[-1].at)}")
            findings.append(finding(RATE_429, summary, evidence_of(refused), len(refused), thresholds.max_evidence,
                                    organization_id=key[0], client_id=key[1]))
    return findings


def hammered(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """After each 429, the next call of the same organization and client: too early if it came
    before Retry-After had passed on the fake's clock."""
    findings = []
    for key, mine in _api_calls(calls).items():
        early: list[Evidence] = []
        for refused, following in zip(mine, mine[1:], strict=False):
            if refused.status != 429:
                continue
            wait = retry_after(refused, thresholds.retry_after_seconds)
            waited = (following.at - refused.at).total_seconds()
            if waited < wait:
                early.append(Evidence(following.at, following.line(),
                                      f"{waited:g} s after the 429 at {clock_time(refused.at)}, "
                                      f"which asked for {wait:g} s"))
        if early:
            summary = f"{len(early)} call(s) for {_who(key)} came before Retry-After had passed"
            findings.append(finding(RATE_HAMMERED, summary, early, len(early), thresholds.max_evidence,
                                    organization_id=key[0], client_id=key[1]))
    return findings


def bursts(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """The busiest rolling window per organization and client, when it holds more calls than
    the limit admits; every call counts, answered or refused, as each is one the client made."""
    findings = []
    window, limit = thresholds.rate_window_seconds, thresholds.rate_limit
    for key, mine in _api_calls(calls).items():
        if len(mine) <= limit:
            continue
        best, best_start, start = 0, 0, 0
        for end, call in enumerate(mine):
            while (call.at - mine[start].at).total_seconds() >= window:
                start += 1
            if end - start + 1 > best:
                best, best_start = end - start + 1, start
        if best <= limit:
            continue
        inside = mine[best_start: best_start + best]
        over = inside[limit]
        evidence = [
            Evidence(inside[0].at, inside[0].line(), f"the first of {best} calls within {window:g} s"),
            Evidence(over.at, over.line(), f"call {limit + 1} within {window:g} s: over the limit of {limit}"),
            Evidence(inside[-1].at, inside[-1].line(), f"the last of the {best}"),
        ]
        summary = (f"{best} calls within {window:g} s for {_who(key)} "
                   f"({clock_time(inside[0].at)} to {clock_time(inside[-1].at)}); Dinero admits {limit}")
        findings.append(finding(RATE_BURST, summary, evidence, best, thresholds.max_evidence,
                                organization_id=key[0], client_id=key[1]))
    return findings


CHECKS = (received, hammered, bursts)
