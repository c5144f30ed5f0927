"""Route channels come from configuration first and from admins after; settings are JSON."""

from storage.queries import (
    get_setting,
    route_channels,
    seed_route_channels,
    set_route_channel,
    set_setting,
)
from storage.queries.config import set_setting_once, workspace_setting
from storage.queries.installs import note_team
from storage.types import utc_now


def test_seeding_maps_routes_that_have_no_channel_yet(session):
    seed_route_channels(session=session, channels={"sales": "CSALES", "product": "CPROD"})

    assert route_channels(session=session) == {"sales": "CSALES", "product": "CPROD"}


def test_seeding_skips_routes_without_a_configured_channel(session):
    seed_route_channels(session=session, channels={"sales": "CSALES", "marketing": None})

    assert route_channels(session=session) == {"sales": "CSALES"}


def test_an_admins_choice_survives_seeding_on_restart(session):
    seed_route_channels(session=session, channels={"sales": "CENV"})
    set_route_channel(session=session, route="sales", channel_id="CADMIN", changed_by="UADMIN")

    seed_route_channels(session=session, channels={"sales": "CENV", "coach": "CCOACH"})

    assert route_channels(session=session) == {"sales": "CADMIN", "coach": "CCOACH"}


def test_setting_a_route_channel_replaces_the_previous_one(session):
    set_route_channel(session=session, route="product", channel_id="C1", changed_by="U1")
    set_route_channel(session=session, route="product", channel_id="C2", changed_by="U2")

    assert route_channels(session=session) == {"product": "C2"}


def test_a_changed_channel_is_seen_by_the_same_session_at_once(session):
    set_route_channel(session=session, route="sales", channel_id="C1", changed_by="U1")
    assert route_channels(session=session) == {"sales": "C1"}

    set_route_channel(session=session, route="sales", channel_id="C2", changed_by="U1")

    assert route_channels(session=session) == {"sales": "C2"}


def test_a_setting_may_hold_null_and_still_differs_from_unset(session):
    set_setting(session=session, key="nudge_days", value=None, changed_by="U1")

    assert get_setting(session=session, key="nudge_days", default=3) is None


def test_an_unset_setting_returns_the_default(session):
    assert get_setting(session=session, key="nudge_days", default=3) == 3


def test_a_setting_is_stored_as_json_and_can_be_changed(session):
    schedule = {"day": "mon", "time": "09:00", "tz": "Europe/Berlin"}
    set_setting(session=session, key="digest_schedule", value=schedule, changed_by="UADMIN")
    assert get_setting(session=session, key="digest_schedule") == schedule

    set_setting(session=session, key="digest_schedule", value={"day": "fri"}, changed_by="U2")
    assert get_setting(session=session, key="digest_schedule") == {"day": "fri"}


def test_a_workspace_changes_its_own_channels_and_settings_and_reads_the_rest_from_the_default(
    session,
):
    seed_route_channels(session=session, channels={"sales": "CENV", "product": "CENVPROD"})
    set_setting(session=session, key="nudge_days", value=3, changed_by=None)
    set_route_channel(
        session=session, route="sales", channel_id="CGLOBEX", changed_by="U1", team_id="T0GLOBEX"
    )
    set_setting(session=session, key="nudge_days", value=5, changed_by="U1", team_id="T0GLOBEX")

    globex = route_channels(session=session, team_id="T0GLOBEX")
    assert globex == {"sales": "CGLOBEX", "product": "CENVPROD"}
    assert route_channels(session=session, team_id="T0ACME") == {
        "sales": "CENV", "product": "CENVPROD",
    }  # fmt: skip
    assert get_setting(session=session, key="nudge_days", team_id="T0GLOBEX") == 5
    assert get_setting(session=session, key="nudge_days", team_id="T0ACME") == 3
    assert get_setting(session=session, key="nudge_days") == 3


def test_a_workspace_setting_is_its_own_else_its_organisations_else_the_deployments(session):
    note_team(session=session, team_id="T0EAST", enterprise_id="E0ORG", now=utc_now())
    set_setting(session=session, key="admins", value=["U0DEPLOY"], changed_by=None)
    assert workspace_setting(session=session, key="admins", team_id="T0EAST") == ["U0DEPLOY"]

    set_setting(session=session, key="admins", value=["W0ORG"], changed_by=None, team_id="E0ORG")
    assert workspace_setting(session=session, key="admins", team_id="T0EAST") == ["W0ORG"]
    assert workspace_setting(session=session, key="admins", team_id="T0OTHER") == ["U0DEPLOY"]

    set_setting(session=session, key="admins", value=["W0EAST"], changed_by=None, team_id="T0EAST")
    assert workspace_setting(session=session, key="admins", team_id="T0EAST") == ["W0EAST"]
    assert workspace_setting(session=session, key="coaches", team_id="T0EAST") is None


def test_setting_once_keeps_what_the_workspace_set_since(session):
    now = utc_now()
    set_setting_once(session=session, key="admins", value=["U1"], changed_by="U1", now=now,
                     team_id="T0A")  # fmt: skip
    set_setting(session=session, key="admins", value=["U1", "U2"], changed_by="U1", team_id="T0A")
    set_setting_once(session=session, key="admins", value=["U9"], changed_by="U9", now=now,
                     team_id="T0A")  # a reinstall  # fmt: skip

    assert get_setting(session=session, key="admins", team_id="T0A") == ["U1", "U2"]
