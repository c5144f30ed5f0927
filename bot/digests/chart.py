"""The coaches' trend chart: discoveries per week and route as a PNG, drawn without a display."""

from __future__ import annotations

import io
import itertools
from collections.abc import Mapping, Sequence

from bot.digests.model import Chart
from bot.wording import say

WIDTH_INCHES, HEIGHT_INCHES, DPI = 9, 4.5, 100
# Colour-blind-safe (Okabe–Ito) and told apart by marker too, for greyscale printouts.
STYLES = (("#0072B2", "o"), ("#E69F00", "s"), ("#009E73", "^"), ("#CC79A7", "D"))


def trend_chart(*, weeks: Sequence[str], series: Mapping[str, Sequence[int]], title: str) -> Chart:
    """A line per series over the weeks (oldest first), as PNG bytes named after the last week."""
    png = _draw(weeks, series, title)
    last = weeks[-1] if weeks else "empty"
    latest = ", ".join(f"{name} {counts[-1]}" for name, counts in series.items() if counts)
    alt = say("digest_chart_alt", title=title, latest=latest or say("digest_chart_no_data"))
    return Chart(png=png, filename=f"value-scout-trend-{last}.png", title=title, alt_text=alt)


def _draw(weeks: Sequence[str], series: Mapping[str, Sequence[int]], title: str) -> bytes:
    """Plot with matplotlib's object API on an Agg canvas: no pyplot, no GUI, no global state."""
    # Imported here: matplotlib takes ~0.3 s to import, which only the coach digest should pay.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = [week.split("-")[-1] for week in weeks]  # 'W47': the year is in the title
    for (name, counts), (colour, marker) in zip(series.items(), itertools.cycle(STYLES)):
        axes.plot(labels, list(counts), label=name, color=colour, marker=marker, linewidth=2)
    axes.set_title(title)
    axes.set_ylabel("Discoveries")
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    if series:
        axes.legend(loc="upper left", frameon=False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
