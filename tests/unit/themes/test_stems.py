"""Matching by word stems, phrases, synonyms and compounds, in the languages the workspace sets."""

import pytest

from bot.domain.stems import Language, contains, expand, likely, words
from bot.domain.themes import NetworkError, load_network, tag_themes

ALL = load_network(languages=("en", "de", "fr", "es"))
ENGLISH = load_network(languages=("en",))


@pytest.mark.parametrize(
    ("text", "theme"),
    [("Induction for new hires is improvised", "faster_onboarding"),
     ("Teachers were never trained", "faster_onboarding"),
     ("Half of all support requests are password resets", "lower_support_cost"),
     ("They lose tenders to cheaper rivals", "revenue_growth"),
     ("Approvals cannot be traced for the regulators", "compliance_risk"),
     ("Bring new campaigns to market sooner", "time_to_value"),
     ("Price lists are never synchronised", "integration_data"),
     ("Nobody measures on-time delivery", "reporting_visibility")],
)  # fmt: skip
def test_word_forms_match_the_phrase_as_written_once(text, theme):
    assert theme in tag_themes(ENGLISH, text)


def test_a_synonym_matches_where_the_phrase_names_another_word_of_its_group():
    # "new hire" is written once; new joiners, recruits and starters are the same people.
    for text in ("Two new joiners a week", "New recruits wait a month", "Newcomers get lost"):
        assert tag_themes(ENGLISH, text) == ["faster_onboarding"], text


def test_german_compounds_hold_the_phrase_at_either_end():
    assert tag_themes(ALL, "Die Einarbeitungszeit ist zu lang") == ["faster_onboarding"]
    assert tag_themes(ALL, "Die Energiekosten steigen jedes Jahr") == ["cost_reduction"]


def test_phrases_in_a_language_the_workspace_does_not_set_are_not_used():
    text = "Die Einarbeitung dauert drei Monate"
    assert tag_themes(ENGLISH, text) == ["unthemed"]
    assert tag_themes(ALL, text) == ["faster_onboarding"]


def test_a_word_cut_back_to_a_stopword_is_kept_whole():
    # The German stemmer cuts "Sicherheit" to "sich", a word in almost every German sentence.
    assert tag_themes(ALL, "Sie kümmern sich um alles") == ["unthemed"]
    assert tag_themes(ALL, "Die Sicherheit der Daten ist ihnen wichtig") == ["compliance_risk"]


def test_the_language_a_discovery_is_written_in_decides_which_stems_count():
    # French "demandes" stems like English "demand": read as French, it is not a forecast.
    outcome, gap = "Moins de demandes de support", "Les clients appellent pour chaque question"
    assert tag_themes(ALL, outcome, gap) == ["lower_support_cost"]
    languages = ALL.languages
    assert [lang.code for lang in likely(languages, f"{outcome} {gap}")] == ["fr"]
    assert likely(languages, "SAP ERP CRM") == languages  # nothing tells: every language


def test_a_synonym_is_put_in_for_a_word_inside_a_phrase():
    phrases = expand({("reduc", "cost")}, [(("cost",), ("expens",))])
    assert phrases == {("reduc", "cost"), ("reduc", "expens")}


def test_compound_parts_must_be_long_enough_to_mean_something():
    assert not contains(("kostüm",), ("kost",), compounds=False)
    assert contains(("supportkost",), ("kost",), compounds=True)
    assert not contains(("abcdef",), ("abc",), compounds=True)  # under four letters: whole only


def test_stems_are_lower_case_and_ignore_possessives():
    english = Language("en", "english")
    assert english.stems("The Customer's Dashboards") == ("the", "custom", "dashboard")


@pytest.mark.parametrize(
    ("extra", "error"),
    [("languages: {xx: {stemmer: klingon}}", "languages.xx.stemmer: 'klingon' is not a Snowball"),
     ("languages: {eng: {stemmer: english}}", "languages.eng: not a two-letter language code"),
     ("languages: {de: {stemmer: german, colour: red}}", "languages.de: expected {stemmer"),
     ("synonyms: {en: [[alone]]}", r"synonyms.en\[0\]: expected a list of words"),
     ("synonyms: {de: [[a1, b1]]}", "synonyms.de: no such language under languages:")],
)  # fmt: skip
def test_mistakes_in_languages_and_synonyms_name_the_key(tmp_path, extra, error):
    path = tmp_path / "value_network.yaml"
    path.write_text(f"themes:\n  - {{key: a, label: A, keywords: [aa]}}\n{extra}\n", "utf-8")
    with pytest.raises(NetworkError, match=error):
        load_network(path)


def test_phrases_alone_make_a_theme_and_name_their_language(tmp_path):
    path = tmp_path / "value_network.yaml"
    path.write_text(
        "languages: {de: {stemmer: german, compounds: true}}\nthemes:\n"
        "  - {key: a, label: A, phrases: {de: [schulung], en: [training]}}\n", "utf-8"
    )  # fmt: skip
    network = load_network(path, languages=("en", "de"))
    assert tag_themes(network, "Mitarbeiterschulungen") == ["a"]
    assert tag_themes(network, "trainings") == ["a"]
    with pytest.raises(NetworkError, match=r"VALUESCOUT_LANGUAGES fr: .* has no 'fr'"):
        load_network(path, languages=("fr",))


def test_an_elided_article_goes_and_a_possessive_ending_too():
    assert words("Le projet d'implémentation qu'un client l’attend") == [
        "le", "projet", "implémentation", "un", "client", "attend"
    ]  # fmt: skip
    assert words("The customer's team") == ["the", "customer", "team"]
