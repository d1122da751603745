from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Archive de presse"

    def ready(self) -> None:
        from articles import page_cache, search_sync

        search_sync.connect()
        page_cache.connect()
