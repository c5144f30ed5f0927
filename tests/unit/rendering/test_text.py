"""User text is escaped by construction wherever it is reposted."""

import pytest

from bot.rendering.help import help_blocks
from bot.rendering.text import Mrkdwn, environment, escape

HOSTILE = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!subteam^S0123|@sales-team>",
    "<@U0ADMIN>",
    "<#C0SALES>",
    "<https://evil.example|click me>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_mentions_and_links_in_user_text_appear_literally(text):
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert escaped.replace("&lt;", "<").replace("&gt;", ">") == text


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
