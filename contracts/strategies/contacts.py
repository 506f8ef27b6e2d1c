"""Contacts, their notes, products, and the ``queryFilter`` strings of the lists."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from fake_dinero import seed_data
from fake_dinero.listing import ListRules
from fake_dinero.resources import contacts as _contacts
from fake_dinero.resources import products as _products

from ._common import (
    Casing,
    Strategy,
    digits,
    emails,
    labelled,
    model_bodies,
    numbers_of,
    phones,
    sales_accounts,
    text,
    unwrap,
    webpages,
    weighted,
    zip_codes,
)

Condition = tuple[str, str, str]
"""One ``queryFilter`` condition: (field, ``"eq"`` or ``"contains"``, value)."""

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
    "Email": emails(),
    "Phone": phones(),
    "Webpage": webpages(),
    "ZipCode": zip_codes(),
    "VatNumber": digits(8),  # a CVR number
    "EanNumber": digits(13, first="5").map(lambda n: "57" + n[2:]),  # a Danish GLN
    "SENumber": digits(8),
    "PNumber": digits(10),
    "MemberNumber": digits(6),
}
# Dinero's accepted values for these are not documented; a body leaves them out.
_CONTACT_UNKNOWN_DOMAIN = ("CompanyTypeKey", "InvoiceMailOutOptionKey")


@labelled
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


@labelled
def contact_note_bodies(*, casing: Casing = "pascal") -> Strategy[dict[str, Any]]:
    """Bodies for creating or updating a contact's note (ContactNoteWriteModel)."""
    return model_bodies(_contacts.ContactNoteWriteModel, casing=casing)


# -- products ------------------------------------------------------------------


@cache
def units() -> Strategy[str]:
    """Dinero's units, sometimes lower-cased (Dinero reads units case-insensitively)."""
    unit = st.sampled_from(_products.UNITS)
    return weighted(unit, unit, unit.map(str.lower))


@labelled
def product_bodies(
    accounts: Iterable[int | Mapping[str, Any]] | None = None, *, casing: Casing = "pascal"
) -> Strategy[dict[str, Any]]:
    """Bodies for ``POST /v1/{org}/products`` and ``PUT .../products/{guid}`` (ProductWriteModel).

    ``AccountNumber`` is always sent, drawn from ``accounts`` (numbers or
    chart rows; default: ``sales_accounts()``), which must be in the
    organization's chart. ``Unit`` is one of Dinero's units, sometimes
    lower-cased (Dinero reads units case-insensitively).
    """
    chosen = sales_accounts() if accounts is None else numbers_of(accounts, "product_bodies")
    overrides = {
        "AccountNumber": st.sampled_from(chosen),
        "Unit": units(),
        "ProductNumber": st.one_of(
            digits(4), st.tuples(st.sampled_from(["P-", "SKU", "V"]), digits(5)).map("".join), text(1, 20)
        ),
    }
    return model_bodies(_products.ProductWriteModel, overrides=overrides, required=["AccountNumber"], casing=casing)


# -- query filters -------------------------------------------------------------

_FILTER_TRICKY = st.sampled_from(["O'Brien", "a;b", "'", ";", "''", "x';y", "; Name eq 'z'", "Jensen & Søn", "æøå"])


def _filter_values() -> Strategy[str]:
    """Values for a condition, ``;`` and ``'`` included; may be empty."""
    pieces = st.lists(st.one_of(text(1, 6), st.sampled_from([";", "'", "; ", " '"])), min_size=1, max_size=4)
    return weighted(text(0, 20), pieces.map("".join), pieces.map("".join), _FILTER_TRICKY)


@labelled
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


@labelled
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
    given = _filter_values() if values is None else values
    per_field: dict[str, Strategy[str]] = {}
    for name in rules.filterable:
        core, _, _ = unwrap(read_model.model_fields[name].annotation, [])
        per_field[name] = st.sampled_from(["true", "false"]) if core is bool else given
    return per_field


@labelled
def contact_query_filter_conditions(*, values: Strategy[str] | None = None) -> Strategy[list[Condition]]:
    """Conditions over the contacts lists' filterable fields (see ``query_filter_conditions``)."""
    return query_filter_conditions(_filterable(_contacts.LIST_V1, _contacts.ContactReadModel, values))


@labelled
def contact_query_filters(*, values: Strategy[str] | None = None) -> Strategy[str]:
    """``queryFilter`` strings for the contacts lists (v1 and v2) over their filterable fields."""
    return contact_query_filter_conditions(values=values).map(render_query_filter)


@labelled
def product_query_filter_conditions(*, values: Strategy[str] | None = None) -> Strategy[list[Condition]]:
    """Conditions over the products list's filterable fields (see ``query_filter_conditions``)."""
    return query_filter_conditions(_filterable(_products.LIST_PRODUCTS, _products.ProductReadModel, values))


@labelled
def product_query_filters(*, values: Strategy[str] | None = None) -> Strategy[str]:
    """``queryFilter`` strings for the products list over its filterable fields."""
    return product_query_filter_conditions(values=values).map(render_query_filter)
