"""Sending webhook deliveries: POST each due delivery to its subscriber's Uri.

``domain.webhooks`` decides what is owed and when; this module only sends it,
through httpx, and reports the answer back. Each door sends its own way:

- in-process (``DineroTransport``): after the fake answers a request, every
  delivery due on the fake's clock is sent at once in the calling thread, with
  a sync ``httpx.Client`` after a sync request and an ``httpx.AsyncClient``
  after an async one. respx patches those clients too, so an integrator's own
  receiver can be a respx route (or respx's ASGI/WSGI handler), and under
  ``InProcessDinero`` an unmocked host passes through to the network (a
  loopback server in tests);
- the live server (``asgi``): a background asyncio task sends them, so a slow
  receiver never holds up an answer (``asgi._Door``);
- on demand: ``fake.control.deliver_webhooks()`` / ``POST /_fake/webhooks/deliver``.

A delivery that reaches Dinero's own hosts in-process comes back through the
fake; the sender is not re-entered then (the nested request sends nothing).

httpx (and asyncio) are imported when a delivery is first sent: most fakes never
send one, and importing httpx costs tens of milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .domain import webhooks
from .store import Record

if TYPE_CHECKING:
    import httpx

    from .fake import FakeDinero

TIMEOUT_SECONDS = 10.0
"""How long (real time) a receiver has to answer one attempt."""


@dataclass(frozen=True)
class Attempt:
    """One POST of one delivery, and where to record its outcome."""

    organization_id: int
    key: str
    uri: str
    headers: dict[str, str]
    body: bytes
    queued: Record
    at: datetime
    """When it began, on the fake's clock (retries count from here)."""


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None = None
    response: str | None = None


class WebhookSender:
    """Sends the deliveries one fake owes (see the module's docstring)."""

    def __init__(self, fake: FakeDinero) -> None:
        self.fake = fake
        self._busy = False
        self._in_flight: set[tuple[int, str]] = set()

    def pending(self) -> bool:
        """Whether any delivery is still to attempt, due now or later."""
        name = webhooks.QUEUE.name
        return any(organization.tables.get(name) for organization in self.fake.world.organizations.values())

    def has_due(self) -> bool:
        """Whether a delivery is due now: the one check each request pays (a dict
        lookup per organization while no delivery is queued)."""
        if not self.pending():
            return False
        now = self.fake.world.clock.now()
        return any(
            (organization.id, key) not in self._in_flight
            for organization in self.fake.world.organizations.values()
            for key in webhooks.due(organization, now)
        )

    # -- sending ----------------------------------------------------------------------

    def pump(self) -> list[dict[str, Any]]:
        """Send every delivery due now, synchronously; the deliveries attempted, as the
        control plane shows them."""
        if self._busy:
            return []
        self._busy = True
        attempts: list[Attempt] = []
        try:
            attempts = self._take()
            if not attempts:
                return []
            import httpx

            with httpx.Client(timeout=TIMEOUT_SECONDS) as client:
                for attempt in attempts:
                    self._settle(attempt, _send(client, attempt))
            return self._views(attempts)
        finally:
            self._busy = False
            self._in_flight.difference_update((a.organization_id, a.key) for a in attempts)

    async def apump(self) -> list[dict[str, Any]]:
        """``pump`` with an ``httpx.AsyncClient``: the attempts run concurrently and the
        event loop is never blocked."""
        if self._busy:
            return []
        self._busy = True
        attempts: list[Attempt] = []
        try:
            attempts = self._take()
            if not attempts:
                return []
            import asyncio

            import httpx

            async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as client:
                outcomes = await asyncio.gather(*(_asend(client, attempt) for attempt in attempts))
            for attempt, outcome in zip(attempts, outcomes, strict=True):
                self._settle(attempt, outcome)
            return self._views(attempts)
        finally:
            self._busy = False
            # Cancelled (the server stops): what was not settled is due again.
            self._in_flight.difference_update((a.organization_id, a.key) for a in attempts)

    def _take(self) -> list[Attempt]:
        world = self.fake.world
        now = world.clock.now()
        attempts = []
        for organization in list(world.organizations.values()):
            for key in webhooks.due(organization, now):
                if (organization.id, key) in self._in_flight:
                    continue
                begun = webhooks.begin_attempt(organization, key)
                if begun is None:
                    continue
                uri, headers, body, queued = begun
                self._in_flight.add((organization.id, key))
                attempts.append(Attempt(organization.id, key, uri, headers, body, queued, now))
        return attempts

    def _settle(self, attempt: Attempt, outcome: Outcome) -> None:
        self._in_flight.discard((attempt.organization_id, attempt.key))
        organization = self.fake.world.organizations.get(attempt.organization_id)
        if organization is not None:
            webhooks.settle(
                organization,
                attempt.key,
                attempt.queued,
                attempt.at,
                outcome.status_code,
                outcome.error,
                outcome.response,
            )

    def _views(self, attempts: list[Attempt]) -> list[dict[str, Any]]:
        views = []
        for attempt in attempts:
            organization = self.fake.world.organizations.get(attempt.organization_id)
            table = organization.tables.get(webhooks.DELIVERIES.name) if organization else None
            row = table.get(attempt.key) if table is not None else None
            if table is not None and row is not None:
                views.append(table.document(row))
        return views


def _send(client: httpx.Client, attempt: Attempt) -> Outcome:
    try:
        answer = client.post(attempt.uri, content=attempt.body, headers=attempt.headers)
    except Exception as error:  # noqa: BLE001  a receiver's failure is the delivery's, never the caller's
        return _failure(error)
    return Outcome(answer.status_code, response=answer.text)


async def _asend(client: httpx.AsyncClient, attempt: Attempt) -> Outcome:
    try:
        answer = await client.post(attempt.uri, content=attempt.body, headers=attempt.headers)
    except Exception as error:  # noqa: BLE001
        return _failure(error)
    return Outcome(answer.status_code, response=answer.text)


def _failure(error: Exception) -> Outcome:
    text = str(error) or "no answer"
    return Outcome(None, error=f"{type(error).__name__}: {text}")
