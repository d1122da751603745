"""django-filter FilterSets for the public lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Publication


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
