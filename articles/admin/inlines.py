"""The article page's inlines: its sentences (read-only), and its figures and events (editable)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.admin.forms import FigureForm, PurchaseEventForm, sentence_label
from articles.models import Figure, PurchaseEvent, Sentence


class SentenceInline(admin.TabularInline):
    model = Sentence
    fields = ("index", "kind", "text", "start", "end")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    classes = ("collapse",)
    verbose_name_plural = _("phrases (découpage automatique, en lecture seule)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Each row prints its sentence, whose name includes the article's slug.
        return super().get_queryset(request).select_related("article")


class ArticleSentenceChoiceMixin:
    """The sentence menu lists only this article's sentences, by rank and opening words."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "sentence":
            article_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = (
                Sentence.objects.filter(article_id=article_id) if article_id else Sentence.objects.none()
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = sentence_label
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FigureInline(ArticleSentenceChoiceMixin, admin.TabularInline):
    model = Figure
    form = FigureForm
    fk_name = "article"
    fields = ("sentence", "surface", "kind", "value", "value_max", "unit", "qualifier", "review_status",
              "origin", "edited")  # fmt: skip
    readonly_fields = ("origin", "edited")
    extra = 1
    # Deleting a machine figure would let the next extraction bring it back: editors reject it instead.
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("chiffres (pour en écarter un, choisissez « rejeté »)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "sentence__article")


class PurchaseEventInline(ArticleSentenceChoiceMixin, admin.TabularInline):
    model = PurchaseEvent
    form = PurchaseEventForm
    fk_name = "article"
    fields = ("sentence", "type", "buyers", "seller", "chip", "quantity", "amount", "currency", "period",
              "period_surface", "status", "review_status", "origin", "edited")  # fmt: skip
    readonly_fields = ("origin", "edited")
    autocomplete_fields = ("buyers", "seller", "chip")
    extra = 1
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("événements d’achat (pour en écarter un, choisissez « rejeté »)")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article", "sentence__article", "seller", "chip")
            .prefetch_related("buyers")
        )
