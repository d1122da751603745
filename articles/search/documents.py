"""The one place that decides what is indexed: an article becomes one document, whose stored
`sentences` locate its non-boilerplate sentences inside its stored body (see schema.py).

`make_documents()` is plain data in, plain dicts out (the benchmark uses it without Django);
`article_documents()` and `iter_documents()` read the database (imports of Django models stay inside them).
"""

from collections.abc import Iterable, Iterator
from datetime import date

from articles.search.schema import ARTICLE

BATCH = 500


def make_documents(
    *,
    article_id: int,
    title: str,
    body: str,
    publication: str = "",
    published: date | None = None,
    companies: Iterable[str] = (),
    chips: Iterable[str] = (),
    event_types: Iterable[str] = (),
    sentences: Iterable[tuple[int, str]] = (),
) -> list[dict]:
    """The index documents of one article (a list of one dict).

    Each (index, text) sentence is located in the body, in order; a sentence the body does not contain
    as written (a title kept as sentence 0, say) is appended to the indexed and stored body text, so it
    is searchable and can be shown. `sentences` stores (index, start, end) triples, sorted by start.
    """
    key = str(article_id)
    text = body or ""
    located, extra, cursor = [], [], 0
    for index, sentence in sentences:
        if not sentence:
            continue
        start = text.find(sentence, cursor)
        if start == -1:
            start = text.find(sentence)
        if start == -1:
            extra.append((index, sentence))
            continue
        located.append((index, start, start + len(sentence)))
        cursor = start + len(sentence)
    for index, sentence in extra:
        text += "\n\n"
        located.append((index, len(text), len(text) + len(sentence)))
        text += sentence
    located.sort(key=lambda triple: triple[1])
    return [
        {
            "article": key,
            "kind": ARTICLE,
            "title": title or "",
            "body": text,
            "sentences": tuple(located),
            "publication": publication or "",
            "published": published.toordinal() if published else 0,
            "companies": ",".join(sorted(set(companies))),
            "chips": ",".join(sorted(set(chips))),
            "events": ",".join(sorted(set(event_types))),
        }
    ]


def article_documents(article) -> list[dict]:
    """Index documents of an Article (use `iter_documents` for many: it prefetches)."""
    from articles.models import Mention, SentenceKind

    mentions = list(article.mentions.all())
    return make_documents(
        article_id=article.pk,
        title=article.title,
        body=article.body,
        publication=article.publication.slug if article.publication else "",
        published=article.published_on,
        companies=[m.name for m in mentions if m.kind == Mention.Kind.COMPANY],
        chips=[m.name for m in mentions if m.kind == Mention.Kind.CHIP],
        event_types=[event.type for event in article.events.all() if event.review_status != "rejected"],
        sentences=[(s.index, s.text) for s in article.sentences.all() if s.kind != SentenceKind.BOILERPLATE],
    )


def iter_documents(article_ids: Iterable[int]) -> Iterator[tuple[int, list[dict] | None]]:
    """(id, documents) for each id, in batches; documents is None when the article no longer exists."""
    from articles.models import Article

    ids = list(article_ids)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        articles = (
            Article.objects.filter(pk__in=chunk)
            .select_related("publication")
            .prefetch_related("sentences", "mentions", "events")
            .in_bulk()
        )
        for pk in chunk:
            article = articles.get(pk)
            yield pk, (article_documents(article) if article is not None else None)
