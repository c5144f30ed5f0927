"""Discoveries are tagged with the value network's themes; the network is data an admin can edit."""

import pytest

from bot.domain.themes import NetworkError, load_network, tag_themes

NETWORK = load_network()


def test_the_default_network_has_eight_themes_with_five_to_ten_keywords():
    assert len(NETWORK.themes) == 8
    assert all(5 <= len(theme.keywords) <= 10 for theme in NETWORK.themes)


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        ("Onboard a new store in one day", ["faster_onboarding"]),
        ("New hires get onboarded in a week", ["faster_onboarding"]),
        (
            "Support tickets about exports keep piling up",
            ["lower_support_cost", "integration_data"],
        ),
        ("They want SOC-2 before the audit", ["compliance_risk"]),
        ("Cut costs of licences", ["cost_reduction"]),
        ("A dashboard with the KPIs their board reads", ["reporting_visibility"]),
        ("Our API has no webhook", ["integration_data"]),
        ("Go-live in weeks, not months", ["time_to_value"]),
        ("Grow revenue with upsells", ["revenue_growth"]),
    ],
)
def test_keywords_match_as_stems_and_phrases_ignoring_case(text, themes):
    assert tag_themes(NETWORK, text) == themes


@pytest.mark.parametrize(
    "text",
    ["A costume party for the team", "It's important to them", "An asterisk in the interpretation",
     "Rapid answers", "Plaudits all round"],
)  # fmt: skip
def test_keywords_do_not_match_inside_other_words(text):
    assert tag_themes(NETWORK, text) == ["unthemed"]


def test_whole_words_also_match_at_the_end_of_a_sentence():
    assert tag_themes(NETWORK, "It is all about cost.") == ["cost_reduction"]


def test_themes_come_in_network_order_once_across_all_texts():
    tagged = tag_themes(NETWORK, "Lower costs and a dashboard", None, "", "onboarding; cost again")
    assert tagged == ["faster_onboarding", "reporting_visibility", "cost_reduction"]


def test_a_phrase_does_not_span_two_texts():
    assert tag_themes(NETWORK, "They want to go", "live music") == ["unthemed"]


def test_a_text_with_no_theme_is_unthemed():
    assert tag_themes(NETWORK, "They like the colour blue") == ["unthemed"]
    assert NETWORK.label("unthemed") == "Unthemed"


def test_labels_are_looked_up_by_key():
    assert NETWORK.label("compliance_risk") == "Compliance & risk"


# --- editable network -----------------------------------------------------------------------------


def load(tmp_path, text):
    path = tmp_path / "value_network.yaml"
    path.write_text(text, "utf-8")
    return load_network(path)


def test_an_admin_can_write_a_network_of_their_own(tmp_path):
    network = load(
        tmp_path,
        "themes:\n"
        "  - {key: store_growth, label: Store growth, keywords: [new store, expan], words: [shop]}\n",
    )
    assert tag_themes(network, "Expanding to ten new stores") == ["store_growth"]
    assert tag_themes(network, "A shopping list") == ["unthemed"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("themes: []", "themes: expected a list of themes"),
        ("themes: [x]", "themes[0]: expected a mapping"),
        ("themes:\n  - {key: Big Theme, label: B, keywords: [b]}", "themes[0].key: 'Big Theme' is not a key"),
        ("themes:\n  - {key: unthemed, label: U, keywords: [u]}", "themes[0].key: 'unthemed' is not a key"),
        ("themes:\n  - {key: a, keywords: [aa]}", "themes[0] (a).label: expected some text"),
        ("themes:\n  - {key: a, label: A, keywords: []}", "themes[0] (a).keywords: expected a list"),
        ("themes:\n  - {key: a, label: A, keywords: [ok, 3]}", "themes[0] (a).keywords[1]: 3 is not a word"),
        ("themes:\n  - {key: a, label: A, keywords: [aa], words: [x]}", "themes[0] (a).words[0]: 'x' is not a word"),
        ("themes:\n  - {key: a, label: A, keywords: [aa], colour: red}", "themes[0].colour: unknown field"),
        ("themes:\n  - {key: a, label: A, keywords: [aa]}\n  - {key: a, label: B, keywords: [bb]}",
         "themes[1].key: 'a' appears twice"),
        ("themes: [", "not valid YAML"),
    ],
)  # fmt: skip
def test_a_wrong_network_is_refused_naming_the_file_and_key(tmp_path, text, error):
    with pytest.raises(NetworkError) as raised:
        load(tmp_path, text)
    assert str(raised.value).startswith(f"{tmp_path / 'value_network.yaml'}: {error}")


def test_the_packaged_network_is_named_as_prompts_value_network_yaml():
    assert NETWORK.source == "prompts/value_network.yaml"
