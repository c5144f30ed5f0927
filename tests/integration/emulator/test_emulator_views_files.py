"""Modals, App Home and v2 file uploads behave as in Slack."""

from __future__ import annotations

import struct
import zlib

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.emulator import SEED, SlackEmulator
from bot.emulator.clock import ManualClock


def modal(title: str = "Discovery", **extra) -> dict:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": title}}]
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": blocks,
        **extra,
    }


def home(text: str) -> dict:
    return {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


def error_of(call, **kwargs) -> str:
    with pytest.raises(SlackApiError) as info:
        call(**kwargs)
    return info.value.response["error"]


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_views_open_with_a_fresh_trigger_returns_the_view(
    client: WebClient, emu: SlackEmulator
) -> None:
    trigger = emu.mint_trigger_id(SEED.scout)
    view = client.views_open(trigger_id=trigger, view=modal(callback_id="discovery"))["view"]
    assert view["id"].startswith("V")
    assert view["root_view_id"] == view["id"]
    assert view["hash"] and view["callback_id"] == "discovery"
    assert view["team_id"] == SEED.team_id and view["app_id"] == SEED.app_id
    assert [v["id"] for v in emu.modal_stack(SEED.scout)] == [view["id"]]


def test_a_trigger_older_than_three_seconds_is_expired(
    client: WebClient, emu: SlackEmulator, clock: ManualClock
) -> None:
    trigger = emu.mint_trigger_id(SEED.scout)
    clock.advance(3.1)
    assert error_of(client.views_open, trigger_id=trigger, view=modal()) == "expired_trigger_id"


def test_a_trigger_is_used_once_and_must_be_minted(client: WebClient, emu: SlackEmulator) -> None:
    trigger = emu.mint_trigger_id(SEED.scout)
    client.views_open(trigger_id=trigger, view=modal())
    assert error_of(client.views_open, trigger_id=trigger, view=modal()) == "exchanged_trigger_id"
    assert error_of(client.views_open, trigger_id="12.34.ab", view=modal()) == "invalid_trigger_id"


def test_views_update_with_a_stale_hash_is_a_conflict(
    client: WebClient, emu: SlackEmulator
) -> None:
    opened = client.views_open(trigger_id=emu.mint_trigger_id(SEED.scout), view=modal())["view"]
    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal("Step 2"))
    assert updated["view"]["id"] == opened["id"]
    assert updated["view"]["hash"] != opened["hash"]
    assert emu.view(opened["id"])["title"]["text"] == "Step 2"
    kwargs = {"view_id": opened["id"], "hash": opened["hash"], "view": modal("Step 3")}
    assert error_of(client.views_update, **kwargs) == "hash_conflict"
    assert error_of(client.views_update, view_id="V0NOPE", view=modal()) == "not_found"


def test_views_update_by_external_id(client: WebClient, emu: SlackEmulator) -> None:
    trigger = emu.mint_trigger_id(SEED.scout)
    opened = client.views_open(trigger_id=trigger, view=modal(external_id="disc-1"))["view"]
    updated = client.views_update(external_id="disc-1", view=modal("Again"))["view"]
    assert updated["id"] == opened["id"]


def test_views_push_stacks_at_most_three_views(client: WebClient, emu: SlackEmulator) -> None:
    root = client.views_open(trigger_id=emu.mint_trigger_id(SEED.scout), view=modal())["view"]
    for step in ("Two", "Three"):
        pushed = client.views_push(trigger_id=emu.mint_trigger_id(SEED.scout), view=modal(step))
        assert pushed["view"]["root_view_id"] == root["id"]
    kwargs = {"trigger_id": emu.mint_trigger_id(SEED.scout), "view": modal("Four")}
    assert error_of(client.views_push, **kwargs) == "push_limit_reached"
    assert len(emu.modal_stack(SEED.scout)) == 3


def test_views_publish_sets_each_users_home(client: WebClient, emu: SlackEmulator) -> None:
    first = client.views_publish(user_id=SEED.scout, view=home("Your discoveries"))["view"]
    again = client.views_publish(user_id=SEED.scout, view=home("Updated"))["view"]
    assert again["id"] == first["id"]
    assert emu.home_view(SEED.scout)["blocks"][0]["text"]["text"] == "Updated"
    assert emu.home_view(SEED.dana) is None
    assert error_of(client.views_publish, user_id="U0NOBODY", view=home("x")) == "user_not_found"


def test_files_upload_v2_keeps_the_bytes_and_shares_them_in_the_channel(
    client: WebClient, emu: SlackEmulator
) -> None:
    png = tiny_png()
    answer = client.files_upload_v2(
        channel=SEED.coaches,
        content=png,
        filename="trend.png",
        title="12-week trend",
        initial_comment="Weekly coach digest",
    )
    file_id = answer["file"]["id"]
    assert emu.file_bytes(file_id) == png
    assert emu.file_bytes(file_id).startswith(b"\x89PNG\r\n\x1a\n")
    info = emu.file_info(file_id)
    assert (info["title"], info["mimetype"], info["size"]) == (
        "12-week trend",
        "image/png",
        len(png),
    )
    message = emu.messages(SEED.coaches)[-1]
    assert message["text"] == "Weekly coach digest"
    assert message["files"][0]["id"] == file_id


def test_completing_an_unknown_file_is_refused(client: WebClient) -> None:
    kwargs = {"files": [{"id": "F0NOPE", "title": "x"}], "channel_id": SEED.sales}
    assert error_of(client.files_completeUploadExternal, **kwargs) == "file_not_found"


def test_completing_before_the_bytes_arrived_is_refused(client: WebClient) -> None:
    reserved = client.files_getUploadURLExternal(filename="a.png", length=10)
    assert reserved["upload_url"].endswith(f"/upload/{reserved['file_id']}")
    kwargs = {"files": [{"id": reserved["file_id"], "title": "a"}], "channel_id": SEED.sales}
    assert error_of(client.files_completeUploadExternal, **kwargs) == "file_upload_not_complete"
