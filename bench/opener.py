"""The opener reader on a set of openers: the share of fields read correctly, per field and language.

.venv/bin/python bench/opener.py                     # tests/unit/opener/openers.yaml
.venv/bin/python bench/opener.py other.yaml --misses # another set in the same format; list misses
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.domain.opener import Reading, read_opener
from bot.domain.opener.accounts import KnownAccounts
from bot.domain.opener.lexicon import current_lexicon
from bot.domain.opener.text import read_story

SET = Path(__file__).resolve().parents[1] / "tests" / "unit" / "opener" / "openers.yaml"
FIELDS = (
    "account",
    "outcome",
    "amount",
    "currency",
    "band",
    "event_date",
    "pressure",
    "event_owner",
    "who_cares",
)
OUTCOME_SLACK = 60  # characters an outcome may run beyond the expected words (a subject such as "Acme's CFO wants")


@dataclass
class Score:
    """Fields right and fields checked, by field and by language; misses listed."""

    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    checked: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)

    def add(self, keys: tuple[str, ...], ok: bool) -> None:
        for key in keys:
            self.checked[key] += 1
            self.right[key] += ok

    def share(self, key: str) -> float:
        return self.right[key] / self.checked[key] if self.checked[key] else 0.0


def _norm(text: Any) -> str:
    return " ".join(str(text).casefold().split())


def field_ok(name: str, expected: Any, reading: Reading) -> bool:
    """Whether the reading got one field right (absent where nothing is expected)."""
    got = getattr(reading, name)
    if expected is None or got is None:
        return expected is None and got is None
    if name == "outcome":
        return _norm(expected) in _norm(got) and len(got) <= len(str(expected)) + OUTCOME_SLACK
    if name == "amount":
        return Decimal(str(expected)) == got
    if name == "event_date":
        return date.fromisoformat(str(expected)) == got
    return _norm(expected) == _norm(got)


def synthetic_accounts(count: int) -> dict[str, list[str]]:
    """`count` made-up account names ("Kalomi Systems"), the same in every run."""
    generator = random.Random(17)
    syllables = [
        "ka",
        "lo",
        "mi",
        "ter",
        "van",
        "dor",
        "pel",
        "qui",
        "sna",
        "rix",
        "tal",
        "bur",
        "gen",
    ]
    kinds = ["Group", "Systems", "AG", "Ltd", "Foods", "Bank", "Logistics", "Health", "Partners"]
    names: dict[str, list[str]] = {}
    while len(names) < count:
        stem = "".join(generator.choice(syllables) for _ in range(3)).title()
        names[f"{stem} {generator.choice(kinds)}"] = []
    return names


def run(path: Path = SET, *, repeat: int = 1, extra_accounts: int = 0) -> Score:
    """Read every opener of the set, score each field; time each read and a baseline (markup
    and greeting only) on the same opener."""
    data = yaml.safe_load(path.read_text("utf-8"))
    listed = data.get("known_accounts") or {}
    listed = listed if isinstance(listed, dict) else KnownAccounts.names_of(listed)
    names = synthetic_accounts(extra_accounts) | listed
    today = (
        data["today"] if isinstance(data["today"], date) else date.fromisoformat(str(data["today"]))
    )
    known = KnownAccounts(names)
    score = Score()
    for opener in data["openers"]:
        started = time.perf_counter()
        for _ in range(repeat):
            reading = read_opener(opener["text"], today=today, known_accounts=known)
        score.seconds.append((time.perf_counter() - started) / repeat)
        started = time.perf_counter()
        for _ in range(repeat):
            read_story(opener["text"], current_lexicon())
        score.baseline.append((time.perf_counter() - started) / repeat)
        expect = opener.get("expect") or opener.get("expected") or {}
        for name in FIELDS:
            ok = field_ok(name, expect.get(name), reading)
            score.add((name, f"lang:{opener['lang']}", "overall"), ok)
            if not ok:
                score.misses.append(
                    f"{opener['id']}: {name}: expected {expect.get(name)!r}, read {getattr(reading, name)!r}"
                )
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", nargs="?", type=Path, default=SET)
    parser.add_argument("--misses", action="store_true", help="list every field read wrongly")
    parser.add_argument("--repeat", type=int, default=20, help="reads per opener for the timing")
    parser.add_argument("--accounts", type=int, default=0, help="made-up known accounts to add")
    args = parser.parse_args()
    read_opener("warm-up: Acme wants it by March 31, worth $1k", today=date(2026, 12, 2))
    score = run(args.set, repeat=args.repeat, extra_accounts=args.accounts)
    print(f"{args.set}: {len(score.seconds)} openers, {score.checked['overall']} fields")
    for key in [*FIELDS, *sorted(k for k in score.checked if k.startswith("lang:")), "overall"]:
        print(f"  {key:<14} {score.share(key):6.1%}  ({score.right[key]}/{score.checked[key]})")
    print(f"  goal overall   ≥ 85%: {'OK' if score.share('overall') >= 0.85 else 'MISSED'}")
    ms, base = [s * 1000 for s in score.seconds], [s * 1000 for s in score.baseline]
    ratio = statistics.median(ms) / statistics.median(base)
    print(f"  time per opener ({args.accounts} more known accounts): median {statistics.median(ms):.2f} ms, "
          f"max {max(ms):.2f} ms; baseline (markup and greeting only) median {statistics.median(base):.3f} ms, "
          f"ratio {ratio:.0f}x")  # fmt: skip
    if args.misses:
        print("\n".join(score.misses))


if __name__ == "__main__":
    main()
