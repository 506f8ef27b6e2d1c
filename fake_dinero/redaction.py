"""Credentials out of sight: what the journal and ``serve``'s request log show of a call.

One rule for both, so a secret hidden in one is never shown by the other: the values of
credential headers and of credential fields in JSON and form bodies are replaced, and
everything else is left exactly as sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[redacted]"
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
"""Headers whose values are never shown; an authorization keeps its scheme."""
SECRET_FIELDS = frozenset({
    "username", "password", "client_secret", "access_token", "refresh_token", "id_token", "code_verifier",
    "client_assertion",
})
"""Credentials a body may carry (the token routes' forms and answers, and the legacy grant
that some clients post as JSON, whose ``username`` is the API key); matched in any case."""
SECRET_FORM_FIELDS = SECRET_FIELDS | {"code"}
"""In a form ``code`` is an authorization code; in JSON it is Dinero's error code, so it is
only redacted in forms."""

TEXT_TYPES = ("json", "text/", "x-www-form-urlencoded", "xml", "javascript")
"""Media types whose bodies are shown as text; any other body is shown as its size and type."""

_FORM = "application/x-www-form-urlencoded"
_JSON_SECRET = re.compile(
    r'("(?:' + "|".join(sorted(SECRET_FIELDS)) + r')"\s*:\s*)"(?:[^"\\]|\\.)*"', re.IGNORECASE
)


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers with credentials replaced; an ``Authorization`` keeps its scheme
    (``Bearer [redacted]``) so a reader still sees which kind of credential was sent."""
    shown = {}
    for name, value in headers.items():
        folded = name.lower()
        if folded in SECRET_HEADERS:
            scheme, _, credentials = value.partition(" ")
            value = f"{scheme} {REDACTED}" if credentials and folded.endswith("authorization") else REDACTED
        shown[name] = value
    return shown


def mentions_secret(text: str) -> bool:
    folded = text.lower()
    return any(name in folded for name in SECRET_FIELDS)


def redact_text(text: str, media: str = "") -> str:
    """A body's text with credential values replaced: a form's fields, or a JSON body's
    string values (found in the text, so a body cut short is redacted too). ``media`` is
    the content type without parameters; without one, text that starts like JSON is JSON."""
    if media == _FORM:
        return redact_form(text)
    looks_json = "json" in media or (not media and text.lstrip()[:1] in ("{", "["))
    if looks_json and mentions_secret(text):
        return _JSON_SECRET.sub(lambda match: f'{match.group(1)}"{REDACTED}"', text)
    return text


def redact_form(text: str) -> str:
    """A form body with secret fields' values replaced; the rest left exactly as sent."""
    pairs = text.split("&")
    changed = False
    for index, pair in enumerate(pairs):
        name, equals, _ = pair.partition("=")
        if equals and name.lower() in SECRET_FORM_FIELDS:
            pairs[index] = f"{name}={REDACTED}"
            changed = True
    return "&".join(pairs) if changed else text


def redact_json(value: Any) -> Any:
    """A parsed JSON document with the values of credential fields replaced, at any depth."""
    if isinstance(value, dict):
        return {
            key: REDACTED if str(key).lower() in SECRET_FIELDS else redact_json(item) for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact_json(item) for item in value]
    return value
