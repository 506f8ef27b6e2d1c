"""Dinero's value formats on the wire (reference §2.3)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import httpx
import pytest

from fake_dinero import Clock, FakeDinero
from fake_dinero.formats import money, parse_lenient_datetime, render_datetime, render_version

from .listing_calls import CONTACTS, create_contact, listing, names
from .sales_calls import INVOICES, booked_invoice, customer

UTC = timezone.utc


def test_datetimes_render_without_zone_and_with_trimmed_fraction() -> None:
    assert render_datetime(datetime(2017, 5, 19, 14, 20, 47, 407000, tzinfo=UTC)) == "2017-05-19T14:20:47.407"
    assert render_datetime(datetime(2017, 5, 19, 14, 15, 29, 550000, tzinfo=UTC)) == "2017-05-19T14:15:29.55"
    assert render_datetime(datetime(2017, 5, 19, 14, 14, 47, tzinfo=UTC)) == "2017-05-19T14:14:47"


def test_datetimes_render_in_utc() -> None:
    copenhagen_winter = timezone(timedelta(hours=1))
    assert render_datetime(datetime(2026, 1, 1, 12, 0, tzinfo=copenhagen_winter)) == "2026-01-01T11:00:00"


@pytest.mark.parametrize(
    "text",
    [
        "2015-08-18T06:36:22Z",
        "2015-08-18T06:36:22",
        "2015-08-18T06:36:22.000Z",
        "2015-08-18 06:36:22",
        "2015-08-18T08:36:22+02:00",
        "2015-08-18T07:36:22+0100",
    ],
)
def test_changes_since_parses_what_real_clients_send(text: str) -> None:
    assert parse_lenient_datetime(text) == datetime(2015, 8, 18, 6, 36, 22, tzinfo=UTC)


def test_changes_since_keeps_fractions() -> None:
    assert parse_lenient_datetime("2015-08-18T06:36:22.1234567Z").microsecond == 123456


def test_changes_since_accepts_a_bare_date() -> None:
    assert parse_lenient_datetime("2015-08-18") == datetime(2015, 8, 18, tzinfo=UTC)


@pytest.mark.parametrize("text", ["yesterday", "2015-13-01T00:00:00Z", "2015-08-18T25:00:00", ""])
def test_changes_since_refuses_what_is_not_a_time(text: str) -> None:
    with pytest.raises(ValueError):
        parse_lenient_datetime(text)


def test_versions_render_as_sixteen_upper_case_hex_digits() -> None:
    assert render_version(0x20A5EA8) == "00000000020A5EA8"


def test_money_rounds_half_away_from_zero_to_two_decimals() -> None:
    assert money(2.675) == Decimal("2.68")
    assert money("-0.125") == Decimal("-0.13")


# -- datetimes as the fake sends them ------------------------------------------------
# Every captured real answer has at most three fractional digits
# (2017-05-19T14:20:47.407, 2017-05-19T14:15:29.55, 2017-05-19T14:14:47: dinero-java's
# fixtures; go-dinero parses with the layout 2006-01-02T15:04:05.999).

SUB_MILLISECOND = datetime(2026, 3, 2, 9, 30, 5, 250999, tzinfo=UTC)
"""A moment whose milliseconds would round up (to .251) but must be cut (to .25)."""


def test_datetimes_render_at_most_milliseconds() -> None:
    assert render_datetime(datetime(2026, 12, 6, 17, 20, 41, 903757, tzinfo=UTC)) == "2026-12-06T17:20:41.903"


def test_datetime_fractions_are_cut_not_rounded() -> None:
    assert render_datetime(SUB_MILLISECOND) == "2026-03-02T09:30:05.25"
    assert render_datetime(datetime(2026, 3, 2, 9, 30, 5, 999999, tzinfo=UTC)) == "2026-03-02T09:30:05.999"


def test_less_than_a_millisecond_renders_no_fraction() -> None:
    assert render_datetime(datetime(2026, 3, 2, 9, 30, 5, 999, tzinfo=UTC)) == "2026-03-02T09:30:05"


def test_a_rendered_updated_at_fed_back_as_changes_since_still_finds_the_row(
    api: httpx.Client, clock: Clock
) -> None:
    create_contact(api, "Before")
    clock.set(SUB_MILLISECOND)
    create_contact(api, "After")
    (after,) = listing(api, fields="Name,UpdatedAt", queryFilter="Name eq 'After'")["Collection"]
    assert after["UpdatedAt"] == "2026-03-02T09:30:05.25"
    assert names(api, changesSince=after["UpdatedAt"]) == ["After"]
    assert names(api, changesSince=after["UpdatedAt"] + "Z") == ["After"]


def test_changes_in_the_same_millisecond_are_all_found_again(api: httpx.Client, clock: Clock) -> None:
    """Dinero's precision is the millisecond: a client asking from a seen time gets
    every change of that millisecond, never fewer."""
    clock.set(SUB_MILLISECOND.replace(microsecond=250100))
    create_contact(api, "First")
    clock.set(SUB_MILLISECOND)
    create_contact(api, "Second")
    (second,) = listing(api, fields="Name,UpdatedAt", queryFilter="Name eq 'Second'")["Collection"]
    assert names(api, changesSince=second["UpdatedAt"]) == ["First", "Second"]


def test_no_answer_journal_or_control_plane_time_has_more_than_three_fractional_digits(
    api: httpx.Client, clock: Clock, fake: FakeDinero
) -> None:
    clock.set(datetime(2026, 3, 2, 9, 30, 5, 123456, tzinfo=UTC))
    guid = booked_invoice(api, customer(api, Email="bogholderi@kunde.dk"))
    assert api.post(f"{INVOICES}/{guid}/email", json={}).status_code == 200
    texts = [
        api.get(f"{INVOICES}/{guid}").text,
        api.get(CONTACTS, params={"fields": "Name,CreatedAt,UpdatedAt,DeletedAt"}).text,
        api.get("/_fake/journal").text,
        api.get("/_fake/clock").text,
        api.get("/_fake/outbox").text,
        json.dumps(fake.control.outbox()),
    ]
    for text in texts:
        assert "2026-03-02T09:30:05.123" in text or "09:30:05.123" in text, text
        assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d{4}", text), text
