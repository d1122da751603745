"""The only writers of the archive: every row is created or changed through a function here."""

from articles.services.extraction import ExtractReport, article_extract, articles_extract, gazetteer_from_db
from articles.services.ingest import (
    CREATED,
    SKIPPED,
    UPDATED,
    ImportReport,
    IngestError,
    article_ingest,
    articles_import,
    content_hash,
)

__all__ = [
    "CREATED",
    "SKIPPED",
    "UPDATED",
    "ExtractReport",
    "ImportReport",
    "IngestError",
    "article_extract",
    "article_ingest",
    "articles_extract",
    "articles_import",
    "content_hash",
    "gazetteer_from_db",
]
