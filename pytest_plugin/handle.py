"""What the ``dinero`` and ``dinero_server`` fixtures hand a test."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..auth import issue_legacy_token
from ..clock import Clock
from ..control import Control
from ..fake import FakeDinero
from ..faults import Faults
from ..inprocess import InProcessDinero
from ..journal import Journal
from ..network_guard import guarded_hosts
from ..options import DEFAULT_VISMA_USER_EMAIL, DineroOptions
from ..review import Review, Thresholds
from ..review import review as review_journal
from ..world import World

DINERO_API = "https://api.dinero.dk"
DINERO_TOKEN_URL = "https://authz.dinero.dk/dineroapi/oauth/token"
VISMA_CONNECT = "https://connect.visma.com"


@dataclass
class Dinero:
    """A fake Dinero for one test: its URLs, credentials and control plane.

    ``base_url`` and ``token_url`` are Dinero's own for the in-process fake
    (so production code that hard-codes them works) and the live server's
    for ``dinero_server``.
    """

    fake: FakeDinero = field(repr=False)
    options: DineroOptions = field(repr=False)
    """What the fake was built from (the marker's and command line's options merged)."""
    base_url: str
    token_url: str
    client_id: str
    client_secret: str
    api_key: str
    organization_id: int
    visma_base_url: str
    """Where Visma Connect answers: ``https://connect.visma.com`` in-process, the server's URL live."""
    visma_client_id: str
    visma_client_secret: str
    visma_redirect_uri: str
    visma_user_email: str

    @property
    def authorize_url(self) -> str:
        return f"{self.visma_base_url}/connect/authorize"

    @property
    def visma_token_url(self) -> str:
        return f"{self.visma_base_url}/connect/token"

    @property
    def world(self) -> World:
        return self.fake.world

    @property
    def control(self) -> Control:
        return self.fake.control

    @property
    def clock(self) -> Clock:
        return self.fake.world.clock

    @property
    def faults(self) -> Faults:
        return self.fake.faults

    @property
    def journal(self) -> Journal:
        return self.fake.journal

    def token(self) -> str:
        """A fresh legacy access token for the organization, without a login call."""
        client = self.world.clients[self.client_id]
        return issue_legacy_token(self.world, self.organization_id, client).token

    def review(self, thresholds: Thresholds | None = None, **changes: Any) -> Review:
        """Dinero's integration review of this test's calls so far (``fake_dinero.review``):
        ``dinero.review().assert_clean()`` fails with the report; ``dinero.review(rate_limit=60)``
        changes a threshold."""
        return review_journal(self.journal, (thresholds or Thresholds()).replace(changes))

    def headers(self) -> dict[str, str]:
        """``Authorization`` for a fresh token, ready for a request."""
        return {"Authorization": f"Bearer {self.token()}"}

    def url(self, path: str) -> str:
        """``base_url`` plus a path; ``{org}`` in it becomes the organization id."""
        return self.base_url + path.format(org=self.organization_id)

    # The control plane, at hand.
    def reset(self) -> None:
        self.control.reset()

    def seed(self, scenario: str | None = None, **counts: Any) -> dict[str, int]:
        counts.setdefault("organization_id", self.organization_id)
        return self.control.seed(scenario, **counts)

    def advance(self, seconds: float = 0, **delta: float) -> datetime:
        return self.control.advance(seconds, **delta)

    def freeze(self, at: datetime | None = None) -> datetime:
        return self.control.freeze(at)

    def set_time(self, at: datetime) -> datetime:
        return self.control.set_time(at)

    def outbox(self) -> list[dict[str, Any]]:
        """The e-mails, e-invoices and SMS the organization would have sent, oldest first."""
        return self.control.outbox(self.organization_id)

    def export(self, path: str | Path | None = None) -> dict[str, Any]:
        return self.control.export(path)

    def import_(self, source: dict[str, Any] | str | Path) -> None:
        self.control.import_(source)


def dinero_handle(fake: FakeDinero, options: DineroOptions, base_url: str, token_url: str, visma: str) -> Dinero:
    """The handle of a fake built from ``options``, reached at these URLs."""
    return Dinero(
        fake=fake,
        options=options,
        base_url=base_url,
        token_url=token_url,
        client_id=options.client_id,
        client_secret=options.client_secret,
        api_key=options.api_key,
        organization_id=options.organization_id,
        visma_base_url=visma,
        visma_client_id=options.visma_client_id,
        visma_client_secret=options.visma_client_secret,
        visma_redirect_uri=options.visma_redirect_uris[0],
        visma_user_email=DEFAULT_VISMA_USER_EMAIL,
    )


def in_process_handle(fake: FakeDinero, options: DineroOptions) -> Dinero:
    """The handle of a fake answering at Dinero's own URLs, in-process."""
    return dinero_handle(fake, options, DINERO_API, DINERO_TOKEN_URL, VISMA_CONNECT)


_TEMPLATES: OrderedDict[DineroOptions, FakeDinero] = OrderedDict()
_TEMPLATES_KEPT = 8
"""How many differently configured fakes ``fresh_dinero`` keeps built for reuse."""
_TEMPLATES_LOCK = threading.Lock()


@contextmanager
def fresh_dinero(options: DineroOptions | None = None, /, **changes: Any) -> Iterator[Dinero]:
    """A fake Dinero in the state it starts in, answering httpx (and requests) calls
    to Dinero's hosts in-process until the block ends.

    Made for hypothesis: ``@given`` runs a test body many times within one test, so a
    function-scoped fixture would leak state from one example to the next. Each
    ``with fresh_dinero():`` block gets its own clean fake instead. The fake for a set
    of options is built once and reset on each entry (microseconds), so hundreds of
    examples cost little.

    It refuses to open while another in-process fake (the ``dinero`` fixture, another
    ``fresh_dinero``) answers Dinero's hosts: the outer one would answer every call.
    """
    if guarded_hosts():
        raise RuntimeError(
            "fresh_dinero() was opened while another in-process fake answers Dinero's hosts (the dinero "
            "fixture or another fresh_dinero), which would answer every call instead: use one of them."
        )
    chosen = (options or DineroOptions()).replace(changes)
    with _TEMPLATES_LOCK:
        fake = _TEMPLATES.pop(chosen, None)
    if fake is None:
        fake = chosen.build_fake()
    else:
        fake.control.reset()
    try:
        with InProcessDinero(fake):
            yield in_process_handle(fake, chosen)
    finally:
        with _TEMPLATES_LOCK:
            _TEMPLATES[chosen] = fake
            while len(_TEMPLATES) > _TEMPLATES_KEPT:
                _TEMPLATES.popitem(last=False)
