from django.urls import path

from . import entity_views, event_views, feeds, search_views, views
from .page_cache import cached_page

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="article-list"),
    path("articles/<slug:slug>/", views.article_detail, name="article-detail"),
    path("recherche/", search_views.search_page, name="search"),
    path("evenements/", event_views.event_list, name="event-list"),
    path("comparaison/", event_views.comparison, name="comparison"),
    path("entreprises/", entity_views.company_list, name="company-list"),
    path("entreprises/<slug:slug>/", entity_views.company_detail, name="company-detail"),
    path("puces/", entity_views.chip_list, name="chip-list"),
    path("puces/<slug:slug>/", entity_views.chip_detail, name="chip-detail"),
    path("flux/articles/", cached_page(feeds.latest_articles_feed), name="feed-articles"),
    path("flux/entreprises/<slug:slug>/", cached_page(feeds.company_events_feed), name="feed-company-events"),
    path("flux/puces/<slug:slug>/", cached_page(feeds.chip_events_feed), name="feed-chip-events"),
]
