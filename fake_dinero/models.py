"""Request binding and the value types shared by every resource's models.

Dinero is an ASP.NET API, so a body binds the way .NET binds it (reference
§2.2): property names match case-insensitively, unknown and read-only
properties are ignored, ``null`` means "not supplied", numbers sent as
strings are coerced. Anything that still does not fit is a 400 with code 42
whose ``validationErrors`` name the property.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, TypeVar
from uuid import UUID

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from .errors import DineroError, validation_error
from .formats import render_datetime, shown


class DineroModel(BaseModel):
    """Base of every request and response model; field names are Dinero's own.

    Each model's validator is built when the model is first used (``defer_build``):
    the route table declares some 200 models, building them all cost most of the
    import, and a test touches a handful."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, allow_inf_nan=False, defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _bind_like_dotnet(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        names = _names_by_lower(cls)
        blank_is_absent = _blank_is_absent(cls)
        bound: dict[str, Any] = {}
        for key, value in data.items():
            name = names.get(key.lower()) if isinstance(key, str) else None
            if name is None or value is None or (value == "" and name in blank_is_absent):
                continue
            bound[name] = value
        return bound


@cache
def _names_by_lower(model: type[BaseModel]) -> dict[str, str]:
    return {name.lower(): name for name in model.model_fields}


class _EmptyIsAValue:
    """Marks an optional string for which ``""`` means something of its own."""


EMPTY_IS_A_VALUE = _EmptyIsAValue()
"""Put in a field's ``Annotated`` metadata: ``""`` is kept, not taken as "not supplied"."""


@cache
def _blank_is_absent(model: type[BaseModel]) -> frozenset[str]:
    """The optional properties for which ``""`` means "not supplied", as Newtonsoft binds
    ``""`` to a nullable value: a client that defaults every string to ``""`` sends
    ``"PaymentConditionType": ""`` and Dinero takes it as left out. Required properties
    keep ``""`` (their own checks refuse it), and so do properties marked
    ``EMPTY_IS_A_VALUE``, where evidence gives ``""`` a meaning of its own."""
    return frozenset(
        name
        for name, field in model.model_fields.items()
        if not field.is_required() and not any(item is EMPTY_IS_A_VALUE for item in field.metadata)
    )


def _guid_text(value: UUID) -> str:
    return str(value)


def _dotnet_bool(value: Any) -> Any:
    """Newtonsoft reads true/false (any case) from a string, non-zero numbers as true."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError(f"'{shown(value)}' is not a boolean; use true or false.")


def _dotnet_number(value: Any) -> Any:
    """Newtonsoft refuses a JSON boolean where a number belongs."""
    if isinstance(value, bool):
        raise ValueError(f"{str(value).lower()} is not a number.")
    return value


def _dotnet_integer(value: Any) -> Any:
    """.NET parses an integer from a string of digits only ("1000", not "1000.0")."""
    value = _dotnet_number(value)
    if isinstance(value, str) and not _INTEGER_TEXT.match(value):
        raise ValueError(f"'{shown(value)}' is not a whole number.")
    return value


_INTEGER_TEXT = re.compile(r"^\s*[+-]?[0-9]+\s*$")
"""ASCII digits only: .NET's invariant-culture parse takes no other digits (``²``, ``١``)."""

Bool = Annotated[bool, BeforeValidator(_dotnet_bool)]
"""A .NET bool as Newtonsoft binds it."""

Int = Annotated[int, BeforeValidator(_dotnet_integer), Field(json_schema_extra={"format": "int32"})]
"""A .NET int: a JSON number or a string of digits (its range is checked by ``bind``)."""

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
"""The ranges of .NET's ``Int32`` (every integer property of Dinero's, unless its
document says ``format: int64``) and ``Int64``. Newtonsoft refuses a number outside
its property's range, so ASP.NET answers 400 with the property named."""

MAX_DEPTH = 256
"""How deep a JSON body may nest: ASP.NET Web API's ``JsonMediaTypeFormatter.MaxDepth``
default; deeper bodies fail model binding (400), never reach the action."""

AMOUNT_LIMIT = 1e12
Amount = Annotated[
    float,
    BeforeValidator(_dotnet_number),
    Field(ge=-AMOUNT_LIMIT, le=AMOUNT_LIMIT, json_schema_extra={"format": "double"}),
]
"""A money amount or quantity (a .NET double). Dinero's upper bound is unknown;
the fake refuses magnitudes over a trillion so totals stay exact and finite."""

Money = Annotated[Decimal, WithJsonSchema({"type": "string", "pattern": r"^-?\d+(\.\d+)?$"})]
"""Money (and other exact quantities) as stored: a ``Decimal``, written to a
snapshot as its exact decimal text. Read models turn it into Dinero's JSON
number at the edge (``formats.money_json``)."""

Guid = Annotated[
    UUID, PlainSerializer(_guid_text, return_type=str), WithJsonSchema({"type": "string", "format": "uuid"})
]
"""A GUID, rendered lower-case and hyphenated."""

OptionalGuid = Guid | None
"""A GUID a client may leave out (``""`` counts as left out, as for every optional property)."""

ZONELESS_DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$"
"""What Dinero sends for a datetime. Its document says ``format: date-time``, but
RFC 3339 wants a zone and Dinero sends none (reference §2.3), so the fake's
document states the pattern it really sends."""

DineroDateTime = Annotated[
    datetime,
    PlainSerializer(render_datetime, return_type=str),
    WithJsonSchema({"type": "string", "pattern": ZONELESS_DATETIME}),
]
"""A datetime rendered as Dinero does: UTC without zone, trimmed fraction."""

Model = TypeVar("Model", bound=BaseModel)


def parse_json_body(raw: bytes) -> Any:
    """The JSON document of a request body; an empty body is ``None``. A body nested
    deeper than ``MAX_DEPTH`` is refused as ASP.NET refuses it (400/42)."""
    if not raw.strip():
        return None
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise validation_error({"body": f"The request body is not valid JSON: {exc}"}) from None
    except RecursionError:
        raise _too_deep() from None
    if json_depth(document) > MAX_DEPTH:
        raise _too_deep()
    return document


def _too_deep() -> DineroError:
    reason = f"The request body nests arrays and objects more than {MAX_DEPTH} deep; flatten it."
    return validation_error({"body": reason})


def json_depth(document: Any) -> int:
    """How deep arrays and objects nest in ``document`` (a scalar is 0), without recursion."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, level = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def bind(model: type[Model], document: Any) -> Model:
    """Bind a parsed JSON body to ``model`` or raise Dinero's validation error."""
    if document is None:
        raise validation_error({"body": "A request body is required."})
    try:
        bound = model.model_validate(document)
    except ValidationError as exc:
        raise validation_error(describe_errors(exc)) from None
    _check_ranges(bound)
    return bound


@cache
def _list_of(model: type[Model]) -> TypeAdapter[list[Model]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def bind_list(model: type[Model], document: Any) -> list[Model]:
    """Bind a JSON array body, item by item; a single object is refused (400/42), as
    ASP.NET cannot bind one to a list. Errors name ``[index].Property``."""
    if not isinstance(document, list):
        raise validation_error(
            {"body": f"The body must be a JSON array of {model.__name__} ([{{...}}]), even for one item."}
        )
    try:
        items = _list_of(model).validate_python(document)
    except ValidationError as exc:
        raise validation_error(describe_errors(exc)) from None
    _check_ranges(items)
    return items


def _check_ranges(bound: Any) -> None:
    """Refuse (400/42) any integer in a bound body outside its .NET type's range, naming
    the property: Dinero's integers are ``Int32`` unless its document says ``int64``.
    Checked here, once, so no integer property of any body can slip past it."""
    errors: dict[str, str] = {}
    _collect_out_of_range(bound, (), INT32, errors)
    if errors:
        raise validation_error(errors)


_PLAIN = (str, Decimal, float, datetime, UUID, type(None))
"""Values that hold no integer: the walk below stops at them at once."""


@cache
def _field_limits(model: type[BaseModel]) -> tuple[tuple[str, tuple[int, int]], ...]:
    """Each field of ``model`` with the range of its integers (``int64`` where Dinero's
    document says so), worked out once per model rather than on every request."""
    limits = []
    for name, field in model.model_fields.items():
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        limits.append((name, INT64 if extra.get("format") == "int64" else INT32))
    return tuple(limits)


def _collect_out_of_range(
    value: Any, path: tuple[str | int, ...], limits: tuple[int, int], errors: dict[str, str]
) -> None:
    """Walk a bound body; the path (names, and list positions as ints) is spelt out only
    for an integer out of range."""
    if isinstance(value, _PLAIN) or isinstance(value, bool):
        return
    if isinstance(value, int):
        low, high = limits
        if not low <= value <= high:
            errors.setdefault(_path_text(path) or "body", _range_message(value, limits))
    elif isinstance(value, BaseModel):
        for name, wide in _field_limits(type(value)):
            _collect_out_of_range(getattr(value, name), (*path, name), wide, errors)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _collect_out_of_range(item, (*path, index), limits, errors)
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect_out_of_range(item, (*path, str(key)), limits, errors)


def _path_text(path: tuple[str | int, ...]) -> str:
    """``ProductLines[0].AccountNumber`` from its parts."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _range_message(value: int | str, limits: tuple[int, int]) -> str:
    low, high = limits
    bits = 64 if limits == INT64 else 32
    shown = value if isinstance(value, str) or abs(value) < 10**30 else f"a {len(str(abs(value)))}-digit number"
    return f"{shown} is out of range: this is a {bits}-bit whole number, from {low} to {high}."


def describe_errors(exc: ValidationError) -> dict[str, str]:
    """pydantic's errors as Dinero's ``validationErrors``: property path -> message."""
    errors: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        path = _error_path(error["loc"])
        if error["type"] == "missing":
            message = f"The {path} field is required."
        elif error["type"] == "value_error":
            message = str(error.get("ctx", {}).get("error", error["msg"]))
        elif error["type"] == "int_parsing_size":
            message = (
                f"{shown(error.get('input'))} is too large a number here; "
                f"use a whole number from {INT32[0]} to {INT32[1]}."
            )
        elif path == "":
            path, message = "body", f"The request body must be a JSON object ({error['msg']})."
        else:
            message = error["msg"]
        errors.setdefault(path, message)
    return errors


def _error_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not path:
            path = str(part)
        else:
            path += f".{part}"
    return path
