"""The coaches' chart: four panels over twelve weeks as one PNG, drawn without a display.

Discoveries by route, completeness, loop closure and median time to acknowledge, readable as
Slack's ~360 px preview (large type, few ticks) and in a colour-blind-safe palette.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.digests.model import Chart
from bot.wording import say

WIDTH_INCHES, HEIGHT_INCHES, DPI = 12, 9, 100  # 1200 × 900 px
FONT = 17  # points at 100 dpi: still ~5 px tall in a 360 px wide preview
# Okabe–Ito, told apart by marker too, for greyscale printouts.
STYLES = (
    ("#0072B2", "o"), ("#E69F00", "s"), ("#009E73", "^"), ("#CC79A7", "D"),
    ("#D55E00", "v"), ("#56B4E9", "P"), ("#F0E442", "X"), ("#000000", "*"),
)  # fmt: skip
Series = Mapping[str, Sequence[float | None]]


@dataclass(frozen=True)
class CoachChartData:
    """What the four panels plot, week by week (oldest first); None: nothing to plot that week."""

    weeks: Sequence[str]  # ISO weeks, like 2026-W47
    by_route: Series  # discoveries per route
    completeness: Series  # per part (value, event, evidence): percent of the week's discoveries
    loops: Series  # acknowledged, actioned, realised: percent of the week's discoveries
    answer_hours: Sequence[float | None]  # median hours to the first answer


def coach_chart(data: CoachChartData, *, title: str) -> Chart:
    """The four panels as PNG bytes named after the last week, with alt text of this week's figures."""
    png = _draw(data, title)
    last = data.weeks[-1] if data.weeks else "empty"
    alt = say(
        "digest_chart_alt", title=title, latest=_headline(data) or say("digest_chart_no_data")
    )
    return Chart(png=png, filename=f"value-scout-trend-{last}.png", title=title, alt_text=alt)


def _headline(data: CoachChartData) -> str:
    """This week's figures in words: per route, completeness, loops, median time to an answer."""
    parts = [_latest(data.by_route, ""), _latest(data.completeness, "%"), _latest(data.loops, "%")]
    hours = data.answer_hours[-1] if data.answer_hours else None
    if hours is not None:
        parts.append(say("chart_alt_hours", hours=f"{hours:.0f}"))
    return "; ".join(part for part in parts if part)


def _latest(series: Series, unit: str) -> str:
    shown = [(name, values[-1]) for name, values in series.items() if values]
    return ", ".join(f"{name} {value:.0f}{unit}" for name, value in shown if value is not None)


def _draw(data: CoachChartData, title: str) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure_of(data, title).savefig(buffer, format="png")
    return buffer.getvalue()


def figure_of(data: CoachChartData, title: str) -> Any:
    """The four panels with matplotlib's object API on an Agg canvas: no pyplot, no GUI, no
    global state."""
    # Imported here: matplotlib takes ~0.3 s to import, which only the coach digest should pay.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    # Fixed margins: a layout engine measured every label again (0.8 s of the chart's 1.2 s).
    figure.subplots_adjust(left=0.08, right=0.98, top=0.88, bottom=0.09, wspace=0.22, hspace=0.38)
    FigureCanvasAgg(figure)
    figure.suptitle(title, fontsize=FONT + 3, fontweight="bold", y=0.985)
    (routes, done), (loops, hours) = figure.subplots(2, 2, sharex=True)
    labels = [week.split("-")[-1] for week in data.weeks]  # 'W47': the year is in the title
    _lines(routes, labels, data.by_route, say("chart_routes_title"), say("chart_routes_axis"))
    _lines(done, labels, data.completeness, say("chart_completeness_title"), "%", top=100)
    _lines(loops, labels, data.loops, say("chart_loops_title"), "%", top=100)
    _lines(hours, labels, {say("chart_hours_legend"): data.answer_hours},
           say("chart_hours_title"), say("chart_hours_axis"), legend=False)  # fmt: skip
    return figure


def _lines(
    axes: Any, labels: list[str], series: Series, title: str, unit: str, *,
    top: float | None = None, legend: bool = True,
) -> None:  # fmt: skip
    """One panel: a line per series (gaps where a week has none), big type, a y axis from 0."""
    from matplotlib.ticker import MaxNLocator

    for (name, values), (colour, marker) in zip(series.items(), itertools.cycle(STYLES)):
        points = [float("nan") if v is None else v for v in values]
        axes.plot(labels, points, label=name, color=colour, marker=marker, linewidth=3,
                  markersize=7)  # fmt: skip
    axes.set_title(title, fontsize=FONT + 1, loc="left")
    axes.set_ylabel(unit, fontsize=FONT)
    axes.set_xlabel(say("chart_weeks_axis"), fontsize=FONT)
    highest = max((v for values in series.values() for v in values if v is not None), default=0)
    ceiling = top if top is not None else max(highest, 1)
    # Headroom above the lines for the legend at the top (a fixed place: "best" measured
    # every line against every spot, and still covered some).
    axes.set_ylim(bottom=0, top=ceiling * (1.4 if legend and series else 1.1))
    axes.tick_params(labelsize=FONT - 2)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=4))  # a few week labels, not twelve
    if top is not None:
        axes.set_yticks([0, top / 4, top / 2, 3 * top / 4, top])
    else:
        axes.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    if legend and series:
        axes.legend(loc="upper left", frameon=False, fontsize=FONT - 3, ncols=3)
