"""Inline SVG bar charts: no script, nothing fetched; each bar has a tooltip (``<title>``)
and the chart a text label, so the numbers are readable without seeing the picture."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.dashboard.html import Safe, tag

WIDTH, HEIGHT = 640, 170
TOP, BOTTOM, LEFT = 12, 22, 34
MAX_BARS = 26  # the latest half year of weekly rounds


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # under the bar (a round number)
    value: float | None  # None: nothing to show (e.g. nobody answered yet)
    tooltip: str


def bar_chart(bars: Sequence[Bar], *, top: float, caption: str, unit: str = "") -> Safe:
    """Bars scaled to ``top`` (at least 1); dashed outlines where the value is None."""
    shown = list(bars)[-MAX_BARS:]
    top = max(top, 1.0)
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - 8) / max(len(shown), 1)
    parts: list[Safe] = [
        _axis_label(TOP, f"{_number(top)}{unit}"),
        _axis_label(TOP + plot_h, f"0{unit}"),
        tag("line", x1=LEFT, y1=TOP + plot_h, x2=WIDTH - 8, y2=TOP + plot_h, stroke="#ccc"),
    ]
    for index, bar in enumerate(shown):
        x = LEFT + index * slot + slot * 0.15
        w = slot * 0.7
        if bar.value is None:
            h, css = float(plot_h), "none"
        else:
            h, css = max(plot_h * min(bar.value, top) / top, 1.0), "bar"
        parts.append(
            tag(
                "rect",
                tag("title", bar.tooltip),
                x=_f(x),
                y=_f(TOP + plot_h - h),
                width=_f(w),
                height=_f(h),
                class_=css,
            )
        )
        parts.append(tag("text", bar.label, x=_f(x + w / 2), y=HEIGHT - 6, text_anchor="middle"))
    return tag(
        "svg",
        tag("title", caption),
        *parts,
        viewBox=f"0 0 {WIDTH} {HEIGHT}",
        width=WIDTH,
        height=HEIGHT,
        role="img",
        aria_label=caption,
        xmlns="http://www.w3.org/2000/svg",
    )


def _axis_label(y: float, text: str) -> Safe:
    return tag("text", text, x=LEFT - 4, y=_f(y + 4), text_anchor="end")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _f(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True, slots=True)
class Line:
    """One series of a line chart: a value per x label (None: a gap)."""

    name: str
    values: tuple[float | None, ...]
    dashed: bool = False  # e.g. the random baseline


def line_chart(
    labels: Sequence[str],
    lines: Sequence[Line],
    *,
    low: float,
    high: float,
    caption: str,
    unit: str = "",
) -> Safe:
    """Lines over the x ``labels`` between ``low`` and ``high`` (a zero line when 0 is
    inside); dashed series are drawn dashed, every point has a tooltip."""
    labels = list(labels)[-MAX_BARS:]
    keep = len(labels)
    high = high if high > low else low + 1.0
    plot_h = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT - 16) / max(keep - 1, 1)

    def xy(index: int, value: float) -> tuple[float, float]:
        share = (min(max(value, low), high) - low) / (high - low)
        return LEFT + 8 + index * step, TOP + plot_h - share * plot_h

    parts: list[Safe] = [
        _axis_label(TOP, f"{_number(high)}{unit}"),
        _axis_label(TOP + plot_h, f"{_number(low)}{unit}"),
        tag("line", x1=LEFT, y1=TOP + plot_h, x2=WIDTH - 8, y2=TOP + plot_h, stroke="#ccc"),
    ]
    if low < 0 < high:
        _, zero = xy(0, 0.0)
        parts.append(_axis_label(zero, f"0{unit}"))
        parts.append(tag("line", x1=LEFT, y1=_f(zero), x2=WIDTH - 8, y2=_f(zero), stroke="#e1e1e1"))
    for index, label in enumerate(labels):
        if keep <= 13 or (keep - 1 - index) % 2 == 0:  # thinned so labels never overlap
            x, _ = xy(index, low)
            parts.append(tag("text", label, x=_f(x), y=HEIGHT - 6, text_anchor="middle"))
    for series_index, series in enumerate(lines):
        values = list(series.values)[-keep:]
        css = f"line c{series_index}" + (" dashed" if series.dashed else "")
        run: list[str] = []
        for index, value in enumerate([*values, None]):
            if value is None:
                if len(run) > 1:
                    parts.append(
                        tag(
                            "polyline",
                            points=" ".join(run),
                            class_=css,
                            fill="none",
                            stroke="currentColor",
                        )
                    )
                run = []
                continue
            x, y = xy(index, value)
            run.append(f"{_f(x)},{_f(y)}")
            parts.append(
                tag(
                    "circle",
                    tag("title", f"{series.name}, {labels[index]}: {_number(value)}{unit}"),
                    cx=_f(x),
                    cy=_f(y),
                    r=2.5,
                    fill="currentColor",
                    class_=f"c{series_index}",
                )
            )
    return tag(
        "svg",
        tag("title", caption),
        *parts,
        viewBox=f"0 0 {WIDTH} {HEIGHT}",
        width=WIDTH,
        height=HEIGHT,
        role="img",
        aria_label=caption,
        xmlns="http://www.w3.org/2000/svg",
    )


HEAT_CELL_MAX = 36
HEAT_LABEL = 110


def heat_map(teams: Sequence[str], ties: dict[tuple[str, str], int], *, caption: str) -> Safe:
    """A team × team grid; the darker a cell, the more ties between the two teams (the
    diagonal: ties inside a team). Colour comes from presentation attributes, so the
    page's style policy is untouched; every cell has a tooltip with its number."""
    n = max(len(teams), 1)
    cell = min(HEAT_CELL_MAX, (WIDTH - HEAT_LABEL - 8) / n)
    size_w = HEAT_LABEL + cell * n + 8
    size_h = HEAT_LABEL + cell * n + 8
    top = max(ties.values(), default=0) or 1
    parts: list[Safe] = []
    for index, team in enumerate(teams):
        offset = HEAT_LABEL + index * cell + cell / 2
        parts.append(
            tag("text", _short(team), x=HEAT_LABEL - 6, y=_f(offset + 4), text_anchor="end")
        )
        parts.append(
            tag(
                "text",
                _short(team),
                x=_f(offset),
                y=HEAT_LABEL - 6,
                transform=f"rotate(-60 {_f(offset)} {HEAT_LABEL - 6})",
                text_anchor="start",
            )
        )
    for row, a in enumerate(teams):
        for column, b in enumerate(teams):
            first, second = sorted((a, b))
            value = ties.get((first, second), 0)
            about = f"{a} inside" if a == b else f"{a} – {b}"
            parts.append(
                tag(
                    "rect",
                    tag("title", f"{about}: {value} tie{'s' if value != 1 else ''}"),
                    x=_f(HEAT_LABEL + column * cell),
                    y=_f(HEAT_LABEL + row * cell),
                    width=_f(cell - 1),
                    height=_f(cell - 1),
                    fill=_shade(value / top),
                    class_="cell",
                )
            )
    return tag(
        "svg",
        tag("title", caption),
        *parts,
        viewBox=f"0 0 {_f(size_w)} {_f(size_h)}",
        width=_f(size_w),
        height=_f(size_h),
        role="img",
        aria_label=caption,
        xmlns="http://www.w3.org/2000/svg",
        class_="heat",
    )


def _shade(share: float) -> str:
    """White for nothing to the accent purple for the most ties."""
    if share <= 0:
        return "#f4f4f4"
    low, high = (236, 226, 240), (74, 21, 75)
    mix = 0.15 + 0.85 * min(share, 1.0)
    r, g, b = (round(lo + (hi - lo) * mix) for lo, hi in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def _short(text: str, limit: int = 16) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
