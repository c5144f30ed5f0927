"""prompts/opener.yaml is data an admin edits: a broken copy is refused with a line that says where."""

import shutil
from datetime import date
from pathlib import Path

import pytest

import prompts
from bot.domain.opener import read_opener
from bot.domain.opener.lexicon import LexiconError, load_lexicon
from bot.prompts_check import check_prompts
from bot.settings import SettingsError

SHIPPED = Path(prompts.__file__).parent / "opener.yaml"


@pytest.fixture
def copy(tmp_path) -> Path:
    target = tmp_path / "opener.yaml"
    shutil.copy(SHIPPED, target)
    return target


def test_the_shipped_lexicon_loads():
    assert load_lexicon(SHIPPED).months[2][0] == "march"


def test_a_missing_list_is_named(copy):
    text = copy.read_text("utf-8")
    copy.write_text(text.replace("\ngreetings:", "\nsalutations:"), "utf-8")
    with pytest.raises(LexiconError, match=r"opener.yaml: greetings: missing"):
        load_lexicon(copy)


def test_a_list_written_as_a_word_is_refused(copy):
    text = copy.read_text("utf-8")
    copy.write_text(text.replace("min_words: 4", "min_words: [4]"), "utf-8")
    with pytest.raises(LexiconError, match=r"min_words: expected a int"):
        load_lexicon(copy)


def test_an_admin_can_teach_the_reader_a_word(copy):
    text = copy.read_text("utf-8")
    copy.write_text(
        text.replace("  renewal: [renewal,", "  renewal: [prolongation, renewal,"), "utf-8"
    )
    reading = read_opener(
        "Acme wants X before the prolongation on 2027-03-31.",
        today=date(2026, 12, 2),
        lexicon=load_lexicon(copy),
    )
    assert reading.pressure == "renewal"


def test_a_deployment_copy_with_a_broken_lexicon_is_refused_at_start_up(tmp_path):
    target = tmp_path / "prompts"
    shutil.copytree(SHIPPED.parent, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (target / "opener.yaml").write_text("greetings: [hi]\n", "utf-8")
    with pytest.raises(SettingsError, match=r"opener.yaml: .*missing"):
        check_prompts(target)
