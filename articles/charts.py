"""Server-rendered SVG timelines of reported amounts and quantities.

Plain Python, no Django: a list of `Point`s in, an SVG string out. Every text that reaches the markup goes
through `html.escape`, so the caller may mark the result safe. The site is French-only, so the few words
the chart writes itself (month names, "Md", "M") live here rather than in gettext.
"""

import html
import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

AMOUNT = "amount"
QUANTITY = "quantity"

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 72, 20, 14, 34
INNER_PAD = 14  # keeps points off the axes
SAME_DATE_OFFSET = 9  # pixels between points that share a date
LOG_SPREAD = 100  # above this max/min ratio the value axis turns logarithmic
MIN_SPAN_DAYS = 120

MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
SCALES = ((Decimal(10) ** 12, "Bn"), (Decimal(10) ** 9, "Md"), (Decimal(10) ** 6, "M"))
NBSP = "\xa0"


@dataclass(frozen=True)
class Point:
    """One reported figure placed in time: `label` is its plain-text tooltip, `link` its sentence."""

    when: date
    value: Decimal
    kind: str
    label: str
    link: str = ""
    value_max: Decimal | None = None
    verified: bool = False
    estimate: bool = False


def escape(text) -> str:
    return html.escape(str(text), quote=True)


def safe_link(link: str) -> str:
    """Only site-relative links and anchors: a chart must never carry a javascript: URL."""
    return link if link.startswith(("/", "#")) and not link.startswith("//") else ""


def tick_number(value: Decimal | float) -> str:
    """Short French axis labels: "2,5 Md", "500 M", "12 000"."""
    value = Decimal(str(value))
    for size, suffix in SCALES:
        if abs(value) >= size:
            return f"{french_decimal(value / size)}{NBSP}{suffix}"
    return french_decimal(value)


def french_decimal(value: Decimal) -> str:
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = NBSP.join(groups) or "0"
    fraction = fraction.rstrip("0")
    sign = "-" if value < 0 else ""
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


class ValueScale:
    """Maps values to y pixels: linear from zero, or logarithmic when values spread over decades."""

    def __init__(self, values: list[float], top: float, bottom: float):
        self.top, self.bottom = top, bottom
        positive = [v for v in values if v > 0]
        low, high = (min(positive), max(positive)) if positive else (1.0, 1.0)
        self.log = bool(positive) and high / low >= LOG_SPREAD
        if self.log:
            self.low = 10 ** math.floor(math.log10(low))
            self.high = 10 ** math.ceil(math.log10(high))
            self.high = self.high * 10 if self.high == self.low else self.high
        else:
            self.step = nice_step(high / 4)
            self.low, self.high = 0.0, self.step * math.ceil(high / self.step)

    def y(self, value: float) -> float:
        if self.log:
            value = max(value, self.low)
            share = (math.log10(value) - math.log10(self.low)) / (
                math.log10(self.high) - math.log10(self.low)
            )
        else:
            share = value / self.high
        return self.bottom - share * (self.bottom - self.top)

    def ticks(self) -> list[float]:
        if self.log:
            first, last = round(math.log10(self.low)), round(math.log10(self.high))
            step = max(1, math.ceil((last - first) / 5))
            return [10.0**exponent for exponent in range(first, last + 1, step)]
        return [self.step * rank for rank in range(round(self.high / self.step) + 1)]


def nice_step(value: float) -> float:
    """The next round number (1, 2, 2.5, 5 × 10^k) at or above value, so ticks read well."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


class TimeScale:
    """Maps dates to x pixels; a single date or a short span is widened so ticks stay meaningful."""

    def __init__(self, days: list[date], left: float, right: float):
        first, last = min(days), max(days)
        if (last - first).days < MIN_SPAN_DAYS:
            middle = first + (last - first) / 2
            first, last = middle - timedelta(days=MIN_SPAN_DAYS), middle + timedelta(days=MIN_SPAN_DAYS)
        self.first, self.last = first, last
        self.left, self.right = left, right

    def x(self, day: date) -> float:
        share = (day - self.first).days / (self.last - self.first).days
        return self.left + share * (self.right - self.left)

    def ticks(self) -> list[tuple[date, str]]:
        if self.last.year - self.first.year >= 2:
            years = range(self.first.year + (self.first > date(self.first.year, 1, 1)), self.last.year + 1)
            step = max(1, math.ceil(len(years) / 8))
            return [(date(year, 1, 1), str(year)) for year in years[::step]]
        months = []
        cursor = date(self.first.year, self.first.month, 1)
        cursor = cursor if cursor >= self.first else next_month(cursor)
        while cursor <= self.last:
            months.append(cursor)
            cursor = next_month(cursor)
        step = next((s for s in (1, 2, 3, 6, 12) if len(months) / s <= 7), 12)
        return [(day, f"{MONTHS[day.month - 1]} {day.year}") for day in months[::step]]


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def timeline_svg(points: list[Point], *, title: str, unit: str) -> str:
    """An accessible SVG chart of the points, or "" when there is nothing to draw."""
    points = [point for point in points if point.value is not None]
    if not points:
        return ""
    plot_left, plot_right = LEFT + INNER_PAD, WIDTH - RIGHT - INNER_PAD
    times = TimeScale([point.when for point in points], plot_left, plot_right)
    values = [float(point.value) for point in points]
    values += [float(point.value_max) for point in points if point.value_max is not None]
    scale = ValueScale(values, TOP + INNER_PAD, HEIGHT - BOTTOM)
    label = f"{title} ({unit}) : {summary(points, unit)}"
    parts = [
        f'<svg class="timeline__chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}"'
        ' xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(label)}</title>",
        *value_axis(scale, unit),
        *time_axis(times),
        *marks(points, times, scale),
        "</svg>",
    ]
    return "\n".join(parts)


def summary(points: list[Point], unit: str) -> str:
    """What a screen reader hears instead of the picture."""
    first = min(point.when for point in points)
    last = max(point.when for point in points)
    low = min(point.value for point in points)
    high = max(point.value_max or point.value for point in points)
    count = len(points)
    noun = "chiffre" if count == 1 else "chiffres"
    when = month_label(first) if first == last else f"de {month_label(first)} à {month_label(last)}"
    span = tick_number(low) if low == high else f"de {tick_number(low)} à {tick_number(high)}"
    return f"{count} {noun}, {when}, {span} {unit}"


def month_label(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def value_axis(scale: ValueScale, unit: str) -> list[str]:
    bottom = HEIGHT - BOTTOM
    lines = [
        f'<line class="timeline__axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="#8a8f99"/>'
    ]
    for tick in scale.ticks():
        y = round(scale.y(tick), 1)
        lines.append(
            f'<line class="timeline__grid" x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" '
            'stroke="#e2ded4"/>'
        )
        lines.append(
            f'<text class="timeline__tick" x="{LEFT - 6}" y="{y + 4}" text-anchor="end" font-size="11">'
            f"{escape(tick_number(tick))}</text>"
        )
    note = f"{unit}, échelle logarithmique" if scale.log else unit
    lines.append(f'<text class="timeline__unit" x="4" y="{TOP - 2}" font-size="11">{escape(note)}</text>')
    return lines


def time_axis(times: TimeScale) -> list[str]:
    bottom = HEIGHT - BOTTOM
    lines = [
        f'<line class="timeline__axis" x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" '
        'stroke="#8a8f99"/>'
    ]
    for day, text in times.ticks():
        x = round(times.x(day), 1)
        lines.append(f'<line x1="{x}" y1="{bottom}" x2="{x}" y2="{bottom + 5}" stroke="#8a8f99"/>')
        lines.append(
            f'<text class="timeline__tick" x="{x}" y="{bottom + 18}" text-anchor="middle" font-size="11">'
            f"{escape(text)}</text>"
        )
    return lines


def marks(points: list[Point], times: TimeScale, scale: ValueScale) -> list[str]:
    """One linked mark per point; points of the same date are spread sideways so none hides another."""
    by_date: dict[date, list[Point]] = {}
    for point in sorted(points, key=lambda p: (p.when, p.value)):
        by_date.setdefault(point.when, []).append(point)
    lines = []
    for day, group in by_date.items():
        for rank, point in enumerate(group):
            x = round(times.x(day) + (rank - (len(group) - 1) / 2) * SAME_DATE_OFFSET, 1)
            lines.append(mark(point, x, scale))
    return lines


def mark(point: Point, x: float, scale: ValueScale) -> str:
    # Verified figures are solid, machine-extracted ones hollow; dollar estimates get a dashed outline.
    y = round(scale.y(float(point.value)), 1)
    state = "verified" if point.verified else "pending"
    classes = f"timeline__point timeline__point--{state}" + (
        " timeline__point--estimate" if point.estimate else ""
    )
    fill = "#0b5d8c" if point.verified else "#ffffff"
    dash = ' stroke-dasharray="2 2"' if point.estimate else ""
    shape = []
    if point.value_max is not None:
        y_max = round(scale.y(float(point.value_max)), 1)
        shape.append(f'<line x1="{x}" y1="{y}" x2="{x}" y2="{y_max}" stroke="#0b5d8c" stroke-width="3"/>')
        shape.append(f'<circle cx="{x}" cy="{y_max}" r="3" fill="#0b5d8c"/>')
    shape.append(f'<circle cx="{x}" cy="{y}" r="5.5" fill="{fill}" stroke="#0b5d8c" stroke-width="2"{dash}/>')
    body = f"<title>{escape(point.label)}</title>{''.join(shape)}"
    link = safe_link(point.link)
    if link:
        return f'<a class="{classes}" href="{escape(link)}">{body}</a>'
    return f'<g class="{classes}">{body}</g>'
