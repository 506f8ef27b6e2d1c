"""A long-running fake forgets tokens long past their expiry, so what it keeps of its logins
stays bounded however long it runs; a recently expired token still says it expired."""

from __future__ import annotations

from fake_dinero import Clock, World
from fake_dinero.auth import issue_legacy_token
from fake_dinero.world import EXPIRED_KEPT_SECONDS

from .support import START


def test_tokens_expired_for_longer_than_a_day_are_forgotten_at_the_next_login() -> None:
    world = World.with_demo(clock=Clock(START))
    client = world.clients["fake-dinero-client"]
    old = issue_legacy_token(world, 123456, client)
    world.clock.advance(world.settings.token_lifetime_seconds + EXPIRED_KEPT_SECONDS + 1)
    new = issue_legacy_token(world, 123456, client)
    assert set(world.tokens) == {new.token}
    assert old.token not in world.tokens


def test_a_token_expired_less_than_a_day_ago_is_still_known() -> None:
    world = World.with_demo(clock=Clock(START))
    client = world.clients["fake-dinero-client"]
    old = issue_legacy_token(world, 123456, client)
    world.clock.advance(world.settings.token_lifetime_seconds + 60)
    issue_legacy_token(world, 123456, client)
    assert old.token in world.tokens


def test_a_day_of_hourly_logins_keeps_at_most_two_days_of_tokens() -> None:
    world = World.with_demo(clock=Clock(START))
    client = world.clients["fake-dinero-client"]
    for _ in range(24 * 7):
        issue_legacy_token(world, 123456, client)
        world.clock.advance(3600)
    assert len(world.tokens) <= 2 * 24 + 2
