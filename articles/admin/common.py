"""What the admin modules share: the history-keeping base class and small display helpers."""

from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from articles.history import ReadableChanges
from articles.models import ReviewStatus

# Editors paste addresses without a scheme; today that means https.
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}

REVIEW_COLOURS = {
    ReviewStatus.PENDING: "#b26b00",
    ReviewStatus.VERIFIED: "#2e7d32",
    ReviewStatus.REJECTED: "#b00020",
}


class HistoryAdmin(SimpleHistoryAdmin):
    """Every edited model keeps its history, viewable from the change page's "Historique" button."""

    def get_historical_record_context_helper(self, request, historical_record):
        # Editors read "à vérifier → vérifié" and "100 000", not the stored codes and decimals.
        return ReadableChanges(self.model, historical_record)


def review_badge(item) -> str:
    """The review status as a coloured word, readable without the colour."""
    return format_html(
        '<strong style="color:{}">{}</strong>',
        REVIEW_COLOURS.get(item.review_status, "inherit"),
        item.get_review_status_display(),
    )


def highlighted_sentence(figure) -> str:
    """The figure's sentence with the figure's words marked; everything escaped."""
    sentence = figure.sentence
    start = figure.char_start - sentence.start
    end = figure.char_end - sentence.start
    text = sentence.text
    if not 0 <= start < end <= len(text):
        return text
    return format_html("{}<mark>{}</mark>{}", text[:start], text[start:end], text[end:])


def admin_change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
