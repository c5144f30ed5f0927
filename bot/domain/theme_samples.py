"""Measure a value network on sample discoveries whose themes a person chose (pure)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.domain.themes import UNTHEMED, ValueNetwork, tag_themes


@dataclass(frozen=True)
class Sample:
    """A discovery's outcome and gap, and the themes a product manager would give it."""

    outcome: str
    gap: str
    themes: frozenset[str]
    language: str = "en"


@dataclass(frozen=True)
class Score:
    """How a network themes a sample set: how many, unthemed, themed exactly as expected."""

    total: int
    unthemed: int
    correct: int
    misses: tuple[tuple[Sample, tuple[str, ...]], ...] = field(default=(), repr=False)
    per_language: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)

    @property
    def unthemed_share(self) -> float:
        """Share of the samples tagged no theme at all."""
        return self.unthemed / self.total if self.total else 0.0

    @property
    def correct_share(self) -> float:
        """Share of the samples tagged exactly the expected themes (none for un-themable ones)."""
        return self.correct / self.total if self.total else 0.0


def load_samples(paths: Iterable[Path]) -> list[Sample]:
    """Samples from YAML files named samples_<language>.yaml: a list of outcome, gap, themes."""
    found = []
    for path in paths:
        language = path.stem.rpartition("_")[2]
        for item in yaml.safe_load(path.read_text("utf-8")):
            themes = frozenset(item["themes"])
            found.append(Sample(item["outcome"], item["gap"], themes, language))
    return found


def score(network: ValueNetwork, samples: Iterable[Sample]) -> Score:
    """Tag every sample and compare with the themes expected."""
    total = unthemed = correct = 0
    misses: list[tuple[Sample, tuple[str, ...]]] = []
    by_language: Counter[tuple[str, bool]] = Counter()
    for sample in samples:
        got = tuple(tag_themes(network, sample.outcome, sample.gap))
        total += 1
        unthemed += got == (UNTHEMED,)
        right = set(got) - {UNTHEMED} == sample.themes
        correct += right
        by_language[sample.language, right] += 1
        if not right:
            misses.append((sample, got))
    languages = sorted({language for language, _ in by_language})
    per_language = {
        lang: (by_language[lang, True], by_language[lang, True] + by_language[lang, False])
        for lang in languages
    }
    return Score(total, unthemed, correct, tuple(misses), per_language)
