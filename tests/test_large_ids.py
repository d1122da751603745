"""Ids, anchors and form values stay plain digits past 1 000, whatever the French number format does.

USE_THOUSAND_SEPARATOR turns `{{ 1234 }}` into "1 234" in templates. A fresh SQLite test database reuses small
ids, which hid this; PostgreSQL's sequences (and any real archive) reach four digits soon enough.
"""

import pytest

from articles.models import Company, Figure, Sentence
from articles.services import article_extract, article_ingest

pytestmark = pytest.mark.django_db


def test_figure_and_sentence_anchors_past_a_thousand(client):
    article, _, _ = article_ingest(
        body="Le marché des puces a progressé de 12 % en un an. Les livraisons suivent.",
        title="Le marché des puces",
        url="https://example.test/marche",
    )
    article_extract(article)
    figure = Figure.objects.get(article=article, kind="percent")
    Figure.objects.filter(pk=figure.pk).update(id=12345)
    Sentence.objects.filter(pk=figure.sentence_id).update(index=1234)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<mark id="f-12345"' in html
    assert 'id="s-1234"' in html
    assert "12\u202f345" not in html and "1\u202f234" not in html


def test_merge_confirmation_posts_plain_ids(admin_client, seeded):
    bytedance = Company.objects.get(name="ByteDance")
    copy = Company.objects.create(pk=4321, name="Bytedance Ltd", country="Chine")
    selected = {"action": "merge", "_selected_action": [bytedance.pk, copy.pk]}
    html = admin_client.post("/admin/articles/company/", selected).content.decode()
    assert 'value="4321"' in html and 'id="keep-4321"' in html
    response = admin_client.post("/admin/articles/company/", {**selected, "apply": "1", "keep": bytedance.pk})
    assert response.status_code == 302
    assert not Company.objects.filter(pk=4321).exists()
