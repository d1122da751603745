"""The fused FrenchTokenizer must produce exactly what the reference filter chain produces."""

import pytest

from articles.search.analysis import french_analyzer, french_filter_chain, index_occurrences
from articles.search.schema import build_schema
from tests.search.test_search import CORPUS

TEXTS = [body for body, _ in CORPUS] + [
    "Les géants chinois ont commandé 70 000 puces A800 de Nvidia, d’une valeur de 3,5 milliards.",
    "La RTX 4090 D, la RTX4090 Ti et la 4090D ; l'H20 n'est pas l'H200. L'été 2023, 10\u202f000 unités.",
    "ByTedance, Tencent et GB200 : les commandées, les commandes, démontés, université, où, ou.",
    "",
    "les de la",
]


def tokens(analyzer, text, **kwargs):
    return [
        (t.text, t.pos, t.startchar, t.endchar, t.stopped)
        for t in analyzer(text, positions=True, chars=True, **kwargs)
    ]


@pytest.mark.parametrize("mode", ["index", "query"])
@pytest.mark.parametrize("removestops", [True, False])
def test_fused_tokenizer_matches_the_filter_chain(mode, removestops):
    fused, chain = french_analyzer(), french_filter_chain()
    for text in TEXTS:
        assert tokens(fused, text, mode=mode, removestops=removestops) == tokens(
            chain, text, mode=mode, removestops=removestops
        )


def test_index_fast_path_gives_the_postings_of_the_token_path():
    """CompactCharacters indexes through `index_occurrences`; the generic token path must agree."""
    analyzer = french_analyzer()
    fmt = build_schema()["body"].format
    for text in TEXTS:
        fast = sorted(fmt.word_values(text, analyzer, mode="index"))
        slow = sorted(fmt.word_values(text, french_filter_chain(), mode="index"))  # not the fused class
        assert fast == slow, text
        occurrences = index_occurrences(text)
        assert sorted(occurrences) == [word for word, *_ in fast]
