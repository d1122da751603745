"""How a reader cites a figure: the quoted sentence, its source, and links back to it.

Plain functions so the text-fragment rules can be tested without a database.
"""

from urllib.parse import quote

# A text fragment names the words to highlight on the original page. Long sentences are named by their
# first and last words only: the page's punctuation or spacing may differ from ours in the middle.
FRAGMENT_WHOLE_MAX_CHARS = 120
FRAGMENT_EDGE_WORDS = 5


def _fragment_part(text: str) -> str:
    # "-", "," and "&" are syntax inside #:~:text=, so they must be percent-encoded too.
    return quote(text, safe="")


def text_fragment_url(source_url: str, sentence: str) -> str:
    """The original page's URL that scrolls to and highlights the sentence (#:~:text=…), or ""."""
    if not source_url or not source_url.startswith(("http://", "https://")):
        return ""
    words = sentence.split()
    if not words:
        return source_url
    base = source_url.split("#", 1)[0]
    if len(sentence) <= FRAGMENT_WHOLE_MAX_CHARS or len(words) <= 2 * FRAGMENT_EDGE_WORDS:
        directive = _fragment_part(" ".join(words))
    else:
        start = " ".join(words[:FRAGMENT_EDGE_WORDS])
        end = " ".join(words[-FRAGMENT_EDGE_WORDS:])
        directive = f"{_fragment_part(start)},{_fragment_part(end)}"
    return f"{base}#:~:text={directive}"


def citation_text(*, sentence: str, publication: str, date: str, title: str, permalink: str) -> str:
    """One paragraph a journalist can paste: « sentence » (Publication, date, "title"), permalink."""
    source = ", ".join(part for part in (publication, date) if part)
    quoted_title = f"« {title} »" if title else ""
    reference = ", ".join(part for part in (source, quoted_title) if part)
    return f"« {sentence.strip()} » ({reference}) — {permalink}"
