"""The emulator answers chat, conversations, users, auth and reactions as Slack does."""

from __future__ import annotations

import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.emulator import SEED, SlackEmulator


def error_of(call, **kwargs) -> str:
    with pytest.raises(SlackApiError) as info:
        call(**kwargs)
    return info.value.response["error"]


def test_auth_test_names_the_bot_and_team(client: WebClient) -> None:
    answer = client.auth_test()
    assert answer["user_id"] == SEED.bot_user_id
    assert answer["bot_id"] == SEED.bot_id
    assert answer["team_id"] == SEED.team_id
    assert answer["team"] == "Acme Corp"
    assert answer["url"] == "https://acme.slack.com/"


def test_unknown_token_is_invalid_auth(emu: SlackEmulator) -> None:
    stranger = WebClient(token="xoxb-wrong", base_url=emu.api_url)
    assert error_of(stranger.auth_test) == "invalid_auth"


def test_missing_token_is_not_authed(emu: SlackEmulator) -> None:
    anonymous = WebClient(base_url=emu.api_url)
    assert error_of(anonymous.auth_test) == "not_authed"


def test_unknown_method_is_unknown_method(client: WebClient) -> None:
    assert error_of(client.api_call, api_method="chat.teleport") == "unknown_method"


def test_token_in_the_form_body_is_accepted_and_never_recorded(emu: SlackEmulator) -> None:
    body = f"token={SEED.bot_token}&user={SEED.scout}".encode()
    with urllib.request.urlopen(emu.api_url + "users.info", data=body, timeout=5) as resp:
        assert json.load(resp)["user"]["id"] == SEED.scout
    recorded = emu.calls_to("users.info")[0]
    assert "token" not in recorded.params
    assert SEED.bot_token not in repr(emu.calls)


def test_get_with_query_string_is_answered(emu: SlackEmulator) -> None:
    url = f"{emu.api_url}conversations.info?channel={SEED.sales}"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {SEED.bot_token}"})
    with urllib.request.urlopen(request, timeout=5) as resp:
        assert json.load(resp)["channel"]["name"] == "sales"


def test_post_message_returns_channel_ts_and_message(client: WebClient, emu: SlackEmulator) -> None:
    answer = client.chat_postMessage(channel=SEED.sales, text="Hello sales")
    assert answer["channel"] == SEED.sales
    assert answer["message"]["text"] == "Hello sales"
    assert answer["message"]["bot_id"] == SEED.bot_id
    assert emu.messages(SEED.sales)[-1]["ts"] == answer["ts"]


def test_timestamps_are_unique_and_increasing(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel=SEED.sales, text=str(i))["ts"] for i in range(5)]
    assert all(len(ts.split(".")[1]) == 6 for ts in stamps)
    assert stamps == sorted(stamps, key=float)
    assert len(set(stamps)) == 5


def test_replies_land_in_the_thread_and_count_on_the_parent(
    client: WebClient, emu: SlackEmulator
) -> None:
    parent = client.chat_postMessage(channel=SEED.product, text="parent")["ts"]
    client.chat_postMessage(channel=SEED.product, text="reply 1", thread_ts=parent)
    client.chat_postMessage(channel=SEED.product, text="reply 2", thread_ts=parent)
    thread = client.conversations_replies(channel=SEED.product, ts=parent)["messages"]
    assert [m["text"] for m in thread] == ["parent", "reply 1", "reply 2"]
    assert thread[0]["reply_count"] == 2
    history = client.conversations_history(channel=SEED.product)["messages"]
    assert [m["text"] for m in history] == ["parent"]
    assert [m["text"] for m in emu.messages(SEED.product)] == ["parent", "reply 1", "reply 2"]


def test_posting_to_a_user_id_lands_in_their_stable_dm(
    client: WebClient, emu: SlackEmulator
) -> None:
    posted = client.chat_postMessage(channel=SEED.scout, text="hi Sam")
    opened = client.conversations_open(users=SEED.scout)["channel"]["id"]
    assert posted["channel"] == opened == emu.dm_channel_for(SEED.scout)
    assert opened.startswith("D")
    assert client.conversations_open(users=SEED.scout)["channel"]["id"] == opened
    assert emu.messages(opened)[0]["text"] == "hi Sam"


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_post_message_errors(client: WebClient) -> None:
    post = client.chat_postMessage
    assert error_of(post, channel="C0NOPE", text="x") == "channel_not_found"
    assert error_of(post, channel=SEED.general, text="x") == "not_in_channel"
    assert error_of(post, channel=SEED.sales, text="") == "no_text"
    assert error_of(post, channel=SEED.sales, text="x" * 40_001) == "msg_too_long"


def test_joining_general_lets_the_bot_post_there(client: WebClient) -> None:
    client.conversations_join(channel=SEED.general)
    assert client.chat_postMessage(channel=SEED.general, text="hello")["ok"]


def test_update_replaces_the_bots_message(client: WebClient, emu: SlackEmulator) -> None:
    ts = client.chat_postMessage(channel=SEED.sales, text="before")["ts"]
    answer = client.chat_update(channel=SEED.sales, ts=ts, text="after")
    assert answer["message"]["text"] == "after"
    assert emu.message(SEED.sales, ts)["text"] == "after"
    assert error_of(client.chat_update, channel=SEED.sales, ts="1.000001", text="x") == (
        "message_not_found"
    )


def test_update_of_a_humans_message_is_refused(client: WebClient, emu: SlackEmulator) -> None:
    ts = emu.workspace.add_user_message(SEED.sales, SEED.sally, "mine")
    assert error_of(client.chat_update, channel=SEED.sales, ts=ts, text="x") == (
        "cant_update_message"
    )


def test_ephemeral_is_shown_to_one_member_only(client: WebClient, emu: SlackEmulator) -> None:
    answer = client.chat_postEphemeral(channel=SEED.sales, user=SEED.sally, text="psst")
    assert answer["message_ts"]
    assert emu.ephemerals(SEED.sales)[0]["to_user"] == SEED.sally
    assert emu.messages(SEED.sales) == []
    outsider = emu.workspace.add_user("U0GUEST", "guest", "Guest")["id"]
    kwargs = {"channel": SEED.sales, "user": outsider, "text": "x"}
    assert error_of(client.chat_postEphemeral, **kwargs) == "user_not_in_channel"


def test_permalink_points_at_the_message_and_its_thread(client: WebClient) -> None:
    parent = client.chat_postMessage(channel=SEED.sales, text="p")["ts"]
    reply = client.chat_postMessage(channel=SEED.sales, text="r", thread_ts=parent)["ts"]
    link = client.chat_getPermalink(channel=SEED.sales, message_ts=parent)["permalink"]
    assert link == f"https://acme.slack.com/archives/C0SALES/p{parent.replace('.', '')}"
    reply_link = client.chat_getPermalink(channel=SEED.sales, message_ts=reply)["permalink"]
    assert f"thread_ts={parent}" in reply_link
    kwargs = {"channel": SEED.sales, "message_ts": "1.000002"}
    assert error_of(client.chat_getPermalink, **kwargs) == "message_not_found"


def test_delete_removes_the_message(client: WebClient, emu: SlackEmulator) -> None:
    ts = client.chat_postMessage(channel=SEED.sales, text="oops")["ts"]
    client.chat_delete(channel=SEED.sales, ts=ts)
    assert emu.messages(SEED.sales) == []


def test_conversations_info_and_members(client: WebClient) -> None:
    info = client.conversations_info(channel=SEED.marketing)["channel"]
    assert (info["name"], info["is_member"]) == ("marketing", True)
    assert client.conversations_info(channel=SEED.general)["channel"]["is_member"] is False
    members = client.conversations_members(channel=SEED.product)["members"]
    assert SEED.dana in members and SEED.bot_user_id in members
    assert error_of(client.conversations_info, channel="C0NOPE") == "channel_not_found"


def test_users_info_has_profile_and_time_zone(client: WebClient) -> None:
    user = client.users_info(user=SEED.dana)["user"]
    assert user["profile"]["real_name"] == "Dana Product"
    assert user["tz"] == "Europe/Berlin"
    assert user["is_bot"] is False
    assert error_of(client.users_info, user="U0NOBODY") == "user_not_found"


def test_reactions_are_added_once(client: WebClient, emu: SlackEmulator) -> None:
    ts = client.chat_postMessage(channel=SEED.sales, text="nice")["ts"]
    client.reactions_add(channel=SEED.sales, timestamp=ts, name="white_check_mark")
    kwargs = {"channel": SEED.sales, "timestamp": ts, "name": "white_check_mark"}
    assert error_of(client.reactions_add, **kwargs) == "already_reacted"
    assert emu.message(SEED.sales, ts)["reactions"][0]["count"] == 1
    missing = {**kwargs, "timestamp": "1.000003"}
    assert error_of(client.reactions_add, **missing) == "message_not_found"


def test_message_listeners_hear_posts_updates_and_ephemerals(
    client: WebClient, emu: SlackEmulator
) -> None:
    heard: list[tuple[str, str, str]] = []
    emu.on_message(lambda channel, message, kind: heard.append((channel, message["text"], kind)))
    ts = client.chat_postMessage(channel=SEED.sales, text="one")["ts"]
    client.chat_update(channel=SEED.sales, ts=ts, text="two")
    client.chat_postEphemeral(channel=SEED.sales, user=SEED.sally, text="three")
    assert heard == [
        (SEED.sales, "one", "posted"),
        (SEED.sales, "two", "updated"),
        (SEED.sales, "three", "ephemeral"),
    ]


def test_concurrent_posts_all_land_with_unique_timestamps(
    client: WebClient, emu: SlackEmulator
) -> None:
    def post(i: int) -> str:
        return client.chat_postMessage(channel=SEED.sales, text=f"m{i}")["ts"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        stamps = list(pool.map(post, range(40)))
    assert len(set(stamps)) == 40
    stored = emu.messages(SEED.sales)
    assert [m["ts"] for m in stored] == sorted(stamps, key=float)
