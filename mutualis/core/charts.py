"""Server-side SVG charts (bar, line, radar) for pages and PDFs: no JavaScript, no dependency.

Each function returns safe SVG markup with a <title> and <desc> for assistive technologies; pages
should also offer the figures as a table. Colours are a colour-blind-safe palette with enough
contrast on white. WeasyPrint renders the same SVG inside PDFs.
"""

import math
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PALETTE = ["#000091", "#c9191e", "#18753c", "#8f4a00", "#6a6af4", "#a94645", "#417dc4", "#716043"]
TEXT = "#161616"
GRID = "#d0d0d0"
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'

Number = int | float | Decimal


def _fmt(value: Number | None, unit: str = "") -> str:
    if value is None:
        return "—"
    number = float(value)
    text = f"{number:,.0f}" if abs(number) >= 100 or number == int(number) else f"{number:,.1f}"
    text = text.replace(",", "\u202f").replace(".", ",")
    return f"{text}{(' ' + unit) if unit else ''}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _is_empty(series: dict[str, Sequence[Number | None]]) -> bool:
    return not any(v for values in series.values() for v in values)


def _empty(title: str) -> SafeString:
    """One sentence in place of a chart with nothing to draw."""
    text = _("%(title)s : aucune donnée à représenter pour l'instant.") % {"title": title}
    return mark_safe(f'<p class="chart-empty">{escape(text, quote=False)}</p>')  # escaped


def _is_count(series: dict[str, Sequence[Number | None]]) -> bool:
    return all(
        isinstance(v, int) and not isinstance(v, bool)
        for values in series.values()
        for v in values
        if v is not None
    )


def _axis_max(peak: float, *, whole: bool) -> float:
    """The axis' top: four equal steps, each a whole number when the values are counts."""
    if not whole:
        return _nice_max(peak)
    return 4 * max(1, math.ceil(_nice_max(peak / 4)))


def _lines(text: str, width: int) -> list[str]:
    """Words on lines of about `width` characters; nothing is cut."""
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def _open(width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" {FONT} font-size="12">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
    ]


def _legend(names: Sequence[str], x: int, y: int) -> list[str]:
    out = []
    for index, name in enumerate(names):
        yy = y + index * 18
        out.append(
            f'<rect x="{x}" y="{yy - 10}" width="12" height="12" fill="{PALETTE[index % len(PALETTE)]}"/>'
        )
        out.append(f'<text x="{x + 18}" y="{yy}" fill="{TEXT}">{escape(name)}</text>')
    return out


def _wrapped(text: str, x: float, y: float, *, width: int = 20, anchor: str = "middle") -> str:
    """A label on up to two lines, cut at word boundaries, for narrow category slots."""
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], (" ".join(lines[1:]))[: width - 1] + "…"]
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else 14}">{escape(part)}</tspan>'
        for i, part in enumerate(lines)
    )
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{TEXT}">{spans}</text>'


def _legend_height(names: Sequence[str]) -> int:
    return 18 * len(names) + 8 if len(names) > 1 else 0


def bar_chart(
    categories: Sequence[str],
    series: dict[str, Sequence[Number | None]],
    *,
    title: str,
    unit: str = "",
    stacked: bool = False,
    width: int = 640,
    height: int = 300,
) -> SafeString:
    """Vertical bars: one group per category, one bar per series (or stacked)."""
    if not categories or _is_empty(series):
        return _empty(title)
    names = list(series)
    left, right, top, bottom = 64, 16, 16, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    height += _legend_height(names)
    values = [[float(v or 0) for v in series[n]] for n in names]
    if stacked:
        peak = max((sum(col) for col in zip(*values, strict=False)), default=0)
    else:
        peak = max((v for row in values for v in row), default=0)
    top_value = _axis_max(peak, whole=_is_count(series))
    desc = "; ".join(
        f"{cat} : " + ", ".join(f"{n} {_fmt(series[n][i], unit)}" for n in names)
        for i, cat in enumerate(categories)
    )
    out = _open(width, height, title, desc)
    for tick in range(5):
        value = top_value * tick / 4
        y = top + plot_h - plot_h * tick / 4
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT}">{_fmt(value)}</text>'
        )
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.7 / (1 if stacked else max(len(names), 1))
    for i, category in enumerate(categories):
        x0 = left + group_w * i + group_w * 0.15
        base = 0.0
        for s, row in enumerate(values):
            h = plot_h * row[i] / top_value
            x = x0 if stacked else x0 + bar_w * s
            y = top + plot_h - h - (plot_h * base / top_value if stacked else 0)
            colour = PALETTE[s % len(PALETTE)]
            label = escape(f"{names[s]} — {category} : {_fmt(series[names[s]][i], unit)}")
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{label}</title></rect>"
            )
            if stacked:
                base += row[i]
        cx = left + group_w * (i + 0.5)
        out.append(_wrapped(category, cx, top + plot_h + 18, width=max(int(group_w / 7), 6)))
    if unit:
        out.append(f'<text x="4" y="{top - 4}" fill="{TEXT}">{escape(unit)}</text>')
    if len(names) > 1:
        out.extend(_legend(names, left, top + plot_h + bottom + 4))
    out.append("</svg>")
    return mark_safe("".join(out))  # every text node above is escaped


def line_chart(
    labels: Sequence[str],
    series: dict[str, Sequence[Number | None]],
    *,
    title: str,
    unit: str = "",
    width: int = 640,
    height: int = 300,
) -> SafeString:
    """Lines over ordered labels (periods, reviews); a None value breaks the line."""
    if not labels or all(v is None for values in series.values() for v in values):
        return _empty(title)
    names = list(series)
    left, right, top, bottom = 64, 24, 16, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    height += _legend_height(names)
    peak = max((float(v) for n in names for v in series[n] if v is not None), default=0)
    top_value = _axis_max(peak, whole=_is_count(series))
    desc = "; ".join(
        f"{n} : " + ", ".join(f"{labels[i]} {_fmt(v, unit)}" for i, v in enumerate(series[n]))
        for n in names
    )
    out = _open(width, height, title, desc)
    for tick in range(5):
        y = top + plot_h - plot_h * tick / 4
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT}">{_fmt(top_value * tick / 4)}</text>'
        )
    step = plot_w / max(len(labels) - 1, 1)
    for i, label in enumerate(labels):
        out.append(_wrapped(label, left + step * i, top + plot_h + 18, width=14))
    for s, name in enumerate(names):
        colour = PALETTE[s % len(PALETTE)]
        points, path = [], []
        for i, value in enumerate(series[name]):
            if value is None:
                if len(path) > 1:
                    points.append(path)
                path = []
                continue
            x, y = left + step * i, top + plot_h - plot_h * float(value) / top_value
            path.append((x, y))
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(f'{name} — {labels[i]} : {_fmt(value, unit)}')}</title></circle>"
            )
        if len(path) > 1:
            points.append(path)
        for line in points:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in line)
            out.append(
                f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
    if unit:
        out.append(f'<text x="4" y="{top - 4}" fill="{TEXT}">{escape(unit)}</text>')
    if len(names) > 1:
        out.extend(_legend(names, left, top + plot_h + bottom + 4))
    out.append("</svg>")
    return mark_safe("".join(out))  # every text node above is escaped


def radar_chart(
    axes: Sequence[str],
    series: dict[str, Sequence[Number | None]],
    *,
    title: str,
    maximum: float = 100,
    size: int = 420,
) -> SafeString:
    """A radar (spider) chart, e.g. a diagnostic's score per theme; None values sit at the centre.

    Axis labels are never cut: they wrap on lines, and the drawing widens to make room for them."""
    if not axes or all(v is None for values in series.values() for v in values):
        return _empty(title)
    names = list(series)
    legend_h = 18 * len(names) + 8
    radius = size / 2 - 90
    labels = [_lines(axis, 18) for axis in axes]
    label_w = max(len(line) for lines in labels for line in lines) * 6.5
    pad = max(0.0, radius * 1.18 + label_w + 6 - size / 2)
    width = int(size + 2 * pad)
    cx, cy = width / 2, size / 2
    count = max(len(axes), 3)
    desc = "; ".join(
        f"{n} : " + ", ".join(f"{axes[i]} {_fmt(v)}" for i, v in enumerate(series[n]))
        for n in names
    )
    out = _open(width, int(size + legend_h), title, desc)

    def point(index: int, fraction: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        return cx + radius * fraction * math.cos(angle), cy + radius * fraction * math.sin(angle)

    for ring in (0.25, 0.5, 0.75, 1):
        ring_points = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(count))
        )
        out.append(f'<polygon points="{ring_points}" fill="none" stroke="{GRID}"/>')
    for i, lines in enumerate(labels):
        x, y = point(i, 1)
        out.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        lx, ly = point(i, 1.18)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        if ly < cy - 10:  # above the centre: the lines grow upwards
            ly -= 13 * (len(lines) - 1)
        elif abs(ly - cy) <= 10:
            ly -= 6.5 * (len(lines) - 1)
        spans = "".join(
            f'<tspan x="{lx:.1f}" dy="{0 if n == 0 else 13}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        out.append(
            f'<text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="{anchor}" fill="{TEXT}" font-size="11">{spans}</text>'
        )
    for s, name in enumerate(names):
        colour = PALETTE[s % len(PALETTE)]
        values = [min(max(float(v or 0) / maximum, 0), 1) for v in series[name]]
        shape = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(values)))
        out.append(
            f'<polygon points="{shape}" fill="{colour}" fill-opacity="0.18" stroke="{colour}" stroke-width="2"/>'
        )
    if names:
        out.extend(_legend(names, 16, size + 10))
    out.append("</svg>")
    return mark_safe("".join(out))  # every text node above is escaped
