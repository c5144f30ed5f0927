"""User text is escaped by construction wherever it is reposted."""

import itertools
import re
from pathlib import Path

import pytest

import prompts
from bot.dialogue.subcommands import SUBCOMMANDS
from bot.rendering.help import help_blocks, unknown_command_text
from bot.rendering.text import Mrkdwn, _escaped, code_block, environment, escape

HOSTILE = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!subteam^S0123|@sales-team>",
    "<@U0ADMIN>",
    "<#C0SALES>",
    "<https://evil.example|click me>",
]


# What escape() puts in stands for what the person typed: the same look, not the same code.
AS_READ = str.maketrans({"∗": "*", "ˍ": "_", "∼": "~", "ˋ": "`", "․": ".", "\u2060": None,
                         "\u00ad": None})  # fmt: skip


def as_read(escaped: str) -> str:
    """The text as Slack shows it, look-alikes read as what they look like."""
    return (
        escaped.translate(AS_READ).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_mentions_and_links_in_user_text_appear_literally(text):
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert as_read(escaped) == text


FORMATTING = [
    "*bold claim*",
    "_italic_ and ~struck~",
    "`inline code` then ``double``",
    "```\nfenced = True\n```",
    "a*b*c_d_e~f~",
]


@pytest.mark.parametrize("text", FORMATTING)
def test_formatting_marks_in_user_text_format_nothing_and_read_the_same(text):
    escaped = escape(text)
    assert not set("*_~`") & set(escaped)
    assert as_read(escaped) == text


@pytest.mark.parametrize("text", ["> quoted", "  > indented", "first\n> second", "＞ wide"])
def test_a_quote_mark_at_a_line_start_quotes_nothing(text):
    escaped = escape(text)
    assert not re.search(r"^[ \t]*(&gt;|＞)", escaped, re.MULTILINE)
    assert as_read(escaped) == text


@pytest.mark.parametrize(
    "text",
    ["see https://evil.example/x?a=1", "HTTP://EVIL.EXAMPLE", "www.evil.example/path",
     "ftp://files.evil.example", "<https://evil.example>"],
)  # fmt: skip
def test_a_bare_url_in_user_text_is_no_longer_a_url(text):
    escaped = escape(text)
    assert "://" not in escaped and "www." not in escaped.lower()
    assert "evil.example" not in escaped.lower()
    assert as_read(escaped) == text


def test_emoji_shortcodes_keep_their_underscores():
    assert escape("done :white_check_mark: _now_") == "done :white_check_mark: ˍnowˍ"


def test_broadcast_words_cannot_notify_even_unbracketed():
    escaped = escape("ping @channel @here @everyone @dana")
    assert not re.search(r"@(channel|here|everyone)", escaped) and "@dana" in escaped


def test_the_apps_own_mrkdwn_and_links_are_left_alone():
    from bot.rendering.links import link_to

    assert escape(Mrkdwn("*bold* <https://a.example|a>")) == "*bold* <https://a.example|a>"
    assert (
        link_to("https://crm.example/o?a=1&b=2")
        == "<https://crm.example/o?a=1&amp;b=2|crm.example>"
    )


def test_a_template_keeps_its_own_bold_around_user_marks():
    rendered = environment().from_string("*{{ account }}*").render(account="*Acme* _Inc_")
    assert rendered == "*∗Acme∗ ˍIncˍ*"


def test_the_apps_own_sentences_keep_their_marks_and_escape_only_their_values():
    from bot.wording import say

    assert escape(say("home_none_yet")).count("`") == 2 and "*Log a discovery*" in escape(
        say("home_none_yet")
    )
    said = escape(say("dialogue_kept_as_draft", about=" about *Acme* <!channel>"))
    assert "∗Acme∗ &lt;!channel&gt;" in said and "<!channel>" not in said
    assert escape(say("status_by", user="U1")) == " by <@U1>"  # the text's own mention
    assert escape(say("status_by", user="U1") + "!") == " by &lt;@U1&gt;!"  # plain str: whole


def test_ampersands_are_escaped_first_so_entities_survive_literally():
    assert escape("R&D &lt;") == "R&amp;D &amp;lt;"


def test_templates_escape_every_expression_but_the_apps_own_mrkdwn():
    template = environment().from_string("{{ text }} by {{ user | mention }} {{ own }}")
    rendered = template.render(text="<!channel>", user="U0SCOUT", own=Mrkdwn("<#C0SALES>"))
    assert rendered == "&lt;!channel&gt; by <@U0SCOUT> <#C0SALES>"


def test_a_missing_template_value_is_an_error_not_an_empty_string():
    with pytest.raises(Exception, match="undefined"):
        environment().from_string("{{ nope }}").render()


def test_help_names_the_command_and_the_shortcut():
    text = help_blocks()[0].to_dict()["text"]["text"]
    assert "/scout" in text and "Log value discovery" in text


def test_escape_within_fits_the_escaped_text_and_never_cuts_an_entity():
    from bot.rendering.text import escape_within

    text = "<" * 100
    cut = escape_within(text, 10)
    assert len(cut) <= 10 and cut.endswith("…")
    assert cut[:-1] == "&lt;" * (len(cut[:-1]) // 4)
    assert escape_within("short & sweet", 100) == "short &amp; sweet"


def test_the_short_messages_reminders_and_nudges_post_never_unfurl():
    from bot.rendering.dialogue import plain_mrkdwn_message

    message = plain_mrkdwn_message("see <https://a.example|a>")
    assert (message["unfurl_links"], message["unfurl_media"]) == (False, False)


@pytest.mark.parametrize(
    "text",
    [
        "Acme GmbH", "42", "2026-11-23", "Outcome number 17", "", "line one\nline two",
        "snake_case", "*bold*", "a & b", "x > y", "\uff1e quoted", "mail me@example.com",
        "see WWW.example.com", "ftp://host/a.b", "https://x.io", ":white_check_mark: done",
        "@channel", "tilde~", "back`tick", "Zürich — 10 000 €", *HOSTILE,
    ],
)  # fmt: skip
def test_text_passed_through_unchanged_is_text_every_rule_leaves_unchanged(text):
    # The quick path (no character any rule acts on) gives what applying every rule gives.
    assert escape(text) == _escaped(text)


def test_help_and_an_unknown_word_list_every_subcommand_from_one_template():
    shown = help_blocks()[0].to_dict()["text"]["text"]
    unknown = unknown_command_text("cohc", "coach")
    assert "Did you mean `/scout coach`?" in unknown
    for word in SUBCOMMANDS:
        assert f"`/scout {word}" in shown and f"`/scout {word}" in unknown, word


INLINE_TAG_AT_END = re.compile(r"\{%-?\s*(?:end(?:if|for)|else|elif\b[^%]*|if\b[^%]*|for\b[^%]*)\s*-?%\}$")
ONLY_TAGS = re.compile(r"\s*(?:\{%[^%]*%\}\s*)+")


def test_no_template_line_loses_its_line_break_to_a_tag_ending_it():
    """The templates render with trim_blocks: a block tag that ends a line of text eats its line
    break, so the next line ran on ("…moving there.The latest, in…", every event of a list on
    one line). A tag may end a line only when a tag line (not a loop's end) follows."""
    folder = Path(prompts.__file__).parent / "messages"
    run_on = []
    for template in sorted(folder.glob("*.j2")):
        lines = template.read_text("utf-8").split("\n")
        for number, (line, following) in enumerate(itertools.pairwise(lines), 1):
            text = INLINE_TAG_AT_END.sub("", line).strip()
            if not INLINE_TAG_AT_END.search(line) or not text or ONLY_TAGS.fullmatch(line):
                continue
            tag_line = ONLY_TAGS.fullmatch(following) and "endfor" not in following
            if following.strip() and not tag_line:
                run_on.append(f"{template.name}:{number}")
    assert run_on == []


def test_a_code_block_shows_lines_as_written_but_can_neither_ping_nor_close_early():
    block = code_block(["✓ SLACK_BOT_TOKEN *set*", "✗ <!channel> ```x``` & co", "y" * 400], 300)
    assert block.startswith("```\n✓ SLACK_BOT_TOKEN *set*\n") and block.endswith("…\n```")
    assert "&lt;!channel&gt;" in block and "&amp; co" in block and block.count("```") == 2
