"""Geometry for the dashboard's server-rendered SVG charts (no JavaScript, no CDN). Templates draw what
these functions compute: templates/agreements/_bar_chart.html and _line_chart.html."""

import math

from django.utils.translation import gettext as _

from .dashboard import Bucket, MonthRow

BAR_LABEL_WIDTH = 150
BAR_AREA_WIDTH = 330
BAR_ROW_HEIGHT = 24
BAR_THICKNESS = 16


def bar_chart(buckets: list[Bucket]) -> dict:
    """Horizontal bars, one per bucket, scaled to the largest count."""
    top = max((b.count for b in buckets), default=0) or 1
    bars = []
    for i, bucket in enumerate(buckets):
        y = 8 + i * BAR_ROW_HEIGHT
        length = round(BAR_AREA_WIDTH * bucket.count / top, 1)
        bars.append(
            {
                "key": bucket.key,
                "label": bucket.label,
                "value": bucket.count,
                "amount": bucket.amount,
                "y": y,
                "label_y": y + BAR_THICKNESS - 4,
                "x": BAR_LABEL_WIDTH,
                "width": length,
                "text_x": BAR_LABEL_WIDTH + length + 6,
            }
        )
    return {
        "bars": bars,
        "width": BAR_LABEL_WIDTH + BAR_AREA_WIDTH + 60,
        "height": 16 + len(buckets) * BAR_ROW_HEIGHT,
        "thickness": BAR_THICKNESS,
        "label_x": BAR_LABEL_WIDTH - 8,
    }


def _nice_ceiling(value: int) -> int:
    """A round axis maximum at or above value: 1, 2, 5 x 10^n."""
    if value <= 0:
        return 1
    magnitude = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def line_chart(months: list[MonthRow], target: int | None) -> dict:
    """Cumulative agreements by month-end, with the pace line toward the target."""
    width, height, left, right, top_pad, bottom = 620, 260, 48, 16, 12, 28
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    highest = max([m.cumulative for m in months if not m.future] + [target or 0, 1])
    y_max = _nice_ceiling(highest)

    def x(month: int) -> float:
        return round(left + plot_w * month / 12, 1)

    def y(value: float) -> float:
        return round(top_pad + plot_h - plot_h * value / y_max, 1)

    actual = [(x(0), y(0))] + [(x(m.month), y(m.cumulative)) for m in months if not m.future]
    pace = [(x(0), y(0))] + [(x(m.month), y(m.pace)) for m in months if m.pace is not None]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top_pad,
        "bottom": top_pad + plot_h,
        "actual_points": " ".join(f"{a},{b}" for a, b in actual),
        "pace_points": " ".join(f"{a},{b}" for a, b in pace) if target else "",
        "dots": [
            {"x": x(m.month), "y": y(m.cumulative), "month": m.month, "value": m.cumulative}
            for m in months
            if not m.future
        ],
        "y_ticks": [{"y": y(y_max * i / 4), "label": f"{y_max * i / 4:g}"} for i in range(5)],
        "x_ticks": [{"x": x(m), "label": _("%(m)d月") % {"m": m}} for m in range(1, 13)],
        "target": target,
    }
