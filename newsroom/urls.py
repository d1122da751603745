from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Archive — bureau des éditeurs")
admin.site.site_title = _("Archive des puces")
admin.site.index_title = _("Contenus de l’archive")

# The 404 and 500 pages are templates/404.html and templates/500.html, rendered by Django's own handlers.
urlpatterns = [
    path(settings.ADMIN_URL_PREFIX, admin.site.urls),
    path("", include("articles.urls")),
]
