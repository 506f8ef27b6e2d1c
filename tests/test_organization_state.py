"""An organization keeps everything that changes in tables, so reset and snapshots miss nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any, get_args

import pytest
from pydantic import BaseModel

from fake_dinero import Clock, FakeDinero, World
from fake_dinero.domain import chart
from fake_dinero.domain.years import years
from fake_dinero.store import COLLECTIONS

START = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)


def organization_of(fake: FakeDinero):
    return fake.world.organizations[123456]


def test_an_organization_holds_nothing_mutable_outside_its_tables() -> None:
    organization = organization_of(FakeDinero(World.with_demo(clock=Clock(START))))
    assert set(vars(organization)) == {"world", "id", "profile", "version", "_tables"}
    assert isinstance(organization.id, int) and isinstance(organization.version, int)


def test_an_organization_profile_is_read_only() -> None:
    organization = organization_of(FakeDinero(World.with_demo(clock=Clock(START))))
    with pytest.raises(TypeError):
        organization.profile["Name"] = "Other ApS"  # type: ignore[index]
    with pytest.raises(TypeError):
        organization.profile["Subscription"]["HasPro"] = False  # type: ignore[index]


def test_a_new_organization_has_the_standard_chart_deposit_accounts_and_vat_types() -> None:
    organization = organization_of(FakeDinero(World.with_demo(clock=Clock(START))))
    assert chart.entry_account(organization, 1000).Name == "Salg af varer/ydelser m/moms"
    assert chart.deposit_account(organization, 55000).IsDefault is True
    assert chart.vat_rate(organization, "i25") == chart.vat_rate(organization, "U25") == 0.25


def test_a_new_organization_has_the_previous_and_the_current_calendar_year() -> None:
    organization = organization_of(FakeDinero(World.with_demo(clock=Clock(START))))
    assert [year.Name for year in years(organization)] == ["2025", "2026"]


def test_reset_forgets_accounts_created_after_the_baseline() -> None:
    fake = FakeDinero(World.with_demo(clock=Clock(START)))
    chart.create_entry_account(organization_of(fake), 1010, "Salg af abonnementer", "U25")
    chart.create_deposit_account(organization_of(fake), 55100, "Stripe")
    fake.control.reset()
    assert chart.entry_account(organization_of(fake), 1010) is None
    assert chart.deposit_account(organization_of(fake), 55100) is None


def test_a_snapshot_file_carries_created_accounts() -> None:
    source = FakeDinero(World.with_demo(clock=Clock(START)))
    chart.create_entry_account(organization_of(source), 1010, "Salg af abonnementer", "U25")
    target = FakeDinero(World.with_demo(clock=Clock(START)))
    target.control.import_(source.control.export())
    assert chart.entry_account(organization_of(target), 1010).VatCode == "U25"


def test_reset_brings_back_exactly_the_dumped_state() -> None:
    fake = FakeDinero(World.with_demo(clock=Clock(START), contacts=2, products=2))
    before = fake.control.dump()
    chart.create_deposit_account(organization_of(fake), 55100, "Stripe")
    fake.control.reset()
    assert fake.control.dump() == before


def _annotations(model: type[BaseModel], seen: set[type]) -> Iterator[tuple[str, Any]]:
    """Every field annotation of a stored model, nested models included."""
    if model in seen:
        return
    seen.add(model)
    for name, field in model.model_fields.items():
        stack = [field.annotation]
        while stack:
            annotation = stack.pop()
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                yield from _annotations(annotation, seen)
            else:
                yield f"{model.__name__}.{name}", annotation
                stack.extend(get_args(annotation))


def test_stored_money_is_decimal_never_float() -> None:
    import fake_dinero.resources  # noqa: F401  (declares every collection)

    floats = [
        where
        for collection in COLLECTIONS.values()
        for where, annotation in _annotations(collection.data_model, set())
        if annotation is float
    ]
    assert floats == []


def test_a_snapshot_file_carries_every_table_of_a_booked_year() -> None:
    source = FakeDinero(World.with_demo(clock=Clock(START)))
    source.control.seed("year")
    target = FakeDinero(World.with_demo(clock=Clock(START)))
    target.control.import_(json.loads(json.dumps(source.control.export())))
    assert target.control.dump() == source.control.dump()
