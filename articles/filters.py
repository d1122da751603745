"""django-filter FilterSets for the public lists."""

import django_filters
from django import forms
from django.db.models import Case, F, Q, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Chip, Company, Publication, PurchaseEvent, ReviewStatus


class DateInput(forms.DateInput):
    input_type = "date"


class ArticleFilter(django_filters.FilterSet):
    publication = django_filters.ModelChoiceFilter(
        queryset=Publication.objects.all(),
        to_field_name="slug",
        label=_("Publication"),
        empty_label=_("Toutes les publications"),
    )
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
    entreprise = django_filters.ModelChoiceFilter(
        queryset=Company.objects.all(), to_field_name="slug", method="in_index", label=_("Entreprise"),
    )  # fmt: skip
    puce = django_filters.ModelChoiceFilter(
        queryset=Chip.objects.all(), to_field_name="slug", method="in_index", label=_("Puce"),
    )  # fmt: skip
    publication = django_filters.ModelChoiceFilter(
        queryset=Publication.objects.all(), to_field_name="slug", method="in_index", label=_("Publication"),
    )  # fmt: skip
    type = django_filters.ChoiceFilter(
        choices=PurchaseEvent.Type.choices, method="in_index", label=_("Type d’événement"),
    )  # fmt: skip
    du = django_filters.DateFilter(method="in_index", label=_("Publié depuis le"), widget=DateInput)
    au = django_filters.DateFilter(method="in_index", label=_("Publié jusqu’au"), widget=DateInput)
    tri = django_filters.ChoiceFilter(
        choices=[("relevance", _("pertinence")), ("date", _("date"))], method="in_index",
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

    entreprise = django_filters.ModelChoiceFilter(
        queryset=Company.objects.all(), to_field_name="slug", method="by_company",
        label=_("Entreprise (acheteur ou vendeur)"), empty_label=_("Toutes les entreprises"),
    )  # fmt: skip
    puce = django_filters.ModelChoiceFilter(
        queryset=Chip.objects.all(), to_field_name="slug", field_name="chip", label=_("Puce"),
        empty_label=_("Toutes les puces"),
    )  # fmt: skip
    type = django_filters.ChoiceFilter(
        choices=PurchaseEvent.Type.choices, label=_("Type d’événement"), empty_label=_("Tous les types")
    )
    statut = django_filters.ChoiceFilter(
        field_name="status", choices=PurchaseEvent.Status.choices, label=_("Statut"),
        empty_label=_("Rapportés et démentis"),
    )  # fmt: skip
    verification = django_filters.ChoiceFilter(
        field_name="review_status", label=_("Vérification"), empty_label=_("Vérifiés ou non"),
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
        choices=EVENT_SORT_LABELS, method="sort", label=_("Trier par"), empty_label=None
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

    entreprise = django_filters.ModelChoiceFilter(
        queryset=Company.objects.all(), to_field_name="slug", method="in_groups",
        label=_("Entreprise (acheteur ou vendeur)"), empty_label=_("Toutes les entreprises"),
    )  # fmt: skip
    puce = django_filters.ModelChoiceFilter(
        queryset=Chip.objects.all(), to_field_name="slug", method="in_groups", label=_("Puce"),
        empty_label=_("Toutes les puces"),
    )  # fmt: skip

    class Meta:
        model = PurchaseEvent
        fields = []

    def in_groups(self, queryset, name, value):
        return queryset
