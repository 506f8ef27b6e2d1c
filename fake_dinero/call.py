"""What a handler gets: the request, who made it, and helpers to read it.

Handlers are plain synchronous functions ``handler(call) -> result``; a
result of ``None`` is Dinero's empty 200, a dict, list or pydantic model is
JSON, an ``ApiResponse`` is sent as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from .errors import validation_error
from .formats import shown
from .models import INT32, DineroModel, Model, bind, bind_list, parse_json_body

if TYPE_CHECKING:
    from .fake import FakeDinero
    from .http import ApiRequest
    from .world import Grant, Organization, World


class _TimestampObject(DineroModel):
    Timestamp: str | None = None


@dataclass
class Call:
    world: World
    request: ApiRequest
    params: dict[str, str]
    fake: FakeDinero
    """The fake serving the call (the control plane's operations need it)."""
    grant: Grant | None = None
    path_organization: Organization | None = None
    """The organization named in the path, set once the token is checked against it."""

    @property
    def organization(self) -> Organization:
        """The organization in the path (already checked against the token)."""
        if self.path_organization is None:
            raise RuntimeError("this operation has no organization")
        return self.path_organization

    def body(self, model: type[Model]) -> Model:
        """The JSON body bound to ``model`` (400/42 when it does not fit)."""
        return bind(model, parse_json_body(self.request.body))

    def body_list(self, model: type[Model]) -> list[Model]:
        """The JSON array body, each item bound to ``model`` (400/42 when it does not fit)."""
        return bind_list(model, parse_json_body(self.request.body))

    def optional_timestamp(self) -> str | None:
        """The Timestamp of Dinero's TimestampObject body, which may be left out altogether."""
        document = parse_json_body(self.request.body)
        if document is None:
            return None
        return bind(_TimestampObject, document).Timestamp

    def guid(self, name: str) -> str:
        """A GUID path parameter, normalised to Dinero's lower-case form.

        Dinero's routes bind these to .NET ``Guid``; a value that is not one
        fails model binding. Unknown which code Dinero gives, 400 with code 42
        naming the parameter is chosen.
        """
        raw = self.params[name]
        try:
            return str(UUID(raw))
        except ValueError:
            raise validation_error({name: f"The value '{shown(raw)}' is not valid."}) from None

    def query(self, name: str) -> str | None:
        """A query parameter by case-insensitive name; blank counts as absent."""
        value = self.request.query.get(name.lower())
        return value if value not in (None, "") else None

    def query_int(self, name: str, default: int) -> int:
        """An Int32 query parameter, as .NET binds one: ASCII digits within its range, else 400/42."""
        raw = self.query(name)
        if raw is None:
            return default
        text = raw.strip().removeprefix("-").removeprefix("+")
        if not (text.isascii() and text.isdigit() and len(text) <= 10 and INT32[0] <= int(raw) <= INT32[1]):
            raise validation_error({name: f"The value '{shown(raw)}' is not a valid integer."})
        return int(raw)

    def query_bool(self, name: str, default: bool) -> bool:
        raw = self.query(name)
        if raw is None:
            return default
        lowered = raw.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        raise validation_error({name: f"The value '{shown(raw)}' is not valid for {name}; use true or false."})

