"""bench/scale.py keeps working: its --quick run seeds, replies, builds digests (not timed)."""

from __future__ import annotations

import math

import pytest
import sqlalchemy as sa

from bench.dialogue_harness import Run, Sample
from bench.scale import main
from bench.scale_measure import Options, most_within_a_second, pacing_of, seeded


def test_the_scale_bench_runs_quick_and_prints_every_figure_with_its_baseline():
    report = main(["--quick", "--backend", "sqlite", "--no-http"])

    text = "\n".join(report.lines)
    for figure in ("first reply of a new dialogue", "a step's reply", "week's digests"):
        assert figure in text
    assert report.figures["sqlite.reply.errors"] == 0
    assert not math.isnan(report.figures["sqlite.reply.0"])
    assert report.figures["sqlite.digest.seconds"] > 0


def test_a_kept_seed_is_reused_and_each_run_writes_to_a_copy(tmp_path):
    opts = Options(rows=60, weekly=2, dialogues=20, keep=tmp_path / "kept", workdir=tmp_path)
    with seeded(None, 60, 60, opts) as (engine, made):
        assert made is not None  # seeded now
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM dialogue_sessions"))  # a run's writes
    with seeded(None, 60, 60, opts) as (engine, made), engine.connect() as connection:
        dialogues = connection.execute(sa.text("SELECT count(*) FROM dialogue_sessions")).scalar()
        discoveries = connection.execute(sa.text("SELECT count(*) FROM discoveries")).scalar()

    assert made is None  # reused
    assert (dialogues, discoveries) == (20, 60)
    assert [p.name for p in tmp_path.glob("copy-*")] == []  # the copies are gone


def test_posts_per_channel_count_the_busiest_second_and_the_shortest_gap():
    posted = {"C1": [10.0, 11.0, 12.5], "C2": [10.0, 10.4, 10.99, 11.2]}
    queued = {"C1": [9.0, 9.1, 9.2], "C2": [9.5]}

    pacing = pacing_of(posted, queued)

    # C2 took three posts within one second (10.0, 10.4, 10.99); 11.2 is 1.2 s after 10.0
    assert (pacing.channels, pacing.posts, pacing.most_posted) == (2, 7, 3)
    assert pacing.min_gap == pytest.approx(0.21)
    assert (pacing.queued, pacing.most_queued) == (4, 3)
    assert most_within_a_second([1.0, 2.0, 3.0]) == 1  # exactly a second apart: one per second
    assert pacing_of({}, {}).most_posted == 0 and math.isnan(pacing_of({}, {}).min_gap)


def test_the_settled_ack_leaves_out_the_first_second_of_a_load():
    burst = [Sample(0, ack=0.300, done=0.4, status=200, sent=100.2) for _ in range(5)]
    steady = [Sample(1, ack=0.010, done=0.1, status=200, sent=101.5) for _ in range(95)]
    run = Run("load", burst + steady, wall=15.0, started=100.0)

    assert run.ack(99) == 0.300  # the burst is the tail of the whole run
    assert run.settled_ack(99) == 0.010
