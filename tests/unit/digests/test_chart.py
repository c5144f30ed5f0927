"""The trend chart is a real PNG of a sensible size, named after its week, drawn without a display."""

from __future__ import annotations

import struct

from bot.digests.chart import trend_chart

WEEKS = [f"2026-W{n}" for n in range(36, 48)]


def _size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    return struct.unpack(">II", png[16:24])


def test_the_trend_chart_is_a_png_named_after_the_last_week():
    series = {"Sales": list(range(12)), "Marketing": [3] * 12, "Product": [0] * 12}
    chart = trend_chart(weeks=WEEKS, series=series, title="Discoveries per week")

    assert chart.png.startswith(b"\x89PNG\r\n\x1a\n")
    assert 5_000 < len(chart.png) < 500_000
    assert _size(chart.png) == (900, 450)
    assert chart.filename == "value-scout-trend-2026-W47.png"
    assert "Sales 11" in chart.alt_text and "Product 0" in chart.alt_text


def test_an_all_zero_trend_still_draws():
    chart = trend_chart(weeks=WEEKS, series={"Sales": [0] * 12}, title="Nothing yet")

    assert chart.png.startswith(b"\x89PNG")
