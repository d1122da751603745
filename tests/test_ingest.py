"""Ingest through the service and the import_articles command, on a real database."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from articles.models import Article, DatePrecision, Figure, Publication, ReviewStatus, Sentence
from articles.services import IngestError, article_ingest, articles_import, content_hash
from tests.conftest import SEED_FILE

pytestmark = pytest.mark.django_db

BODY = "Titre de test\n\nByteDance a commandé 1.600 puces H20. Le montant atteint 13,7 millions de dollars."


def run_import(*paths, **options):
    """Run the command as a user would; return (exit status, stdout, stderr)."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    status = 0
    try:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=err, **options)
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue(), err.getvalue()


def write_json(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_ingest_creates_article_with_sentences_and_publication():
    article, outcome, _ = article_ingest(
        body=BODY,
        title="Titre de test",
        url="https://exemple.fr/a",
        publication="Le Monde",
        published=date(2024, 5, 1),
        precision=DatePrecision.MONTH,
    )
    assert outcome == "created"
    assert article.slug == "titre-de-test"
    assert article.publication.name == "Le Monde"
    assert article.content_hash == content_hash(BODY)
    texts = list(article.sentences.values_list("kind", "text"))
    assert texts == [
        ("title", "Titre de test"),
        ("sentence", "ByteDance a commandé 1.600 puces H20."),
        ("sentence", "Le montant atteint 13,7 millions de dollars."),
    ]
    for sentence in article.sentences.all():
        assert BODY[sentence.start : sentence.end] == sentence.text


def test_same_url_or_same_text_updates_instead_of_duplicating():
    article_ingest(body=BODY, url="https://exemple.fr/a")
    _, outcome, _ = article_ingest(body=BODY, url="https://exemple.fr/a")
    assert outcome == "skipped"
    _, outcome, _ = article_ingest(body=BODY)  # same text, no URL
    assert outcome == "skipped"
    article, outcome, _ = article_ingest(body=BODY + " Une phrase de plus.", url="https://exemple.fr/a")
    assert outcome == "updated"
    assert Article.objects.count() == 1
    assert article.sentences.count() == 4
    assert article.sentences.last().text == "Une phrase de plus."


def test_same_text_under_another_url_keeps_the_first_source():
    article_ingest(body=BODY, url="https://exemple.fr/a")
    article, outcome, notice = article_ingest(body=BODY, url="https://syndication.example/b")
    assert outcome == "skipped"
    assert "same text" in notice
    assert article.source_url == "https://exemple.fr/a"
    assert Article.objects.count() == 1


def test_untitled_article_gets_a_derived_title_that_a_later_title_replaces():
    body = (
        "ByteDance aurait commandé pour un milliard de dollars de puces A800 auprès de Nvidia, selon le FT."
    )
    article, _, _ = article_ingest(body=body)
    assert article.title_is_derived
    assert article.title.startswith("ByteDance aurait commandé")
    assert len(article.title) <= 91
    article, outcome, _ = article_ingest(body=body, title="Le vrai titre")
    assert outcome == "updated"
    assert (article.title, article.title_is_derived) == ("Le vrai titre", False)


def test_reimport_never_overwrites_what_an_editor_corrected():
    article, _, _ = article_ingest(body=BODY, title="Titre machine", url="https://exemple.fr/a")
    article.title = "Titre corrigé"
    article.editor_locked_fields = ["title"]
    article.save()
    article, outcome, _ = article_ingest(
        body=BODY, title="Titre machine", url="https://exemple.fr/a", publication="Reuters"
    )
    assert outcome == "updated"  # the publication is new information
    article.refresh_from_db()
    assert article.title == "Titre corrigé"
    assert article.publication.name == "Reuters"


def test_text_change_is_refused_when_editors_reviewed_its_figures():
    article, _, _ = article_ingest(body=BODY, url="https://exemple.fr/a")
    sentence = article.sentences.get(index=1)
    Figure.objects.create(
        article=article,
        sentence=sentence,
        kind="quantity",
        surface="1.600 puces",
        char_start=35,
        char_end=46,
        value=Decimal(1600),
        unit="unit",
        review_status=ReviewStatus.VERIFIED,
    )
    with pytest.raises(IngestError, match="editors have reviewed"):
        article_ingest(body=BODY + " Ajout.", url="https://exemple.fr/a")
    article.refresh_from_db()
    assert article.body == BODY
    assert article.sentences.count() == 3
    assert Figure.objects.count() == 1


def test_text_change_replaces_unreviewed_machine_figures():
    article, _, _ = article_ingest(body=BODY, url="https://exemple.fr/a")
    Figure.objects.create(
        article=article,
        sentence=article.sentences.get(index=1),
        kind="quantity",
        surface="1.600 puces",
        char_start=35,
        char_end=46,
        value=Decimal(1600),
        unit="unit",
    )
    article_ingest(body=BODY + " Ajout.", url="https://exemple.fr/a")
    assert Figure.objects.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"body": "   "}, "no text"),
        ({"body": BODY, "url": "https://exemple.fr/" + "x" * 1200}, "source_url"),
        ({"body": BODY, "published": date(2024, 1, 1)}, "does not match its precision"),
    ],
)
def test_invalid_article_is_refused_and_nothing_written(kwargs, message):
    with pytest.raises(IngestError, match=message):
        article_ingest(**kwargs)
    assert Article.objects.count() == 0
    assert Sentence.objects.count() == 0


def test_failure_while_writing_sentences_leaves_no_half_written_article(monkeypatch):
    def broken_bulk_create(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Sentence.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(RuntimeError):
        article_ingest(body=BODY)
    assert Article.objects.count() == 0
    assert Publication.objects.count() == 0


def test_command_imports_seeds_once(capsys):
    status, out, err = run_import(SEED_FILE)
    assert (status, out.strip()) == (0, "created 5, updated 0, skipped 0, failed 0")
    status, out, err = run_import(SEED_FILE)
    assert (status, out.strip()) == (0, "created 0, updated 0, skipped 5, failed 0")
    assert Article.objects.count() == 5
    assert Sentence.objects.filter(article__title__startswith="Guerre des IA").count() == 26


def test_seed_metadata_is_kept():
    articles_import(paths=[SEED_FILE])
    untitled = Article.objects.get(body__startswith="D'après le Financial Times")
    assert (untitled.published_on, untitled.date_precision) == (date(2023, 8, 1), "month")
    business_am = Article.objects.get(publication__name="Business AM")
    assert business_am.title.startswith("La Chine autorise Alibaba")
    assert (business_am.published_on, business_am.date_precision) == (date(2026, 1, 1), "year")
    undated = Article.objects.get(title__startswith="Guerre des IA")
    assert (undated.published_on, undated.date_precision) == (None, "unknown")


def test_bad_files_are_reported_one_line_each_and_others_still_imported(tmp_path):
    write_json(tmp_path / "good.json", {"title": "Bon", "body": "Tencent achète des puces H20."})
    (tmp_path / "latin1.txt").write_bytes("Alibaba a acheté des puces à Nvidia.".encode("latin-1"))
    (tmp_path / "broken.json").write_text('{"title": "x", "body": ', encoding="utf-8")
    (tmp_path / "empty.json").write_text('{"title": "x", "body": "  "}', encoding="utf-8")
    (tmp_path / "nobody.json").write_text('{"title": "x"}', encoding="utf-8")
    (tmp_path / "binary.html").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with open(tmp_path / "huge.txt", "wb") as huge:
        huge.truncate(20 * 1024 * 1024)
    (tmp_path / "notes.docx").write_bytes(b"whatever")
    status, out, err = run_import(tmp_path, tmp_path / "notes.docx")
    assert status == 1
    assert out.strip() == "created 1, updated 0, skipped 0, failed 7"
    error_lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(error_lines) == 7
    for name in (
        "latin1.txt",
        "broken.json",
        "empty.json",
        "nobody.json",
        "binary.html",
        "huge.txt",
        "notes.docx",
    ):
        assert any(name in line for line in error_lines), name
    assert Article.objects.count() == 1


def test_json_list_with_one_bad_item_imports_the_rest(tmp_path):
    items = [
        {"url": "https://a.example/1", "title": "Un", "published": "2024-02", "body": "Baidu commande."},
        {"url": "https://a.example/2", "title": "Deux", "published": "hier", "body": "Tencent commande."},
        {"url": "https://a.example/3", "title": "Trois", "published": None, "body": "Alibaba commande."},
    ]
    status, out, err = run_import(write_json(tmp_path / "list.json", items))
    assert status == 1
    assert out.strip() == "created 2, updated 0, skipped 0, failed 1"
    assert "list.json[1]" in err
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Trois", "Un"]


def test_progress_bar_shows_for_many_files(tmp_path):
    for n in range(25):
        (tmp_path / f"{n:02}.txt").write_text(f"Article numéro {n} sur les puces H20.", encoding="utf-8")
    status, out, err = run_import(tmp_path)
    assert (status, out.strip()) == (0, "created 25, updated 0, skipped 0, failed 0")
    assert "25/25" in err
    status, out, err = run_import(tmp_path, no_progress=True)
    assert "25/25" not in err


def test_stored_sentences_of_the_seeds_match_the_gold_segmentation(seed_records):
    gold = json.loads(
        (SEED_FILE.parent.parent / "tests" / "data" / "seeds_sentences.json").read_text("utf-8")
    )
    articles_import(paths=[SEED_FILE])
    for record in seed_records:
        article = Article.objects.get(content_hash=content_hash(record["body"]))
        stored = list(article.sentences.values_list("index", "start", "end", "kind", "text"))
        expected = [
            (unit["sentence_index"], unit["char_start"], unit["char_end"], unit["kind"], unit["text"])
            for unit in gold
            if unit["seed_file"] == record["seed_file"]
        ]
        assert stored == expected, record["seed_file"]


def test_sentence_kinds_of_the_model_are_those_of_the_segmenter():
    from articles.extraction.segmenter import KINDS
    from articles.models import SentenceKind

    assert set(SentenceKind.values) == set(KINDS)


def test_an_insert_race_with_another_import_becomes_an_update(monkeypatch):
    first, _, _ = article_ingest(body=BODY, title="Premier", url="https://exemple.fr/a")
    real_select_for_update = Article.objects.select_for_update
    calls = []

    def blind_first_lookup():
        # The other process's row is not visible yet at our first look-up, as in a real race.
        calls.append(1)
        return Article.objects.none() if len(calls) == 1 else real_select_for_update()

    monkeypatch.setattr(Article.objects, "select_for_update", blind_first_lookup)
    article, outcome, _ = article_ingest(body=BODY + " Suite.", title="Second", url="https://exemple.fr/a")
    assert outcome == "updated"
    assert article.pk == first.pk
    assert Article.objects.get().title == "Second"


def test_saved_html_page_is_imported_with_its_metadata(tmp_path):
    page = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
    <title>Tencent commande des H20 | Exemple Tech</title>
    <meta property="og:site_name" content="Exemple Tech">
    <meta property="article:published_time" content="2024-06-27T08:00:00+02:00">
    <link rel="canonical" href="https://tech.exemple.fr/tencent-h20"></head>
    <body><nav><a href="/">Accueil</a> <a href="/tech">Tech</a></nav>
    <article><h1>Tencent commande des H20</h1>
    <p>Tencent aurait commandé plus de 100 000 puces H20 auprès de Nvidia, selon le Financial Times.
    Le montant dépasserait 1,2 milliard de dollars.</p>
    <p>Nvidia n'a pas souhaité commenter ces informations, qui interviennent alors que Washington
    durcit ses contrôles à l'exportation vers la Chine.</p></article>
    <footer>© Exemple Tech — Mentions légales</footer></body></html>"""
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    status, out, err = run_import(tmp_path / "page.html")
    assert (status, out.strip()) == (0, "created 1, updated 0, skipped 0, failed 0"), err
    article = Article.objects.get()
    assert article.source_url == "https://tech.exemple.fr/tencent-h20"
    assert article.publication.name == "Exemple Tech"
    assert (article.published_on, article.date_precision) == (date(2024, 6, 27), "day")
    assert "plus de 100 000 puces H20" in article.body
    assert "Mentions légales" not in article.body
    assert article.sentences.filter(text__startswith="Le montant dépasserait").exists()
