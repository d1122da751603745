"""Ingest: articles from files into rows, with their sentences.

Ingest is idempotent: an article is recognised by its source URL, else by a hash of its text, so importing
the same file twice updates instead of duplicating, and an unchanged re-import writes nothing.
"""

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from os import PathLike

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from articles.extraction import segment
from articles.models import Article, DatePrecision, Figure, Publication, PurchaseEvent, Sentence
from articles.readers import RawArticle, ReadError, find_article_files, read_article_file
from articles.services.extraction import Context as ExtractionContext
from articles.services.extraction import article_extract

logger = logging.getLogger(__name__)

SLUG_MAX_LENGTH = 80
DERIVED_TITLE_LENGTH = 90

CREATED, UPDATED, SKIPPED = "created", "updated", "skipped"


class IngestError(Exception):
    """An article that cannot be written as given; the message says why, in one line."""


@dataclass
class ImportReport:
    """What one import did, file by file: counts for the summary and one line per problem."""

    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[ReadError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def fail(self, source: str, reason: str) -> None:
        self.failed += 1
        self.failures.append(ReadError(source=source, reason=reason))

    @property
    def summary(self) -> str:
        return f"created {self.created}, updated {self.updated}, skipped {self.skipped}, failed {self.failed}"


def content_hash(body: str) -> str:
    """Hash of the text with whitespace folded: a copy differing only in line endings is the same text."""
    return hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()


def articles_import(
    *,
    paths: Iterable[str | PathLike],
    progress: Callable[[list], Iterator] | None = None,
) -> ImportReport:
    """Import article files and folders; each article is written in its own transaction."""
    report = ImportReport()
    context = ExtractionContext.load()
    files = find_article_files(paths)
    for item in progress(files) if progress else files:
        if isinstance(item, ReadError):
            report.fail(item.source, item.reason)
            continue
        for record in read_article_file(item):
            if isinstance(record, ReadError):
                report.fail(record.source, record.reason)
                continue
            try:
                article, outcome, notice = article_ingest_raw(record)
            except IngestError as error:
                report.fail(record.source, str(error))
                continue
            report.count(outcome)
            if notice:
                report.notices.append(f"{record.source}: {notice}")
            if outcome != SKIPPED or article.extracted_at is None:
                extract_after_import(article, context, report, source=record.source)
    return report


def extract_after_import(article: Article, context: ExtractionContext, report: ImportReport, *, source: str):
    """Extraction is a separate step: if it fails, the article stays imported and the report says so."""
    try:
        article_extract(article, context=context)
    except Exception as error:  # a pipeline bug must not lose the import; it is logged with its traceback
        logger.exception("extraction failed for %s", article.slug)
        report.notices.append(f"{source}: imported, but extraction failed ({error}); rerun extract_articles")


def article_ingest_raw(record: RawArticle) -> tuple[Article, str, str]:
    """Ingest one record read from a file."""
    return article_ingest(
        body=record.body,
        title=record.title,
        url=record.url,
        publication=record.publication,
        published=record.published,
        precision=record.precision,
        language=record.language,
    )


def article_ingest(
    *,
    body: str,
    title: str | None = None,
    url: str | None = None,
    publication: str | None = None,
    published: date | None = None,
    precision: str = DatePrecision.UNKNOWN,
    language: str = "fr",
) -> tuple[Article, str, str]:
    """Create or update one article and its sentences; return it, the outcome and a notice (or "")."""
    if not body or not body.strip():
        raise IngestError("the article has no text")
    if (published is None) != (precision == DatePrecision.UNKNOWN):
        raise IngestError(f"publication date {published!r} does not match its precision {precision!r}")
    digest = content_hash(body)
    incoming = {
        "title": title,
        "source_url": url,
        "publication": publication,
        "published_on": published,
        "date_precision": precision if published else None,
        "language": language or "fr",
    }
    try:
        return article_write(body=body, digest=digest, fields=incoming)
    except IntegrityError:
        # Another process inserted the same URL, text or slug between our look-up and our insert; on the
        # second try the look-up finds its row and this becomes an update.
        try:
            return article_write(body=body, digest=digest, fields=incoming)
        except IntegrityError as error:
            raise IngestError(
                f"another import wrote this article at the same time ({error}); retry"
            ) from error


def article_write(*, body: str, digest: str, fields: dict) -> tuple[Article, str, str]:
    """Find the article by URL, else by text, and create or update it in one transaction."""
    url = fields["source_url"]
    with transaction.atomic():
        existing = Article.objects.select_for_update().filter(source_url=url).first() if url else None
        if existing is None:
            existing = Article.objects.select_for_update().filter(content_hash=digest).first()
            if existing is not None and url and existing.source_url and existing.source_url != url:
                notice = f"same text as article '{existing.slug}' ({existing.source_url}); first source kept"
                return existing, SKIPPED, notice
        fields = {**fields, "publication": publication_for(fields["publication"])}
        if existing is None:
            return article_create(body=body, digest=digest, fields=fields), CREATED, ""
        changed = article_update(existing, body=body, digest=digest, fields=fields)
        return existing, (UPDATED if changed else SKIPPED), ""


def article_create(*, body: str, digest: str, fields: dict) -> Article:
    segments = segment(body, title=fields["title"])
    title = fields["title"]
    article = Article(
        title=title or derived_title(segments),
        title_is_derived=not title,
        source_url=fields["source_url"],
        publication=fields["publication"],
        published_on=fields["published_on"],
        date_precision=fields["date_precision"] or DatePrecision.UNKNOWN,
        language=fields["language"],
        body=body,
        content_hash=digest,
    )
    article.slug = unique_slug(article.title)
    validate(article)
    article.save()
    sentences_replace(article, segments)
    return article


def article_update(article: Article, *, body: str, digest: str, fields: dict) -> bool:
    """Apply what a re-import brings, except fields an editor corrected; return whether anything changed."""
    changed = []
    for name, value in fields.items():
        if value is None or name in article.editor_locked_fields:
            continue
        if name == "title" and article.title == value:
            continue
        if getattr(article, name) != value:
            setattr(article, name, value)
            changed.append(name)
    if "title" in changed:
        article.title_is_derived = False
    body_changed = article.body != body
    if body_changed:
        if Article.objects.filter(content_hash=digest).exclude(pk=article.pk).exists():
            raise IngestError("this text is already archived under another article; the update was refused")
        article.body, article.content_hash = body, digest
        changed.append("body")
    if not changed:
        return False
    validate(article)
    if body_changed:
        machine_work_discard(article)
        sentences_replace(article, segment(body, title=article.title))
    article.save()
    return True


def machine_work_discard(article: Article) -> None:
    """Before a new text replaces the old, drop what the machine read from it; refuse if editors worked."""
    items = [*Figure.objects.filter(article=article), *PurchaseEvent.objects.filter(article=article)]
    if any(item.is_editorial for item in items):
        raise IngestError(
            "the text changed but editors have reviewed figures or events of this article; "
            "the update was refused so their work is kept"
        )
    PurchaseEvent.objects.filter(article=article).delete()
    Figure.objects.filter(article=article).delete()


def sentences_replace(article: Article, segments) -> None:
    article.sentences.all().delete()
    Sentence.objects.bulk_create(
        Sentence(article=article, index=s.index, start=s.start, end=s.end, text=s.text, kind=s.kind)
        for s in segments
    )


def publication_for(name: str | None) -> Publication | None:
    """The publication of that name, created on first sight (names are matched case-insensitively)."""
    if not name:
        return None
    name = " ".join(name.split())[:200]
    found = Publication.objects.filter(name__iexact=name).first()
    if found:
        return found
    publication = Publication(name=name, slug=unique_slug(name, model=Publication))
    validate(publication)
    publication.save()
    return publication


def derived_title(segments) -> str:
    """A readable title for a source that gave none: its first sentence, cut at a word boundary."""
    first = next((s.text for s in segments if s.kind in ("sentence", "heading", "bullet")), "")
    first = " ".join(first.split()) or "Article sans titre"
    if len(first) <= DERIVED_TITLE_LENGTH:
        return first
    cut = first[:DERIVED_TITLE_LENGTH].rsplit(" ", 1)[0].rstrip(",;:–- ")
    return f"{cut}…"


def unique_slug(text: str, *, model=Article) -> str:
    base = slugify(text)[:SLUG_MAX_LENGTH].strip("-") or "article"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def validate(instance) -> None:
    """Run the model's field validation, turning Django's message into a one-line IngestError."""
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items())
        raise IngestError(f"invalid article data ({problems})") from error
