"""django-filter FilterSets for the public lists."""

import django_filters
from django import forms
from django.db.models import Case, F, Q, When
from django.db.models.functions import Coalesce
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Chip, Company, Publication, PurchaseEvent, ReviewStatus
from articles.page_cache import kept_until_content_changes


class DateInput(forms.DateInput):
    input_type = "date"


class Select(forms.Select):
    """A single-choice <select> built in Python: Django's markup without its per-option machinery.

    Django builds a context dict per option and renders each through its own template; with a few
    dozen companies, chips and publications the search form's menus took 6 ms of a 20 ms search page
    (measured on the load benchmark's archive). Every name, value and label goes through `escape`.
    """

    def option_pairs(self):
        return self.choices

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self.option_pairs():
            if isinstance(label, (list, tuple)):  # a group of choices
                inner = "".join(_option(v, lab, chosen) for v, lab in label)
                options.append(f'<optgroup label="{escape(option_value)}">{inner}</optgroup>')
            else:
                options.append(_option(option_value, label, chosen))
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{"".join(options)}</select>')  # noqa: S308


def _option(value, label, chosen: set[str]) -> str:
    value = "" if value is None else str(value)
    selected = " selected" if value in chosen else ""
    return f'<option value="{escape(value)}"{selected}>{escape(label)}</option>'


def menu_rows(model) -> list[tuple[str, str]]:
    """(slug, name) of every company, chip or publication, by name: read once per content change (per
    process), not on every page, since the public forms show three such menus and search facets name them."""
    label = model._meta.label
    return kept_until_content_changes(
        f"menu:{label}", lambda: list(model.objects.values_list("slug", "name"))
    )


class MenuSelect(Select):
    """The menu of a `menu_filter`: its rows come from `menu_rows`, not from a query per page."""

    def option_pairs(self):
        field = self.choices.field
        rows = menu_rows(field.queryset.model)
        return [("", field.empty_label), *rows] if field.empty_label is not None else rows


def menu_filter(model, **kwargs) -> django_filters.ModelChoiceFilter:
    """A filter on one company, chip or publication, given by slug in the URL (validated by the database)."""
    return django_filters.ModelChoiceFilter(
        queryset=model.objects.all(), to_field_name="slug", widget=MenuSelect, **kwargs
    )


class ArticleFilter(django_filters.FilterSet):
    publication = menu_filter(Publication, label=_("Publication"), empty_label=_("Toutes les publications"))
    year = django_filters.NumberFilter(
        field_name="published_on",
        lookup_expr="year",
        label=_("Année"),
        min_value=1900,
        max_value=2100,
    )

    class Meta:
        model = Article
        fields = ["publication", "year"]


class SearchFilter(django_filters.FilterSet):
    """Validates the search page's parameters; the filtering itself happens in the search index."""

    q = django_filters.CharFilter(method="in_index", label=_("Rechercher"), max_length=5000)
    entreprise = menu_filter(Company, method="in_index", label=_("Entreprise"))
    puce = menu_filter(Chip, method="in_index", label=_("Puce"))
    publication = menu_filter(Publication, method="in_index", label=_("Publication"))
    type = django_filters.ChoiceFilter(
        widget=Select, choices=PurchaseEvent.Type.choices, method="in_index", label=_("Type d’événement"),
    )  # fmt: skip
    du = django_filters.DateFilter(method="in_index", label=_("Publié depuis le"), widget=DateInput)
    au = django_filters.DateFilter(method="in_index", label=_("Publié jusqu’au"), widget=DateInput)
    tri = django_filters.ChoiceFilter(
        widget=Select, choices=[("relevance", _("pertinence")), ("date", _("date"))], method="in_index",
        label=_("Trier par"), empty_label=None,
    )  # fmt: skip

    class Meta:
        model = Article
        fields = []

    def in_index(self, queryset, name, value):
        return queryset


def events_naming(queryset, company):
    """Events where the company buys or sells; a subquery rather than a join, so no row is repeated."""
    buyer_of = PurchaseEvent.buyers.through.objects.filter(company=company).values("purchaseevent_id")
    return queryset.filter(Q(seller=company) | Q(pk__in=buyer_of))


# Sort keys of the events table (`tri`): the public name, then the database ordering it stands for.
EVENT_SORTS = {
    "date": (F("article__published_on").asc(nulls_last=True),),
    "-date": (F("article__published_on").desc(nulls_last=True),),
    "quantite": (F("quantity").asc(nulls_last=True),),
    "-quantite": (F("quantity").desc(nulls_last=True),),
    # Amounts in different currencies are only comparable through their dollar estimate.
    "montant": (F("amount_usd").asc(nulls_last=True),),
    "-montant": (F("amount_usd").desc(nulls_last=True),),
    "type": ("type",),
    "-type": ("-type",),
}
EVENT_SORT_LABELS = [
    ("-date", _("date, récents d’abord")), ("date", _("date, anciens d’abord")),
    ("-quantite", _("quantité décroissante")), ("quantite", _("quantité croissante")),
    ("-montant", _("montant décroissant")), ("montant", _("montant croissant")),
    ("type", _("type (A → Z)")), ("-type", _("type (Z → A)")),
]  # fmt: skip
EVENT_TIEBREAK = ("article__slug", "sentence__index", "pk")


class EventFilter(django_filters.FilterSet):
    """The events table's filters; invalid values are reported on the form and left out of the filtering."""

    entreprise = menu_filter(
        Company, method="by_company", label=_("Entreprise (acheteur ou vendeur)"),
        empty_label=_("Toutes les entreprises"),
    )  # fmt: skip
    puce = menu_filter(Chip, field_name="chip", label=_("Puce"), empty_label=_("Toutes les puces"))
    type = django_filters.ChoiceFilter(
        widget=Select,
        choices=PurchaseEvent.Type.choices,
        label=_("Type d’événement"),
        empty_label=_("Tous les types"),
    )
    statut = django_filters.ChoiceFilter(
        widget=Select, field_name="status", choices=PurchaseEvent.Status.choices, label=_("Statut"),
        empty_label=_("Rapportés et démentis"),
    )  # fmt: skip
    verification = django_filters.ChoiceFilter(
        widget=Select, field_name="review_status", label=_("Vérification"), empty_label=_("Vérifiés ou non"),
        choices=[(ReviewStatus.VERIFIED, _("vérifiés par la rédaction")),
                 (ReviewStatus.PENDING, _("extraits automatiquement, à vérifier"))],
    )  # fmt: skip
    du = django_filters.DateFilter(
        field_name="article__published_on", lookup_expr="gte", label=_("Article publié depuis le"),
        widget=DateInput,
    )  # fmt: skip
    au = django_filters.DateFilter(
        field_name="article__published_on", lookup_expr="lte", label=_("Article publié jusqu’au"),
        widget=DateInput,
    )  # fmt: skip
    tri = django_filters.ChoiceFilter(
        widget=Select, choices=EVENT_SORT_LABELS, method="sort", label=_("Trier par"), empty_label=None
    )

    class Meta:
        model = PurchaseEvent
        fields = []

    def by_company(self, queryset, name, value):
        return events_naming(queryset, value)

    def sort(self, queryset, name, value):
        # The dollar value of an amount: the figure's estimate, else the amount itself when in dollars.
        in_dollars = Case(When(currency="USD", then=F("amount")))
        queryset = queryset.annotate(amount_usd=Coalesce(F("amount_figure__value_usd"), in_dollars))
        return queryset.order_by(*EVENT_SORTS[value], *EVENT_TIEBREAK)


class ComparisonFilter(django_filters.FilterSet):
    """Validates /comparaison/'s parameters; the groups are filtered in `articles.comparison`."""

    entreprise = menu_filter(
        Company, method="in_groups", label=_("Entreprise (acheteur ou vendeur)"),
        empty_label=_("Toutes les entreprises"),
    )  # fmt: skip
    puce = menu_filter(Chip, method="in_groups", label=_("Puce"), empty_label=_("Toutes les puces"))

    class Meta:
        model = PurchaseEvent
        fields = []

    def in_groups(self, queryset, name, value):
        return queryset
