"""VALUESCOUT_PROMPTS_DIR: a deployment's own full copy of prompts/, checked at start-up."""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import prompts
from bot.bootstrap import load_settings
from bot.cli import main
from bot.domain.money import current_money
from bot.manifest import manifest
from bot.rendering.text import render
from bot.routes import current_routes
from bot.settings import SettingsError

SHIPPED = Path(prompts.__file__).parent
QUESTION = "  - {key: stage, label: Stage, prompt: The stage, "
SUCCESS = "  - id: success\n    label: Customer success\n    description: Drives adoption.\n"


@pytest.fixture
def copy(tmp_path) -> Path:
    """A full copy of the shipped prompts/, to edit."""
    target = tmp_path / "prompts"
    shutil.copytree(SHIPPED, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def settings_for(copy: Path, **variables: str):
    return load_settings(_env_file=None, VALUESCOUT_PROMPTS_DIR=str(copy), **variables)


def test_the_bot_reads_routes_and_sentences_from_the_copy(copy):
    edit(copy / "routing.yaml", "rules:\n", SUCCESS + "\nrules:\n")
    edit(copy / "messages" / "help.md.j2", "*Value Scout* helps", "*Value Scout* (ours) helps")
    settings = settings_for(copy, VALUESCOUT_SUCCESS_CHANNEL="C0SUCCESS")
    assert current_routes().ids == ("sales", "marketing", "product", "success")
    assert settings.route_channels["success"] == "C0SUCCESS"
    assert "(ours) helps" in render("help.md.j2", command="/scout", routes=["Sales"])
    assert manifest()["display_information"]["description"] == (
        "Bring customers' unmet outcomes back to sales, marketing, product and customer success."
    )


def test_without_the_variable_the_shipped_prompts_are_used_again(copy):
    edit(copy / "routing.yaml", "rules:\n", SUCCESS + "\nrules:\n")
    settings_for(copy)
    load_settings(_env_file=None)
    assert current_routes().ids == ("sales", "marketing", "product")


@pytest.mark.parametrize(
    ("file", "old", "new", "error"),
    [
        ("routing.yaml", "  - id: marketing", "  - id: Marketing",
         "routing.yaml: routes[1].id: 'Marketing' is not an id"),
        ("routing.yaml", "route: sales", "route: legal",
         "routing.yaml: rules[2].route: 'legal' is not one of sales, marketing, product"),
        ("dialogue.yaml", "questions:", "questions: [",
         "dialogue.yaml: not valid YAML"),
        ("value_network.yaml", "themes:", "themez:", "value_network.yaml: themes: expected a list"),
        ("messages/help.md.j2", "{{ command }}", "{{ command }", "messages/help.md.j2: line "),
        # A bad question: an unknown kind, a key twice, a choice with no values, a condition on
        # a question that does not exist, a discovery's own field, a built-in of another kind.
        ("dialogue.yaml", "questions:\n", f"questions:\n{QUESTION}kind: dropdown}}\n",
         "dialogue.yaml: questions[0] (stage).kind: 'dropdown' is not one of text, choice"),
        ("dialogue.yaml", "  - key: gap\n", "  - key: outcome\n",
         "dialogue.yaml: questions[2] (outcome).key: 'outcome' appears twice"),
        ("dialogue.yaml", "questions:\n", f"questions:\n{QUESTION}kind: choice}}\n",
         "dialogue.yaml: questions[0] (stage).choices: a choice question needs a list of choices"),
        ("dialogue.yaml", "questions:\n", f"questions:\n{QUESTION}kind: text, when: {{phase: [a]}}}}\n",
         "dialogue.yaml: questions[0] (stage).when: 'phase' is not a question of this file"),
        ("dialogue.yaml", "  - key: gap\n", "  - key: status\n",
         "dialogue.yaml: questions[2].key: 'status' is a field of every discovery"),
        # A short text that asks for a value the bot does not give, or lost its name.
        ("texts.yaml", "Skipping isn't possible: {subject}", "Skipping {question}",
         "texts.yaml: texts.dialogue_cannot_skip: {question} is not given (given: subject)"),
        ("texts.yaml", "  button_skip:", "  button_skipping:",
         "texts.yaml: texts.button_skip: missing"),
        ("dialogue.yaml", "  - key: value\n    kind: value\n", "  - key: value\n    kind: text\n",
         "dialogue.yaml: questions[4] (value).kind: value is stored as value; it cannot be text"),
    ],
)  # fmt: skip
def test_a_mistake_in_the_copy_names_the_file_and_the_key(copy, file, old, new, error):
    edit(copy / file, old, new)
    with pytest.raises(SettingsError) as raised:
        settings_for(copy)
    message = str(raised.value)
    assert message.startswith(str(copy / file.split(":")[0]))
    assert error in message and "\n" not in message


def test_a_copy_missing_files_is_refused_naming_each_and_where_to_copy_them_from(copy):
    (copy / "messages" / "receipt.md.j2").unlink()
    (copy / "rates.yaml").unlink()  # e.g. a copy made before an upgrade that added files
    with pytest.raises(SettingsError) as raised:
        settings_for(copy)
    assert str(raised.value) == (
        f"{copy}: missing rates.yaml, messages/receipt.md.j2; VALUESCOUT_PROMPTS_DIR needs a full"
        " copy of prompts/ (copy the shipped one, then edit it): copy them from"
        f" {Path(prompts.__file__).parent}."
    )


def test_a_directory_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(SettingsError, match=r"VALUESCOUT_PROMPTS_DIR .*nowhere is not a directory"):
        settings_for(tmp_path / "nowhere")


def test_a_channel_variable_for_a_route_that_does_not_exist_is_refused():
    with pytest.raises(SettingsError) as raised:
        load_settings(_env_file=None, VALUESCOUT_SUCCESS_CHANNEL="C0SUCCESS")
    assert str(raised.value) == (
        "VALUESCOUT_SUCCESS_CHANNEL: prompts/routing.yaml: routes: has no route 'success' "
        "(it has sales, marketing, product)."
    )


def test_the_command_stops_with_one_line_and_exit_2(copy, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)  # no developer's .env
    monkeypatch.setenv("VALUESCOUT_PROMPTS_DIR", str(copy))
    edit(copy / "routing.yaml", "  - id: marketing", "  - id: Marketing")
    assert main(["manifest"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"valuescout: {copy / 'routing.yaml'}: routes[1].id: 'Marketing'")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_the_settings_modal_the_dialogue_and_the_help_offer_a_route_of_the_copy(copy):
    from bot.config import WorkspaceConfig
    from bot.rendering.config import config_blocks, config_modal
    from bot.rendering.dialogue import route_options
    from bot.rendering.help import help_blocks
    from bot.settings import parse_weekly

    edit(copy / "routing.yaml", "rules:\n", SUCCESS + "\nrules:\n")
    settings_for(copy)
    config = WorkspaceConfig({"success": "C0SUCCESS"}, parse_weekly("mon 09:00"), 3)
    labels = [block.label.text for block in config_modal(config).blocks[:5]]
    assert labels == ["Sales channel", "Marketing channel", "Product channel",
                      "Customer success channel", "Coach channel (weekly coach digest)"]  # fmt: skip
    assert "*Customer success channel*: <#C0SUCCESS>" in str(config_blocks(config)[2].text.text)
    success = route_options({})[-1]
    assert (success.value, success.label, success.description) == (
        "success",
        "Customer success",
        "Drives adoption.",
    )
    assert "Sales, Marketing, Product, Customer success" in str(help_blocks()[0].text.text)


def test_a_currency_the_dialogue_accepts_without_a_rate_stops_the_start(copy):
    edit(copy / "rates.yaml", "  CHF: 1.13\n", "")
    with pytest.raises(SettingsError, match=r"rates\.yaml: rates: no rate for CHF"):
        settings_for(copy)


def test_the_base_currency_needs_a_rate(copy):
    with pytest.raises(SettingsError, match=r"VALUESCOUT_BASE_CURRENCY SEK: .*no rate for SEK"):
        settings_for(copy, VALUESCOUT_BASE_CURRENCY="sek")


def test_values_are_normalised_to_the_base_currency_the_settings_name(copy):
    settings_for(copy, VALUESCOUT_BASE_CURRENCY="EUR")
    assert current_money().base == "EUR"
    assert current_money().show(current_money().convert(Decimal("106"), "USD")) == "€100"


def test_a_language_the_value_network_has_no_stemmer_for_stops_the_start(copy):
    with pytest.raises(SettingsError, match=r"VALUESCOUT_LANGUAGES it: .*has no 'it'"):
        settings_for(copy, VALUESCOUT_LANGUAGES="en,it")
    with pytest.raises(SettingsError, match="VALUESCOUT_LANGUAGES"):
        settings_for(copy, VALUESCOUT_LANGUAGES="english")
