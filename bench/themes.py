"""How well themes fit how people write: share unthemed and share themed correctly on samples.

    .venv/bin/python bench/themes.py                         # the sample set in tests/unit/themes
    .venv/bin/python bench/themes.py --misses                # and every sample themed wrongly
    .venv/bin/python bench/themes.py --languages en,de FILE…  # a held-out set: samples_<lang>.yaml

Compared, on the same samples, with the baseline: the same network's keywords and whole words
alone (how themes matched before stems, phrases and synonyms). Goal: under 15% unthemed, over
85% themed correctly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/themes.py` puts bench/, not the repo, first
    sys.path.insert(0, str(ROOT))

from bot.domain.theme_samples import Score, load_samples, score  # noqa: E402
from bot.domain.themes import load_network  # noqa: E402

SAMPLES = ROOT / "tests" / "unit" / "themes"


def main(argv: list[str] | None = None) -> int:
    """Print the figures for the network and for its keyword-only baseline."""
    args = _parser().parse_args(argv)
    paths = args.files or sorted(SAMPLES.glob("samples_*.yaml"))
    samples = load_samples(paths)
    languages = tuple(args.languages.split(",")) if args.languages else _languages(samples)
    network = load_network(languages=languages)
    baseline = load_network(languages=())
    print(f"{len(samples)} samples in {', '.join(languages)} from {len(paths)} files")
    print(f"{'':<22}{'unthemed':>10}{'correct':>10}")
    for name, found in (("keywords only", score(baseline, samples)),
                        ("stems and synonyms", score(network, samples))):  # fmt: skip
        print(f"{name:<22}{found.unthemed_share:>10.1%}{found.correct_share:>10.1%}")
    found = score(network, samples)
    per_language = ", ".join(f"{lang} {ok}/{n}" for lang, (ok, n) in found.per_language.items())
    print(f"correct per language: {per_language}")
    if args.misses:
        _print_misses(found)
    return 0


def _languages(samples: list) -> tuple[str, ...]:
    return tuple(dict.fromkeys(sample.language for sample in samples))


def _print_misses(found: Score) -> None:
    for sample, got in found.misses:
        expected = ", ".join(sorted(sample.themes)) or "unthemed"
        print(f"- [{sample.language}] want {expected}; got {', '.join(got)}")
        print(f"    {sample.outcome} / {sample.gap}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="samples_<language>.yaml files")
    parser.add_argument("--languages", help="e.g. en,de (default: the files' languages)")
    parser.add_argument("--misses", action="store_true", help="list the samples themed wrongly")
    return parser


if __name__ == "__main__":
    sys.exit(main())
