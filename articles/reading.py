"""Turn an article's sentences back into the blocks a reader sees: title, headings, paragraphs, lists.

The body keeps its original line breaks; sentences that stand on the same line form one paragraph, so the
page reads like the source while each sentence stays its own addressable element.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from articles.models import Figure, SentenceKind


@dataclass
class Block:
    kind: str  # "title", "heading", "paragraph", "list", "boilerplate"
    sentences: list = field(default_factory=list)


BLOCK_OF_KIND = {
    SentenceKind.TITLE: "title",
    SentenceKind.HEADING: "heading",
    SentenceKind.SENTENCE: "paragraph",
    SentenceKind.BULLET: "list",
    SentenceKind.BOILERPLATE: "boilerplate",
}
# Kinds whose consecutive sentences share one block even across line breaks (list items, leftovers).
GROUPED_ACROSS_LINES = {"list", "boilerplate"}


def article_blocks(body: str, sentences, figures=()) -> list[Block]:
    """Group sentences (in order) into display blocks; each sentence gets its `fragments` for display."""
    by_sentence = defaultdict(list)
    for figure in figures:
        by_sentence[figure.sentence_id].append(figure)
    blocks: list[Block] = []
    previous_end = None
    for sentence in sentences:
        sentence.fragments = sentence_fragments(sentence, by_sentence.get(sentence.pk, ()))
        block_kind = BLOCK_OF_KIND.get(sentence.kind, "paragraph")
        same_line = previous_end is not None and "\n" not in body[previous_end : sentence.start]
        current = blocks[-1] if blocks else None
        joins = (
            current is not None
            and current.kind == block_kind
            and (same_line or block_kind in GROUPED_ACROSS_LINES)
        )
        if joins and block_kind not in ("title", "heading"):
            current.sentences.append(sentence)
        else:
            blocks.append(Block(kind=block_kind, sentences=[sentence]))
        previous_end = sentence.end
    return blocks


@dataclass(frozen=True)
class Fragment:
    """A piece of a sentence's text, and the figure it states if any.

    An anchor is an empty fragment for a figure that is not marked in the text (a date, a multiplier, or a
    figure overlapping another): links to it from other pages must still land on its sentence.
    """

    text: str
    figure: object | None = None
    anchor: bool = False


def sentence_fragments(sentence, figures) -> list[Fragment]:
    """Cut a sentence's text around its marked figures (body offsets); the others become anchors."""
    fragments, anchors, cursor = [], [], sentence.start
    for figure in sorted(figures, key=lambda f: (f.char_start, -f.char_end)):
        overlaps = figure.char_start < cursor or figure.char_end > sentence.end
        if overlaps or figure.kind not in Figure.CORE_KINDS:
            anchors.append(Fragment("", figure, anchor=True))
            continue
        if figure.char_start > cursor:
            fragments.append(
                Fragment(sentence.text[cursor - sentence.start : figure.char_start - sentence.start])
            )
        piece = sentence.text[figure.char_start - sentence.start : figure.char_end - sentence.start]
        fragments.append(Fragment(piece, figure))
        cursor = figure.char_end
    if cursor < sentence.end:
        fragments.append(Fragment(sentence.text[cursor - sentence.start :]))
    return anchors + fragments
