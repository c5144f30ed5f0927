"""Who may change the workspace's settings: the rule, without Slack."""

from __future__ import annotations

from bot.domain.workspace import may_change_settings

ADMINS = frozenset({"U0ADMIN", "U0OTHERADMIN"})


def test_an_admin_may_change_the_settings():
    assert may_change_settings("U0ADMIN", ADMINS)
    assert may_change_settings("U0OTHERADMIN", ADMINS)


def test_nobody_else_may_and_without_admins_nobody_may():
    assert not may_change_settings("U0SCOUT", ADMINS)
    assert not may_change_settings("U0ADMIN", frozenset())
    assert not may_change_settings("u0admin", ADMINS)  # Slack ids are compared exactly
