"""The opener set: enough openers in each language, and a floor the reader may not fall below."""

import yaml

from bench.opener import SET, run

UNSEEN = SET.with_name("openers_unseen.yaml")


def test_the_set_has_the_openers_the_issue_asks_for():
    languages = [opener["lang"] for opener in yaml.safe_load(SET.read_text("utf-8"))["openers"]]
    assert len(languages) >= 80
    assert languages.count("en") >= 50
    assert all(languages.count(lang) >= 10 for lang in ("de", "fr", "es"))


def test_the_reader_gets_at_least_85_percent_of_the_fields_right():
    score = run(SET)
    assert score.share("overall") >= 0.85, "\n".join(score.misses)
    assert all(score.share(f"lang:{lang}") >= 0.80 for lang in ("en", "de", "fr", "es"))


def test_the_reader_holds_on_openers_it_was_not_tuned_on():
    score = run(UNSEEN)
    assert score.share("overall") >= 0.85, "\n".join(score.misses)
