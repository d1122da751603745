"""Read article files (.json, .txt, saved .html pages) into plain records.

Plain Python, no Django: the import command and its tests call these readers, then a service writes the
rows. Readers never raise for bad input; each problem becomes a ReadError whose one-line reason tells an
editor what is wrong with the file and how to fix it.
"""

import datetime
import json
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from articles.extraction.segmenter import looks_like_title_line

MAX_FILE_BYTES = 10 * 1024 * 1024
SUPPORTED_SUFFIXES = (".json", ".txt", ".html", ".htm")
MAX_TITLE_CHARS = 500
DEFAULT_LANGUAGE = "fr"

PRECISION_DAY, PRECISION_MONTH, PRECISION_YEAR, PRECISION_UNKNOWN = "day", "month", "year", "unknown"

_PUBLISHED_FORMS = "use 'YYYY-MM-DD', 'YYYY-MM', 'YYYY' or null"
_LANGUAGE_RE = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*")
_CHARSET_RE = re.compile(rb"""(?:<meta[^>]+charset|<\?xml[^>]+encoding)\s*=\s*["']?\s*([\w.:-]+)""", re.I)
# Browsers read pages labelled Latin-1 or ASCII as windows-1252 (WHATWG Encoding), which adds € and ’.
_CHARSET_ALIASES = dict.fromkeys(
    ("iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"), "cp1252"
)
_UTF8_BOM = b"\xef\xbb\xbf"
# C0 controls are invisible in a page, forbidden in XML 1.0 (the Atom feeds) and NUL is refused by PostgreSQL;
# vertical tab and form feed (page breaks in exported text) become line breaks, the rest is dropped.
_CONTROLS = {**dict.fromkeys([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F]), 0x0B: "\n", 0x0C: "\n"}
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# Longer integers are not a date, a count or anything an article file holds; Python refuses past 4,300 digits.
MAX_JSON_INT_DIGITS = 100
_BOILERPLATE_XPATH = "|".join(
    f"//{tag}"
    for tag in ("head", "script", "style", "noscript", "template", "nav", "header", "footer", "aside")
)
_BROKEN_LINK_REASON = "is a symbolic link to a missing file, or a loop of links; link it to the real file"
_MAGIC_NUMBERS = (
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document (.doc/.xls)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)


@dataclass(frozen=True, slots=True)
class RawArticle:
    source: str
    body: str
    title: str | None
    url: str | None
    publication: str | None
    published: datetime.date | None
    precision: str
    language: str = DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class ReadError:
    source: str
    reason: str


class _Invalid(ValueError):
    """A problem with the input; its message becomes a ReadError reason."""


def find_article_files(paths: Iterable[str | os.PathLike]) -> list[Path | ReadError]:
    """Expand files and folders into the article files to import, in a stable order."""
    found: list[Path | ReadError] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates = _walk_folder(path)
        elif not path.exists():
            reason = (
                _BROKEN_LINK_REASON
                if path.is_symlink()
                else "no such file or folder; check the path for typos"
            )
            candidates = [ReadError(str(path), reason)]
        elif not path.is_file():
            candidates = [ReadError(str(path), "is neither a regular file nor a folder")]
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            candidates = [ReadError(str(path), _unsupported_suffix_reason(path))]
        else:
            candidates = [path]
        for item in candidates:
            # The same file named twice (directly and through its folder) is imported once.
            if isinstance(item, Path):
                if item.resolve() in seen:
                    continue
                seen.add(item.resolve())
            found.append(item)
    return found


def _walk_folder(folder: Path) -> list[Path | ReadError]:
    try:
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    except OSError as exc:
        return [ReadError(str(folder), f"folder cannot be listed: {exc.strerror or exc}")]
    found: list[Path | ReadError] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        # Symlinked folders are not followed, so a link back to a parent cannot loop forever.
        if entry.is_dir() and not entry.is_symlink():
            found.extend(_walk_folder(entry))
        elif entry.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        elif entry.is_file():
            found.append(entry)
        elif entry.is_symlink() and not entry.exists():
            # Reported rather than skipped: the editor meant to import it.
            found.append(ReadError(str(entry), _BROKEN_LINK_REASON))
    return found


def _unsupported_suffix_reason(path: Path) -> str:
    suffix = path.suffix or "(none)"
    return f"unsupported file type {suffix!r}; expected one of {', '.join(SUPPORTED_SUFFIXES)}"


def read_article_file(path: Path) -> list[RawArticle | ReadError]:
    """Parse one file into one record per article (a JSON list gives several); never raises for bad input."""
    path = Path(path)
    source = str(path)
    suffix = path.suffix.lower()
    try:
        if not path.is_file():
            if path.is_symlink() and not path.exists():
                raise _Invalid(_BROKEN_LINK_REASON)
            raise _Invalid("is not a regular file" if path.exists() else "no such file")
        if suffix not in SUPPORTED_SUFFIXES:
            raise _Invalid(_unsupported_suffix_reason(path))
        data = _read_bytes(path)
        _reject_binary(data, suffix)
        if suffix == ".json":
            return _read_json(data, source)
        if suffix == ".txt":
            return [_read_txt(data, source)]
        return [_read_html(data, source)]
    except _Invalid as exc:
        return [ReadError(source, str(exc))]


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _Invalid(_too_big_reason(size))
        with path.open("rb") as handle:
            # Read one byte past the limit in case the file grew after stat().
            data = handle.read(MAX_FILE_BYTES + 1)
    except PermissionError:
        raise _Invalid("permission denied; make the file readable (chmod a+r) and import it again") from None
    except OSError as exc:
        raise _Invalid(f"file cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise _Invalid(_too_big_reason(len(data)))
    return data


def _too_big_reason(size: int) -> str:
    return (
        f"file is {size:,} bytes ({size / 2**20:.1f} MB), over the {MAX_FILE_BYTES:,}-byte "
        f"({MAX_FILE_BYTES / 2**20:.0f} MB) limit; split it into smaller files"
    )


def _reject_binary(data: bytes, suffix: str) -> None:
    kind = "page" if suffix in (".html", ".htm") else "file"
    for magic, description in _MAGIC_NUMBERS:
        if data.startswith(magic):
            raise _Invalid(f"looks like {description}, not a {suffix} {kind}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Invalid("is UTF-16 encoded; save it again as UTF-8")
    if _looks_like_bomless_utf16(data):
        raise _Invalid("looks UTF-16 encoded (no byte-order mark); save it again as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _Invalid(f"contains a NUL byte at byte offset {nul}: binary data, not a {suffix} {kind}")


def _looks_like_bomless_utf16(data: bytes) -> bool:
    """Latin text in UTF-16 has a NUL in every other byte: the even ones (big-endian) or the odd ones."""
    sample = data[:512]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return (odd.count(0) == len(odd) and even.count(0) == 0) or (
        even.count(0) == len(even) and odd.count(0) == 0
    )


def _decode_utf8(data: bytes) -> str:
    """Decode UTF-8, dropping a BOM; the error names the byte offset so the editor can find it."""
    bom = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + bom
        raise _Invalid(
            f"invalid UTF-8 at byte offset {offset} (byte 0x{data[offset]:02x}); save the file as UTF-8"
        ) from None


def _normalize(text: str) -> str:
    surrogate = _SURROGATE_RE.search(text)
    if surrogate:
        # Only a JSON escape such as "\ud800" can produce one; no database or page can store it.
        raise _Invalid(
            f"holds a lone surrogate (\\u{ord(surrogate.group()):04x}) at character {surrogate.start()}, "
            "not a real character; fix that \\u escape"
        )
    return unicodedata.normalize("NFC", text.removeprefix("\ufeff").translate(_CONTROLS))


def _check_body(body: str) -> str:
    body = _normalize(body)
    if not body.strip():
        raise _Invalid("the article text is empty")
    return body


def _clean_optional(value: str | None) -> str | None:
    """Strip surrounding whitespace; empty strings mean "not known"."""
    if value is None:
        return None
    return _normalize(value).strip() or None


def _brief(value: object, limit: int = 60) -> str:
    """A short one-line rendering of an input value for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _type_name(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number" if isinstance(value, int | float) else type(value).__name__)


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _read_json(data: bytes, source: str) -> list[RawArticle | ReadError]:
    text = _decode_utf8(data)
    try:
        document = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise _Invalid(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise _Invalid("the JSON is nested too deeply; an article is one object of a few fields") from None
    if isinstance(document, dict):
        return [_json_record(document, source)]
    if not isinstance(document, list):
        raise _Invalid(f"the JSON value is {_type_name(document)}; expected an object or a list of objects")
    if not document:
        raise _Invalid("the JSON list is empty: there is no article to import")
    return [_json_record(item, f"{source}[{index}]") for index, item in enumerate(document)]


def _json_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_JSON_INT_DIGITS:
        raise _Invalid(
            f"invalid JSON: a number has {len(digits.lstrip('-')):,} digits; is the file corrupted?"
        )
    return int(digits)


def _json_record(item: object, source: str) -> RawArticle | ReadError:
    if not isinstance(item, dict):
        return ReadError(source, f"this item is {_type_name(item)}; each article must be a JSON object")
    # Every field is checked so that the editor sees all the problems of an item at once.
    problems: list[str] = [] if "body" in item else ["missing the 'body' field (the article text)"]

    def field(check, name: str):
        try:
            return check(item.get(name))
        except _Invalid as exc:
            problems.append(f"'{name}' {exc}")
        except ValueError as exc:
            problems.append(f"'{name}': {exc}")
        return None

    body = field(_json_body, "body") if "body" in item else None
    title = field(_json_title, "title")
    url = field(_json_url, "url")
    publication = field(_json_text, "publication")
    published, precision = field(parse_published, "published") or (None, PRECISION_UNKNOWN)
    language = field(_json_language, "language")
    if problems:
        return ReadError(source, "; ".join(problems))
    return RawArticle(source, body, title, url, publication, published, precision, language)


def _json_text(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _Invalid(f"must be a string or null, not {_type_name(value)}")
    return _clean_optional(value)


def _json_body(value: object) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"must be a string (the article text), not {_type_name(value)}")
    if not value.strip():
        raise _Invalid("is empty: it must hold the article text")
    return _check_body(value)


def _json_title(value: object) -> str | None:
    title = _json_text(value)
    if title is not None and len(title) > MAX_TITLE_CHARS:
        raise _Invalid(
            f"is {len(title)} characters long, over the {MAX_TITLE_CHARS}-character limit; "
            "put only the headline there and the text in 'body'"
        )
    return title


def _json_url(value: object) -> str | None:
    url = _json_text(value)
    if url is not None and not _is_web_url(url):
        raise _Invalid(f"must be an http:// or https:// address, not {_brief(url)}")
    return url


def _json_language(value: object) -> str:
    language = _json_text(value) or DEFAULT_LANGUAGE
    if not _LANGUAGE_RE.fullmatch(language):
        raise _Invalid(f"must be a language code such as 'fr' or 'en', not {_brief(language)}")
    return language.lower()


def parse_published(value) -> tuple[datetime.date | None, str]:
    """Turn 'YYYY-MM-DD', 'YYYY-MM', 'YYYY', an ISO datetime or None into (date, precision)."""
    if value is None:
        return None, PRECISION_UNKNOWN
    if isinstance(value, datetime.datetime):
        return value.date(), PRECISION_DAY
    if isinstance(value, datetime.date):
        return value, PRECISION_DAY
    if not isinstance(value, str):
        raise ValueError(f"{_brief(value)} is {_type_name(value)}, not a date string; {_PUBLISHED_FORMS}")
    text = value.strip()
    if not text:
        return None, PRECISION_UNKNOWN
    try:
        if re.fullmatch(r"\d{4}", text):
            return datetime.date(int(text), 1, 1), PRECISION_YEAR
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return datetime.date(int(text[:4]), int(text[5:]), 1), PRECISION_MONTH
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.date.fromisoformat(text), PRECISION_DAY
        if re.match(r"\d{4}-\d{2}-\d{2}[T ]\d", text):
            # The calendar day as written, without converting to UTC: it is the date printed on the article.
            return datetime.datetime.fromisoformat(text).date(), PRECISION_DAY
    except ValueError as exc:
        raise ValueError(f"{_brief(value)} is not a real date ({exc}); {_PUBLISHED_FORMS}") from None
    raise ValueError(f"{_brief(value)} is not a publication date; {_PUBLISHED_FORMS}")


def _read_txt(data: bytes, source: str) -> RawArticle:
    body = _check_body(_decode_utf8(data))
    return RawArticle(
        source, body, _guessed_title(looks_like_title_line(body)), None, None, None, PRECISION_UNKNOWN
    )


def _guessed_title(value: str | None) -> str | None:
    """A title guessed from the text or the page; an overlong guess is dropped rather than refused."""
    title = _clean_optional(value)
    return title if title is not None and len(title) <= MAX_TITLE_CHARS else None


def _read_html(data: bytes, source: str) -> RawArticle:
    # Imported here so that reading .json and .txt files does not pay for loading trafilatura and lxml.
    import trafilatura

    html = _decode_html(data)
    if not _has_text_outside_boilerplate(html):
        raise _Invalid(
            "no article text found in this page, only menus, scripts or footers; "
            "save the article page itself, or use a .txt file"
        )
    try:
        document = trafilatura.bare_extraction(html, with_metadata=True)
    except Exception as exc:  # noqa: BLE001 - a malformed page must become a ReadError, whatever lxml raises
        raise _Invalid(f"the page could not be parsed as HTML ({type(exc).__name__}: {exc})") from None

    # trafilatura 2.x returns a Document (None for an empty page); 1.x returned a dict.
    def get(name: str):
        return document.get(name) if isinstance(document, dict) else getattr(document, name, None)

    text = get("text")
    if not text or not text.strip():
        raise _Invalid("no article text found in this page; save the article page itself, or use a .txt file")
    url = _clean_optional(get("url"))
    try:
        published, precision = parse_published(get("date"))
    except ValueError:
        # A date trafilatura guessed wrongly is not the editor's problem: import the page without one.
        published, precision = None, PRECISION_UNKNOWN
    # The language stays the default: trafilatura only fills it in with its optional language detector.
    return RawArticle(
        source=source,
        body=_check_body(text),
        title=_guessed_title(get("title")),
        url=url if url and _is_web_url(url) else None,
        publication=_clean_optional(get("sitename")),
        published=published,
        precision=precision,
    )


def _has_text_outside_boilerplate(html: str) -> bool:
    """Whether any letter or digit lies outside menus, scripts and footers.

    trafilatura's fallback returns whatever text a page has, so a page of links alone would become an
    article made of its menu.
    """
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - whatever lxml refuses, trafilatura then decides and explains
        return True
    for element in root.xpath(_BOILERPLATE_XPATH):
        element.drop_tree()
    return any(char.isalnum() for char in root.text_content())


def _decode_html(data: bytes) -> str:
    """Decode as UTF-8, else with the charset the page declares; fail with a reason when neither fits."""
    # UTF-8 comes first: legacy text almost never forms valid multi-byte UTF-8, and saved pages are often
    # re-encoded to UTF-8 while keeping their old <meta charset>.
    try:
        return _decode_utf8(data)
    except _Invalid as exc:
        utf8_error = str(exc)
    # Only the start is searched: browsers also ignore a charset declared after the first kilobytes.
    match = _CHARSET_RE.search(data[:4096])
    if match is None:
        raise _Invalid(f"{utf8_error}, or declare its charset with <meta charset>")
    declared = match.group(1).decode("ascii").lower()
    for candidate in dict.fromkeys((_CHARSET_ALIASES.get(declared, declared), declared)):
        try:
            return data.decode(candidate)
        except LookupError:
            raise _Invalid(f"{utf8_error}; its declared charset {declared!r} is unknown") from None
        except UnicodeDecodeError:
            continue
    raise _Invalid(f"{utf8_error}; its declared charset {declared!r} does not fit either")
