"""Hypothesis strategies for Dinero request bodies and list queries.

For integrators' own property tests (and ours): every body is a JSON-ready
``dict`` a client would POST or PUT, valid for Dinero; every query filter is a
valid ``queryFilter`` string. Needs ``hypothesis`` (a test dependency).

The bodies are derived from the fake's pydantic request models: the field
names, which fields are required, which may be ``null``, and the limits in
the annotations (``max_length``, ``ge``/``le``) all come from
``model_fields``. Only domain values are written here by hand: country keys,
units, payment conditions, invoice languages, the chart's accounts, and
realistic e-mails, phone numbers and Danish registration numbers.

Adding a resource is one function each, e.g. when invoices arrive::

    def invoice_bodies(*, casing="pascal"):
        return model_bodies(InvoiceCreateModel, overrides={"ContactGuid": ...}, casing=casing)

``model_bodies`` follows nested models and lists of them (invoice lines),
dates and GUIDs; a field type it does not know is a ``TypeError`` naming the
field, so a new model cannot silently get bodies that Dinero would refuse.

    >>> from hypothesis import given
    >>> from fake_dinero.contracts.strategies import contact_bodies
    >>> @given(contact_bodies(casing="camel"))
    ... def test_my_client_sends_any_contact(body): ...
"""

from __future__ import annotations

import string
import types
import typing
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Literal, Union

import annotated_types
from hypothesis import strategies as st
from pydantic import BaseModel, StringConstraints
from pydantic.fields import FieldInfo

from fake_dinero import seed_data
from fake_dinero.listing import ListRules
from fake_dinero.resources import contacts as _contacts
from fake_dinero.resources import products as _products

__all__ = [
    "CASINGS",
    "Condition",
    "contact_bodies",
    "contact_note_bodies",
    "contact_query_filter_conditions",
    "contact_query_filters",
    "model_bodies",
    "product_bodies",
    "product_query_filter_conditions",
    "product_query_filters",
    "query_filter_conditions",
    "query_filters",
    "recase",
    "render_query_filter",
    "sales_accounts",
]

Casing = Literal["pascal", "camel", "lower"]
CASINGS: tuple[Casing, ...] = ("pascal", "camel", "lower")
"""Property-name casings real clients send; Dinero binds names case-insensitively."""

Condition = tuple[str, str, str]
"""One ``queryFilter`` condition: (field, ``"eq"`` or ``"contains"``, value)."""

Strategy = st.SearchStrategy

# -- text ----------------------------------------------------------------------

_LETTERS = string.ascii_letters + "æøåÆØÅ"
_COMMON_CHARS = _LETTERS * 3 + string.digits + " " * 8 + "-.,&/'();:@+éüöäÉÜÖÄ"
_COMMON = st.sampled_from(_COMMON_CHARS)
# Printable characters of any script: letters, digits, spaces, dashes, other
# punctuation and currency signs. No controls, surrogates, private use,
# unassigned, format or combining characters, and no < > (math symbols).
_PRINTABLE_CATEGORIES = ["L", "N", "Zs", "Pd", "Po", "Sc"]
_ANY_PRINTABLE = st.characters(categories=_PRINTABLE_CATEGORIES, codec="utf-8")
_LATIN = st.characters(categories=_PRINTABLE_CATEGORIES, max_codepoint=0x17F)  # European names
# Mostly Danish text, now and then European letters or any script. The
# flavour is drawn per string with sampled_from, which keeps repeats as
# weights (one_of drops repeated branches, and text() merges alphabets).
_FLAVOURS = (_COMMON,) * 8 + (st.one_of(_COMMON, _LATIN), st.one_of(_COMMON, _ANY_PRINTABLE))


def _weighted(*choices: Strategy[Any]) -> Strategy[Any]:
    """One of ``choices``, a repeated choice drawn that much more often."""
    return st.sampled_from(choices).flatmap(lambda choice: choice)


DEFAULT_MAX_TEXT = 60
"""Length cap for text the model puts no limit on (Dinero's own limits are unknown)."""


def _text(min_size: int = 0, max_size: int | None = None) -> Strategy[str]:
    """Realistic printable text: single spaces between words, none at the ends."""
    cap = DEFAULT_MAX_TEXT if max_size is None else max_size
    flavoured = _weighted(*(st.text(alphabet, min_size=min_size, max_size=cap) for alphabet in _FLAVOURS))
    return flavoured.map(lambda text: " ".join(text.split())).filter(lambda text: len(text) >= min_size)


def _digits(count: int, first: str = "123456789") -> Strategy[str]:
    return st.tuples(st.sampled_from(first), st.text(string.digits, min_size=count - 1, max_size=count - 1)).map(
        "".join
    )


def _emails() -> Strategy[str]:
    local = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=12)
    parts = st.tuples(
        local,
        st.sampled_from(["", ".", "-", "_", "+"]),
        st.text(string.ascii_lowercase + string.digits, max_size=8),
        st.text(string.ascii_lowercase + string.digits, min_size=2, max_size=15),
        st.sampled_from(["dk", "com", "se", "de", "no", "eu", "net"]),
    )
    return parts.map(lambda p: f"{p[0]}{p[1] + p[2] if p[2] else ''}@{p[3]}.{p[4]}")


def _phones() -> Strategy[str]:
    number = _digits(8, first="2345678")
    return st.tuples(st.sampled_from(["", "+45 ", "+45", "0045 "]), number).map("".join) | number.map(
        lambda n: f"{n[:2]} {n[2:4]} {n[4:6]} {n[6:]}"
    )


def _webpages() -> Strategy[str]:
    host = st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=20).filter(
        lambda h: not h.startswith("-") and not h.endswith("-")
    )
    return st.tuples(
        st.sampled_from(["https://", "http://", "", "https://www.", "www."]),
        host,
        st.sampled_from([".dk", ".com", ".se", ".de", ".eu"]),
    ).map("".join)


def _zip_codes() -> Strategy[str]:
    return _digits(4) | _text(1, 10)


# -- casing --------------------------------------------------------------------


def _camel(name: str) -> str:
    """Newtonsoft's / System.Text.Json's camelCase: ``SENumber`` -> ``seNumber``."""
    chars = list(name)
    for i, char in enumerate(chars):
        if i == 1 and not char.isupper():
            break
        if i > 0 and i + 1 < len(chars) and not chars[i + 1].isupper():
            break
        chars[i] = char.lower()
    return "".join(chars)


_CASE: dict[str, Callable[[str], str]] = {"pascal": lambda name: name, "camel": _camel, "lower": str.lower}


def recase(body: Any, casing: Casing) -> Any:
    """``body`` with every property name (nested ones too) in ``casing``."""
    if casing not in _CASE:
        raise ValueError(f"casing must be one of {', '.join(CASINGS)}; it was {casing!r}")
    change = _CASE[casing]
    if isinstance(body, dict):
        return {change(key): recase(value, casing) for key, value in body.items()}
    if isinstance(body, list):
        return [recase(item, casing) for item in body]
    return body


# -- bodies from models --------------------------------------------------------


def _constraints(metadata: Iterable[Any]) -> dict[str, Any]:
    """The limits pydantic keeps in a field's metadata, as keyword arguments."""
    found: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, StringConstraints):
            for name in ("min_length", "max_length"):
                if getattr(item, name) is not None:
                    found[name] = getattr(item, name)
        elif isinstance(item, annotated_types.MinLen):
            found["min_length"] = item.min_length
        elif isinstance(item, annotated_types.MaxLen):
            found["max_length"] = item.max_length
        else:
            for name in ("ge", "gt", "le", "lt"):
                if isinstance(item, getattr(annotated_types, name.capitalize())):
                    found[name] = getattr(item, name)
    return found


def _unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, list[Any], bool]:
    """The core type, every constraint on the way to it, and whether ``None`` is allowed."""
    nullable = False
    metadata = list(metadata)
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            metadata.extend(extra)
        elif origin in (Union, types.UnionType):
            args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            nullable = nullable or len(args) < len(typing.get_args(annotation))
            if len(args) != 1:
                raise TypeError(f"unions of several types are not supported: {annotation!r}")
            annotation = args[0]
        else:
            return annotation, metadata, nullable


def _number_bounds(limits: Mapping[str, Any], default: tuple[float, float]) -> tuple[Any, Any]:
    low = limits.get("ge", limits.get("gt", default[0]))
    high = limits.get("le", limits.get("lt", default[1]))
    return low, high


def _amounts(limits: Mapping[str, Any]) -> Strategy[float]:
    """Money and quantities: up to two decimals, within the model's bounds."""
    low, high = (Decimal(str(bound)) for bound in _number_bounds(limits, (-1e9, 1e9)))
    realistic = st.decimals(max(low, Decimal(-100_000)), min(high, Decimal(100_000)), places=2)
    anywhere = st.decimals(low, high, places=2)
    return (
        _weighted(realistic, realistic, anywhere)
        .map(float)
        .filter(lambda x: ("gt" not in limits or x > limits["gt"]) and ("lt" not in limits or x < limits["lt"]))
    )


def _for_type(where: str, annotation: Any, metadata: list[Any], casing: Casing) -> Strategy[Any]:
    core, metadata, _ = _unwrap(annotation, metadata)
    limits = _constraints(metadata)
    origin = typing.get_origin(core)
    if isinstance(core, type) and issubclass(core, BaseModel):
        return model_bodies(core, casing=casing)
    if origin is list:
        (item,) = typing.get_args(core)
        return st.lists(
            _for_type(f"{where}[]", item, [], casing),
            min_size=limits.get("min_length", 0),
            max_size=limits.get("max_length", 5),
        )
    if origin is Literal:
        return st.sampled_from(typing.get_args(core))
    if core is bool:
        return st.booleans()
    if core is int:
        low, high = _number_bounds(limits, (0, 1_000_000))
        return st.integers(int(low) + ("gt" in limits), int(high) - ("lt" in limits))
    if core is float or core is Decimal:
        return _amounts(limits)
    if core is str:
        return _text(limits.get("min_length", 0), limits.get("max_length"))
    if core is uuid.UUID:
        return st.uuids(version=4).map(str)
    if core is datetime:
        return st.datetimes(datetime(2015, 1, 1), datetime(2035, 12, 31)).map(
            lambda moment: moment.replace(microsecond=0, tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        )
    if core is date:
        return st.dates(date(2015, 1, 1), date(2035, 12, 31)).map(date.isoformat)
    raise TypeError(f"no body strategy for {where}: {annotation!r}; pass one in overrides")


def _field_strategy(model: type[BaseModel], name: str, field: FieldInfo, casing: Casing) -> Strategy[Any]:
    return _for_type(f"{model.__name__}.{name}", field.annotation, list(field.metadata), casing)


def model_bodies(
    model: type[BaseModel],
    *,
    overrides: Mapping[str, Strategy[Any]] | None = None,
    required: Iterable[str] = (),
    omit: Iterable[str] = (),
    casing: Casing = "pascal",
) -> Strategy[dict[str, Any]]:
    """JSON-ready bodies for a request ``model``, derived from its fields.

    A required field is always sent. An optional one is sometimes left out
    and, when its annotation allows ``None``, sometimes sent as ``null``
    (Dinero reads both as "not supplied"); a .NET value type (a bool or
    number with a default) is never ``null``. ``overrides`` gives a field's
    values by hand (domain values); ``required`` makes an optional field
    always sent; ``omit`` never sends a field. Field constraints in the
    annotations (``min_length``/``max_length``, ``ge``/``le``) bound the values
    derived here; an override must keep to them itself.
    """
    overrides = dict(overrides or {})
    always, never = set(required), set(omit)
    unknown = (set(overrides) | always | never) - set(model.model_fields)
    if unknown:
        raise ValueError(f"{model.__name__} has no field(s) {', '.join(sorted(unknown))}")
    sent: dict[str, Strategy[Any]] = {}
    optional: dict[str, Strategy[Any]] = {}
    for name, field in model.model_fields.items():
        if name in never:
            continue
        values = overrides[name] if name in overrides else _field_strategy(model, name, field, casing)
        if field.is_required() or name in always:
            sent[name] = values
            continue
        _, _, nullable = _unwrap(field.annotation, [])
        optional[name] = _weighted(values, values, values, st.none()) if nullable else values
    return st.fixed_dictionaries(sent, optional=optional).map(lambda body: recase(body, casing))


# -- contacts ------------------------------------------------------------------


def _countries() -> Strategy[str]:
    keys = sorted(seed_data.countries_by_key())
    return st.one_of(st.just("DK"), st.sampled_from(keys))


_CONTACT_DOMAIN: dict[str, Strategy[Any]] = {
    "CountryKey": _countries(),
    "PaymentConditionType": st.sampled_from(sorted(set(_contacts.PAYMENT_CONDITIONS.values()))),
    "PaymentConditionNumberOfDays": st.integers(0, 90),
    "PreferredInvoiceLanguageKey": st.sampled_from(_contacts.INVOICE_LANGUAGES),
    "PreferredInvoiceCurrencyKey": st.sampled_from(["DKK", "EUR", "USD", "SEK", "NOK", "GBP"]),
    "Email": _emails(),
    "Phone": _phones(),
    "Webpage": _webpages(),
    "ZipCode": _zip_codes(),
    "VatNumber": _digits(8),  # a CVR number
    "EanNumber": _digits(13, first="5").map(lambda n: "57" + n[2:]),  # a Danish GLN
    "SENumber": _digits(8),
    "PNumber": _digits(10),
    "MemberNumber": _digits(6),
}
# Dinero's accepted values for these are not documented; a body leaves them out.
_CONTACT_UNKNOWN_DOMAIN = ("CompanyTypeKey", "InvoiceMailOutOptionKey")


def contact_bodies(
    *, casing: Casing = "pascal", update: bool = False, with_guid: bool | None = None
) -> Strategy[dict[str, Any]]:
    """Bodies for ``POST /v1/{org}/contacts`` (ContactCreateModel) or, with
    ``update=True``, for ``PUT .../contacts/{guid}`` (ContactUpdateModel).

    A create body sometimes carries its own ``ContactGuid`` (a random v4
    GUID): ``with_guid=True`` always, ``False`` never. Two bodies may carry
    the same GUID, which Dinero refuses the second time; a test that posts
    many should use ``with_guid=False`` or drop a GUID it has seen.
    ``CompanyTypeKey`` and ``InvoiceMailOutOptionKey`` are never sent: the
    values Dinero accepts for them are not documented.
    """
    model = _contacts.ContactUpdateModel if update else _contacts.ContactCreateModel
    omit = list(_CONTACT_UNKNOWN_DOMAIN)
    required: list[str] = []
    if not update:
        if with_guid is False:
            omit.append("ContactGuid")
        elif with_guid:
            required.append("ContactGuid")
    return model_bodies(model, overrides=_CONTACT_DOMAIN, omit=omit, required=required, casing=casing)


def contact_note_bodies(*, casing: Casing = "pascal") -> Strategy[dict[str, Any]]:
    """Bodies for creating or updating a contact's note (ContactNoteWriteModel)."""
    return model_bodies(_contacts.ContactNoteWriteModel, casing=casing)


# -- products ------------------------------------------------------------------


def sales_accounts() -> list[int]:
    """The demo chart's visible accounts in the Turnover category: where products sell."""
    chart = seed_data.load("chart_of_accounts")
    return [row["AccountNumber"] for row in chart if row["Category"] == "Turnover" and not row["IsHidden"]]


def _units() -> Strategy[str]:
    unit = st.sampled_from(_products.UNITS)
    return _weighted(unit, unit, unit.map(str.lower))


def product_bodies(
    accounts: Iterable[int | Mapping[str, Any]] | None = None, *, casing: Casing = "pascal"
) -> Strategy[dict[str, Any]]:
    """Bodies for ``POST /v1/{org}/products`` and ``PUT .../products/{guid}`` (ProductWriteModel).

    ``AccountNumber`` is always sent, drawn from ``accounts`` (numbers or
    chart rows; default: ``sales_accounts()``), which must be in the
    organization's chart. ``Unit`` is one of Dinero's units, sometimes
    lower-cased (Dinero reads units case-insensitively).
    """
    chosen = (
        sales_accounts()
        if accounts is None
        else [account["AccountNumber"] if isinstance(account, Mapping) else int(account) for account in accounts]
    )
    if not chosen:
        raise ValueError("product_bodies needs at least one account")
    overrides = {
        "AccountNumber": st.sampled_from(chosen),
        "Unit": _units(),
        "ProductNumber": st.one_of(
            _digits(4), st.tuples(st.sampled_from(["P-", "SKU", "V"]), _digits(5)).map("".join), _text(1, 20)
        ),
    }
    return model_bodies(_products.ProductWriteModel, overrides=overrides, required=["AccountNumber"], casing=casing)


# -- query filters -------------------------------------------------------------

_FILTER_TRICKY = st.sampled_from(["O'Brien", "a;b", "'", ";", "''", "x';y", "; Name eq 'z'", "Jensen & Søn", "æøå"])


def _filter_values() -> Strategy[str]:
    """Values for a condition, ``;`` and ``'`` included; may be empty."""
    pieces = st.lists(st.one_of(_text(1, 6), st.sampled_from([";", "'", "; ", " '"])), min_size=1, max_size=4)
    return _weighted(_text(0, 20), pieces.map("".join), pieces.map("".join), _FILTER_TRICKY)


def query_filter_conditions(
    fields: Iterable[str] | Mapping[str, Strategy[str]],
    *,
    values: Strategy[str] | None = None,
    max_conditions: int = 3,
) -> Strategy[list[Condition]]:
    """Lists of 1 to ``max_conditions`` conditions over ``fields``, both operators.

    ``fields`` are names a list endpoint filters on, or a mapping of such a
    name to the strategy of its values. ``values`` gives the values for
    fields without their own (default: printable text that often holds
    ``;`` and ``'``). Turn a list into a ``queryFilter`` with
    ``render_query_filter``; keeping the conditions lets a test work out
    which items should match.
    """
    default = _filter_values() if values is None else values
    per_field = dict(fields) if isinstance(fields, Mapping) else {name: default for name in fields}
    if not per_field:
        raise ValueError("query filters need at least one filterable field")
    names = sorted(per_field)
    condition = st.sampled_from(names).flatmap(
        lambda name: st.tuples(st.just(name), st.sampled_from(["eq", "contains"]), per_field[name])
    )
    return st.lists(condition, min_size=1, max_size=max_conditions)


def render_query_filter(conditions: Iterable[Condition]) -> str:
    """``<Field> <operator> '<value>'`` joined by ``;``, a quote in a value written ``''``."""
    return ";".join(f"{field} {operator} '{_quoted(value)}'" for field, operator, value in conditions)


def _quoted(value: str) -> str:
    return value.replace("'", "''")


def query_filters(
    fields: Iterable[str] | Mapping[str, Strategy[str]],
    *,
    values: Strategy[str] | None = None,
    max_conditions: int = 3,
) -> Strategy[str]:
    """Valid ``queryFilter`` strings over ``fields`` (see ``query_filter_conditions``)."""
    return query_filter_conditions(fields, values=values, max_conditions=max_conditions).map(render_query_filter)


def _filterable(
    rules: ListRules, read_model: type[BaseModel], values: Strategy[str] | None
) -> dict[str, Strategy[str]]:
    """The endpoint's filterable fields; a bool field's values are ``true``/``false``."""
    text = _filter_values() if values is None else values
    per_field: dict[str, Strategy[str]] = {}
    for name in rules.filterable:
        core, _, _ = _unwrap(read_model.model_fields[name].annotation, [])
        per_field[name] = st.sampled_from(["true", "false"]) if core is bool else text
    return per_field


def contact_query_filter_conditions(*, values: Strategy[str] | None = None) -> Strategy[list[Condition]]:
    """Conditions over the contacts lists' filterable fields (see ``query_filter_conditions``)."""
    return query_filter_conditions(_filterable(_contacts.LIST_V1, _contacts.ContactReadModel, values))


def contact_query_filters(*, values: Strategy[str] | None = None) -> Strategy[str]:
    """``queryFilter`` strings for the contacts lists (v1 and v2) over their filterable fields."""
    return contact_query_filter_conditions(values=values).map(render_query_filter)


def product_query_filter_conditions(*, values: Strategy[str] | None = None) -> Strategy[list[Condition]]:
    """Conditions over the products list's filterable fields (see ``query_filter_conditions``)."""
    return query_filter_conditions(_filterable(_products.LIST_PRODUCTS, _products.ProductReadModel, values))


def product_query_filters(*, values: Strategy[str] | None = None) -> Strategy[str]:
    """``queryFilter`` strings for the products list over its filterable fields."""
    return product_query_filter_conditions(values=values).map(render_query_filter)
