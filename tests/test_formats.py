"""Dinero's value formats on the wire (reference §2.3)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from fake_dinero.formats import money, parse_lenient_datetime, render_datetime, render_version

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
