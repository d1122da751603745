"""The one entry point the app calls: an article body in, figures, mentions and events out.

Each sentence-level unit of the body gets its figures, dates and gazetteer mentions as if read on its own
(the readers scan the body once, which is faster and gives the same result; a unit that a figure straddles
is read alone), then the event rules walk the units in order with the paragraph as their context.
Offsets in the result are into the body; figures keep their order within a sentence and ``conversion_of``
and the events' figure indices point into the returned tuple. Deterministic, idempotent and free of I/O:
the gazetteer is passed in.

Paragraphs are the lines of the body: two units belong to one paragraph when no line break separates them.
Boilerplate lines ("Comment (0)", "Send this to a friend") give no figure, mention or event.
"""

from __future__ import annotations

import bisect
import datetime
import functools
from collections.abc import Sequence
from dataclasses import replace

from articles.extraction.events import SentenceView, find_events
from articles.extraction.figures import find_figures
from articles.extraction.mentions import find_mentions
from articles.extraction.periods import find_dates
from articles.extraction.segmenter import KIND_BOILERPLATE, Segment, segment
from articles.extraction.types import ExtractionResult, FigureFound, Gazetteer, MentionFound

_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_OTHER_LINE_BREAKS = tuple(sorted(_LINE_BREAKS - {"\n"}))


def extract(
    body: str,
    *,
    gazetteer: Gazetteer,
    title: str | None = None,
    published: datetime.date | None = None,
    precision: str = "unknown",
    segments: Sequence[Segment] | None = None,
) -> ExtractionResult:
    """Figures, mentions and events of an article body, with offsets into body."""
    units = list(segments) if segments is not None else segment(body, title=title)
    chip_names = _chip_names(gazetteer)
    figures: list[FigureFound] = []
    mentions: list[MentionFound] = []
    views: list[SentenceView] = []
    # One scan of the whole body costs less than one per sentence, with the same results (see
    # _figures_by_unit); figures and mentions are then handed to the unit that holds them.
    by_unit = _mentions_by_unit(find_mentions(body, gazetteer), units)
    figures_of = _figures_by_unit(body, units, chip_names, published, precision)
    paragraph, previous_end = -1, None
    for unit in units:
        if previous_end is None or _LINE_BREAKS.intersection(body[previous_end : unit.start]):
            paragraph += 1
        previous_end = unit.end
        if unit.kind == KIND_BOILERPLATE:
            continue
        local = figures_of.get(unit.index)
        if local is None:
            local = _unit_figures(unit.text, chip_names, published, precision)
        base = len(figures)
        figures.extend(_to_body(figure, unit, base) for figure in local)
        found = by_unit.get(unit.index, [])
        mentions.extend(MentionFound(m.start, m.end, m.surface, m.kind, m.name, unit.index) for m in found)
        local_mentions = tuple(
            MentionFound(m.start - unit.start, m.end - unit.start, m.surface, m.kind, m.name) for m in found
        )
        numbered = tuple((base + i, figure) for i, figure in enumerate(local))
        views.append(SentenceView(unit.index, unit.text, unit.kind, paragraph, numbered, local_mentions))
    events = find_events(views, gazetteer)
    return ExtractionResult(figures=tuple(figures), mentions=tuple(mentions), events=tuple(events))


def _mentions_by_unit(found: list[MentionFound], units: Sequence[Segment]) -> dict[int, list[MentionFound]]:
    """Body mentions grouped by the unit that holds them whole; the others (in boilerplate or across a
    boundary, which a gazetteer name never is) are dropped."""
    grouped: dict[int, list[MentionFound]] = {}
    position = 0
    for mention in found:
        while position < len(units) and units[position].end < mention.end:
            position += 1
        if position == len(units):
            break
        unit = units[position]
        if unit.start <= mention.start and unit.kind != KIND_BOILERPLATE:
            grouped.setdefault(unit.index, []).append(mention)
    return grouped


def _figures_by_unit(
    body: str,
    units: Sequence[Segment],
    chip_names: tuple[str, ...],
    published: datetime.date | None,
    precision: str,
) -> dict[int, list[FigureFound]]:
    """Figures and dates of the body's units, each as _unit_figures would read it on its own.

    find_figures and find_dates take a whole text, and reading it once saves their set-up for every
    sentence. A figure never crosses a sentence boundary inside a line, but one may cross a line break
    ("au moins\n10 000 puces"): a unit touched by such a figure is left out of the result, to be read on
    its own, so that the result is the same as sentence by sentence.
    """
    # Same length, so offsets hold; the readers treat "\n", not every line break, as the end of a text.
    for mark in _OTHER_LINE_BREAKS:
        if mark in body:  # rare; str.translate would cost more than these tests on every body
            body = body.replace(mark, "\n")
    kept = [unit for unit in units if unit.kind != KIND_BOILERPLATE]
    starts = [unit.start for unit in kept]
    numbers: dict[int, list[tuple[int, FigureFound]]] = {unit.index: [] for unit in kept}
    dates: dict[int, list[tuple[int, FigureFound]]] = {unit.index: [] for unit in kept}
    straddled: set[int] = set()
    found = find_figures(body, chip_names=chip_names)
    for target, figures in (
        (numbers, found),
        (dates, find_dates(body, published=published, precision=precision)),
    ):
        for position, figure in enumerate(figures):
            first = bisect.bisect_right(starts, figure.start) - 1
            last = bisect.bisect_right(starts, figure.end - 1) - 1
            if first == last and first >= 0 and figure.end <= kept[first].end:
                target[kept[first].index].append((position, figure))
            else:  # across a boundary (or in boilerplate): the units it touches are read on their own
                straddled.update(
                    kept[i].index
                    for i in range(max(first, 0), last + 1)
                    if kept[i].start < figure.end and figure.start < kept[i].end
                )
    return {
        unit.index: _merge(_local(numbers[unit.index], unit.start), _local(dates[unit.index], unit.start))
        for unit in kept
        if unit.index not in straddled
    }


def _local(figures: list[tuple[int, FigureFound]], offset: int) -> list[FigureFound]:
    """Figures found in the body, with offsets into their unit and conversion_of into this list."""
    index = {position: i for i, (position, _) in enumerate(figures)}
    return [
        _shifted(figure, -offset, index.get(figure.conversion_of), figure.sentence_index)
        for _, figure in figures
    ]


def _unit_figures(
    text: str, chip_names: tuple[str, ...], published: datetime.date | None, precision: str
) -> list[FigureFound]:
    """Figures and dates of one unit read on its own."""
    numbers = find_figures(text, chip_names=chip_names)
    return _merge(numbers, find_dates(text, published=published, precision=precision))


def _merge(numbers: list[FigureFound], dates: list[FigureFound]) -> list[FigureFound]:
    """Figures and dates of one unit, by position, with conversion_of re-pointed after the sort."""
    if not dates:
        return numbers
    tagged = [(figure.start, figure.end, i) for i, figure in enumerate(numbers)]
    tagged += [(figure.start, figure.end, len(numbers) + i) for i, figure in enumerate(dates)]
    order = [i for _, _, i in sorted(tagged)]
    combined = numbers + dates
    position = {old: new for new, old in enumerate(order)}
    return [
        replace(combined[old], conversion_of=position.get(combined[old].conversion_of))
        if combined[old].conversion_of is not None
        else combined[old]
        for old in order
    ]


def _to_body(figure: FigureFound, unit: Segment, base: int) -> FigureFound:
    conversion = None if figure.conversion_of is None else base + figure.conversion_of
    return _shifted(figure, unit.start, conversion, unit.index)


def _shifted(figure: FigureFound, delta: int, conversion_of: int | None, sentence_index: int) -> FigureFound:
    # Built field by field: dataclasses.replace costs several times more, once per figure.
    return FigureFound(
        figure.start + delta,
        figure.end + delta,
        figure.surface,
        figure.kind,
        figure.value,
        figure.value_max,
        figure.unit,
        figure.qualifier,
        figure.value_text,
        conversion_of,
        sentence_index,
    )


@functools.lru_cache(maxsize=16)
def _chip_names(gazetteer: Gazetteer) -> tuple[str, ...]:
    """Chip names and aliases, so that the digits of "RTX 4090 D" or "H20" are never read as numbers."""
    names = {alias for chip in gazetteer.chips for alias in (chip.name, *chip.aliases)}
    return tuple(sorted(names, key=lambda name: (-len(name), name)))
