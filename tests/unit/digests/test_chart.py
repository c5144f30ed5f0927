"""The coach chart: a real PNG of four labelled panels, named after its week, with alt text that
states this week's figures, drawn without a display."""

from __future__ import annotations

import struct

from bot.digests.chart import CoachChartData, coach_chart, figure_of

WEEKS = [f"2026-W{n}" for n in range(36, 48)]


def _size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    return struct.unpack(">II", png[16:24])


def data(**kw) -> CoachChartData:
    values = {
        "weeks": WEEKS,
        "by_route": {"Sales": list(range(12)), "Marketing": [3] * 12, "Product": [0] * 12},
        "completeness": {
            "value": [50] * 11 + [62],
            "event": [None] + [20] * 11,
            "evidence": [80] * 12,
        },
        "loops": {"acknowledged": [90] * 11 + [40], "actioned": [30] * 11 + [10]},
        "answer_hours": [5.0] * 11 + [26.4],
    }
    return CoachChartData(**(values | kw))


def test_the_coach_chart_is_a_png_named_after_the_last_week_with_the_headline_in_alt_text():
    chart = coach_chart(data(), title="Coaching trends")

    assert chart.png.startswith(b"\x89PNG\r\n\x1a\n")
    assert 20_000 < len(chart.png) < 1_000_000
    assert _size(chart.png) == (1200, 900)
    assert chart.filename == "value-scout-trend-2026-W47.png"
    for words in ("Sales 11", "Product 0", "value 62%", "evidence 80%", "acknowledged 40%",
                  "actioned 10%", "acknowledged after 26 h (median)"):  # fmt: skip
        assert words in chart.alt_text


def test_the_chart_has_four_labelled_panels_in_large_type():
    figure = figure_of(data(), "Coaching trends")

    axes = figure.get_axes()
    assert len(axes) == 4
    assert [a.get_title(loc="left") for a in axes] == [
        "Discoveries by route",
        "Completeness: share with…",
        "Loop closure (share of the week's)",
        "Median time to acknowledge",
    ]
    assert all(a.get_ylabel() and a.get_xlabel() == "Week" for a in axes)
    assert all(
        a._left_title.get_fontsize() >= 16 and a.yaxis.label.get_fontsize() >= 16 for a in axes
    )
    assert [len(a.get_lines()) for a in axes] == [3, 3, 2, 1]
    assert axes[0].get_lines()[0].get_color() == "#0072B2"  # Okabe–Ito


def test_a_loop_panel_takes_more_stages_as_more_lines_and_an_empty_chart_still_draws():
    realised = data(loops={"acknowledged": [1] * 12, "actioned": [1] * 12, "realised": [1] * 12})
    assert "realised 1%" in coach_chart(realised, title="t").alt_text

    empty = data(by_route={"Sales": [0] * 12}, completeness={}, loops={}, answer_hours=[None] * 12)
    chart = coach_chart(empty, title="Nothing yet")
    assert chart.png.startswith(b"\x89PNG") and "Sales 0" in chart.alt_text
