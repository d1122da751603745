"""Companies and chips: aliases editors keep, merges of duplicates, and re-extraction after a name change."""

from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.admin.common import HistoryAdmin
from articles.admin.tools import MAX_REEXTRACT_ARTICLES
from articles.models import Chip, Company, alias_lines
from articles.services.gazetteer import MergeError, articles_naming, changed_names, chip_merge, company_merge


class GazetteerAdmin(HistoryAdmin):
    """What company and chip pages share: alias summaries, merges and the re-extraction offer."""

    actions = ("merge",)
    merge_service = None  # set by subclasses; a staticmethod taking keep= and remove=

    @admin.display(description=gettext_lazy("alias"))
    def alias_summary(self, obj):
        return ", ".join(obj.alias_list)

    def save_model(self, request, obj, form, change):
        before = (
            [form.initial.get("name", ""), *alias_lines(form.initial.get("aliases", ""))] if change else []
        )
        super().save_model(request, obj, form, change)
        if not change or {"name", "aliases"} & set(form.changed_data):
            self.offer_reextraction(
                request, changed_names([n for n in before if n], [obj.name, *obj.alias_list])
            )

    def offer_reextraction(self, request, names: list[str]) -> None:
        ids = list(articles_naming(names).values_list("pk", flat=True)[:MAX_REEXTRACT_ARTICLES])
        if not ids:
            return
        url = reverse("admin:articles_article_reextract") + "?ids=" + ",".join(map(str, ids))
        message = format_html(
            '{} <a href="{}">{}</a>',
            _("Les noms ont changé (%(names)s).") % {"names": ", ".join(names)},
            url,
            _("Relancer l’extraction des %(count)s articles concernés") % {"count": len(ids)},
        )
        self.message_user(request, message, messages.INFO)

    # The relations through which events use the entry (a company buys and sells; a chip is bought).
    event_relations: tuple[str, ...] = ()

    def usage_counts(self, queryset):
        """The entries with how many events and mentions each carries, for the merge confirmation."""
        counts = [Count(name, distinct=True) for name in self.event_relations]
        event_total = counts[0]
        for count in counts[1:]:
            event_total = event_total + count
        return queryset.annotate(event_total=event_total, mention_total=Count("mentions", distinct=True))

    @admin.action(description=gettext_lazy("Fusionner dans…"), permissions=["change", "delete"])
    def merge(self, request, queryset):
        items = list(self.usage_counts(queryset))
        noun = self.model._meta.verbose_name_plural
        if len(items) < 2:
            self.message_user(
                request,
                _("Choisissez au moins deux %(noun)s à fusionner.") % {"noun": noun},
                messages.WARNING,
            )
            return None
        if "apply" in request.POST:
            keep = next((item for item in items if str(item.pk) == request.POST.get("keep")), None)
            if keep is not None:
                return self.merge_apply(request, keep, [item for item in items if item.pk != keep.pk])
            self.message_user(request, _("Choisissez celle qui reste."), messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Fusionner des %(noun)s") % {"noun": noun},
            "items": items,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/merge_confirmation.html", context)

    def merge_apply(self, request, keep, removed) -> None:
        try:
            for item in removed:
                self.merge_service(keep=keep, remove=item)
        except MergeError as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        names = ", ".join(item.name for item in removed)
        self.message_user(
            request,
            _(
                "%(names)s fusionné(s) dans %(keep)s : événements et mentions déplacés, "
                "noms gardés comme alias."
            )
            % {"names": names, "keep": keep.name},
            messages.SUCCESS,
        )
        return None


@admin.register(Company)
class CompanyAdmin(GazetteerAdmin):
    list_display = ("name", "role", "country", "alias_summary")
    list_filter = ("role", "country")
    search_fields = ("name", "aliases", "description")
    prepopulated_fields = {"slug": ("name",)}
    merge_service = staticmethod(company_merge)

    event_relations = ("purchases", "sales")


@admin.register(Chip)
class ChipAdmin(GazetteerAdmin):
    list_display = ("name", "maker", "family", "variant_of", "alias_summary")
    list_filter = ("maker", "family")
    search_fields = ("name", "aliases", "notes")
    list_select_related = ("maker", "variant_of")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("variant_of",)
    merge_service = staticmethod(chip_merge)

    event_relations = ("events",)
