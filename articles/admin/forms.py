"""Forms of the editors' desk: figures located by their words, items tied to their article's sentences."""

from django import forms
from django.utils.translation import gettext as _

from articles.models import Article, DatePrecision, Figure, PurchaseEvent, Sentence

FIGURE_FIELDS = (
    "article", "sentence", "surface", "kind", "value", "value_max", "value_text", "unit", "qualifier",
    "value_usd", "usd_source", "usd_rate", "conversion_of", "review_status",
)  # fmt: skip


def sentence_label(sentence: Sentence) -> str:
    text = sentence.text if len(sentence.text) <= 90 else sentence.text[:89] + "…"
    return f"§{sentence.index} — {text}"


def check_sentence_article(form, sentence, article_id) -> None:
    if sentence is not None and article_id is not None and sentence.article_id != article_id:
        form.add_error(
            "sentence", _("Cette phrase appartient à un autre article : choisissez-en une de cet article.")
        )


class FigureForm(forms.ModelForm):
    """An editor names a figure by its words; where they stand in the sentence is found for them."""

    class Meta:
        model = Figure
        fields = FIGURE_FIELDS

    def clean(self):
        cleaned = super().clean()
        sentence, surface = cleaned.get("sentence"), cleaned.get("surface")
        article = cleaned.get("article")
        check_sentence_article(self, sentence, article.pk if article else self.instance.article_id)
        if sentence is None or not surface:
            return cleaned
        span = surface_span(sentence, surface, current=(self.instance.char_start, self.instance.char_end))
        if span is None:
            self.add_error(
                "surface",
                _(
                    "« %(surface)s » ne figure pas dans la phrase choisie : "
                    "copiez les mots exactement comme dans le texte."
                )
                % {"surface": surface},
            )
        else:
            self.instance.char_start, self.instance.char_end = span
        return cleaned


def surface_span(sentence: Sentence, surface: str, *, current=(None, None)) -> tuple[int, int] | None:
    """Body offsets of `surface` in the sentence: its current place if it still reads so, else the first."""
    text = sentence.text
    start, end = current
    if (
        start is not None
        and end is not None
        and text[start - sentence.start : end - sentence.start] == surface
    ):
        return start, end
    found = text.find(surface)
    if found < 0:
        return None
    return sentence.start + found, sentence.start + found + len(surface)


class PurchaseEventForm(forms.ModelForm):
    class Meta:
        model = PurchaseEvent
        fields = (
            "article", "sentence", "type", "buyers", "seller", "chip", "quantity", "quantity_figure",
            "amount", "amount_figure", "currency", "period", "period_surface", "status", "review_status",
        )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        old_version = getattr(self.instance, "_history", None)
        if old_version is not None and not self.is_bound:
            # Restoring an old version: simple-history fills the form from the instance, whose buyers are
            # today's; the buyers the old version had are in its own history rows.
            self.initial["buyers"] = [row.company_id for row in old_version.buyers.all()]

    def clean(self):
        cleaned = super().clean()
        article = cleaned.get("article")
        check_sentence_article(
            self, cleaned.get("sentence"), article.pk if article else self.instance.article_id
        )
        return cleaned


class ArticleForm(forms.ModelForm):
    """Article metadata; a date and its precision must agree, as the database requires."""

    # Editors paste addresses without a scheme; today that means https.
    source_url = Article._meta.get_field("source_url").formfield(assume_scheme="https")

    class Meta:
        model = Article
        fields = ("title", "title_is_derived", "slug", "source_url", "publication", "published_on",
                  "date_precision", "language")  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if "published_on" in cleaned and cleaned.get("date_precision"):
            problem = date_problem(cleaned["published_on"], cleaned["date_precision"])
            if problem:
                self.add_error(*problem)
        return cleaned


def date_problem(published, precision) -> tuple[str, str] | None:
    """The field to blame and why, when a date and its precision disagree (the database refuses them)."""
    if published is None:
        if precision != DatePrecision.UNKNOWN:
            return "published_on", _("Indiquez la date, ou choisissez la précision « inconnue ».")
        return None
    if precision == DatePrecision.UNKNOWN:
        return "date_precision", _("Une date est indiquée : choisissez sa précision (jour, mois ou année).")
    if precision == DatePrecision.MONTH and published.day != 1:
        return "published_on", _("Pour une date au mois, indiquez le premier jour du mois.")
    if precision == DatePrecision.YEAR and (published.month, published.day) != (1, 1):
        return "published_on", _("Pour une date à l’année, indiquez le 1er janvier.")
    return None
