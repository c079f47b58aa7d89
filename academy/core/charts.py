"""Geometry for the server-drawn SVG charts: points and axes, no markup.

The templates draw what these functions place, so the chart needs no script
and no inline style, and its numbers can be tested.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    points: tuple[tuple[float, float], ...]  # (x, y) in the SVG's coordinates
    values: tuple[float | None, ...]

    @property
    def path(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    series: tuple[Series, ...]
    x_ticks: tuple[tuple[float, str], ...]
    y_ticks: tuple[tuple[float, int], ...]


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float | None]]],
    width: int = 640,
    height: int = 260,
) -> LineChart:
    """Lines over a shared x axis of ``labels``, each value a percentage (0–100).

    ``series`` holds (key, label, values); a None value leaves a gap (the
    criterion had no evidence in that attempt).
    """
    left, right, top, bottom = 44, 16, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(labels)

    def x_at(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    def y_at(value: float) -> float:
        return top + plot_h * (1 - max(0.0, min(100.0, value)) / 100)

    drawn = []
    for key, label, values in series:
        points = tuple((x_at(i), y_at(v)) for i, v in enumerate(values) if v is not None)
        drawn.append(Series(key, label, points, tuple(values)))
    return LineChart(
        width,
        height,
        left,
        top,
        plot_w,
        plot_h,
        tuple(drawn),
        tuple((x_at(i), label) for i, label in enumerate(labels)),
        tuple((y_at(v), v) for v in (0, 25, 50, 75, 100)),
    )


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: float
    label_y: float
    bar_y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    plot_width: int
    bar_height: int
    bars: tuple[Bar, ...]


def bar_chart(items: Sequence[tuple[str, str, float]], width: int = 640) -> BarChart:
    """Horizontal bars for values in 0–100, each with its label on its own line above it,
    so long labels in any language never collide with the bars or the values."""
    left, right, bar_height, row = 8, 56, 14, 44
    plot_width = width - left - right
    bars = []
    for i, (key, label, value) in enumerate(items):
        top = 8 + i * row
        clamped = max(0.0, min(100.0, value))
        bars.append(Bar(key, label, value, top + 14, top + 20, plot_width * clamped / 100))
    height = 16 + len(items) * row
    return BarChart(width, height, left, plot_width, bar_height, tuple(bars))
