"""The dialogue definition refuses conditions that could never hold."""

import pytest

from bot.dialogue.definition import DefinitionError, load_definition
from prompts import read as packaged


def with_event_condition(tmp_path, condition):
    text = packaged("dialogue.yaml").replace('when: {fit: ["yes", partly]}', f"when: {condition}")
    assert f"when: {condition}" in text
    path = tmp_path / "dialogue.yaml"
    path.write_text(text, "utf-8")
    return path


def test_the_packaged_event_question_is_asked_for_fit_yes_and_partly():
    event = load_definition().question("event")
    assert event.applies({"fit": "yes"}) and event.applies({"fit": "partly"})
    assert not event.applies({"fit": "not_yet"})


def test_a_bare_yes_in_a_condition_is_refused_with_a_hint_to_quote_it(tmp_path):
    path = with_event_condition(tmp_path, "{fit: [yes, partly]}")
    with pytest.raises(DefinitionError) as raised:
        load_definition(path)
    assert str(raised.value) == (
        f"{path}: questions[5] (event).when.fit: 'True' is not one of yes, partly, not_yet, "
        'not_sure (write "yes" in quotes)'
    )


def test_a_condition_on_a_value_the_question_does_not_offer_is_refused(tmp_path):
    with pytest.raises(DefinitionError, match=r"when.fit: 'maybe' is not one of"):
        load_definition(with_event_condition(tmp_path, "{fit: [maybe]}"))


def test_a_choice_s_other_words_must_be_a_list_of_phrases(tmp_path):
    text = packaged("dialogue.yaml").replace("label: Partly, also: [", 'label: Partly, also: [""], x: [')
    path = tmp_path / "dialogue.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(DefinitionError, match=r"choices\[1\].also: expected a list of words"):
        load_definition(path)
