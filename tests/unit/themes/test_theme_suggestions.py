"""Suggested themes come from what unthemed discoveries keep saying: a recurring phrase is
found, one-offs, one account repeating itself and stop words are not."""

from dataclasses import dataclass

from bot.domain.theme_suggestions import SuggestionRules, load_suggestion_rules, suggest_themes
from bot.domain.themes import UNTHEMED, load_network, tag_themes

NETWORK = load_network(languages=("en", "de", "fr", "es"))
RULES = load_suggestion_rules()


@dataclass(frozen=True)
class Line:
    id: int
    account: str
    outcome: str
    gap: str


UNTHEMED_WEEK = [
    # "offline mode" at four accounts, written as people write it
    Line(1, "Globex", "Fill in inspection forms in offline mode in the basement",
         "The app loses every form when the signal drops"),
    Line(2, "Initech", "Keep working in the tunnels with an offline mode",
         "Nothing loads underground"),
    Line(3, "Umbrella", "Record readings on remote sites",
         "No offline modes in the mobile app yet"),
    Line(4, "Hooli", "Use the scanner in offline mode at the dock",
         "The customer wants scans to upload later"),
    # "data residency" at three accounts
    Line(5, "Soylent", "Store every patient file in the EU for data residency",
         "The customer cannot sign while data residency is unclear"),
    Line(6, "Vandelay", "Prove data residency to the works council",
         "The customer asks where backups are kept"),
    Line(7, "Stark", "Choose the region that keeps data residency in Switzerland",
         "Today every tenant lands in one region"),
    # one account says "label printer" three times: not a theme across accounts
    Line(8, "Acme", "Get labels out of the label printer at the depot",
         "The label printer is not listed"),
    Line(9, "Acme", "Reprint a label printer batch after a jam", "Nobody sees the jam"),
    Line(10, "ACME ", "Use the second label printer at the dock", "It is not detected"),
    # one-offs, and the words every discovery uses ("customer", "wants", "today")
    Line(11, "Wayne", "Switch the app to dark mode at night", "The customer wants it today"),
    Line(12, "Tyrell", "Show the room map in colour", "The customer wants it too"),
    # German: "Barrierefreiheit" at three accounts
    Line(13, "Müller AG", "Barrierefreiheit für sehbehinderte Nutzer herstellen",
         "Die Oberfläche ist nicht barrierefrei"),
    Line(14, "Schmidt GmbH", "Die Barrierefreiheit der Formulare verbessern",
         "Screenreader lesen die Felder nicht vor"),
    Line(15, "Becker KG", "Barrierefreiheit im Kassensystem erreichen", "Kontraste sind zu schwach"),
]  # fmt: skip


def suggested(lines=UNTHEMED_WEEK, rules: SuggestionRules = RULES):
    return suggest_themes(lines, languages=NETWORK.languages, rules=rules,
                          taken=[t.key for t in NETWORK.themes])  # fmt: skip


def test_the_samples_are_what_no_theme_matches_today():
    assert all(tag_themes(NETWORK, line.outcome, line.gap) == [UNTHEMED] for line in UNTHEMED_WEEK)


def test_recurring_phrases_across_accounts_are_suggested_most_recurring_first():
    found = suggested()

    assert [s.label for s in found] == ["Offline mode", "Data residency", "Barrierefreiheit"]
    offline = found[0]
    assert (offline.key, offline.language, offline.discoveries, offline.accounts) == (
        "offline_mode", "en", 4, 4
    )  # fmt: skip
    assert offline.ids == (1, 2, 3, 4)
    assert offline.phrases[0] == "offline mode" and "offline modes" in offline.phrases
    assert found[2].language == "de" and found[2].discoveries == 3


def test_a_phrase_is_suggested_rather_than_its_words():
    labels = [s.label.lower() for s in suggested()]
    assert "offline" not in labels and "mode" not in labels and "residency" not in labels


def test_one_offs_stop_words_and_one_account_repeating_itself_are_not_suggested():
    labels = {
        s.label.lower()
        for s in suggested(rules=SuggestionRules(most=10, stopwords=RULES.stopwords))
    }

    assert not labels & {"customer", "wants", "today", "customer wants", "dark mode", "sync"}
    assert "label printer" not in labels  # three times, all at Acme
    assert all(not any(c.isdigit() for c in label) for label in labels)


def test_at_most_the_configured_number_and_none_from_too_few():
    assert len(suggested(rules=SuggestionRules(most=1, stopwords=RULES.stopwords))) == 1
    assert suggested(UNTHEMED_WEEK[:2]) == []  # twice is not yet recurring
    assert suggested([]) == []


def test_a_theme_there_is_already_is_never_suggested_again():
    found = suggest_themes(UNTHEMED_WEEK, languages=NETWORK.languages, rules=RULES,
                           taken=["Offline mode"])  # fmt: skip
    assert "Offline mode" not in [s.label for s in found]


def test_the_shipped_rules_suggest_for_the_product_digest():
    assert (RULES.route, RULES.weeks, RULES.most) == ("product", 4, 3)
    assert {"customer", "the", "wants"} <= RULES.stopwords["en"]
    assert {"kunden", "die"} <= RULES.stopwords["de"]
