"""Tests for articles.readers: no database, only files under tmp_path."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from articles.readers import (
    MAX_FILE_BYTES,
    PRECISION_DAY,
    PRECISION_MONTH,
    PRECISION_UNKNOWN,
    PRECISION_YEAR,
    RawArticle,
    ReadError,
    find_article_files,
    parse_published,
    read_article_file,
)

REPO = Path(__file__).resolve().parents[1]
# shared/ lies beside the repository root (read-only); tests that need it skip without it.
SHARED = REPO.parent / "shared"

SAVED_PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
  <meta charset="{charset}">
  <title>Les bonnes affaires de Nvidia en Chine | Le Quotidien Tech</title>
  <link rel="canonical" href="https://www.quotidien-tech.example/2024/06/27/nvidia-chine">
  <meta property="og:site_name" content="Le Quotidien Tech">
  <meta property="article:published_time" content="2024-06-27T08:30:00+02:00">
</head>
<body>
  <header><nav>
    <a href="/">Accueil</a> | <a href="/tech">Tech</a> | <a href="/abonnement">S'abonner</a>
  </nav></header>
  <article>
    <h1>Les bonnes affaires de Nvidia en Chine</h1>
    <p>Nvidia, le fabricant américain des puces les plus avancées, est en passe de vendre quelque
    12 milliards de dollars de puces d’IA en Chine cette année, selon le Financial Times.</p>
    <p>Plus d'un million de H20 seraient livrés aux géants chinois du numérique, à un prix compris
    entre 12 000 et 13 000 dollars l'unité, d'après les analystes interrogés par le quotidien.</p>
    <p>Les ventes de la puce dépasseraient ainsi celles du Huawei 910B, sa principale concurrente.</p>
  </article>
  <aside>Lire aussi : nos autres articles sur les semi-conducteurs</aside>
  <footer>© 2024 Le Quotidien Tech. Mentions légales. Gestion des cookies.</footer>
</body>
</html>
"""


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def read_one(path: Path) -> RawArticle | ReadError:
    records = read_article_file(path)
    assert len(records) == 1, records
    return records[0]


def reason_of(path: Path) -> str:
    record = read_one(path)
    assert isinstance(record, ReadError), record
    assert record.source == str(path)
    assert "\n" not in record.reason
    return record.reason


# --- happy paths --------------------------------------------------------------------------------------


def test_json_object_is_read_and_cleaned(tmp_path):
    body = "Titre\r\n\r\nNvidia a vendu des puces à Pe\u0301kin.\r\n"
    path = write(
        tmp_path,
        "a.json",
        json.dumps(
            {
                "url": " https://example.fr/a ",
                "title": "  Un titre ",
                "publication": "",
                "published": "2023-08-09",
                "language": "en",
                "body": "\ufeff" + body,
                "notes": {"ignored": True},
            }
        ),
    )
    article = read_one(path)
    assert article == RawArticle(
        source=str(path),
        body="Titre\r\n\r\nNvidia a vendu des puces à Pékin.\r\n",
        title="Un titre",
        url="https://example.fr/a",
        publication=None,
        published=datetime.date(2023, 8, 9),
        precision=PRECISION_DAY,
        language="en",
    )


def test_json_defaults(tmp_path):
    article = read_one(write(tmp_path, "a.json", '{"body": "Un texte."}'))
    assert (article.title, article.url, article.publication) == (None, None, None)
    assert (article.published, article.precision, article.language) == (None, PRECISION_UNKNOWN, "fr")


def test_json_list_with_one_bad_item_among_good_ones(tmp_path):
    items = [{"body": "Premier."}, {"body": ""}, {"body": "Troisième.", "published": "2023"}, "texte"]
    path = write(tmp_path, "list.json", json.dumps(items))
    first, second, third, fourth = read_article_file(path)
    assert isinstance(first, RawArticle) and first.source == f"{path}[0]"
    assert second == ReadError(f"{path}[1]", "'body' is empty: it must hold the article text")
    assert third.source == f"{path}[2]" and third.precision == PRECISION_YEAR
    assert fourth == ReadError(f"{path}[3]", "this item is a string; each article must be a JSON object")


def test_seed_fixture_gives_five_records():
    records = read_article_file(REPO / "fixtures" / "seed_articles.json")
    assert len(records) == 5
    assert all(isinstance(record, RawArticle) for record in records), records
    assert [record.precision for record in records] == ["month", "month", "year", "year", "unknown"]
    assert records[3].publication == "Business AM"


@pytest.mark.skipif(not (SHARED / "gold/dev/articles").is_dir(), reason="shared/ gold articles absent")
def test_gold_dev_articles_are_all_read():
    paths = find_article_files([SHARED / "gold/dev/articles"])
    assert paths and all(isinstance(path, Path) for path in paths)
    for path in paths:
        expected = json.loads(path.read_text(encoding="utf-8"))
        [article] = read_article_file(path)
        assert isinstance(article, RawArticle), article
        assert article.body == expected["body"]
        assert (article.url, article.title) == (expected["url"], expected["title"])


@pytest.mark.skipif(not (SHARED / "seeds/METADATA.json").is_file(), reason="shared/ seeds absent")
def test_seed_txt_files_keep_their_text_and_find_their_titles():
    metadata = json.loads((SHARED / "seeds/METADATA.json").read_text(encoding="utf-8"))
    for entry in metadata["articles"]:
        path = SHARED / "seeds" / entry["file"]
        article = read_one(path)
        assert article.body == path.read_text(encoding="utf-8")
        assert article.title == entry["title"], entry["file"]


def test_txt_title_line_is_used_and_kept_in_the_body(tmp_path):
    body = "Nvidia vend ses puces H20 en Chine\n\nLe fabricant américain a reçu des commandes.\n"
    article = read_one(write(tmp_path, "a.txt", body))
    assert article.title == "Nvidia vend ses puces H20 en Chine"
    assert article.body == body
    assert (article.url, article.publication, article.published) == (None, None, None)


def test_txt_without_title_line(tmp_path):
    article = read_one(write(tmp_path, "a.txt", "Nvidia a vendu des puces.\n\nLa suite du texte.\n"))
    assert article.title is None


def test_txt_removes_bom_keeps_crlf_and_normalises(tmp_path):
    article = read_one(write(tmp_path, "a.txt", b"\xef\xbb\xbfPe\xcc\x81kin a achete\xcc\x81.\r\nSuite."))
    assert article.body == "Pékin a acheté.\r\nSuite."


def test_saved_html_page(tmp_path):
    article = read_one(write(tmp_path, "page.html", SAVED_PAGE.format(charset="utf-8")))
    assert article.title == "Les bonnes affaires de Nvidia en Chine"
    assert article.publication == "Le Quotidien Tech"
    assert article.url == "https://www.quotidien-tech.example/2024/06/27/nvidia-chine"
    assert (article.published, article.precision) == (datetime.date(2024, 6, 27), PRECISION_DAY)
    assert "12 milliards de dollars de puces d’IA" in article.body
    assert "Huawei 910B" in article.body
    for noise in ("Accueil", "S'abonner", "Mentions légales"):
        assert noise not in article.body


def test_saved_html_page_in_latin1(tmp_path):
    page = SAVED_PAGE.replace(
        '<meta charset="{charset}">',
        ('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'),
    )
    # Pages labelled Latin-1 are windows-1252 in practice: the typographic apostrophe is byte 0x92.
    article = read_one(write(tmp_path, "page.htm", page.encode("cp1252")))
    assert "américain" in article.body
    assert "puces d’IA" in article.body
    assert article.title == "Les bonnes affaires de Nvidia en Chine"


@pytest.mark.parametrize("charset", ["klingon-8", "iso-8859-1", "windows-1251"])
def test_html_in_utf8_is_read_whatever_charset_it_declares(tmp_path, charset):
    article = read_one(write(tmp_path, "page.html", SAVED_PAGE.format(charset=charset)))
    assert "américain" in article.body and "d’IA" in article.body


def test_html_without_metadata(tmp_path):
    paragraph = "Un paragraphe assez long pour être retenu comme le texte principal de cette page. "
    html = f"<html><head><title>Un titre</title></head><body><p>{paragraph * 3}</p></body></html>"
    article = read_one(write(tmp_path, "page.html", html))
    assert (article.title, article.url, article.publication) == ("Un titre", None, None)
    assert (article.published, article.precision) == (None, PRECISION_UNKNOWN)


# --- bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"title": "x"}', "missing the 'body' field"),
        ('{"body": 42}', "'body' must be a string (the article text), not a number"),
        ('{"body": " \\n\\t"}', "'body' is empty"),
        (
            '{"body": "x", "published": "hier"}',
            "'published': 'hier' is not a publication date; use 'YYYY-MM-DD'",
        ),
        ('{"body": "x", "published": "2023-02-30"}', "'2023-02-30' is not a real date"),
        ('{"body": "x", "published": 2023}', "2023 is a number, not a date string"),
        ('{"body": "x", "url": "ftp://example.fr/a"}', "'url' must be an http:// or https:// address"),
        ('{"body": "x", "url": "www.example.fr"}', "not 'www.example.fr'"),
        ('{"body": "x", "title": ["a"]}', "'title' must be a string or null, not a list"),
        (
            json.dumps({"body": "x", "title": "t" * 501}),
            "'title' is 501 characters long, over the 500-character",
        ),
        ('{"body": "x", "language": "français"}', "'language' must be a language code such as 'fr'"),
        ('{"body": "", "url": "x"}', "'body' is empty: it must hold the article text; 'url' must be"),
        ('"juste un texte"', "the JSON value is a string; expected an object or a list of objects"),
        ("[]", "the JSON list is empty"),
        ('{\n  "body": "x",\n}', "invalid JSON at line 3, column 1: Expecting property name"),
        ('{"body": "x"', "invalid JSON at line 1, column 13"),
    ],
)
def test_bad_json(tmp_path, content, expected):
    assert expected in reason_of(write(tmp_path, "bad.json", content))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.html", b"PK\x03\x04\x14\x00\x00\x00", "looks like a ZIP archive (or a .docx/.odt"),
        ("a.txt", b"\x1f\x8b\x08\x00rest", "looks like a gzip archive, not a .txt file"),
        ("a.json", b"%PDF-1.7\n...", "looks like a PDF document, not a .json file"),
        ("a.htm", b"\x89PNG\r\n\x1a\n\x00\x00", "looks like a PNG image, not a .htm page"),
        ("a.txt", b"hello\x00world", "contains a NUL byte at byte offset 5"),
        ("a.txt", "Texte".encode("utf-16"), "is UTF-16 encoded; save it again as UTF-8"),
        ("a.txt", b"abc\xe9def", "invalid UTF-8 at byte offset 3 (byte 0xe9); save the file as UTF-8"),
        ("a.json", b'\xef\xbb\xbf{"body": "\xff"}', "invalid UTF-8 at byte offset 13 (byte 0xff)"),
        ("a.txt", b"", "the article text is empty"),
        ("a.txt", b" \r\n\t\n", "the article text is empty"),
        ("a.html", b"<html><head><title>Vide</title></head><body></body></html>", "no article text found"),
        (
            "a.html",
            b'<meta charset="utf-8"><p>caf\xe9</p>',
            "its declared charset 'utf-8' does not fit either",
        ),
        (
            "a.html",
            b'<meta charset="x-klingon"><p>caf\xe9</p>',
            "its declared charset 'x-klingon' is unknown",
        ),
        ("a.html", b"<p>caf\xe9</p>", "offset 6 (byte 0xe9); save the file as UTF-8, or declare its charset"),
    ],
)
def test_bad_content(tmp_path, name, content, expected):
    assert expected in reason_of(write(tmp_path, name, content))


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024)  # sparse: no 20 MB actually written
    reason = reason_of(path)
    assert "file is 20,971,520 bytes (20.0 MB), over the 10,485,760-byte (10 MB) limit" in reason
    assert MAX_FILE_BYTES == 10 * 1024 * 1024


def test_unreadable_file(tmp_path, monkeypatch):
    path = write(tmp_path, "secret.txt", "Texte.")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    # Root ignores chmod, so the refusal is simulated where the reader opens the file.
    monkeypatch.setattr(Path, "open", refuse)
    assert "permission denied; make the file readable" in reason_of(path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_for_real(tmp_path):
    path = write(tmp_path, "secret.txt", "Texte.")
    path.chmod(0)
    assert "permission denied" in reason_of(path)


def test_unknown_suffix_and_missing_file(tmp_path):
    docx = write(tmp_path, "a.docx", "x")
    assert reason_of(docx) == "unsupported file type '.docx'; expected one of .json, .txt, .html, .htm"
    assert reason_of(tmp_path / "missing.txt") == "no such file"
    assert reason_of(tmp_path) == "is not a regular file"


# --- finding files ------------------------------------------------------------------------------------


def test_find_article_files_expands_folders(tmp_path):
    root = tmp_path / "import"
    expected = [
        write(root, "a.json", "{}"),
        write(root, "b/c/deep.txt", "x"),
        write(root, "b/page.HTML", "x"),
        write(root, "z.htm", "x"),
    ]
    write(root, ".hidden.json", "{}")
    write(root, ".git/config.json", "{}")
    write(root, "notes.md", "x")
    write(root, "b/image.png", "x")
    assert find_article_files([root]) == expected
    # A hidden folder named explicitly is still expanded, and a file is listed once.
    hidden = write(tmp_path, ".cache/d.json", "{}")
    assert find_article_files([hidden.parent, hidden]) == [hidden]


def test_find_article_files_reports_bad_paths(tmp_path):
    good = write(tmp_path, "a.txt", "x")
    explicit = write(tmp_path, "notes.md", "x")
    missing = tmp_path / "nope"
    result = find_article_files([str(missing), explicit, good])
    assert result == [
        ReadError(str(missing), "no such file or folder; check the path for typos"),
        ReadError(str(explicit), "unsupported file type '.md'; expected one of .json, .txt, .html, .htm"),
        good,
    ]


# --- dates --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-08-09", (datetime.date(2023, 8, 9), PRECISION_DAY)),
        ("2023-08", (datetime.date(2023, 8, 1), PRECISION_MONTH)),
        ("2023", (datetime.date(2023, 1, 1), PRECISION_YEAR)),
        (" 2023 ", (datetime.date(2023, 1, 1), PRECISION_YEAR)),
        ("2024-06-27T23:30:00+02:00", (datetime.date(2024, 6, 27), PRECISION_DAY)),
        ("2024-06-27 08:00:00", (datetime.date(2024, 6, 27), PRECISION_DAY)),
        ("2024-06-27T08:00:00Z", (datetime.date(2024, 6, 27), PRECISION_DAY)),
        (None, (None, PRECISION_UNKNOWN)),
        ("", (None, PRECISION_UNKNOWN)),
        (datetime.date(2022, 2, 14), (datetime.date(2022, 2, 14), PRECISION_DAY)),
    ],
)
def test_parse_published(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2023-13", "'2023-13' is not a real date"),
        ("2023-02-29", "'2023-02-29' is not a real date"),
        ("09/08/2023", "'09/08/2023' is not a publication date; use 'YYYY-MM-DD', 'YYYY-MM', 'YYYY' or null"),
        ("août 2023", "is not a publication date"),
        ("23", "is not a publication date"),
        ("2024-06-27T25:00", "is not a real date"),
        (2023, "2023 is a number, not a date string"),
        (["2023"], "is a list, not a date string"),
    ],
)
def test_parse_published_rejects(value, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_published(value)


# --- boundaries ---------------------------------------------------------------------------------------


def test_import_does_not_load_django():
    code = "import sys, articles.readers; print([m for m in ('django', 'trafilatura') if m in sys.modules])"
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
