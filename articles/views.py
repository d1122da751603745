"""Public pages: the home page, the list of articles and an article read sentence by sentence."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from articles.comparison import comparisons_attach
from articles.filters import ArticleFilter
from articles.models import Article, Chip, Company, Figure, PurchaseEvent
from articles.page_cache import cached_page
from articles.reading import article_blocks

HOME_LATEST = 8


@cached_page
def home(request):
    latest = Article.objects.newest_first().select_related("publication")[:HOME_LATEST]
    context = {
        "latest": latest,
        "article_count": Article.objects.count(),
        "companies": Company.objects.all(),
        "chips": Chip.objects.select_related("maker"),
    }
    return render(request, "articles/home.html", context)


@cached_page
def article_list(request):
    filterset = ArticleFilter(
        request.GET or None, queryset=Article.objects.newest_first().select_related("publication")
    )
    page = Paginator(filterset.qs, settings.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    context = {"filter": filterset, "page": page, "query_without_page": query_without_page.urlencode()}
    return render(request, "articles/article_list.html", context)


@cached_page
def article_detail(request, slug):
    article = get_object_or_404(Article.objects.select_related("publication"), slug=slug)
    sentences = list(article.sentences.all())
    figures = list(Figure.objects.public().filter(article=article).select_related("article"))
    events = list(
        PurchaseEvent.objects.public()
        .filter(article=article)
        .select_related("sentence", "seller", "chip", "amount_figure__article", "quantity_figure")
        .prefetch_related("buyers")
    )
    comparisons_attach(events)
    context = {
        "article": article,
        "blocks": article_blocks(article.body, sentences, figures),
        "events": events,
    }
    return render(request, "articles/article_detail.html", context)
