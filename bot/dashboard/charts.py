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
