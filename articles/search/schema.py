"""The index schema: one document per article.

An article document carries what a query and the filters need: title and body (analyzed), publication
slug, the publication date as a sortable day ordinal (0 when unknown, so "newest first" puts unknown
dates last), and the canonical names of the companies, chips and purchase-event types as
comma-separated keywords (exact filters and facets).

Sentence hits come from the same document, without re-analysing anything at query time: the body keeps
the positions *and character offsets* of every term in its postings (`chars=True`), the body text is
stored, and `sentences` stores the (index, start, end) of each non-boilerplate sentence within it. A
hit's matching sentences are then the sentences that contain the character spans of its matched terms.
`article` (the primary key as text) is the unique key an article's document is replaced or deleted by.
"""

from array import array
from collections import defaultdict

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Format, tokens

from articles.search.analysis import FrenchTokenizer, french_analyzer, index_occurrences

ARTICLE = "a"
FACET_FIELDS = {"company": "companies", "chip": "chips", "publication": "publication", "event_type": "events"}


class CompactCharacters(Format):
    """Like Whoosh's `Characters` format (positions and character spans), stored as a flat array of
    unsigned 32-bit ints (position, startchar, endchar, ...) instead of a pickle: a phrase check or a
    highlight decodes it with one `array.frombytes` (about 10× faster than unpickling), and indexing
    encodes it with one `tobytes`. Kept in this module: the schema (with this class) is pickled into
    the index.
    """

    def word_values(self, value, analyzer, **kwargs):
        boost = self.field_boost
        if type(analyzer) is FrenchTokenizer and isinstance(value, str) and kwargs == {"mode": "index"}:
            seen = index_occurrences(value)  # the same postings, without Token objects
        else:
            seen = defaultdict(list)
            kwargs["positions"] = True
            kwargs["chars"] = True
            for t in tokens(value, analyzer, kwargs):
                seen[t.text].extend((t.pos, t.startchar, t.endchar))
        for word, flat in seen.items():
            count = len(flat) // 3
            yield word, count, count * boost, array("I", flat).tobytes()

    @staticmethod
    def _ints(valuestring) -> array:
        ints = array("I")
        ints.frombytes(valuestring)
        return ints

    def decode_frequency(self, valuestring):
        return len(valuestring) // 12

    def decode_weight(self, valuestring):
        return len(valuestring) // 12 * self.field_boost

    def decode_positions(self, valuestring):
        return self._ints(valuestring)[0::3].tolist()

    def decode_characters(self, valuestring):
        ints = self._ints(valuestring)
        return list(zip(ints[0::3], ints[1::3], ints[2::3], strict=True))

    def decode_position_boosts(self, valuestring):
        return [(pos, 1) for pos in self.decode_positions(valuestring)]

    def combine(self, vs):
        merged = sorted({triple for v in vs for triple in self.decode_characters(v)})
        return array("I", [n for triple in merged for n in triple]).tobytes()


assert array("I").itemsize == 4


def build_schema() -> Schema:
    """A new schema object (fields hold analyzer state, so each index gets its own)."""
    analyzer = french_analyzer()
    body = TEXT(analyzer=analyzer, phrase=True, chars=True, stored=True)
    body.format = CompactCharacters(field_boost=body.format.field_boost)
    return Schema(
        article=ID(stored=True, unique=True),
        kind=ID(),
        title=TEXT(analyzer=analyzer, field_boost=2.0),
        body=body,
        sentences=STORED(),
        publication=ID(),
        published=NUMERIC(int, bits=32, sortable=True, default=0),
        companies=KEYWORD(commas=True, scorable=False),
        chips=KEYWORD(commas=True, scorable=False),
        events=KEYWORD(commas=True, scorable=False),
    )
