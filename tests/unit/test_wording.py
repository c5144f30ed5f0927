"""The short texts the bot says come from prompts/texts.yaml; every name the code asks for exists."""

import re
from pathlib import Path

import pytest

import bot
from bot.domain.lifecycle import OUTCOME_LABELS, Outcome
from bot.wording import WordingError, load_texts, say, shipped_texts
from tests.unit.test_prompts_dir import copy, edit, settings_for  # noqa: F401  (the fixture)

SAID = re.compile(r"""\bsay\(\s*f?["']([a-z_]+)(\{)?""")
# Names the code builds from a value: their prefix, and every value it can take.
BUILT = {
    "dialogue_closed_": ("submitted", "cancelled"),
    "dialogue_opening_": ("new", "draft", "story"),
    "outcome_": tuple(outcome.value for outcome in Outcome),
    "home_status_": ("new", "acknowledged", "actioned", "declined", "withdrawn"),
    "receipt_": ("edit", "withdraw"),
    "digest_band_": ("under_10k", "10k_100k", "100k_1m", "over_1m"),
    "chart_completeness_": ("value", "event", "evidence"),
    "chart_loops_": ("acknowledged", "actioned", "realised"),
}


def names_in_code() -> set[str]:
    """Every text name a say(...) call in bot/ asks for."""
    names: set[str] = set()
    for source in Path(bot.__file__).parent.rglob("*.py"):
        text = source.read_text("utf-8")
        if "from bot.wording import say" not in text:
            continue  # another say (Bolt's) is no text of ours
        for name, built in SAID.findall(text):
            names |= {name + value for value in BUILT[name]} if built else {name}
    return names


def test_every_text_the_code_says_is_in_the_shipped_file():
    names = names_in_code()
    assert len(names) > 40
    assert names <= set(shipped_texts()), sorted(names - set(shipped_texts()))


def test_the_shipped_file_holds_no_text_the_code_never_says():
    assert set(shipped_texts()) <= names_in_code()


def test_outcome_labels_are_read_from_the_texts():
    assert OUTCOME_LABELS[Outcome.ROADMAP] == "Roadmap item"
    assert OUTCOME_LABELS.get("unknown", "unknown") == "unknown" and len(OUTCOME_LABELS) == 5


def test_a_deployments_copy_rewords_them(copy):  # noqa: F811
    edit(copy / "texts.yaml", 'button_skip: "Skip"', 'button_skip: "Leave it out"')
    settings_for(copy)
    assert say("button_skip") == "Leave it out"


def test_a_text_keeps_its_leading_space_to_join_another():
    about = say("dialogue_draft_about", account="Globex")
    assert say("dialogue_kept_as_draft", about=about).startswith(
        "That belongs to your discovery about Globex kept as a draft"
    )


def test_a_text_named_twice_is_refused_naming_it(tmp_path):
    """YAML keeps the last of two equal keys silently: a second `merge_title:` once renamed the
    discovery merge modal "Merge accounts"."""
    path = tmp_path / "texts.yaml"
    path.write_text("texts:\n  greeting: Hello\n  farewell: Bye\n  greeting: Hi\n", "utf-8")
    with pytest.raises(WordingError, match=r"'greeting' is given twice \(line 4, column 3\)"):
        load_texts(path)
