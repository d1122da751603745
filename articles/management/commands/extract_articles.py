"""Extract figures, mentions and purchase events from stored articles.

    python manage.py extract_articles --all
    python manage.py extract_articles SLUG [SLUG ...]

Idempotent: a re-run keeps unchanged results, and never deletes, changes or duplicates what an editor
created, edited, verified or rejected.
"""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.models import Article
from articles.services import articles_extract


class Command(BaseCommand):
    help = "Extract figures and events from all articles (--all) or the given slugs."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="articles to extract")
        parser.add_argument("--all", action="store_true", help="every article")

    def handle(self, *args, slugs, all, verbosity, **options):
        if all == bool(slugs):
            raise CommandError("give either --all or one or more article slugs")
        articles = Article.objects.order_by("pk")
        if slugs:
            articles = articles.filter(slug__in=slugs)
            missing = sorted(set(slugs) - set(articles.values_list("slug", flat=True)))
            if missing:
                raise CommandError(f"no article with slug {', '.join(missing)}")

        def progress(items):
            # tqdm redraws with "\r"; the command's OutputWrapper would append a newline to each redraw.
            return tqdm(items, desc="extract", unit="article", file=self.stderr._out, disable=verbosity == 0)

        report = articles_extract(articles=articles, progress=progress if len(slugs) != 1 else None)
        self.stdout.write(report.summary)
