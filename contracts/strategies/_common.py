"""What every strategy module shares: text, casings, amounts, dates, the demo chart,
the demo contact, and bodies derived from pydantic models."""

from __future__ import annotations

import functools
import reprlib
import string
import types
import typing
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, Union

import annotated_types
from hypothesis import strategies as st
from pydantic import BaseModel, StringConstraints
from pydantic.fields import FieldInfo

from fake_dinero import seed_data
from fake_dinero.domain.vat import is_sales_code

if TYPE_CHECKING:
    from fake_dinero import Dinero

Casing = Literal["pascal", "camel", "lower"]
CASINGS: tuple[Casing, ...] = ("pascal", "camel", "lower")
"""Property-name casings real clients send; Dinero binds names case-insensitively."""

Strategy = st.SearchStrategy

_SHORT = reprlib.Repr()
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxdict, _SHORT.maxlist = 40, 40, 3, 4

StrategyFunction = typing.TypeVar("StrategyFunction", bound=Callable[..., Any])


def labelled(function: StrategyFunction) -> StrategyFunction:
    """The strategies ``function`` returns show as the call that made them, e.g.
    ``invoice_bodies(years=(2025, 2026))``. Their full repr runs to hundreds of
    kilobytes (every alphabet and chart account), which hypothesis warns about when
    it shows one (a state machine does, for a rule it cannot run yet), and which a
    test suite with ``filterwarnings = error`` turns into a failure."""

    @functools.wraps(function)
    def build(*args: Any, **kwargs: Any) -> Strategy[Any]:
        strategy = function(*args, **kwargs)

        def drawn(draw: Callable[[Strategy[Any]], Any], *shown: Any, **shown_by_name: Any) -> Any:
            return draw(strategy)

        drawn.__name__ = drawn.__qualname__ = function.__name__
        shown = [_Shown(arg) for arg in args]
        return st.composite(drawn)(*shown, **{name: _Shown(value) for name, value in kwargs.items()})

    return build  # type: ignore[return-value]


class _Shown:
    """An argument as a strategy's repr shows it: short."""

    def __init__(self, value: Any) -> None:
        self.text = _SHORT.repr(value)

    def __repr__(self) -> str:
        return self.text


# -- text ----------------------------------------------------------------------

_LETTERS = string.ascii_letters + "æøåÆØÅ"
_COMMON_CHARS = _LETTERS * 3 + string.digits + " " * 8 + "-.,&/'();:@+éüöäÉÜÖÄ"
_COMMON = st.sampled_from(_COMMON_CHARS)
# Printable characters of any script: letters, digits, spaces, dashes, other
# punctuation and currency signs. No controls, surrogates, private use,
# unassigned, format or combining characters, and no < > (math symbols).
_PRINTABLE_CATEGORIES: list[Any] = ["L", "N", "Zs", "Pd", "Po", "Sc"]
_ANY_PRINTABLE = st.characters(categories=_PRINTABLE_CATEGORIES, codec="utf-8")
_LATIN = st.characters(categories=_PRINTABLE_CATEGORIES, max_codepoint=0x17F)  # European names
# Mostly Danish text, now and then European letters or any script. The
# flavour is drawn per string with sampled_from, which keeps repeats as
# weights (one_of drops repeated branches, and text() merges alphabets).
_FLAVOURS = (_COMMON,) * 8 + (st.one_of(_COMMON, _LATIN), st.one_of(_COMMON, _ANY_PRINTABLE))


def weighted(*choices: Strategy[Any]) -> Strategy[Any]:
    """One of ``choices``, a repeated choice drawn that much more often."""
    return st.sampled_from(choices).flatmap(lambda choice: choice)


DEFAULT_MAX_TEXT = 60
"""Length cap for text the model puts no limit on (Dinero's own limits are unknown)."""


@cache
def text(min_size: int = 0, max_size: int | None = None) -> Strategy[str]:
    """Realistic printable text: single spaces between words, none at the ends."""
    cap = DEFAULT_MAX_TEXT if max_size is None else max_size
    flavoured = weighted(*(st.text(alphabet, min_size=min_size, max_size=cap) for alphabet in _FLAVOURS))
    return flavoured.map(lambda text: " ".join(text.split())).filter(lambda text: len(text) >= min_size)


@cache
def digits(count: int, first: str = "123456789") -> Strategy[str]:
    return st.tuples(st.sampled_from(first), st.text(string.digits, min_size=count - 1, max_size=count - 1)).map(
        "".join
    )


@cache
def emails() -> Strategy[str]:
    local = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=12)
    parts = st.tuples(
        local,
        st.sampled_from(["", ".", "-", "_", "+"]),
        st.text(string.ascii_lowercase + string.digits, max_size=8),
        st.text(string.ascii_lowercase + string.digits, min_size=2, max_size=15),
        st.sampled_from(["dk", "com", "se", "de", "no", "eu", "net"]),
    )
    return parts.map(lambda p: f"{p[0]}{p[1] + p[2] if p[2] else ''}@{p[3]}.{p[4]}")


@cache
def phones() -> Strategy[str]:
    number = digits(8, first="2345678")
    return st.tuples(st.sampled_from(["", "+45 ", "+45", "0045 "]), number).map("".join) | number.map(
        lambda n: f"{n[:2]} {n[2:4]} {n[4:6]} {n[6:]}"
    )


@cache
def webpages() -> Strategy[str]:
    host = st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=20).filter(
        lambda h: not h.startswith("-") and not h.endswith("-")
    )
    return st.tuples(
        st.sampled_from(["https://", "http://", "", "https://www.", "www."]),
        host,
        st.sampled_from([".dk", ".com", ".se", ".de", ".eu"]),
    ).map("".join)


@cache
def zip_codes() -> Strategy[str]:
    return digits(4) | text(1, 10)


@cache
def references() -> Strategy[str]:
    """An ``ExternalReference``: an order number, an id of the client's own, or text (at most 128)."""
    return weighted(
        digits(6),
        st.tuples(st.sampled_from(["ORD-", "PO", "INV-", "#"]), digits(5)).map("".join),
        st.uuids().map(str),
        text(1, 128),
    )


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


def cased(bodies: Strategy[Any], casing: Casing | None) -> Strategy[Any]:
    """PascalCase ``bodies`` in ``casing``; ``None`` draws a casing per body."""
    if casing is None:
        return st.tuples(bodies, st.sampled_from(CASINGS)).map(lambda pair: recase(*pair))
    recase({}, casing)  # refuses an unknown casing now, not when drawing
    return bodies.map(lambda body: recase(body, casing))


def sometimes(values: Strategy[Any]) -> Strategy[Any]:
    """For ``st.fixed_dictionaries(optional=...)``: mostly ``values``, now and then ``null``
    (Dinero reads ``null`` as "not supplied", as it does a property left out)."""
    return weighted(values, values, values, st.none())


def without_none(body: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if value is not None}


# -- money ---------------------------------------------------------------------


@cache
def amounts(low: float | Decimal = Decimal("0.01"), high: float | Decimal = Decimal(100_000)) -> Strategy[float]:
    """Money in ``[low, high]`` with at most two decimals (as JSON numbers): mostly
    round or small sums, as invoices have them, now and then any øre."""
    low, high = Decimal(str(low)), Decimal(str(high))
    if low > high:
        raise ValueError(f"amounts from {low} to {high}: the low end is above the high end")
    first = int(low.to_integral_value(rounding="ROUND_CEILING"))
    last = int(high.to_integral_value(rounding="ROUND_FLOOR"))
    small = st.decimals(low, min(high, max(low, Decimal(1000))), places=2)
    anywhere = st.decimals(low, high, places=2)
    if first > last:  # no whole amount in range
        return weighted(small, anywhere).map(float)
    return weighted(st.integers(first, last).map(Decimal), small, anywhere, anywhere).map(float)


@cache
def quantities() -> Strategy[float]:
    """A line's quantity: mostly whole, sometimes hours or kilos with decimals."""
    return weighted(st.integers(1, 20).map(float), st.integers(1, 1000).map(float), amounts(Decimal("0.01"), 500))


@cache
def percents() -> Strategy[float]:
    """A percentage from 0 to 100 with at most two decimals (discounts, reminder fees)."""
    return weighted(st.just(0.0), st.sampled_from([5.0, 10.0, 12.5, 25.0, 50.0, 100.0]), amounts(0, 100))


# -- dates ---------------------------------------------------------------------

Years = Iterable[int | tuple[date, date]]
"""Accounting years: calendar years (``2026``) or ``(first day, last day)`` pairs."""


def demo_years(today: date | None = None) -> tuple[int, int]:
    """The accounting years of a new demo organization: the previous and the current
    calendar year of ``today`` (the wall clock's date when not given), as a fresh fake
    on the wall clock has them. A fake started at another ``clock_start`` has those of
    its start: pass ``years=`` to the strategies then."""
    year = (today or datetime.now(timezone.utc).date()).year
    return (year - 1, year)


def _spans(years: Years | None) -> list[tuple[date, date]]:
    chosen = list(demo_years() if years is None else years)
    if not chosen:
        raise ValueError("years needs at least one accounting year")
    return [(date(year, 1, 1), date(year, 12, 31)) if isinstance(year, int) else tuple(year) for year in chosen]  # type: ignore[misc]


def days_in(years: Years | None = None) -> Strategy[date]:
    """Dates within ``years`` (default ``demo_years()``)."""
    return st.sampled_from(_spans(years)).flatmap(lambda span: st.dates(*span))


@labelled
def accounting_dates(years: Years | None = None) -> Strategy[str]:
    """Dates within the accounting years, as clients send them: mostly ``YYYY-MM-DD``,
    sometimes a .NET ``DateTime`` at midnight (``YYYY-MM-DDT00:00:00``), whose date
    part Dinero reads."""
    return st.tuples(days_in(years), st.sampled_from(["", "", "", "T00:00:00"])).map(
        lambda pair: pair[0].isoformat() + pair[1]
    )


# -- the demo chart ------------------------------------------------------------


def _chart() -> list[dict[str, Any]]:
    return list(seed_data.load("chart_of_accounts"))


def sales_accounts() -> list[int]:
    """The demo chart's visible accounts in the Turnover category: where products sell."""
    return [row["AccountNumber"] for row in _chart() if row["Category"] == "Turnover" and not row["IsHidden"]]


def vat_codes() -> dict[str, float]:
    """The demo VAT codes and their rates (``none`` included)."""
    return {row["VatCode"]: row["VatRate"] for row in seed_data.load("vat_types")}


def account_vat_codes() -> dict[int, str | None]:
    """Each account of the demo chart with its own VAT code (deposit accounts have none)."""
    own: dict[int, str | None] = {row["AccountNumber"]: row["VatCode"] for row in _chart()}
    own.update({row["AccountNumber"]: None for row in seed_data.load("deposit_accounts")})
    return own


def purchase_accounts() -> list[int]:
    """The demo chart's visible expense accounts a purchase books on: result accounts
    from 2000 to 9399 (``accounts/purchase``) whose own VAT code is not a sales code."""
    return [
        row["AccountNumber"]
        for row in _chart()
        if 2000 <= row["AccountNumber"] < 9400
        and not row["IsHidden"]
        and not (row["VatCode"] and is_sales_code(row["VatCode"]))
    ]


def deposit_accounts() -> list[int]:
    """The demo organization's deposit accounts (bank, savings, MobilePay, cash)."""
    return [row["AccountNumber"] for row in seed_data.load("deposit_accounts") if not row["IsHidden"]]


def balance_accounts() -> list[int]:
    """The demo chart's visible balance-sheet accounts without a VAT code, deposit
    accounts included: what a transfer between accounts moves money on."""
    chart = [
        row["AccountNumber"]
        for row in _chart()
        if row["AccountNumber"] >= 50000 and not row["IsHidden"] and not row["VatCode"]
    ]
    return sorted({*chart, *deposit_accounts()})


def currencies() -> list[str]:
    """The currency keys Dinero knows (the fake's fixed exchange rates)."""
    return sorted(key for key in seed_data.load("exchange_rates") if not key.startswith("_"))


def common_currencies() -> Strategy[str]:
    """Mostly DKK, then the currencies Danish businesses invoice in, now and then any."""
    common = st.sampled_from(["EUR", "USD", "SEK", "NOK", "GBP"])
    return weighted(st.just("DKK"), st.just("DKK"), common, st.sampled_from(currencies()))


def numbers_of(accounts: Iterable[int | Mapping[str, Any]], what: str) -> list[int]:
    """Account numbers from numbers or chart rows (``{"AccountNumber": ...}``)."""
    chosen = [account["AccountNumber"] if isinstance(account, Mapping) else int(account) for account in accounts]
    if not chosen:
        raise ValueError(f"{what} needs at least one account")
    return chosen


# -- the demo contact ----------------------------------------------------------

DEMO_CONTACT_GUID = "d1e2a3b4-0000-4000-8000-00000000de01"
"""The ContactGuid of the contact ``add_demo_contact`` creates; the document and
purchase strategies use it unless given another."""

DEMO_CONTACT: dict[str, Any] = {
    "ContactGuid": DEMO_CONTACT_GUID,
    "Name": "Demo Kunde ApS",
    "Street": "Vestergade 1",
    "ZipCode": "8000",
    "City": "Aarhus C",
    "CountryKey": "DK",
    "Email": "bogholderi@demo-kunde.dk",
    "VatNumber": "12345678",
    "IsPerson": False,
    "PaymentConditionType": "Netto",
    "PaymentConditionNumberOfDays": 14,
}
"""The body ``add_demo_contact`` posts: a Danish company that is both customer and supplier."""


def add_demo_contact(dinero: Dinero) -> str:
    """Create ``DEMO_CONTACT`` in the organization of ``dinero`` (the handle the
    ``dinero`` and ``fresh_dinero`` fixtures give) and return its ContactGuid; when
    it is there already, just return it.

    The call goes to the fake itself, past its fault rules and its journal, so a
    test's own assertions on those see only what its client sent.
    """
    import json

    from fake_dinero.http import ApiRequest

    request = ApiRequest(
        method="POST",
        path=f"/v1/{dinero.organization_id}/contacts",
        query_string="",
        headers={"content-type": "application/json", **{k.lower(): v for k, v in dinero.headers().items()}},
        body=json.dumps(DEMO_CONTACT).encode(),
    )
    response = dinero.fake.handle(request)
    if response.status != 200:
        again = dinero.fake.handle(
            ApiRequest("GET", f"{request.path}/{DEMO_CONTACT_GUID}", "", request.headers, b"")
        )
        if again.status != 200:  # not there already: refused for another reason
            raise RuntimeError(f"the demo contact was refused: {response.status} {response.body!r}")
    return DEMO_CONTACT_GUID


def guids(given: str | uuid.UUID | Strategy[str] | Sequence[str] | None) -> Strategy[str | None]:
    """One GUID, any of several, a strategy of them, or ``None`` (none sent)."""
    if given is None:
        return st.none()
    if isinstance(given, st.SearchStrategy):
        return given
    if isinstance(given, (str, uuid.UUID)):
        return st.just(str(given))
    chosen = [str(guid) for guid in given]
    if not chosen:
        raise ValueError("give at least one GUID, or None")
    return st.sampled_from(chosen)


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


def unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, list[Any], bool]:
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


def _model_amounts(limits: Mapping[str, Any]) -> Strategy[float]:
    """Money and quantities: up to two decimals, within the model's bounds."""
    low, high = (Decimal(str(bound)) for bound in _number_bounds(limits, (-1e9, 1e9)))
    realistic = st.decimals(max(low, Decimal(-100_000)), min(high, Decimal(100_000)), places=2)
    anywhere = st.decimals(low, high, places=2)
    return (
        weighted(realistic, realistic, anywhere)
        .map(float)
        .filter(lambda x: ("gt" not in limits or x > limits["gt"]) and ("lt" not in limits or x < limits["lt"]))
    )


def _for_type(where: str, annotation: Any, metadata: list[Any], casing: Casing) -> Strategy[Any]:
    core, metadata, _ = unwrap(annotation, metadata)
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
        return _model_amounts(limits)
    if core is str:
        return text(limits.get("min_length", 0), limits.get("max_length"))
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


@labelled
def model_bodies(
    model: type[BaseModel],
    *,
    overrides: Mapping[str, Strategy[Any]] | None = None,
    required: Iterable[str] = (),
    omit: Iterable[str] = (),
    casing: Casing = "pascal",
) -> Strategy[dict[str, Any]]:
    """JSON-ready bodies for a request ``model``, derived from its fields.

    Only the shape comes from the model: the cross-field rules the fake checks
    (an existing ContactGuid, accounts of the chart, VAT codes, dates in an
    accounting year) do not, so for the resources that have them use their own
    strategies (``invoice_bodies`` and the rest), which draw only bodies Dinero
    accepts.

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
        _, _, nullable = unwrap(field.annotation, [])
        optional[name] = sometimes(values) if nullable else values
    return st.fixed_dictionaries(sent, optional=optional).map(lambda body: recase(body, casing))
