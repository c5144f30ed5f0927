"""bench/scale.py keeps working: its --quick run seeds, replies, builds digests (not timed)."""

from __future__ import annotations

import math

from bench.scale import main


def test_the_scale_bench_runs_quick_and_prints_every_figure_with_its_baseline():
    report = main(["--quick", "--backend", "sqlite", "--no-http"])

    text = "\n".join(report.lines)
    for figure in ("first reply of a new dialogue", "a step's reply", "week's digests"):
        assert figure in text
    assert report.figures["sqlite.reply.errors"] == 0
    assert not math.isnan(report.figures["sqlite.reply.0"])
    assert report.figures["sqlite.digest.seconds"] > 0
