"""django-filter FilterSets for the public lists."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Chip, Company, Publication, PurchaseEvent


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
