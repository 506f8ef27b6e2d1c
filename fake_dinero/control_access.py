"""Who may use the control plane over HTTP: its owner, not a web page or a passer-by.

``/_fake/`` can reset, seed and read the fake (``GET /_fake/state`` holds every client
secret and API key), so the live server answers it only as careful local dev servers
do:

- only for the ``Host`` names the server was started for (loopback names unless told
  otherwise), which stops a DNS-rebinding page from reaching it by another name;
- never for a request whose ``Origin`` is another site's (a browser sends one with every
  cross-site POST, and a ``text/plain`` POST needs no preflight);
- a write only with a JSON body or none (so no HTML form can make one);
- with the server's control token, when it was given one: ``serve`` makes one when it
  listens on an address other than loopback.

The in-process door is not affected: a test that holds the fake owns it.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import UNAUTHORIZED, VALIDATION, DineroError
from .http import ApiRequest, ApiResponse, json_response

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
ANY_HOST = "*"
TOKEN_HEADER = "x-fake-dinero-token"
_WRITES = frozenset({"POST", "PUT", "DELETE", "PATCH"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or address, IPv6 with or without brackets) is this machine only."""
    bare = host.strip().strip("[]").lower()
    return bare in LOOPBACK_HOSTS or bare.startswith("127.")


def host_name(value: str) -> str:
    """The name in a ``Host`` header or an ``Origin``'s authority, without port or brackets."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value[1:]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


@dataclass(frozen=True)
class ControlAccess:
    """The rules the live server applies to ``/_fake/`` calls (see the module's docstring)."""

    allowed_hosts: frozenset[str] = LOOPBACK_HOSTS
    """Host names the control plane answers for; ``*`` answers any."""
    token: str | None = None
    """When set, every control call must carry it in ``X-Fake-Dinero-Token``."""

    @classmethod
    def for_server(cls, host: str, allowed_hosts: tuple[str, ...] = (), token: str | None = None) -> ControlAccess:
        """The rules for a server listening on ``host``: loopback names, the host itself
        when it is a name or a specific address, and ``allowed_hosts``."""
        names = set(LOOPBACK_HOSTS) | {host_name(name) for name in allowed_hosts}
        if host.strip("[]") not in ("0.0.0.0", "::", ""):
            names.add(host_name(f"[{host}]" if ":" in host and not host.startswith("[") else host))
        return cls(frozenset(names), token)

    def refusal(self, request: ApiRequest) -> ApiResponse | None:
        """Dinero-shaped error answer when the control plane must not answer ``request``, else None."""
        headers = request.headers
        host = host_name(headers.get("host", ""))
        if ANY_HOST not in self.allowed_hosts and host not in self.allowed_hosts:
            return _refused(
                403,
                f"The control plane answers only requests for {', '.join(sorted(self.allowed_hosts))}, "
                f"not for Host {headers.get('host', '(none)')!r}; start serve with --allowed-host to add a name.",
            )
        origin = headers.get("origin")
        if origin is not None and not self._same_site(origin, headers.get("host", "")):
            return _refused(403, f"The control plane refuses calls from another site's page (Origin {origin!r}).")
        if request.method in _WRITES and request.body and "json" not in headers.get("content-type", "").lower():
            return _refused(
                415, "A control-plane write takes a JSON body (Content-Type: application/json) or none at all."
            )
        if self.token is not None and not hmac.compare_digest(
            headers.get(TOKEN_HEADER, "").encode(), self.token.encode()
        ):
            return _refused(401, "The control plane needs the token serve printed at start, in X-Fake-Dinero-Token.")
        return None

    def _same_site(self, origin: str, host: str) -> bool:
        """An ``Origin`` is the server's own when its authority is the ``Host`` the request
        was sent to (scheme aside: the server speaks plain HTTP)."""
        authority = urlsplit(origin).netloc.lower()
        return bool(authority) and authority == host.strip().lower()


def _refused(status: int, message: str) -> ApiResponse:
    error = DineroError(status, UNAUTHORIZED if status in (401, 403) else VALIDATION, message)
    return json_response(error.body(), status)
