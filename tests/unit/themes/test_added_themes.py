"""Themes admins added are merged into the value network when it is read; the file's win."""

from pathlib import Path

import pytest

from bot.domain.added_themes import AddedTheme, network_with, theme_key
from bot.domain.theme_suggestions import SuggestionsError, load_suggestion_rules
from bot.domain.themes import UNTHEMED, load_network, tag_themes

NETWORK = load_network(languages=("en", "de"))
OFFLINE = AddedTheme("offline_mode", "Offline mode", "en", ("offline mode",))


def test_an_added_theme_matches_every_form_of_its_phrases():
    network = network_with(NETWORK, [OFFLINE])

    assert tag_themes(NETWORK, "Scan in offline modes at the dock") == [UNTHEMED]
    assert tag_themes(network, "Scan in offline modes at the dock") == ["offline_mode"]
    assert network.label("offline_mode") == "Offline mode"
    assert network.themes[: len(NETWORK.themes)] == NETWORK.themes  # after the file's


def test_the_files_theme_of_the_same_key_wins():
    clash = AddedTheme("faster_onboarding", "Onboarding, mine", "en", ("offline mode",))

    network = network_with(NETWORK, [clash])

    assert network.label("faster_onboarding") == "Faster onboarding"
    assert tag_themes(network, "Scan in offline mode") == [UNTHEMED]


def test_phrases_of_a_language_not_in_use_never_match():
    french = AddedTheme("hors_ligne", "Hors ligne", "fr", ("mode hors ligne",))

    assert tag_themes(network_with(NETWORK, [french]), "mode hors ligne") == [UNTHEMED]


def test_a_new_themes_key_is_plain_and_never_one_there_is():
    assert theme_key("Offline mode", set()) == "offline_mode"
    assert theme_key("Barrierefreiheit für alle", set()) == "barrierefreiheit_fur_alle"
    assert theme_key("Offline mode", {"offline_mode"}) == "offline_mode_2"
    assert theme_key("24/7 support", set()) == "t_24_7_support"


def test_a_mistake_in_the_suggestion_rules_is_one_line_naming_the_file(tmp_path: Path):
    path = tmp_path / "theme_suggestions.yaml"
    path.write_text("route: product\nmost: 0\n", "utf-8")

    with pytest.raises(SuggestionsError, match=r"theme_suggestions.yaml: most: expected a whole"):
        load_suggestion_rules(path)
