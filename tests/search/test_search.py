"""Search behaviour on articles written for the tests: French analysis, query language, filters, facets."""

from datetime import date

import pytest

from articles.search import SearchRequest, index_articles, search

CORPUS = [
    (
        "Les géants chinois ont commandé 70 000 puces A800 de Nvidia. Le Monde a confirmé la commande.",
        {"title": "Commande géante de puces", "publication": "Le Monde", "published": date(2024, 5, 1)},
    ),
    (
        "La carte RTX 4090 D est vendue en Chine. L’interdiction de l’H20 inquiète les revendeurs.",
        {"title": "La RTX 4090 D arrive", "publication": "Les Echos", "published": date(2023, 1, 10)},
    ),
    (
        "Le H200 de Nvidia est plus rapide. Les serveurs ont été démontés à Shenzhen.",
        {"title": "Des serveurs démontés", "publication": "Le Monde", "published": date(2025, 2, 1)},
    ),
    (
        "ByTedance a acheté 10 000 puces H20 auprès de Nvidia en 2024. "
        "La transaction a été rapportée en juin.",
        {"title": "Un achat massif", "publication": "Les Echos", "published": date(2024, 9, 1)},
    ),
    (
        "Alibaba prévoit de démonter ses cartes RTX 4090 pour récupérer les puces. "
        "Tencent étudie la même idée.",
        {"title": "Des cartes graphiques recyclées", "publication": "La Tribune", "published": None},
    ),
    (
        "Le propriétaire de TikTok prépare un centre de calcul. Huawei fournit des puces Ascend 910B.",
        {"title": "Un centre de calcul", "publication": "La Tribune", "published": date(2022, 3, 3)},
    ),
]


@pytest.fixture
def corpus(make_article):
    articles = [make_article(body, **kw) for body, kw in CORPUS]
    index_articles([a.pk for a in articles])
    return articles


def found(q="", **kw):
    return [hit.article_id for hit in search(SearchRequest(q=q, **kw)).hits]


def pk(corpus, *indices):
    return {corpus[i].pk for i in indices}


def test_accents_are_folded(corpus):
    assert set(found("geants")) == set(found("géants")) == pk(corpus, 0)


def test_stemming_finds_other_forms(corpus):
    assert pk(corpus, 0, 3, 4, 5) <= set(found("puce"))
    assert set(found("démonter")) == pk(corpus, 2, 4)  # démontés, démonter
    assert set(found("commandée")) == pk(corpus, 0)


def test_stop_words_alone_find_nothing_and_say_so(corpus):
    results = search(SearchRequest(q="les de la"))
    assert results.total == 0 and results.hits == ()
    assert results.message
    assert set(found("les puces de Nvidia")) == set(found("puces Nvidia"))


def test_chip_names_stay_whole(corpus):
    assert set(found("H20")) == pk(corpus, 1, 3)
    assert set(found("H200")) == pk(corpus, 2)
    assert set(found("a800")) == set(found("A800")) == pk(corpus, 0)


def test_model_letter_written_apart_matches_as_a_phrase(corpus):
    assert set(found("RTX 4090 D")) == pk(corpus, 1)
    assert set(found('"RTX 4090 D"')) == pk(corpus, 1)
    assert set(found("rtx 4090d")) == pk(corpus, 1)
    assert set(found("RTX 4090")) == pk(corpus, 1, 4)


def test_numbers_are_joined_in_texts_and_queries(corpus):
    assert set(found("70 000")) == set(found("70000")) == pk(corpus, 0)


def test_company_names_aliases_and_typos_in_texts(corpus):
    assert pk(corpus, 3) <= set(found("bytedance"))
    # The sixth article only says "le propriétaire de TikTok": the companies field finds it.
    assert set(found("bytedance")) == pk(corpus, 3, 5)
    assert set(found("Bytedance achat")) == pk(corpus, 3)


def test_phrase_exclusion_or_and_prefix(corpus):
    assert set(found('"puces A800"')) == pk(corpus, 0)
    assert set(found('"A800 puces"')) == set()
    assert set(found("Nvidia -H200")) == pk(corpus, 0, 3)
    assert set(found("Alibaba OR Huawei")) == pk(corpus, 4, 5)
    assert set(found("(Alibaba OR Huawei) -Tencent")) == pk(corpus, 5)
    assert set(found("démont*")) == pk(corpus, 2, 4)
    assert set(found("Shenz*")) == pk(corpus, 2)


def test_field_syntax_is_plain_words(corpus):
    assert set(found("title:H20")) == set(found("title H20")) == set()
    assert set(found("commande:géante")) == pk(corpus, 0)


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced puces',
        "(Nvidia puces",
        "Nvidia)",
        "AND",
        "OR OR",
        "-",
        "*",
        "pu*",
        "<script>alert('puces')</script>",
        "puces\x00\x07\x1b[31m",
        "puces " * 1000,
        "%%%",
    ],
)
def test_malformed_input_gets_a_best_effort_search_and_a_message(corpus, q):
    results = search(SearchRequest(q=q))
    assert results.message
    for hit in results.hits:
        for sentence in hit.sentences:
            assert "<script" not in sentence.html
            assert sentence.html.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_unbalanced_quote_searches_the_words(corpus):
    results = search(SearchRequest(q='"puces A800'))
    assert results.message == "Guillemet non fermé : recherche sans la phrase exacte."
    assert {hit.article_id for hit in results.hits} == pk(corpus, 0)


def test_long_query_is_capped(corpus):
    results = search(SearchRequest(q="puces " * 1000))
    assert "300" in results.message
    assert pk(corpus, 0, 3) <= {hit.article_id for hit in results.hits}


def test_html_in_texts_is_escaped(make_article):
    article = make_article("Nvidia écrit <script>alert('x')</script> & vend des puces.")
    index_articles([article.pk])
    (hit,) = search(SearchRequest(q="puces")).hits
    html = hit.sentences[0].html
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert "<mark>puces</mark>" in html


def test_filters(corpus):
    assert set(found(companies=("ByteDance",))) == pk(corpus, 3, 5)
    assert set(found(chips=("H20",))) == pk(corpus, 1, 3)
    assert set(found(publications=("la-tribune",))) == pk(corpus, 4, 5)
    assert set(found(event_types=("dismantling",))) == pk(corpus, 2, 4)
    assert set(found(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))) == pk(corpus, 0, 3)
    assert set(found(date_to=date(2023, 12, 31))) == pk(corpus, 1, 5)
    assert set(found("puces", companies=("Nvidia",), publications=("les-echos",))) == pk(corpus, 3)
    assert set(found(companies=("Nvidia", "Alibaba"))) == pk(corpus, 0, 2, 3, 4)


def test_facets_count_every_match(corpus):
    results = search(SearchRequest(q="puces", per_page=1))
    assert results.total == 4 and len(results.hits) == 1
    assert dict(results.facets["company"]) == {
        "Nvidia": 2, "ByteDance": 2, "Alibaba": 1, "Tencent": 1, "Huawei": 1,
    }  # fmt: skip
    assert results.facets["company"][0][1] == 2
    assert dict(results.facets["publication"]) == {"la-tribune": 2, "le-monde": 1, "les-echos": 1}
    assert dict(results.facets["event_type"]) == {"order": 1, "purchase": 1, "dismantling": 1}
    assert dict(results.facets["chip"])["H20"] == 1
    filtered = search(SearchRequest(q="puces", publications=("la-tribune",)))
    assert filtered.total == 2 and dict(filtered.facets["publication"]) == {"la-tribune": 2}


def test_empty_query_lists_newest_first_unknown_dates_last(corpus):
    assert found() == [corpus[i].pk for i in (2, 3, 0, 1, 5, 4)]
    assert found(publications=("la-tribune",)) == [corpus[5].pk, corpus[4].pk]


def test_sort_by_date_and_pagination(corpus):
    assert found("puces", sort="date") == [corpus[i].pk for i in (3, 0, 5, 4)]
    pages = [found("puces", sort="date", page=n, per_page=3) for n in (1, 2, 3)]
    assert pages == [[corpus[i].pk for i in (3, 0, 5)], [corpus[4].pk], []]
    relevance = found("puces")
    assert sorted(relevance) == sorted(pk(corpus, 0, 3, 4, 5))
    assert found("puces", per_page=2, page=2) == relevance[2:]


def test_highlights_show_the_words_as_written(corpus):
    (hit,) = search(SearchRequest(q="puce A800")).hits
    assert hit.sentences[0].index == 0
    assert hit.sentences[0].html == (
        "Les géants chinois ont commandé 70 000 <mark>puces</mark> <mark>A800</mark> de Nvidia."
    )
    (hit,) = search(SearchRequest(q="geants 70 000")).hits
    assert "<mark>géants</mark>" in hit.sentences[0].html and "<mark>70 000</mark>" in hit.sentences[0].html


def test_up_to_three_sentences_best_first_with_their_index(make_article):
    body = (
        "Nvidia vend des puces. Le marché est calme. Les puces H20 de Nvidia partent vite. "
        "Rien à signaler ici. Une dernière phrase sur les puces. Encore une puce vendue par Nvidia."
    )
    article = make_article(body)
    index_articles([article.pk])
    (hit,) = search(SearchRequest(q="puces Nvidia")).hits
    assert len(hit.sentences) == 3
    texts = {s.index: s.text for s in article.sentences.all()}
    for sentence in hit.sentences:
        assert sentence.text == texts[sentence.index]
    assert {s.index for s in hit.sentences} == {0, 2, 5}
    assert all("<mark>" in s.html for s in hit.sentences)


def test_suggestions_for_misspelt_names(corpus):
    assert search(SearchRequest(q="Nvidea puces")).suggestion == "Nvidia puces"
    assert search(SearchRequest(q="Bytdance")).suggestion == "ByteDance"
    assert search(SearchRequest(q="puces Nvidia")).suggestion is None
    assert search(SearchRequest(q="démonter")).suggestion is None
