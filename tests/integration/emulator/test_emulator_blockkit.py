"""Block Kit that Slack would reject is rejected, with Slack's error shapes."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)

from bot.emulator import SEED, SlackEmulator


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def rejected(client: WebClient, blocks: list) -> dict:
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel=SEED.sales, text="fallback", blocks=blocks)
    return info.value.response.data


def modal(**overrides) -> dict:
    view = {
        "type": "modal",
        "callback_id": "discovery",
        "title": {"type": "plain_text", "text": "Log a discovery"},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": [
            {
                "type": "input",
                "block_id": "outcome",
                "label": {"type": "plain_text", "text": "Outcome"},
                "element": {"type": "plain_text_input", "action_id": "value", "max_length": 3000},
            }
        ],
    }
    return {**view, **overrides}


def test_a_valid_complex_message_is_accepted(client: WebClient, emu: SlackEmulator) -> None:
    blocks = [
        HeaderBlock(text="New value gap: Globex"),
        SectionBlock(
            text=MarkdownTextObject(text="*Outcome* cut onboarding time by half"),
            fields=[MarkdownTextObject(text=f"*Field {i}*\nvalue") for i in range(10)],
            accessory=ButtonElement(text="Open", action_id="open", value="42"),
        ),
        DividerBlock(),
        ContextBlock(elements=[MarkdownTextObject(text="logged by <@U0SCOUT>")]),
        ActionsBlock(
            elements=[
                ButtonElement(text="Acknowledge", action_id="ack", value="42", style="primary"),
                StaticSelectElement(
                    action_id="decline",
                    placeholder="Decline because…",
                    options=[Option(text=f"Reason {i}", value=str(i)) for i in range(100)],
                ),
            ]
        ),
    ]
    answer = client.chat_postMessage(channel=SEED.sales, text="New value gap", blocks=blocks)
    assert answer["ok"]
    assert emu.messages(SEED.sales)[0]["blocks"][0]["type"] == "header"


def test_fifty_one_blocks_are_rejected_with_a_json_pointer(client: WebClient) -> None:
    data = rejected(client, [section(str(i)) for i in range(51)])
    assert data["error"] == "invalid_blocks"
    assert data["errors"] == ["no more than 50 items allowed [json-pointer:/blocks]"]
    assert data["response_metadata"]["messages"][0].startswith("[ERROR] ")


def test_fifty_blocks_are_accepted(client: WebClient) -> None:
    blocks = [section(str(i)) for i in range(50)]
    assert client.chat_postMessage(channel=SEED.sales, text="x", blocks=blocks)["ok"]


def test_a_section_of_3001_characters_is_rejected(client: WebClient) -> None:
    data = rejected(client, [section("x" * 3000), section("é" * 3001)])
    assert data["errors"] == [
        "must be less than 3001 characters [json-pointer:/blocks/1/text/text]"
    ]


@pytest.mark.parametrize(
    "block",
    [
        {"type": "sektion", "text": {"type": "mrkdwn", "text": "x"}},
        {"text": {"type": "mrkdwn", "text": "no type"}},
        {"type": "section"},
        {"type": "section", "text": {"type": "mrkdwn", "text": "x"}, "colour": "red"},
        {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "b" * 76},
                    "action_id": "a",
                }
            ],
        },
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "b"},
                    "action_id": "a" * 256,
                }
            ],
        },
        {"type": "section", "block_id": "b" * 256, "text": {"type": "mrkdwn", "text": "x"}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]},
    ],
    ids=[
        "unknown-type",
        "missing-type",
        "section-without-text",
        "unknown-field",
        "long-header",
        "eleven-context-elements",
        "long-button-text",
        "long-action-id",
        "long-block-id",
        "eleven-fields",
        "long-field",
    ],
)
def test_malformed_blocks_are_rejected(client: WebClient, block: dict) -> None:
    assert rejected(client, [block])["error"] == "invalid_blocks"


def test_a_select_with_101_options_or_a_long_option_is_rejected(client: WebClient) -> None:
    def select(options: list) -> list:
        element = {"type": "static_select", "action_id": "s", "options": options}
        return [{"type": "actions", "elements": [element]}]

    option = {"text": {"type": "plain_text", "text": "o"}, "value": "v"}
    assert "options" in rejected(client, select([option] * 101))["errors"][0]
    long_option = {"text": {"type": "plain_text", "text": "o" * 76}, "value": "v"}
    assert rejected(client, select([long_option]))["errors"] == [
        "must be less than 76 characters [json-pointer:/blocks/0/elements/0/options/0/text/text]"
    ]


def test_blocks_as_a_form_encoded_json_string_are_checked_too(client: WebClient) -> None:
    def post_form(blocks: str) -> str:
        with pytest.raises(SlackApiError) as info:
            client.api_call("chat.postMessage", params={"channel": SEED.sales, "blocks": blocks})
        return info.value.response["error"]

    assert post_form('[{"type": "section"}]') == "invalid_blocks"
    assert post_form("[{") == "invalid_blocks_format"


def open_modal(client: WebClient, emu: SlackEmulator, view: dict) -> dict:
    trigger = emu.mint_trigger_id(SEED.scout)
    with pytest.raises(SlackApiError) as info:
        client.views_open(trigger_id=trigger, view=view)
    return info.value.response.data


@pytest.mark.parametrize(
    ("overrides", "pointer"),
    [
        ({"private_metadata": "m" * 3001}, "/view/private_metadata"),
        ({"title": {"type": "plain_text", "text": "t" * 25}}, "/view/title/text"),
        ({"submit": {"type": "plain_text", "text": "s" * 25}}, "/view/submit/text"),
        ({"callback_id": "c" * 256}, "/view/callback_id"),
        ({"blocks": [{"type": "divider"}] * 101}, "/view/blocks"),
        ({"submit": None}, "/view"),
    ],
    ids=["metadata", "title", "submit", "callback-id", "101-blocks", "input-without-submit"],
)
def test_bad_views_are_invalid_arguments(
    client: WebClient, emu: SlackEmulator, overrides: dict, pointer: str
) -> None:
    data = open_modal(client, emu, modal(**overrides))
    assert data["error"] == "invalid_arguments"
    assert f"[json-pointer:{pointer}]" in data["response_metadata"]["messages"][0]


def test_input_with_max_length_over_3000_is_rejected(client: WebClient, emu: SlackEmulator) -> None:
    view = modal()
    view["blocks"][0]["element"]["max_length"] = 3001
    assert open_modal(client, emu, view)["error"] == "invalid_arguments"


def test_private_metadata_of_exactly_3000_characters_is_accepted(
    client: WebClient, emu: SlackEmulator
) -> None:
    trigger = emu.mint_trigger_id(SEED.scout)
    view = client.views_open(trigger_id=trigger, view=modal(private_metadata="m" * 3000))["view"]
    assert len(emu.view(view["id"])["private_metadata"]) == 3000
