"""Error storms and logins: runs of 400/401/403, the same refused request sent again,
logins while the token is still valid, and calls made on after a 401 without a new token."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

from .catalogue import ERROR_STORM, LOGINS, NOT_REFRESHED, REPEATED
from .model import Evidence, Exchange, Finding, clock_time, evidence_of, finding
from .thresholds import Thresholds

STORM_STATUSES = frozenset({400, 401, 403})
"""The answers Dinero names: "a lot of 400, 401 or 403 requests"."""


def _by_organization(calls: Sequence[Exchange]) -> dict[int | None, list[Exchange]]:
    """API calls (not token calls) by organization: a refused token has no client, so the
    organization is what ties a 401 to the calls around it."""
    by_organization: dict[int | None, list[Exchange]] = defaultdict(list)
    for call in calls:
        if not call.is_token_call:
            by_organization[call.organization_id].append(call)
    return by_organization


def storms(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """Runs of at least ``error_run`` answers of 400, 401 or 403 in a row for one organization."""
    findings = []
    for organization, mine in _by_organization(calls).items():
        run: list[Exchange] = []
        for call in [*mine, None]:
            if call is not None and call.status in STORM_STATUSES:
                run.append(call)
                continue
            if len(run) >= max(thresholds.error_run, 1):
                statuses = ", ".join(f"{sum(c.status == s for c in run)} x {s}" for s in sorted(STORM_STATUSES)
                                     if any(c.status == s for c in run))
                summary = (f"{len(run)} refusals in a row ({statuses}) for organization {organization}, "
                           f"{clock_time(run[0].at)} to {clock_time(run[-1].at)}")
                findings.append(finding(ERROR_STORM, summary, evidence_of(run), len(run), thresholds.max_evidence,
                                        organization_id=organization))
            run = []
    return findings


def repeated(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """The same method, path, query and body refused (4xx) at least ``repeated_failures`` times.
    429 is left out (resending after Retry-After is right) and so is 401 (``auth.401-not-refreshed``)."""
    failing: dict[tuple[str, str, str, str], list[Exchange]] = defaultdict(list)
    for call in calls:
        if 400 <= call.status < 500 and call.status not in (401, 429) and not call.is_token_call:
            failing[(call.method, call.path.lower(), call.query, call.body_text)].append(call)
    findings = []
    for (method, _, _, _), same in failing.items():
        if len(same) >= max(thresholds.repeated_failures, 2):
            summary = (f"{method} {same[0].path} refused {len(same)} times with the same request "
                       f"({same[0].status}{f'/{same[0].code}' if same[0].code is not None else ''}), "
                       f"{clock_time(same[0].at)} to {clock_time(same[-1].at)}")
            findings.append(finding(REPEATED, summary, evidence_of(same), len(same), thresholds.max_evidence,
                                    organization_id=same[0].organization_id, client_id=same[0].client_id))
    return findings


def _lifetime(call: Exchange, default: float) -> float:
    answer = call.response_body
    value = answer.get("expires_in") if isinstance(answer, dict) else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else default


def logins(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """Per client: the most successful token calls within one token lifetime, against
    ``logins_per_token_lifetime`` per organization the client called in that time."""
    tokens: dict[str | None, list[Exchange]] = defaultdict(list)
    organizations: dict[str | None, list[Exchange]] = defaultdict(list)
    for call in calls:
        if call.is_token_call and call.ok:
            tokens[call.caller].append(call)
        elif not call.is_token_call and call.organization_id is not None:
            organizations[call.client_id].append(call)
    findings = []
    for client, mine in tokens.items():
        reached_calls = organizations.get(client, [])
        reached_times = [call.at for call in reached_calls]
        token_times = [call.at for call in mine]
        worst: tuple[int, int, list[Exchange]] | None = None
        for first_index, first in enumerate(mine):
            until = first.at + timedelta(seconds=_lifetime(first, thresholds.token_lifetime_seconds))
            inside = mine[first_index: bisect_left(token_times, until)]
            reached = {call.organization_id for call in
                       reached_calls[bisect_left(reached_times, first.at): bisect_left(reached_times, until)]}
            allowed = max(thresholds.logins_per_token_lifetime, 1) * max(len(reached), 1)
            if len(inside) > allowed and (worst is None or len(inside) - allowed > worst[0] - worst[1]):
                worst = (len(inside), allowed, inside)
        if worst is not None:
            count, allowed, inside = worst
            summary = (f"client {client} logged in {count} times within one token lifetime "
                       f"({clock_time(inside[0].at)} to {clock_time(inside[-1].at)}); {allowed} would do")
            findings.append(finding(LOGINS, summary, evidence_of(inside), count, thresholds.max_evidence,
                                    client_id=client))
    return findings


def not_refreshed(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """A 401 followed by another API call for the same organization with no token call in
    between (the Authorization is redacted, so the order of calls is what tells)."""
    last_401: dict[int | None, Exchange] = {}
    found: dict[int | None, list[Evidence]] = defaultdict(list)
    for call in calls:
        if call.is_token_call:
            if call.ok:
                last_401.clear()
            continue
        refused = last_401.pop(call.organization_id, None)
        if refused is not None:
            found[call.organization_id].append(Evidence(
                call.at, call.line(), f"after the 401 at {clock_time(refused.at)} ({refused.method} {refused.path}), "
                                      "with no successful token call between"))
        if call.status == 401:
            last_401[call.organization_id] = call
    return [
        finding(NOT_REFRESHED, f"{len(evidence)} call(s) for organization {organization} went on after a 401 "
                               "without a new token", evidence, len(evidence), thresholds.max_evidence,
                organization_id=organization)
        for organization, evidence in found.items()
    ]


CHECKS = (storms, repeated, logins, not_refreshed)
