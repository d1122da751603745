"""Write every figure as JSON or CSV on stdout (rejected ones only with --include-rejected).

python manage.py export_figures --format json > figures.json
"""

from django.core.management.base import BaseCommand

from articles.exports import FIGURE_FIELDS, as_csv, as_json, figure_queryset, figure_record


class Command(BaseCommand):
    help = "Export every figure with its article and sentence, as JSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--include-rejected", action="store_true", help="also figures editors rejected")

    def handle(self, *args, format, include_rejected, **options):
        records = [figure_record(f) for f in figure_queryset(include_rejected=include_rejected).iterator()]
        self.stdout.write(as_json(records) if format == "json" else as_csv(records, FIGURE_FIELDS), ending="")
        self.stderr.write(f"{len(records)} figures")
