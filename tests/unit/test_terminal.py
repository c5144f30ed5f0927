"""The demo shows messages as a person reads them in Slack."""

from bot.cli.terminal import blocks_as_lines, mrkdwn_as_text
from bot.emulator.controls import message_controls

NAMES = {"U0SCOUT": "Sam Scout", "C0PRODUCT": "product"}


def test_mentions_channels_and_links_read_as_in_the_slack_client():
    text = "Hi <@U0SCOUT>, see <#C0PRODUCT> and <https://x.example/a|the ticket>"
    assert (
        mrkdwn_as_text(text, NAMES)
        == "Hi @Sam Scout, see #product and the ticket (https://x.example/a)"
    )


def test_escaped_user_text_is_shown_literally_not_as_a_mention():
    assert mrkdwn_as_text("&lt;!channel&gt; R&amp;D", NAMES) == "<!channel> R&D"


def test_sections_context_and_buttons_become_lines():
    message = {
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "New discovery"}},
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "*Acme* wants faster onboarding"},
            },
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "from <@U0SCOUT>"}]},
            {
                "type": "actions",
                "elements": [
                    {"type": "button", "text": {"type": "plain_text", "text": "Acknowledge"}},
                    {"type": "button", "text": {"type": "plain_text", "text": "Decline"}},
                ],
            },
        ]
    }
    assert blocks_as_lines(message, NAMES) == [
        "New discovery",
        "*Acme* wants faster onboarding",
        "from @Sam Scout",
        "[Acknowledge]  [Decline]",
    ]


def test_a_plain_text_message_without_blocks_is_shown():
    assert blocks_as_lines({"text": "hello"}, NAMES) == ["hello"]


def test_numbered_controls_follow_the_order_the_model_walk_finds_them_in():
    options = [
        {"text": {"type": "plain_text", "text": label}, "value": label.lower()}
        for label in ("Sales", "Marketing")
    ]
    message = {
        "blocks": [
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "*Account*"},
                "accessory": {"type": "button", "action_id": "e", "text": {"text": "Edit"}},
            },
            {
                "type": "actions",
                "elements": [
                    {"type": "checkboxes", "action_id": "r", "options": options,
                     "initial_options": options[:1]},
                    {"type": "overflow", "action_id": "o", "options": options},
                    {"type": "static_select", "action_id": "s", "options": options,
                     "placeholder": {"type": "plain_text", "text": "Choose…"}},
                    {"type": "datepicker", "action_id": "d"},
                ],
            },
        ]
    }  # fmt: skip
    assert blocks_as_lines(message, NAMES, numbered=True) == [
        "*Account*",
        "1[Edit]",
        "2[☑ Sales  ☐ Marketing]  3[⋯ Sales | Marketing]  4[▾ Choose…: Sales | Marketing]",
        "5[date ▾ pick one]",
    ]
    assert [c.action_id for c in message_controls(message, "C1")] == ["e", "r", "o", "s", "d"]
