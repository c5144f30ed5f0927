"""Who may see and change the workspace's settings: the use case's rule, no Slack."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from bot.config import AdminsOnly, change_settings, load_config, settings_to_change
from bot.domain.actor import Actor
from bot.domain.workspace import WorkspaceConfig
from bot.settings import Settings, parse_weekly
from storage.engine import session_scope

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADMINS = frozenset({"U0ADMIN"})
ADMIN = Actor.of("U0ADMIN", "T0ACME", admins=ADMINS)
SCOUT = Actor.of("U0SCOUT", "T0ACME", admins=ADMINS)
WANTED = WorkspaceConfig(
    channels={"sales": "C0NEWSALES"}, schedule=parse_weekly("tue 10:30"), nudge_days=5
)


@pytest.fixture
def settings() -> Settings:
    return Settings(_env_file=None, admins="U0ADMIN")


def test_an_admin_changes_the_settings_and_every_process_reads_them(
    engine: Engine, settings: Settings
):
    with session_scope(engine) as session:
        change_settings(session=session, actor=ADMIN, config=WANTED, now=NOW)
    with session_scope(engine) as session:
        config = settings_to_change(session=session, settings=settings, actor=ADMIN)

    assert config.channels["sales"] == "C0NEWSALES"
    assert str(config.schedule) == "tue 10:30" and config.nudge_days == 5


def test_anyone_else_may_neither_see_nor_change_them(engine: Engine, settings: Settings):
    with session_scope(engine) as session:
        before = load_config(session=session, settings=settings)
        with pytest.raises(AdminsOnly):
            settings_to_change(session=session, settings=settings, actor=SCOUT)
        with pytest.raises(AdminsOnly):
            change_settings(session=session, actor=SCOUT, config=WANTED, now=NOW)
    with session_scope(engine) as session:
        assert load_config(session=session, settings=settings) == before


def test_an_actor_without_a_user_is_never_an_admin():
    assert not Actor.of(None, "T0ACME", admins=frozenset({""})).is_admin
    assert Actor.of("U0ADMIN", None, admins=ADMINS).team_id == ""
