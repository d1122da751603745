"""Articles and what hangs off them: metadata, highlighted text, inline figures and events, re-extraction."""

from django.contrib import admin, messages
from django.db.models import Count
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.admin.common import URL_FIELDS_ASSUME_HTTPS, HistoryAdmin, admin_change_url
from articles.admin.forms import ArticleForm
from articles.admin.inlines import FigureInline, PurchaseEventInline, SentenceInline
from articles.admin.tools import articles_reextract_view, articles_upload_view, extraction_message
from articles.models import (
    Article,
    ExchangeRate,
    Figure,
    Mention,
    Origin,
    Publication,
    PurchaseEvent,
    ReviewStatus,
    Sentence,
)
from articles.reading import article_blocks
from articles.services.extraction import article_extract, articles_extract

# Article fields an editor may correct; once corrected, a re-import leaves them alone.
LOCKABLE_ARTICLE_FIELDS = ("title", "source_url", "publication", "published_on", "date_precision", "language")
DATE_FIELDS = {"published_on", "date_precision"}
REVIEWED_MODELS = (Figure, PurchaseEvent)


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ("name", "website", "article_count")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=gettext_lazy("articles"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


@admin.register(Article)
class ArticleAdmin(HistoryAdmin):
    form = ArticleForm
    list_display = ("title", "publication", "published_on", "date_precision", "sentence_count", "has_source")
    list_filter = ("publication", "date_precision", "language", ("published_on", admin.DateFieldListFilter))
    search_fields = ("title", "body", "source_url")
    date_hierarchy = "published_on"
    list_select_related = ("publication",)
    actions = ("reextract",)
    readonly_fields = (
        "content_hash", "body", "created_at", "updated_at", "extracted_at", "locked_fields_display",
        "view_link", "review_links", "highlighted_body",
    )  # fmt: skip
    fieldsets = (
        (None, {"fields": ("title", "title_is_derived", "slug", "view_link", "review_links")}),
        (
            gettext_lazy("Source"),
            {"fields": ("source_url", "publication", "published_on", "date_precision", "language")},
        ),
        (gettext_lazy("Texte, chiffres surlignés"), {"fields": ("highlighted_body",)}),
        (gettext_lazy("Texte reçu"), {"classes": ("collapse",), "fields": ("body", "content_hash")}),
        (
            gettext_lazy("Suivi"),
            {"fields": ("locked_fields_display", "extracted_at", "created_at", "updated_at")},
        ),
    )
    inlines = (FigureInline, PurchaseEventInline, SentenceInline)
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(sentence_total=Count("sentences"))

    def get_urls(self):
        tools = [
            path("importer/", self.admin_site.admin_view(self.upload_view), name="articles_article_upload"),
            path(
                "reextraire/",
                self.admin_site.admin_view(self.reextract_view),
                name="articles_article_reextract",
            ),
        ]
        return tools + super().get_urls()

    def upload_view(self, request):
        return articles_upload_view(self, request)

    def reextract_view(self, request):
        return articles_reextract_view(self, request)

    def add_view(self, request, form_url="", extra_context=None):
        # An article's text is never typed in: new articles arrive as files, through the import page.
        return redirect("admin:articles_article_upload")

    @admin.display(description=gettext_lazy("phrases"), ordering="sentence_total")
    def sentence_count(self, obj):
        return obj.sentence_total

    @admin.display(description=gettext_lazy("URL connue"), boolean=True)
    def has_source(self, obj):
        return bool(obj.source_url)

    @admin.display(description=gettext_lazy("champs protégés des réimportations"))
    def locked_fields_display(self, obj):
        names = {name: Article._meta.get_field(name).verbose_name for name in obj.editor_locked_fields}
        return ", ".join(str(label) for label in names.values()) or "—"

    @admin.display(description=gettext_lazy("page publique"))
    def view_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())

    @admin.display(description=gettext_lazy("à vérifier"))
    def review_links(self, obj):
        if not obj.pk:
            return "—"
        figures = Figure.objects.filter(article=obj, review_status=ReviewStatus.PENDING).count()
        events = PurchaseEvent.objects.filter(article=obj, review_status=ReviewStatus.PENDING).count()
        figures_url = reverse("admin:articles_figure_changelist")
        events_url = reverse("admin:articles_purchaseevent_changelist")
        return format_html(
            '<a href="{}?article={}">{}</a> · <a href="{}?article={}">{}</a>',
            figures_url, obj.pk, _("%(n)s chiffre(s)") % {"n": figures},
            events_url, obj.pk, _("%(n)s événement(s)") % {"n": events},
        )  # fmt: skip

    @admin.display(description=gettext_lazy("texte"))
    def highlighted_body(self, obj):
        if not obj.pk:
            return "—"
        figures = list(Figure.objects.filter(article=obj).select_related("article"))
        for figure in figures:
            figure.admin_url = admin_change_url(figure)
        blocks = article_blocks(obj.body, list(obj.sentences.all()), figures)
        return render_to_string("admin/articles/_article_body.html", {"blocks": blocks})

    @admin.action(description=gettext_lazy("Relancer l’extraction"), permissions=["change"])
    def reextract(self, request, queryset):
        report = articles_extract(articles=queryset.order_by("pk"))
        self.message_user(request, extraction_message(report), messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        corrected = [name for name in form.changed_data if name in LOCKABLE_ARTICLE_FIELDS]
        if change and corrected:
            obj.editor_locked_fields = sorted(set(obj.editor_locked_fields) | set(corrected))
            if "title" in corrected:
                obj.title_is_derived = False
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model in REVIEWED_MODELS:
            for item_form in formset.forms:
                item = item_form.instance
                if item.pk is None and item_form.has_changed():
                    item.origin = Origin.EDITOR
                elif item.pk and set(item_form.changed_data) - {"review_status"}:
                    item.edited = True
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and DATE_FIELDS & set(form.changed_data):
            # Relative periods ("l’an dernier") depend on the date; editors' own events keep theirs.
            report = article_extract(form.instance)
            self.message_user(
                request,
                _("Date modifiée : périodes recalculées. %(summary)s")
                % {"summary": extraction_message(report)},
                messages.INFO,
            )


@admin.register(Sentence)
class SentenceAdmin(admin.ModelAdmin):
    list_display = ("article", "index", "kind", "text")
    list_filter = ("kind",)
    search_fields = ("text", "article__title")
    list_select_related = ("article",)
    readonly_fields = ("article", "index", "start", "end", "text", "kind")

    def has_add_permission(self, request):
        return False


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "surface", "article")
    list_filter = ("kind", "name")
    search_fields = ("name", "surface", "sentence__text", "article__title")
    list_select_related = ("article",)
    readonly_fields = (
        "article", "sentence", "kind", "name", "surface", "char_start", "char_end", "company", "chip",
    )  # fmt: skip

    def has_add_permission(self, request):
        return False


@admin.register(ExchangeRate)
class ExchangeRateAdmin(HistoryAdmin):
    list_display = ("currency", "year", "usd_per_unit", "source")
    list_filter = ("currency",)
    search_fields = ("currency", "source")
    list_editable = ("usd_per_unit",)
