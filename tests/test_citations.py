"""The "citer" box: text-fragment links to the original page and the citation text."""

from urllib.parse import unquote

import pytest

from articles.citations import citation_text, text_fragment_url
from articles.models import Figure, ReviewStatus
from articles.templatetags.archive import review_label


def test_short_sentence_is_quoted_whole_with_syntax_characters_encoded():
    url = text_fragment_url(
        "https://example.fr/a#top", "ByteDance a commandé 100 000 puces H20, selon Reuters."
    )
    base, fragment = url.split("#:~:text=")
    assert base == "https://example.fr/a"
    assert "," not in fragment and " " not in fragment
    assert unquote(fragment) == "ByteDance a commandé 100 000 puces H20, selon Reuters."


def test_long_sentence_is_named_by_its_first_and_last_words():
    sentence = " ".join(f"mot{n}" for n in range(40)) + " fin."
    fragment = text_fragment_url("https://example.fr/a", sentence).split("#:~:text=")[1]
    start, end = fragment.split(",")
    assert unquote(start) == "mot0 mot1 mot2 mot3 mot4"
    assert unquote(end) == "mot36 mot37 mot38 mot39 fin."


@pytest.mark.parametrize("source", ["", "javascript:alert(1)", "ftp://x"])
def test_no_link_to_the_original_without_a_web_address(source):
    assert text_fragment_url(source, "Une phrase.") == ""


def test_citation_text_names_source_date_title_and_permalink():
    text = citation_text(
        sentence=" Alibaba a acheté des H20. ",
        publication="Les Echos",
        date="9 août 2023",
        title="Les géants chinois",
        permalink="https://archive.example/articles/x/#f-3",
    )
    assert text == (
        "« Alibaba a acheté des H20. » (Les Echos, 9 août 2023, « Les géants chinois ») — "
        "https://archive.example/articles/x/#f-3"
    )


@pytest.mark.parametrize(
    "status, origin, label",
    [
        (ReviewStatus.VERIFIED, "machine", "vérifié par la rédaction"),
        (ReviewStatus.PENDING, "editor", "ajouté par la rédaction"),
        (ReviewStatus.PENDING, "machine", "extrait automatiquement, non vérifié"),
    ],
)
def test_review_label_tells_verified_from_machine_figures(status, origin, label):
    assert review_label(Figure(review_status=status, origin=origin)) == label


@pytest.mark.parametrize(
    "rate, shown", [("0.1400000000", "0,14"), ("0.1389000000", "0,1389"), ("1.0800000000", "1,08")]
)
def test_exchange_rate_drops_trailing_zeros(rate, shown):
    from decimal import Decimal

    from articles.templatetags.archive import exchange_rate

    assert exchange_rate(Decimal(rate)) == shown
