"""The review queue: figures and events waiting for an editor, newest articles first, with bulk decisions.

Filtering figures by company or chip: a figure belongs to a company (or chip) when an event that uses it
as quantity or amount names that company (or chip), or when its sentence mentions it. The second rule
catches figures that no event uses yet, which is where editors most need context.
"""

from django.contrib import admin, messages
from django.db.models import F, Q
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.admin.common import HistoryAdmin, admin_change_url, highlighted_sentence, review_badge
from articles.admin.forms import FigureForm, PurchaseEventForm
from articles.models import Article, Chip, Company, Figure, Origin, PurchaseEvent, ReviewStatus
from articles.services.review import items_review
from articles.templatetags.archive import figure_value

NEWEST_ARTICLE_FIRST = (F("article__published_on").desc(nulls_last=True), "-article_id", "sentence__index")
ALL = "all"
DECISION_WORDS = {
    ReviewStatus.VERIFIED: (gettext_lazy("vérifié"), gettext_lazy("vérifiés")),
    ReviewStatus.REJECTED: (gettext_lazy("rejeté"), gettext_lazy("rejetés")),
    ReviewStatus.PENDING: (gettext_lazy("remis à vérifier"), gettext_lazy("remis à vérifier")),
}
CHANGE_TRIGGERS_EXCLUDED = {"review_status"}


class ReviewQueueFilter(admin.SimpleListFilter):
    """The lists open on what waits for a check; "tous" shows everything."""

    title = gettext_lazy("vérification")
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [*ReviewStatus.choices, (ALL, _("tous"))]

    def value(self):
        value = super().value()
        return value if value in (*ReviewStatus.values, ALL) else ReviewStatus.PENDING

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        return queryset if value == ALL else queryset.filter(review_status=value)


class ArticleFilter(admin.SimpleListFilter):
    """One article's items (the article page links here); offers the newest articles with items waiting."""

    title = gettext_lazy("article")
    parameter_name = "article"

    def lookups(self, request, model_admin):
        model = model_admin.model
        waiting = model.objects.filter(review_status=ReviewStatus.PENDING).values("article_id")
        articles = list(Article.objects.filter(pk__in=waiting).newest_first()[:15])
        selected = self.value()
        if selected and selected.isdigit() and all(str(a.pk) != selected for a in articles):
            articles.extend(Article.objects.filter(pk=selected))
        return [(str(article.pk), article.title[:70]) for article in articles]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(article_id=value)
        return queryset


class CompanyFilter(admin.SimpleListFilter):
    title = gettext_lazy("entreprise")
    parameter_name = "entreprise"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Company.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        value = self.value()
        if not (value and value.isdigit()):
            return queryset
        events = PurchaseEvent.objects.filter(Q(buyers=value) | Q(seller=value))
        if queryset.model is PurchaseEvent:
            return queryset.filter(pk__in=events.values("pk"))
        return queryset.filter(
            Q(sentence__mentions__company=value)
            | Q(pk__in=events.values("quantity_figure"))
            | Q(pk__in=events.values("amount_figure"))
        ).distinct()


class FigureChipFilter(admin.SimpleListFilter):
    title = gettext_lazy("puce")
    parameter_name = "puce"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Chip.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        value = self.value()
        if not (value and value.isdigit()):
            return queryset
        events = PurchaseEvent.objects.filter(chip=value)
        return queryset.filter(
            Q(sentence__mentions__chip=value)
            | Q(pk__in=events.values("quantity_figure"))
            | Q(pk__in=events.values("amount_figure"))
        ).distinct()


def review_message(model, count: int, status: str) -> str:
    """ "3 chiffres vérifiés", "1 événement d’achat rejeté" (French uses the singular for 0 and 1)."""
    singular = count <= 1
    noun = model._meta.verbose_name if singular else model._meta.verbose_name_plural
    return f"{count} {noun} {DECISION_WORDS[status][0 if singular else 1]}"


def decision_action(status: str, description: str):
    def action(modeladmin, request, queryset):
        count = items_review(items=queryset, status=status)
        modeladmin.message_user(request, review_message(modeladmin.model, count, status), messages.SUCCESS)

    action.__name__ = f"mark_{status}"
    return admin.action(description=description)(action)


mark_verified = decision_action(ReviewStatus.VERIFIED, gettext_lazy("Marquer comme vérifié"))
mark_rejected = decision_action(ReviewStatus.REJECTED, gettext_lazy("Rejeter"))
mark_pending = decision_action(ReviewStatus.PENDING, gettext_lazy("Remettre à vérifier"))


class ReviewedItemAdmin(HistoryAdmin):
    """Figures and events: an editor's change marks the item so that machine re-runs leave it alone."""

    readonly_fields = ("origin", "edited", "created_at", "updated_at")
    actions = (mark_verified, mark_rejected, mark_pending)
    list_per_page = 50

    def save_model(self, request, obj, form, change):
        if change and set(form.changed_data) - CHANGE_TRIGGERS_EXCLUDED:
            obj.edited = True
        elif not change:
            obj.origin = Origin.EDITOR
        super().save_model(request, obj, form, change)

    @admin.display(description=gettext_lazy("vérification"), ordering="review_status")
    def review_display(self, obj):
        return review_badge(obj)

    @admin.display(description=gettext_lazy("article"), ordering="article__published_on")
    def article_link(self, obj):
        return format_html('<a href="{}">{}</a>', admin_change_url(obj.article), obj.article.title[:60])


@admin.register(Figure)
class FigureAdmin(ReviewedItemAdmin):
    form = FigureForm
    list_display = ("value_display", "sentence_display", "kind", "origin", "review_display", "article_link")
    list_display_links = ("value_display",)
    list_filter = (
        ReviewQueueFilter,
        CompanyFilter,
        FigureChipFilter,
        "kind",
        ArticleFilter,
        "origin",
        "edited",
    )
    search_fields = ("surface", "sentence__text", "article__title")
    list_select_related = ("article__publication", "sentence")
    raw_id_fields = ("article", "sentence", "conversion_of")
    ordering = (*NEWEST_ARTICLE_FIRST, "char_start")
    readonly_fields = ("sentence_display", *ReviewedItemAdmin.readonly_fields)

    @admin.display(description=gettext_lazy("valeur"))
    def value_display(self, obj):
        return figure_value(obj)

    @admin.display(description=gettext_lazy("phrase, chiffre surligné"))
    def sentence_display(self, obj):
        return highlighted_sentence(obj) if obj.pk else "—"


@admin.register(PurchaseEvent)
class PurchaseEventAdmin(ReviewedItemAdmin):
    form = PurchaseEventForm
    list_display = (
        "type", "buyer_names", "seller", "chip", "quantity", "amount", "currency", "period", "status",
        "review_display", "sentence_text", "article_link",
    )  # fmt: skip
    list_filter = (
        ReviewQueueFilter,
        CompanyFilter,
        "chip",
        "type",
        ArticleFilter,
        "status",
        "origin",
        "edited",
    )
    search_fields = ("sentence__text", "article__title", "buyers__name", "period_surface")
    list_select_related = ("article", "seller", "chip", "sentence__article")
    raw_id_fields = ("article", "sentence", "quantity_figure", "amount_figure")
    autocomplete_fields = ("buyers", "seller", "chip")
    ordering = (*NEWEST_ARTICLE_FIRST, "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("buyers")

    @admin.display(description=gettext_lazy("acheteurs"))
    def buyer_names(self, obj):
        return ", ".join(company.name for company in obj.buyers.all())

    @admin.display(description=gettext_lazy("phrase"))
    def sentence_text(self, obj):
        return obj.sentence.text
