"""Malformed and hostile files through the import_articles command: one clear line each, nothing written.

The files are built in tmp_path by each test; no binary corpus is committed. Reader-level messages that
tests/test_readers.py already pins are only checked here end to end (exit status, exact error line, counts).
"""

import gzip
import io
import json
import os
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article, Publication, Sentence
from articles.readers import MAX_FILE_BYTES
from articles.services import article_ingest

pytestmark = pytest.mark.django_db

GOOD_TEXT = "Tencent a commandé 2 000 puces H20 à Nvidia. Le montant atteint 30 millions de dollars."
UTF8_HINT = "save the file as UTF-8"
DATE_FORMS = "use 'YYYY-MM-DD', 'YYYY-MM', 'YYYY' or null"
NO_PAGE_TEXT = (
    "no article text found in this page, only menus, scripts or footers; "
    "save the article page itself, or use a .txt file"
)
BROKEN_LINK = "is a symbolic link to a missing file, or a loop of links; link it to the real file"


@pytest.fixture(autouse=True)
def existing_article():
    """One article already archived, so that "nothing written" means the counts did not move."""
    article, _, _ = article_ingest(body="Baidu achète des puces A800.", title="Déjà là")
    return article


def counts() -> tuple[int, int, int]:
    return Article.objects.count(), Sentence.objects.count(), Publication.objects.count()


def run_import(*paths) -> tuple[int, str, list[str]]:
    """Run the command as an editor would; return (exit status, summary line, error lines)."""
    out, err = StringIO(), StringIO()
    status = 0
    try:
        call_command("import_articles", *map(str, paths), "--no-progress", stdout=out, stderr=err)
    except SystemExit as exit_:
        status = exit_.code
    errors = [line for line in err.getvalue().splitlines() if line.startswith("error: ")]
    return status, out.getvalue().strip(), errors


def zip_bytes(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"

# (file name, content, exact reason). Each file alone must fail with exactly that line and write nothing.
BAD_FILES = [
    (
        "latin1.txt",
        "Alibaba a acheté des puces.".encode("latin-1"),
        f"invalid UTF-8 at byte offset 15 (byte 0xe9); {UTF8_HINT}",
    ),
    (
        "cp1252.json",
        '{"body": "l’IA"}'.encode("cp1252"),
        f"invalid UTF-8 at byte offset 11 (byte 0x92); {UTF8_HINT}",
    ),
    (
        "utf16le.txt",
        GOOD_TEXT.encode("utf-16-le"),
        "looks UTF-16 encoded (no byte-order mark); save it again as UTF-8",
    ),
    (
        "utf16be.json",
        json_bytes({"body": GOOD_TEXT}).decode().encode("utf-16-be"),
        "looks UTF-16 encoded (no byte-order mark); save it again as UTF-8",
    ),
    ("invalid.txt", b"Huawei \xc3\x28 Ascend", f"invalid UTF-8 at byte offset 7 (byte 0xc3); {UTF8_HINT}"),
    (
        "truncated.json",
        json_bytes({"title": "T", "body": GOOD_TEXT})[:-9],
        "invalid JSON at line 1, column 24: Unterminated string starting at",
    ),
    ("number.json", b"42", "the JSON value is a number; expected an object or a list of objects"),
    ("null.json", b"null", "the JSON value is null; expected an object or a list of objects"),
    (
        "nobody.json",
        json_bytes({"title": "Sans texte", "url": "https://exemple.fr/a"}),
        "missing the 'body' field (the article text)",
    ),
    (
        "bodylist.json",
        json_bytes({"body": ["Tencent", "achète"]}),
        "'body' must be a string (the article text), not a list",
    ),
    (
        "bodyobject.json",
        json_bytes({"body": {"text": GOOD_TEXT}}),
        "'body' must be a string (the article text), not an object",
    ),
    (
        "baddate.json",
        json_bytes({"body": GOOD_TEXT, "published": "2023-13-45"}),
        f"'published': '2023-13-45' is not a real date (month must be in 1..12); {DATE_FORMS}",
    ),
    (
        "deep.json",
        b"[" * 50_000 + b"]" * 50_000,
        "the JSON is nested too deeply; an article is one object of a few fields",
    ),
    (
        "bigint.json",
        b'{"body": "x", "title": ' + b"9" * 5000 + b"}",
        "invalid JSON: a number has 5,000 digits; is the file corrupted?",
    ),
    (
        "surrogate.json",
        b'{"body": "H20 \\ud800 puces"}',
        "'body' holds a lone surrogate (\\ud800) at character 4, not a real character; fix that \\u escape",
    ),
    (
        "scripts.html",
        b"<html><head><script>var t = 'Nvidia vend 1 000 puces';</script></head><body>"
        b"<nav><a href='/'>Accueil</a> <a href='/tech'>Tech</a></nav><script>alert(1)</script>"
        b"<footer>Mentions l\xc3\xa9gales</footer></body></html>",
        NO_PAGE_TEXT,
    ),
    ("empty.txt", b"", "the article text is empty"),
    ("empty.json", b"", "invalid JSON at line 1, column 1: Expecting value"),
    (
        "empty.html",
        b"",
        "no article text found in this page; save the article page itself, or use a .txt file",
    ),
    (
        "archive.html",
        zip_bytes("article.html", b"<p>Texte</p>"),
        "looks like a ZIP archive (or a .docx/.odt document), not a .html page",
    ),
    (
        "bomb.html",
        zip_bytes("zeros.bin", bytes(64 * 2**20)),
        "looks like a ZIP archive (or a .docx/.odt document), not a .html page",
    ),
    ("article.txt", gzip.compress(GOOD_TEXT.encode()), "looks like a gzip archive, not a .txt file"),
    ("image.txt", PNG_HEADER, "looks like a PNG image, not a .txt file"),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_malformed_file_fails_with_its_reason_and_writes_nothing(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    before = counts()
    status, summary, errors = run_import(path)
    assert status == 1
    assert summary == "created 0, updated 0, skipped 0, failed 1"
    assert len(errors) == 1
    assert errors == [f"error: {path}: {reason}"]
    assert counts() == before


def test_zip_bomb_is_refused_without_being_inflated(tmp_path):
    path = tmp_path / "bomb.html"
    path.write_bytes(zip_bytes("zeros.bin", bytes(64 * 2**20)))
    # The refusal must come from the first bytes: the 64 MB inside are never unpacked.
    assert path.stat().st_size < 200_000
    status, _, errors = run_import(path)
    assert status == 1 and "looks like a ZIP archive" in errors[0]


def test_json_list_of_strings_names_each_item(tmp_path):
    path = tmp_path / "strings.json"
    path.write_text('["Tencent achète", "Baidu achète"]', encoding="utf-8")
    before = counts()
    status, summary, errors = run_import(path)
    assert (status, summary) == (1, "created 0, updated 0, skipped 0, failed 2")
    assert errors == [
        f"error: {path}[{n}]: this item is a string; each article must be a JSON object" for n in (0, 1)
    ]
    assert counts() == before


def test_huge_html_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.html"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is really written to disk
    before = counts()
    status, _, errors = run_import(path)
    assert status == 1
    assert errors == [
        f"error: {path}: file is 10,485,761 bytes (10.0 MB), over the 10,485,760-byte (10 MB) limit; "
        "split it into smaller files"
    ]
    assert counts() == before


def test_file_names_with_spaces_and_unicode(tmp_path):
    good = tmp_path / "Pékin achète — H20 ✓.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    bad = tmp_path / "brouillon n°2 (copie).json"
    bad.write_text('{"body": ', encoding="utf-8")
    status, summary, errors = run_import(good, bad)
    assert (status, summary) == (1, "created 1, updated 0, skipped 0, failed 1")
    assert errors == [f"error: {bad}: invalid JSON at line 1, column 10: Expecting value"]
    assert Article.objects.filter(body=GOOD_TEXT).exists()


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_symlink_loops_are_reported_and_never_followed(tmp_path):
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "loop-a.txt").symlink_to("loop-b.txt")
    (folder / "loop-b.txt").symlink_to("loop-a.txt")
    (folder / "parent").symlink_to("..")  # a folder link back up: walking it would never end
    status, summary, errors = run_import(folder)
    assert (status, summary) == (1, "created 1, updated 0, skipped 0, failed 2")
    assert errors == [f"error: {folder / name}: {BROKEN_LINK}" for name in ("loop-a.txt", "loop-b.txt")]
    # Named directly, the loop gets the same reason instead of "no such file".
    status, _, errors = run_import(folder / "loop-a.txt")
    assert (status, errors) == (1, [f"error: {folder / 'loop-a.txt'}: {BROKEN_LINK}"])


def test_folder_with_one_good_file_among_bad_ones(tmp_path):
    folder = tmp_path / "lot"
    for name, content, _ in BAD_FILES:
        if name not in ("bomb.html", "deep.json"):  # the slow ones have their own tests
            (folder / "bad" / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / "bad" / name).write_bytes(content)
    (folder / "good.json").write_text(
        json.dumps(
            {"title": "Bon", "url": "https://exemple.fr/bon", "published": "2024-05", "body": GOOD_TEXT}
        ),
        encoding="utf-8",
    )
    (folder / "notes.md").write_text("ignored: not an article file", encoding="utf-8")
    before_articles, before_sentences, _ = counts()
    status, summary, errors = run_import(folder)
    failed = len(BAD_FILES) - 2
    assert (status, summary) == (1, f"created 1, updated 0, skipped 0, failed {failed}")
    assert len(errors) == failed
    good = Article.objects.get(source_url="https://exemple.fr/bon")
    assert good.title == "Bon" and good.sentences.count() == 2
    assert Article.objects.count() == before_articles + 1
    assert Sentence.objects.count() == before_sentences + 2


def test_control_characters_are_dropped_not_stored(tmp_path):
    path = tmp_path / "controls.json"
    path.write_text(
        json.dumps(
            {"title": "Titre\u0000 \u001b[31mrouge", "body": "Tencent\u0007 achète\u000cdes puces.\u0001"}
        ),
        encoding="utf-8",
    )
    status, summary, errors = run_import(path)
    assert (status, summary, errors) == (0, "created 1, updated 0, skipped 0, failed 0", [])
    article = Article.objects.get(title="Titre [31mrouge")
    assert article.body == "Tencent achète\ndes puces."
    assert not any(ord(char) < 32 and char not in "\n\r\t" for char in article.body + article.title)
