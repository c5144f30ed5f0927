"""The emulator's workspaces and installs: authorize, oauth.v2.access, org-wide tokens."""

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.emulator.seed import GLOBEX, GRID, GRID_EAST, GRID_WEST

REDIRECT = "https://scout.example.com/slack/oauth_redirect"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 302 itself is under test


def install(emu, team: str) -> str:
    """Approve the app on the authorize page; the token oauth.v2.access gives for the code."""
    query = urlencode({"client_id": "1.2", "scope": "chat:write", "state": "s1", "team": team})
    opener = urllib.request.build_opener(NoRedirects)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(f"{emu.authorize_url()}?{query}")
    assert redirect.value.code == 302
    location = urlsplit(redirect.value.headers["Location"])
    back = parse_qs(location.query)
    assert location._replace(query="").geturl() == REDIRECT and back["state"] == ["s1"]
    answer = WebClient(base_url=emu.api_url).oauth_v2_access(
        client_id="1.2", client_secret="shh", code=back["code"][0]
    )
    return answer


@pytest.fixture
def installing(emu):
    emu.accept_installs(client_id="1.2", client_secret="shh", redirect_url=REDIRECT)
    return emu


def test_a_workspace_token_speaks_for_that_workspace_only(installing):
    globex = installing.add_team(GLOBEX)
    answer = install(installing, GLOBEX.team_id)

    assert answer["team"]["id"] == GLOBEX.team_id and answer["is_enterprise_install"] is False
    client = WebClient(token=answer["access_token"], base_url=installing.api_url)
    assert client.auth_test()["team_id"] == GLOBEX.team_id
    client.chat_postMessage(channel=GLOBEX.sales, text="hello Globex")
    assert [m["text"] for m in globex.messages(GLOBEX.sales)] == ["hello Globex"]
    assert installing.messages(installing.seed.sales) == []  # Acme's own #sales


def test_a_token_cannot_post_into_another_workspaces_channel(installing):
    """Channel ids are unique across workspaces, as Slack's are: Globex's token posting to
    Acme's #sales (or Acme's to Globex's) is channel_not_found, never a post elsewhere."""
    globex = installing.add_team(GLOBEX)
    acme_token = install(installing, installing.seed.team_id)["access_token"]
    globex_token = install(installing, GLOBEX.team_id)["access_token"]
    assert GLOBEX.sales != installing.seed.sales

    for token, channel in ((globex_token, installing.seed.sales), (acme_token, GLOBEX.sales)):
        client = WebClient(token=token, base_url=installing.api_url)
        with pytest.raises(SlackApiError, match="channel_not_found"):
            client.chat_postMessage(channel=channel, text="across workspaces")
    assert installing.messages(installing.seed.sales) == globex.messages(GLOBEX.sales) == []


def test_a_code_is_good_once_and_only_with_the_apps_secret(installing):
    install(installing, installing.seed.team_id)
    client = WebClient(base_url=installing.api_url)
    with pytest.raises(SlackApiError, match="invalid_client_id"):
        client.oauth_v2_access(client_id="1.2", client_secret="wrong", code="x")
    with pytest.raises(SlackApiError, match="invalid_code"):
        client.oauth_v2_access(client_id="1.2", client_secret="shh", code="x")


def test_an_org_wide_token_serves_each_workspace_named_in_the_call(installing):
    east, west = installing.add_team(GRID_EAST), installing.add_team(GRID_WEST)
    answer = install(installing, GRID)

    assert answer["team"] is None and answer["enterprise"]["id"] == GRID
    assert answer["is_enterprise_install"] is True
    token = answer["access_token"]
    for view in (east, west):
        client = WebClient(token=token, base_url=installing.api_url, team_id=view.seed.team_id)
        client.chat_postMessage(channel=view.seed.sales, text=view.seed.team_name)
        assert [m["text"] for m in view.messages(view.seed.sales)] == [view.seed.team_name]
    with pytest.raises(SlackApiError, match="team_access_not_granted"):
        WebClient(token=token, base_url=installing.api_url, team_id="T0ACME").auth_test()


def test_uninstalling_stops_the_tokens_of_that_workspace(installing):
    installing.add_team(GLOBEX)
    token = install(installing, GLOBEX.team_id)["access_token"]
    installing.uninstall(GLOBEX.team_id)

    with pytest.raises(SlackApiError, match="invalid_auth"):
        WebClient(token=token, base_url=installing.api_url).auth_test()
