"""The editors' desk: every model of the archive, with the columns, filters and search editors need."""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.models import (
    Article,
    Chip,
    Company,
    ExchangeRate,
    Figure,
    Mention,
    Origin,
    Publication,
    PurchaseEvent,
    Sentence,
)

# Article fields an editor may correct; once corrected, a re-import leaves them alone.
LOCKABLE_ARTICLE_FIELDS = ("title", "source_url", "publication", "published_on", "date_precision", "language")
# Editors paste addresses without a scheme; today that means https.
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class SentenceInline(admin.TabularInline):
    model = Sentence
    fields = ("index", "kind", "text", "start", "end")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = _("phrases (découpage automatique, en lecture seule)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ("name", "website", "article_count")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    @admin.display(description=_("articles"))
    def article_count(self, obj):
        return obj.articles.count()


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "publication", "published_on", "date_precision", "sentence_count", "has_source")
    list_filter = ("publication", "date_precision", "language", ("published_on", admin.DateFieldListFilter))
    search_fields = ("title", "body", "source_url")
    date_hierarchy = "published_on"
    list_select_related = ("publication",)
    readonly_fields = (
        "content_hash",
        "body",
        "created_at",
        "updated_at",
        "locked_fields_display",
        "view_link",
    )
    fieldsets = (
        (None, {"fields": ("title", "title_is_derived", "slug", "view_link")}),
        (
            _("Source"),
            {"fields": ("source_url", "publication", "published_on", "date_precision", "language")},
        ),
        (_("Texte reçu"), {"classes": ("collapse",), "fields": ("body", "content_hash")}),
        (_("Suivi"), {"fields": ("locked_fields_display", "created_at", "updated_at")}),
    )
    inlines = (SentenceInline,)
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(sentence_total=Count("sentences"))

    @admin.display(description=_("phrases"), ordering="sentence_total")
    def sentence_count(self, obj):
        return obj.sentence_total

    @admin.display(description=_("URL connue"), boolean=True)
    def has_source(self, obj):
        return bool(obj.source_url)

    @admin.display(description=_("champs protégés des réimportations"))
    def locked_fields_display(self, obj):
        names = {name: Article._meta.get_field(name).verbose_name for name in obj.editor_locked_fields}
        return ", ".join(str(label) for label in names.values()) or "—"

    @admin.display(description=_("page publique"))
    def view_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())

    def save_model(self, request, obj, form, change):
        corrected = [name for name in form.changed_data if name in LOCKABLE_ARTICLE_FIELDS]
        if change and corrected:
            obj.editor_locked_fields = sorted(set(obj.editor_locked_fields) | set(corrected))
            if "title" in corrected:
                obj.title_is_derived = False
        super().save_model(request, obj, form, change)


@admin.register(Sentence)
class SentenceAdmin(admin.ModelAdmin):
    list_display = ("article", "index", "kind", "text")
    list_filter = ("kind",)
    search_fields = ("text", "article__title")
    list_select_related = ("article",)
    readonly_fields = ("article", "index", "start", "end", "text", "kind")

    def has_add_permission(self, request):
        return False


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "country", "alias_summary")
    list_filter = ("role", "country")
    search_fields = ("name", "aliases", "description")
    prepopulated_fields = {"slug": ("name",)}

    @admin.display(description=_("alias"))
    def alias_summary(self, obj):
        return ", ".join(obj.alias_list)


@admin.register(Chip)
class ChipAdmin(admin.ModelAdmin):
    list_display = ("name", "maker", "family", "variant_of", "alias_summary")
    list_filter = ("maker", "family")
    search_fields = ("name", "aliases", "notes")
    list_select_related = ("maker", "variant_of")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("variant_of",)

    @admin.display(description=_("alias"))
    def alias_summary(self, obj):
        return ", ".join(obj.alias_list)


class ReviewedItemAdmin(admin.ModelAdmin):
    """Figures and events: an editor's change marks the item so that machine re-runs leave it alone."""

    readonly_fields = ("origin", "created_at", "updated_at")

    def save_model(self, request, obj, form, change):
        if change and form.changed_data:
            obj.edited = True
        elif not change:
            obj.origin = Origin.EDITOR
        super().save_model(request, obj, form, change)


@admin.register(Figure)
class FigureAdmin(ReviewedItemAdmin):
    list_display = ("surface", "kind", "value", "unit", "qualifier", "article", "origin", "review_status")
    list_filter = ("review_status", "origin", "edited", "kind", "qualifier", "unit", "usd_source")
    search_fields = ("surface", "sentence__text", "article__title")
    list_select_related = ("article",)
    raw_id_fields = ("article", "sentence", "conversion_of")


@admin.register(PurchaseEvent)
class PurchaseEventAdmin(ReviewedItemAdmin):
    list_display = (
        "type",
        "buyer_names",
        "seller",
        "chip",
        "quantity",
        "amount",
        "currency",
        "period",
        "status",
        "origin",
        "review_status",
        "article",
    )
    list_filter = ("review_status", "origin", "type", "status", "chip", "seller")
    search_fields = ("sentence__text", "article__title", "buyers__name", "period_surface")
    list_select_related = ("article", "seller", "chip")
    raw_id_fields = ("article", "sentence", "quantity_figure", "amount_figure")
    autocomplete_fields = ("buyers", "seller", "chip")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("buyers")

    @admin.display(description=_("acheteurs"))
    def buyer_names(self, obj):
        return ", ".join(company.name for company in obj.buyers.all())


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "surface", "article")
    list_filter = ("kind", "name")
    search_fields = ("name", "surface", "sentence__text", "article__title")
    list_select_related = ("article",)
    readonly_fields = (
        "article",
        "sentence",
        "kind",
        "name",
        "surface",
        "char_start",
        "char_end",
        "company",
        "chip",
    )

    def has_add_permission(self, request):
        return False


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ("currency", "year", "usd_per_unit", "source")
    list_filter = ("currency",)
    search_fields = ("currency", "source")
    list_editable = ("usd_per_unit",)
